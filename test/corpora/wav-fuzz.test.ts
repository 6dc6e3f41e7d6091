// WAV reader fuzz test (issue #3, item 4): several hundred malformed or odd WAV variants made
// here (truncated at every header byte, every header field set to extreme values, odd bit
// depths, 0 frames, huge declared sizes, seeded random corruption). Each must either decode
// correctly or fail with a one-line WavError naming the file; never crash otherwise, never
// hang, never allocate more than the bytes present allow.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wavBytes } from './wav-builder';
import { audioWav, audioFile, audioPcm, coreRandom } from 'kernel-lib/internal';
const { decodeWavInfo } = audioWav;
const { readPcmFile: readWav } = audioFile;
const { AudioError: WavError } = audioPcm;
const { mulberry32: prng } = coreRandom;

const listChunk = (() => {
  const body = Buffer.from('INFOISFT\x05\x00\x00\x00fuzz\x00\x00', 'latin1');
  const h = Buffer.alloc(8);
  h.write('LIST');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
})();
const oddChunk = Buffer.concat([Buffer.from('junk'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);

/** Valid files to mutate: [name, bytes, expected mono samples] */
function bases(): [string, Buffer, number[] | null][] {
  const r = prng(1);
  const n = 64;
  const i16 = Array.from({ length: n }, () => Math.floor(r() * 65536) - 32768);
  const st = Array.from({ length: 2 * n }, () => Math.floor(r() * 16777216) - 8388608);
  const f32 = Array.from({ length: n }, () => Math.fround(r() * 2 - 1));
  const u8 = Array.from({ length: n }, () => Math.floor(r() * 256));
  return [
    ['pcm16', wavBytes({ bits: 16, samples: i16 }), i16.map((v) => v / 32768)],
    ['pcm24-stereo', wavBytes({ bits: 24, channels: 2, rate: 48000, samples: st }), null],
    ['float32-list', wavBytes({ bits: 32, float: true, rate: 44100, samples: f32, chunksBefore: [listChunk] }), f32],
    ['pcm8-odd-chunk', wavBytes({ bits: 8, rate: 24414, samples: u8, chunksBefore: [oddChunk] }), u8.map((v) => (v - 128) / 128)],
    ['ext-pcm16', wavBytes({ bits: 16, extensible: true, samples: i16 }), i16.map((v) => v / 32768)],
  ];
}

/** Offsets of the header fields of a canonical file (fmt at 12, data after it). */
const FIELDS: Record<string, [number, number]> = {
  riffSize: [4, 4],
  fmtSize: [16, 4],
  formatTag: [20, 2],
  channels: [22, 2],
  sampleRate: [24, 4],
  byteRate: [28, 4],
  blockAlign: [32, 2],
  bitsPerSample: [34, 2],
  dataId: [36, 4],
  dataSize: [40, 4],
};
const EXTREMES = [0, 1, 2, 3, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x10000];

function setField(buf: Uint8Array, [off, len]: [number, number], v: number): Buffer {
  const b = Buffer.from(buf);
  if (len === 2) b.writeUInt16LE(v & 0xffff, off);
  else b.writeUInt32LE(v >>> 0, off);
  return b;
}

/** One variant: the bytes and what must happen (see the test below). */
interface Variant {
  name: string;
  bytes: Buffer;
  expect?: 'error' | 'same';
  field?: string;
  value?: number;
  y?: number[] | null;
  base?: Buffer;
  bits?: number;
  float?: boolean;
}

function variants(): Variant[] {
  const out: Variant[] = [];
  for (const [name, bytes, y] of bases()) {
    // 1. truncated at every byte of the header region and a few points in the data
    const hdrEnd = bytes.indexOf(Buffer.from('data')) + 8;
    for (let cut = 0; cut < hdrEnd + 4; cut++) out.push({ name: `${name}-cut${cut}`, bytes: bytes.subarray(0, cut), expect: 'error' });
    for (const cut of [hdrEnd + 1, Math.floor((hdrEnd + bytes.length) / 2), bytes.length - 1]) {
      out.push({ name: `${name}-cut${cut}`, bytes: bytes.subarray(0, cut), expect: 'error' });
    }
    // 2. header fields set to extreme values (canonical layout only)
    if (name === 'pcm16' || name === 'pcm24-stereo') {
      for (const [field, loc] of Object.entries(FIELDS)) {
        for (const v of EXTREMES)
          out.push({ name: `${name}-${field}=${v}`, bytes: setField(bytes, loc, v), field, value: v, y, base: bytes });
      }
    }
    // 3. seeded random corruption: 1-8 bytes anywhere in the first 80 bytes
    const r = prng(name.length * 7919);
    for (let k = 0; k < 12; k++) {
      const b = Buffer.from(bytes);
      const m = 1 + Math.floor(r() * 8);
      for (let j = 0; j < m; j++) b[Math.floor(r() * Math.min(80, b.length))] = Math.floor(r() * 256);
      out.push({ name: `${name}-flip${k}`, bytes: b });
    }
    // 4. trailing garbage after the data chunk: still decodes
    out.push({ name: `${name}-trailing`, bytes: Buffer.concat([bytes, Buffer.from('garbage!')]), y, expect: 'same' });
  }
  // 5. odd bit depths, PCM and float, with consistent and inconsistent block align
  for (let bits = 0; bits <= 40; bits++) {
    const container = Math.max(8, Math.ceil(bits / 8) * 8);
    const samples = Array.from({ length: 16 }, (_, i) => i - 8);
    out.push({
      name: `pcm-bits${bits}`,
      bytes: wavBytes({ bits, container, samples: samples.map((v) => (container === 8 ? v + 128 : v)) }),
      bits,
    });
    out.push({ name: `float-bits${bits}`, bytes: wavBytes({ bits, container, samples, format: 3 }), bits, float: true });
  }
  // 6. zero frames, a partial frame, huge declared data size, fmt after data, missing chunks
  out.push({ name: 'zero-frames', bytes: wavBytes({ bits: 16, samples: [] }), expect: 'error' });
  out.push({ name: 'half-frame', bytes: wavBytes({ bits: 16, channels: 2, samples: [] }).subarray(0, 44), expect: 'error' });
  const one = Buffer.concat([wavBytes({ bits: 16, samples: [] }), Buffer.from([1])]);
  one.writeUInt32LE(1, 40);
  out.push({ name: 'one-byte-data', bytes: one, expect: 'error' });
  const huge = Buffer.from(wavBytes({ bits: 16, samples: [1, 2, 3] }));
  huge.writeUInt32LE(0xfffffff0, 40);
  out.push({ name: 'huge-data-size', bytes: huge, expect: 'error' });
  const hugeFmt = Buffer.from(wavBytes({ bits: 16, samples: [1, 2, 3] }));
  hugeFmt.writeUInt32LE(0x7ffffff0, 16);
  out.push({ name: 'huge-fmt-size', bytes: hugeFmt, expect: 'error' });
  const good = wavBytes({ bits: 16, samples: [100, -100, 7] });
  const fmtChunk = good.subarray(12, 36);
  const dataChunk = good.subarray(36);
  const riff = (body: Buffer) => {
    const h = Buffer.alloc(12);
    h.write('RIFF');
    h.writeUInt32LE(body.length + 4, 4);
    h.write('WAVE', 8);
    return Buffer.concat([h, body]);
  };
  out.push({
    name: 'fmt-after-data',
    bytes: riff(Buffer.concat([dataChunk, fmtChunk])),
    y: [100, -100, 7].map((v) => v / 32768),
    expect: 'same',
  });
  out.push({ name: 'no-fmt', bytes: riff(dataChunk), expect: 'error' });
  out.push({ name: 'no-data', bytes: riff(fmtChunk), expect: 'error' });
  out.push({ name: 'only-riff-wave', bytes: riff(Buffer.alloc(0)), expect: 'error' });
  out.push({
    name: 'many-tiny-chunks',
    bytes: riff(Buffer.concat([...Array(2000).fill(Buffer.from('pad \0\0\0\0')), fmtChunk, dataChunk])),
    y: [100, -100, 7].map((v) => v / 32768),
    expect: 'same',
  });
  const unpadded = riff(Buffer.concat([fmtChunk, Buffer.from('odd \x03\x00\x00\x00xyz', 'latin1'), dataChunk]));
  out.push({ name: 'unpadded-odd-chunk', bytes: unpadded, y: [100, -100, 7].map((v) => v / 32768), expect: 'same' });
  return out;
}

describe('audio/wav: fuzz (malformed and odd WAV variants)', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-wavfuzz-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('each of >= 200 variants decodes correctly or fails with a one-line WavError naming the file', () => {
    const all = variants();
    assert.ok(all.length >= 200, `only ${all.length} variants`);
    let decoded = 0;
    let failed = 0;
    const heapBefore = process.memoryUsage().arrayBuffers;
    all.forEach((v, k) => {
      const file = path.join(tmp, `${String(k).padStart(4, '0')}-${v.name.replace(/[^A-Za-z0-9=_-]/g, '_')}.wav`);
      fs.writeFileSync(file, v.bytes);
      const t0 = process.hrtime.bigint();
      let res!: ReturnType<typeof readWav>;
      // any: whatever readWav throws, checked below to be a WavError
      let err: any = null;
      try {
        res = readWav(file);
      } catch (e) {
        err = e;
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms < 1000, `${v.name}: took ${ms} ms`);
      if (err) {
        failed++;
        assert.ok(err instanceof WavError, `${v.name}: threw ${err?.constructor?.name}: ${err?.message}`);
        assert.strictEqual(err.file, file);
        assert.ok(err.reason.length > 3, `${v.name}: empty reason`);
        assert.strictEqual(err.message, `${file}: ${err.reason}`);
        assert.ok(!/[\r\n]/.test(err.message), `${v.name}: multi-line message`);
        assert.notStrictEqual(v.expect, 'same', `${v.name}: should decode, got ${err.message}`);
        return;
      }
      decoded++;
      assert.notStrictEqual(v.expect, 'error', `${v.name}: should fail, decoded ${res.y.length} samples`);
      assert.ok(res.y instanceof Float32Array);
      assert.ok(res.sr > 0);
      // never more samples than the bytes present could hold
      assert.ok(res.y.length <= v.bytes.length, `${v.name}: ${res.y.length} samples from ${v.bytes.length} bytes`);
      assert.ok(res.y.length > 0, `${v.name}: decoded 0 samples without an error`);
      for (const x of res.y) assert.ok(Number.isFinite(x) && Math.abs(x) <= 1e38, `${v.name}: non-finite sample`);
      if (v.float === undefined && v.bits !== undefined && res.y.length) {
        // odd PCM depths that decode are read as their container
        assert.ok(decodeWavInfo(v.bytes).containerBytes * 8 >= v.bits);
      }
      if (v.y && (v.expect === 'same' || ['riffSize', 'byteRate', 'sampleRate'].includes(v.field ?? ''))) {
        assert.strictEqual(res.y.length, v.y.length, `${v.name}: length`);
        for (let i = 0; i < v.y.length; i++) assert.strictEqual(res.y[i], Math.fround(v.y[i]), `${v.name}: sample ${i}`);
        if (v.field === 'sampleRate') assert.strictEqual(res.sr, v.value);
      }
      if (v.field === 'dataSize' && v.y) {
        // a smaller declared data size reads a prefix of the samples
        for (let i = 0; i < res.y.length; i++) assert.strictEqual(res.y[i], Math.fround(v.y[i]), `${v.name}: prefix sample ${i}`);
      }
    });
    const grown = process.memoryUsage().arrayBuffers - heapBefore;
    assert.ok(grown < 64 * 1024 * 1024, `array buffers grew by ${grown} bytes`);
    assert.ok(decoded > 20 && failed > 150, `decoded ${decoded}, failed ${failed}`);
  });
});
