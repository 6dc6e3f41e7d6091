/**
 * One cross-validation for every model (scikit-learn's `cross_validate`, shaped for the paper,
 * III.D-E and IV.E): for each fold of a protocol a fresh estimator is fitted on the training rows
 * only and scored on the test rows; per-fold confusion matrices and per-class precision / recall
 * / F1 are summarised as mean +- std (sample std, ddof = 1) over folds. The SVM pipeline
 * (StandardScaler + SVC, models/svm/estimator.ts) and the CNN trainer (models/cnn/estimator.ts)
 * are two implementations of the same small `Estimator` interface; results have one shape
 * (`CVResult` / `FoldResult`) with the model's own details in `detail`.
 *
 * Finished folds can be cached (`cacheDir`): each fold's result is written atomically under a
 * key made of the data, the fold's rows and the estimator's settings, so an interrupted run
 * resumes where it stopped and a re-run with the same inputs costs nothing.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/fs';
import { progress as progressBar, type ProgressOptions } from '../core/progress';
import type { Dataset } from './dataset';
import { classificationReport, type ClassificationReport, type MeanStd, meanStd, sumConfusion } from './metrics';
import { checkProtocolFolds, type FoldCheck, type Protocol, protocolFolds } from './protocols';

/** What a fold hands its estimator besides the training rows. */
export interface FoldContext {
  /** 0-based fold number */
  fold: number;
  /** the fold's test rows (the paper's CNNs watch them as Keras validation_data) */
  test: Int32Array;
  /** the run's cache folder, for an estimator's own resumable state (checkpoints), or null */
  dir: string | null;
  /** a label for progress output, e.g. 'fold 2/5' */
  label: string;
}

/**
 * A model under cross-validation, bound to the dataset it was made for (rows are indices into
 * it): `fit` the training rows, `predict` class indices (into `d.labels`) of the test rows.
 */
export interface Estimator<D = unknown> {
  fit(train: Int32Array, ctx: FoldContext): Promise<void>;
  predict(test: Int32Array): Promise<Int32Array>;
  /** class probabilities of the test rows, rows x `d.labels` (when the model makes them) */
  predictProba?(test: Int32Array): Promise<number[][]>;
  /** the model's details once fitted (support vectors; epochs and learning curves) */
  detail(): D;
  /** called once the fold's result is stored (e.g. to remove a checkpoint that resumed it) */
  afterSaved?(): void;
  /** frees what the model holds (tensors, workers), if anything */
  dispose?(): void;
}

/** Makes a fresh estimator per fold; its settings name it in cache keys and reports. */
export interface EstimatorFactory<D = unknown> {
  /** short name of the model kind, part of the cache key ('svm', 'cnn') */
  kind: string;
  /** hyperparameters with defaults filled in (JSON-serialisable) */
  settings: Record<string, unknown>;
  make(d: Dataset, fold: number): Estimator<D> | Promise<Estimator<D>>;
}

export interface FoldResult<D = unknown> {
  fold: number;
  trainRows: number;
  testRows: number;
  accuracy: number;
  report: ClassificationReport;
  fitSeconds: number;
  predictSeconds: number;
  cached: boolean;
  /** the test rows (indices into the dataset) and their predicted classes, in the same order */
  testIndex: number[];
  yPred: number[];
  /** class probabilities of the test rows (rows x labels), when asked for (`probabilities: true`) */
  proba?: number[][];
  /** model-specific details (SvmFoldDetail, CnnFoldDetail) */
  detail: D;
}

export interface ClassSummary {
  label: string;
  precision: MeanStd;
  recall: MeanStd;
  f1: MeanStd;
  /** mean test rows of the class per fold (the paper's "Samples") */
  support: number;
}

export interface CVResult<D = unknown> {
  protocol: Protocol;
  k: number;
  seed: number;
  /** the estimator's kind and settings */
  kind: string;
  settings: Record<string, unknown>;
  labels: string[];
  folds: FoldResult<D>[];
  accuracy: MeanStd;
  perClass: ClassSummary[];
  macro: { precision: MeanStd; recall: MeanStd; f1: MeanStd };
  weighted: { precision: MeanStd; recall: MeanStd; f1: MeanStd };
  /** test confusion matrices summed over folds */
  confusion: number[][];
  check: FoldCheck;
  /** std convention of every +-: ddof 1 (sample std over folds) */
  stdDdof: 1;
  seconds: number;
}

export interface CrossValidateOptions<D = unknown> {
  protocol?: Protocol;
  k?: number;
  seed?: number;
  /** directory for per-fold results (resume / reuse); none by default */
  cacheDir?: string;
  /** also keep each test row's class probabilities (the estimator must make them) */
  probabilities?: boolean;
  /** the data's identity for cache keys (default: a sha256 of the feature matrix and labels) */
  dataKey?: string;
  /** called after every fold */
  onFold?: (r: FoldResult<D>) => void;
  /** a progress bar over folds (terminal or notebook); false for none */
  progress?: false | (ProgressOptions & { label?: string });
}

/** A stable fingerprint of a dataset's values, labels and groups (sha256, hex). */
export function datasetFingerprint(d: Dataset): string {
  const cached = (d as any).__fingerprint as string | undefined;
  if (cached) return cached;
  const h = crypto.createHash('sha256');
  const X = d.X.data;
  h.update(`${d.X.rows}x${d.X.cols}:${X instanceof Float64Array ? 'f64' : 'f32'}\n`);
  h.update(Buffer.from(X.buffer, X.byteOffset, X.byteLength));
  h.update(Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
  h.update(JSON.stringify([d.labels, d.groups.clip, d.groups.speaker, d.kind]));
  const fp = h.digest('hex');
  Object.defineProperty(d, '__fingerprint', { value: fp, enumerable: false });
  return fp;
}

/** The cache key of one fold (the SVM's keys are those of kernel-lib 0.1's svm-fold-v1 cache). */
function foldKey(kind: string, dataKey: string, train: Int32Array, test: Int32Array, settings: Record<string, unknown>): string {
  const h = crypto.createHash('sha256');
  h.update(`${kind}-fold-v1\n${dataKey}\n${JSON.stringify(settings)}\n`);
  h.update(Buffer.from(train.buffer, train.byteOffset, train.byteLength));
  h.update('|');
  h.update(Buffer.from(test.buffer, test.byteOffset, test.byteLength));
  return h.digest('hex').slice(0, 40);
}

/** Fits an estimator on `train`, scores `test`. */
export async function runFold<D>(
  est: Estimator<D>,
  d: Dataset,
  train: Int32Array,
  test: Int32Array,
  ctx: FoldContext,
  probabilities = false,
): Promise<Omit<FoldResult<D>, 'fold' | 'cached'>> {
  if (probabilities && !est.predictProba) throw new Error('crossValidate: probabilities asked for, but the estimator makes none');
  const t0 = Date.now();
  await est.fit(train, ctx);
  const t1 = Date.now();
  const pred = await est.predict(test);
  const proba = probabilities && est.predictProba ? (await est.predictProba(test)).map((r) => r.map((p) => +p.toFixed(6))) : undefined;
  const t2 = Date.now();
  const yte = Array.from(test, (r) => d.y[r]);
  const yPred = Array.from(pred);
  const report = classificationReport(yte, yPred, d.labels);
  return {
    trainRows: train.length,
    testRows: test.length,
    accuracy: report.accuracy,
    report,
    fitSeconds: (t1 - t0) / 1000,
    predictSeconds: (t2 - t1) / 1000,
    testIndex: Array.from(test),
    yPred,
    ...(proba ? { proba } : {}),
    detail: est.detail(),
  };
}

/** Mean +- std summary of fold results. */
export function summarizeFolds(
  labels: string[],
  folds: FoldResult<unknown>[],
): Pick<CVResult, 'accuracy' | 'perClass' | 'macro' | 'weighted' | 'confusion'> {
  const ms = (f: (r: FoldResult) => number) => meanStd(folds.map(f), 1);
  return {
    accuracy: ms((r) => r.accuracy),
    perClass: labels.map((label, c) => ({
      label,
      precision: ms((r) => r.report.perClass[c].precision),
      recall: ms((r) => r.report.perClass[c].recall),
      f1: ms((r) => r.report.perClass[c].f1),
      support: folds.reduce((a, r) => a + r.report.perClass[c].support, 0) / Math.max(1, folds.length),
    })),
    macro: { precision: ms((r) => r.report.macro.precision), recall: ms((r) => r.report.macro.recall), f1: ms((r) => r.report.macro.f1) },
    weighted: {
      precision: ms((r) => r.report.weighted.precision),
      recall: ms((r) => r.report.weighted.recall),
      f1: ms((r) => r.report.weighted.f1),
    },
    confusion: sumConfusion(folds.map((r) => r.report.confusion)),
  };
}

/**
 * One fold of a cross-validation: its cached result when `cacheDir` holds one for the same data,
 * rows and settings, else a fresh estimator fitted and scored (and the result written atomically).
 */
async function foldResult<D>(
  factory: EstimatorFactory<D>,
  d: Dataset,
  fi: number,
  fold: { train: Int32Array; test: Int32Array },
  k: number,
  dataKey: string,
  opts: CrossValidateOptions<D>,
): Promise<FoldResult<D>> {
  const { train, test } = fold;
  const file = opts.cacheDir ? path.join(opts.cacheDir, `${foldKey(factory.kind, dataKey, train, test, factory.settings)}.json`) : null;
  if (file && fs.existsSync(file)) {
    try {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as FoldResult<D>;
      if (saved.detail !== undefined && Array.isArray(saved.yPred) && (!opts.probabilities || Array.isArray(saved.proba)))
        return { ...saved, fold: fi, cached: true };
    } catch {
      // an unreadable cache file is computed again (and overwritten)
    }
  }
  const ctx: FoldContext = { fold: fi, test, dir: opts.cacheDir ?? null, label: `fold ${fi + 1}/${k}` };
  const est = await factory.make(d, fi);
  try {
    const res: FoldResult<D> = { fold: fi, cached: false, ...(await runFold(est, d, train, test, ctx, opts.probabilities)) };
    if (file) writeFileAtomic(file, JSON.stringify(res));
    est.afterSaved?.();
    return res;
  } finally {
    est.dispose?.();
  }
}

/** The protocol's folds, checked (a failed check is an error naming the first problem). */
function checkedFolds(d: Dataset, protocol: Protocol, k: number, seed: number) {
  const pf = protocolFolds(d, protocol, { k, seed });
  const check = checkProtocolFolds(d, pf);
  if (!check.ok) throw new Error(`protocol '${protocol}' folds failed their check: ${check.problems[0]}`);
  return { folds: pf.folds, check };
}

/** Stratified k-fold evaluation of any estimator under a protocol (see the module comment). */
export async function crossValidate<D>(factory: EstimatorFactory<D>, d: Dataset, opts: CrossValidateOptions<D> = {}): Promise<CVResult<D>> {
  const protocol = opts.protocol ?? 'paper';
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  const start = Date.now();
  const pf = checkedFolds(d, protocol, k, seed);
  const dataKey = opts.cacheDir ? (opts.dataKey ?? datasetFingerprint(d)) : '';
  const bar =
    opts.progress === false || opts.progress === undefined
      ? null
      : progressBar(opts.progress.label ?? `${factory.kind} ${protocol}`, k, { unit: 'folds', ...opts.progress });
  const folds: FoldResult<D>[] = [];
  for (let fi = 0; fi < pf.folds.length; fi++) {
    const res = await foldResult(factory, d, fi, pf.folds[fi], k, dataKey, opts);
    folds.push(res);
    opts.onFold?.(res);
    bar?.tick(1, `acc ${(res.accuracy * 100).toFixed(1)}%`);
  }
  bar?.done();
  return cvResult(factory, d, { protocol, k, seed }, folds, pf.check, (Date.now() - start) / 1000);
}

/** The CVResult of finished folds. */
function cvResult<D>(
  factory: EstimatorFactory<D>,
  d: Dataset,
  run: { protocol: Protocol; k: number; seed: number },
  folds: FoldResult<D>[],
  check: FoldCheck,
  seconds: number,
): CVResult<D> {
  return {
    ...run,
    kind: factory.kind,
    settings: factory.settings,
    labels: d.labels,
    folds,
    ...summarizeFolds(d.labels, folds),
    check,
    stdDdof: 1,
    seconds,
  };
}

export interface GridRow {
  /** the grid point's settings (e.g. {kernel: 'rbf', C: 30}) */
  kernel: string;
  C: number;
  accuracy: MeanStd;
  macroF1: MeanStd;
  seconds: number;
}

export interface GridResult {
  protocol: Protocol;
  k: number;
  seed: number;
  rows: GridRow[];
  best: GridRow;
}

export interface GridSearchOptions extends Omit<CrossValidateOptions, 'onFold'> {
  onResult?: (row: GridRow, cv: CVResult) => void;
}

/**
 * Cross-validates every (kernel, C) of a grid (scikit-learn's GridSearchCV over two
 * parameters, scored by mean accuracy); `make` gives the estimator of one grid point. The best
 * row has the highest mean accuracy (ties: the first).
 *
 * Deliberate difference from GridSearchCV's order: within a kernel the fits run fold by fold, all
 * values of C on one fold before the next fold, so consecutive fits share their training rows and
 * kernel (the SVM keeps one kernel matrix along the C path inside `keepKernelMatrices`,
 * models/svm/kernel-matrix.ts). Each fit is independent, so the results, the rows' order and the
 * fold cache are the same as a point-by-point search; `onResult` is called once a kernel's folds
 * are all done, and a row's `seconds` is the sum of its folds' wall times.
 */
export async function gridSearch(
  d: Dataset,
  grid: { kernels: readonly string[]; C: readonly number[] },
  make: (point: { kernel: string; C: number }) => EstimatorFactory,
  opts: GridSearchOptions = {},
): Promise<GridResult> {
  const protocol = opts.protocol ?? 'paper';
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  const total = grid.kernels.length * grid.C.length * k;
  const bar =
    opts.progress === false || opts.progress === undefined
      ? null
      : progressBar(opts.progress.label ?? `grid ${protocol}`, total, { unit: 'fits', ...opts.progress });
  const pf = checkedFolds(d, protocol, k, seed);
  const dataKey = opts.cacheDir ? (opts.dataKey ?? datasetFingerprint(d)) : '';
  const rows: GridRow[] = [];
  for (const kernel of grid.kernels) {
    const points = grid.C.map((C) => ({ C, factory: make({ kernel, C }), folds: [] as FoldResult[], seconds: 0 }));
    for (let fi = 0; fi < pf.folds.length; fi++) {
      for (const p of points) {
        const t0 = Date.now();
        p.folds.push(await foldResult(p.factory, d, fi, pf.folds[fi], k, dataKey, opts));
        p.seconds += (Date.now() - t0) / 1000;
        bar?.tick(1, `${kernel} C=${p.C} fold ${fi + 1}/${k}`);
      }
    }
    for (const p of points) {
      const cv = cvResult(p.factory, d, { protocol, k, seed }, p.folds, pf.check, p.seconds);
      const row: GridRow = { kernel, C: p.C, accuracy: cv.accuracy, macroF1: cv.macro.f1, seconds: cv.seconds };
      rows.push(row);
      opts.onResult?.(row, cv);
    }
  }
  bar?.done();
  let best = rows[0];
  for (const r of rows) if (r.accuracy.mean > best.accuracy.mean) best = r;
  return { protocol, k, seed, rows, best };
}
