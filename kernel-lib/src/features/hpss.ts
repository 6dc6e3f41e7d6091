/**
 * Harmonic-percussive source separation, as librosa 0.10.2:
 *
 * - `softmask` = `librosa.util.softmask(X, X_ref, power, split_zeros)`
 * - `hpss` = `librosa.decompose.hpss(S, kernel_size=31, power=2.0, mask=False, margin=1.0)`
 * - `harmonic` = `librosa.effects.harmonic(y, kernel_size=31, margin=1.0)`
 *   (stft -> hpss -> istft with length = len(y); n_fft 2048, hop 512, hann, centred,
 *   pad_mode 'constant').
 *
 * The median filters are scipy.ndimage.median_filter(..., mode='reflect'): size (1, kernel) along
 * time for the harmonic part and (kernel, 1) along frequency for the percussive part (see
 * dsp/median.ts). Note that librosa sets `split_zeros = (margin_harm == 1 and margin_perc == 1)`,
 * so with the default margin 1 the bins where both medians vanish get mask 0.5.
 *
 * Arithmetic follows numpy's dtypes: for complex64 / float32 input every step is rounded to
 * float32 (Math.fround), as numpy computes it; float64 input stays in float64.
 */
import type { Matrix } from '../dsp/matrix';
import { type ComplexMatrix, stft, istft, magnitude, istftLayout, istftStaged } from '../dsp/stft';
import { rfftPlan } from '../dsp/fft';
import { medianFilterRowsCols, medianWindowsStaged } from '../dsp/median';
import { dspWasm } from '../dsp/wasm';

const F32_TINY = 1.1754943508222875e-38;
const F64_TINY = 2.2250738585072014e-308;
const ident = (x: number) => x;

type Arr = Float32Array | Float64Array;

export interface SoftmaskOptions {
  /** exponent of the Wiener-like mask; Infinity gives a hard mask X > X_ref (default 1) */
  power?: number;
  /** where both inputs are ~0: 0.5 when true, 0 when false (default false) */
  splitZeros?: boolean;
}

/**
 * `librosa.util.softmask(X, X_ref, power=1, split_zeros=False)`:
 * `M = X**p / (X**p + X_ref**p)`, computed relative to `Z = max(X, X_ref)` to avoid overflow.
 * The output has the precision of X (float32 arithmetic for Float32Array input).
 */
export function softmask<T extends Arr>(X: T, Xref: Arr, opts: SoftmaskOptions = {}): T {
  const power = opts.power ?? 1;
  const splitZeros = opts.splitZeros ?? false;
  if (X.length !== Xref.length) throw new Error('softmask: shape mismatch');
  if (!(power > 0)) throw new Error('softmask: power must be strictly positive');
  const f32 = X instanceof Float32Array;
  const rnd = f32 ? Math.fround : ident;
  const tiny = f32 ? F32_TINY : F64_TINY;
  const n = X.length;
  const out = new (X.constructor as { new (n: number): T })(n);
  if (!Number.isFinite(power)) {
    for (let i = 0; i < n; i++) {
      if (X[i] < 0 || Xref[i] < 0) throw new Error('softmask: X and X_ref must be non-negative');
      out[i] = X[i] > Xref[i] ? 1 : 0;
    }
    return out;
  }
  const fill = splitZeros ? 0.5 : 0.0;
  for (let i = 0; i < n; i++) {
    const x = X[i];
    const r = Xref[i];
    if (x < 0 || r < 0) throw new Error('softmask: X and X_ref must be non-negative');
    const z = x > r ? x : r;
    if (z < tiny) {
      out[i] = fill;
      continue;
    }
    const a = rnd(x / z);
    const b = rnd(r / z);
    // numpy squares for power 2 (x * x; exact in float64 for float32 x, then rounded)
    const m = power === 2 ? rnd(a * a) : rnd(Math.pow(a, power));
    const mr = power === 2 ? rnd(b * b) : rnd(Math.pow(b, power));
    out[i] = rnd(m / rnd(m + mr));
  }
  return out;
}

export interface HpssOptions {
  /** median filter length: one number for both, or [harmonic (time), percussive (frequency)] */
  kernelSize?: number | [number, number];
  /** soft-mask exponent (default 2) */
  power?: number;
  /** return the masks instead of the separated spectrograms (default false) */
  mask?: boolean;
  /** margin >= 1: one number or [harmonic, percussive] (default 1) */
  margin?: number | [number, number];
}

export interface HpssResult<T> {
  harmonic: T;
  percussive: T;
}

function isComplex(S: Matrix | ComplexMatrix): S is ComplexMatrix {
  return (S as ComplexMatrix).re !== undefined;
}

interface HpssInternal extends HpssOptions {
  /** skip everything only the percussive output needs */
  harmonicOnly?: boolean;
}

function hpssImpl(S: Matrix | ComplexMatrix, opts: HpssInternal, magIn?: Arr): HpssResult<Matrix | ComplexMatrix | null> {
  const ks = opts.kernelSize ?? 31;
  const [winHarm, winPerc] = Array.isArray(ks) ? ks : [ks, ks];
  const mg = opts.margin ?? 1.0;
  const [marginHarm, marginPerc] = Array.isArray(mg) ? mg : [mg, mg];
  if (marginHarm < 1 || marginPerc < 1) {
    throw new Error('Margins must be >= 1.0. A typical range is between 1 and 10.');
  }
  const power = opts.power ?? 2.0;
  const { rows, cols } = S;
  const n = rows * cols;

  if (isComplex(S) && opts.harmonicOnly && !opts.mask && S.re instanceof Float32Array && power === 2) {
    return {
      harmonic: harmonicOnly32(
        S,
        magIn instanceof Float32Array ? magIn : (magnitude(S).data as Float32Array),
        winHarm,
        winPerc,
        marginHarm,
        marginPerc,
      ),
      percussive: null,
    };
  }
  // magphase
  let mag: Arr;
  let phRe: Arr | null = null;
  let phIm: Arr | null = null;
  let f32: boolean;
  if (isComplex(S)) {
    f32 = S.re instanceof Float32Array;
    const rnd = f32 ? Math.fround : ident;
    mag = magIn ?? magnitude(S).data;
    phRe = f32 ? new Float32Array(n) : new Float64Array(n);
    phIm = f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = mag[i];
      const z = m === 0 ? 1 : 0;
      const mn = m + z;
      phRe[i] = rnd(S.re[i] / mn) + z;
      phIm[i] = rnd(S.im[i] / mn);
    }
  } else {
    mag = S.data;
    f32 = mag instanceof Float32Array;
  }
  const rnd = f32 ? Math.fround : ident;

  // both median filters share one rank computation (dsp/median.ts)
  const [harm, perc] = medianFilterRowsCols(mag, rows, cols, winHarm, winPerc);
  const splitZeros = marginHarm === 1 && marginPerc === 1;

  const scaled = (a: Arr, m: number): Arr => {
    if (m === 1) return a;
    const o = new (a.constructor as { new (n: number): Arr })(a.length);
    for (let i = 0; i < a.length; i++) o[i] = rnd(a[i] * m);
    return o;
  };
  const maskHarm = softmask(harm, scaled(perc, marginHarm), { power, splitZeros });
  const maskPerc = opts.harmonicOnly && !opts.mask ? null : softmask(perc, scaled(harm, marginPerc), { power, splitZeros });

  if (opts.mask) {
    return {
      harmonic: { rows, cols, data: maskHarm },
      percussive: { rows, cols, data: maskPerc as Arr },
    };
  }

  const apply = (m: Arr | null): Matrix | ComplexMatrix | null => {
    if (!m) return null;
    if (phRe && phIm) {
      const re = f32 ? new Float32Array(n) : new Float64Array(n);
      const im = f32 ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = rnd(mag[i] * m[i]);
        re[i] = rnd(a * phRe[i]);
        im[i] = rnd(a * phIm[i]);
      }
      return { rows, cols, re, im };
    }
    const data = f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = rnd(mag[i] * m[i]);
    return { rows, cols, data };
  };
  return { harmonic: apply(maskHarm), percussive: apply(maskPerc) };
}

/**
 * The harmonic part of a complex64 STFT (power 2), fused: the same float32 operations as
 * magphase, the two median filters, softmask(harm, perc * margin_harm, 2, split_zeros) and
 * mag * mask * phase in hpssImpl, element by element without intermediate arrays. Where one
 * softmask input is the larger (z), its ratio x / z is exactly 1 and is not divided out.
 */
function harmonicOnly32(
  S: ComplexMatrix,
  mag: Float32Array,
  winHarm: number,
  winPerc: number,
  marginHarm: number,
  marginPerc: number,
): ComplexMatrix {
  const { rows, cols } = S;
  const n = rows * cols;
  const [harm, perc] = medianFilterRowsCols(mag, rows, cols, winHarm, winPerc);
  const fill = marginHarm === 1 && marginPerc === 1 ? 0.5 : 0.0;
  const re = new Float32Array(n);
  const im = new Float32Array(n);
  harmonicMaskTs(harm, perc, mag, S.re as Float32Array, S.im as Float32Array, marginHarm, fill, re, im);
  return { rows, cols, re, im };
}

/**
 * harmonicOnly32's element loop (the wasm kernels' harmonicMask32 stands in for it, and its test
 * checks against it): softmask(harm, perc * marginHarm, power 2, split_zeros -> `fill`) times
 * the magnitude, times the phase of S (sre, sim), every step rounded to float32 as numpy's
 * float32 arrays. Writes re, im (float32).
 */
export function harmonicMaskTs(
  harm: Float32Array,
  perc: Float32Array,
  mag: Float32Array,
  sre: Float32Array,
  sim: Float32Array,
  marginHarm: number,
  fill: number,
  re: Float32Array,
  im: Float32Array,
): void {
  const rnd = Math.fround;
  const n = harm.length;
  for (let i = 0; i < n; i++) {
    const x = harm[i];
    const r = marginHarm === 1 ? perc[i] : rnd(perc[i] * marginHarm);
    if (x < 0 || r < 0) throw new Error('softmask: X and X_ref must be non-negative');
    let mk: number;
    if (x > r) {
      if (x < F32_TINY) mk = fill;
      else if (x === Infinity)
        mk = NaN; // numpy: Inf / Inf
      else {
        const b = rnd(r / x);
        mk = rnd(1 / rnd(1 + rnd(b * b)));
      } // x / z = 1
    } else if (r < F32_TINY) {
      mk = fill;
    } else {
      const a = rnd(x / r); // r / z = 1 (for r = Infinity as numpy: Inf / Inf = NaN)
      const m = rnd(a * a);
      const one = r === Infinity ? NaN : 1;
      mk = rnd(m / rnd(m + one));
    }
    const mg = mag[i];
    const z = mg === 0 ? 1 : 0;
    const mn = mg + z;
    const pr = rnd(rnd(sre[i] / mn) + z);
    const pi = rnd(sim[i] / mn);
    const a2 = rnd(mg * mk);
    re[i] = rnd(a2 * pr);
    im[i] = rnd(a2 * pi);
  }
}

/**
 * `librosa.decompose.hpss(S, kernel_size=31, power=2.0, mask=False, margin=1.0)`.
 *
 * For a complex STFT the harmonic and percussive parts are complex (magnitude times the
 * original phase); for a magnitude (or power) spectrogram they are real. With `mask: true` the
 * two soft masks are returned instead.
 */
export function hpss(S: ComplexMatrix, opts?: HpssOptions & { mask?: false }): HpssResult<ComplexMatrix>;
export function hpss(S: Matrix, opts?: HpssOptions & { mask?: false }): HpssResult<Matrix>;
export function hpss(S: Matrix | ComplexMatrix, opts: HpssOptions & { mask: true }): HpssResult<Matrix>;
export function hpss(S: Matrix | ComplexMatrix, opts: HpssOptions = {}): HpssResult<Matrix | ComplexMatrix> {
  return hpssImpl(S, opts) as HpssResult<Matrix | ComplexMatrix>;
}

export interface HarmonicOptions {
  kernelSize?: number | [number, number];
  power?: number;
  margin?: number | [number, number];
  nFft?: number;
  hopLength?: number;
  /** 'constant' (librosa 0.10's default) or 'reflect' */
  padMode?: 'constant' | 'reflect';
}

/**
 * `librosa.effects.harmonic(y, kernel_size=31, power=2.0, margin=1.0)`: the harmonic part of
 * `y` (stft with n_fft 2048, hop n_fft/4, hann, centred, pad_mode 'constant'; hpss; istft with
 * length = len(y)). Float32 input gives float32 output, computed as librosa does in complex64.
 */
export function harmonic<T extends Float32Array | Float64Array>(y: T, opts: HarmonicOptions = {}): T {
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  const D = stft(y, { nFft, hopLength, window: 'hann', center: true, padMode: opts.padMode ?? 'constant' });
  return harmonicFromStft(D, y.length, y instanceof Float64Array ? 'float64' : 'float32', opts) as T;
}

/**
 * The part of `harmonic` after the STFT: hpss of `D` (which must be `stft(y, n_fft, hop, 'hann',
 * center=True, pad_mode)` with the options' n_fft/hop/pad_mode) and the istft to `length`
 * samples. `mag`, when given, must be `magnitude(D).data` (lets paper173 share its |stft(y)|).
 */
export function harmonicFromStft(
  D: ComplexMatrix,
  length: number,
  dtype: 'float32' | 'float64',
  opts: HarmonicOptions = {},
  mag?: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  if (dtype === 'float32') {
    const y = harmonicStaged(D, length, opts, nFft, hopLength, mag);
    if (y) return y;
  }
  const { harmonic: H } = hpssImpl(
    D,
    {
      kernelSize: opts.kernelSize ?? 31,
      power: opts.power ?? 2.0,
      margin: opts.margin ?? 1.0,
      harmonicOnly: true,
    },
    mag,
  );
  return istft(H as ComplexMatrix, {
    nFft,
    hopLength,
    window: 'hann',
    center: true,
    length,
    dtype,
  });
}

/**
 * harmonicFromStft for a complex64 D in the wasm kernels, without copies between the steps:
 * D and |D| are staged once, then the two median filters (wasm/dsp.ts medianWindow4), the
 * harmonic soft mask times the phase (harmonicMask32) and the istft frame loop (istftOla32)
 * work in wasm memory; the same operations as hpssImpl + harmonicOnly32 + istft. Null when
 * this path does not apply (no kernels, float64 data, power != 2, windows over 32, NaN).
 */
function harmonicStaged(
  D: ComplexMatrix,
  length: number,
  opts: HarmonicOptions,
  nFft: number,
  hop: number,
  magIn?: Arr,
): Float32Array | null {
  const w = dspWasm();
  if (!w || !(D.re instanceof Float32Array) || !(D.im instanceof Float32Array) || !rfftPlan(nFft).wasmForward) return null;
  const ks = opts.kernelSize ?? 31;
  const [winHarm, winPerc] = Array.isArray(ks) ? ks : [ks, ks];
  const mg = opts.margin ?? 1.0;
  const [marginHarm, marginPerc] = Array.isArray(mg) ? mg : [mg, mg];
  if ((opts.power ?? 2.0) !== 2 || marginHarm < 1 || marginPerc < 1 || winHarm < 2 || winPerc < 2 || Math.max(winHarm, winPerc) > 32)
    return null;
  const { rows, cols } = D;
  const n = rows * cols;
  const L = istftLayout(rows, cols, false, { nFft, hopLength: hop, window: 'hann', center: true, length, dtype: 'float32' });
  const mag = magIn instanceof Float32Array ? magIn : (magnitude(D).data as Float32Array);
  const [mp, rp, ip, hp, pp, orp, oip] = ['mag', 're', 'im', 'h', 'p', 'outRe', 'outIm'].map((k) => w.scratch(`harmonic.${k}`, 4 * n));
  w.f32(mp, n).set(mag);
  w.f32(rp, n).set(D.re);
  w.f32(ip, n).set(D.im);
  if (medianWindowsStaged(w, mp, rows, cols, winHarm, winPerc, hp, pp) !== 'ok') return null;
  const fill = marginHarm === 1 && marginPerc === 1 ? 0.5 : 0.0;
  if (w.exports.harmonicMask32(hp, pp, mp, rp, ip, orp, oip, n, marginHarm, fill) !== 0) {
    throw new Error('softmask: X and X_ref must be non-negative');
  }
  return istftStaged(orp, oip, cols, L);
}
