/**
 * SVM work units: one one-vs-one binary problem ('train-pair') or a block of rows to predict
 * ('predict'), and `runSvmTask`, which runs one in the calling thread. The worker threads of
 * pool.ts run them through worker.ts; in a browser (no worker threads) they run in the
 * page's thread. Matrices travel as Float64Arrays over SharedArrayBuffers, so posting them to a
 * worker copies nothing.
 */
import { type KernelMatrixHandle, KernelMatrixView } from './kernel-matrix';
import { simdKernel } from './simd';
import {
  type BinaryProblem,
  binarySvcProbability,
  dot,
  type KernelSpec,
  kFunction,
  multiclassProbability,
  powi,
  sigmoidPredict,
  solveCSvc,
  type SolverOptions,
} from './solver';

export type SvmEngine = 'ts' | 'libsvm-js';

export interface TrainPairTask {
  type: 'train-pair';
  /** training matrix, n x d row-major */
  X: Float64Array;
  d: number;
  /** rows of the binary problem: the nPos rows of class i, then the rows of class j */
  rows: Int32Array;
  nPos: number;
  Cp: number;
  Cn: number;
  kernel: KernelSpec;
  solver: SolverOptions;
  engine: SvmEngine;
  /** visiting order for the probability CV (indices into `rows`); absent: no probability */
  perm?: Int32Array;
  /** the fit's shared kernel matrix and this problem's two classes in it (kernel-matrix.ts); absent: the problem's own cache only */
  shared?: { matrix: KernelMatrixHandle; a: number; b: number };
}

export interface TrainPairResult {
  /** y_i alpha_i per row of the problem */
  coef: Float64Array;
  rho: number;
  iter: number;
  timedOut: boolean;
  probA?: number;
  probB?: number;
  ms: number;
}

/** A fitted libsvm multi-class model in the arrays the predictor reads. */
export interface PackedModel {
  nClass: number;
  d: number;
  /** support vectors, l x d, grouped by class */
  SV: Float64Array;
  /** support vectors per class */
  nSV: Int32Array;
  /** (nClass - 1) x l, libsvm's sv_coef layout */
  svCoef: Float64Array;
  /** one per pair (0,1), (0,2), ..., (k-2,k-1) */
  rho: Float64Array;
  probA: Float64Array | null;
  probB: Float64Array | null;
  kernel: KernelSpec;
}

export interface PredictTask {
  type: 'predict';
  model: PackedModel;
  X: Float64Array;
  d: number;
  start: number;
  end: number;
  decision: boolean;
  proba: boolean;
}

export interface PredictResult {
  /** voted class index per row (libsvm's svm_predict; ties go to the lower class) */
  label: Int32Array;
  /** decision values, rows x pairs (ovo), when asked */
  dec?: Float64Array;
  /** probabilities, rows x classes, when asked and the model has them */
  proba?: Float64Array;
}

export type SvmTask = TrainPairTask | PredictTask;

function pairProblem(t: TrainPairTask): BinaryProblem {
  const { d, rows, nPos, X } = t;
  const l = rows.length;
  const sub = new Float64Array(l * d);
  const y = new Int8Array(l);
  for (let q = 0; q < l; q++) {
    const r = rows[q];
    sub.set(X.subarray(r * d, (r + 1) * d), q * d);
    y[q] = q < nPos ? 1 : -1;
  }
  return { X: sub, d, l, y };
}

/** One pair with the TypeScript port (synchronous). */
export function trainPairTs(t: TrainPairTask): TrainPairResult {
  const start = Date.now();
  const prob = pairProblem(t);
  let probA: number | undefined;
  let probB: number | undefined;
  if (t.perm) ({ probA, probB } = binarySvcProbability(prob, t.kernel, t.Cp, t.Cn, t.perm, t.solver));
  const shared = t.shared ? { view: new KernelMatrixView(t.shared.matrix), a: t.shared.a, b: t.shared.b, nPos: t.nPos } : null;
  const s = solveCSvc(prob, t.kernel, t.Cp, t.Cn, t.solver, shared);
  return { coef: s.coef, rho: s.rho, iter: s.iter, timedOut: s.timedOut, probA, probB, ms: Date.now() - start };
}

/** One pair with libsvm-js (libsvm 3.22 in wasm). */
export async function trainPairLibsvmJs(t: TrainPairTask): Promise<TrainPairResult> {
  const start = Date.now();
  const { solveCSvcLibsvmJs } = await import('./libsvmjs');
  const s = await solveCSvcLibsvmJs(pairProblem(t), t.kernel, t.Cp, t.Cn, t.solver, !!t.perm);
  return { coef: s.coef, rho: s.rho, iter: s.iter, timedOut: s.timedOut, probA: s.probA, probB: s.probB, ms: Date.now() - start };
}

function finishDot(s: number, k: KernelSpec): number {
  if (k.kernel === 'linear') return s;
  if (k.kernel === 'poly') return powi(k.gamma * s + k.coef0, k.degree);
  return Math.tanh(k.gamma * s + k.coef0);
}

/**
 * Kernel values between rows [r, r+4) of X and every support vector, four test rows per pass
 * over an SV (each sum in libsvm's k_function order).
 */
function kernelBlock(m: PackedModel, X: Float64Array, d: number, r: number, nr: number, kv: Float64Array[]): void {
  const { SV, kernel } = m;
  const l = m.nSV.reduce((a, b) => a + b, 0);
  if (nr === 4 && kernel.kernel === 'rbf') {
    const o0 = r * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const g = kernel.gamma;
    const k0 = kv[0];
    const k1 = kv[1];
    const k2 = kv[2];
    const k3 = kv[3];
    for (let s = 0; s < l; s++) {
      const so = s * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < d; f++) {
        const z = SV[so + f];
        const t0 = X[o0 + f] - z;
        const t1 = X[o1 + f] - z;
        const t2 = X[o2 + f] - z;
        const t3 = X[o3 + f] - z;
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      k0[s] = Math.exp(-g * s0);
      k1[s] = Math.exp(-g * s1);
      k2[s] = Math.exp(-g * s2);
      k3[s] = Math.exp(-g * s3);
    }
    return;
  }
  if (nr === 4) {
    // linear / poly / sigmoid: four dot products per SV, then libsvm's formula
    const o0 = r * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let s = 0; s < l; s++) {
      const so = s * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < d; f++) {
        const z = SV[so + f];
        s0 += X[o0 + f] * z;
        s1 += X[o1 + f] * z;
        s2 += X[o2 + f] * z;
        s3 += X[o3 + f] * z;
      }
      kv[0][s] = finishDot(s0, kernel);
      kv[1][s] = finishDot(s1, kernel);
      kv[2][s] = finishDot(s2, kernel);
      kv[3][s] = finishDot(s3, kernel);
    }
    return;
  }
  for (let q = 0; q < nr; q++) {
    const kq = kv[q];
    const xo = (r + q) * d;
    for (let s = 0; s < l; s++) kq[s] = kFunction(X, xo, SV, s * d, d, kernel);
  }
}

/** svm_predict_values / svm_predict_probability for rows [start, end) of X. */
export function predictRows(t: PredictTask): PredictResult {
  const m = t.model;
  const k = m.nClass;
  const nPairs = (k * (k - 1)) / 2;
  const l = m.nSV.reduce((a, b) => a + b, 0);
  const n = t.end - t.start;
  const label = new Int32Array(n);
  const wantProba = t.proba && !!m.probA && !!m.probB;
  const dec = t.decision || wantProba ? new Float64Array(n * nPairs) : undefined;
  const proba = wantProba ? new Float64Array(n * k) : undefined;
  const svStart = new Int32Array(k);
  for (let i = 1; i < k; i++) svStart[i] = svStart[i - 1] + m.nSV[i - 1];
  const simd = l > 0 ? simdBlock(m, t.d) : null;
  const step = simd ? simd.rows : 4;
  const kv = Array.from({ length: step }, () => new Float64Array(l));
  const vote = new Int32Array(k);
  const decRow = new Float64Array(nPairs);
  const pairwise = Array.from({ length: k }, () => new Float64Array(k));
  const pRow = new Float64Array(k);
  const minProb = 1e-7;
  for (let r = t.start; r < t.end; r += step) {
    const nr = Math.min(step, t.end - r);
    if (simd) simd.block(t.X, r, nr, kv);
    else kernelBlock(m, t.X, t.d, r, nr, kv);
    for (let q = 0; q < nr; q++) {
      const kvalue = kv[q];
      const row = r + q - t.start;
      vote.fill(0);
      let p = 0;
      for (let i = 0; i < k; i++) {
        for (let j = i + 1; j < k; j++) {
          let sum = 0;
          const si = svStart[i];
          const sj = svStart[j];
          const ci = m.nSV[i];
          const cj = m.nSV[j];
          const c1 = (j - 1) * l;
          const c2 = i * l;
          for (let s = 0; s < ci; s++) sum += m.svCoef[c1 + si + s] * kvalue[si + s];
          for (let s = 0; s < cj; s++) sum += m.svCoef[c2 + sj + s] * kvalue[sj + s];
          sum -= m.rho[p];
          decRow[p] = sum;
          if (sum > 0) ++vote[i];
          else ++vote[j];
          p++;
        }
      }
      let best = 0;
      for (let i = 1; i < k; i++) if (vote[i] > vote[best]) best = i;
      label[row] = best;
      if (dec) dec.set(decRow, row * nPairs);
      if (proba) {
        let pp = 0;
        for (let i = 0; i < k; i++) {
          for (let j = i + 1; j < k; j++) {
            const v = Math.min(Math.max(sigmoidPredict(decRow[pp], m.probA![pp], m.probB![pp]), minProb), 1 - minProb);
            pairwise[i][j] = v;
            pairwise[j][i] = 1 - v;
            pp++;
          }
        }
        multiclassProbability(k, pairwise, pRow);
        proba.set(pRow, row * k);
      }
    }
  }
  simd?.dispose();
  return { label, dec: t.decision ? dec : undefined, proba };
}

/** Test rows per pass of the SIMD predictor over the support vectors. */
const SIMD_BLOCK_ROWS = 32;
/** Support vectors per tile (~350 KB of SVs at 173 features: stays in the core's L2 cache). */
const SIMD_TILE_BYTES = 256 * 1024 * 1.35;

/**
 * Kernel values against every SV with the wasm SIMD dot products (simd.ts), as libsvm's
 * svm_predict_values computes them (one k_function per SV; RBF as exp(-gamma (|x|^2 + |sv|^2
 * - 2 x.sv)), the form libsvm trains with). The SVs are copied into the kernel's memory once
 * per task; a block of up to SIMD_BLOCK_ROWS test rows is copied in and the dot products are
 * taken tile by tile: every test row of the block against one tile of SVs, then the next tile.
 * A tile stays in cache while the block's rows pass over it, so the SVs are read from memory
 * once per block instead of once per test row (prediction was bound by memory bandwidth: tens
 * of MB of SVs per row). Each dot product is the same colDots sum as before, so the values do
 * not depend on the tiling.
 */
function simdBlock(
  m: PackedModel,
  d: number,
): { rows: number; block: (X: Float64Array, r: number, nr: number, kv: Float64Array[]) => void; dispose: () => void } | null {
  const k = simdKernel();
  if (!k) return null;
  const l = m.nSV.reduce((a, b) => a + b, 0);
  const R = SIMD_BLOCK_ROWS;
  const svBytes = Math.ceil((l * d * 8) / 16) * 16;
  const oBytes = Math.ceil((l * 4) / 16) * 16;
  const rowBytes = Math.ceil((d * 8) / 16) * 16;
  const outBytes = Math.ceil(((l + 4) * 8) / 16) * 16;
  const base = k.alloc(svBytes + oBytes + R * rowBytes + R * outBytes);
  const buf = k.memory.buffer;
  const sv = new Float64Array(buf, base, l * d);
  sv.set(m.SV.subarray(0, l * d));
  const offAddr = base + svBytes;
  const off = new Int32Array(buf, offAddr, l);
  for (let s = 0; s < l; s++) off[s] = base + s * d * 8;
  const rowAddr = (q: number) => offAddr + oBytes + q * rowBytes;
  const outAddr = (q: number) => offAddr + oBytes + R * rowBytes + q * outBytes;
  const rows = Array.from({ length: R }, (_, q) => new Float64Array(buf, rowAddr(q), d));
  const outs = Array.from({ length: R }, (_, q) => new Float64Array(buf, outAddr(q), l));
  const tile = Math.max(4, Math.floor(SIMD_TILE_BYTES / (d * 8)));
  const kern = m.kernel;
  const svsq = new Float64Array(l);
  if (kern.kernel === 'rbf') for (let s = 0; s < l; s++) svsq[s] = dot(sv, s * d, sv, s * d, d);
  return {
    rows: R,
    block(X, r, nr, kv) {
      for (let q = 0; q < nr; q++) rows[q].set(X.subarray((r + q) * d, (r + q + 1) * d));
      for (let s0 = 0; s0 < l; s0 += tile) {
        const s1 = Math.min(l, s0 + tile);
        for (let q = 0; q < nr; q++) k.colDots(rowAddr(q), offAddr, s0, s1, d, outAddr(q));
      }
      for (let q = 0; q < nr; q++) {
        const out = outs[q];
        const kq = kv[q];
        if (kern.kernel === 'rbf') {
          const xsq = dot(rows[q], 0, rows[q], 0, d);
          const g = kern.gamma;
          for (let s = 0; s < l; s++) kq[s] = Math.exp(-g * (xsq + svsq[s] - 2 * out[s]));
        } else for (let s = 0; s < l; s++) kq[s] = finishDot(out[s], kern);
      }
    },
    dispose() {
      k.release(base);
    },
  };
}

/** Runs one task in the calling thread. */
export async function runSvmTask(t: SvmTask): Promise<TrainPairResult | PredictResult> {
  if (t.type === 'train-pair') return t.engine === 'libsvm-js' ? trainPairLibsvmJs(t) : trainPairTs(t);
  return predictRows(t);
}
