// Robust WAV reading (issue #3, item 4): formats, channel mixing, librosa.load framing for
// offset/duration, span-only reads, short clips, one-line errors. node-wav (the project's WAV
// dependency) serves as the independent reference decoder.
import assert from 'node:assert';
// the module object itself (not an import namespace): the span test below counts fs.readSync calls
import fs = require('node:fs');
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodeWav from 'node-wav';
import { wavBytes } from './wav-builder';
import { audioWav, audioFile, audioPcm } from 'kernel-lib/internal';
const { decodeWav, encodeWav } = audioWav;
const { readPcmFile: readWav, readPcmFileInfo: readWavInfo } = audioFile;
const { AudioError: WavError, frameSpan } = audioPcm;

function sine(n: number, sr: number, f = 440, amp = 0.5): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = amp * Math.sin((2 * Math.PI * f * i) / sr);
  return y;
}

describe('audio/wav: readWav / decodeWav', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-wav-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('decodes PCM 8/16/24/32 and float 32/64 like libsndfile (x / 2^(bits-1)), within 1 LSB of node-wav', () => {
    const sr = 16000;
    const y = sine(1000, sr, 440, 0.8);
    for (const [bits, float] of [
      [8, false],
      [16, false],
      [24, false],
      [32, false],
      [32, true],
      [64, true],
    ] as [number, boolean][]) {
      const bytes = encodeWav(y, sr, { bitDepth: bits, float });
      const got = decodeWav(bytes);
      assert.strictEqual(got.sr, sr);
      assert.strictEqual(got.y.length, y.length);
      assert.strictEqual(got.info.bitDepth, bits);
      assert.strictEqual(got.info.format, float ? 'float' : 'pcm');
      // an ArrayBuffer of its own: node-wav mishandles views with a byteOffset (pooled Buffers);
      // node-wav cannot read float64 after a 44-byte header (Float64Array needs 8-byte alignment)
      const ref =
        bits === 64 ? y : nodeWav.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).channelData[0];
      const lsb = float ? 1e-7 : 2 ** -(bits - 1);
      for (let i = 0; i < y.length; i++) {
        assert.ok(Math.abs(got.y[i] - ref[i]) <= lsb * 1.01, `${bits}${float ? 'f' : ''} sample ${i}: ${got.y[i]} vs node-wav ${ref[i]}`);
        assert.ok(Math.abs(got.y[i] - y[i]) <= lsb, `${bits}${float ? 'f' : ''} quantization at ${i}`);
      }
    }
  });

  it('uses libsndfile scaling exactly: int16 k -> k/32768, uint8 u -> (u-128)/128, int24 -> k/2^23', () => {
    const i16 = decodeWav(wavBytes({ bits: 16, samples: [-32768, -1, 0, 1, 32767] })).y;
    assert.deepStrictEqual(Array.from(i16), [-1, -1 / 32768, 0, 1 / 32768, 32767 / 32768]);
    const u8 = decodeWav(wavBytes({ bits: 8, samples: [0, 127, 128, 255] })).y;
    assert.deepStrictEqual(Array.from(u8), [-1, -1 / 128, 0, 127 / 128]);
    const i24 = decodeWav(wavBytes({ bits: 24, samples: [-8388608, -1, 0, 8388607] })).y;
    assert.deepStrictEqual(Array.from(i24), [-1, -1 / 8388608, 0, Math.fround(8388607 / 8388608)]);
  });

  it('encodeWav -> decodeWav round-trips decoded 16-bit samples exactly and is deterministic', () => {
    const y = decodeWav(wavBytes({ bits: 16, samples: Array.from({ length: 500 }, (_, i) => ((i * 7919) % 65536) - 32768) })).y;
    const a = encodeWav(y, 22050, { bitDepth: 16 });
    const b = encodeWav(y, 22050, { bitDepth: 16 });
    assert.ok(Buffer.from(a).equals(Buffer.from(b)));
    assert.deepStrictEqual(Array.from(decodeWav(a).y), Array.from(y));
    // with a LIST/INFO chunk before the samples
    const c = encodeWav(y, 22050, { bitDepth: 16, info: { ICMT: 'synthetic' } });
    assert.ok(Buffer.from(c).includes(Buffer.from('ICMTsynthetic'.slice(4))));
    assert.deepStrictEqual(Array.from(decodeWav(c).y), Array.from(y));
  });

  it('mixes channels to mono as librosa.to_mono (float32 mean), for 2 and 3 channels', () => {
    const n = 300;
    const L = Array.from({ length: n }, (_, i) => ((i * 37) % 2000) - 1000);
    const R = Array.from({ length: n }, (_, i) => ((i * 91) % 3000) - 1500);
    const C = Array.from({ length: n }, (_, i) => ((i * 13) % 500) - 250);
    const st = decodeWav(wavBytes({ bits: 16, channels: 2, samples: L.flatMap((l, i) => [l, R[i]]) }));
    assert.strictEqual(st.info.channels, 2);
    assert.strictEqual(st.y.length, n);
    for (let i = 0; i < n; i++) assert.strictEqual(st.y[i], Math.fround((L[i] / 32768 + R[i] / 32768) / 2));
    const three = decodeWav(wavBytes({ bits: 16, channels: 3, samples: L.flatMap((l, i) => [l, R[i], C[i]]) }));
    for (let i = 0; i < n; i++) {
      const s = Math.fround(Math.fround(L[i] / 32768 + R[i] / 32768) + C[i] / 32768);
      assert.strictEqual(three.y[i], Math.fround(s / 3));
    }
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM and float, and 12-bit samples in 16-bit containers', () => {
    const ext = decodeWav(wavBytes({ bits: 24, extensible: true, channels: 2, samples: [8388607, -8388608, 0, 4194304] }));
    assert.strictEqual(ext.info.formatTag, 0xfffe);
    assert.deepStrictEqual(Array.from(ext.y), [Math.fround((Math.fround(8388607 / 8388608) - 1) / 2), 0.25]);
    const fext = decodeWav(wavBytes({ bits: 32, float: true, extensible: true, samples: [0.25, -0.5] }));
    assert.deepStrictEqual(Array.from(fext.y), [0.25, -0.5]);
    const twelve = decodeWav(wavBytes({ bits: 12, container: 16, samples: [16, -16] }));
    assert.strictEqual(twelve.info.bitDepth, 12);
    // libsndfile reads the 16-bit container: the 12 bits sit in the top of it
    assert.deepStrictEqual(Array.from(twelve.y), [256 / 32768, -256 / 32768]);
  });

  it('frames offset/duration as librosa.load: [int(offset*sr), +int(duration*sr)), any rate', () => {
    for (const sr of [16000, 22050, 24414, 44100, 48000]) {
      const n = Math.round(3.7 * sr);
      const samples = Array.from({ length: n }, (_, i) => (i % 60000) - 30000);
      const file = path.join(tmp, `ramp_${sr}.wav`);
      fs.writeFileSync(file, wavBytes({ bits: 16, rate: sr, samples }));
      const { y, info } = readWav(file, { offset: 0.5, duration: 2.5 });
      const start = Math.trunc(0.5 * sr);
      assert.strictEqual(y.length, Math.trunc(2.5 * sr), `length at ${sr}`);
      assert.strictEqual(y[0], samples[start] / 32768);
      assert.strictEqual(y[y.length - 1], samples[start + y.length - 1] / 32768);
      assert.strictEqual(info.sampleRate, sr);
      assert.strictEqual(readWavInfo(file).frames, n);
      assert.deepStrictEqual(frameSpan(sr, n, { offset: 0.5, duration: 2.5 }), { start, count: Math.trunc(2.5 * sr) });
    }
  });

  it('returns a short clip when the file ends before offset+duration (librosa does too)', () => {
    const file = path.join(tmp, 'short.wav');
    fs.writeFileSync(file, encodeWav(sine(16000 * 2, 16000), 16000));
    assert.strictEqual(readWav(file, { offset: 0.5, duration: 2.5 }).y.length, 16000 * 1.5);
    assert.strictEqual(readWav(file, { offset: 5 }).y.length, 0);
    assert.strictEqual(readWav(file).y.length, 32000);
  });

  it('reads only the requested span from disk', () => {
    // a file whose samples after the span are NaN floats: reading the span must not see them
    const sr = 8000;
    const vals = Array.from({ length: sr * 4 }, (_, i) => (i < sr * 2 ? 0.125 : NaN));
    const file = path.join(tmp, 'nan_tail.wav');
    fs.writeFileSync(file, wavBytes({ bits: 32, float: true, rate: sr, samples: vals }));
    const { y } = readWav(file, { offset: 0.5, duration: 1 });
    assert.strictEqual(y.length, sr);
    assert.ok(y.every((v) => v === 0.125));
    assert.throws(
      () => readWav(file),
      (e) => e instanceof WavError && /NaN sample at frame 16000/.test(e.message),
    );
    // and the reader never pulls more than header + span: count bytes read
    const realRead = fs.readSync;
    let bytes = 0;
    (fs as { readSync: unknown }).readSync = function (this: unknown, ...a: Parameters<typeof realRead>) {
      const n = realRead.apply(this, a);
      bytes += n;
      return n;
    };
    try {
      readWav(file, { offset: 1, duration: 0.5 });
    } finally {
      (fs as { readSync: unknown }).readSync = realRead;
    }
    assert.ok(bytes <= 44 + 0.5 * sr * 4 + 64, `read ${bytes} bytes`);
  });

  it('gives one-line errors "<file>: <reason>" for unusable files', () => {
    const cases: [string, Buffer, RegExp][] = [
      ['empty.wav', Buffer.alloc(0), /empty file/],
      [
        'text.wav',
        Buffer.from('hello, this is not audio at all, just text\n'),
        /unsupported format: not a known audio format \(starts with 'hell'\)/,
      ],
      ['riff-only.wav', Buffer.from('RIFF'), /truncated RIFF header/],
      ['avi.wav', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('AVI '), Buffer.alloc(40)]), /not a WAVE file/],
      ['adpcm.wav', wavBytes({ bits: 4, format: 2, samples: [1, 2, 3, 4] }), /unsupported codec: format tag 0x0002 \(Microsoft ADPCM\)/],
      ['mulaw.wav', wavBytes({ bits: 8, format: 7, samples: [1, 2, 3, 4] }), /unsupported codec.*mu-law/],
      ['zero.wav', wavBytes({ bits: 16, samples: [] }), /zero-length: no audio frames/],
      [
        'trunc.wav',
        wavBytes({ bits: 16, samples: new Array(100).fill(5) }).subarray(0, 44 + 50),
        /truncated: data chunk declares 200 bytes, only 50 present/,
      ],
      ['nan.wav', wavBytes({ bits: 32, float: true, samples: [0, NaN, 0] }), /NaN sample at frame 1/],
      ['inf.wav', wavBytes({ bits: 64, float: true, samples: [0, Infinity] }), /infinite sample at frame 1/],
    ];
    for (const [name, bytes, re] of cases) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, bytes);
      assert.throws(
        () => readWav(file),
        (e) => {
          assert.ok(e instanceof WavError, `${name}: ${e}`);
          assert.strictEqual(e.file, file);
          assert.strictEqual(e.message, `${file}: ${e.reason}`);
          assert.ok(!e.message.includes('\n'), 'one line');
          assert.match(e.message, re);
          return true;
        },
      );
    }
    assert.throws(() => readWav(path.join(tmp, 'absent.wav')), /absent\.wav: no such file/);
  });

  it('accepts a streamed WAV whose data size is 0xFFFFFFFF (samples run to the end of the file)', () => {
    const b = Buffer.from(wavBytes({ bits: 16, samples: [1, 2, 3, 4, 5] }));
    b.writeUInt32LE(0xffffffff, 40);
    b.writeUInt32LE(0xffffffff, 4);
    assert.deepStrictEqual(
      Array.from(decodeWav(b).y),
      [1, 2, 3, 4, 5].map((k) => k / 32768),
    );
  });
});
