/**
 * Spectral features, as librosa.feature (0.10.2): melspectrogram, mfcc, chroma_stft,
 * spectral_contrast. Matrices are rows = bins, cols = frames (librosa's layout), in the
 * precision librosa returns (float32 for float32 audio; spectral_contrast float64).
 */
import type { Matrix } from '../dsp/matrix';
import { stft, magnitude, type StftOptions } from '../dsp/stft';
import { mel as melFilter, chroma as chromaFilter, type MelOptions } from '../dsp/filters';
import { powerToDb, fftFrequencies } from '../dsp/convert';
import { estimateTuning } from './tuning';
import { dspWasm } from '../dsp/wasm';

export interface SpectrogramInput extends Omit<StftOptions, 'dtype'> {
  y?: Float32Array | Float64Array;
  S?: Matrix;
  sr?: number;
}

/**
 * librosa.core.spectrum._spectrogram: S as given (n_fft inferred from its rows), or
 * |stft(y)|**power in the signal's precision.
 */
export function spectrogram(opts: SpectrogramInput, power = 1): { S: Matrix; nFft: number } {
  if (opts.S) {
    let nFft = opts.nFft ?? 2048;
    if (Math.floor(nFft / 2) + 1 !== opts.S.rows) nFft = 2 * (opts.S.rows - 1);
    return { S: opts.S, nFft };
  }
  if (!opts.y) throw new Error('either y or S must be given');
  const nFft = opts.nFft ?? 2048;
  const M = magnitude(stft(opts.y, { ...opts, nFft, hopLength: opts.hopLength ?? 512 }));
  if (power !== 1) {
    const d = M.data;
    if (power === 2) for (let i = 0; i < d.length; i++) d[i] = d[i] * d[i];
    else for (let i = 0; i < d.length; i++) d[i] = d[i] ** power;
  }
  return { S: M, nFft };
}

/** Column-compressed nonzeros of a filter bank: for each input bin f, the (row, weight) pairs. */
interface Csc {
  ptr: Int32Array;
  row: Int32Array;
  val: Float64Array;
}
const cscCache = new WeakMap<Matrix, Csc>();
function columnNonzeros(fb: Matrix): Csc {
  let c = cscCache.get(fb);
  if (c) return c;
  const { rows, cols, data } = fb;
  const ptr = new Int32Array(cols + 1);
  for (let f = 0; f < cols; f++) {
    let k = 0;
    for (let m = 0; m < rows; m++) if (data[m * cols + f] !== 0) k++;
    ptr[f + 1] = ptr[f] + k;
  }
  const row = new Int32Array(ptr[cols]),
    val = new Float64Array(ptr[cols]);
  for (let f = 0, p = 0; f < cols; f++) {
    for (let m = 0; m < rows; m++) {
      const v = data[m * cols + f];
      if (v !== 0) {
        row[p] = m;
        val[p++] = v;
      }
    }
  }
  c = { ptr, row, val };
  cscCache.set(fb, c);
  return c;
}

/** x * x element-wise in x's precision (one monomorphic loop per array type). */
export function squared(x: Float32Array | Float64Array): Float32Array | Float64Array {
  if (x instanceof Float32Array) {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
    return out;
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
  return out;
}

export interface ApplyFilterbankOptions {
  /**
   * apply the bank to S * S (in S's precision: the power spectrogram of a magnitude one, as
   * librosa's `S**2`) without making that matrix
   */
  square?: boolean;
}

/**
 * fb @ S (librosa's einsum 'mf,ft->mt'), accumulated in float64, stored in S's precision.
 * S is streamed once, row by row; only the nonzero filter weights are visited.
 */
export function applyFilterbank(fb: Matrix, S: Matrix, opts: ApplyFilterbankOptions = {}): Matrix {
  if (fb.cols !== S.rows) throw new Error(`filter bank has ${fb.cols} columns, spectrogram ${S.rows} rows`);
  const T = S.cols;
  const { ptr, row, val } = columnNonzeros(fb);
  const w = S.data instanceof Float32Array ? dspWasm() : null;
  if (w) {
    // the loop below in the wasm kernels (wasm/dsp.ts filterbank32), float32 S
    const nAcc = fb.rows * T;
    const pp = w.scratch('fb.ptr', ptr.byteLength),
      rp = w.scratch('fb.row', row.byteLength),
      vp = w.scratch('fb.val', val.byteLength);
    const sp = w.scratch('fb.S', 4 * S.rows * T),
      ap = w.scratch('fb.acc', 8 * nAcc);
    w.i32(pp, ptr.length).set(ptr);
    w.i32(rp, row.length).set(row);
    w.f64(vp, val.length).set(val);
    w.f32(sp, S.rows * T).set(S.data);
    w.f64(ap, nAcc).fill(0);
    w.exports.filterbank32(pp, rp, vp, fb.cols, sp, T, ap, opts.square ? 1 : 0);
    return { rows: fb.rows, cols: T, data: Float32Array.from(w.f64(ap, nAcc)) };
  }
  const acc = new Float64Array(fb.rows * T);
  const s = opts.square ? squared(S.data) : S.data;
  for (let f = 0; f < fb.cols; f++) {
    const o = f * T;
    const end = ptr[f + 1];
    let p = ptr[f];
    // four filter rows per pass share each load of S (3x faster than one row at a time);
    // every output still sums over f in increasing order
    for (; p + 3 < end; p += 4) {
      const w0 = val[p],
        w1 = val[p + 1],
        w2 = val[p + 2],
        w3 = val[p + 3];
      const a0 = row[p] * T,
        a1 = row[p + 1] * T,
        a2 = row[p + 2] * T,
        a3 = row[p + 3] * T;
      for (let t = 0; t < T; t++) {
        const v = s[o + t];
        acc[a0 + t] += w0 * v;
        acc[a1 + t] += w1 * v;
        acc[a2 + t] += w2 * v;
        acc[a3 + t] += w3 * v;
      }
    }
    for (; p < end; p++) {
      const wf = val[p];
      const a = row[p] * T;
      for (let t = 0; t < T; t++) acc[a + t] += wf * s[o + t];
    }
  }
  const out = S.data instanceof Float64Array ? acc : Float32Array.from(acc);
  return { rows: fb.rows, cols: T, data: out };
}

export interface MelspectrogramOptions extends SpectrogramInput, MelOptions {
  /** exponent of the magnitude (default 2: power) */
  power?: number;
}

/**
 * librosa.feature.melspectrogram(y=y | S=S, sr=22050, n_fft=2048, hop_length=512, power=2,
 * n_mels=128, fmin=0, fmax=sr/2, htk=False, norm='slaney'): mel filter bank applied to the
 * power spectrogram.
 */
export function melspectrogram(opts: MelspectrogramOptions): Matrix {
  const sr = opts.sr ?? 22050;
  const { S, nFft } = spectrogram(opts, opts.power ?? 2);
  const fb = melFilter(sr, nFft, opts);
  return applyFilterbank(fb, S);
}

const dctCache = new Map<string, Float64Array>();
/** DCT-II matrix [nOut x n], norm 'ortho' or none (scipy.fftpack.dct type 2). */
function dct2Matrix(n: number, nOut: number, ortho: boolean): Float64Array {
  const key = `${n}:${nOut}:${ortho}`;
  let m = dctCache.get(key);
  if (m) return m;
  m = new Float64Array(nOut * n);
  for (let k = 0; k < nOut; k++) {
    const scale = ortho ? (k === 0 ? Math.sqrt(1 / (4 * n)) : Math.sqrt(1 / (2 * n))) : 1;
    for (let i = 0; i < n; i++) m[k * n + i] = 2 * scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  dctCache.set(key, m);
  return m;
}

export interface MfccOptions extends Omit<MelspectrogramOptions, 'S' | 'norm'> {
  /** a log-power mel spectrogram (librosa's `S` for mfcc); computed from y when absent */
  S?: Matrix;
  /** alias of S */
  logMel?: Matrix;
  nMfcc?: number;
  /** only type 2 is supported */
  dctType?: 2;
  /** DCT normalisation: 'ortho' (default) or null (librosa's `norm`) */
  norm?: 'ortho' | null;
  /** mel filter normalisation for the mel spectrogram computed from y (default 'slaney') */
  melNorm?: 'slaney' | null;
  /** cepstral liftering coefficient (default 0: none) */
  lifter?: number;
}

/**
 * librosa.feature.mfcc(y=y | S=log-power mel, sr=22050, n_mfcc=20, dct_type=2, norm='ortho',
 * lifter=0, **mel kwargs): scipy.fftpack.dct(power_to_db(melspectrogram(y, sr)), type=2,
 * norm='ortho', axis=0)[:n_mfcc] (the DCT accumulated in float64, stored in the input precision).
 */
export function mfcc(opts: MfccOptions): Matrix {
  const nMfcc = opts.nMfcc ?? 20;
  if ((opts.dctType ?? 2) !== 2) throw new Error('only dct_type=2 is supported');
  const given = opts.S ?? opts.logMel;
  const L = given ?? powerToDb(melspectrogram({ ...opts, S: undefined, norm: opts.melNorm === undefined ? 'slaney' : opts.melNorm }));
  const n = L.rows,
    T = L.cols;
  const D = dct2Matrix(n, nMfcc, (opts.norm === undefined ? 'ortho' : opts.norm) === 'ortho');
  const out = L.data instanceof Float64Array ? new Float64Array(nMfcc * T) : new Float32Array(nMfcc * T);
  const acc = new Float64Array(T);
  const x = L.data;
  const w = x instanceof Float32Array ? dspWasm() : null;
  if (w) {
    // the loop below in the wasm kernels (wasm/dsp.ts denseRows32)
    const dp = w.scratch('mfcc.D', 8 * D.length),
      lp = w.scratch('mfcc.L', 4 * n * T),
      op = w.scratch('mfcc.out', 8 * nMfcc * T);
    w.f64(dp, D.length).set(D);
    w.f32(lp, n * T).set(x);
    w.exports.denseRows32(dp, nMfcc, n, lp, T, op);
    out.set(w.f64(op, nMfcc * T));
  } else
    for (let k = 0; k < nMfcc; k++) {
      acc.fill(0);
      for (let i = 0; i < n; i++) {
        const c = D[k * n + i];
        const o = i * T;
        for (let t = 0; t < T; t++) acc[t] += c * x[o + t];
      }
      out.set(acc, k * T);
    }
  const lifter = opts.lifter ?? 0;
  if (lifter > 0) {
    for (let k = 0; k < nMfcc; k++) {
      const lw = 1 + (lifter / 2) * Math.sin((Math.PI * (k + 1)) / lifter);
      for (let t = 0; t < T; t++) out[k * T + t] *= lw;
    }
  }
  return { rows: nMfcc, cols: T, data: out };
}

export interface ChromaStftOptions extends SpectrogramInput {
  /** tuning deviation in fractions of a bin; estimated with estimate_tuning(S=S) when absent */
  tuning?: number;
  nChroma?: number;
  /** per-frame norm (default Infinity: max); null disables */
  norm?: number | null;
}

/**
 * librosa.feature.chroma_stft(y=y | S=S, sr=22050, norm=inf, n_fft=2048, hop_length=512,
 * tuning=None, n_chroma=12). With S given (the recipe passes S = |stft|) S is used as is; from y
 * the power spectrogram is used. Returns the chromagram [n_chroma x frames] and the tuning used.
 */
export function chromaStft(opts: ChromaStftOptions): Matrix & { tuning: number } {
  const sr = opts.sr ?? 22050;
  const nChroma = opts.nChroma ?? 12;
  const { S, nFft } = spectrogram(opts, 2);
  const tuning = opts.tuning ?? estimateTuning({ S, sr, nFft, binsPerOctave: nChroma });
  const fb = chromaFilter(sr, nFft, { tuning, nChroma });
  const raw = applyFilterbank(fb, S);
  const norm = opts.norm === undefined ? Infinity : opts.norm;
  if (norm !== null) normalizeColumns(raw, norm);
  return { ...raw, tuning };
}

/**
 * librosa.util.normalize(S, norm, axis=0) in place: each column divided by its norm (computed
 * in float64); columns whose norm is below the dtype's tiny are left as they are.
 */
export function normalizeColumns(M: Matrix, norm: number): void {
  const { rows, cols, data } = M;
  const tiny = data instanceof Float32Array ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  for (let t = 0; t < cols; t++) {
    let len = 0;
    if (norm === Infinity) {
      for (let r = 0; r < rows; r++) len = Math.max(len, Math.abs(data[r * cols + t]));
    } else if (norm === 2) {
      for (let r = 0; r < rows; r++) len += data[r * cols + t] * data[r * cols + t];
      len = Math.sqrt(len);
    } else if (norm === 1) {
      for (let r = 0; r < rows; r++) len += Math.abs(data[r * cols + t]);
    } else {
      for (let r = 0; r < rows; r++) len += Math.abs(data[r * cols + t]) ** norm;
      len = len ** (1 / norm);
    }
    if (len < tiny) continue;
    for (let r = 0; r < rows; r++) data[r * cols + t] = data[r * cols + t] / len;
  }
}

export interface SpectralContrastOptions extends SpectrogramInput {
  fmin?: number;
  nBands?: number;
  quantile?: number;
  linear?: boolean;
  /** bin center frequencies (default fft_frequencies(sr, n_fft)) */
  freq?: Float64Array;
}

/**
 * librosa.feature.spectral_contrast(S=S | y=y, sr=22050, n_fft=2048, hop_length=512, fmin=200,
 * n_bands=6, quantile=0.02, linear=False): [n_bands + 1 x frames] float64,
 * power_to_db(peak) - power_to_db(valley) (each with top_db=80 over the whole matrix).
 * Peak/valley are float32 means of the sorted float32 sub-band values (numpy's mean of a
 * float32 array), stored in float64 as librosa does.
 */
export function spectralContrast(opts: SpectralContrastOptions): Matrix<Float64Array> {
  const sr = opts.sr ?? 22050;
  const fmin = opts.fmin ?? 200.0;
  const nBands = opts.nBands ?? 6;
  const quantile = opts.quantile ?? 0.02;
  const { S, nFft } = spectrogram(opts, 1);
  const freq = opts.freq ?? fftFrequencies(sr, nFft);
  if (freq.length !== S.rows) throw new Error(`freq has ${freq.length} entries, S has ${S.rows} rows`);
  if (!(quantile > 0 && quantile < 1)) throw new Error('quantile must lie in the range (0, 1)');
  if (!(fmin > 0)) throw new Error('fmin must be a positive number');
  const octa = new Float64Array(nBands + 2);
  for (let i = 1; i < nBands + 2; i++) octa[i] = fmin * 2.0 ** (i - 1);
  for (let i = 0; i < nBands + 1; i++) {
    if (octa[i] >= 0.5 * sr) throw new Error('Frequency band exceeds Nyquist. Reduce either fmin or n_bands.');
  }
  const T = S.cols;
  const f32 = S.data instanceof Float32Array;
  const valley = new Float64Array((nBands + 1) * T);
  const peak = new Float64Array((nBands + 1) * T);
  const nRows = S.rows;
  // the wasm kernels (wasm/dsp.ts contrastBand32) read S in place; the TypeScript loop reads
  // frames as contiguous rows (S is bins x frames)
  const w = S.data instanceof Float32Array ? dspWasm() : null;
  let sp = 0;
  if (w) {
    sp = w.scratch('contrast.S', 4 * nRows * T);
    w.f32(sp, nRows * T).set(S.data);
  }
  const ST = w ? null : f32 ? new Float32Array(nRows * T) : new Float64Array(nRows * T);
  if (ST) for (let i = 0; i < nRows; i++) for (let t = 0; t < T; t++) ST[t * nRows + i] = S.data[i * T + t];
  const band = new Uint8Array(nRows);
  for (let k = 0; k < nBands + 1; k++) {
    const fLow = octa[k],
      fHigh = octa[k + 1];
    band.fill(0);
    let first = -1,
      last = -1;
    for (let i = 0; i < nRows; i++) {
      if (freq[i] >= fLow && freq[i] <= fHigh) {
        band[i] = 1;
        if (first < 0) first = i;
        last = i;
      }
    }
    if (k > 0) band[first - 1 < 0 ? nRows + first - 1 : first - 1] = 1;
    if (k === nBands) for (let i = last + 1; i < nRows; i++) band[i] = 1;
    const rowsIn: number[] = [];
    let count = 0;
    for (let i = 0; i < nRows; i++)
      if (band[i]) {
        rowsIn.push(i);
        count++;
      }
    if (k < nBands) rowsIn.pop();
    let idx = roundHalfEven(quantile * count);
    idx = Math.max(idx, 1);
    const m = rowsIn.length;
    // the sub-band is a contiguous run of bins except possibly for numpy's wrap-around index -1
    const lo = rowsIn[0];
    const contiguous = rowsIn[m - 1] - lo === m - 1;
    if (idx > m) throw new Error('spectral_contrast: band narrower than its quantile');
    if (w) {
      const rp = w.scratch('contrast.rows', 4 * m),
        smp = w.scratch('contrast.small', 8 * idx),
        lgp = w.scratch('contrast.large', 8 * idx);
      const vp = w.scratch('contrast.valley', 8 * T),
        pp = w.scratch('contrast.peak', 8 * T);
      w.i32(rp, m).set(rowsIn);
      w.exports.contrastBand32(sp, T, rp, m, idx, smp, lgp, vp, pp);
      valley.set(w.f64(vp, T), k * T);
      peak.set(w.f64(pp, T), k * T);
      continue;
    }
    const sub = f32 ? new Float32Array(m) : new Float64Array(m);
    const small = new Float64Array(idx),
      large = new Float64Array(idx);
    const st = ST as Float32Array | Float64Array;
    for (let t = 0; t < T; t++) {
      const o = t * nRows;
      if (contiguous) for (let j = 0; j < m; j++) sub[j] = st[o + lo + j];
      else for (let j = 0; j < m; j++) sub[j] = st[o + rowsIn[j]];
      if (idx > m) throw new Error('spectral_contrast: band narrower than its quantile');
      selectExtremes(sub, m, idx, small, large);
      valley[k * T + t] = meanOf(small, 0, idx, f32);
      peak[k * T + t] = meanOf(large, 0, idx, f32);
    }
  }
  if (opts.linear) {
    const out = new Float64Array(peak.length);
    for (let i = 0; i < out.length; i++) out[i] = peak[i] - valley[i];
    return { rows: nBands + 1, cols: T, data: out };
  }
  const pd = powerToDb(peak),
    vd = powerToDb(valley);
  const out = new Float64Array(peak.length);
  for (let i = 0; i < out.length; i++) out[i] = pd[i] - vd[i];
  return { rows: nBands + 1, cols: T, data: out };
}

/**
 * The idx smallest and idx largest values of a[0..m), each in ascending order (what
 * np.sort(a)[:idx] and np.sort(a)[-idx:] hold), by insertion into two small sorted buffers.
 */
function selectExtremes(a: Float32Array | Float64Array, m: number, idx: number, small: Float64Array, large: Float64Array): void {
  let ns = 0,
    nl = 0;
  for (let j = 0; j < m; j++) {
    const v = a[j];
    // smallest idx, ascending
    if (ns < idx || v < small[ns - 1]) {
      let p = ns < idx ? ns++ : idx - 1;
      while (p > 0 && small[p - 1] > v) {
        small[p] = small[p - 1];
        p--;
      }
      small[p] = v;
    }
    // largest idx, ascending (large[0] is the smallest of them)
    if (nl < idx) {
      let p = nl++;
      while (p > 0 && large[p - 1] > v) {
        large[p] = large[p - 1];
        p--;
      }
      large[p] = v;
    } else if (v > large[0]) {
      let p = 0;
      while (p + 1 < idx && large[p + 1] < v) {
        large[p] = large[p + 1];
        p++;
      }
      large[p] = v;
    }
  }
}

/** np.rint: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * np.mean over a strided float32 axis: sequential float32 accumulation, then one float32
 * division (numpy reduces a non-contiguous axis element by element).
 */
function meanOf(a: Float32Array | Float64Array, lo: number, hi: number, f32: boolean): number {
  if (f32) {
    let s = 0;
    for (let i = lo; i < hi; i++) s = Math.fround(s + a[i]);
    return Math.fround(s / (hi - lo));
  }
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i];
  return s / (hi - lo);
}
