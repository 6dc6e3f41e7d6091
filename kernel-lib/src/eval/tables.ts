/**
 * Cross-validation results in the paper's layouts: Tables II-V rows (Class, Precision, Recall,
 * F1-score, Samples as mean +- std in %), confusion-matrix heatmaps (plotly specs), and the
 * protocol comparison. Pure data: the notebook shows and saves them through report/.
 */
import type { Figure } from '../core/figure';
import { CVResult, GridResult } from './crossval';
import { fmtPct, MeanStd, normalizeConfusion } from './metrics';

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
    SVs: f.nSupport,
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

/** A plotly heatmap of a confusion matrix (rows true, columns predicted; `normalize`: row fractions). */
export function confusionFigure(cm: number[][], labels: string[], title: string, normalize = true): Figure {
  const z = normalize ? normalizeConfusion(cm) : cm;
  const text = cm.map((row, i) => row.map((v, j) => (normalize ? `${(z[i][j] * 100).toFixed(1)}%<br>${v}` : String(v))));
  const names = labels.map(cap);
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: names,
        y: names,
        text,
        texttemplate: '%{text}',
        hovertemplate: 'true %{y}<br>predicted %{x}<br>%{text}<extra></extra>',
        colorscale: 'Blues',
        zmin: 0,
        zmax: normalize ? 1 : undefined,
        showscale: true,
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'predicted' }, side: 'bottom' },
      yaxis: { title: { text: 'true' }, autorange: 'reversed' },
      height: 520,
      width: 620,
      margin: { l: 90, r: 20, t: 60, b: 80 },
    },
  };
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

/** A plotly bar chart: accuracy per protocol (error bars = std) with the paper's value as a line. */
export function protocolFigure(groups: { setting: string; results: CVResult[]; paper: MeanStd | null }[], title: string): Figure {
  const protocols = ['paper', 'clip', 'speaker'];
  const data: any[] = groups.map((g) => ({
    type: 'bar',
    name: g.setting,
    x: protocols,
    y: protocols.map((p) => {
      const r = g.results.find((x) => x.protocol === p);
      return r ? r.accuracy.mean * 100 : null;
    }),
    error_y: {
      type: 'data',
      array: protocols.map((p) => {
        const r = g.results.find((x) => x.protocol === p);
        return r ? r.accuracy.std * 100 : null;
      }),
    },
  }));
  const shapes = groups
    .filter((g) => g.paper)
    .map((g, i) => ({
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: (g.paper as MeanStd).mean,
      y1: (g.paper as MeanStd).mean,
      line: { dash: 'dash', width: 1.5, color: ['#d62728', '#2ca02c', '#9467bd'][i % 3] },
    }));
  const annotations = groups
    .filter((g) => g.paper)
    .map((g) => ({ xref: 'paper', x: 1, xanchor: 'right', y: (g.paper as MeanStd).mean, yanchor: 'bottom', text: `paper, ${g.setting}: ${(g.paper as MeanStd).mean}%`, showarrow: false, font: { size: 11 } }));
  return {
    data,
    layout: { title: { text: title }, barmode: 'group', yaxis: { title: { text: 'accuracy %' }, range: [0, 100] }, shapes, annotations, height: 420 },
  };
}

/**
 * A cross-validation result in the shape of the results registry (report/results.ts,
 * `recordResult`): percentages, per-class rows by emotion name, mean test rows as support.
 */
export function toModelResult(
  cv: CVResult,
  model: import('../report/paper').PaperModel,
  data: { clips: number; rows: number; corpora: string[]; synthetic: boolean },
  setting: string,
): Omit<import('../report/results').ModelResult, 'recordedAt' | 'notebook' | 'profile'> {
  const pct = (m: MeanStd): MeanStd => ({ mean: +(m.mean * 100).toFixed(4), std: +(m.std * 100).toFixed(4) });
  return {
    model,
    protocol: cv.protocol,
    accuracy: pct(cv.accuracy),
    perClass: cv.perClass.map((c) => ({ emotion: c.label as import('../core/types').Emotion, precision: pct(c.precision), recall: pct(c.recall), f1: pct(c.f1), support: c.support })),
    folds: cv.k,
    data,
    setting,
  };
}
