/**
 * Fast Fourier transforms in float64, numpy.fft conventions (numpy.fft.fft / rfft / irfft:
 * forward unscaled with e^{-2 pi i k n / N}, inverse scaled by 1/N).
 *
 * - `fftInPlace(re, im, inverse)`: complex FFT of any power-of-two length (split re/im arrays).
 * - `rfft(frame, n)`: real FFT, returns the n/2+1 non-negative frequencies (numpy.fft.rfft).
 * - `irfft(re, im, n)`: inverse of rfft, returns n real samples (numpy.fft.irfft; the imaginary
 *   parts of the DC and Nyquist bins are ignored, as pocketfft does).
 *
 * Plans (bit reversal, twiddles) are computed once per size and cached. The twiddles are taken
 * straight from Math.cos/Math.sin (no recurrences), so results agree with numpy's pocketfft to
 * a few float64 ulps.
 *
 * With the wasm kernels (dsp/wasm.ts) the transforms run in wasm/dsp.ts: the same radix-2^2
 * butterflies, split steps and twiddles, so the results are bit-identical (tested). The complex
 * FFT (FFTPlan.transform: cfftSplit / cfftPermuted) keeps one complex value per f64x2 vector
 * (interleaved re, im; tables from stageTwiddles); the real FFT (rfftForward / rfftInverse)
 * runs its half-size transform on split re / im arrays with two butterflies per vector (tables
 * from splitStageTwiddles, split-step twiddles as two arrays c, s). `new RealFFTPlan(n, null)`
 * forces the TypeScript loops.
 */

import { type DspWasm, dspWasm } from './wasm';

export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

function isPow2(n: number): boolean {
  return n >= 1 && Number.isInteger(n) && (n & (n - 1)) === 0;
}

/**
 * A complex FFT plan for one power-of-two size: bit reversal, then radix-2 stages fused in
 * pairs (radix-2^2 butterflies), with per-stage contiguous twiddle tables.
 */
export class FFTPlan {
  readonly n: number;
  /** bit-reversal permutation (index i's data goes to rev[i]) */
  readonly rev: Uint32Array;
  /** fused stage twiddles: for each stage of quarter size m, w^k and w^{2k} (w = e^{-2 pi i/(4m)}), k < m */
  /** @internal (read by the wasm tables) */
  readonly tw: { m: number; c1: Float64Array; s1: Float64Array; c2: Float64Array; s2: Float64Array; n1: Float64Array; n2: Float64Array }[] =
    [];
  /** log2(n) is odd: one radix-2 pass before the radix-4 stages */
  readonly oddStage: boolean;

  constructor(n: number) {
    if (!isPow2(n)) throw new Error(`FFT size must be a power of two, got ${n}`);
    this.n = n;
    const bits = Math.round(Math.log2(n));
    this.rev = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
      this.rev[i] = r;
    }
    this.oddStage = bits % 2 === 1;
    for (let m = this.oddStage ? 2 : 1; 4 * m <= n; m *= 4) {
      const c1 = new Float64Array(m),
        s1 = new Float64Array(m),
        c2 = new Float64Array(m),
        s2 = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        // angles as multiples of 2 pi / n so that equal angles give identical values
        const j1 = k * (n / (4 * m)),
          j2 = 2 * j1;
        c1[k] = cosN(j1, n);
        s1[k] = sinN(j1, n);
        c2[k] = cosN(j2, n);
        s2[k] = sinN(j2, n);
      }
      // n1/n2 = -s1/-s2: the forward transform's imaginary twiddle parts
      this.tw.push({ m, c1, s1, c2, s2, n1: s1.map((v) => -v), n2: s2.map((v) => -v) });
    }
  }

  private wasmTables: { w: DspWasm; rev: number; twF: number; twI: number; z: number; re: number; im: number } | null | undefined;

  /** In-place complex transform of `re`/`im` (length n). inverse: e^{+i...} and scale by 1/n. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.n;
    if (n === 1) return;
    if (this.wasmTables === undefined) {
      // the wasm kernels (wasm/dsp.ts cfftSplit), same operations; tables made on first use
      const w = n >= 4 ? dspWasm() : null;
      this.wasmTables = w
        ? {
            w,
            rev: w.allocCopy(this.rev),
            twF: w.allocCopy(stageTwiddles(this, false)),
            twI: w.allocCopy(stageTwiddles(this, true)),
            z: w.alloc(16 * n),
            re: w.alloc(8 * n),
            im: w.alloc(8 * n),
          }
        : null;
    }
    const t = this.wasmTables;
    if (t) {
      const rv = t.w.f64(t.re, n),
        iv = t.w.f64(t.im, n);
      rv.set(re);
      iv.set(im);
      t.w.exports.cfftSplit(t.re, t.im, t.z, n, t.rev, this.oddStage ? 1 : 0, inverse ? t.twI : t.twF, inverse ? 1 : 0);
      re.set(t.w.f64(t.re, n));
      im.set(t.w.f64(t.im, n));
      return;
    }
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    this.transformPermuted(re, im, inverse);
  }

  /**
   * `transform` for data already stored in bit-reversed order (element i at rev[i]): the
   * butterfly stages only (callers that fill the buffer themselves skip the permutation pass).
   */
  // biome-ignore format: hand-unrolled radix-4 butterflies: one line per complex value reads better than one per component
  transformPermuted(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.n;
    if (n === 1) return;
    if (this.oddStage) {
      for (let i = 0; i < n; i += 2) {
        const ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
        re[i] = ar + br; im[i] = ai + bi;
        re[i + 1] = ar - br; im[i + 1] = ai - bi;
      }
    }
    // sign of the imaginary part of the twiddles: forward e^{-i}, inverse e^{+i}
    const sg = inverse ? 1 : -1;
    for (const st of this.tw) {
      const m = st.m, c1 = st.c1, c2 = st.c2;
      // sg * sin: the signed tables (exact negations)
      const s1 = inverse ? st.s1 : st.n1, s2 = inverse ? st.s2 : st.n2;
      const m4 = 4 * m;
      if (m === 1) {
        // first radix-4 stage: all twiddles are 1 (the general butterfly with w = 1 + 0i gives
        // the same values)
        for (let i0 = 0; i0 < n; i0 += 4) {
          const i1 = i0 + 1, i2 = i0 + 2, i3 = i0 + 3;
          const a0r = re[i0], a0i = im[i0], a1r = re[i1], a1i = im[i1];
          const a2r = re[i2], a2i = im[i2], a3r = re[i3], a3i = im[i3];
          const b0r = a0r + a1r, b0i = a0i + a1i;
          const b1r = a0r - a1r, b1i = a0i - a1i;
          const b2r = a2r + a3r, b2i = a2i + a3i;
          const b3r = a2r - a3r, b3i = a2i - a3i;
          const t1r = -sg * b3i, t1i = sg * b3r;
          re[i0] = b0r + b2r; im[i0] = b0i + b2i;
          re[i2] = b0r - b2r; im[i2] = b0i - b2i;
          re[i1] = b1r + t1r; im[i1] = b1i + t1i;
          re[i3] = b1r - t1r; im[i3] = b1i - t1i;
        }
        continue;
      }
      for (let s = 0; s < n; s += m4) {
        for (let k = 0; k < m; k++) {
          const i0 = s + k, i1 = i0 + m, i2 = i1 + m, i3 = i2 + m;
          const w1r = c1[k], w1i = s1[k], w2r = c2[k], w2i = s2[k];
          // first radix-2 level (size 2m): twiddle w^{2k} on the odd halves
          const a0r = re[i0], a0i = im[i0];
          const x1r = re[i1], x1i = im[i1];
          const a1r = x1r * w2r - x1i * w2i, a1i = x1r * w2i + x1i * w2r;
          const a2r = re[i2], a2i = im[i2];
          const x3r = re[i3], x3i = im[i3];
          const a3r = x3r * w2r - x3i * w2i, a3i = x3r * w2i + x3i * w2r;
          const b0r = a0r + a1r, b0i = a0i + a1i; // B0[k]
          const b1r = a0r - a1r, b1i = a0i - a1i; // B0[k+m]
          const b2r = a2r + a3r, b2i = a2i + a3i; // B1[k]
          const b3r = a2r - a3r, b3i = a2i - a3i; // B1[k+m]
          // second level (size 4m): C[k] = B0[k] +- w^k B1[k]; C[k+m] = B0[k+m] +- w^{k+m} B1[k+m]
          const t0r = b2r * w1r - b2i * w1i, t0i = b2r * w1i + b2i * w1r;
          // w^{k+m} = w^k * (sg * i)
          const u1r = b3r * w1r - b3i * w1i, u1i = b3r * w1i + b3i * w1r;
          const t1r = -sg * u1i, t1i = sg * u1r;
          re[i0] = b0r + t0r; im[i0] = b0i + t0i;
          re[i2] = b0r - t0r; im[i2] = b0i - t0i;
          re[i1] = b1r + t1r; im[i1] = b1i + t1i;
          re[i3] = b1r - t1r; im[i3] = b1i - t1i;
        }
      }
    }
    if (inverse) {
      const s = 1 / n;
      for (let i = 0; i < n; i++) { re[i] *= s; im[i] *= s; }
    }
  }
}

/** cos(2 pi j / n) with exact zeros/ones at the quarter points */
function cosN(j: number, n: number): number {
  const q = (4 * j) % (4 * n);
  if (q === 0) return 1;
  if (q === n) return 0;
  if (q === 2 * n) return -1;
  if (q === 3 * n) return 0;
  return Math.cos((2 * Math.PI * j) / n);
}
function sinN(j: number, n: number): number {
  const q = (4 * j) % (4 * n);
  if (q === 0 || q === 2 * n) return 0;
  if (q === n) return 1;
  if (q === 3 * n) return -1;
  return Math.sin((2 * Math.PI * j) / n);
}

/** The plan of size n in `plans`, made by `new Plan(n)` on first use (the FFTs' one plan cache). */
function cachedPlan<P>(plans: Map<number, P>, Plan: new (n: number) => P, n: number): P {
  let p = plans.get(n);
  if (!p) {
    p = new Plan(n);
    plans.set(n, p);
  }
  return p;
}

const plans = new Map<number, FFTPlan>();
/** The cached complex plan for size n. */
export function fftPlan(n: number): FFTPlan {
  return cachedPlan(plans, FFTPlan, n);
}

/** In-place complex FFT (numpy.fft.fft; with inverse=true numpy.fft.ifft) of a power-of-two length. */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  if (re.length !== im.length) throw new Error('fftInPlace: re and im lengths differ');
  fftPlan(re.length).transform(re, im, inverse);
}

/** Out-of-place complex FFT; inputs are not modified. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>, inverse = false): Complex {
  const n = re.length;
  const r = Float64Array.from(re as ArrayLike<number>);
  const i = im ? Float64Array.from(im as ArrayLike<number>) : new Float64Array(n);
  fftInPlace(r, i, inverse);
  return { re: r, im: i };
}

/**
 * Real FFT plan for an even power-of-two size n: one complex FFT of size n/2 plus a split step.
 * Scratch buffers are owned by the plan (not re-entrant across async boundaries, fine in JS).
 */
export class RealFFTPlan {
  readonly n: number;
  private readonly half: FFTPlan;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  /** cos/sin(2 pi k / n), k <= n/4 .. we store k < n/2 */
  private readonly wc: Float64Array;
  private readonly ws: Float64Array;
  /** the same transform in the wasm kernels (null: TypeScript) */
  private readonly wasm: WasmRealPlan | null;

  /**
   * `wasm`: the kernels to run on (default: this thread's, when available); null forces the
   * TypeScript loops. Both give identical results.
   */
  constructor(n: number, wasm: DspWasm | null = dspWasm()) {
    if (!isPow2(n) || n < 2) throw new Error(`real FFT size must be a power of two >= 2, got ${n}`);
    this.n = n;
    const h = n >> 1;
    this.half = fftPlan(h);
    this.zr = new Float64Array(h);
    this.zi = new Float64Array(h);
    this.wc = new Float64Array(h + 1);
    this.ws = new Float64Array(h + 1);
    for (let k = 0; k <= h; k++) {
      this.wc[k] = cosN(k, n);
      this.ws[k] = sinN(k, n);
    }
    this.wasm = wasm && h >= 2 ? new WasmRealPlan(wasm, this.half, this.wc, this.ws) : null;
  }

  /**
   * @internal For kernels that run whole frame loops in wasm (stft.ts, cqt.ts): the transform's
   * tables and buffers in wasm memory, or null on the TypeScript path.
   */
  get wasmForward(): WasmForwardTables | null {
    return this.wasm ? this.wasm.tables : null;
  }

  /** 'wasm-simd' or 'typescript': what computes this plan's transforms. */
  get engine(): 'wasm-simd' | 'typescript' {
    return this.wasm ? 'wasm-simd' : 'typescript';
  }

  /**
   * Forward real FFT of `x[offset .. offset+n)` (optionally multiplied by `window`), written to
   * outRe/outIm (length >= n/2+1). Elements past the end of `x` count as zeros.
   */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset = 0, window?: ArrayLike<number>): void {
    if (this.wasm) {
      this.wasm.forward(x, outRe, outIm, offset, window, 0, this.n >> 1);
      return;
    }
    this.pack(x, offset, window);
    this.half.transformPermuted(this.zr, this.zi, false);
    this.split(outRe, outIm, 0, this.n >> 1);
  }

  /**
   * `forward` without a window, computing only the bins kLo..kHi (inclusive) of the output (the
   * others are left as they are); those bins equal `forward`'s bit for bit. The CQT uses it: its
   * filter bases touch a fifth of the bins.
   */
  forwardRange(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset: number, kLo: number, kHi: number): void {
    if (this.wasm) {
      this.wasm.forward(x, outRe, outIm, offset, undefined, Math.max(0, kLo), Math.min(this.n >> 1, kHi));
      return;
    }
    this.pack(x, offset);
    this.half.transformPermuted(this.zr, this.zi, false);
    this.split(outRe, outIm, Math.max(0, kLo), Math.min(this.n >> 1, kHi));
  }

  /**
   * x[offset .. offset+n) (times the window when given; samples outside x count as zeros) packed
   * as z[j] = x[2j] + i x[2j+1], each z[j] written straight to its bit-reversed slot of zr/zi.
   */
  private pack(x: ArrayLike<number>, offset: number, window?: ArrayLike<number>): void {
    const n = this.n,
      h = n >> 1;
    const zr = this.zr,
      zi = this.zi;
    const len = x.length;
    const rev = this.half.rev;
    if (window && offset >= 0 && offset + n <= len) {
      // interior frame: no bounds checks
      for (let j = 0, i = offset; j < h; j++, i += 2) {
        const q = rev[j];
        zr[q] = x[i] * window[2 * j];
        zi[q] = x[i + 1] * window[2 * j + 1];
      }
    } else if (window) {
      for (let j = 0; j < h; j++) {
        const i0 = offset + 2 * j,
          i1 = i0 + 1,
          q = rev[j];
        zr[q] = i0 >= 0 && i0 < len ? x[i0] * window[2 * j] : 0;
        zi[q] = i1 >= 0 && i1 < len ? x[i1] * window[2 * j + 1] : 0;
      }
    } else if (offset >= 0 && offset + n <= len) {
      for (let j = 0, i = offset; j < h; j++, i += 2) {
        const q = rev[j];
        zr[q] = x[i];
        zi[q] = x[i + 1];
      }
    } else {
      for (let j = 0; j < h; j++) {
        const i0 = offset + 2 * j,
          i1 = i0 + 1,
          q = rev[j];
        zr[q] = i0 >= 0 && i0 < len ? x[i0] : 0;
        zi[q] = i1 >= 0 && i1 < len ? x[i1] : 0;
      }
    }
  }

  /** Split step: from Z = FFT(x_even + i x_odd) (in zr/zi) to X[kLo..kHi] (of 0..n/2). */
  private split(outRe: Float64Array, outIm: Float64Array, kLo: number, kHi: number): void {
    const h = this.n >> 1;
    const zr = this.zr,
      zi = this.zi,
      wc = this.wc,
      ws = this.ws;
    if (kLo === 0) {
      outRe[0] = zr[0] + zi[0];
      outIm[0] = 0;
    }
    if (kHi === h) {
      outRe[h] = zr[0] - zi[0];
      outIm[h] = 0;
    }
    const k1 = Math.min(kHi, h - 1);
    for (let k = Math.max(kLo, 1); k <= k1; k++) {
      const ar = zr[k],
        ai = zi[k];
      const br = zr[h - k],
        bi = -zi[h - k]; // conj(Z[h-k])
      // E = (A + B)/2, O = (A - B)/(2i)
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      const dr = ar - br,
        di = ai - bi;
      const or = 0.5 * di,
        oi = -0.5 * dr;
      // X = E + w O, w = e^{-2 pi i k / n}
      const c = wc[k],
        s = -ws[k];
      outRe[k] = er + (or * c - oi * s);
      outIm[k] = ei + (or * s + oi * c);
    }
  }

  /**
   * Inverse real FFT (numpy.fft.irfft with n): from X[0..n/2] to n real samples written to
   * `out` (scaled by 1/n). Imaginary parts of X[0] and X[n/2] are ignored.
   */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array): void {
    if (this.wasm) {
      this.wasm.inverse(inRe, inIm, out);
      return;
    }
    const n = this.n,
      h = n >> 1;
    const zr = this.zr,
      zi = this.zi,
      wc = this.wc,
      ws = this.ws;
    const x0 = inRe[0],
      xh = inRe[h];
    // Z[k] goes straight to its bit-reversed slot (no permutation pass; rev[0] = 0)
    const rev = this.half.rev;
    zr[0] = 0.5 * (x0 + xh);
    zi[0] = 0.5 * (x0 - xh);
    for (let k = 1; k < h; k++) {
      const ar = inRe[k],
        ai = inIm[k];
      const br = inRe[h - k],
        bi = -inIm[h - k]; // conj(X[h-k])
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br),
        di = 0.5 * (ai - bi);
      // O = (X[k] - conj(X[h-k])) / 2 * e^{+2 pi i k / n}
      const c = wc[k],
        s = ws[k];
      const or = dr * c - di * s,
        oi = dr * s + di * c;
      // Z = E + i O
      const q = rev[k];
      zr[q] = er - oi;
      zi[q] = ei + or;
    }
    this.half.transformPermuted(zr, zi, true);
    for (let j = 0; j < h; j++) {
      out[2 * j] = zr[j];
      out[2 * j + 1] = zi[j];
    }
  }
}

/**
 * The twiddles of a plan's stages with m > 1 as cfftPermuted reads them (FFTPlan.transform's
 * interleaved layout): per k the four
 * complex factors (W1R, W1I, W2R, W2I), W = (c, c), (-wi, wi), wi the sine with the
 * direction's sign (forward: -sin).
 */
function stageTwiddles(plan: FFTPlan, inverse: boolean): Float64Array {
  const stages = signedStages(plan, inverse);
  const t = new Float64Array(8 * stages.reduce((a, st) => a + st.m, 0));
  let p = 0;
  for (const { m, c1, s1, c2, s2 } of stages) {
    for (let k = 0; k < m; k++, p += 8) {
      t[p] = c1[k];
      t[p + 1] = c1[k];
      t[p + 2] = -s1[k];
      t[p + 3] = s1[k];
      t[p + 4] = c2[k];
      t[p + 5] = c2[k];
      t[p + 6] = -s2[k];
      t[p + 7] = s2[k];
    }
  }
  return t;
}

/** The stages with m > 1 of a plan: their cosines and their sines with the direction's sign (forward: -sin). */
function signedStages(
  plan: FFTPlan,
  inverse: boolean,
): { m: number; c1: Float64Array; s1: Float64Array; c2: Float64Array; s2: Float64Array }[] {
  return plan.tw
    .filter((st) => st.m > 1)
    .map((st) => ({ m: st.m, c1: st.c1, c2: st.c2, s1: inverse ? st.s1 : st.n1, s2: inverse ? st.s2 : st.n2 }));
}

/**
 * The same twiddles in the layout of the real FFT's split-layout stages (wasm/dsp.ts
 * rfftForward / rfftInverse: real and imaginary parts in separate arrays, butterflies k and k + 1
 * in the two lanes of a vector): per stage with m > 1 and per pair (k, k + 1) the four lane
 * pairs c1, s1, c2, s2 (the sines with the direction's sign), the same values as stageTwiddles.
 */
function splitStageTwiddles(plan: FFTPlan, inverse: boolean): Float64Array {
  const stages = signedStages(plan, inverse);
  const t = new Float64Array(4 * stages.reduce((a, st) => a + st.m, 0));
  let p = 0;
  for (const { m, c1, s1, c2, s2 } of stages) {
    for (let k = 0; k < m; k += 2, p += 8) {
      for (let l = 0; l < 2; l++) {
        t[p + l] = c1[k + l];
        t[p + 2 + l] = s1[k + l];
        t[p + 4 + l] = c2[k + l];
        t[p + 6 + l] = s2[k + l];
      }
    }
  }
  return t;
}

/**
 * A real plan's wasm tables (rfftForward / rfftInverse arguments): `tw` / `twI` in the split
 * layout (splitStageTwiddles), `spl` / `splI` as c[k] then s[k] (k < h), `z` 32h bytes of scratch.
 */
export interface WasmForwardTables {
  w: DspWasm;
  h: number;
  rev: number;
  odd: number;
  tw: number;
  spl: number;
  /** the inverse transform's twiddles */
  twI: number;
  splI: number;
  z: number;
  oRe: number;
  oIm: number;
}

/**
 * A RealFFTPlan's tables in wasm memory and the staging of its inputs and outputs (see
 * wasm/dsp.ts rfftForward / rfftInverse for the layouts). The frame is copied in (native
 * typed-array copies), transformed, and the requested bins copied out.
 */
class WasmRealPlan {
  private readonly w: DspWasm;
  private readonly h: number;
  private readonly odd: number;
  private readonly rev: number;
  private readonly twF: number;
  private readonly twI: number;
  private readonly splF: number;
  private readonly splI: number;
  private readonly z: number;
  private readonly xs: number;
  private readonly win: number;
  private readonly oRe: number;
  private readonly oIm: number;
  private lastWindow: ArrayLike<number> | undefined;
  readonly tables: WasmForwardTables;

  constructor(w: DspWasm, half: FFTPlan, wc: Float64Array, ws: Float64Array) {
    this.w = w;
    const h = half.n;
    this.h = h;
    this.odd = half.oddStage ? 1 : 0;
    this.rev = w.allocCopy(half.rev);
    this.twF = w.allocCopy(splitStageTwiddles(half, false));
    this.twI = w.allocCopy(splitStageTwiddles(half, true));
    // split-step twiddles: c[k] (k < h), then s[k]: forward w = (c, -ws), inverse (c, ws)
    const split = (inverse: boolean): Float64Array => {
      const t = new Float64Array(2 * h);
      for (let k = 0; k < h; k++) {
        t[k] = wc[k];
        t[h + k] = inverse ? ws[k] : -ws[k];
      }
      return t;
    };
    this.splF = w.allocCopy(split(false));
    this.splI = w.allocCopy(split(true));
    // the split transform's scratch and a staging area (rfftForward / rfftInverse)
    this.z = w.alloc(32 * h);
    this.xs = w.alloc(16 * h);
    this.win = w.alloc(16 * h);
    this.oRe = w.alloc(8 * (h + 1));
    this.oIm = w.alloc(8 * (h + 1));
    this.tables = {
      w,
      h,
      rev: this.rev,
      odd: this.odd,
      tw: this.twF,
      spl: this.splF,
      twI: this.twI,
      splI: this.splI,
      z: this.z,
      oRe: this.oRe,
      oIm: this.oIm,
    };
  }

  forward(
    x: ArrayLike<number>,
    outRe: Float64Array,
    outIm: Float64Array,
    offset: number,
    window: ArrayLike<number> | undefined,
    kLo: number,
    kHi: number,
  ): void {
    const w = this.w,
      n = 2 * this.h,
      len = x.length;
    // x[offset + i] is staged at xs[i] for the in-range i; the kernel gets the address that
    // x[0] would have (it reads only in-range samples)
    const a = Math.max(0, offset),
      b = Math.min(len, offset + n);
    if (b > a) {
      const xs = w.f64(this.xs, n);
      if (ArrayBuffer.isView(x)) xs.set((x as unknown as Float64Array).subarray(a, b), a - offset);
      else for (let i = a; i < b; i++) xs[i - offset] = x[i];
    }
    let win = 0;
    if (window) {
      if (window !== this.lastWindow) {
        const wv = w.f64(this.win, n);
        if (ArrayBuffer.isView(window)) wv.set((window as unknown as Float64Array).subarray(0, n));
        else for (let i = 0; i < n; i++) wv[i] = window[i];
        this.lastWindow = window;
      }
      win = this.win;
    }
    w.exports.rfftForward(
      (this.xs - 8 * offset) >>> 0,
      len,
      offset,
      win,
      this.z,
      this.h,
      this.rev,
      this.odd,
      this.twF,
      this.splF,
      this.oRe,
      this.oIm,
      kLo,
      kHi,
    );
    if (kHi >= kLo) {
      outRe.set(w.f64(this.oRe + 8 * kLo, kHi - kLo + 1), kLo);
      outIm.set(w.f64(this.oIm + 8 * kLo, kHi - kLo + 1), kLo);
    }
  }

  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array): void {
    const w = this.w,
      h = this.h;
    const r = w.f64(this.oRe, h + 1),
      i = w.f64(this.oIm, h + 1);
    if (ArrayBuffer.isView(inRe) && ArrayBuffer.isView(inIm)) {
      r.set((inRe as unknown as Float64Array).subarray(0, h + 1));
      i.set((inIm as unknown as Float64Array).subarray(0, h + 1));
    } else {
      for (let k = 0; k <= h; k++) {
        r[k] = inRe[k];
        i[k] = inIm[k];
      }
    }
    w.exports.rfftInverse(this.oRe, this.oIm, this.z, h, this.rev, this.odd, this.twI, this.splI);
    out.set(w.f64(this.z, 2 * h));
  }
}

const realPlans = new Map<number, RealFFTPlan>();
/** The cached real plan for size n. */
export function rfftPlan(n: number): RealFFTPlan {
  return cachedPlan(realPlans, RealFFTPlan, n);
}

/** numpy.fft.rfft(frame, n): zero-padded or truncated to n, returns n/2+1 bins. */
export function rfft(frame: ArrayLike<number>, n: number = frame.length): Complex {
  const h = n >> 1;
  const re = new Float64Array(h + 1),
    im = new Float64Array(h + 1);
  const x = frame.length > n ? Array.prototype.slice.call(frame, 0, n) : frame;
  rfftPlan(n).forward(x, re, im, 0);
  return { re, im };
}

/** numpy.fft.irfft(X, n): n real samples from n/2+1 bins. */
export function irfft(re: ArrayLike<number>, im: ArrayLike<number>, n: number = 2 * (re.length - 1)): Float64Array {
  const h = n >> 1;
  const r = new Float64Array(h + 1),
    i = new Float64Array(h + 1);
  const m = Math.min(re.length, h + 1);
  for (let k = 0; k < m; k++) {
    r[k] = re[k];
    i[k] = im[k];
  }
  const out = new Float64Array(n);
  rfftPlan(n).inverse(r, i, out);
  return out;
}
