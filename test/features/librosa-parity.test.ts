// Parity of the DSP core and the spectral features with librosa 0.10.2 (issue "Features",
// items 1-4) on the 12 synthetic fixture files (3 utterances x 48000/16000/24414/44100 Hz).
// Reference: test/fixtures/librosa (copied from the shared librosa reference by
// scripts/tools/librosa-fixtures.js). Metric: max|ours - librosa| / max|librosa| per block,
// limit 1e-4 (spectral_contrast band 6: 1e-2, see the fixture README). The measured worst
// errors are printed at the end. The pipeline starts from the WAV: our y (load + resample) is
// the input of every later stage, so errors would accumulate as in real use.
import assert from 'node:assert';
import * as K from 'kernel-lib/internal';
import * as H from './helpers';

const { audio, dsp, features } = K;
const LIMIT = 1e-4;
const LIMIT_CONTRAST6 = 1e-2;
const idx = H.librosaIndex();
const STEMS = Object.keys(idx.stems).sort();
const worst = new H.Worst('librosa parity (12 synthetic files)');

type Loaded = Awaited<ReturnType<typeof audio.load>>;
/** our y, sr and |STFT| of a stem */
interface Ours {
  y: Loaded['y'];
  sr: number;
  S: ReturnType<typeof dsp.magnitude>;
}
const loaded = new Map<string, Loaded>();
const cache = new Map<string, Ours>();
/** our pipeline for one stem, computed once (y loaded by the suite's before hook) */
function ours(stem: string): Ours {
  if (cache.has(stem)) return cache.get(stem)!;
  const { y, sr } = loaded.get(stem)!;
  const D = dsp.stft(y);
  const S = dsp.magnitude(D);
  const r = { y, sr, S };
  cache.set(stem, r);
  return r;
}

function check(name: string, stem: string, a: ArrayLike<number>, b: ArrayLike<number>, limit = LIMIT): number {
  const err = H.relErr(a, b);
  worst.add(name, err, limit, stem);
  assert.ok(err <= limit, `${stem} ${name}: max|diff|/max = ${err.toExponential(3)} > ${limit}`);
  return err;
}

describe('librosa parity: load, resample, STFT, filters, spectral features', function () {
  this.timeout(120000);
  before(async () => {
    for (const stem of STEMS)
      loaded.set(stem, await audio.load(H.wavPath(stem), { sr: 22050, offset: 0.5, duration: 2.5, resType: 'kaiser_best' }));
  });
  after(() => worst.print());

  it('fixtures are present (12 stems with arrays and WAVs)', () => {
    assert.strictEqual(STEMS.length, 12);
    for (const s of STEMS) assert.ok(H.array(s, 'y'), `${s}: y`);
  });

  describe('load + resample (resampy kaiser_best) = librosa.load(sr=22050, offset=0.5, duration=2.5)', () => {
    for (const stem of STEMS) {
      it(stem, () => {
        const ref = H.array(stem, 'y')!.data;
        const { y, sr } = ours(stem);
        assert.strictEqual(sr, 22050);
        assert.strictEqual(y.length, ref.length);
        assert.ok(y instanceof Float32Array);
        check('y (load+resample)', stem, y, ref);
        // the float32 accumulation of resampy is reproduced: bit-identical here
        worst.add('y samples not bit-identical (fraction)', 1 - H.exactFraction(y, ref), 1, stem);
      });
    }
  });

  describe('resample: cached weight plan = the direct resampy loop (bit for bit)', () => {
    for (const sr0 of [48000, 16000, 24414, 44100]) {
      it(`${sr0} -> 22050`, () => {
        const stem = STEMS.find((s) => s.endsWith(`_${sr0}hz`))!; // one stem per rate
        const x = audio.readPcmFile(H.wavPath(stem), { offset: 0.5, duration: 2.5 }).y;
        const a = audio.resample(x, sr0, 22050);
        const b = audio.resample(x, sr0, 22050, { direct: true });
        assert.strictEqual(a.length, b.length);
        // and the interleaved direct loop = resampy's one-output-at-a-time loop on a short span
        const xs = x.subarray(0, 3001);
        const c = audio.resample(xs, sr0, 22050, { direct: true, fix: false });
        const d = audio.resampleReference(xs, sr0, 22050);
        assert.strictEqual(H.exactFraction(c, d), 1, 'interleaved direct loop differs from the reference loop');
        assert.strictEqual(H.exactFraction(a, b), 1, 'weight-plan and direct paths differ');
      });
    }
    it('a ratio without a plan (pitch_shift 22959.83 -> 22050) runs the direct loop, bit for bit', () => {
      const x = H.array(STEMS[0], 'y')!.data.subarray(0, 6000);
      const sr0 = 22959.83046339248;
      const a = audio.resample(x, sr0, 22050, { fix: false });
      const b = audio.resampleReference(x, sr0, 22050);
      assert.strictEqual(a.length, b.length);
      assert.strictEqual(H.exactFraction(a, b), 1);
    });
    it('float64 input stays float64 and agrees with float32 to float32 rounding', () => {
      const stem = STEMS[0];
      const x = audio.readPcmFile(H.wavPath(stem), { offset: 0.5, duration: 2.5 }).y;
      const sr0 = idx.stems[stem].sr_native;
      const a = audio.resample(Float64Array.from(x), sr0, 22050);
      assert.ok(a instanceof Float64Array);
      const b = audio.resample(x, sr0, 22050);
      assert.ok(H.relErr(a, b) < 1e-6);
    });
    it('kaiser_fast runs and is close to kaiser_best', () => {
      const stem = STEMS.find((s) => s.endsWith('_48000hz'))!;
      const x = audio.readPcmFile(H.wavPath(stem), { offset: 0.5, duration: 2.5 }).y;
      const a = audio.resample(x, 48000, 22050, { filter: 'kaiser_fast' });
      const b = audio.resample(x, 48000, 22050);
      assert.strictEqual(a.length, b.length);
      assert.ok(H.relErr(a, b) < 0.05, `kaiser_fast vs best ${H.relErr(a, b)}`);
    });
    it('output length: ceil(n * sr_new / sr_orig) (librosa fix_length), same rate = copy', () => {
      const x = new Float32Array(1001).map((_, i) => Math.sin(i / 7));
      assert.strictEqual(audio.resample(x, 44100, 22050).length, Math.ceil(1001 * 0.5));
      assert.strictEqual(audio.resample(x, 16000, 22050).length, Math.ceil((1001 * 22050) / 16000));
      const c = audio.resample(x, 22050, 22050);
      assert.notStrictEqual(c, x);
      assert.deepStrictEqual(Array.from(c), Array.from(x));
    });
  });

  it('mel filter bank = librosa.filters.mel(sr=22050, n_fft=2048)', () => {
    const ref = H.array('_common', 'mel_fb')!;
    const fb = dsp.mel(22050, 2048);
    assert.deepStrictEqual([fb.rows, fb.cols], ref.shape);
    check('mel filter bank', '_common', fb.data, ref.data);
  });

  describe('|STFT| (n_fft 2048, hop 512, hann, center, pad constant)', () => {
    for (const stem of STEMS.filter((s) => idx.stems[s].arrays.S_mag)) {
      it(stem, () => {
        const ref = H.array(stem, 'S_mag')!;
        const { S } = ours(stem);
        assert.deepStrictEqual([S.rows, S.cols], ref.shape);
        check('|stft|', stem, S.data, ref.data);
      });
    }
  });

  describe('features from y', () => {
    for (const stem of STEMS) {
      it(stem, () => {
        const { y, sr, S } = ours(stem);
        const st = idx.stems[stem];
        const mel = features.melspectrogram({ y, sr });
        const melRef = H.array(stem, 'melspectrogram')!;
        assert.deepStrictEqual([mel.rows, mel.cols], melRef.shape);
        check('melspectrogram', stem, mel.data, melRef.data);

        const mf = features.mfcc({ y, sr, nMfcc: 20 });
        const mfRef = H.array(stem, 'mfcc')!;
        assert.deepStrictEqual([mf.rows, mf.cols], mfRef.shape);
        check('mfcc', stem, mf.data, mfRef.data);

        const tuning = features.estimateTuning({ S, sr });
        worst.add('chroma tuning |diff| (exact: 0)', Math.abs(tuning - st.tuning_chroma_stft), 0, stem);
        assert.strictEqual(tuning, st.tuning_chroma_stft, `${stem}: tuning ${tuning} != ${st.tuning_chroma_stft}`);
        const fb = dsp.chroma(sr, 2048, { tuning });
        check('chroma filter bank', stem, fb.data, H.array(stem, 'chroma_fb')!.data);
        const ch = features.chromaStft({ S, sr });
        assert.strictEqual(ch.tuning, tuning);
        const chRef = H.array(stem, 'chroma_stft')!;
        assert.deepStrictEqual([ch.rows, ch.cols], chRef.shape);
        check('chroma_stft', stem, ch.data, chRef.data);

        const sc = features.spectralContrast({ S, sr });
        const scRef = H.array(stem, 'spectral_contrast')!;
        assert.deepStrictEqual([sc.rows, sc.cols], scRef.shape);
        assert.ok(sc.data instanceof Float64Array);
        const T = sc.cols;
        for (let b = 0; b < 7; b++) {
          const lim = b === 6 ? LIMIT_CONTRAST6 : LIMIT;
          const name = b === 6 ? 'spectral_contrast band 6' : 'spectral_contrast bands 0-5';
          const err = H.relErr(sc.data.subarray(b * T, (b + 1) * T), scRef.data.subarray(b * T, (b + 1) * T));
          worst.add(name, err, lim, stem);
          assert.ok(err <= lim, `${stem} contrast band ${b}: ${err}`);
        }
      });
    }
  });
});
