/**
 * Short-time Fourier transform and its inverse, as librosa.stft / librosa.istft (0.10.2).
 */
import type { Matrix } from './matrix';
import { rfftPlan } from './fft';
import { getWindow, padCenter, type WindowSpec } from './window';
import { dspWasm } from './wasm';

/**
 * A complex matrix, row-major like Matrix: rows = frequency bins, cols = frames,
 * element (r, c) at `re[r * cols + c]`, `im[r * cols + c]`.
 * Float32Array parts correspond to numpy complex64, Float64Array parts to complex128.
 */
export interface ComplexMatrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  rows: number;
  cols: number;
  re: T;
  im: T;
}

export interface StftOptions {
  nFft?: number;
  hopLength?: number;
  winLength?: number;
  window?: WindowSpec;
  center?: boolean;
  /** 'constant' (zeros, librosa 0.10's default) or 'reflect' */
  padMode?: 'constant' | 'reflect';
  /** output precision; default follows the input: Float32Array -> complex64, Float64Array -> complex128 */
  dtype?: 'float32' | 'float64';
}

/** The last stftShared call: its signal (by identity), options and result. */
let lastShared: { y: Float32Array | Float64Array; key: string; D: ComplexMatrix } | null = null;

/**
 * stft(y, opts), remembered for the last signal asked (the same array object) with the same
 * options: the augmented copies' analysis (audio/augment.ts) and the features of the original
 * row (features/paper173.ts) transform the same clip with the same framing, so the second asks
 * for the first's result. The result is shared: callers must not modify it, nor y afterwards.
 * Named windows only (an explicit window array is not compared): otherwise plain stft.
 */
export function stftShared(y: Float32Array | Float64Array, opts: StftOptions = {}): ComplexMatrix {
  if (opts.window !== undefined && typeof opts.window !== 'string') return stft(y, opts);
  const nFft = opts.nFft ?? 2048;
  const winLength = opts.winLength ?? nFft;
  const key = [
    nFft,
    opts.hopLength ?? Math.floor(winLength / 4),
    winLength,
    opts.window ?? 'hann',
    opts.center ?? true,
    opts.padMode ?? 'constant',
    opts.dtype ?? '',
  ].join(':');
  if (lastShared && lastShared.y === y && lastShared.key === key) return lastShared.D;
  const D = stft(y, opts);
  lastShared = { y, key, D };
  return D;
}

function reflectIndex(i: number, n: number): number {
  // numpy.pad mode='reflect' (no edge repeat), valid for |overhang| < n
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * librosa.stft(y, n_fft=2048, hop_length=win_length//4, win_length=n_fft, window='hann',
 * center=True, pad_mode='constant'). Each frame is windowed and transformed in float64 (numpy
 * multiplies the float32 frame by the float64 window and runs pocketfft in float64), then stored
 * as complex64 for float32 input (librosa's dtype_r2c), complex128 for float64 input.
 * Frames: 1 + floor((len + 2*(nFft//2) - nFft) / hop) when centered.
 */
export function stft(y: Float32Array | Float64Array, opts: StftOptions = {}): ComplexMatrix {
  const nFft = opts.nFft ?? 2048;
  const winLength = opts.winLength ?? nFft;
  const hop = opts.hopLength ?? Math.floor(winLength / 4);
  const center = opts.center ?? true;
  const padMode = opts.padMode ?? 'constant';
  const f64 = (opts.dtype ?? (y instanceof Float64Array ? 'float64' : 'float32')) === 'float64';
  const win = padCenter(getWindow(opts.window ?? 'hann', winLength, true), nFft);

  const n = y.length;
  let x: ArrayLike<number> = y;
  let start = 0; // offset of frame 0's first sample in y
  if (center) {
    const p = nFft >> 1;
    if (padMode === 'reflect') {
      const xp = new Float64Array(n + 2 * p);
      for (let i = 0; i < xp.length; i++) xp[i] = y[reflectIndex(i - p, n)];
      x = xp;
    } else if (padMode === 'constant') {
      start = -p; // zero padding handled by the frame reader
    } else {
      throw new Error(`stft: unsupported pad_mode '${padMode}'`);
    }
  }
  const total = center && padMode === 'constant' ? n + 2 * (nFft >> 1) : x.length;
  if (total < nFft) throw new Error(`stft: input of length ${n} is too short for n_fft=${nFft}`);
  const cols = 1 + Math.floor((total - nFft) / hop);
  const rows = 1 + (nFft >> 1);
  const re = f64 ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  const im = f64 ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  const plan = rfftPlan(nFft);
  const wt = plan.wasmForward;
  if (wt && !f64 && ArrayBuffer.isView(x)) {
    // the loop below in the wasm kernels (wasm/dsp.ts stftFrames32)
    const { w } = wt;
    const len = x.length;
    const xp = w.scratch('stft.x', 8 * len),
      wp = w.scratch('stft.win', 8 * nFft);
    const rp = w.scratch('stft.re', 4 * rows * cols),
      ip = w.scratch('stft.im', 4 * rows * cols);
    w.f64(xp, len).set(x as Float32Array | Float64Array);
    w.f64(wp, nFft).set(win);
    w.exports.stftFrames32(xp, len, start, hop, cols, wp, wt.z, wt.h, wt.rev, wt.odd, wt.tw, wt.spl, wt.oRe, wt.oIm, rp, ip);
    re.set(w.f32(rp, rows * cols));
    im.set(w.f32(ip, rows * cols));
    return { rows, cols, re, im };
  }
  const fr = new Float64Array(rows),
    fi = new Float64Array(rows);
  for (let t = 0; t < cols; t++) {
    plan.forward(x, fr, fi, start + t * hop, win);
    for (let k = 0; k < rows; k++) {
      re[k * cols + t] = fr[k];
      im[k * cols + t] = fi[k];
    }
  }
  return { rows, cols, re, im };
}

/**
 * `magnitude(stft(y, opts))` without materialising the complex matrix: each frame's float64
 * spectrum is rounded to the STFT's dtype (complex64 for float32 y) and its magnitude taken as
 * `magnitude` does, so the result is identical.
 */
export function stftMagnitude(y: Float32Array | Float64Array, opts: StftOptions = {}): Matrix {
  const nFft = opts.nFft ?? 2048;
  const f64 = (opts.dtype ?? (y instanceof Float64Array ? 'float64' : 'float32')) === 'float64';
  if (f64 || (opts.center ?? true) === false || (opts.padMode ?? 'constant') !== 'constant') return magnitude(stft(y, opts));
  const winLength = opts.winLength ?? nFft;
  const hop = opts.hopLength ?? Math.floor(winLength / 4);
  const win = padCenter(getWindow(opts.window ?? 'hann', winLength, true), nFft);
  const total = y.length + 2 * (nFft >> 1);
  if (total < nFft) throw new Error(`stft: input of length ${y.length} is too short for n_fft=${nFft}`);
  const cols = 1 + Math.floor((total - nFft) / hop);
  const rows = 1 + (nFft >> 1);
  const data = new Float32Array(rows * cols);
  const plan = rfftPlan(nFft);
  const wt = plan.wasmForward;
  if (wt && y instanceof Float32Array) {
    // the loop below in the wasm kernels (wasm/dsp.ts stftMag32)
    const { w } = wt;
    const xp = w.scratch('stft.x', 8 * y.length),
      wp = w.scratch('stft.win', 8 * nFft),
      op = w.scratch('stft.out', 4 * rows * cols);
    w.f64(xp, y.length).set(y);
    w.f64(wp, nFft).set(win);
    w.exports.stftMag32(xp, y.length, hop, cols, wp, wt.z, wt.h, wt.rev, wt.odd, wt.tw, wt.spl, wt.oRe, wt.oIm, op);
    data.set(w.f32(op, rows * cols));
    return { rows, cols, data };
  }
  const fr = new Float64Array(rows),
    fi = new Float64Array(rows);
  const rnd = Math.fround;
  for (let t = 0; t < cols; t++) {
    plan.forward(y, fr, fi, t * hop - (nFft >> 1), win);
    for (let k = 0; k < rows; k++) {
      const re = rnd(fr[k]),
        im = rnd(fi[k]);
      const a = Math.abs(re),
        b = Math.abs(im);
      const larger = a > b ? a : b;
      const smaller = a > b ? b : a;
      data[k * cols + t] =
        larger > 0 && larger < Infinity && !Number.isNaN(smaller)
          ? rnd(rnd(Math.sqrt(rnd(rnd(smaller / larger) * rnd(smaller / larger) + 1))) * larger)
          : cabs32(re, im);
    }
  }
  return { rows, cols, data };
}

/**
 * |re + i im| for one complex64 value, as numpy's SIMD complex absolute computes it (numpy
 * 1.2x AVX512F `avx512_cabsolute`, numpy 2.x `simd_cabsolute`): larger * sqrt(fma(r, r, 1)),
 * r = smaller / larger, every step in float32. This is not a correctly rounded hypot: it differs
 * from one in ~35% of STFT bins by 1-2 ulp, and the reference librosa data was made with it.
 * (The float32 fma is emulated in float64: r*r is exact there, so only the sum is rounded
 * twice, which can matter only for values within 2^-29 ulp of a float32 rounding boundary.)
 */
export function cabs32(re: number, im: number): number {
  return cabs(re, im, Math.fround);
}

/** The same algorithm in float64 (numpy's complex128 absolute): larger * sqrt(r*r + 1). */
export function cabs64(re: number, im: number): number {
  return cabs(re, im, unrounded);
}

const unrounded = (x: number): number => x;

/**
 * numpy's complex absolute with every intermediate rounded by `round` (Math.fround: complex64;
 * none: complex128): Infinity if either part is infinite (even with a NaN), NaN if either is
 * NaN, 0 if both are 0, else larger * sqrt(r*r + 1) with r = smaller / larger.
 */
function cabs(re: number, im: number, round: (x: number) => number): number {
  const a = Math.abs(re);
  const b = Math.abs(im);
  if (a === Infinity || b === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return 0;
  const larger = a > b ? a : b;
  const smaller = a > b ? b : a;
  const r = round(smaller / larger);
  return round(round(Math.sqrt(round(r * r + 1))) * larger);
}

/**
 * np.abs(D): element-wise magnitude, same precision as D (complex64 -> float32), with numpy's
 * complex-absolute algorithm (see cabs32), which the librosa reference data reproduces.
 */
export function magnitude(D: ComplexMatrix): Matrix {
  const n = D.rows * D.cols;
  const data = D.re instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  const re = D.re,
    im = D.im;
  const w = D.re instanceof Float32Array && D.im instanceof Float32Array ? dspWasm() : null;
  if (D.re instanceof Float64Array) {
    for (let i = 0; i < n; i++) data[i] = cabs64(re[i], im[i]);
  } else if (w) {
    // the same loop in the wasm kernels (wasm/dsp.ts cabs32Array)
    const rp = w.scratch('mag.re', 4 * n),
      ip = w.scratch('mag.im', 4 * n),
      op = w.scratch('mag.out', 4 * n);
    w.f32(rp, n).set(re);
    w.f32(ip, n).set(im);
    w.exports.cabs32Array(rp, ip, op, n);
    data.set(w.f32(op, n));
  } else {
    // cabs32 inlined for finite values (the common case); the rest go through cabs32
    const fr = Math.fround;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(re[i]),
        b = Math.abs(im[i]);
      const larger = a > b ? a : b;
      const smaller = a > b ? b : a;
      if (larger > 0 && larger < Infinity && !Number.isNaN(smaller)) {
        const r = fr(smaller / larger);
        data[i] = fr(fr(Math.sqrt(fr(r * r + 1))) * larger);
      } else {
        data[i] = cabs32(re[i], im[i]);
      }
    }
  }
  return { rows: D.rows, cols: D.cols, data };
}

export interface IstftOptions {
  hopLength?: number;
  winLength?: number;
  nFft?: number;
  window?: WindowSpec;
  center?: boolean;
  /** exact output length (librosa's `length`) */
  length?: number;
  /** output precision; default follows D: complex64 -> float32 */
  dtype?: 'float32' | 'float64';
}

/**
 * librosa.filters.window_sumsquare(window, n_frames, hop_length, win_length, n_fft, dtype),
 * accumulated in the output dtype as librosa's numba loop does.
 */
export function windowSumSquare(
  window: WindowSpec,
  nFrames: number,
  hopLength: number,
  winLength: number,
  nFft: number,
  dtype: 'float32' | 'float64' = 'float32',
): Float32Array | Float64Array {
  const n = nFft + hopLength * (nFrames - 1);
  const x = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const w = getWindow(window, winLength, true);
  const sq = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) sq[i] = w[i] * w[i];
  const winSq = padCenter(sq, nFft);
  for (let i = 0; i < nFrames; i++) {
    const s = i * hopLength;
    const m = Math.max(0, Math.min(nFft, n - s));
    for (let j = 0; j < m; j++) x[s + j] += winSq[j];
  }
  return x;
}

/** The squared, centred window of windowSumSquare and its sum-square over `frames` frames. */
interface WssBase {
  winSq: Float64Array;
  frames: number;
  x: Float32Array | Float64Array;
}
const wssCache = new Map<string, WssBase>();
/** the last envelopes made (most clips give the same few frame counts), not to allocate them again */
const wssMade = new Map<string, Float32Array | Float64Array>();

/**
 * windowSumSquare for named windows, without the per-call O(frames x n_fft) loop: one long
 * envelope per (window, hop, win_length, n_fft, dtype) is kept, and an envelope of N frames is
 * its first N * hop samples followed by a tail summed here. The same bits: sample i < N * hop is
 * covered by the same frames (t <= i / hop < N) whichever the total, added in the same order
 * (frame order, from zero), so its value does not depend on N; samples i >= N * hop are the
 * sums over frames t < N, computed as windowSumSquare's loop does (tested against it).
 * The last 32 envelopes made are kept as well (read-only results). Explicit window arrays are
 * not cached (windowSumSquare itself).
 */
export function cachedWindowSumSquare(
  window: WindowSpec,
  nFrames: number,
  hopLength: number,
  winLength: number,
  nFft: number,
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  if (typeof window !== 'string' || nFrames < 1) return windowSumSquare(window, nFrames, hopLength, winLength, nFft, dtype);
  const key = `${window}:${hopLength}:${winLength}:${nFft}:${dtype}`;
  const madeKey = `${key}:${nFrames}`;
  const made = wssMade.get(madeKey);
  if (made) return made;
  let base = wssCache.get(key);
  if (!base || base.frames < nFrames) {
    const frames = Math.max(nFrames, 2 * (base?.frames ?? 0), 256);
    const x = windowSumSquare(window, frames, hopLength, winLength, nFft, dtype);
    const w = getWindow(window, winLength, true);
    const sq = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) sq[i] = w[i] * w[i];
    base = { winSq: padCenter(sq, nFft), frames, x };
    wssCache.set(key, base);
  }
  const n = nFft + hopLength * (nFrames - 1);
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const head = Math.min(n, nFrames * hopLength);
  out.set(base.x.subarray(0, head));
  // the tail: frames t < nFrames covering sample i, in frame order
  const { winSq } = base;
  for (let i = head; i < n; i++) {
    let acc = 0;
    const tLo = Math.max(0, Math.ceil((i - nFft + 1) / hopLength));
    for (let t = tLo; t < nFrames; t++) {
      acc += winSq[i - t * hopLength];
      if (dtype === 'float32') acc = Math.fround(acc);
    }
    out[i] = acc;
  }
  if (wssMade.size >= 32) wssMade.delete(wssMade.keys().next().value as string);
  wssMade.set(madeKey, out);
  return out;
}

/**
 * librosa.istft(D, hop_length, win_length, n_fft, window='hann', center=True, length):
 * irfft of each frame in float64, times the window, overlap-added into the output dtype
 * (float32 for complex64 input, accumulated in float32 as librosa's numba overlap-add), then
 * divided by the window sum-square envelope where it exceeds the dtype's tiny.
 */
export function istft(D: ComplexMatrix, opts: IstftOptions = {}): Float32Array | Float64Array {
  const L = istftLayout(D.rows, D.cols, D.re instanceof Float64Array, opts);
  const { nFft, hop, h, nFrames, expected, off, win } = L;
  const plan = rfftPlan(nFft);
  const wt = plan.wasmForward;
  if (wt && !L.f64 && D.re instanceof Float32Array && D.im instanceof Float32Array) {
    const { w } = wt;
    const nd = D.rows * D.cols;
    const rp = w.scratch('istft.re', 4 * nd),
      ip = w.scratch('istft.im', 4 * nd);
    w.f32(rp, nd).set(D.re);
    w.f32(ip, nd).set(D.im);
    return istftStaged(rp, ip, D.cols, L);
  }
  const y = L.f64 ? new Float64Array(expected) : new Float32Array(expected);
  const frame = new Float64Array(nFft);
  const cols = D.cols;
  const fr = new Float64Array(h + 1),
    fi = new Float64Array(h + 1);
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0; k <= h; k++) {
      fr[k] = D.re[k * cols + t];
      fi[k] = D.im[k * cols + t];
    }
    plan.inverse(fr, fi, frame);
    const s = t * hop - off;
    // librosa overlap-adds into a buffer of the padded length then trims; samples outside
    // [0, expected) are discarded, the rest accumulate in frame order.
    const j0 = Math.max(0, -s),
      j1 = Math.min(nFft, expected - s);
    for (let j = j0; j < j1; j++) y[s + j] += win[j] * frame[j];
  }
  return istftNormalize(y, L);
}

/** @internal istft's sizes for a D of `rows` x `cols` (see istft). */
export interface IstftLayout {
  nFft: number;
  winLength: number;
  hop: number;
  h: number;
  center: boolean;
  f64: boolean;
  window: WindowSpec;
  win: Float64Array;
  nFrames: number;
  expected: number;
  /** y[j] is padded-signal sample j + off (off = h when centered) */
  off: number;
}

/** @internal */
export function istftLayout(rows: number, cols: number, d64: boolean, opts: IstftOptions): IstftLayout {
  const nFft = opts.nFft ?? 2 * (rows - 1);
  const winLength = opts.winLength ?? nFft;
  const hop = opts.hopLength ?? Math.floor(winLength / 4);
  const center = opts.center ?? true;
  const f64 = (opts.dtype ?? (d64 ? 'float64' : 'float32')) === 'float64';
  const window = opts.window ?? 'hann';
  const win = padCenter(getWindow(window, winLength, true), nFft);
  const length = opts.length;
  const h = nFft >> 1;
  if (rows !== h + 1) throw new Error(`istft: D has ${rows} rows, expected ${h + 1} for n_fft=${nFft}`);
  let nFrames = cols;
  if (length) {
    const padded = center ? length + 2 * h : length;
    nFrames = Math.min(cols, Math.ceil(padded / hop));
  }
  let expected = nFft + hop * (nFrames - 1);
  if (length) expected = length;
  else if (center) expected -= 2 * h;
  return { nFft, winLength, hop, h, center, f64, window, win, nFrames, expected, off: center ? h : 0 };
}

/**
 * @internal istft of a complex64 D already in the wasm kernels' memory (re/im float32 at rp/ip,
 * `cols` columns) to a float32 signal: the frame loop in wasm (wasm/dsp.ts istftOla32), then
 * the window normalisation. Needs the wasm kernels and a float32 layout.
 */
export function istftStaged(rp: number, ip: number, cols: number, L: IstftLayout): Float32Array {
  const wt = rfftPlan(L.nFft).wasmForward;
  if (!wt || L.f64) throw new Error('istftStaged: needs the wasm kernels and float32 output');
  const { w } = wt;
  const { h, nFft, expected } = L;
  const wp = w.scratch('istft.win', 8 * nFft);
  const ar = w.scratch('istft.inRe', 8 * (h + 1)),
    ai = w.scratch('istft.inIm', 8 * (h + 1)),
    yp = w.scratch('istft.y', 4 * expected);
  w.f64(wp, nFft).set(L.win);
  w.f32(yp, expected).fill(0);
  w.exports.istftOla32(rp, ip, cols, L.nFrames, L.hop, L.off, expected, wp, wt.z, wt.h, wt.rev, wt.odd, wt.twI, wt.splI, ar, ai, yp);
  return istftNormalize(w.f32(yp, expected).slice(), L) as Float32Array;
}

/** istft's last step: divide by the window sum-square envelope where it exceeds the dtype's tiny. */
function istftNormalize(y: Float32Array | Float64Array, L: IstftLayout): Float32Array | Float64Array {
  const wss = cachedWindowSumSquare(L.window, L.nFrames, L.hop, L.winLength, L.nFft, L.f64 ? 'float64' : 'float32');
  const tiny = L.f64 ? 2.2250738585072014e-308 : 1.1754943508222875e-38;
  const start = L.center ? L.h : 0;
  for (let i = 0; i < L.expected; i++) {
    const wi = start + i < wss.length ? wss[start + i] : 0;
    if (wi > tiny) y[i] = y[i] / wi;
  }
  return y;
}
