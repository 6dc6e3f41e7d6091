/**
 * Classification metrics as scikit-learn computes them (`accuracy_score`, `confusion_matrix`,
 * `precision_recall_fscore_support`, `classification_report`), over class indices 0..k-1, and
 * the mean +- std over folds that the paper reports. Undefined ratios (no predicted or no true
 * rows of a class) are 0, as with sklearn's default `zero_division="warn"` (which also warns).
 */

export interface MeanStd {
  mean: number;
  std: number;
}

/** Fraction of rows with yPred === yTrue. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new Error(`accuracy: ${yTrue.length} true vs ${yPred.length} predicted labels`);
  if (!yTrue.length) return NaN;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** k x k counts: rows = true class, columns = predicted class (sklearn's layout). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`confusionMatrix: ${yTrue.length} true vs ${yPred.length} predicted labels`);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new Error(`confusionMatrix: label out of range 0..${k - 1} at row ${i}`);
    m[t][p]++;
  }
  return m;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  labels: string[];
  perClass: ClassScores[];
  accuracy: number;
  macro: ClassScores;
  weighted: ClassScores;
  confusion: number[][];
  /** classes whose precision or recall was undefined (set to 0) */
  zeroDivision: string[];
}

/** Per-class precision, recall, F1 and support from a confusion matrix. */
export function scoresFromConfusion(cm: number[][], labels: string[] = cm.map((_, i) => String(i))): ClassificationReport {
  const k = cm.length;
  const perClass: ClassScores[] = [];
  const zeroDivision: string[] = [];
  let correct = 0;
  let total = 0;
  for (let c = 0; c < k; c++) {
    const tp = cm[c][c];
    let predicted = 0;
    let actual = 0;
    for (let o = 0; o < k; o++) {
      predicted += cm[o][c];
      actual += cm[c][o];
    }
    correct += tp;
    total += actual;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = actual > 0 ? tp / actual : 0;
    if (predicted === 0 || actual === 0) zeroDivision.push(labels[c]);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support: actual });
  }
  const avg = (key: keyof ClassScores, w: (s: ClassScores) => number): number => {
    let s = 0;
    let ws = 0;
    for (const c of perClass) {
      s += c[key] * w(c);
      ws += w(c);
    }
    return ws > 0 ? s / ws : 0;
  };
  const macro: ClassScores = {
    precision: avg('precision', () => 1),
    recall: avg('recall', () => 1),
    f1: avg('f1', () => 1),
    support: total,
  };
  const weighted: ClassScores = {
    precision: avg('precision', (c) => c.support),
    recall: avg('recall', (c) => c.support),
    f1: avg('f1', (c) => c.support),
    support: total,
  };
  return { labels, perClass, accuracy: total > 0 ? correct / total : NaN, macro, weighted, confusion: cm, zeroDivision };
}

/** sklearn's classification_report (as numbers) for class indices 0..labels.length-1. */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: string[]): ClassificationReport {
  return scoresFromConfusion(confusionMatrix(yTrue, yPred, labels.length), labels);
}

/**
 * Mean and standard deviation of per-fold values. `ddof` 1 (default) is the sample std (the
 * paper's +- is read as that); 0 is numpy's default np.std.
 */
export function meanStd(values: ArrayLike<number>, ddof: 0 | 1 = 1): MeanStd {
  const n = values.length;
  if (!n) return { mean: NaN, std: NaN };
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i];
  m /= n;
  if (n - ddof <= 0) return { mean: m, std: NaN };
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / (n - ddof)) };
}

/** "76.1 ± 1.2" from fractions (x100) or percentages. */
export function fmtPct(m: MeanStd, digits = 1, scale = 100): string {
  return `${(m.mean * scale).toFixed(digits)} ± ${(m.std * scale).toFixed(digits)}`;
}

/** Element-wise sum of confusion matrices. */
export function sumConfusion(ms: number[][][]): number[][] {
  if (!ms.length) return [];
  const k = ms[0].length;
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const m of ms) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i][j] += m[i][j];
  return out;
}

/** Rows of a confusion matrix as fractions of the true class (recall on the diagonal). */
export function normalizeConfusion(m: number[][]): number[][] {
  return m.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (s > 0 ? v / s : 0));
  });
}
