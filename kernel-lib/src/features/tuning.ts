/**
 * Pitch tracking on thresholded parabolically-interpolated STFT peaks and tuning estimation,
 * as librosa.piptrack / librosa.pitch_tuning / librosa.estimate_tuning (librosa 0.10.2).
 *
 * The tuning is a histogram peak over 0.01-semitone bins, so an error of one float32 ulp in a
 * peak frequency can in principle move a count from one bin to the next: the float32 arithmetic
 * of librosa is reproduced step by step (np.gradient and the products in float32, numba's
 * parabolic-interpolation stencil in float64 from float32 inputs, the frequency products in
 * float64 and stored as float32, the residuals in float32, the histogram edges in float64).
 */
import type { Matrix } from '../dsp/matrix';
import { stftMagnitude } from '../dsp/stft';
import { fftFrequencies } from '../dsp/convert';
import { dspWasm } from '../dsp/wasm';

export interface PiptrackOptions {
  /** magnitude spectrogram [1 + nFft/2 x frames]; computed from y as |stft(y)| when absent */
  S?: Matrix;
  y?: Float32Array | Float64Array;
  sr?: number;
  /** padding of the STFT of y (librosa piptrack's pad_mode, default 'constant') */
  padMode?: 'constant' | 'reflect';
  nFft?: number;
  hopLength?: number;
  fmin?: number;
  fmax?: number;
  threshold?: number;
}

export interface PiptrackResult {
  /** instantaneous frequencies (Hz) at the detected peaks, 0 elsewhere */
  pitches: Matrix;
  /** interpolated magnitudes at the peaks, 0 elsewhere */
  mags: Matrix;
}

function spectrogramFrom(opts: {
  S?: Matrix;
  y?: Float32Array | Float64Array;
  nFft?: number;
  hopLength?: number;
  padMode?: 'constant' | 'reflect';
}): { S: Matrix; nFft: number } {
  if (opts.S) {
    const rows = opts.S.rows;
    let nFft = opts.nFft ?? 2048;
    if (Math.floor(nFft / 2) + 1 !== rows) nFft = 2 * (rows - 1);
    return { S: opts.S, nFft };
  }
  if (!opts.y) throw new Error('either y or S must be given');
  const nFft = opts.nFft ?? 2048;
  return {
    S: stftMagnitude(opts.y, { nFft, hopLength: opts.hopLength ?? Math.floor(nFft / 4), padMode: opts.padMode ?? 'constant' }),
    nFft,
  };
}

/**
 * librosa.piptrack(S=S | y=y, sr, n_fft=2048, fmin=150, fmax=4000, threshold=0.1, ref=np.max).
 * Output has S's precision (float32 for float32 S).
 */
export function piptrack(opts: PiptrackOptions): PiptrackResult {
  const pk = piptrackPeaks(opts);
  const n = pk.rows * pk.cols;
  const pitches = pk.pitch instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  const mags = pk.pitch instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let j = 0; j < pk.count; j++) {
    pitches[pk.index[j]] = pk.pitch[j];
    mags[pk.index[j]] = pk.mag[j];
  }
  return { pitches: { rows: pk.rows, cols: pk.cols, data: pitches }, mags: { rows: pk.rows, cols: pk.cols, data: mags } };
}

/** The nonzero entries of piptrack's output: flat index (row-major), pitch and magnitude. */
interface Peaks {
  rows: number;
  cols: number;
  count: number;
  index: Int32Array;
  pitch: Float32Array | Float64Array;
  mag: Float32Array | Float64Array;
}

function piptrackPeaks(opts: PiptrackOptions): Peaks {
  const sr = opts.sr ?? 22050;
  const { S, nFft } = spectrogramFrom(opts);
  const fmin = Math.max(opts.fmin ?? 150.0, 0);
  const fmax = Math.min(opts.fmax ?? 4000.0, sr / 2);
  const threshold = opts.threshold ?? 0.1;
  const rows = S.rows,
    cols = S.cols;
  const f32 = S.data instanceof Float32Array;
  const fr = f32 ? Math.fround : (v: number) => v;
  const x = S.data;
  const w = f32 ? dspWasm() : null;
  if (w) {
    // the loops below in the wasm kernels (wasm/dsp.ts piptrack32); the rows inside
    // [fmin, fmax) are one range (the bin frequencies increase)
    const fq = fftFrequencies(sr, nFft);
    let k0 = rows,
      k1 = 0;
    for (let k = 1; k < rows; k++)
      if (fq[k] >= fmin && fq[k] < fmax) {
        k0 = Math.min(k0, k);
        k1 = k + 1;
      }
    const n = rows * cols,
      m = Math.max(0, (k1 - k0) * cols);
    const xp = w.scratch('pip.x', 4 * n),
      rp = w.scratch('pip.ref', 8 * cols);
    const ip = w.scratch('pip.index', 4 * m),
      pp = w.scratch('pip.pitch', 4 * m),
      mp = w.scratch('pip.mag', 4 * m);
    w.f32(xp, n).set(x);
    const count = k1 > k0 ? w.exports.piptrack32(xp, rows, cols, k0, k1, Math.fround(threshold), sr, nFft, rp, ip, pp, mp) : 0;
    return { rows, cols, count, index: w.i32(ip, count).slice(), pitch: w.f32(pp, count).slice(), mag: w.f32(mp, count).slice() };
  }
  let cap = 1024,
    count = 0;
  let index = new Int32Array(cap);
  let pitches: Float32Array | Float64Array = f32 ? new Float32Array(cap) : new Float64Array(cap);
  let mags: Float32Array | Float64Array = f32 ? new Float32Array(cap) : new Float64Array(cap);
  const freqs = fftFrequencies(sr, nFft);
  const thr = fr(threshold);
  // per-frame threshold: threshold * max over frequency (float32 product for float32 S)
  const ref = new Float64Array(cols).fill(-Infinity);
  for (let k = 0; k < rows; k++) {
    const o = k * cols;
    for (let t = 0; t < cols; t++) {
      const v = Math.abs(x[o + t]);
      if (v > ref[t]) ref[t] = v;
    }
  }
  for (let t = 0; t < cols; t++) ref[t] = fr(thr * ref[t]);
  const msk = (k: number, t: number): number => {
    const v = Math.abs(x[k * cols + t]);
    return v > ref[t] ? v : 0;
  };
  for (let k = 1; k < rows; k++) {
    if (!(freqs[k] >= fmin && freqs[k] < fmax)) continue;
    const o = k * cols,
      op = o - cols,
      on = o + cols;
    const lastRow = k === rows - 1;
    for (let t = 0; t < cols; t++) {
      // util.localmax along frequency of S * (S > ref): x[k] > x[k-1] and x[k] >= x[k+1]; last: x[-1] > x[-2]
      const c = Math.abs(x[o + t]);
      if (!(c > ref[t])) continue; // a zero (masked) value is never a strict local max
      const mp = msk(k - 1, t);
      if (!(c > mp)) continue;
      if (!lastRow && !(c >= msk(k + 1, t))) continue;
      // parabolic interpolation (numba stencil: float32 sums, float64 from `2 * x[0]` and `/ 2`)
      const prev = Math.abs(x[op + t]);
      let shift = 0;
      let avg: number;
      if (!lastRow) {
        const next = Math.abs(x[on + t]);
        const a = fr(next + prev) - 2 * c;
        const b = fr(next - prev) / 2;
        shift = Math.abs(b) >= Math.abs(a) ? 0 : fr(-b / a);
        avg = fr(next - prev) / 2; // np.gradient, interior
      } else {
        avg = fr(c - prev); // np.gradient, last edge (shift is 0 there)
      }
      const dskew = fr(fr(0.5 * avg) * shift);
      if (count === cap) {
        cap *= 2;
        const i2 = new Int32Array(cap);
        i2.set(index);
        index = i2;
        const p2 = f32 ? new Float32Array(cap) : new Float64Array(cap);
        p2.set(pitches);
        pitches = p2;
        const m2 = f32 ? new Float32Array(cap) : new Float64Array(cap);
        m2.set(mags);
        mags = m2;
      }
      index[count] = o + t;
      pitches[count] = ((k + shift) * sr) / nFft;
      mags[count] = fr(c + dskew);
      count++;
    }
  }
  return { rows, cols, count, index, pitch: pitches.subarray(0, count), mag: mags.subarray(0, count) };
}

// ---------------------------------------------------------------------------------------------
// float32 log2 as numpy computes it on the reference machine

/**
 * The polynomial tables of Intel SVML's `__svml_log2f16` (AVX-512, "LA" accuracy), which numpy
 * (1.22+) calls for np.log2 on float32 arrays when the CPU has AVX512_SKX: four coefficients per
 * 1/16 interval of the mantissa, as float32 bit patterns (numpy's vendored SVML,
 * svml_z0_log2_s_la.s, `__svml_slog2_data_internal_avx512`).
 */
const SVML_LOG2F_TABLES = [
  [
    3198647882, 3196759613, 3194486322, 3192115638, 3190203785, 3188646043, 3187058849, 3184933705, 3210235473, 3208544417, 3207107312,
    3205878647, 3204822309, 3203370544, 3201784975, 3200401796,
  ],
  [
    1056280844, 1055933857, 1055381630, 1054718852, 1054004959, 1053277138, 1052558383, 1051862550, 1049572249, 1051796030, 1053416266,
    1054571017, 1055365658, 1055881163, 1056180132, 1056311220,
  ],
  [
    3208161588, 3208150502, 3208115952, 3208053899, 3207964810, 3207851268, 3207716694, 3207564674, 3208734740, 3208490840, 3208338440,
    3208247850, 3208197907, 3208173537, 3208164045, 3208161890,
  ],
  [
    1069066811, 1069066688, 1069065960, 1069064014, 1069060299, 1069054385, 1069045976, 1069034896, 1069049182, 1069058106, 1069062890,
    1069065263, 1069066312, 1069066697, 1069066799, 1069066811,
  ],
];
const u32 = new Uint32Array(1);
const f32v = new Float32Array(u32.buffer);
const LOG2_T = SVML_LOG2F_TABLES.map((t) =>
  Float64Array.from(t, (b) => {
    u32[0] = b;
    return f32v[0];
  }),
);

/** float32 fused multiply-add a*b + c (a, b, c float32 values), correctly rounded once. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 x 24 bits
  const s = p + c;
  // exact error of the double sum (TwoSum)
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  const r = Math.fround(s);
  if (e === 0 || r === s) return r;
  // s itself is not a float32; it can only be misrounded when it sits exactly halfway between
  // two float32 values: then the true sum lies on the side of e
  const other = Math.fround(s + (s - r));
  if (s - r !== other - s) return r; // not a midpoint
  const up = r > other ? r : other,
    down = r > other ? other : r;
  return e > 0 ? up : down;
}

/**
 * np.log2 on a float32 value as numpy computes it with AVX-512 (SVML `__svml_log2f16`):
 * log2(x) = e + log2(m), m = getmant(x) in [0.75, 1.5), log2(m) a cubic-times-(m-1) polynomial
 * per 1/16 interval, evaluated with float32 fused multiply-adds. It differs from a correctly
 * rounded log2f by an ulp for some inputs; the reference tunings (a histogram of float32
 * log2 residuals) were made with it. Non-positive, subnormal and non-finite inputs use Math.log2.
 */
export function log2f(x: number): number {
  if (!(x >= 1.1754943508222875e-38) || x === Infinity) return Math.fround(Math.log2(x));
  f32v[0] = x;
  const bits = u32[0];
  let e = ((bits >>> 23) & 0xff) - 127;
  let mb = (bits & 0x7fffff) | 0x3f800000; // 1.f in [1, 2)
  if (mb & 0x400000) {
    mb = (mb & 0x7fffff) | (126 << 23);
    e += 1;
  } // 1.f >= 1.5: m = 1.f / 2
  u32[0] = mb;
  const m = f32v[0];
  const idx = (mb >>> 19) & 15;
  const r = m - 1; // exact
  let p = fmaf(r, LOG2_T[0][idx], LOG2_T[1][idx]);
  p = fmaf(r, p, LOG2_T[2][idx]);
  p = fmaf(r, p, LOG2_T[3][idx]);
  return fmaf(r, p, e);
}

export interface PitchTuningOptions {
  resolution?: number;
  binsPerOctave?: number;
}

/**
 * librosa.pitch_tuning(frequencies, resolution=0.01, bins_per_octave=12): the histogram peak of
 * the deviations (in fractions of a bin) from the equal-tempered A440 grid. Frequencies are
 * taken in float32 arithmetic when given as a Float32Array (as librosa receives them).
 */
export function pitchTuning(frequencies: ArrayLike<number>, opts: PitchTuningOptions = {}): number {
  const resolution = opts.resolution ?? 0.01;
  const bpo = opts.binsPerOctave ?? 12;
  const f32 = frequencies instanceof Float32Array;
  const fr = f32 ? Math.fround : (v: number) => v;
  const resAll = new Float64Array(frequencies.length);
  let nr = 0;
  const a440 = 440.0 * 2.0 ** (0 / bpo);
  const base = a440 / 16;
  for (let i = 0; i < frequencies.length; i++) {
    const f = frequencies[i];
    if (!(f > 0)) continue;
    // hz_to_octs in the array's precision, then bpo * octs, mod 1
    const octs = f32 ? log2f(fr(f / base)) : Math.log2(f / base);
    const v = fr(bpo * octs);
    let r = v % 1.0;
    if (r !== 0 && r < 0) r += 1.0;
    r = fr(r);
    if (r >= 0.5) r = fr(r - 1.0);
    resAll[nr++] = r;
  }
  if (nr === 0) return 0.0;
  const res = resAll.subarray(0, nr).sort();
  // np.histogram(residual, linspace(-0.5, 0.5, ceil(1/resolution) + 1)): [e_i, e_i+1), last closed
  const nEdges = Math.ceil(1.0 / resolution) + 1;
  const edges = new Float64Array(nEdges);
  {
    const step = (0.5 - -0.5) / (nEdges - 1);
    for (let i = 0; i < nEdges; i++) edges[i] = i * step + -0.5;
    edges[nEdges - 1] = 0.5;
  }
  const counts = new Float64Array(nEdges - 1);
  // cumulative counts via binary search, as numpy does
  const lower = (v: number, right: boolean): number => {
    let lo = 0,
      hi = res.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (right ? res[mid] <= v : res[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const cum = new Float64Array(nEdges);
  for (let i = 0; i < nEdges - 1; i++) cum[i] = lower(edges[i], false);
  cum[nEdges - 1] = lower(edges[nEdges - 1], true);
  let best = 0;
  for (let i = 0; i < nEdges - 1; i++) {
    counts[i] = cum[i + 1] - cum[i];
    if (counts[i] > counts[best]) best = i;
  }
  return edges[best];
}

export interface EstimateTuningOptions extends PiptrackOptions, PitchTuningOptions {}

/** np.median of float32 (or float64) values: the middle value, or the dtype-rounded mean of the two middle values. */
function median(values: Float32Array | Float64Array): number {
  const n = values.length;
  const s = values.slice().sort();
  if (n % 2 === 1) return s[(n - 1) >> 1];
  const a = s[n / 2 - 1],
    b = s[n / 2];
  if (values instanceof Float32Array) return Math.fround(Math.fround(a + b) / 2);
  return (a + b) / 2;
}

/**
 * librosa.estimate_tuning(y=y | S=S, sr, n_fft=2048, resolution=0.01, bins_per_octave=12):
 * piptrack, keep the peaks whose magnitude is at least the median peak magnitude, pitch_tuning.
 * Returns the tuning deviation in fractions of a bin, a multiple of `resolution` in [-0.5, 0.5).
 */
export function estimateTuning(opts: EstimateTuningOptions): number {
  const { pitch: p, mag: m, count } = piptrackPeaks(opts);
  const f32 = p instanceof Float32Array;
  // pitch > 0 at every detected peak (k >= 1, |shift| < 1); keep the test as librosa does
  let np = 0;
  for (let i = 0; i < count; i++) if (p[i] > 0) np++;
  let threshold = 0.0;
  if (np > 0) {
    const mv = f32 ? new Float32Array(np) : new Float64Array(np);
    for (let i = 0, j = 0; i < count; i++) if (p[i] > 0) mv[j++] = m[i];
    threshold = median(mv);
  }
  let ns = 0;
  for (let i = 0; i < count; i++) if (p[i] > 0 && m[i] >= threshold) ns++;
  const freqs = f32 ? new Float32Array(ns) : new Float64Array(ns);
  for (let i = 0, j = 0; i < count; i++) if (p[i] > 0 && m[i] >= threshold) freqs[j++] = p[i];
  return pitchTuning(freqs, { resolution: opts.resolution, binsPerOctave: opts.binsPerOctave });
}
