// Unit tests of the DSP core (kernel-lib/src/dsp): FFTs against a naive DFT, windows and unit
// conversions against scipy/librosa values, STFT/ISTFT round trips, dB conversion.
import assert from 'node:assert';
import { dsp, features } from 'kernel-lib/internal';

function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse: boolean): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n),
    outIm = new Float64Array(n);
  const sg = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0,
      si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sg * 2 * Math.PI * ((k * j) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    outRe[k] = inverse ? sr / n : sr;
    outIm[k] = inverse ? si / n : si;
  }
  return { re: outRe, im: outIm };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5;
}

describe('dsp: FFT', () => {
  for (const n of [1, 2, 4, 8, 16, 32, 64, 128, 512, 1024]) {
    it(`complex FFT n=${n} = naive DFT (forward and inverse)`, () => {
      const r = rng(n);
      const re = new Float64Array(n).map(r),
        im = new Float64Array(n).map(r);
      for (const inverse of [false, true]) {
        const ref = naiveDft(re, im, inverse);
        const out = dsp.fft(re, im, inverse);
        assert.ok(maxAbsDiff(out.re, ref.re) < 1e-10 * n && maxAbsDiff(out.im, ref.im) < 1e-10 * n);
      }
    });
  }
  it('rejects sizes that are not powers of two', () => {
    assert.throws(() => dsp.fftPlan(12), /power of two/);
  });
  for (const n of [2, 4, 16, 256, 2048]) {
    it(`rfft/irfft n=${n}: = naive DFT, round trip`, () => {
      const r = rng(7 * n);
      const x = new Float64Array(n).map(r);
      const X = dsp.rfft(x, n);
      const ref = naiveDft(x, new Float64Array(n), false);
      assert.strictEqual(X.re.length, n / 2 + 1);
      assert.ok(maxAbsDiff(X.re, ref.re.subarray(0, n / 2 + 1)) < 1e-10 * n);
      assert.ok(maxAbsDiff(X.im, ref.im.subarray(0, n / 2 + 1)) < 1e-10 * n);
      const back = dsp.irfft(X.re, X.im, n);
      assert.ok(maxAbsDiff(back, x) < 1e-13 * n);
    });
  }
  it('rfft matches numpy.fft.rfft values', () => {
    const x = new Float64Array(16).map((_, i) => i * 0.37 - Math.cos(i));
    const X = dsp.rfft(x);
    const re = [43.68467200293615, -3.6230363736944557, -3.2126433265742715];
    const im = [0.0, 13.904375981251839, 2.9966801959119533];
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(X.re[k] - re[k]) < 1e-13 && Math.abs(X.im[k] - im[k]) < 1e-13);
    }
  });
  it('irfft ignores the imaginary parts of the DC and Nyquist bins (as numpy)', () => {
    const re = [1, 2, 3, 4, 5],
      im = [9, 1, -1, 2, 7];
    const a = dsp.irfft(re, im, 8);
    const b = dsp.irfft(re, [0, 1, -1, 2, 0], 8);
    assert.ok(maxAbsDiff(a, b) === 0);
  });
});

describe('dsp: windows and conversions', () => {
  it('hann(8, periodic) = scipy.signal.get_window("hann", 8)', () => {
    const ref = [0.0, 0.14644660940672627, 0.5, 0.8535533905932737, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627];
    assert.ok(maxAbsDiff(dsp.hann(8), ref) < 1e-16);
    const sym = dsp.hann(5, false);
    assert.ok(maxAbsDiff(sym, [0, 0.5, 1, 0.5, 0]) < 1e-16);
  });
  it('padCenter / fixLength', () => {
    assert.deepStrictEqual(Array.from(dsp.padCenter(new Float64Array([1, 2]), 5)), [0, 1, 2, 0, 0]);
    assert.deepStrictEqual(Array.from(dsp.fixLength(new Float32Array([1, 2, 3]), 2)), [1, 2]);
    assert.deepStrictEqual(Array.from(dsp.fixLength(new Float32Array([1, 2]), 3)), [1, 2, 0]);
  });
  it('fft_frequencies = numpy.fft.rfftfreq(2048, 1/22050)', () => {
    const f = dsp.fftFrequencies(22050, 2048);
    assert.strictEqual(f.length, 1025);
    assert.strictEqual(f[1], 10.7666015625);
    assert.strictEqual(f[1000], 10766.6015625);
  });
  it('mel / Hz / MIDI / notes', () => {
    assert.ok(Math.abs(dsp.hzToMel(1000) - 15) < 1e-12);
    assert.ok(Math.abs(dsp.melToHz(dsp.hzToMel(4321)) - 4321) < 1e-9);
    assert.ok(Math.abs(dsp.hzToMel(440, true) - 549.6386753811499) < 1e-9);
    assert.ok(Math.abs(dsp.hzToMidi(440) - 69) < 1e-12);
    assert.ok(Math.abs(dsp.noteToHz('C1') - 32.70319566257483) < 1e-12);
    assert.strictEqual(dsp.noteToMidi('A4'), 69);
    assert.strictEqual(dsp.noteToMidi('C#4'), 61);
    assert.strictEqual(dsp.noteToMidi('Bb3'), 58);
  });
  it('power_to_db: float32 data, ref max, amin, top_db', () => {
    const S = new Float32Array([1, 10, 100, 1e-12, 0]);
    const db = dsp.powerToDb(S);
    assert.ok(db instanceof Float32Array);
    assert.deepStrictEqual(
      Array.from(db).map((v) => Math.round(v * 1e4) / 1e4),
      [0, 10, 20, -60, -60],
    );
    const dbm = dsp.powerToDb(S, { ref: 'max', topDb: null });
    assert.deepStrictEqual(
      Array.from(dbm).map((v) => Math.round(v * 1e4) / 1e4),
      [-20, -10, 0, -120, -120],
    );
    const amp = dsp.amplitudeToDb(new Float64Array([1, 10]), { topDb: null });
    assert.ok(Math.abs(amp[1] - 20) < 1e-12);
  });
});

describe('dsp: STFT / ISTFT', () => {
  const sr = 22050;
  const y = new Float32Array(10000).map((_, i) => Math.fround(0.5 * Math.sin((2 * Math.PI * 440 * i) / sr) + 0.1 * Math.sin(i * 0.013)));
  it('frame count, shape and dtype (librosa: 1 + len // hop when centered)', () => {
    const D = dsp.stft(y);
    assert.strictEqual(D.rows, 1025);
    assert.strictEqual(D.cols, 1 + Math.floor(10000 / 512));
    assert.ok(D.re instanceof Float32Array);
    const D64 = dsp.stft(Float64Array.from(y));
    assert.ok(D64.re instanceof Float64Array);
    const Dn = dsp.stft(y, { center: false });
    assert.strictEqual(Dn.cols, 1 + Math.floor((10000 - 2048) / 512));
    const Dr = dsp.stft(y, { padMode: 'reflect' });
    assert.strictEqual(Dr.cols, D.cols);
  });
  it('a pure tone peaks at its bin', () => {
    const M = dsp.magnitude(dsp.stft(y));
    const t = 10;
    let best = 0;
    for (let k = 0; k < M.rows; k++) if (M.data[k * M.cols + t] > M.data[best * M.cols + t]) best = k;
    assert.strictEqual(best, Math.round((440 * 2048) / sr));
  });
  it('istft(stft(y), length) reconstructs y (float32 and float64)', () => {
    const back = dsp.istft(dsp.stft(y), { length: y.length });
    assert.ok(back instanceof Float32Array);
    assert.strictEqual(back.length, y.length);
    assert.ok(maxAbsDiff(back, y) < 1e-5, `float32 round trip ${maxAbsDiff(back, y)}`);
    const y64 = Float64Array.from(y);
    const back64 = dsp.istft(dsp.stft(y64), { length: y.length });
    assert.ok(back64 instanceof Float64Array);
    assert.ok(maxAbsDiff(back64, y64) < 1e-12);
    const noLen = dsp.istft(dsp.stft(y64));
    assert.strictEqual(noLen.length, 512 * Math.floor(10000 / 512));
  });
  it('window_sumsquare matches the hann overlap envelope', () => {
    const w = dsp.windowSumSquare('hann', 10, 512, 2048, 2048, 'float64');
    assert.strictEqual(w.length, 2048 + 512 * 9);
    // in the fully overlapped middle, 4 periodic-hann squares sum to 1.5
    assert.ok(Math.abs(w[2048] - 1.5) < 1e-12);
  });
  it('stftShared: the same result object for the same signal and framing, a fresh stft otherwise', () => {
    const y = Float32Array.from({ length: 9000 }, (_, i) => Math.fround(Math.sin(i * 0.05)));
    const a = dsp.stftShared(y, { nFft: 2048, hopLength: 512 });
    assert.strictEqual(dsp.stftShared(y, { nFft: 2048, hopLength: 512, padMode: 'constant' }), a);
    const plain = dsp.stft(y, { nFft: 2048, hopLength: 512 });
    assert.deepStrictEqual([a.rows, a.cols, Buffer.from(a.re.buffer).equals(Buffer.from(plain.re.buffer))], [plain.rows, plain.cols, true]);
    assert.notStrictEqual(dsp.stftShared(y, { nFft: 2048, hopLength: 512, padMode: 'reflect' }), a);
    assert.notStrictEqual(dsp.stftShared(Float32Array.from(y), { nFft: 2048, hopLength: 512 }), a);
    assert.notStrictEqual(dsp.stftShared(y, { nFft: 1024, hopLength: 512 }), a);
  });
  it("istft's cached window_sumsquare (long envelope + tail) has windowSumSquare's bits for any frame count", () => {
    const cases: [string, number, number, number, 'float32' | 'float64'][] = [
      ['hann', 512, 2048, 2048, 'float32'],
      ['hann', 512, 2048, 2048, 'float64'],
      ['hann', 300, 1000, 1000, 'float32'],
      ['hann', 256, 800, 1024, 'float32'],
    ];
    for (const [win, hop, wl, nFft, dt] of cases) {
      // growing and shrinking frame counts, beyond the first long envelope (256 frames) too
      for (const n of [1, 2, 3, 4, 5, 7, 108, 113, 135, 109, 1, 255, 256, 257, 600, 300, 2]) {
        const want = dsp.windowSumSquare(win as 'hann', n, hop, wl, nFft, dt);
        const got = dsp.cachedWindowSumSquare(win as 'hann', n, hop, wl, nFft, dt);
        assert.strictEqual(got.constructor, want.constructor);
        assert.strictEqual(got.length, want.length, `${win} ${hop} ${nFft} ${n}: length`);
        for (let i = 0; i < want.length; i++) {
          if (!Object.is(got[i], want[i])) assert.fail(`${hop}/${wl}/${nFft} ${dt}, ${n} frames: sample ${i} ${got[i]} != ${want[i]}`);
        }
      }
    }
  });
});

describe('features: tuning helpers', () => {
  it('pitch_tuning of exact A440 multiples is 0; of a sharp tone is its deviation', () => {
    // the histogram bin [0, 0.01) is reported by its left edge (a float64 linspace value)
    assert.ok(Math.abs(features.pitchTuning([440, 880, 220, 261.6255653005986])) < 1e-15);
    const dev = 0.235;
    const f = 440 * 2 ** (dev / 12);
    const t = features.pitchTuning(new Float64Array([f, 2 * f, 440 * 2 ** ((7 + dev) / 12)]));
    assert.ok(Math.abs(t - dev) < 0.011, `tuning ${t}`);
    assert.strictEqual(features.pitchTuning([]), 0);
  });
  it('estimate_tuning finds the deviation of a detuned harmonic tone', () => {
    const sr = 22050;
    const dev = -0.2;
    const f0 = 220 * 2 ** (dev / 12);
    const y = new Float32Array(sr).map((_, i) =>
      Math.fround(Math.sin((2 * Math.PI * f0 * i) / sr) + 0.5 * Math.sin((4 * Math.PI * f0 * i) / sr)),
    );
    const t = features.estimateTuning({ y, sr });
    assert.ok(Math.abs(t - dev) <= 0.06, `tuning ${t}`);
  });
  it('spectral_contrast rejects bands above Nyquist', () => {
    const S = { rows: 1025, cols: 2, data: new Float32Array(2050).fill(1) };
    assert.throws(() => features.spectralContrast({ S, sr: 8000, nBands: 6 }), /Nyquist/);
  });
});
