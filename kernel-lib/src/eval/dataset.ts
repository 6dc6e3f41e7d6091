/**
 * The dataset the evaluation protocols fold over: a feature matrix with, per row, its class,
 * the clip it was made from, the speaker, and the augmentation kind. `datasetFromFeatureTable`
 * makes one from the feature store (`ser features ... --out F`, features/store.ts) or from a
 * matrix file made elsewhere (features/matrix-file.ts).
 */
import type { Matrix } from '../dsp/matrix';
import type { FeatureTable } from '../features/store';
import { readFeatureMatrix } from '../features/matrix-file';
import { EMOTIONS } from '../core/types';

export interface Dataset {
  /** nRows x nFeatures, row-major (rows = samples) */
  X: Matrix;
  /** class index per row (into `labels`) */
  y: Int32Array;
  /** class names, index = class (the 8 emotions in the paper's order for the corpora) */
  labels: string[];
  groups: {
    /** source clip id: an original row and its augmented copies share it */
    clip: string[];
    speaker: string[];
  };
  /** 'orig' for the clip itself, otherwise the augmentation ('noise', 'stretch', 'pitch') */
  kind: string[];
  /** corpus per row, when known */
  corpus?: string[];
  /** name per feature column, when known */
  featureNames?: string[];
}

/** Number of rows. */
export function datasetSize(d: Dataset): number {
  return d.X.rows;
}

/** Checks lengths and labels; throws with the first problem found. */
export function validateDataset(d: Dataset): void {
  const n = d.X.rows;
  if (d.X.data.length !== n * d.X.cols) throw new Error(`dataset: X has ${d.X.data.length} values, expected ${n} x ${d.X.cols}`);
  for (const [name, col] of [
    ['y', d.y],
    ['groups.clip', d.groups.clip],
    ['groups.speaker', d.groups.speaker],
    ['kind', d.kind],
  ] as const) {
    if (col.length !== n) throw new Error(`dataset: ${name} has ${col.length} entries, expected ${n}`);
  }
  for (let i = 0; i < n; i++) {
    if (!(d.y[i] >= 0 && d.y[i] < d.labels.length))
      throw new Error(`dataset: row ${i} has class ${d.y[i]} outside 0..${d.labels.length - 1}`);
  }
}

/** The rows `idx` of a dataset (a copy). */
export function subsetDataset(d: Dataset, idx: ArrayLike<number>): Dataset {
  const n = idx.length;
  const cols = d.X.cols;
  const data = d.X.data instanceof Float64Array ? new Float64Array(n * cols) : new Float32Array(n * cols);
  for (let i = 0; i < n; i++) data.set(d.X.data.subarray(idx[i] * cols, (idx[i] + 1) * cols), i * cols);
  const pick = <T>(a: ArrayLike<T>): T[] => Array.from({ length: n }, (_, i) => a[idx[i]]);
  return {
    X: { rows: n, cols, data },
    y: Int32Array.from(pick(d.y)),
    labels: d.labels,
    groups: { clip: pick(d.groups.clip), speaker: pick(d.groups.speaker) },
    kind: pick(d.kind),
    corpus: d.corpus ? pick(d.corpus) : undefined,
    featureNames: d.featureNames,
  };
}

/** Only the original rows (no augmented copies): the paper's Table III setting. */
export function originalRows(d: Dataset): Dataset {
  const idx: number[] = [];
  for (let i = 0; i < d.kind.length; i++) if (d.kind[i] === 'orig') idx.push(i);
  return subsetDataset(d, idx);
}

/** True when some rows are augmented copies. */
export function hasAugmentedRows(d: Dataset): boolean {
  return d.kind.some((k) => k !== 'orig');
}

/**
 * A dataset from a feature table; rows without a label (emotion '' / label -1) are dropped
 * and counted. Labels are the table's emotion names (EMOTIONS order).
 */
export function datasetFromFeatureTable(t: FeatureTable): Dataset & { droppedUnlabelled: number } {
  const keep: number[] = [];
  for (let i = 0; i < t.nRows; i++) if (t.label[i] >= 0) keep.push(i);
  const cols = t.nFeatures;
  const data = new Float32Array(keep.length * cols);
  keep.forEach((r, i) => data.set(t.X.subarray(r * cols, (r + 1) * cols), i * cols));
  const pick = <T>(a: T[]): T[] => keep.map((r) => a[r]);
  return {
    X: { rows: keep.length, cols, data },
    y: Int32Array.from(keep.map((r) => t.label[r])),
    labels: t.emotions?.length ? t.emotions : [...EMOTIONS],
    groups: { clip: pick(t.sourceClipId), speaker: pick(t.speaker) },
    kind: pick(t.kind as string[]),
    corpus: pick(t.corpus),
    featureNames: t.layout,
    droppedUnlabelled: t.nRows - keep.length,
  };
}

/** Reads a feature store, or an Arrow / Parquet / CSV feature matrix (`readFeatureMatrix`), as a Dataset. */
export function loadDataset(file: string): Dataset & { droppedUnlabelled: number } {
  return datasetFromFeatureTable(readFeatureMatrix(file));
}

/** Rows per class and augmentation kind, for summaries. */
export function describeDataset(d: Dataset): {
  rows: number;
  clips: number;
  speakers: number;
  augmented: number;
  perClass: Record<string, number>;
} {
  const perClass: Record<string, number> = {};
  for (const l of d.labels) perClass[l] = 0;
  for (let i = 0; i < d.y.length; i++) perClass[d.labels[d.y[i]]]++;
  return {
    rows: d.X.rows,
    clips: new Set(d.groups.clip).size,
    speakers: new Set(d.groups.speaker).size,
    augmented: d.kind.filter((k) => k !== 'orig').length,
    perClass,
  };
}
