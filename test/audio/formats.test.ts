// Issue #12: every container read by content as soundfile (libsndfile) reads it under
// librosa.load. Fixtures: scripts/tools/make-format-fixtures.py (Debian sox/ffmpeg, samples
// from Debian's python3-soundfile 0.12.1 / libsndfile 1.2.0), committed under
// test/fixtures/formats, so these tests need no Python.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { audio } from 'kernel-lib/internal';

const DIR = path.join(__dirname, '..', 'fixtures', 'formats');
/** test/fixtures/formats/index.json: each fixture as soundfile read it (made by a Python script). */
interface FormatIndex {
  files: Record<
    string,
    {
      format: string;
      subtype: string;
      channels: number;
      sr: number;
      frames: number;
      kind: 'lossless' | 'lossy' | 'ffmpeg';
      reads: Record<string, { file: string; samples: number }>;
    }
  >;
  reads: Record<string, { offset?: number; duration?: number }>;
}
const INDEX: FormatIndex = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8'));
const ref = (file: string): Float32Array => {
  const b = fs.readFileSync(path.join(DIR, file));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/**
 * Largest |ours - soundfile| accepted per lossy codec (float32 samples in [-1, 1]). Measured on
 * these fixtures (2026-12-05): Vorbis 1.19e-7, MP3 6.26e-7, Opus 4.03e-5 (48 kHz; the 16 kHz
 * stream is bit-identical). Different builds of the same reference decoders round differently.
 */
const TOLERANCE: Record<string, number> = { 'ogg-vorbis': 5e-7, mp3: 2e-6, 'ogg-opus': 1e-4 };
const LOSSLESS = new Set(['wav', 'aiff', 'flac', 'ogg-flac']);

const hasFfmpeg = audio.ffmpegAvailable();

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('audio formats: read by content, as soundfile reads them', function () {
  this.timeout(60000);
  const worst: Record<string, number> = {};
  after(() => {
    const lines = Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`);
    console.log(`      max |ours - soundfile| per codec: ${lines.join(', ')}`);
  });

  for (const [name, e] of Object.entries(INDEX.files)) {
    for (const [read, r] of Object.entries(e.reads)) {
      const span = INDEX.reads[read];
      it(`${name} (${e.format} ${e.subtype}, ${e.channels} ch, ${e.sr} Hz), ${read} read`, async function () {
        if (e.kind === 'ffmpeg' && !hasFfmpeg) {
          console.log(`      notice: ffmpeg is not installed; ${name} is checked only for the one-line error below`);
          this.skip();
        }
        const a = await audio.readAudio(path.join(DIR, name), { offset: span.offset, duration: span.duration });
        const want = ref(r.file);
        assert.strictEqual(a.sr, e.sr, 'native rate');
        assert.strictEqual(a.y.length, want.length, 'frames of the span');
        if (e.kind === 'lossy') {
          const d = maxDiff(a.y, want);
          worst[a.info.format] = Math.max(worst[a.info.format] ?? 0, d);
          assert.ok(d <= TOLERANCE[a.info.format], `max diff ${d} > ${TOLERANCE[a.info.format]}`);
        } else {
          // lossless, and M4A through ffmpeg as librosa's audioread fallback: the same bits
          assert.ok(LOSSLESS.has(a.info.format) || a.info.format === 'ffmpeg', a.info.format);
          const firstDiff = a.y.findIndex((v, i) => v !== want[i]);
          assert.strictEqual(firstDiff, -1, `first differing sample ${firstDiff}: ${a.y[firstDiff]} vs ${want[firstDiff]}`);
        }
      });
    }
  }

  it('readAudioInfo gives the rate, channels and frames soundfile reports', async () => {
    for (const [name, e] of Object.entries(INDEX.files)) {
      if (e.kind === 'ffmpeg') continue;
      const i = await audio.readAudioInfo(path.join(DIR, name));
      assert.deepStrictEqual([i.sampleRate, i.channels, i.frames], [e.sr, e.channels, e.frames], name);
    }
  });

  it('chooses the reader from the bytes, not the name: AIFF named .wav, FLAC named .mp3, WAV named .flac', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-sniff-'));
    try {
      const cases = [
        ['tess-like.aiff.wav', 'x.wav', 'aiff'],
        ['mono-16.flac', 'x.mp3', 'flac'],
        ['stereo-s16.wav', 'x.flac', 'wav'],
        ['mono-22k.ogg', 'x.opus', 'ogg-vorbis'],
        ['mono-16k.opus', 'x.ogg', 'ogg-opus'],
        ['mono-22k.mp3', 'x.aiff', 'mp3'],
      ];
      for (const [src, as, format] of cases) {
        fs.copyFileSync(path.join(DIR, src), path.join(tmp, as));
        const a = await audio.readAudio(path.join(tmp, as));
        assert.strictEqual(a.info.format, format, `${src} as ${as}`);
        assert.strictEqual(a.y.length, INDEX.files[src].reads.full.samples);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the TESS-like AIFF (FORM/AIFF + FVER, 24414 Hz) decodes to the same bits as the WAV it was made from', async () => {
    const aiff = await audio.readAudio(path.join(DIR, 'tess-like.aiff.wav'));
    const wav = audio.readPcmFile(path.join(__dirname, '..', 'fixtures', 'audio', 'tts2_bath_enus-f3_24414hz.wav'));
    assert.strictEqual(aiff.sr, 24414);
    assert.strictEqual(aiff.info.format, 'aiff');
    assert.strictEqual(
      aiff.y.findIndex((v, i) => v !== wav.y[i]),
      -1,
    );
  });

  it('load() resamples every format to 22050 Hz over the paper window, and FLAC gives the WAV result bit for bit', async () => {
    for (const name of Object.keys(INDEX.files)) {
      if (INDEX.files[name].kind === 'ffmpeg' && !hasFfmpeg) continue;
      const a = await audio.load(path.join(DIR, name), { offset: 0.25, duration: 1.0 });
      assert.strictEqual(a.sr, 22050, name);
      assert.strictEqual(a.y.length, 22050, name);
    }
    const flac = await audio.load(path.join(DIR, 'mono-16.flac'), { offset: 0.25, duration: 1.0 });
    const aiff = await audio.load(path.join(DIR, 'mono-s16.aiff'), { offset: 0.25, duration: 1.0 });
    assert.strictEqual(
      flac.y.findIndex((v, i) => v !== aiff.y[i]),
      -1,
      'FLAC and AIFF of the same 16-bit samples',
    );
  });

  it('M4A without ffmpeg (SER_FFMPEG=0): a one-line error naming the file, the formats read and ffmpeg', () => {
    const file = path.join(DIR, 'mono-22k.m4a');
    const script = `require('kernel-lib').audio.load(${JSON.stringify(file)}).then(() => console.log('decoded'), (e) => console.log(e.message))`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, SER_FFMPEG: '0' },
      encoding: 'utf8',
    });
    const msg = r.stdout.trim();
    assert.strictEqual(msg.split('\n').length, 1, msg);
    assert.strictEqual(
      msg,
      `${file}: unsupported format: MP4/M4A (M4A); WAV, AIFF/AIFF-C, FLAC, Ogg Vorbis, Ogg Opus and MP3 are read, and installing ffmpeg adds the rest (M4A/AAC, WMA, ...)`,
    );
  });

  it('sniffFormat names what it finds from the first bytes', () => {
    const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    assert.deepStrictEqual(audio.sniffFormat(b('RIFF\0\0\0\0WAVE')), { format: 'wav' });
    assert.deepStrictEqual(audio.sniffFormat(b('FORM\0\0\0\0AIFC')), { format: 'aiff' });
    assert.deepStrictEqual(audio.sniffFormat(b('fLaC\0\0\0\x22')), { format: 'flac' });
    assert.deepStrictEqual(audio.sniffFormat(Uint8Array.from([0xff, 0xfb, 0x90, 0x64])), { format: 'mp3' });
    assert.deepStrictEqual(audio.sniffFormat(b('\0\0\0\x20ftypM4A ')), { format: null, what: 'MP4/M4A (M4A)' });
    assert.deepStrictEqual(audio.sniffFormat(Uint8Array.from([0xff, 0xf1, 0x50, 0x80])), { format: null, what: 'AAC (ADTS)' });
    assert.deepStrictEqual(audio.sniffFormat(b('caff\0\x01\0\0')), { format: null, what: 'Core Audio (CAF)' });
    assert.strictEqual((audio.sniffFormat(b('FORM\0\0\0\x10ILBM')) as { what?: string }).what, "IFF file of type 'ILBM'");
  });
});
