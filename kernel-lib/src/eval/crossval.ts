/**
 * Cross-validated SVM runs (paper III.D-E): for each fold of a protocol, a scaler (StandardScaler
 * by default; MinMaxScaler or none as options) + SVC pipeline is fitted on the training rows only and scored on the test rows; per-fold
 * confusion matrices and per-class precision / recall / F1 are summarised as mean +- std
 * (sample std, ddof = 1) over folds. `gridSearch` runs this for every (kernel, C) of a grid.
 *
 * Finished folds can be cached (`cacheDir`): each fold's result is written atomically under a
 * key made of the data, the fold's rows and the model settings, so an interrupted grid resumes
 * where it stopped and a re-run with the same inputs costs nothing.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../report/context';
import { progress as progressBar, ProgressOptions } from '../report/progress';
import { ScalerKind, takeRows, asMatrix } from '../models/scaler';
import { svmPipeline } from '../models/pipeline';
import { SVC, SVCParams } from '../models/svm';
import { Dataset } from './dataset';
import { classificationReport, ClassificationReport, MeanStd, meanStd, sumConfusion } from './metrics';
import { checkProtocolFolds, FoldCheck, Protocol, protocolFolds } from './protocols';

export type SvmSettings = Partial<Omit<SVCParams, 'workers'>>;

/** The default feature scaling of the pipeline (the reference recipe's StandardScaler). */
export const DEFAULT_SCALER: ScalerKind = 'standard';

export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  accuracy: number;
  report: ClassificationReport;
  fitSeconds: number;
  predictSeconds: number;
  nSupport: number;
  cached: boolean;
}

export interface ClassSummary {
  label: string;
  precision: MeanStd;
  recall: MeanStd;
  f1: MeanStd;
  /** mean test rows of the class per fold (the paper's "Samples") */
  support: number;
}

export interface CVResult {
  protocol: Protocol;
  k: number;
  seed: number;
  settings: SvmSettings;
  /** the SVM pipeline's feature scaling (absent for CNN runs summarised in this shape) */
  scaler?: ScalerKind;
  labels: string[];
  folds: FoldResult[];
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

export interface CrossValidateOptions {
  protocol?: Protocol;
  k?: number;
  seed?: number;
  /** SVC settings (kernel, C, gamma, ...) */
  svm?: SvmSettings;
  /** feature scaling fitted on each training fold (default 'standard') */
  scaler?: ScalerKind;
  /** worker threads for the SVC (default one per core; 0 = calling thread) */
  workers?: number;
  /** directory for per-fold results (resume / reuse); none by default */
  cacheDir?: string;
  /** called after every fold */
  onFold?: (r: FoldResult) => void;
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

function foldKey(fp: string, train: Int32Array, test: Int32Array, settings: SvmSettings, scaler: ScalerKind): string {
  const h = crypto.createHash('sha256');
  // the default scaler adds nothing, so folds cached before the option existed stay valid
  h.update(`svm-fold-v1\n${fp}\n${JSON.stringify(settings)}\n${scaler === DEFAULT_SCALER ? '' : `scaler=${scaler}\n`}`);
  h.update(Buffer.from(train.buffer, train.byteOffset, train.byteLength));
  h.update('|');
  h.update(Buffer.from(test.buffer, test.byteOffset, test.byteLength));
  return h.digest('hex').slice(0, 40);
}

/** Settings with scikit-learn's defaults filled in (what the cache key and the report show). */
export function resolveSettings(s: SvmSettings = {}): SvmSettings {
  const { workers: _w, ...d } = new SVC(s).params;
  void _w;
  return d;
}

/** Fits scaler + SVC on `train`, scores `test`. */
export async function runFold(d: Dataset, train: Int32Array, test: Int32Array, settings: SvmSettings, workers?: number, scaler: ScalerKind = DEFAULT_SCALER): Promise<Omit<FoldResult, 'fold' | 'cached'>> {
  const M = asMatrix(d.X);
  const Xtr = takeRows(M, train);
  const Xte = takeRows(M, test);
  const ytr = Array.from(train, (r) => d.y[r]);
  const yte = Array.from(test, (r) => d.y[r]);
  const svc = new SVC({ ...settings, workers });
  const pipe = svmPipeline(scaler, svc);
  const t0 = Date.now();
  await pipe.fit(Xtr, ytr);
  const t1 = Date.now();
  const idx = await pipe.predictIndex(Xte);
  const t2 = Date.now();
  // class indices of the SVC are positions in its sorted classes: map back to dataset classes
  const pred = Array.from(idx, (i) => svc.classes[i] as number);
  const report = classificationReport(yte, pred, d.labels);
  return {
    trainRows: train.length,
    testRows: test.length,
    accuracy: report.accuracy,
    report,
    fitSeconds: (t1 - t0) / 1000,
    predictSeconds: (t2 - t1) / 1000,
    nSupport: svc.support.length,
  };
}

/** Mean +- std summary of fold results. */
export function summarizeFolds(labels: string[], folds: FoldResult[]): Pick<CVResult, 'accuracy' | 'perClass' | 'macro' | 'weighted' | 'confusion'> {
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
    weighted: { precision: ms((r) => r.report.weighted.precision), recall: ms((r) => r.report.weighted.recall), f1: ms((r) => r.report.weighted.f1) },
    confusion: sumConfusion(folds.map((r) => r.report.confusion)),
  };
}

/** Stratified k-fold evaluation of scaler + SVC under a protocol. */
export async function crossValidate(d: Dataset, opts: CrossValidateOptions = {}): Promise<CVResult> {
  const protocol = opts.protocol ?? 'paper';
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  const settings = resolveSettings(opts.svm);
  const scaler = opts.scaler ?? DEFAULT_SCALER;
  const start = Date.now();
  const pf = protocolFolds(d, protocol, { k, seed });
  const check = checkProtocolFolds(d, pf);
  if (!check.ok) throw new Error(`protocol '${protocol}' folds failed their check: ${check.problems[0]}`);
  const fp = opts.cacheDir ? datasetFingerprint(d) : '';
  const bar = opts.progress === false || opts.progress === undefined ? null : progressBar(opts.progress.label ?? `svm ${protocol}`, k, { unit: 'folds', ...opts.progress });
  const folds: FoldResult[] = [];
  for (let fi = 0; fi < pf.folds.length; fi++) {
    const { train, test } = pf.folds[fi];
    let res: FoldResult | null = null;
    const file = opts.cacheDir ? path.join(opts.cacheDir, `${foldKey(fp, train, test, settings, scaler)}.json`) : null;
    if (file && fs.existsSync(file)) {
      try {
        res = { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as FoldResult), fold: fi, cached: true };
      } catch {
        res = null;
      }
    }
    if (!res) {
      res = { fold: fi, cached: false, ...(await runFold(d, train, test, settings, opts.workers, scaler)) };
      if (file) writeFileAtomic(file, JSON.stringify(res));
    }
    folds.push(res);
    opts.onFold?.(res);
    bar?.tick(1, `acc ${(res.accuracy * 100).toFixed(1)}%`);
  }
  bar?.done();
  return { protocol, k, seed, settings, scaler, labels: d.labels, folds, ...summarizeFolds(d.labels, folds), check, stdDdof: 1, seconds: (Date.now() - start) / 1000 };
}

/** The paper's grid (III.D): kernels poly and RBF, C in {4, 7, 8, 9, 15, 25, 30, 50, 100, 200}. */
export const PAPER_GRID = {
  kernels: ['poly', 'rbf'] as ('poly' | 'rbf')[],
  C: [4, 7, 8, 9, 15, 25, 30, 50, 100, 200],
};

export interface GridRow {
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

export interface GridSearchOptions extends Omit<CrossValidateOptions, 'svm' | 'onFold'> {
  kernels?: ('poly' | 'rbf' | 'linear' | 'sigmoid')[];
  C?: number[];
  /** settings shared by every grid point (gamma, degree, ...) */
  svm?: SvmSettings;
  onResult?: (row: GridRow, cv: CVResult) => void;
}

/** Cross-validates every (kernel, C); the best row has the highest mean accuracy (ties: first). */
export async function gridSearch(d: Dataset, opts: GridSearchOptions = {}): Promise<GridResult> {
  const kernels = opts.kernels ?? PAPER_GRID.kernels;
  const Cs = opts.C ?? PAPER_GRID.C;
  const protocol = opts.protocol ?? 'paper';
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  const total = kernels.length * Cs.length * k;
  const bar = opts.progress === false || opts.progress === undefined ? null : progressBar(opts.progress.label ?? `grid ${protocol}`, total, { unit: 'fits', ...opts.progress });
  const rows: GridRow[] = [];
  for (const kernel of kernels) {
    for (const C of Cs) {
      const cv = await crossValidate(d, {
        ...opts,
        protocol,
        k,
        seed,
        svm: { ...opts.svm, kernel, C },
        progress: false,
        onFold: (r) => bar?.tick(1, `${kernel} C=${C} fold ${r.fold + 1}/${k}`),
      });
      const row: GridRow = { kernel, C, accuracy: cv.accuracy, macroF1: cv.macro.f1, seconds: cv.seconds };
      rows.push(row);
      opts.onResult?.(row, cv);
    }
  }
  bar?.done();
  let best = rows[0];
  for (const r of rows) if (r.accuracy.mean > best.accuracy.mean) best = r;
  return { protocol, k, seed, rows, best };
}
