/**
 * One kernel matrix shared by the one-vs-one problems of a fit, and kept along a grid's C path.
 *
 * libsvm (and scikit-learn's SVC) gives each of the k(k-1)/2 binary problems its own kernel
 * cache, so a row of class a has its kernel values against its own class computed again in each
 * of the k-1 problems it takes part in, and every fit of a grid starts with an empty cache. Here
 * the kernel values K(x_g, x_h) of a training matrix live once, in shared memory, in k x k
 * blocks: block (a, b) holds, for each row of class a, its values against every row of class b
 * (float32, as libsvm's cache holds Q). A block row is filled the first time a problem needs it,
 * by whichever worker thread asks first (the others wait for it), and then read by every problem
 * and every later fit on the same matrix with the same kernel.
 *
 * The values do not change: a block row is filled by the same dot products and kernel formula as
 * the problem's own cache used (solver.ts), so the float32 value is the same whoever computes it
 * and Q = y_i y_j K (a sign change, exact) is bit for bit what it was. The matrix changes the
 * time of a fit, never its result.
 *
 * Not in libsvm. Memory: 4 n^2 bytes for n training rows (6 GB at the paper's 38918 augmented
 * training rows), taken only when the machine has it (`kernelMatrixFor`).
 */
import type { KernelSpec } from './solver';

/** A kernel matrix as posted to a worker thread (all memory shared, nothing copied). */
export interface KernelMatrixHandle {
  /** training rows, grouped by class (libsvm's svm_group_classes order) */
  n: number;
  /** classes */
  k: number;
  /** first grouped row of each class, and the class sizes */
  start: Int32Array;
  count: Int32Array;
  /** k x k blocks; block (a, b) = count[a] x count[b] float32, row-major (a prefix of the buffer) */
  blocks: SharedArrayBuffer[];
  /** n x k Int32: state of block row (grouped row g, class b): 0 empty, 1 being filled, 2 ready */
  state: SharedArrayBuffer;
}

const EMPTY = 0;
const FILLING = 1;
const READY = 2;

/** Block views of a handle, made once per thread and task. */
export class KernelMatrixView {
  private readonly views: Float32Array[];
  private readonly st: Int32Array;

  constructor(readonly h: KernelMatrixHandle) {
    this.views = h.blocks.map((b) => new Float32Array(b));
    this.st = new Int32Array(h.state);
  }

  /**
   * The values of grouped row `g` (class a) against every row of class `b`: block (a, b)'s row,
   * filled first by `fill` when no thread has filled it yet (another thread filling it is
   * waited for). `fill` writes count[b] float32 values into the row it is given.
   */
  row(g: number, a: number, b: number, fill: (out: Float32Array) => void): Float32Array {
    const { k, start, count } = this.h;
    const cb = count[b];
    const off = (g - start[a]) * cb;
    const out = this.views[a * k + b].subarray(off, off + cb);
    const idx = g * k + b;
    const st = this.st;
    if (Atomics.load(st, idx) === READY) return out;
    for (;;) {
      const s = Atomics.compareExchange(st, idx, EMPTY, FILLING);
      if (s === READY) return out;
      if (s === EMPTY) {
        try {
          fill(out);
        } catch (e) {
          Atomics.store(st, idx, EMPTY);
          Atomics.notify(st, idx);
          throw e;
        }
        Atomics.store(st, idx, READY);
        Atomics.notify(st, idx);
        return out;
      }
      Atomics.wait(st, idx, FILLING, 1000);
    }
  }
}

/** Bytes of the matrix of a training set with these class sizes. */
export function kernelMatrixBytes(count: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < count.length; i++) n += count[i];
  return 4 * n * n + 4 * n * count.length;
}

/** Rounds a block dimension up, so that the next fold's blocks (sizes differing by a row or two) fit the same buffers. */
const roundUp = (v: number): number => Math.ceil(v / 64) * 64 + 64;

interface Held {
  handle: KernelMatrixHandle;
  /** what it holds: a copy of the training matrix, the grouped order, the kernel */
  X: Float64Array;
  perm: Int32Array;
  kernel: KernelSpec;
  /** a fit is using it */
  leased: boolean;
}

let held: Held | null = null;
let keepDepth = 0;

function sameKernel(a: KernelSpec, b: KernelSpec): boolean {
  return a.kernel === b.kernel && Object.is(a.gamma, b.gamma) && a.degree === b.degree && Object.is(a.coef0, b.coef0);
}

function sameBits(a: Float64Array | Int32Array, b: Float64Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The kernel matrix for one fit: the one already held when it was made for the same training
 * matrix (bit for bit), grouping and kernel (its filled rows are reused: a grid's C path); else
 * a new one, in the held one's buffers where they are large enough; or null when SharedArrayBuffer
 * is missing or the matrix would take more than half of `freeBytes` (then each problem keeps its
 * own cache, as libsvm does). Pair with `releaseKernelMatrix` once the fit's problems are solved.
 */
export function kernelMatrixFor(
  X: Float64Array,
  perm: Int32Array,
  start: Int32Array,
  count: Int32Array,
  kernel: KernelSpec,
  freeBytes: number | null,
): KernelMatrixHandle | null {
  if (typeof SharedArrayBuffer === 'undefined' || freeBytes === null) return null;
  if (held?.leased) return null; // another fit is running: it keeps its matrix
  const k = count.length;
  const n = perm.length;
  if (held && sameKernel(held.kernel, kernel) && sameBits(held.perm, perm) && sameBits(held.X, X)) {
    held.leased = true;
    return held.handle;
  }
  const old = held;
  held = null;
  const oldBytes = old ? old.handle.blocks.reduce((a, b) => a + b.byteLength, 0) + old.handle.state.byteLength : 0;
  if (kernelMatrixBytes(count) > (freeBytes + oldBytes) / 2) return null;
  const blocks: SharedArrayBuffer[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const need = count[a] * count[b] * 4;
      const prev = old?.handle.k === k ? old.handle.blocks[a * k + b] : undefined;
      blocks.push(prev && prev.byteLength >= need ? prev : new SharedArrayBuffer(Math.max(4, roundUp(count[a]) * roundUp(count[b]) * 4)));
    }
  }
  const state = old && old.handle.state.byteLength >= n * k * 4 ? old.handle.state : new SharedArrayBuffer(Math.max(4, roundUp(n) * k * 4));
  new Int32Array(state).fill(EMPTY);
  const handle: KernelMatrixHandle = { n, k, start: Int32Array.from(start), count: Int32Array.from(count), blocks, state };
  held = { handle, X: Float64Array.from(X), perm: Int32Array.from(perm), kernel: { ...kernel }, leased: true };
  return handle;
}

/** Ends a fit's use of its matrix: kept for the next fit inside `keepKernelMatrices`, else let go. */
export function releaseKernelMatrix(h: KernelMatrixHandle | null): void {
  if (!h || !held || held.handle !== h) return;
  held.leased = false;
  if (keepDepth === 0) held = null;
}

/**
 * Runs `fn` with the kernel matrix of each fit kept for the next one: fits on the same scaled
 * training matrix with the same kernel (a grid's values of C on one fold) reuse its filled rows.
 * The memory is let go when `fn` ends.
 */
export async function keepKernelMatrices<T>(fn: () => Promise<T>): Promise<T> {
  keepDepth++;
  try {
    return await fn();
  } finally {
    keepDepth--;
    if (keepDepth === 0 && held && !held.leased) held = null;
  }
}

/** How many rows of the held matrix are filled, for tests and benchmarks (null: none held). */
export function heldKernelMatrixRows(): { filled: number; total: number } | null {
  if (!held) return null;
  const st = new Int32Array(held.handle.state);
  const total = held.handle.n * held.handle.k;
  let filled = 0;
  for (let i = 0; i < total; i++) if (st[i] === READY) filled++;
  return { filled, total };
}
