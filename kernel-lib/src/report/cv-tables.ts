/**
 * Cross-validation results in the paper's layouts: Tables II-V rows (Class, Precision, Recall,
 * F1-score, Samples as mean +- std in %), confusion-matrix heatmaps (plotly specs), and the
 * protocol comparison. Pure data: the notebook shows and saves them through report/.
 */
import type { Dataset } from '../eval/dataset';
import type { GroupAccuracy, OutOfFold } from '../eval/errors';
import type { CnnRunResult } from '../models/cnn/run';
import type { CVResult, GridResult } from '../eval/crossval';
import { fmtPct, type MeanStd } from '../eval/metrics';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One row per class: Class, Precision, Recall, F1-score ("80.5 ± 1.1", %), Samples (mean test rows per fold). */
export function paperLayoutRows(cv: CVResult): Record<string, string | number>[] {
  return cv.perClass.map((c) => ({
    Class: cap(c.label),
    Precision: fmtPct(c.precision),
    Recall: fmtPct(c.recall),
    'F1-score': fmtPct(c.f1),
    Samples: +c.support.toFixed(1),
  }));
}

/** Per-fold rows: fold, train/test rows, accuracy, macro F1, support vectors, seconds. */
export function foldRows(cv: CVResult): Record<string, string | number>[] {
  return cv.folds.map((f) => ({
    fold: f.fold + 1,
    train: f.trainRows,
    test: f.testRows,
    'accuracy %': +(f.accuracy * 100).toFixed(2),
    'macro F1 %': +(f.report.macro.f1 * 100).toFixed(2),
    SVs: (f.detail as { nSupport?: number } | undefined)?.nSupport ?? '',
    'fit s': +f.fitSeconds.toFixed(2),
    'predict s': +f.predictSeconds.toFixed(2),
    cached: f.cached ? 'yes' : '',
  }));
}

/** Grid rows: kernel, C, accuracy and macro F1 as mean ± std %. */
export function gridRows(g: GridResult): Record<string, string | number>[] {
  return g.rows.map((r) => ({
    kernel: r.kernel,
    C: r.C,
    'accuracy %': fmtPct(r.accuracy),
    'macro F1 %': fmtPct(r.macroF1),
    best: r === g.best ? '*' : '',
    seconds: +r.seconds.toFixed(1),
  }));
}

export interface ProtocolComparisonRow {
  [k: string]: string | number;
}

/** Accuracy of each protocol next to the paper's number. */
export function protocolComparisonRows(setting: string, results: CVResult[], paper: MeanStd | null): ProtocolComparisonRow[] {
  return results.map((cv) => ({
    setting,
    protocol: cv.protocol,
    'accuracy % (this run)': fmtPct(cv.accuracy),
    'macro F1 %': fmtPct(cv.macro.f1),
    'paper accuracy %': paper ? `${paper.mean.toFixed(1)} ± ${paper.std.toFixed(1)}` : '',
    'difference (pp)': paper ? +(cv.accuracy.mean * 100 - paper.mean).toFixed(1) : '',
    folds: cv.k,
    'test rows / fold': +(cv.folds.reduce((a, f) => a + f.testRows, 0) / cv.folds.length).toFixed(1),
  }));
}

/**
 * A cross-validation result in the shape of the results registry (report/results.ts,
 * `recordResult`): percentages, per-class rows by emotion name, mean test rows as support.
 */
export function toModelResult(
  cv: CVResult,
  model: import('./paper').PaperModel,
  data: { clips: number; rows: number; corpora: string[]; synthetic: boolean },
  setting: string,
): Omit<import('./results').ModelResult, 'recordedAt' | 'notebook' | 'profile'> {
  // full precision: rounding here and again when printed moved 0.549... to 0.55 and then to "0.6"
  const pct = (m: MeanStd): MeanStd => ({ mean: m.mean * 100, std: m.std * 100 });
  return {
    model,
    protocol: cv.protocol,
    accuracy: pct(cv.accuracy),
    perClass: cv.perClass.map((c) => ({
      emotion: c.label as import('../core/types').Emotion,
      precision: pct(c.precision),
      recall: pct(c.recall),
      f1: pct(c.f1),
      support: c.support,
    })),
    folds: cv.k,
    data,
    setting,
  };
}

/** Per-fold rows: fold, sizes, epochs, best epoch, accuracy, seconds. */
export function cnnFoldRows(r: CnnRunResult): Record<string, string | number>[] {
  return r.folds.map((f) => ({
    fold: f.fold + 1,
    train: f.detail.trainSize,
    test: f.testRows,
    'epochs run': f.detail.epochsRun,
    'best epoch': f.detail.bestEpoch,
    'early stop': f.detail.stoppedEarly ? 'yes' : 'no',
    'accuracy %': +(100 * f.accuracy).toFixed(2),
    'micro-batch': f.detail.microBatch,
    seconds: +f.detail.trainSeconds.toFixed(1),
  }));
}

/** A CNN run in the results registry's shape (report/results.ts recordResult; toModelResult). */
export function resultRecord(r: CnnRunResult) {
  const setting = `${r.setting}${r.model === 'vgg16' ? (r.transfer ? ', ImageNet weights (frozen base)' : ', no ImageNet weights: trained from scratch') : ''}; ${r.backend}`;
  return toModelResult(
    r.cv,
    r.model === 'custom' ? 'custom-cnn' : 'vgg16',
    { clips: r.data.clips, rows: r.data.clips, corpora: r.data.corpora, synthetic: r.data.synthetic },
    setting,
  );
}

/** Rows of misclassified clips: clip, corpus, speaker, true and predicted class, their probabilities. */
export function pairErrorRows(errors: OutOfFold[], d: Dataset): Record<string, string | number>[] {
  const pct = (p: number | undefined) => (p === undefined ? '' : +(100 * p).toFixed(1));
  return errors.map((o) => ({
    clip: d.groups.clip[o.row],
    corpus: d.corpus?.[o.row] ?? '',
    speaker: d.groups.speaker[o.row],
    true: d.labels[o.yTrue],
    predicted: d.labels[o.yPred],
    'p(true) %': pct(o.proba?.[o.yTrue]),
    'p(predicted) %': pct(o.proba?.[o.yPred]),
    fold: o.fold + 1,
  }));
}

/** Accuracy per corpus or speaker: group, corpus, tested rows, accuracy %. */
export function groupAccuracyRows(groups: GroupAccuracy[], by: 'corpus' | 'speaker'): Record<string, string | number>[] {
  return groups.map((g) => ({
    [by]: g.group,
    ...(by === 'speaker' ? { corpus: g.corpus } : {}),
    'tested rows': g.rows,
    'accuracy %': +(100 * g.accuracy).toFixed(1),
  }));
}
