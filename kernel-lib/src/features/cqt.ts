/**
 * Constant-Q and variable-Q transforms, as librosa 0.10.2 computes them
 * (`librosa.cqt` = `librosa.vqt(..., gamma=0)`; recursive octave sub-sampling, Schoerkhuber &
 * Klapuri 2010):
 *
 * 1. tuning: `estimate_tuning(y=y, sr=sr, bins_per_octave=bins_per_octave)` when `tuning` is
 *    null (librosa.cqt's own default is 0.0; chroma_cqt / tonnetz pass None, hence null here);
 *    fmin <- fmin * 2**(tuning / bins_per_octave);
 * 2. centre frequencies `interval_frequencies(n_bins, fmin, 'equal')`, relative bandwidths over
 *    all bins, `wavelet_lengths` -> filter_cutoff (must stay below Nyquist);
 * 3. early downsampling (`__early_downsample`): by 2**min(ceil(log2(nyquist / cutoff)) - 2,
 *    twos(hop) - n_octaves + 1) when positive, with `resample(orig_sr=factor, target_sr=1,
 *    res_type, scale=True)` (for the paper's 7 x 36 bins at 22050 Hz the count is 0);
 * 4. octave by octave from the top: the octave's sparse FFT basis (`__vqt_filter_fft` at the
 *    current rate, times sqrt(sr / my_sr) in complex64), the response `basis @ stft(my_y, n_fft,
 *    my_hop, window='ones', pad_mode)` (`__cqt_response`), then, while my_hop is even, halve hop
 *    and rate and `resample(my_y, orig_sr=2, target_sr=1, res_type, scale=True)`
 *    (resampy + fix_length to ceil(n/2), then divided by sqrt(1/2) in float32);
 * 5. `__trim_stack` (octaves stacked bottom-up, trimmed to the shortest frame count), and with
 *    scale=True division by sqrt(lengths) (lengths at the original rate).
 *
 * Float32 input gives complex64 output with librosa's complex64 roundings (basis, STFT, response);
 * the sparse products are accumulated in float64 and rounded once (librosa accumulates in
 * complex64: differences are at float32 rounding level).
 *
 * The octave filter bases are cached per parameter set, keyed by the exact tuning value
 * (estimate_tuning quantises it to a 0.01-bin grid, so at most 100 distinct bases occur per
 * parameter set); building one set takes a few tens of ms, applying it is the per-clip cost.
 */
import { type Matrix, hypot } from '../dsp/matrix';
import type { ComplexMatrix } from '../dsp/stft';
import { rfftPlan, type WasmForwardTables } from '../dsp/fft';
import { noteToHz } from '../dsp/convert';
import {
  type CqtWindow,
  type SparseComplex,
  intervalFrequencies,
  relativeBandwidth,
  etRelativeBandwidth,
  waveletLengths,
  vqtFilterFft,
} from '../dsp/cqt-filters';
import { resample, getResampyFilter, type ResampyFilter } from '../audio/resample';
import { estimateTuning } from './tuning';

/** librosa.note_to_hz('C1') = 440 * 2**((24 - 69) / 12) = 32.703... Hz */
export const C1_HZ = noteToHz('C1');

export interface VqtOptions {
  /** sampling rate of y (default 22050) */
  sr?: number;
  /** hop between frames (default 512) */
  hopLength?: number;
  /** lowest bin frequency before tuning (default C1 = 32.703 Hz) */
  fmin?: number;
  /** number of bins (default 84) */
  nBins?: number;
  /** bins per octave (default 12) */
  binsPerOctave?: number;
  /** tuning offset in fractions of a bin; null = estimate from y (default null) */
  tuning?: number | null;
  /** filter length scale (default 1) */
  filterScale?: number;
  /** basis normalisation (default 1) */
  norm?: number | null;
  /** fraction of each basis' energy that may be dropped (default 0.01) */
  sparsity?: number;
  /** basis window (default 'hann') */
  window?: CqtWindow;
  /** scale by 1/sqrt(filter length) (default true) */
  scale?: boolean;
  /** padding of the centred frames (default 'constant') */
  padMode?: 'constant' | 'reflect';
  /** resampler for the octave decimation (default 'kaiser_best': the fixtures' choice) */
  resType?: ResampyFilter;
  /** VQT bandwidth offset (0 = CQT) */
  gamma?: number;
  /**
   * Decimate the octaves with `audio.resample` (resampy's loop with its float32 accumulation,
   * bit for bit, as librosa does) rather than the FFT fast path `resampleHalf` (same taps, sums
   * rounded once). Default true: the fast path differs by float32 rounding only, but the lowest
   * octaves go through six decimations and chroma_cqt normalises every frame by its maximum, so
   * in quiet frames the difference grows to ~1e-3 of the chroma and moved the tonnetz means of
   * real RAVDESS clips by up to 3.2e-4 of the block (issue #15; 4e-7 with this path). It costs
   * ~5 ms per 2.5 s clip (measured 2026-12-05: CQT 8-10 ms -> 13-14 ms).
   */
  exactDecimation?: boolean;
}

export type CqtOptions = Omit<VqtOptions, 'gamma'>;

interface OctavePlan {
  /** sparse basis, already multiplied by sqrt(sr / my_sr) in complex64 */
  basis: SparseComplex;
  nFft: number;
  /** smallest and largest FFT column used by the basis */
  colMin: number;
  colMax: number;
}

interface VqtPlan {
  nBins: number;
  nOctaves: number;
  nFilters: number;
  sr: number; // rate after early downsampling
  hop: number; // hop after early downsampling
  downsampleFactor: number; // 1 when no early downsampling
  octaves: OctavePlan[];
  /** 1 / sqrt(lengths) (lengths at the post-early-downsampling rate), or null when scale=false */
  invSqrtLengths: Float64Array | null;
  freqs: Float64Array;
}

/**
 * Plans by parameters + exact tuning. estimate_tuning returns one of 100 values (0.01-bin grid in
 * [-0.5, 0.5)), so 128 entries hold every tuning of one parameter set (~50 kB each for the
 * paper's 7 x 36 bins); least recently used plans are dropped beyond that.
 */
const planCache = new Map<string, VqtPlan>();
const PLAN_CACHE_SIZE = 128;

function numTwoFactors(x: number): number {
  if (x <= 0) return 0;
  let n = 0;
  while (x % 2 === 0) {
    n++;
    x /= 2;
  }
  return n;
}

interface Resolved {
  sr: number;
  hop: number;
  fmin: number;
  nBins: number;
  bpo: number;
  tuning: number;
  filterScale: number;
  norm: number | null;
  sparsity: number;
  window: CqtWindow;
  scale: boolean;
  padMode: 'constant' | 'reflect';
  resType: ResampyFilter;
  gamma: number;
  exactDecimation: boolean;
  f32: boolean;
}

function buildPlan(o: Resolved): VqtPlan {
  const nOctaves = Math.ceil(o.nBins / o.bpo);
  const nFilters = Math.min(o.bpo, o.nBins);
  const fmin = o.fmin * Math.pow(2.0, o.tuning / o.bpo);
  const freqs = intervalFrequencies(o.nBins, fmin, o.bpo);
  const alpha = o.nBins === 1 ? new Float64Array([etRelativeBandwidth(o.bpo)]) : relativeBandwidth(freqs);
  const { cutoff } = waveletLengths({ freqs, sr: o.sr, window: o.window, filterScale: o.filterScale, gamma: o.gamma, alpha });
  const nyquist = o.sr / 2.0;
  if (cutoff > nyquist) {
    throw new Error(
      `Wavelet basis with max frequency=${freqs[freqs.length - 1]} would exceed the Nyquist frequency=${nyquist}. ` +
        'Try reducing the number of frequency bins.',
    );
  }
  // __early_downsample_count
  const count1 = Math.max(0, Math.trunc(Math.ceil(Math.log2(nyquist / cutoff)) - 1) - 1);
  const count2 = Math.max(0, numTwoFactors(o.hop) - nOctaves + 1);
  const count = Math.min(count1, count2);
  let sr = o.sr;
  let hop = o.hop;
  let factor = 1;
  if (count > 0) {
    factor = Math.pow(2, count);
    hop = Math.floor(hop / factor);
    sr = sr / factor;
  }
  const octaves: OctavePlan[] = [];
  let mySr = sr;
  let myHop = hop;
  for (let i = 0; i < nOctaves; i++) {
    const hi = o.nBins - nFilters * i;
    const lo = Math.max(0, o.nBins - nFilters * (i + 1));
    const { fftBasis, nFft } = vqtFilterFft({
      sr: mySr,
      freqs: freqs.subarray(lo, hi),
      filterScale: o.filterScale,
      norm: o.norm,
      sparsity: o.sparsity,
      window: o.window,
      gamma: o.gamma,
      alpha: alpha.subarray(lo, hi),
      dtype: o.f32 ? 'complex64' : 'complex128',
    });
    // fft_basis[:] *= np.sqrt(sr / my_sr): complex64 data times a float64 scalar (numpy casts
    // the scalar to float32 for a complex64 array)
    const s = Math.sqrt(sr / mySr);
    if (s !== 1) {
      const s32 = o.f32 ? Math.fround(s) : s;
      for (let j = 0; j < fftBasis.re.length; j++) {
        fftBasis.re[j] = fftBasis.re[j] * s32;
        fftBasis.im[j] = fftBasis.im[j] * s32;
      }
    }
    let colMin = Infinity;
    let colMax = -1;
    for (let j = 0; j < fftBasis.colIdx.length; j++) {
      const c = fftBasis.colIdx[j];
      if (c < colMin) colMin = c;
      if (c > colMax) colMax = c;
    }
    octaves.push({ basis: fftBasis, nFft, colMin: colMax < 0 ? 0 : colMin, colMax });
    if (myHop % 2 === 0) {
      myHop /= 2;
      mySr /= 2.0;
    } else {
      // librosa stops decimating; the remaining octaves use the same rate
    }
  }
  let invSqrtLengths: Float64Array | null = null;
  if (o.scale) {
    const { lengths } = waveletLengths({ freqs, sr, window: o.window, filterScale: o.filterScale, gamma: o.gamma, alpha });
    invSqrtLengths = new Float64Array(lengths.length);
    // V /= np.sqrt(lengths): numpy divides complex by (L + 0j) as a multiplication by 1/L
    for (let i = 0; i < lengths.length; i++) invSqrtLengths[i] = 1.0 / Math.sqrt(lengths[i]);
  }
  return { nBins: o.nBins, nOctaves, nFilters, sr, hop, downsampleFactor: factor, octaves, invSqrtLengths, freqs };
}

function getPlan(o: Resolved): VqtPlan {
  const key = JSON.stringify([
    o.sr,
    o.hop,
    o.fmin,
    o.nBins,
    o.bpo,
    o.tuning,
    o.filterScale,
    o.norm,
    o.sparsity,
    o.window,
    o.scale,
    o.gamma,
    o.f32,
  ]);
  let plan = planCache.get(key);
  if (plan) {
    planCache.delete(key);
    planCache.set(key, plan);
    return plan;
  }
  plan = buildPlan(o);
  if (planCache.size >= PLAN_CACHE_SIZE) planCache.delete(planCache.keys().next().value as string);
  planCache.set(key, plan);
  return plan;
}

/** Drop every cached filter basis (for memory-conscious callers and benchmarks). */
export function clearCqtCache(): void {
  planCache.clear();
}

function resolve(y: Float32Array | Float64Array, opts: VqtOptions): Resolved {
  const sr = opts.sr ?? 22050;
  const bpo = opts.binsPerOctave ?? 12;
  let tuning = opts.tuning === undefined ? null : opts.tuning;
  // librosa.cqt calls estimate_tuning(y=y, sr=sr, bins_per_octave=bins_per_octave) without its
  // pad_mode (constant); with padMode 'reflect' the estimate's STFT is reflect-padded too, as
  // librosa < 0.9 did by default (paper173's padMode variant)
  if (tuning === null) tuning = estimateTuning({ y, sr, binsPerOctave: bpo, padMode: opts.padMode ?? 'constant' });
  const hop = opts.hopLength ?? 512;
  if (!(Number.isInteger(hop) && hop > 0)) throw new Error(`cqt: hop_length=${hop} must be a positive integer`);
  return {
    sr,
    hop,
    fmin: opts.fmin ?? C1_HZ,
    nBins: opts.nBins ?? 84,
    bpo,
    tuning,
    filterScale: opts.filterScale ?? 1,
    norm: opts.norm === undefined ? 1 : opts.norm,
    sparsity: opts.sparsity ?? 0.01,
    window: opts.window ?? 'hann',
    scale: opts.scale ?? true,
    padMode: opts.padMode ?? 'constant',
    resType: opts.resType ?? 'kaiser_best',
    gamma: opts.gamma ?? 0,
    exactDecimation: opts.exactDecimation ?? true,
    f32: y instanceof Float32Array,
  };
}

/** resample(y, orig_sr=factor, target_sr=1, res_type, scale=True), in y's dtype. */
function decimate<T extends Float32Array | Float64Array>(y: T, factor: number, resType: ResampyFilter, exact = false): T {
  if (factor === 2 && !exact) return resampleHalf(y, resType);
  const out = resample(y, factor, 1, { filter: resType });
  // y_hat /= np.sqrt(ratio): float32 array / float64 scalar -> float32 arithmetic
  const f32 = out instanceof Float32Array;
  const d = Math.sqrt(1 / factor);
  const d32 = f32 ? Math.fround(d) : d;
  for (let i = 0; i < out.length; i++) out[i] = out[i] / d32;
  return out;
}

interface HalfbandPlan {
  /** taps h[|j|], j = -(left-1) .. right */
  h: Float64Array;
  left: number;
  right: number;
  /** FFT block size and the kernel's spectrum (with the output shift folded in) */
  n: number;
  gre: Float64Array;
  gim: Float64Array;
}

const halfbandPlans = new Map<ResampyFilter, HalfbandPlan>();
const HALFBAND_FFT = 4096;

/**
 * The taps resampy uses for sr 2 -> 1: the time register of output t is exactly 2t, so the
 * interpolation fraction is 0 on the left wing and 1/2 on the right wing, and the weight of
 * x[2t + j] is `0.5 * half_window[|j| * precision / 2]` (left: j = 0 .. -(left-1), right:
 * j = 1 .. right). kaiser_best: 199 symmetric taps.
 */
function halfbandPlan(resType: ResampyFilter): HalfbandPlan {
  let plan = halfbandPlans.get(resType);
  if (plan) return plan;
  const f = getResampyFilter(resType);
  const ratio = 0.5;
  const step = Math.trunc(ratio * f.precision);
  const nwin = f.win.length;
  const left = Math.floor(nwin / step);
  const right = Math.floor((nwin - step) / step);
  const h = new Float64Array(Math.max(left, right + 1));
  for (let j = 0; j < h.length; j++) h[j] = ratio * f.win[j * step];
  // circular correlation kernel g[j mod N] = weight of x[c + j]; a block read from input
  // offset s - M gives the output centred on c = s + i at circular index M + i, so the shift
  // by M (= left - 1) is folded into the kernel spectrum.
  const n = HALFBAND_FFT;
  const M = left - 1;
  const g = new Float64Array(n);
  g[0] = h[0];
  for (let j = 1; j < left; j++) g[n - j] = h[j]; // x[c - j]: correlation -> g[-j]
  for (let j = 1; j <= right; j++) g[j] = h[j];
  // correlation = convolution with the reversed kernel: conv kernel k[i] = g[-i]
  const k = new Float64Array(n);
  for (let i = 0; i < n; i++) k[i] = g[(n - i) % n];
  const gre = new Float64Array(n / 2 + 1);
  const gim = new Float64Array(n / 2 + 1);
  rfftPlan(n).forward(k, gre, gim, 0);
  for (let q = 0; q <= n / 2; q++) {
    // multiply by e^{+2 pi i q M / n}: result index i moves to i - M
    const ang = (2 * Math.PI * ((q * M) % n)) / n;
    const c = Math.cos(ang);
    const s = Math.sin(ang);
    const a = gre[q];
    const b = gim[q];
    gre[q] = a * c - b * s;
    gim[q] = a * s + b * c;
  }
  plan = { h, left, right, n, gre, gim };
  halfbandPlans.set(resType, plan);
  return plan;
}

/**
 * `librosa.resample(y, orig_sr=2, target_sr=1, res_type, scale=True)` (the CQT's octave
 * decimation), fast: resampy's own taps for this ratio (`halfbandPlan`) applied by FFT
 * overlap-save (blocks of 4096, decimated in the frequency domain); output length floor(n/2)
 * then fix_length to ceil(n/2) (a trailing zero for odd n), then divided by sqrt(1/2) in y's
 * precision. Samples beyond either end count as zeros, as resampy's truncated wings do.
 * Sums are exact to float64 rounding and rounded once; resampy accumulates in the output dtype
 * (float32 for float32 y), so results differ from `audio.resample` by float32 rounding only.
 */
export function resampleHalf<T extends Float32Array | Float64Array>(y: T, resType: ResampyFilter = 'kaiser_best'): T {
  const P = halfbandPlan(resType);
  const n = y.length;
  const nOut = Math.floor(n / 2);
  const f32 = y instanceof Float32Array;
  const out = (f32 ? new Float32Array(Math.ceil(n / 2)) : new Float64Array(Math.ceil(n / 2))) as T;
  const d = Math.sqrt(0.5);
  const d32 = f32 ? Math.fround(d) : d;
  const N = P.n;
  const M = P.left - 1;
  const valid = N - M - P.right; // full-rate outputs per block
  const vOut = valid >> 1; // decimated outputs per block (centres s, s+2, ...)
  const plan = rfftPlan(N);
  const iplan = rfftPlan(N / 2);
  const wf = plan.wasmForward,
    wi = iplan.wasmForward;
  if (wf && wi && nOut > 0) {
    // the block loop below in the wasm kernels (wasm/dsp.ts halfbandBlocks)
    const w = wf.w;
    const xp = w.scratch('half.x', 8 * n),
      gp = w.scratch('half.g', 16 * (N / 2 + 1));
    const dp = w.scratch('half.d', 16 * (N / 4 + 1)),
      op = w.scratch('half.out', (f32 ? 4 : 8) * out.length);
    w.f64(xp, n).set(y);
    w.f64(gp, N / 2 + 1).set(P.gre);
    w.f64(gp + 8 * (N / 2 + 1), N / 2 + 1).set(P.gim);
    w.exports.halfbandBlocks(
      xp,
      n,
      nOut,
      M,
      vOut,
      wf.z,
      wf.h,
      wf.rev,
      wf.odd,
      wf.tw,
      wf.spl,
      wf.oRe,
      wf.oIm,
      gp,
      gp + 8 * (N / 2 + 1),
      dp,
      dp + 8 * (N / 4 + 1),
      wi.z,
      wi.h,
      wi.rev,
      wi.odd,
      wi.twI,
      wi.splI,
      op,
      f32 ? 1 : 0,
      d32,
    );
    out.set((f32 ? w.f32(op, nOut) : w.f64(op, nOut)) as T);
    return out;
  }
  const re = new Float64Array(N / 2 + 1);
  const im = new Float64Array(N / 2 + 1);
  const dre = new Float64Array(N / 4 + 1);
  const dim = new Float64Array(N / 4 + 1);
  const tmp = new Float64Array(N / 2);
  const { gre, gim } = P;
  for (let t0 = 0; t0 < nOut; t0 += vOut) {
    plan.forward(y, re, im, 2 * t0 - M);
    // circular correlation, shifted so that index i is the output centred on 2*t0 + i
    for (let q = 0; q <= N / 2; q++) {
      const a = re[q];
      const b = im[q];
      re[q] = a * gre[q] - b * gim[q];
      im[q] = a * gim[q] + b * gre[q];
    }
    // keep the even indices: D[q] = (Z[q] + Z[q + N/2]) / 2, Z[q + N/2] = conj(Z[N/2 - q])
    for (let q = 0; q <= N / 4; q++) {
      const q2 = N / 2 - q;
      dre[q] = 0.5 * (re[q] + re[q2]);
      dim[q] = 0.5 * (im[q] - im[q2]);
    }
    iplan.inverse(dre, dim, tmp);
    const m = Math.min(vOut, nOut - t0);
    if (f32) for (let u = 0; u < m; u++) out[t0 + u] = Math.fround(tmp[u]) / d32;
    else for (let u = 0; u < m; u++) out[t0 + u] = tmp[u] / d32;
  }
  return out;
}

/**
 * `__cqt_response`: `basis @ stft(y, n_fft, hop, window='ones', pad_mode)`, written into rows
 * [row0, row0 + basis.rows) of the output (re/im, `outCols` columns, first `nFrames` frames).
 */
function octaveResponse(
  y: Float32Array | Float64Array,
  oct: OctavePlan,
  hop: number,
  padMode: 'constant' | 'reflect',
  f32: boolean,
): { re: Float64Array; im: Float64Array; frames: number } {
  const { basis, nFft } = oct;
  const p = nFft >> 1;
  let x: ArrayLike<number> = y;
  let start = -p;
  const n = y.length;
  if (padMode === 'reflect') {
    const xp = new Float64Array(n + 2 * p);
    for (let i = 0; i < xp.length; i++) {
      // numpy.pad 'reflect' (edge not repeated)
      let j = i - p;
      const period = 2 * (n - 1);
      if (n === 1) j = 0;
      else {
        j %= period;
        if (j < 0) j += period;
        if (j >= n) j = period - j;
      }
      xp[i] = y[j];
    }
    x = xp;
    start = 0;
  }
  const total = n + 2 * p;
  if (total < nFft) throw new Error(`cqt: input of length ${n} is too short for n_fft=${nFft}`);
  const frames = 1 + Math.floor((total - nFft) / hop);
  const rows = basis.rows;
  const plan = rfftPlan(nFft);
  const wt = plan.wasmForward;
  if (wt) return octaveResponseWasm(wt, x, start, hop, frames, oct, f32);
  const re = new Float64Array(rows * frames);
  const im = new Float64Array(rows * frames);
  const half = p + 1;
  const fr = new Float64Array(half);
  const fi = new Float64Array(half);
  const { rowPtr, colIdx, re: bre, im: bim } = basis;
  const c0 = oct.colMin;
  const c1 = oct.colMax;
  for (let t = 0; t < frames; t++) {
    plan.forwardRange(x, fr, fi, start + t * hop, c0, c1); // only the bins the basis reads
    if (f32) {
      // the STFT is stored as complex64
      for (let c = c0; c <= c1; c++) {
        fr[c] = Math.fround(fr[c]);
        fi[c] = Math.fround(fi[c]);
      }
    }
    for (let r = 0; r < rows; r++) {
      let sr = 0;
      let si = 0;
      for (let j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
        const c = colIdx[j];
        const ar = bre[j];
        const ai = bim[j];
        const xr = fr[c];
        const xi = fi[c];
        sr += ar * xr - ai * xi;
        si += ar * xi + ai * xr;
      }
      re[r * frames + t] = sr;
      im[r * frames + t] = si;
    }
  }
  return { re, im, frames };
}

/**
 * octaveResponse's frame loop in the wasm kernels (wasm/dsp.ts cqtResponse): the signal and
 * the basis are staged once per octave; the FFTs, float32 roundings and sparse products are
 * the same operations in the same order.
 */
function octaveResponseWasm(
  wt: WasmForwardTables,
  x: ArrayLike<number>,
  start: number,
  hop: number,
  frames: number,
  oct: OctavePlan,
  f32: boolean,
): { re: Float64Array; im: Float64Array; frames: number } {
  const { w } = wt;
  const { basis } = oct;
  const rows = basis.rows,
    nnz = basis.colIdx.length,
    len = x.length;
  const xp = w.scratch('cqt.x', 8 * len);
  const rp = w.scratch('cqt.rowPtr', 4 * (rows + 1));
  const cp = w.scratch('cqt.colIdx', 4 * nnz);
  const bp = w.scratch('cqt.basis', 32 * nnz);
  const xc = w.scratch('cqt.xc', 4 * 16 * (oct.colMax + 1)); // four frames' spectra (wasm/dsp.ts cqtResponse)
  const orp = w.scratch('cqt.outRe', 8 * rows * frames),
    oip = w.scratch('cqt.outIm', 8 * rows * frames);
  const xv = w.f64(xp, len);
  if (ArrayBuffer.isView(x)) xv.set(x as unknown as Float64Array);
  else for (let i = 0; i < len; i++) xv[i] = x[i];
  w.i32(rp, rows + 1).set(basis.rowPtr);
  w.i32(cp, nnz).set(basis.colIdx);
  const bv = w.f64(bp, 4 * nnz);
  for (let j = 0; j < nnz; j++) {
    const ar = basis.re[j],
      ai = basis.im[j];
    bv[4 * j] = ar;
    bv[4 * j + 1] = ar;
    bv[4 * j + 2] = -ai;
    bv[4 * j + 3] = ai;
  }
  w.exports.cqtResponse(
    xp,
    len,
    start,
    hop,
    frames,
    wt.z,
    wt.h,
    wt.rev,
    wt.odd,
    wt.tw,
    wt.spl,
    wt.oRe,
    wt.oIm,
    oct.colMin,
    oct.colMax,
    f32 ? 1 : 0,
    rows,
    rp,
    cp,
    bp,
    xc,
    orp,
    oip,
  );
  return { re: w.f64(orp, rows * frames).slice(), im: w.f64(oip, rows * frames).slice(), frames };
}

function vqtImpl(y: Float32Array | Float64Array, opts: VqtOptions): ComplexMatrix {
  const o = resolve(y, opts);
  const plan = getPlan(o);
  const f32 = o.f32;
  const rnd = f32 ? Math.fround : (v: number) => v;
  let myY: Float32Array | Float64Array = y;
  if (plan.downsampleFactor > 1) {
    if (y.length < plan.downsampleFactor) {
      throw new Error(`Input signal length=${y.length} is too short for ${plan.nOctaves}-octave CQT`);
    }
    myY = decimate(y, plan.downsampleFactor, o.resType, o.exactDecimation);
    if (!o.scale) {
      // y *= np.sqrt(downsample_factor): float32 array times a scalar -> float32 arithmetic
      const s = rnd(Math.sqrt(plan.downsampleFactor));
      for (let i = 0; i < myY.length; i++) myY[i] = rnd(myY[i] * s);
    }
  }
  let myHop = plan.hop;
  const responses: { re: Float64Array; im: Float64Array; frames: number; rows: number }[] = [];
  for (let i = 0; i < plan.nOctaves; i++) {
    const oct = plan.octaves[i];
    const r = octaveResponse(myY, oct, myHop, o.padMode, f32);
    responses.push({ ...r, rows: oct.basis.rows });
    if (myHop % 2 === 0) {
      myHop /= 2;
      // librosa decimates after every octave, the last one included; its result is unused
      if (i < plan.nOctaves - 1) myY = decimate(myY, 2, o.resType, o.exactDecimation);
    }
  }
  // __trim_stack
  let maxCol = Infinity;
  for (const r of responses) maxCol = Math.min(maxCol, r.frames);
  const nBins = plan.nBins;
  const re = f32 ? new Float32Array(nBins * maxCol) : new Float64Array(nBins * maxCol);
  const im = f32 ? new Float32Array(nBins * maxCol) : new Float64Array(nBins * maxCol);
  let end = nBins;
  const inv = plan.invSqrtLengths;
  for (const r of responses) {
    const nOct = r.rows;
    // rows of this octave that fit: all, or the highest `end`
    const take = Math.min(end, nOct);
    const srcRow0 = nOct - take;
    const dstRow0 = end - take;
    for (let k = 0; k < take; k++) {
      const src = (srcRow0 + k) * r.frames;
      const dstRow = dstRow0 + k;
      const dst = dstRow * maxCol;
      // response rounded to complex64, then (scale) times 1/sqrt(length), rounded again by
      // the store (times 1 without scaling: the same value)
      const s = inv ? inv[dstRow] : 1;
      const rr = r.re,
        ri = r.im;
      if (f32) {
        for (let t = 0; t < maxCol; t++) {
          re[dst + t] = Math.fround(rr[src + t]) * s;
          im[dst + t] = Math.fround(ri[src + t]) * s;
        }
      } else {
        for (let t = 0; t < maxCol; t++) {
          re[dst + t] = rr[src + t] * s;
          im[dst + t] = ri[src + t] * s;
        }
      }
    }
    end -= nOct;
    if (end <= 0) break;
  }
  return { rows: nBins, cols: maxCol, re, im };
}

/**
 * `librosa.vqt(y, sr=22050, hop_length=512, fmin=C1, n_bins=84, gamma=None->0 here,
 * bins_per_octave=12, tuning, filter_scale=1, norm=1, sparsity=0.01, window='hann', scale=True,
 * pad_mode='constant', res_type)`. Rows = bins (ascending frequency), cols = frames.
 * `gamma` defaults to 0 here (a plain CQT); librosa's ERB default (gamma=None) is not supported.
 */
export function vqt(y: Float32Array | Float64Array, opts: VqtOptions = {}): ComplexMatrix {
  return vqtImpl(y, opts);
}

/**
 * `librosa.cqt(y, sr, hop_length=512, fmin=C1, n_bins=84, bins_per_octave=12, tuning,
 * filter_scale=1, norm=1, sparsity=0.01, window='hann', scale=True, pad_mode='constant',
 * res_type)` (= vqt with gamma 0). Complex output (complex64 for float32 y).
 *
 * Differences from librosa's defaults: `tuning` defaults to null (estimated from y, what
 * chroma_cqt/tonnetz do), and `resType` to 'kaiser_best' (librosa 0.10: 'soxr_hq'; the
 * project's fixtures use kaiser_best).
 */
export function cqt(y: Float32Array | Float64Array, opts: CqtOptions = {}): ComplexMatrix {
  return vqtImpl(y, { ...opts, gamma: 0 });
}

/** `np.abs(librosa.cqt(y, ...))`: the CQT magnitude (float32 for float32 y). */
export function cqtMagnitude(y: Float32Array | Float64Array, opts: CqtOptions = {}): Matrix {
  const C = cqt(y, opts);
  const n = C.rows * C.cols;
  const f32 = C.re instanceof Float32Array;
  const data = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = C.re[i];
    const b = C.im[i];
    data[i] = f32 ? Math.sqrt(a * a + b * b) : hypot(a, b);
  }
  return { rows: C.rows, cols: C.cols, data };
}

/** The centre frequencies of `cqt(y, opts)` for a given tuning: `fmin * 2**(tuning/bpo)` based. */
export function cqtFrequencies(opts: { nBins?: number; fmin?: number; binsPerOctave?: number; tuning?: number } = {}): Float64Array {
  const bpo = opts.binsPerOctave ?? 12;
  const fmin = (opts.fmin ?? C1_HZ) * Math.pow(2.0, (opts.tuning ?? 0) / bpo);
  return intervalFrequencies(opts.nBins ?? 84, fmin, bpo);
}
