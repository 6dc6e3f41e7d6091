/**
 * The libsvm C-SVC solver, ported line by line to TypeScript from the copy of libsvm inside
 * scikit-learn (sklearn/svm/src/libsvm/svm.cpp, dense representation), so that training here
 * follows the same path as `sklearn.svm.SVC`: SMO with the WSS3 working-set selection of Fan,
 * Chen & Lin (JMLR 6, 2005), shrinking, an LRU kernel-column cache of `cache_size` MB holding
 * Q as 32-bit floats (libsvm's `Qfloat`), labels sorted (scikit-learn's change to
 * `svm_group_classes`), one-vs-one training of k(k-1)/2 binary problems, voting with ties to
 * the lowest class, Platt scaling with the internal 5-fold CV and Wu-Lin-Weng pairwise coupling
 * for probabilities.
 *
 * What differs from the C++ and why:
 * - Dot products of kernel columns run in WebAssembly SIMD (simd.ts), as scikit-learn's run
 *   in BLAS `ddot`: both sum in another order than libsvm's scalar loop (differences ~1e-16,
 *   before Q is rounded to float32). Without wasm SIMD, TypeScript loops four rows at a time.
 * - `exp`/`tanh` come from V8 rather than glibc: results may differ in the last bit, which the
 *   rounding of Q to float32 almost always absorbs.
 *
 * libsvm: Copyright (c) 2000-2009 Chih-Chung Chang and Chih-Jen Lin, BSD 3-clause licence
 * (https://www.csie.ntu.edu.tw/~cjlin/libsvm/COPYRIGHT); scikit-learn's modifications are BSD 3-clause.
 */

import { type SimdKernel, simdKernel } from './simd';
import { type DspWasm, dspWasm } from '../../dsp/wasm';

export type KernelType = 'linear' | 'poly' | 'rbf' | 'sigmoid';

/** Kernel of an SVM: libsvm's kernel_type, gamma, degree, coef0. */
export interface KernelSpec {
  kernel: KernelType;
  gamma: number;
  degree: number;
  coef0: number;
}

/** Solver settings (scikit-learn's SVC defaults: tol 1e-3, shrinking, 200 MB cache, no max_iter). */
export interface SolverOptions {
  eps: number;
  shrinking: boolean;
  cacheSizeMb: number;
  /** -1: no limit (scikit-learn's default) */
  maxIter: number;
}

export const DEFAULT_SOLVER_OPTIONS: SolverOptions = { eps: 1e-3, shrinking: true, cacheSizeMb: 200, maxIter: -1 };

const TAU = 1e-12;
const INF = Infinity;

/** libsvm's powi: base^times by squaring (times >= 0). */
export function powi(base: number, times: number): number {
  let tmp = base;
  let ret = 1.0;
  for (let t = times; t > 0; t = Math.trunc(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}

// ---------------------------------------------------------------------------------------------
// Kernel cache (libsvm's Cache): LRU list of partially filled Q columns, budget in floats.

/**
 * libsvm's `Cache`, with two changes that alter its cost, never the values it returns:
 * - `swapIndex` swaps the two heads at once (as libsvm does) but defers the element swaps and
 *   the "give up" drops of every other cached column until the next `getData`, then applies the
 *   pending swaps column by column, in their order: each column ends with exactly the entries
 *   (or is dropped exactly when) libsvm's loop gives it, but the loop runs over one column at a
 *   time instead of touching every cached column at every swap (with a cache holding all of Q,
 *   shrinking made thousands of swaps each walk thousands of columns).
 * - when the budget holds every full column (`cacheSizeMb: 'auto'` on a machine with the
 *   memory), a column is allocated at full length once and later extensions fill it in place,
 *   instead of reallocating and copying it.
 */
class Cache {
  private size: number;
  private readonly l: number;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly len: Int32Array;
  private readonly data: (Float32Array | null)[];
  private readonly head: number; // index of the list sentinel (lru_head)
  /** the budget holds all l columns at length l */
  private readonly fullWidth: boolean;
  /** deferred element swaps (i < j pairs), applied by flushSwaps */
  private pending = new Int32Array(64);
  private nPending = 0;

  constructor(l: number, sizeBytes: number) {
    this.l = l;
    this.prev = new Int32Array(l + 1);
    this.next = new Int32Array(l + 1);
    this.len = new Int32Array(l + 1);
    this.data = new Array(l + 1).fill(null);
    this.head = l;
    // size /= sizeof(Qfloat); size -= l * sizeof(head_t) / sizeof(Qfloat) (head_t is 32 bytes on 64-bit)
    let size = Math.floor(sizeBytes / 4);
    size -= l * 8;
    this.size = Math.max(size, 2 * l);
    this.fullWidth = this.size >= l * l;
    this.prev[this.head] = this.head;
    this.next[this.head] = this.head;
  }

  private lruDelete(h: number): void {
    this.next[this.prev[h]] = this.next[h];
    this.prev[this.next[h]] = this.prev[h];
  }

  private lruInsert(h: number): void {
    this.next[h] = this.head;
    this.prev[h] = this.prev[this.head];
    this.next[this.prev[h]] = h;
    this.prev[this.next[h]] = h;
  }

  /** Column `index` with room for [0, len); returns the column and where filling must start. */
  getData(index: number, len: number): { data: Float32Array; start: number } {
    if (this.nPending) this.flushSwaps();
    const h = index;
    if (this.len[h]) this.lruDelete(h);
    const more = len - this.len[h];
    let start = len;
    if (more > 0) {
      while (this.size < more) {
        const old = this.next[this.head];
        this.lruDelete(old);
        this.data[old] = null;
        this.size += this.len[old];
        this.len[old] = 0;
      }
      const prevData = this.data[h];
      if (!prevData || prevData.length < len) {
        const fresh = new Float32Array(this.fullWidth ? this.l : len);
        if (prevData && this.len[h] > 0) fresh.set(prevData.subarray(0, this.len[h]));
        this.data[h] = fresh;
      }
      this.size -= more;
      start = this.len[h];
      this.len[h] = len;
    }
    this.lruInsert(h);
    return { data: this.data[h] as Float32Array, start };
  }

  swapIndex(i: number, j: number): void {
    if (i === j) return;
    if (this.len[i]) this.lruDelete(i);
    if (this.len[j]) this.lruDelete(j);
    const td = this.data[i];
    this.data[i] = this.data[j];
    this.data[j] = td;
    const tl = this.len[i];
    this.len[i] = this.len[j];
    this.len[j] = tl;
    if (this.len[i]) this.lruInsert(i);
    if (this.len[j]) this.lruInsert(j);
    if (this.nPending * 2 === this.pending.length) {
      const grown = new Int32Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[2 * this.nPending] = Math.min(i, j);
    this.pending[2 * this.nPending + 1] = Math.max(i, j);
    this.nPending++;
  }

  /**
   * The element part of libsvm's swap_index for every pending swap, column by column: entries
   * i and j swapped where len > j, the column given up where i < len <= j.
   */
  private flushSwaps(): void {
    const sw = this.pending;
    const n = this.nPending;
    this.nPending = 0;
    for (let h = this.next[this.head]; h !== this.head; ) {
      const nextH = this.next[h];
      const len = this.len[h];
      const d = this.data[h] as Float32Array;
      for (let s = 0; s < n; s++) {
        const i = sw[2 * s];
        if (len > i) {
          const j = sw[2 * s + 1];
          if (len > j) {
            const t = d[i];
            d[i] = d[j];
            d[j] = t;
          } else {
            // give up
            this.lruDelete(h);
            this.data[h] = null;
            this.size += len;
            this.len[h] = 0;
            break;
          }
        }
      }
      h = nextH;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Kernel values

/** Dot product in libsvm's summation order. */
export function dot(x: Float64Array, xo: number, z: Float64Array, zo: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[xo + k] * z[zo + k];
  return s;
}

/**
 * libsvm's `Kernel::k_function` (dense): the kernel between row `xo` of `x` and row `zo` of
 * `z`, as used at prediction time (RBF as the sum of squared differences).
 */
export function kFunction(x: Float64Array, xo: number, z: Float64Array, zo: number, d: number, k: KernelSpec): number {
  switch (k.kernel) {
    case 'linear':
      return dot(x, xo, z, zo, d);
    case 'poly':
      return powi(k.gamma * dot(x, xo, z, zo, d) + k.coef0, k.degree);
    case 'rbf': {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const t = x[xo + i] - z[zo + i];
        s += t * t;
      }
      return Math.exp(-k.gamma * s);
    }
    case 'sigmoid':
      return Math.tanh(k.gamma * dot(x, xo, z, zo, d) + k.coef0);
  }
}

const RBF_MAX_FIX = 1024;

/** rbfRowF32's staging in the wasm memory for rows of up to n values (reserved ahead, see Solver.solve). */
function rbfScratch(wasm: DspWasm, n: number): { dp: number; xp: number; op: number; fp: number } {
  return {
    dp: wasm.scratch('rbf.dots', 8 * n),
    xp: wasm.scratch('rbf.xsq', 8 * n),
    op: wasm.scratch('rbf.out', 4 * n),
    fp: wasm.scratch('rbf.fix', 16 * RBF_MAX_FIX),
  };
}

/**
 * out[j] = (float)exp(-g * (xi + xsq[j] - 2 * dots[j])): an RBF kernel row rounded to float32,
 * as the shared kernel matrix stores it. With the wasm kernels (dsp/wasm.ts rbfRow32) exp comes
 * from a fast evaluation, and every value whose float32 rounding could differ from Math.exp's is
 * computed with Math.exp, so the row is bit for bit this loop's (tested); about 4x faster.
 */
export function rbfRowF32(
  dots: Float64Array,
  xsq: Float64Array,
  xi: number,
  g: number,
  out: Float32Array,
  wasm: DspWasm | null = dspWasm(),
): void {
  const n = dots.length;
  if (wasm && n > 0) {
    const maxFix = RBF_MAX_FIX;
    const { dp, xp, op, fp } = rbfScratch(wasm, n);
    wasm.f64(dp, n).set(dots);
    wasm.f64(xp, n).set(xsq);
    const nf = wasm.exports.rbfRow32(dp, xp, n, xi, g, op, fp, maxFix);
    if (nf >= 0) {
      out.set(wasm.f32(op, n));
      const at = wasm.i32(fp, 4 * nf);
      const v = wasm.f64(fp, 2 * nf);
      for (let e = 0; e < nf; e++) out[at[4 * e]] = Math.exp(v[2 * e + 1]);
      return;
    }
  }
  for (let j = 0; j < n; j++) out[j] = Math.exp(-g * (xi + xsq[j] - 2 * dots[j]));
}

/**
 * A binary problem's place in a shared kernel matrix (kernel-matrix.ts): its rows are the rows
 * of class `a` (the first `nPos`), then those of class `b`, each class in grouped order.
 */
export interface SharedRows {
  /** kernel-matrix.ts's KernelMatrixView (named by its shape here, so the solver does not import the store) */
  view: {
    /** grouped row `g` (class a) against every row of class `b`, filled by `fill` if not yet filled */
    row(g: number, a: number, b: number, fill: (out: Float32Array) => void): Float32Array;
    /** the matrix: first grouped row of each class */
    h: { start: Int32Array };
  };
  a: number;
  b: number;
  nPos: number;
}

/**
 * The Q matrix of a C-SVC problem (libsvm's SVC_Q over Kernel): Q_ij = y_i y_j K(x_i, x_j),
 * columns cached as float32. `X` holds the problem's rows (l x d, row-major); swapping rows
 * (shrinking) swaps their offsets.
 */
class SvcQ {
  readonly QD: Float64Array;
  private readonly off: Int32Array;
  private readonly xsq: Float64Array | null;
  private readonly y: Int8Array;
  private readonly cache: Cache;
  private dots = new Float64Array(0);
  private readonly X: Float64Array;
  /** wasm SIMD path: the rows, their byte addresses and the output live in the kernel's memory */
  private readonly simd: SimdKernel | null;
  private readonly base: number = 0;
  private readonly offB: Int32Array | null = null;
  private readonly offBAddr: number = 0;
  private readonly outAddr: number = 0;
  /** shared kernel matrix (kernel-matrix.ts): each row's original index in the problem, its byte offsets and |x|^2 in that order */
  private readonly shared: SharedRows | null = null;
  private readonly orig: Int32Array | null = null;
  private readonly origOffAddr: number = 0;
  private readonly xsqOrig: Float64Array | null = null;

  constructor(
    X: Float64Array,
    private readonly d: number,
    l: number,
    y: Int8Array,
    private readonly k: KernelSpec,
    cacheSizeMb: number,
    shared: SharedRows | null = null,
  ) {
    this.off = new Int32Array(l);
    for (let i = 0; i < l; i++) this.off[i] = i * d;
    this.simd = simdKernel();
    if (this.simd) {
      const xBytes = Math.ceil((l * d * 8) / 16) * 16;
      const oBytes = Math.ceil((l * 4) / 16) * 16;
      this.base = this.simd.alloc(xBytes + 2 * oBytes + (l + 4) * 8);
      const buf = this.simd.memory.buffer;
      this.X = new Float64Array(buf, this.base, l * d);
      this.X.set(X.subarray(0, l * d));
      this.offBAddr = this.base + xBytes;
      this.offB = new Int32Array(buf, this.offBAddr, l);
      for (let i = 0; i < l; i++) this.offB[i] = this.base + i * d * 8;
      this.origOffAddr = this.offBAddr + oBytes;
      new Int32Array(buf, this.origOffAddr, l).set(this.offB);
      this.outAddr = this.origOffAddr + oBytes;
      this.dots = new Float64Array(buf, this.outAddr, l + 4);
      if (shared) {
        this.shared = shared;
        this.orig = new Int32Array(l);
        for (let i = 0; i < l; i++) this.orig[i] = i;
      }
    } else {
      this.X = X;
      this.dots = new Float64Array(l + 4);
    }
    this.y = Int8Array.from(y);
    this.cache = new Cache(l, Math.floor(cacheSizeMb * (1 << 20)));
    if (k.kernel === 'rbf') {
      this.xsq = new Float64Array(l);
      for (let i = 0; i < l; i++) this.xsq[i] = dot(this.X, i * d, this.X, i * d, d);
      if (this.shared) this.xsqOrig = Float64Array.from(this.xsq);
    } else this.xsq = null;
    this.QD = new Float64Array(l);
    for (let i = 0; i < l; i++) this.QD[i] = this.kernel(i, i);
  }

  /** Gives the kernel memory back (call once the solver is done). */
  dispose(): void {
    if (this.simd) this.simd.release(this.base);
  }

  /** Kernel::kernel_function(i, j) (training form: RBF through x_square and the dot product). */
  private kernel(i: number, j: number): number {
    const s = dot(this.X, this.off[i], this.X, this.off[j], this.d);
    return this.finish(i, j, s);
  }

  private finish(i: number, j: number, s: number): number {
    const k = this.k;
    switch (k.kernel) {
      case 'linear':
        return s;
      case 'poly':
        return powi(k.gamma * s + k.coef0, k.degree);
      case 'rbf': {
        const xsq = this.xsq as Float64Array;
        return Math.exp(-k.gamma * (xsq[i] + xsq[j] - 2 * s));
      }
      case 'sigmoid':
        return Math.tanh(k.gamma * s + k.coef0);
    }
  }

  getQ(i: number, len: number): Float32Array {
    const { data, start } = this.cache.getData(i, len);
    if (start < len) this.fill(i, start, len, data);
    return data;
  }

  /**
   * data[j] = (float)(y_i y_j K(i, j)) for j in [start, len): the dot products (wasm SIMD, or
   * TypeScript), then the kernel formula in a separate loop. No rarely-taken code paths here:
   * V8 deoptimises a hot loop when one is first reached.
   */
  private fill(i: number, start: number, len: number, data: Float32Array): void {
    if (this.shared) {
      this.fillShared(i, start, len, data);
      return;
    }
    const dots = this.dots;
    if (this.simd) this.simd.colDotsAhead((this.offB as Int32Array)[i], this.offBAddr, start, len, this.d, this.outAddr);
    else this.fillDots(i, start, len, dots);
    const y = this.y;
    const yi = y[i];
    const k = this.k;
    if (k.kernel === 'rbf') {
      const xsq = this.xsq as Float64Array;
      const xi = xsq[i];
      const g = k.gamma;
      for (let j = start; j < len; j++) data[j] = yi * y[j] * Math.exp(-g * (xi + xsq[j] - 2 * dots[j]));
    } else if (k.kernel === 'linear') {
      for (let j = start; j < len; j++) data[j] = yi * y[j] * dots[j];
    } else if (k.kernel === 'poly') {
      for (let j = start; j < len; j++) data[j] = yi * y[j] * powi(k.gamma * dots[j] + k.coef0, k.degree);
    } else {
      for (let j = start; j < len; j++) data[j] = yi * y[j] * Math.tanh(k.gamma * dots[j] + k.coef0);
    }
  }

  /**
   * fill() from the shared kernel matrix: row i's block rows against the problem's two classes
   * (filled first if no thread has), gathered in the problem's current order and signed.
   */
  private fillShared(i: number, start: number, len: number, data: Float32Array): void {
    const sh = this.shared as SharedRows;
    const orig = this.orig as Int32Array;
    const nPos = sh.nPos;
    const oi = orig[i];
    const cls = oi < nPos ? sh.a : sh.b;
    const g = oi < nPos ? sh.view.h.start[sh.a] + oi : sh.view.h.start[sh.b] + oi - nPos;
    const rowA = sh.view.row(g, cls, sh.a, (out) => this.kernelRow(oi, 0, nPos, out));
    const rowB = sh.view.row(g, cls, sh.b, (out) => this.kernelRow(oi, nPos, orig.length, out));
    const y = this.y;
    const yi = y[i];
    for (let j = start; j < len; j++) {
      const o = orig[j];
      data[j] = yi * y[j] * (o < nPos ? rowA[o] : rowB[o - nPos]);
    }
  }

  /**
   * out[t] = (float)K(x_oi, x_(lo+t)) for t in [0, hi - lo), rows by their original index in the
   * problem: the dot products and kernel formula of fill(), so the value is the one fill() rounds.
   */
  private kernelRow(oi: number, lo: number, hi: number, out: Float32Array): void {
    const simd = this.simd as SimdKernel;
    const base = this.base;
    simd.colDotsAhead(base + oi * this.d * 8, this.origOffAddr, lo, hi, this.d, this.outAddr);
    const dots = this.dots;
    const k = this.k;
    if (k.kernel === 'rbf') {
      const xsq = this.xsqOrig as Float64Array;
      rbfRowF32(dots.subarray(lo, hi), xsq.subarray(lo, hi), xsq[oi], k.gamma, out);
    } else if (k.kernel === 'linear') {
      for (let j = lo; j < hi; j++) out[j - lo] = dots[j];
    } else if (k.kernel === 'poly') {
      for (let j = lo; j < hi; j++) out[j - lo] = powi(k.gamma * dots[j] + k.coef0, k.degree);
    } else {
      for (let j = lo; j < hi; j++) out[j - lo] = Math.tanh(k.gamma * dots[j] + k.coef0);
    }
  }

  /** dots[j] = x_i . x_j in TypeScript, four rows of X per pass (each sum in libsvm's order). */
  private fillDots(i: number, start: number, len: number, dots: Float64Array): void {
    const X = this.X;
    const d = this.d;
    const off = this.off;
    const oi = off[i];
    const last = len - 1;
    for (let j = start; j < len; j += 4) {
      const o0 = off[j];
      const o1 = off[j + 1 < last ? j + 1 : last];
      const o2 = off[j + 2 < last ? j + 2 : last];
      const o3 = off[j + 3 < last ? j + 3 : last];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < d; f++) {
        const a = X[oi + f];
        s0 += a * X[o0 + f];
        s1 += a * X[o1 + f];
        s2 += a * X[o2 + f];
        s3 += a * X[o3 + f];
      }
      // the block may run past len: dots has room (len rounded up to 4 below)
      dots[j] = s0;
      dots[j + 1] = s1;
      dots[j + 2] = s2;
      dots[j + 3] = s3;
    }
  }

  swapIndex(i: number, j: number): void {
    this.cache.swapIndex(i, j);
    if (this.orig) swapI32(this.orig, i, j);
    let t = this.off[i];
    this.off[i] = this.off[j];
    this.off[j] = t;
    if (this.offB) {
      t = this.offB[i];
      this.offB[i] = this.offB[j];
      this.offB[j] = t;
    }
    if (this.xsq) {
      const s = this.xsq[i];
      this.xsq[i] = this.xsq[j];
      this.xsq[j] = s;
    }
    t = this.y[i];
    this.y[i] = this.y[j];
    this.y[j] = t;
    const q = this.QD[i];
    this.QD[i] = this.QD[j];
    this.QD[j] = q;
  }
}

// ---------------------------------------------------------------------------------------------
// SMO solver (libsvm's Solver, C-SVC form)

const LOWER_BOUND = 0;
const UPPER_BOUND = 1;
const FREE = 2;

export interface SolutionInfo {
  obj: number;
  rho: number;
  iter: number;
  /** true when maxIter stopped the solver */
  timedOut: boolean;
}

/**
 * WSS3's first scan (libsvm's select_working_set; wasm/dsp.ts wssMaxUp does the same in SIMD
 * lanes): over t < n in I_up (up[t] = 1), the last t with the largest -y_t G_t. Writes that value
 * (Gmax; -Infinity if none) to out[0] and returns t, or -1. libsvm's two branches on y are folded
 * into the I_up / I_low flags and y as +-1 (products with +-1 are exact).
 */
export function wssMaxUpTs(G: Float64Array, yf: Float64Array, up: Uint8Array, n: number, out: Float64Array): number {
  let Gmax = -INF;
  let GmaxIdx = -1;
  for (let t = 0; t < n; t++) {
    if (up[t] === 1) {
      const v = -yf[t] * G[t];
      if (v >= Gmax) {
        Gmax = v;
        GmaxIdx = t;
      }
    }
  }
  out[0] = Gmax;
  return GmaxIdx;
}

/**
 * WSS3's second scan given Gmax and row i (QDi = QD[i], yi2 = 2 y_i, Qi its kernel column):
 * over j < n in I_low, Gmax2 = the largest y_j G_j (to out[0]), and the last j with the smallest
 * -(gradDiff^2) / quad among gradDiff = Gmax + y_j G_j > 0 (quad <= 0 taken as TAU); returns j,
 * or -1. wasm/dsp.ts wssMinObj does the same in SIMD lanes.
 */
export function wssMinObjTs(
  G: Float64Array,
  yf: Float64Array,
  low: Uint8Array,
  QD: Float64Array,
  Qi: Float32Array,
  n: number,
  Gmax: number,
  QDi: number,
  yi2: number,
  out: Float64Array,
): number {
  let Gmax2 = -INF;
  let GminIdx = -1;
  let objDiffMin = INF;
  for (let j = 0; j < n; j++) {
    if (low[j] === 1) {
      const yg = yf[j] * G[j];
      const gradDiff = Gmax + yg;
      if (yg >= Gmax2) Gmax2 = yg;
      if (gradDiff > 0) {
        const quad = QDi + QD[j] - yi2 * yf[j] * Qi[j];
        const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
        if (objDiff <= objDiffMin) {
          GminIdx = j;
          objDiffMin = objDiff;
        }
      }
    }
  }
  out[0] = Gmax2;
  return GminIdx;
}

class Solver {
  private activeSize = 0;
  private l = 0;
  private y!: Int8Array;
  private G!: Float64Array;
  private alphaStatus!: Uint8Array;
  private alpha!: Float64Array;
  private Q!: SvcQ;
  private QD!: Float64Array;
  private eps = 0;
  private C!: Float64Array;
  private p!: Float64Array;
  private activeSet!: Int32Array;
  private Gbar!: Float64Array;
  private unshrink = false;

  /** per row: y as a double, and membership of I_up / I_low (WSS3's index sets) */
  private yf!: Float64Array;
  private isUp!: Uint8Array;
  private isLow!: Uint8Array;

  /**
   * WSS3 and the gradient update in the wasm kernels (dsp/wasm.ts wssMaxUp, wssMinObj,
   * smoGradient): G, yf, QD, isUp and isLow then live in the kernels' memory (views), and the
   * columns of i and j are copied to `Qi`, `Qj` there. The same arithmetic in the same order, so
   * the same path and model (tested against the TypeScript loops). Null without the kernels.
   */
  /** the TypeScript scans' second result (Gmax, then Gmax2) */
  private readonly scanOut = new Float64Array(1);

  private wss: {
    wasm: DspWasm;
    buf: ArrayBuffer;
    pG: number;
    pYf: number;
    pQD: number;
    pUp: number;
    pLow: number;
    pQi: number;
    pQj: number;
    pOut: number;
    Qi: Float32Array;
    Qj: Float32Array;
    out: Float64Array;
  } | null = null;

  private updateAlphaStatus(i: number): void {
    let s: number;
    if (this.alpha[i] >= this.C[i]) s = UPPER_BOUND;
    else if (this.alpha[i] <= 0) s = LOWER_BOUND;
    else s = FREE;
    this.alphaStatus[i] = s;
    const pos = this.y[i] === 1;
    this.isUp[i] = (pos ? s !== UPPER_BOUND : s !== LOWER_BOUND) ? 1 : 0;
    this.isLow[i] = (pos ? s !== LOWER_BOUND : s !== UPPER_BOUND) ? 1 : 0;
  }

  private swapIndex(i: number, j: number): void {
    this.Q.swapIndex(i, j);
    swapF64(this.QD, i, j);
    swapI8(this.y, i, j);
    swapF64(this.G, i, j);
    swapU8(this.alphaStatus, i, j);
    swapF64(this.alpha, i, j);
    swapF64(this.p, i, j);
    swapI32(this.activeSet, i, j);
    swapF64(this.Gbar, i, j);
    swapF64(this.C, i, j);
    swapF64(this.yf, i, j);
    swapU8(this.isUp, i, j);
    swapU8(this.isLow, i, j);
  }

  private reconstructGradient(): void {
    const { l, activeSize, G, Gbar, p, alpha, alphaStatus } = this;
    if (activeSize === l) return;
    let nrFree = 0;
    for (let j = activeSize; j < l; j++) G[j] = Gbar[j] + p[j];
    for (let j = 0; j < activeSize; j++) if (alphaStatus[j] === FREE) nrFree++;
    if (nrFree * l > 2 * activeSize * (l - activeSize)) {
      for (let i = activeSize; i < l; i++) {
        const Qi = this.Q.getQ(i, activeSize);
        for (let j = 0; j < activeSize; j++) if (alphaStatus[j] === FREE) G[i] += alpha[j] * Qi[j];
      }
    } else {
      for (let i = 0; i < activeSize; i++) {
        if (alphaStatus[i] === FREE) {
          const Qi = this.Q.getQ(i, l);
          const ai = alpha[i];
          for (let j = activeSize; j < l; j++) G[j] += ai * Qi[j];
        }
      }
    }
  }

  /**
   * G, yf, QD (the solver's copy, swapped with the rows), isUp and isLow: views into the wasm
   * kernels' memory when WSS3 runs there, else plain arrays. The kernels' memory must not grow
   * while the views are used (growing detaches them): rbfRowF32's staging for rows of up to l
   * values is reserved first, and `checkMemory` stops the solver with an error if it grew anyway.
   */
  private placeArrays(l: number): void {
    const wasm = dspWasm();
    if (!wasm) {
      this.wss = null;
      this.G = new Float64Array(l);
      this.yf = new Float64Array(l);
      this.QD = new Float64Array(l);
      this.isUp = new Uint8Array(l);
      this.isLow = new Uint8Array(l);
      return;
    }
    rbfScratch(wasm, l);
    const f64 = 8 * l;
    const q = Math.ceil((4 * l) / 16) * 16;
    const u8 = Math.ceil(l / 16) * 16 + 16;
    const base = wasm.scratch('svm.wss', 3 * f64 + 2 * q + 2 * u8 + 16);
    const pG = base;
    const pYf = pG + f64;
    const pQD = pYf + f64;
    const pQi = pQD + f64;
    const pQj = pQi + q;
    const pUp = pQj + q;
    const pLow = pUp + u8;
    const pOut = pLow + u8;
    const buf = wasm.exports.memory.buffer;
    this.G = new Float64Array(buf, pG, l).fill(0);
    this.yf = new Float64Array(buf, pYf, l);
    this.QD = new Float64Array(buf, pQD, l);
    this.isUp = new Uint8Array(buf, pUp, l);
    this.isLow = new Uint8Array(buf, pLow, l);
    this.wss = {
      wasm,
      buf,
      pG,
      pYf,
      pQD,
      pUp,
      pLow,
      pQi,
      pQj,
      pOut,
      Qi: new Float32Array(buf, pQi, l),
      Qj: new Float32Array(buf, pQj, l),
      out: new Float64Array(buf, pOut, 2),
    };
  }

  /** Throws if the wasm kernels' memory grew since placeArrays (the views would be detached). */
  private checkMemory(): void {
    const w = this.wss;
    if (w && w.wasm.exports.memory.buffer !== w.buf)
      throw new Error("SVM solver: the wasm kernels' memory grew during a solve (a bug: its arrays were reserved too small)");
  }

  solve(
    l: number,
    Q: SvcQ,
    p_: Float64Array,
    y_: Int8Array,
    alpha_: Float64Array,
    C_: Float64Array,
    eps: number,
    shrinking: boolean,
    maxIter: number,
  ): SolutionInfo {
    this.l = l;
    this.Q = Q;
    this.p = Float64Array.from(p_);
    this.y = Int8Array.from(y_);
    this.alpha = Float64Array.from(alpha_);
    this.C = Float64Array.from(C_);
    this.eps = eps;
    this.unshrink = false;
    let timedOut = false;

    this.placeArrays(l);
    this.QD.set(Q.QD.subarray(0, l));
    this.alphaStatus = new Uint8Array(l);
    this.yf.set(this.y);
    for (let i = 0; i < l; i++) this.updateAlphaStatus(i);
    this.activeSet = new Int32Array(l);
    for (let i = 0; i < l; i++) this.activeSet[i] = i;
    this.activeSize = l;

    const G = this.G;
    const Gbar = (this.Gbar = new Float64Array(l));
    const alpha = this.alpha;
    const C = this.C;
    const y = this.y;
    for (let i = 0; i < l; i++) {
      G[i] = this.p[i];
      Gbar[i] = 0;
    }
    for (let i = 0; i < l; i++) {
      if (this.alphaStatus[i] !== LOWER_BOUND) {
        const Qi = Q.getQ(i, l);
        const ai = alpha[i];
        for (let j = 0; j < l; j++) G[j] += ai * Qi[j];
        if (this.alphaStatus[i] === UPPER_BOUND) for (let j = 0; j < l; j++) Gbar[j] += C[i] * Qi[j];
      }
    }

    let iter = 0;
    let counter = Math.min(l, 1000) + 1;
    const ws = new Int32Array(2);

    for (;;) {
      if (maxIter !== -1 && iter >= maxIter) {
        timedOut = true;
        break;
      }
      if (--counter === 0) {
        counter = Math.min(l, 1000);
        if (shrinking) this.doShrinking();
      }
      if (this.selectWorkingSet(ws) !== 0) {
        this.reconstructGradient();
        this.activeSize = l;
        if (this.selectWorkingSet(ws) !== 0) break;
        else counter = 1;
      }
      const i = ws[0];
      const j = ws[1];
      ++iter;

      const activeSize = this.activeSize;
      let Qi = Q.getQ(i, activeSize);
      let Qj = Q.getQ(j, activeSize);
      const QD = this.QD;
      const Ci = C[i];
      const Cj = C[j];
      const oldAi = alpha[i];
      const oldAj = alpha[j];

      if (y[i] !== y[j]) {
        let quad = QD[i] + QD[j] + 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const delta = (-G[i] - G[j]) / quad;
        const diff = alpha[i] - alpha[j];
        alpha[i] += delta;
        alpha[j] += delta;
        if (diff > 0) {
          if (alpha[j] < 0) {
            alpha[j] = 0;
            alpha[i] = diff;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = -diff;
        }
        if (diff > Ci - Cj) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = Ci - diff;
          }
        } else if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = Cj + diff;
        }
      } else {
        let quad = QD[i] + QD[j] - 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const delta = (G[i] - G[j]) / quad;
        const sum = alpha[i] + alpha[j];
        alpha[i] -= delta;
        alpha[j] += delta;
        if (sum > Ci) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = sum - Ci;
          }
        } else if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = sum;
        }
        if (sum > Cj) {
          if (alpha[j] > Cj) {
            alpha[j] = Cj;
            alpha[i] = sum - Cj;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = sum;
        }
      }

      // update G
      const dai = alpha[i] - oldAi;
      const daj = alpha[j] - oldAj;
      const w = this.wss;
      if (w) {
        // the column of i is in w.Qi since selectWorkingSet
        this.checkMemory();
        w.Qj.set(Qj.subarray(0, activeSize));
        w.wasm.exports.smoGradient(w.pG, w.pQi, w.pQj, activeSize, dai, daj);
      } else for (let k = 0; k < activeSize; k++) G[k] += Qi[k] * dai + Qj[k] * daj;

      // update alpha_status and G_bar
      const ui = this.alphaStatus[i] === UPPER_BOUND;
      const uj = this.alphaStatus[j] === UPPER_BOUND;
      this.updateAlphaStatus(i);
      this.updateAlphaStatus(j);
      if (ui !== (this.alphaStatus[i] === UPPER_BOUND)) {
        Qi = Q.getQ(i, l);
        if (ui) for (let k = 0; k < l; k++) Gbar[k] -= Ci * Qi[k];
        else for (let k = 0; k < l; k++) Gbar[k] += Ci * Qi[k];
      }
      if (uj !== (this.alphaStatus[j] === UPPER_BOUND)) {
        Qj = Q.getQ(j, l);
        if (uj) for (let k = 0; k < l; k++) Gbar[k] -= Cj * Qj[k];
        else for (let k = 0; k < l; k++) Gbar[k] += Cj * Qj[k];
      }
    }

    this.checkMemory();
    const rho = this.calculateRho();
    let v = 0;
    for (let i = 0; i < l; i++) v += alpha[i] * (G[i] + this.p[i]);
    for (let i = 0; i < l; i++) alpha_[this.activeSet[i]] = alpha[i];
    return { obj: v / 2, rho, iter, timedOut };
  }

  /**
   * WSS3; writes i, j into out and returns 0, or returns 1 when optimal. libsvm's two branches on
   * y are folded into I_up / I_low flags and y as +-1 (products with +-1 are exact, so every
   * comparison sees the same numbers as in libsvm).
   */
  private selectWorkingSet(out: Int32Array): number {
    const w = this.wss;
    if (w) {
      this.checkMemory();
      const n = this.activeSize;
      const i = w.wasm.exports.wssMaxUp(w.pG, w.pYf, w.pUp, n, w.pOut);
      if (i === -1) return 1;
      const Gmax = w.out[0];
      const Qi = this.Q.getQ(i, n);
      this.checkMemory();
      w.Qi.set(Qi.subarray(0, n));
      const j = w.wasm.exports.wssMinObj(w.pG, w.pYf, w.pLow, w.pQD, w.pQi, n, Gmax, this.QD[i], 2.0 * this.yf[i], TAU, w.pOut);
      if (Gmax + w.out[0] < this.eps || j === -1) return 1;
      out[0] = i;
      out[1] = j;
      return 0;
    }
    const { activeSize, yf, G, isUp, isLow, QD } = this;
    const scan = this.scanOut;
    const i = wssMaxUpTs(G, yf, isUp, activeSize, scan);
    if (i === -1) return 1;
    const Gmax = scan[0];
    const Qi = this.Q.getQ(i, activeSize);
    const j = wssMinObjTs(G, yf, isLow, QD, Qi, activeSize, Gmax, QD[i], 2.0 * yf[i], scan);
    if (Gmax + scan[0] < this.eps || j === -1) return 1;
    out[0] = i;
    out[1] = j;
    return 0;
  }

  private beShrunk(i: number, Gmax1: number, Gmax2: number): boolean {
    const s = this.alphaStatus[i];
    if (s === UPPER_BOUND) {
      if (this.y[i] === 1) return -this.G[i] > Gmax1;
      return -this.G[i] > Gmax2;
    } else if (s === LOWER_BOUND) {
      if (this.y[i] === 1) return this.G[i] > Gmax2;
      return this.G[i] > Gmax1;
    }
    return false;
  }

  private doShrinking(): void {
    let Gmax1 = -INF;
    let Gmax2 = -INF;
    const { y, G, alphaStatus } = this;
    for (let i = 0; i < this.activeSize; i++) {
      if (y[i] === 1) {
        if (alphaStatus[i] !== UPPER_BOUND && -G[i] >= Gmax1) Gmax1 = -G[i];
        if (alphaStatus[i] !== LOWER_BOUND && G[i] >= Gmax2) Gmax2 = G[i];
      } else {
        if (alphaStatus[i] !== UPPER_BOUND && -G[i] >= Gmax2) Gmax2 = -G[i];
        if (alphaStatus[i] !== LOWER_BOUND && G[i] >= Gmax1) Gmax1 = G[i];
      }
    }
    if (this.unshrink === false && Gmax1 + Gmax2 <= this.eps * 10) {
      this.unshrink = true;
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    for (let i = 0; i < this.activeSize; i++) {
      if (this.beShrunk(i, Gmax1, Gmax2)) {
        this.activeSize--;
        while (this.activeSize > i) {
          if (!this.beShrunk(this.activeSize, Gmax1, Gmax2)) {
            this.swapIndex(i, this.activeSize);
            break;
          }
          this.activeSize--;
        }
      }
    }
  }

  private calculateRho(): number {
    let nrFree = 0;
    let ub = INF;
    let lb = -INF;
    let sumFree = 0;
    const { y, G, alphaStatus } = this;
    for (let i = 0; i < this.activeSize; i++) {
      const yG = y[i] * G[i];
      if (alphaStatus[i] === UPPER_BOUND) {
        if (y[i] === -1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else if (alphaStatus[i] === LOWER_BOUND) {
        if (y[i] === 1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else {
        ++nrFree;
        sumFree += yG;
      }
    }
    return nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
  }
}

function swapF64(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
function swapI32(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
function swapI8(a: Int8Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
function swapU8(a: Uint8Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

// ---------------------------------------------------------------------------------------------
// One binary problem

/** A binary C-SVC problem: rows (l x d, row-major) and their signs (+1 / -1). */
export interface BinaryProblem {
  X: Float64Array;
  d: number;
  l: number;
  y: Int8Array;
}

/** svm_train_one + solve_c_svc: returns alpha_i * y_i per row and rho. */
export interface BinarySolution {
  /** signed coefficients y_i alpha_i, one per row (0 for non-support vectors) */
  coef: Float64Array;
  rho: number;
  obj: number;
  iter: number;
  timedOut: boolean;
}

export function solveCSvc(
  prob: BinaryProblem,
  k: KernelSpec,
  Cp: number,
  Cn: number,
  opts: SolverOptions = DEFAULT_SOLVER_OPTIONS,
  shared: SharedRows | null = null,
): BinarySolution {
  const { l, y } = prob;
  const alpha = new Float64Array(l);
  const minusOnes = new Float64Array(l).fill(-1);
  const C = new Float64Array(l);
  for (let i = 0; i < l; i++) C[i] = y[i] > 0 ? Cp : Cn;
  const Q = new SvcQ(prob.X, prob.d, l, y, k, opts.cacheSizeMb, shared);
  let si: SolutionInfo;
  try {
    si = new Solver().solve(l, Q, minusOnes, y, alpha, C, opts.eps, opts.shrinking, opts.maxIter);
  } finally {
    Q.dispose();
  }
  for (let i = 0; i < l; i++) alpha[i] *= y[i];
  return { coef: alpha, rho: si.rho, obj: si.obj, iter: si.iter, timedOut: si.timedOut };
}

/** Decision value of a binary solution at row `xo` of `x` (libsvm's predict_values, 2 classes). */
export function binaryDecision(prob: BinaryProblem, sol: BinarySolution, k: KernelSpec, x: Float64Array, xo: number): number {
  let sum = 0;
  for (let i = 0; i < prob.l; i++) {
    const c = sol.coef[i];
    if (c !== 0) sum += c * kFunction(x, xo, prob.X, i * prob.d, prob.d, k);
  }
  return sum - sol.rho;
}

// ---------------------------------------------------------------------------------------------
// Probability estimates (Platt scaling, pairwise coupling)

/** Platt's sigmoid fit with Lin, Lin & Weng's improvements (libsvm's sigmoid_train). */
export function sigmoidTrain(decValues: Float64Array, labels: Int8Array): { A: number; B: number } {
  const l = decValues.length;
  let prior1 = 0;
  let prior0 = 0;
  for (let i = 0; i < l; i++) {
    if (labels[i] > 0) prior1 += 1;
    else prior0 += 1;
  }
  const maxIter = 100;
  const minStep = 1e-10;
  const sigma = 1e-12;
  const eps = 1e-5;
  const hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
  const loTarget = 1 / (prior0 + 2.0);
  const t = new Float64Array(l);
  let A = 0.0;
  let B = Math.log((prior0 + 1.0) / (prior1 + 1.0));
  let fval = 0.0;
  for (let i = 0; i < l; i++) {
    t[i] = labels[i] > 0 ? hiTarget : loTarget;
    const fApB = decValues[i] * A + B;
    if (fApB >= 0) fval += t[i] * fApB + Math.log(1 + Math.exp(-fApB));
    else fval += (t[i] - 1) * fApB + Math.log(1 + Math.exp(fApB));
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0.0;
    let g1 = 0.0;
    let g2 = 0.0;
    for (let i = 0; i < l; i++) {
      const fApB = decValues[i] * A + B;
      let p: number;
      let q: number;
      if (fApB >= 0) {
        p = Math.exp(-fApB) / (1.0 + Math.exp(-fApB));
        q = 1.0 / (1.0 + Math.exp(-fApB));
      } else {
        p = 1.0 / (1.0 + Math.exp(fApB));
        q = Math.exp(fApB) / (1.0 + Math.exp(fApB));
      }
      const d2 = p * q;
      h11 += decValues[i] * decValues[i] * d2;
      h22 += d2;
      h21 += decValues[i] * d2;
      const d1 = t[i] - p;
      g1 += decValues[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let stepsize = 1;
    while (stepsize >= minStep) {
      const newA = A + stepsize * dA;
      const newB = B + stepsize * dB;
      let newf = 0.0;
      for (let i = 0; i < l; i++) {
        const fApB = decValues[i] * newA + newB;
        if (fApB >= 0) newf += t[i] * fApB + Math.log(1 + Math.exp(-fApB));
        else newf += (t[i] - 1) * fApB + Math.log(1 + Math.exp(fApB));
      }
      if (newf < fval + 0.0001 * stepsize * gd) {
        A = newA;
        B = newB;
        fval = newf;
        break;
      }
      stepsize = stepsize / 2.0;
    }
    if (stepsize < minStep) break;
  }
  return { A, B };
}

/** libsvm's sigmoid_predict. */
export function sigmoidPredict(decisionValue: number, A: number, B: number): number {
  const fApB = decisionValue * A + B;
  if (fApB >= 0) return Math.exp(-fApB) / (1.0 + Math.exp(-fApB));
  return 1.0 / (1 + Math.exp(fApB));
}

/** Method 2 of Wu, Lin & Weng (2004): class probabilities from pairwise ones r[i][j]. */
export function multiclassProbability(k: number, r: Float64Array[], p: Float64Array): void {
  const maxIter = Math.max(100, k);
  const Q: Float64Array[] = [];
  const Qp = new Float64Array(k);
  const eps = 0.005 / k;
  for (let t = 0; t < k; t++) {
    p[t] = 1.0 / k;
    Q.push(new Float64Array(k));
  }
  for (let t = 0; t < k; t++) {
    Q[t][t] = 0;
    for (let j = 0; j < t; j++) {
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = Q[j][t];
    }
    for (let j = t + 1; j < k; j++) {
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = -r[j][t] * r[t][j];
    }
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t][j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) {
      const error = Math.abs(Qp[t] - pQp);
      if (error > maxError) maxError = error;
    }
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
}

/**
 * svm_binary_svc_probability: decision values from an internal 5-fold CV over the binary
 * problem (rows visited in the order `perm`, drawn by the caller from libsvm's RNG), then a
 * sigmoid fit. Each inner model is trained as scikit-learn's libsvm does it: a two-class
 * svm_train with sorted labels, so the -1 rows come first and the decision value is negated.
 */
export function binarySvcProbability(
  prob: BinaryProblem,
  k: KernelSpec,
  Cp: number,
  Cn: number,
  perm: Int32Array,
  opts: SolverOptions,
): { probA: number; probB: number } {
  const { l, d, X, y } = prob;
  const nrFold = 5;
  const dec = new Float64Array(l);
  for (let f = 0; f < nrFold; f++) {
    const begin = Math.trunc((f * l) / nrFold);
    const end = Math.trunc(((f + 1) * l) / nrFold);
    const rest: number[] = [];
    for (let j = 0; j < begin; j++) rest.push(perm[j]);
    for (let j = end; j < l; j++) rest.push(perm[j]);
    let pCount = 0;
    let nCount = 0;
    for (const r of rest) {
      if (y[r] > 0) pCount++;
      else nCount++;
    }
    if (pCount === 0 && nCount === 0) for (let j = begin; j < end; j++) dec[perm[j]] = 0;
    else if (pCount > 0 && nCount === 0) for (let j = begin; j < end; j++) dec[perm[j]] = 1;
    else if (pCount === 0 && nCount > 0) for (let j = begin; j < end; j++) dec[perm[j]] = -1;
    else {
      // svm_train on the sub-problem: labels sorted (-1 before +1), rows grouped by label in
      // their order; the first group (-1) is the "positive" side of the binary solver, with
      // C = weight[-1] = Cn; decision values are multiplied by label[0] = -1.
      const order = [...rest.filter((r) => y[r] < 0), ...rest.filter((r) => y[r] > 0)];
      const sub: BinaryProblem = { X: new Float64Array(order.length * d), d, l: order.length, y: new Int8Array(order.length) };
      order.forEach((r, q) => {
        sub.X.set(X.subarray(r * d, (r + 1) * d), q * d);
        sub.y[q] = y[r] < 0 ? 1 : -1;
      });
      const sol = solveCSvc(sub, k, Cn, Cp, opts);
      for (let j = begin; j < end; j++) dec[perm[j]] = -binaryDecision(sub, sol, k, X, perm[j] * d);
    }
  }
  const { A, B } = sigmoidTrain(dec, y);
  return { probA: A, probB: B };
}
