// Issue #12, item 4: the WAV fuzz suite (test/corpora/wav-fuzz.test.js) extended to every other
// container: AIFF/AIFF-C, FLAC, Ogg Vorbis, Ogg Opus and MP3. Truncated at many points, header
// fields set to extreme values, zero frames, garbage chunks, huge declared sizes, seeded random
// corruption. Each variant either decodes (finite samples, a bounded number of them) or fails
// with a one-line AudioError naming the file; nothing else is thrown, nothing hangs, and memory
// stays bounded.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { audio } from 'kernel-lib';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { coreRandom } from 'kernel-lib/internal';
const { mulberry32: prng } = coreRandom;

/** The garbage collector, to tell memory a decoder keeps from memory not yet collected. */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const DIR = path.join(__dirname, '..', 'fixtures', 'formats');
const read = (f: string) => fs.readFileSync(path.join(DIR, f));

/** Offsets of the fields of the AIFF fixtures made by sox (FORM, COMM at 12, SSND after it). */
function aiffFields(b: Buffer): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = { formSize: [4, 4] };
  let pos = 12;
  while (pos + 8 <= b.length) {
    const id = b.toString('latin1', pos, pos + 4);
    const size = b.readUInt32BE(pos + 4);
    if (id === 'COMM')
      Object.assign(out, {
        commSize: [pos + 4, 4],
        channels: [pos + 8, 2],
        frames: [pos + 10, 4],
        sampleSize: [pos + 14, 2],
        rateExp: [pos + 16, 2],
        rateMant: [pos + 18, 4],
      });
    if (id === 'COMM' && b.toString('latin1', 8, 12) === 'AIFC') out.compression = [pos + 26, 4];
    if (id === 'SSND') Object.assign(out, { ssndSize: [pos + 4, 4], ssndOffset: [pos + 8, 4], blockSize: [pos + 12, 4] });
    pos += 8 + size + (size & 1);
  }
  return out;
}

function setBE(buf: Uint8Array, [off, len]: [number, number], v: number | string): Buffer {
  const b = Buffer.from(buf);
  if (len === 2) b.writeUInt16BE((v as number) & 0xffff, off);
  else if (len === 4 && typeof v === 'string') b.write(v, off, 'latin1');
  else b.writeUInt32BE((v as number) >>> 0, off);
  return b;
}

const EXTREMES = [0, 1, 2, 3, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x10000];

/** One variant: the bytes and what must happen. */
interface Variant {
  name: string;
  bytes: Buffer;
  expect?: 'error' | 'same';
}

function variants(): Variant[] {
  const out: Variant[] = [];
  const r = prng(12);
  // --- AIFF / AIFF-C: every header byte truncated, every field at extreme values
  for (const base of ['mono-s16.aiff', 'mono-sowt.aifc', 'stereo-fl32.aifc', 'tess-like.aiff.wav']) {
    const b = read(base);
    const fields = aiffFields(b);
    const ssnd = b.indexOf('SSND');
    for (let n = 0; n <= ssnd + 16; n += base === 'mono-s16.aiff' ? 1 : 4)
      out.push({ name: `${base}-trunc-${n}`, bytes: b.subarray(0, n), expect: 'error' });
    out.push({ name: `${base}-trunc-mid`, bytes: b.subarray(0, Math.floor(b.length / 2)), expect: 'error' });
    for (const [field, loc] of Object.entries(fields)) {
      if (field === 'compression') {
        for (const c of ['ulaw', 'ima4', 'XXXX', '\0\0\0\0'])
          out.push({ name: `${base}-compression-${c}`, bytes: setBE(b, loc, c), expect: 'error' });
        continue;
      }
      for (const v of EXTREMES) out.push({ name: `${base}-${field}=${v}`, bytes: setBE(b, loc, v) });
    }
    // garbage chunks: an unknown chunk before COMM, one with an odd size, one with a huge size at the end
    const junk = Buffer.concat([Buffer.from('JUNK'), Buffer.from([0, 0, 0, 5]), Buffer.from('abcde\0')]);
    out.push({ name: `${base}-junk-chunk`, bytes: Buffer.concat([b.subarray(0, 12), junk, b.subarray(12)]), expect: 'same' });
    out.push({
      name: `${base}-huge-trailing-chunk`,
      bytes: Buffer.concat([b, Buffer.from('HUGE'), Buffer.from([0xff, 0xff, 0xff, 0xf0])]),
      expect: 'same',
    });
    out.push({ name: `${base}-garbage-appended`, bytes: Buffer.concat([b, Buffer.alloc(1000, 0xa5)]), expect: 'same' });
    out.push({ name: `${base}-zero-frames`, bytes: setBE(b, fields.frames, 0), expect: 'error' });
  }
  // --- compressed streams: truncated at many points, garbage, huge sizes, random corruption
  for (const base of [
    'mono-16.flac',
    'stereo-24.flac',
    'mono-22k.ogg',
    'mono-16k.opus',
    'stereo-48k.opus',
    'mono-16k.mp3',
    'stereo-22k.mp3',
  ]) {
    const b = read(base);
    for (const n of [0, 1, 3, 4, 8, 16, 27, 28, 42, 58, 64, 100, 200, 400, 1000, 4000])
      if (n < b.length) out.push({ name: `${base}-trunc-${n}`, bytes: b.subarray(0, n) });
    for (const f of [0.25, 0.5, 0.75, 0.99]) out.push({ name: `${base}-trunc-${f}`, bytes: b.subarray(0, Math.floor(b.length * f)) });
    out.push({ name: `${base}-garbage-appended`, bytes: Buffer.concat([b, Buffer.alloc(4096, 0x5a)]) });
    out.push({ name: `${base}-zeros-appended`, bytes: Buffer.concat([b, Buffer.alloc(4096)]) });
    const mid = Math.floor(b.length / 3);
    out.push({ name: `${base}-zeroed-middle`, bytes: Buffer.concat([b.subarray(0, mid), Buffer.alloc(2048), b.subarray(mid + 2048)]) });
    for (let k = 0; k < 12; k++) {
      const c = Buffer.from(b);
      const flips = 1 + Math.floor(r() * 20);
      for (let j = 0; j < flips; j++) c[Math.floor(r() * c.length)] = Math.floor(r() * 256);
      out.push({ name: `${base}-corrupt-${k}`, bytes: c });
    }
    // header byte of each format set to extremes (FLAC STREAMINFO, Ogg page header, MP3 frame header)
    for (const off of [4, 5, 8, 18, 22, 26])
      for (const v of [0, 0xff]) out.push({ name: `${base}-byte${off}=${v}`, bytes: Buffer.from(b).fill(v, off, off + 1) });
  }
  // --- formats without a decoder here, and pure garbage
  out.push({ name: 'empty', bytes: Buffer.alloc(0), expect: 'error' });
  out.push({ name: 'id3-only', bytes: Buffer.concat([Buffer.from('ID3\x03\0\0\0\0\0\x10', 'latin1'), Buffer.alloc(16)]), expect: 'error' });
  out.push({
    name: 'id3-huge-size',
    bytes: Buffer.concat([Buffer.from('ID3\x03\0\0\x7f\x7f\x7f\x7f', 'latin1'), Buffer.alloc(16)]),
    expect: 'error',
  });
  out.push({
    name: 'ogg-speex',
    bytes: Buffer.concat([Buffer.from('OggS\0\x02'), Buffer.alloc(20), Buffer.from([1, 80]), Buffer.from('Speex   '), Buffer.alloc(72)]),
    expect: 'error',
  });
  for (let k = 0; k < 8; k++) {
    const g = Buffer.alloc(200 + k * 300);
    for (let i = 0; i < g.length; i++) g[i] = Math.floor(r() * 256);
    out.push({ name: `random-${k}`, bytes: g });
  }
  return out;
}

describe('audio formats: fuzz (AIFF, FLAC, Ogg Vorbis, Ogg Opus, MP3)', function () {
  this.timeout(300000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-formatfuzz-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('each of >= 300 variants decodes (finite, bounded samples) or fails with a one-line AudioError naming the file', async () => {
    const all = variants();
    assert.ok(all.length >= 300, `only ${all.length} variants`);
    let decoded = 0;
    let failed = 0;
    for (const [k, v] of all.entries()) {
      const file = path.join(tmp, `${String(k).padStart(4, '0')}-${v.name.replace(/[^A-Za-z0-9=_.-]/g, '_')}`);
      fs.writeFileSync(file, v.bytes);
      const t0 = process.hrtime.bigint();
      let res!: Awaited<ReturnType<typeof audio.readAudio>>;
      // any: whatever readAudio throws, checked below to be an AudioError
      let err: any = null;
      try {
        res = await audio.readAudio(file);
      } catch (e) {
        err = e;
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms < 10000, `${v.name}: took ${ms} ms`);
      if (err) {
        failed++;
        assert.ok(err instanceof audio.AudioError, `${v.name}: threw ${err?.constructor?.name}: ${err?.message}`);
        assert.strictEqual(err.file, file);
        assert.ok(err.reason.length > 3, `${v.name}: empty reason`);
        assert.strictEqual(err.message, `${file}: ${err.reason}`);
        assert.ok(!/[\r\n]/.test(err.message), `${v.name}: multi-line message`);
        assert.notStrictEqual(v.expect, 'same', `${v.name}: should decode, got ${err.message}`);
        continue;
      }
      decoded++;
      assert.notStrictEqual(v.expect, 'error', `${v.name}: should fail, decoded ${res.y.length} samples`);
      assert.ok(res.y instanceof Float32Array && res.y.length > 0, `${v.name}: no samples without an error`);
      assert.ok(res.sr > 0);
      // a bounded expansion: no stream here yields more than 64 samples per byte
      assert.ok(res.y.length <= 64 * v.bytes.length, `${v.name}: ${res.y.length} samples from ${v.bytes.length} bytes`);
      for (const x of res.y) assert.ok(Number.isFinite(x) && Math.abs(x) <= 1e38, `${v.name}: non-finite sample`);
    }
    // Memory: the wasm decoders keep pooled heaps (tens of MB once warm). Bounded means that a
    // second pass over every variant keeps no more than the first did.
    const kept = async () => {
      gc();
      await new Promise((r) => setTimeout(r, 100));
      gc();
      const m = process.memoryUsage();
      return m.arrayBuffers + m.external;
    };
    const afterFirst = await kept();
    for (const k of all.keys()) {
      const file = path.join(tmp, fs.readdirSync(tmp).find((f) => f.startsWith(`${String(k).padStart(4, '0')}-`))!);
      await audio.readAudio(file).catch(() => null);
    }
    const afterSecond = await kept();
    const grew = (afterSecond - afterFirst) / 2 ** 20;
    assert.ok(grew < 16, `a second pass over the variants kept ${grew.toFixed(1)} MB more`);
    console.log(
      `      ${all.length} variants: ${decoded} decoded, ${failed} one-line errors; memory kept after a second pass: ${grew.toFixed(1)} MB more (warm: ${(afterFirst / 2 ** 20).toFixed(0)} MB)`,
    );
  });
});
