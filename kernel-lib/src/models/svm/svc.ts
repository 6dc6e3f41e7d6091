/**
 * SVC: C-support vector classification with scikit-learn's `sklearn.svm.SVC` interface and
 * defaults, trained by libsvm's algorithm: `engine: 'ts'` (default) is solver.ts, a
 * line-by-line port of the libsvm inside scikit-learn with its dot products in WebAssembly SIMD
 * (simd.ts); `engine: 'libsvm-js'` is libsvm 3.22 compiled to wasm (npm libsvm-js), kept as
 * the reference: same models on the tests, but 5-10x slower (sparse nodes, no decision values,
 * rho printed with 6 digits, recomputed here).
 *
 * ```ts
 * const svc = new SVC({ kernel: 'rbf', C: 30 });           // gamma 'scale', tol 1e-3, cache sized to the machine
 * await svc.fit(X, y);                                      // one-vs-one problems in worker threads
 * const labels = await svc.predict(Xtest);                 // libsvm voting, ties to the lower class
 * ```
 *
 * Matching scikit-learn: classes are sorted (np.unique) and training rows grouped by class in
 * their order, as sklearn's libsvm does; gamma 'scale' = 1 / (n_features * X.var()) over the
 * whole training matrix, 'auto' = 1 / n_features; probability estimates use sklearn's seeding
 * (`random_state` -> `RandomState(seed).randint(2^31 - 1)` -> libsvm's mt19937) and libsvm's
 * re-seeding quirk, so with the same `randomState` they follow the same internal CV folds.
 * `predict` is libsvm's vote (sklearn's `break_ties=False`); `decisionFunction` gives the
 * one-vs-one values (sklearn's `decision_function_shape='ovo'`, sign as sklearn for k > 2).
 *
 * Parallelism: the k(k-1)/2 binary problems of a fit (largest first) and blocks of rows at
 * prediction run in `workers` worker threads (default: one per core); `workers: 0` runs
 * everything in the calling thread. Results do not depend on the number of workers.
 */
import { MT19937 } from '../../core/random';
import { base64ToBytes, bytesToBase64 } from '../../platform/base64';
import { sharedFloat64, toShared } from '../../platform/shared';
import { asMatrix, type F64Matrix, type MatrixLike } from './scaler';
import { DEFAULT_SOLVER_OPTIONS, type KernelSpec, type KernelType, type SolverOptions } from './solver';
import { autoCacheMb } from './cache-size';
import { type KernelMatrixHandle, kernelMatrixFor, releaseKernelMatrix } from './kernel-matrix';
import { defaultSvmWorkers, freeMemoryBytes, svmPool } from './pool';
import {
  type PackedModel,
  predictRows,
  type PredictResult,
  runSvmTask,
  type SvmEngine,
  trainPairTs,
  type TrainPairResult,
  type TrainPairTask,
} from './tasks';

export type { KernelType, KernelSpec } from './solver';
export type { SvmEngine } from './tasks';
export type Label = number | string;

export interface SVCParams {
  /** 'rbf' (default), 'poly', 'linear' or 'sigmoid' */
  kernel: KernelType;
  /** regularisation (default 1) */
  C: number;
  /** 'scale' (default): 1 / (n_features * X.var()); 'auto': 1 / n_features; or a number */
  gamma: 'scale' | 'auto' | number;
  /** poly degree (default 3) */
  degree: number;
  /** poly / sigmoid constant (default 0) */
  coef0: number;
  /** stopping tolerance (default 1e-3) */
  tol: number;
  /** shrinking heuristic (default true) */
  shrinking: boolean;
  /**
   * kernel cache per binary problem, MB, or 'auto' (default): room for every column of the
   * problem's Q within the machine's free memory (cache-size.ts); scikit-learn's default is
   * 200. The size changes the time of a fit, never its result.
   */
  cacheSizeMb: number | 'auto';
  /** Platt-scaled probabilities (5-fold internal CV per pair; default false) */
  probability: boolean;
  /** solver iteration limit per binary problem, -1 = none (default) */
  maxIter: number;
  /** seed of the probability CV (sklearn's random_state; default 0 here, None in sklearn) */
  randomState: number;
  /** worker threads; 0 or 1 = in the calling thread (default: one per core) */
  workers: number;
  /** 'ts' (the port with SIMD dot products, default) or 'libsvm-js' (libsvm 3.22 in wasm, slower; the reference) */
  engine: SvmEngine;
}

export function svcDefaults(): SVCParams {
  return {
    kernel: 'rbf',
    C: 1,
    gamma: 'scale',
    degree: 3,
    coef0: 0,
    tol: 1e-3,
    shrinking: true,
    cacheSizeMb: 'auto',
    probability: false,
    maxIter: -1,
    randomState: 0,
    workers: defaultSvmWorkers(),
    engine: 'ts',
  };
}

/** Problems smaller than this (rows x features) are trained in the calling thread. */
const MIN_WORK_FOR_WORKERS = 200_000;

/** Sorted distinct labels (np.unique order) and each row's class index. */
export function encodeLabels(y: ArrayLike<Label>): { classes: Label[]; index: Int32Array } {
  const arr = Array.from(y);
  if (!arr.length) throw new Error('SVC: empty y');
  const numeric = arr.every((v) => typeof v === 'number');
  if (!numeric && !arr.every((v) => typeof v === 'string')) throw new Error('SVC: labels must be all numbers or all strings');
  const uniq = [...new Set(arr)];
  if (numeric) {
    for (const v of uniq) if (!Number.isFinite(v as number)) throw new Error(`SVC: label ${v} is not finite`);
    (uniq as number[]).sort((a, b) => a - b);
  } else (uniq as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pos = new Map<Label, number>(uniq.map((c, i) => [c, i]));
  return { classes: uniq, index: Int32Array.from(arr, (v) => pos.get(v) as number) };
}

/** X.var() over every value (numpy's var of the whole array), two passes. */
export function matrixVariance(m: F64Matrix): number {
  const n = m.rows * m.cols;
  let s = 0;
  for (let i = 0; i < n; i++) s += m.data[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const t = m.data[i] - mean;
    v += t * t;
  }
  return v / n;
}

/** libsvm's svm_group_classes with sklearn's sorted labels: rows grouped by class, in order. */
export function groupClasses(yIdx: Int32Array, nClass: number): { start: Int32Array; count: Int32Array; perm: Int32Array } {
  const count = new Int32Array(nClass);
  for (const c of yIdx) count[c]++;
  const start = new Int32Array(nClass);
  for (let i = 1; i < nClass; i++) start[i] = start[i - 1] + count[i - 1];
  const next = Int32Array.from(start);
  const perm = new Int32Array(yIdx.length);
  for (let i = 0; i < yIdx.length; i++) perm[next[yIdx[i]]++] = i;
  return { start, count, perm };
}

/**
 * The visiting orders of the probability CV of every pair, drawn as scikit-learn's libsvm
 * draws them: `seed = RandomState(randomState).randint(2^31 - 1)`, libsvm's mt19937 seeded with
 * it, each pair's rows shuffled with `bounded_rand_int`, and the generator re-seeded whenever a
 * pair trained an inner model (the nested svm_train calls set_seed again).
 */
export function probabilityPerms(pairSizes: { l: number; nPos: number }[], randomState: number): Int32Array[] {
  const seed = new MT19937(randomState).randint(2147483647);
  let rng = new MT19937(seed);
  const out: Int32Array[] = [];
  for (const { l, nPos } of pairSizes) {
    const perm = new Int32Array(l);
    for (let i = 0; i < l; i++) perm[i] = i;
    for (let i = 0; i < l; i++) {
      const j = i + rng.boundedRandInt(l - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    out.push(perm);
    let trained = false;
    for (let f = 0; f < 5 && !trained; f++) {
      const begin = Math.trunc((f * l) / 5);
      const end = Math.trunc(((f + 1) * l) / 5);
      let p = 0;
      let n = 0;
      for (let q = 0; q < l; q++) {
        if (q >= begin && q < end) continue;
        if (perm[q] < nPos) p++;
        else n++;
      }
      trained = p > 0 && n > 0;
    }
    if (trained) rng = new MT19937(seed);
  }
  return out;
}

function f64ToB64(a: Float64Array): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
function b64ToF64(s: string): Float64Array {
  const b = base64ToBytes(s);
  if (b.length % 8) throw new Error(`saved SVC: ${b.length} bytes of float64 data is not a multiple of 8`);
  const out = new Float64Array(b.length / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** The saved form of a fitted SVC (`svc.toJSON()` / `SVC.fromJSON(j)`; files: models/estimator-files.ts). */
export interface SVCJson {
  format: 'ser-svc';
  version: 1;
  params: Omit<SVCParams, 'workers'>;
  classes: Label[];
  nFeatures: number;
  gamma: number;
  nSV: number[];
  support: number[];
  rho: number[];
  probA: number[] | null;
  probB: number[] | null;
  nIter: number[];
  /** base64 of float64 little-endian: l x nFeatures support vectors */
  SV: string;
  /** base64 of float64: (k-1) x l dual coefficients */
  svCoef: string;
}

export class SVC {
  readonly params: SVCParams;
  /** sorted class labels (sklearn classes_) */
  classes: Label[] = [];
  nFeaturesIn = 0;
  /** gamma actually used (sklearn _gamma) */
  gammaValue = 0;
  /** indices of the support vectors in the training rows, grouped by class (sklearn support_) */
  support: Int32Array = new Int32Array(0);
  /** solver iterations per pair (sklearn n_iter_) */
  nIter: number[] = [];
  /** 0, or 1 when maxIter stopped a pair (sklearn fit_status_) */
  fitStatus = 0;
  /** seconds per pair of the last fit */
  pairSeconds: number[] = [];
  private model: PackedModel | null = null;

  constructor(params: Partial<SVCParams> = {}) {
    const p = { ...svcDefaults(), ...params };
    for (const [k, v] of Object.entries(params)) if (v === undefined) (p as any)[k] = (svcDefaults() as any)[k];
    if (!['rbf', 'poly', 'linear', 'sigmoid'].includes(p.kernel)) throw new Error(`SVC: unknown kernel '${p.kernel}'`);
    if (!(p.C > 0)) throw new Error(`SVC: C must be > 0, got ${p.C}`);
    if (typeof p.gamma === 'number' ? !(p.gamma > 0) : !['scale', 'auto'].includes(p.gamma))
      throw new Error(`SVC: gamma must be 'scale', 'auto' or > 0, got ${p.gamma}`);
    if (!Number.isInteger(p.degree) || p.degree < 0) throw new Error(`SVC: degree must be an integer >= 0, got ${p.degree}`);
    if (!(p.tol > 0)) throw new Error(`SVC: tol must be > 0, got ${p.tol}`);
    if (p.cacheSizeMb !== 'auto' && !(p.cacheSizeMb > 0)) throw new Error(`SVC: cacheSizeMb must be > 0 or 'auto', got ${p.cacheSizeMb}`);
    if (!Number.isInteger(p.workers) || p.workers < 0) throw new Error(`SVC: workers must be an integer >= 0, got ${p.workers}`);
    if (!['ts', 'libsvm-js'].includes(p.engine)) throw new Error(`SVC: engine must be 'ts' or 'libsvm-js', got '${p.engine}'`);
    this.params = p;
  }

  get fitted(): boolean {
    return this.model !== null;
  }

  /** Number of support vectors per class (sklearn n_support_). */
  get nSupport(): number[] {
    return this.model ? Array.from(this.model.nSV) : [];
  }

  /** -rho per pair (sklearn intercept_ for k > 2). */
  get intercept(): number[] {
    return this.model ? Array.from(this.model.rho, (r) => -r) : [];
  }

  /** (k-1) x nSV dual coefficients (sklearn dual_coef_). */
  get dualCoef(): number[][] {
    if (!this.model) return [];
    const l = this.support.length;
    const out: number[][] = [];
    for (let r = 0; r < this.classes.length - 1; r++) out.push(Array.from(this.model.svCoef.subarray(r * l, (r + 1) * l)));
    return out;
  }

  /** Support vectors, nSV x nFeatures (sklearn support_vectors_). */
  get supportVectors(): F64Matrix {
    if (!this.model) throw new Error('SVC: not fitted');
    return { rows: this.support.length, cols: this.nFeaturesIn, data: this.model.SV };
  }

  private kernelSpec(X: F64Matrix): KernelSpec {
    const p = this.params;
    let gamma: number;
    if (typeof p.gamma === 'number') gamma = p.gamma;
    else if (p.gamma === 'auto') gamma = 1 / X.cols;
    else {
      const v = matrixVariance(X);
      gamma = v !== 0 ? 1.0 / (X.cols * v) : 1.0;
    }
    return { kernel: p.kernel, gamma, degree: p.degree, coef0: p.coef0 };
  }

  /** libsvm's solver settings for a problem of `l` rows, one of `concurrent` solved at once. */
  private solverOptions(l: number, concurrent: number): SolverOptions {
    const c = this.params.cacheSizeMb;
    const cacheSizeMb = c === 'auto' ? autoCacheMb(l, concurrent, freeMemoryBytes()) : c;
    return { ...DEFAULT_SOLVER_OPTIONS, eps: this.params.tol, shrinking: this.params.shrinking, cacheSizeMb, maxIter: this.params.maxIter };
  }

  private useWorkers(work: number): boolean {
    return this.params.workers > 1 && work >= MIN_WORK_FOR_WORKERS;
  }

  /** Trains on X (rows = samples) and labels y; resolves to this model. */
  async fit(X: MatrixLike, y: ArrayLike<Label>): Promise<this> {
    const m0 = asMatrix(X);
    const parallel = this.useWorkers(m0.rows * m0.cols);
    const M = parallel && !(m0.data.buffer instanceof SharedArrayBuffer) ? { ...m0, data: toShared(m0.data) } : m0;
    const { tasks, finish, matrix } = this.prepare(M, y, parallel ? this.params.workers : 1);
    const results: TrainPairResult[] = new Array(tasks.length);
    try {
      if (parallel) {
        const pool = svmPool(this.params.workers);
        const order = tasks.map((_, p) => p).sort((a, b) => tasks[b].rows.length - tasks[a].rows.length);
        await Promise.all(order.map((p) => pool.run<TrainPairResult>(tasks[p]).then((r) => (results[p] = r))));
      } else {
        for (let p = 0; p < tasks.length; p++) results[p] = (await runSvmTask(tasks[p])) as TrainPairResult;
      }
    } finally {
      releaseKernelMatrix(matrix);
    }
    finish(results);
    return this;
  }

  /** Builds the k(k-1)/2 pair tasks of a fit and the function that assembles their results. */
  private prepare(
    M: F64Matrix,
    y: ArrayLike<Label>,
    concurrent: number,
  ): { tasks: TrainPairTask[]; finish: (r: TrainPairResult[]) => void; matrix: KernelMatrixHandle | null } {
    if (y.length !== M.rows) throw new Error(`SVC.fit: X has ${M.rows} rows but y has ${y.length} labels`);
    const { classes, index } = encodeLabels(y);
    if (classes.length < 2) throw new Error(`SVC.fit: the number of classes has to be greater than one; got ${classes.length} class`);
    const k = classes.length;
    const kernel = this.kernelSpec(M);
    const { start, count, perm } = groupClasses(index, k);
    const pairs: { i: number; j: number; rows: Int32Array; nPos: number }[] = [];
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const rows = new Int32Array(count[i] + count[j]);
        rows.set(perm.subarray(start[i], start[i] + count[i]), 0);
        rows.set(perm.subarray(start[j], start[j] + count[j]), count[i]);
        pairs.push({ i, j, rows, nPos: count[i] });
      }
    }
    const perms = this.params.probability
      ? probabilityPerms(
          pairs.map((p) => ({ l: p.rows.length, nPos: p.nPos })),
          this.params.randomState,
        )
      : null;
    // one kernel matrix for the pairs (and the next fit on the same matrix, kernel-matrix.ts):
    // with the 'auto' cache and the TypeScript engine (an explicit cacheSizeMb asks for libsvm's memory)
    const matrix =
      this.params.cacheSizeMb === 'auto' && this.params.engine === 'ts'
        ? kernelMatrixFor(M.data.subarray(0, M.rows * M.cols), perm, start, count, kernel, freeMemoryBytes())
        : null;
    const tasks: TrainPairTask[] = pairs.map((p, q) => ({
      type: 'train-pair',
      X: M.data,
      d: M.cols,
      rows: p.rows,
      nPos: p.nPos,
      Cp: this.params.C,
      Cn: this.params.C,
      kernel,
      solver: this.solverOptions(p.rows.length, Math.min(concurrent, pairs.length)),
      engine: this.params.engine,
      perm: perms ? perms[q] : undefined,
      shared: matrix ? { matrix, a: p.i, b: p.j } : undefined,
    }));
    const finish = (res: TrainPairResult[]) => {
      const n = M.rows;
      // nonzero[] over the grouped order (perm), as svm_train does
      const nonzero = new Uint8Array(n);
      pairs.forEach((p, q) => {
        const c = res[q].coef;
        for (let t = 0; t < p.nPos; t++) if (Math.abs(c[t]) > 0) nonzero[start[p.i] + t] = 1;
        for (let t = 0; t < p.rows.length - p.nPos; t++) if (Math.abs(c[p.nPos + t]) > 0) nonzero[start[p.j] + t] = 1;
      });
      const nSV = new Int32Array(k);
      for (let c = 0; c < k; c++) for (let t = 0; t < count[c]; t++) if (nonzero[start[c] + t]) nSV[c]++;
      const l = nSV.reduce((a, b) => a + b, 0);
      const support = new Int32Array(l);
      const SV = sharedFloat64(l * M.cols);
      let s = 0;
      for (let g = 0; g < n; g++) {
        if (!nonzero[g]) continue;
        const r = perm[g];
        support[s] = r;
        SV.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), s * M.cols);
        s++;
      }
      const nzStart = new Int32Array(k);
      for (let c = 1; c < k; c++) nzStart[c] = nzStart[c - 1] + nSV[c - 1];
      const svCoef = sharedFloat64((k - 1) * l);
      pairs.forEach((p, q) => {
        const c = res[q].coef;
        let w = nzStart[p.i];
        for (let t = 0; t < p.nPos; t++) if (nonzero[start[p.i] + t]) svCoef[(p.j - 1) * l + w++] = c[t];
        w = nzStart[p.j];
        for (let t = 0; t < p.rows.length - p.nPos; t++) if (nonzero[start[p.j] + t]) svCoef[p.i * l + w++] = c[p.nPos + t];
      });
      const rho = toShared(res.map((r) => r.rho));
      const probA = this.params.probability ? toShared(res.map((r) => r.probA ?? NaN)) : null;
      const probB = this.params.probability ? toShared(res.map((r) => r.probB ?? NaN)) : null;
      this.classes = classes;
      this.nFeaturesIn = M.cols;
      this.gammaValue = kernel.gamma;
      this.support = support;
      this.nIter = res.map((r) => r.iter);
      this.fitStatus = res.some((r) => r.timedOut) ? 1 : 0;
      this.pairSeconds = res.map((r) => r.ms / 1000);
      this.model = { nClass: k, d: M.cols, SV, nSV, svCoef, rho, probA, probB, kernel };
    };
    return { tasks, finish, matrix };
  }

  /** Trains in the calling thread (no workers; 'ts' engine only). */
  fitSync(X: MatrixLike, y: ArrayLike<Label>): this {
    if (this.params.engine !== 'ts') throw new Error("SVC.fitSync: only the 'ts' engine trains synchronously; use await fit()");
    const { tasks, finish, matrix } = this.prepare(asMatrix(X), y, 1);
    let results: TrainPairResult[];
    try {
      results = tasks.map((t) => trainPairTs(t));
    } finally {
      releaseKernelMatrix(matrix);
    }
    finish(results);
    return this;
  }

  private requireModel(X: MatrixLike): { model: PackedModel; M: F64Matrix } {
    if (!this.model) throw new Error('SVC: not fitted (call fit first)');
    const M = asMatrix(X);
    if (M.cols !== this.nFeaturesIn) throw new Error(`SVC: X has ${M.cols} features, the model was fitted with ${this.nFeaturesIn}`);
    return { model: this.model, M };
  }

  private async run(X: MatrixLike, decision: boolean, proba: boolean): Promise<PredictResult> {
    const { model, M } = this.requireModel(X);
    const l = this.support.length;
    if (!this.useWorkers((M.rows * Math.max(l, 1) * M.cols) / 50) || M.rows < 8) {
      return predictRows({ type: 'predict', model, X: M.data, d: M.cols, start: 0, end: M.rows, decision, proba });
    }
    const shared = M.data.buffer instanceof SharedArrayBuffer ? M.data : toShared(M.data);
    const pool = svmPool(this.params.workers);
    const nChunks = Math.min(Math.ceil(M.rows / 4), this.params.workers * 4);
    const per = Math.ceil(M.rows / nChunks / 4) * 4;
    const parts: Promise<PredictResult>[] = [];
    for (let s = 0; s < M.rows; s += per) {
      parts.push(
        pool.run<PredictResult>({
          type: 'predict',
          model,
          X: shared,
          d: M.cols,
          start: s,
          end: Math.min(M.rows, s + per),
          decision,
          proba,
        }),
      );
    }
    const res = await Promise.all(parts);
    const k = model.nClass;
    const nPairs = (k * (k - 1)) / 2;
    const label = new Int32Array(M.rows);
    const dec = decision ? new Float64Array(M.rows * nPairs) : undefined;
    const pr = proba && model.probA ? new Float64Array(M.rows * k) : undefined;
    let off = 0;
    for (const r of res) {
      label.set(r.label, off);
      if (dec && r.dec) dec.set(r.dec, off * nPairs);
      if (pr && r.proba) pr.set(r.proba, off * k);
      off += r.label.length;
    }
    return { label, dec, proba: pr };
  }

  private runSync(X: MatrixLike, decision: boolean, proba: boolean): PredictResult {
    const { model, M } = this.requireModel(X);
    return predictRows({ type: 'predict', model, X: M.data, d: M.cols, start: 0, end: M.rows, decision, proba });
  }

  /** Class index (into `classes`) per row. */
  async predictIndex(X: MatrixLike): Promise<Int32Array> {
    return (await this.run(X, false, false)).label;
  }

  /** Predicted labels (libsvm voting). */
  async predict(X: MatrixLike): Promise<Label[]> {
    const idx = await this.predictIndex(X);
    return Array.from(idx, (i) => this.classes[i]);
  }

  predictSync(X: MatrixLike): Label[] {
    return Array.from(this.runSync(X, false, false).label, (i) => this.classes[i]);
  }

  /** One-vs-one decision values, rows x k(k-1)/2 (pairs (0,1), (0,2), ...). */
  async decisionFunction(X: MatrixLike): Promise<number[][]> {
    const r = await this.run(X, true, false);
    return splitRows(r.dec as Float64Array, (this.classes.length * (this.classes.length - 1)) / 2);
  }

  decisionFunctionSync(X: MatrixLike): number[][] {
    const r = this.runSync(X, true, false);
    return splitRows(r.dec as Float64Array, (this.classes.length * (this.classes.length - 1)) / 2);
  }

  /** Class probabilities, rows x classes (needs `probability: true`). */
  async predictProba(X: MatrixLike): Promise<number[][]> {
    this.checkProba();
    const r = await this.run(X, false, true);
    return splitRows(r.proba as Float64Array, this.classes.length);
  }

  predictProbaSync(X: MatrixLike): number[][] {
    this.checkProba();
    return splitRows(this.runSync(X, false, true).proba as Float64Array, this.classes.length);
  }

  private checkProba(): void {
    if (!this.model) throw new Error('SVC: not fitted (call fit first)');
    if (!this.model.probA) throw new Error('SVC: predictProba needs a model fitted with probability: true');
  }

  toJSON(): SVCJson {
    if (!this.model) throw new Error('SVC: not fitted');
    const { workers: _w, ...params } = this.params;
    void _w;
    const m = this.model;
    return {
      format: 'ser-svc',
      version: 1,
      params,
      classes: this.classes,
      nFeatures: this.nFeaturesIn,
      gamma: this.gammaValue,
      nSV: Array.from(m.nSV),
      support: Array.from(this.support),
      rho: Array.from(m.rho),
      probA: m.probA ? Array.from(m.probA) : null,
      probB: m.probB ? Array.from(m.probB) : null,
      nIter: this.nIter,
      SV: f64ToB64(Float64Array.from(m.SV)),
      svCoef: f64ToB64(Float64Array.from(m.svCoef)),
    };
  }

  static fromJSON(j: SVCJson, opts: { workers?: number } = {}): SVC {
    if (j.format !== 'ser-svc' || j.version !== 1) throw new Error(`not a saved SVC (format ${j.format}, version ${j.version})`);
    const svc = new SVC({ ...j.params, workers: opts.workers });
    const k = j.classes.length;
    svc.classes = j.classes;
    svc.nFeaturesIn = j.nFeatures;
    svc.gammaValue = j.gamma;
    svc.support = Int32Array.from(j.support);
    svc.nIter = j.nIter;
    svc.model = {
      nClass: k,
      d: j.nFeatures,
      SV: toShared(b64ToF64(j.SV)),
      nSV: Int32Array.from(j.nSV),
      svCoef: toShared(b64ToF64(j.svCoef)),
      rho: toShared(j.rho),
      probA: j.probA ? toShared(j.probA) : null,
      probB: j.probB ? toShared(j.probB) : null,
      kernel: { kernel: j.params.kernel, gamma: j.gamma, degree: j.params.degree, coef0: j.params.coef0 },
    };
    return svc;
  }
}

function splitRows(a: Float64Array, w: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += w) out.push(Array.from(a.subarray(i, i + w)));
  return out;
}
