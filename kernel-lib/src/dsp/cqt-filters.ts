/**
 * Constant-Q / wavelet filter construction as librosa 0.10.2 builds it for `librosa.cqt` and
 * `librosa.vqt`:
 *
 * - `intervalFrequencies` = `librosa.interval_frequencies(n_bins, fmin=fmin, intervals='equal')`
 *   (what vqt uses for its centre frequencies),
 * - `relativeBandwidth` = `librosa.filters._relative_bandwidth`,
 * - `waveletLengths` = `librosa.filters.wavelet_lengths`,
 * - `wavelet` = `librosa.filters.wavelet` (complex64 output, as librosa's default dtype),
 * - `sparsifyRows` = `librosa.util.sparsify_rows`,
 * - `vqtFilterFft` = `librosa.core.constantq.__vqt_filter_fft` (FFT of the padded basis,
 *   re-normalised by lengths / n_fft, non-negative frequencies, sparsified, complex64).
 *
 * The float32 roundings librosa performs (complex64 basis, complex64 sparse FFT basis) are
 * reproduced with `Math.fround`; everything else is computed in float64 as numpy does.
 */
import { fftInPlace } from './fft';
import { hypot, pairwiseSum } from './matrix';
import { type DspWasm, dspWasm } from './wasm';
import { hann } from './window';
import { hzToMidi, noteToHz } from './convert';

/** `librosa.filters.WINDOW_BANDWIDTHS` entries for the windows supported here. */
export const WINDOW_BANDWIDTHS: Record<string, number> = {
  hann: 1.50018310546875,
  ones: 1.0,
  boxcar: 1.0,
  rect: 1.0,
};

export type CqtWindow = 'hann' | 'ones' | 'boxcar' | 'rect';

/**
 * scipy.signal.get_window(window, n, fftbins=True) for the windows the CQT supports
 * ('hann' is dsp/window's periodic Hann; the returned array may be shared: read only).
 */
export function cqtWindow(window: CqtWindow, n: number): Float64Array {
  if (window === 'hann') return hann(n, true);
  if (window === 'ones' || window === 'boxcar' || window === 'rect') {
    return new Float64Array(n).fill(1);
  }
  throw new Error(`cqt: unsupported window '${window}' (supported: hann, ones)`);
}

/**
 * `librosa.interval_frequencies(n_bins, fmin=fmin, intervals='equal', bins_per_octave, sort=True)`:
 * `(2**octave * 2**(k / bins_per_octave)) * fmin`.
 */
export function intervalFrequencies(nBins: number, fmin: number, binsPerOctave: number): Float64Array {
  const ratios = new Float64Array(binsPerOctave);
  for (let k = 0; k < binsPerOctave; k++) ratios[k] = Math.pow(2.0, k / binsPerOctave);
  const out = new Float64Array(nBins);
  for (let i = 0; i < nBins; i++) {
    const o = Math.floor(i / binsPerOctave);
    out[i] = Math.pow(2.0, o) * ratios[i % binsPerOctave] * fmin;
  }
  // already ascending (sort=True is a no-op for 'equal')
  return out;
}

/** `librosa.filters._relative_bandwidth(freqs=freqs)` (needs >= 2 frequencies). */
export function relativeBandwidth(freqs: ArrayLike<number>): Float64Array {
  const n = freqs.length;
  if (n <= 1) throw new Error('relativeBandwidth: 2 or more frequencies are required');
  const logf = new Float64Array(n);
  for (let i = 0; i < n; i++) logf[i] = Math.log2(freqs[i]);
  const bpo = new Float64Array(n);
  bpo[0] = 1 / (logf[1] - logf[0]);
  bpo[n - 1] = 1 / (logf[n - 1] - logf[n - 2]);
  for (let i = 1; i < n - 1; i++) bpo[i] = 2 / (logf[i + 1] - logf[i - 1]);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.pow(2.0, 2 / bpo[i]);
    alpha[i] = (p - 1) / (p + 1);
  }
  return alpha;
}

/** `alpha` for a single-bin transform: `__et_relative_bw(bins_per_octave)`. */
export function etRelativeBandwidth(binsPerOctave: number): number {
  const r = Math.pow(2, 1 / binsPerOctave);
  return (r * r - 1) / (r * r + 1);
}

export interface WaveletLengthsOptions {
  freqs: ArrayLike<number>;
  sr: number;
  window?: CqtWindow;
  filterScale?: number;
  /** bandwidth offset (VQT); 0 = constant-Q */
  gamma?: number;
  /** relative bandwidths (one per frequency); derived from freqs when omitted */
  alpha?: ArrayLike<number>;
}

/** `librosa.filters.wavelet_lengths`: fractional filter lengths and the cut-off frequency. */
export function waveletLengths(opts: WaveletLengthsOptions): { lengths: Float64Array; cutoff: number } {
  const { freqs, sr } = opts;
  const filterScale = opts.filterScale ?? 1;
  const gamma = opts.gamma ?? 0;
  const bw = WINDOW_BANDWIDTHS[opts.window ?? 'hann'];
  if (bw === undefined) throw new Error(`waveletLengths: unsupported window '${opts.window}'`);
  if (!(filterScale > 0)) throw new Error(`filter_scale=${filterScale} must be positive`);
  if (gamma < 0) throw new Error(`gamma=${gamma} must be non-negative`);
  const n = freqs.length;
  for (let i = 0; i < n; i++) {
    if (!(freqs[i] > 0)) throw new Error('frequencies must be strictly positive');
    if (i > 0 && freqs[i - 1] > freqs[i]) throw new Error('frequencies must be in ascending order');
  }
  const alpha = opts.alpha ?? relativeBandwidth(freqs);
  const lengths = new Float64Array(n);
  let cutoff = -Infinity;
  for (let i = 0; i < n; i++) {
    const Q = filterScale / alpha[i];
    const c = freqs[i] * (1 + (0.5 * bw) / Q) + 0.5 * gamma;
    if (c > cutoff) cutoff = c;
    lengths[i] = (Q * sr) / (freqs[i] + gamma / alpha[i]);
  }
  return { lengths, cutoff };
}

/** A dense complex basis, row-major `nFilters x size`, complex64 values stored as float32. */
export interface ComplexBasis {
  nFilters: number;
  size: number;
  re: Float32Array;
  im: Float32Array;
}

export interface WaveletOptions extends WaveletLengthsOptions {
  /** basis normalisation: 1 (L1, librosa's cqt default), 2, Infinity or null (none) */
  norm?: number | null;
  /** pad every filter (centred) to the next power of two of the longest one (default true) */
  padFft?: boolean;
}

/**
 * `librosa.filters.wavelet(freqs=..., sr=..., window, filter_scale, pad_fft, norm, gamma, alpha)`:
 * windowed complex sinusoids, normalised, centre-padded, complex64.
 */
export function wavelet(opts: WaveletOptions): { basis: ComplexBasis; lengths: Float64Array } {
  const { freqs, sr } = opts;
  const window = opts.window ?? 'hann';
  const norm = opts.norm === undefined ? 1 : opts.norm;
  const { lengths } = waveletLengths(opts);
  let maxLen = -Infinity;
  for (let i = 0; i < lengths.length; i++) if (lengths[i] > maxLen) maxLen = lengths[i];
  const size = opts.padFft === false ? Math.ceil(maxLen) : Math.pow(2, Math.ceil(Math.log2(maxLen)));
  const nF = freqs.length;
  const re = new Float32Array(nF * size);
  const im = new Float32Array(nF * size);
  for (let k = 0; k < nF; k++) {
    const ilen = lengths[k];
    const freq = freqs[k];
    // np.arange(-ilen // 2, ilen // 2, dtype=float)
    const start = Math.floor(-ilen / 2);
    const stop = Math.floor(ilen / 2);
    const n = stop - start;
    const win = cqtWindow(window, n); // __float_window: n is an integer here
    const sr_ = new Float64Array(n);
    const si_ = new Float64Array(n);
    const mag = new Float64Array(n);
    // cos/sin of ang(j) = (((j * 2) * pi) * freq) / sr for j = start .. stop - 1; ang(-j) is
    // exactly -ang(j) and Math.cos / Math.sin are exactly even / odd, so each |j| is evaluated
    // once (the trigonometric calls are most of a basis' cost)
    const cj = new Float64Array(Math.max(-start, stop) + 1),
      sj = new Float64Array(cj.length);
    for (let j = 0; j < cj.length; j++) {
      const ang = (j * 2 * Math.PI * freq) / sr;
      cj[j] = Math.cos(ang);
      sj[j] = Math.sin(ang);
    }
    for (let i = 0; i < n; i++) {
      const j = start + i;
      const c = j < 0 ? cj[-j] : cj[j];
      const si = j < 0 ? -sj[-j] : sj[j];
      sr_[i] = c * win[i];
      si_[i] = si * win[i];
      mag[i] = hypot(sr_[i], si_[i]);
    }
    let scale = 1;
    if (norm !== null) {
      let length: number;
      if (norm === Infinity) {
        length = 0;
        for (let i = 0; i < n; i++) if (mag[i] > length) length = mag[i];
      } else if (norm === 1) {
        length = pairwiseSum(mag);
      } else if (norm > 0) {
        const p = new Float64Array(n);
        for (let i = 0; i < n; i++) p[i] = Math.pow(mag[i], norm);
        length = Math.pow(pairwiseSum(p), 1.0 / norm);
      } else {
        throw new Error(`wavelet: unsupported norm ${norm}`);
      }
      if (length < 2.2250738585072014e-308) length = 1.0;
      scale = length;
    }
    // numpy divides complex by (length + 0j): multiplication by the reciprocal
    const scl = 1.0 / scale;
    const lpad = Math.floor((size - n) / 2);
    const o = k * size + lpad;
    for (let i = 0; i < n; i++) {
      re[o + i] = sr_[i] * scl;
      im[o + i] = si_[i] * scl;
    }
  }
  return { basis: { nFilters: nF, size, re, im }, lengths };
}

/**
 * A row-sparse complex matrix (CSR): values complex64 (Float32Array parts) or complex128
 * (Float64Array parts). Rows = filters, columns = FFT bins.
 */
export interface SparseComplex {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  re: Float32Array | Float64Array;
  im: Float32Array | Float64Array;
}

/**
 * sparsifyRows' per-row test: the magnitudes of row r and the one below which entries are
 * dropped: mag_sort[argmin(cumsum(mag_sort / norm) < quantile)], norm = numpy's pairwise sum.
 */
type RowThreshold = (r: number) => { thr: number; mags: Float64Array };

function rowThreshold(re: Float64Array, im: Float64Array, cols: number, quantile: number): RowThreshold {
  const mags = new Float64Array(cols);
  const sorted = new Float64Array(cols);
  return (r) => {
    const o = r * cols;
    for (let c = 0; c < cols; c++) mags[c] = hypot(re[o + c], im[o + c]);
    const norm = pairwiseSum(mags);
    sorted.set(mags);
    sorted.sort();
    let j = 0;
    let cum = 0;
    for (let c = 0; c < cols; c++) {
      cum += sorted[c] / norm;
      if (!(cum < quantile)) {
        j = c;
        break;
      }
    }
    return { thr: sorted[j], mags };
  };
}

/** rowThreshold in the wasm kernels (wasm/dsp.ts sparsifyThreshold: the same magnitudes, sum, sort and test). */
function wasmRowThreshold(w: DspWasm, re: Float64Array, im: Float64Array, cols: number, quantile: number): RowThreshold {
  const rp = w.scratch('sparsify.re', 8 * cols),
    ip = w.scratch('sparsify.im', 8 * cols),
    mp = w.scratch('sparsify.mags', 8 * cols);
  const sp = w.scratch('sparsify.sorted', 8 * cols),
    tp = w.scratch('sparsify.tmp', 8 * cols),
    cp = w.scratch('sparsify.cnt', 1024);
  return (r) => {
    w.f64(rp, cols).set(re.subarray(r * cols, (r + 1) * cols));
    w.f64(ip, cols).set(im.subarray(r * cols, (r + 1) * cols));
    const thr = w.exports.sparsifyThreshold(rp, ip, cols, quantile, mp, sp, tp, cp);
    return { thr, mags: w.f64(mp, cols) };
  };
}

/**
 * `librosa.util.sparsify_rows(x, quantile, dtype)` on a dense complex float64 matrix: per row,
 * drop the smallest-magnitude entries whose magnitudes add up to less than `quantile` of the
 * row's L1 norm; keep the rest, as complex64 (default) or complex128.
 */
export function sparsifyRows(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  cols: number,
  quantile: number,
  dtype: 'complex64' | 'complex128' = 'complex64',
): SparseComplex {
  const keep: number[][] = [];
  let nnz = 0;
  const w = dspWasm();
  const threshold = w ? wasmRowThreshold(w, re, im, cols, quantile) : rowThreshold(re, im, cols, quantile);
  for (let r = 0; r < rows; r++) {
    const { thr, mags } = threshold(r);
    const idx: number[] = [];
    for (let c = 0; c < cols; c++) if (mags[c] >= thr) idx.push(c);
    keep.push(idx);
    nnz += idx.length;
  }
  const rowPtr = new Int32Array(rows + 1);
  const colIdx = new Int32Array(nnz);
  const vre = dtype === 'complex64' ? new Float32Array(nnz) : new Float64Array(nnz);
  const vim = dtype === 'complex64' ? new Float32Array(nnz) : new Float64Array(nnz);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = p;
    for (const c of keep[r]) {
      colIdx[p] = c;
      vre[p] = re[r * cols + c];
      vim[p] = im[r * cols + c];
      p++;
    }
  }
  rowPtr[rows] = p;
  return { rows, cols, rowPtr, colIdx, re: vre, im: vim };
}

export interface VqtFilterFftOptions {
  sr: number;
  freqs: ArrayLike<number>;
  filterScale?: number;
  norm?: number | null;
  sparsity?: number;
  /** when given, n_fft is at least 2 ** (1 + ceil(log2(hopLength))) (pseudo-CQT) */
  hopLength?: number | null;
  window?: CqtWindow;
  gamma?: number;
  alpha?: ArrayLike<number>;
  /** dtype of the sparse basis: complex64 (default, for float32 audio) or complex128 */
  dtype?: 'complex64' | 'complex128';
}

/**
 * `librosa.core.constantq.__vqt_filter_fft`: returns the sparse frequency-domain basis
 * (rows = filters, cols = n_fft/2 + 1), n_fft and the filter lengths.
 */
export function vqtFilterFft(opts: VqtFilterFftOptions): { fftBasis: SparseComplex; nFft: number; lengths: Float64Array } {
  const { basis, lengths } = wavelet({
    freqs: opts.freqs,
    sr: opts.sr,
    filterScale: opts.filterScale ?? 1,
    norm: opts.norm === undefined ? 1 : opts.norm,
    padFft: true,
    window: opts.window ?? 'hann',
    gamma: opts.gamma ?? 0,
    alpha: opts.alpha,
  });
  let nFft = basis.size;
  const hop = opts.hopLength;
  if (hop !== undefined && hop !== null && nFft < Math.pow(2.0, 1 + Math.ceil(Math.log2(hop)))) {
    nFft = Math.pow(2, 1 + Math.ceil(Math.log2(hop)));
  }
  const nF = basis.nFilters;
  const half = (nFft >> 1) + 1;
  const dre = new Float64Array(nF * half);
  const dim = new Float64Array(nF * half);
  const bre = new Float64Array(nFft);
  const bim = new Float64Array(nFft);
  for (let k = 0; k < nF; k++) {
    // basis *= lengths / n_fft, in complex64 (numpy in-place on the complex64 array)
    const s = lengths[k] / nFft;
    bre.fill(0);
    bim.fill(0);
    const o = k * basis.size;
    for (let i = 0; i < basis.size; i++) {
      bre[i] = Math.fround(basis.re[o + i] * s);
      bim[i] = Math.fround(basis.im[o + i] * s);
    }
    fftInPlace(bre, bim);
    for (let i = 0; i < half; i++) {
      dre[k * half + i] = bre[i];
      dim[k * half + i] = bim[i];
    }
  }
  const fftBasis = sparsifyRows(dre, dim, nF, half, opts.sparsity ?? 0.01, opts.dtype ?? 'complex64');
  return { fftBasis, nFft, lengths };
}

export interface CqToChromaOptions {
  /** bins per octave of the CQT (default 12) */
  binsPerOctave?: number;
  /** chroma bins (default 12) */
  nChroma?: number;
  /** centre frequency of the first CQT bin (default C1; the *untuned* C1, as librosa) */
  fmin?: number;
  /** start at C (default true) or at A */
  baseC?: boolean;
}

/**
 * `librosa.filters.cq_to_chroma(n_input, bins_per_octave, n_chroma, fmin, window=None,
 * base_c=True)` (float32): `chroma = M @ CQT`. Each chroma bin sums the `bins_per_octave /
 * n_chroma` CQT bins centred on it, in every octave. Returns `n_chroma x n_input`.
 */
export function cqToChroma(nInput: number, opts: CqToChromaOptions = {}): { rows: number; cols: number; data: Float32Array } {
  const bpo = opts.binsPerOctave ?? 12;
  const nChroma = opts.nChroma ?? 12;
  const fmin = opts.fmin ?? noteToHz('C1');
  const baseC = opts.baseC ?? true;
  const nMerge = bpo / nChroma;
  if (nMerge % 1 !== 0) throw new Error('Incompatible CQ merge: input bins must be an integer multiple of output bins.');
  // np.repeat(np.eye(n_chroma), n_merge, axis=1), rolled left by n_merge // 2
  const shift = Math.floor(nMerge / 2);
  const base = new Float32Array(nChroma * bpo);
  for (let i = 0; i < nChroma; i++) {
    for (let q = 0; q < nMerge; q++) {
      const col = i * nMerge + q; // position before the roll
      const j = (((col - shift) % bpo) + bpo) % bpo; // np.roll(-shift): new[:, j] = old[:, j + shift]
      base[i * bpo + j] = 1;
    }
  }
  // tile over octaves, trim to n_input
  // roll rows so that the first bin's pitch class lines up: midi_0 = mod(hz_to_midi(fmin), 12)
  const midi = hzToMidi(fmin);
  const midi0 = ((midi % 12) + 12) % 12;
  let roll = baseC ? midi0 : midi0 - 9;
  roll = Math.trunc(roundHalfEven(roll * (nChroma / 12.0)));
  const out = new Float32Array(nChroma * nInput);
  for (let i = 0; i < nChroma; i++) {
    const src = ((((i - roll) % nChroma) + nChroma) % nChroma) * bpo; // np.roll(roll, axis=0)
    for (let c = 0; c < nInput; c++) out[i * nInput + c] = base[src + (c % bpo)];
  }
  return { rows: nChroma, cols: nInput, data: out };
}

/** numpy's round (half to even). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
