/**
 * The feature matrix as named columns, the form it takes in the files other tools open
 * (Arrow IPC / Feather, Parquet, CSV: matrix-arrow.ts, matrix-parquet.ts, matrix-csv.ts).
 *
 * Export (`matrixColumns`): one row per store row; the columns are `clip_id`, `source_clip_id`,
 * `kind`, `emotion`, `label`, `speaker`, `corpus`, `sha256` (text, `label` int32), then one
 * float32 column per feature named by the store's layout (`mfcc_1` ... `tonnetz_6`). The
 * store's layout, emotions, parameters and skipped clips travel as one JSON text (`matrixMeta`),
 * under the key `ser` of the file's metadata (Arrow, Parquet) or in a sidecar file (CSV).
 *
 * Import (`featureTableFromColumns`): a table made anywhere (pandas `to_parquet` /
 * `to_feather` / `to_csv`, polars, R) with an `emotion` column (text, one of the emotion names;
 * empty = unlabelled, dropped by the SVM as in the store), optionally `speaker`, `corpus`,
 * `source_clip_id`, `clip_id`, `kind` (orig / noise / stretch / pitch) and `sha256`, and
 * numeric feature columns: every other column, except pandas' index columns (named '',
 * `Unnamed: N` or `__index_level_N__`). `label` is ignored (it is recomputed from `emotion`).
 * Values become float32 (the store's type); a missing or ill-typed column throws one line
 * naming the file and the column.
 */
import { EMOTIONS } from '../core/types';
import { AUG_KINDS, type AugKind, type FeatureStoreHeader, type FeatureTable, rowClipId, STORE_VERSION } from './store';

/** The columns before the features, in file order. */
export const MATRIX_ID_COLUMNS = ['clip_id', 'source_clip_id', 'kind', 'emotion', 'label', 'speaker', 'corpus', 'sha256'] as const;

/** Key of the store's parameters in the file's metadata (Arrow schema metadata, Parquet key-value metadata). */
export const MATRIX_META_KEY = 'ser';

/** A column to write: text, int32 or float32 values. */
export type OutColumn =
  | { name: string; type: 'utf8'; values: string[] }
  | { name: string; type: 'int32'; values: Int32Array }
  | { name: string; type: 'float32'; values: Float32Array };

/** What `matrixMeta` holds: everything of the store that is not a row (its header less the columns). */
export type MatrixMeta = Omit<FeatureStoreHeader, 'columns'>;

/** The columns of a table, in file order (the export's one definition of names and types). */
export function matrixColumns(t: FeatureTable): OutColumn[] {
  const cols: OutColumn[] = [
    { name: 'clip_id', type: 'utf8', values: t.clipId },
    { name: 'source_clip_id', type: 'utf8', values: t.sourceClipId },
    { name: 'kind', type: 'utf8', values: t.kind },
    { name: 'emotion', type: 'utf8', values: t.emotion },
    { name: 'label', type: 'int32', values: Int32Array.from(t.label) },
    { name: 'speaker', type: 'utf8', values: t.speaker },
    { name: 'corpus', type: 'utf8', values: t.corpus },
    { name: 'sha256', type: 'utf8', values: t.sha256 },
  ];
  const taken = new Set<string>(MATRIX_ID_COLUMNS);
  for (let j = 0; j < t.nFeatures; j++) {
    const name = t.layout[j];
    if (taken.has(name)) throw new Error(`feature '${name}' has the name of another column`);
    taken.add(name);
    const v = new Float32Array(t.nRows);
    for (let i = 0; i < t.nRows; i++) v[i] = t.X[i * t.nFeatures + j];
    cols.push({ name, type: 'float32', values: v });
  }
  return cols;
}

/** The store's metadata as the JSON text stored under MATRIX_META_KEY. */
export function matrixMeta(t: FeatureTable): string {
  const m: MatrixMeta = {
    format: 'ser-features',
    version: STORE_VERSION,
    nRows: t.nRows,
    nFeatures: t.nFeatures,
    layout: t.layout,
    emotions: t.emotions,
    params: t.params,
    skipped: t.skipped,
  };
  return JSON.stringify(m);
}

/** A column read from a file. */
export type InColumn =
  /** text (Arrow Utf8 / dictionary of Utf8, Parquet string); null = missing */
  | { name: string; type: 'string'; values: (string | null)[] }
  /** numbers (Arrow / Parquet ints and floats); `missing[i]` = 1 where row i has no value (null when none is missing); `source` = the file's type name */
  | { name: string; type: 'number'; source: string; values: Float64Array; missing: Uint8Array | null }
  /** CSV cells: typed where the column is used */
  | { name: string; type: 'text'; values: string[] }
  /** a type no column takes (booleans, dates, lists, ...): its name in the file */
  | { name: string; type: 'other'; source: string };

/** pandas' index written as a column: to_csv's unnamed first column, read back as 'Unnamed: 0'; pyarrow's `__index_level_0__`. */
export function isPandasIndexColumn(name: string): boolean {
  return name === '' || /^Unnamed: \d+$/.test(name) || /^__index_level_\d+__$/.test(name);
}

function typeName(c: InColumn): string {
  return c.type === 'number' || c.type === 'other' ? c.source : c.type === 'text' ? 'text' : 'string';
}

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Parses the metadata text of an exported file; null when absent or not ours. */
export function parseMatrixMeta(text: string | undefined | null, where: string): MatrixMeta | null {
  if (text === undefined || text === null) return null;
  let m: MatrixMeta;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: unreadable '${MATRIX_META_KEY}' metadata (${(e as Error).message})`);
  }
  if (m?.format !== 'ser-features') return null;
  return m;
}

/**
 * A feature table from columns read out of `file` (see the module comment for the rules).
 * Mirrors what `pd.read_*(file)` then `df['emotion']`, `df[feature_columns].to_numpy(np.float32)`
 * would give. `meta` (from an export) supplies the emotion order, parameters and skipped clips.
 */
export function featureTableFromColumns(file: string, nRows: number, columns: InColumn[], meta: MatrixMeta | null = null): FeatureTable {
  const byName = new Map<string, InColumn>();
  for (const c of columns) {
    if (byName.has(c.name)) throw new Error(`${file}: column '${c.name}' appears twice`);
    byName.set(c.name, c);
  }
  if (nRows === 0) throw new Error(`${file}: no rows`);
  const emotions = meta?.emotions?.length ? meta.emotions : [...EMOTIONS];

  /** A text column as strings ('' where missing); numbers become their decimal text. */
  const textColumn = (name: string, required: boolean): string[] | null => {
    const c = byName.get(name);
    if (!c) {
      if (!required) return null;
      const names = columns.map((x) => x.name);
      throw new Error(
        `${file}: no '${name}' column (columns: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, ... ${names.length} in all` : ''})`,
      );
    }
    if (c.type === 'string') return c.values.map((v) => v ?? '');
    if (c.type === 'text') return c.values;
    if (c.type === 'number' && name !== 'emotion')
      return Array.from(c.values, (v, i) => (c.missing?.[i] || Number.isNaN(v) ? '' : String(v)));
    throw new Error(`${file}: column '${name}' is ${typeName(c)}, expected text`);
  };

  const emotion = textColumn('emotion', true)!;
  const label = emotion.map((e, i) => {
    if (e === '') return -1;
    const l = emotions.indexOf(e);
    if (l < 0) throw new Error(`${file}: column 'emotion', row ${i + 1}: '${e}' is not one of ${emotions.join(', ')}`);
    return l;
  });
  const kindText = textColumn('kind', false);
  const kind: AugKind[] = kindText
    ? kindText.map((k, i) => {
        if (k === '') return 'orig';
        if (!(AUG_KINDS as readonly string[]).includes(k))
          throw new Error(`${file}: column 'kind', row ${i + 1}: '${k}' is not one of ${AUG_KINDS.join(', ')}`);
        return k as AugKind;
      })
    : new Array<AugKind>(nRows).fill('orig');
  const rowName = (i: number) => `row${i + 1}`;
  const clipText = textColumn('clip_id', false);
  const sourceText = textColumn('source_clip_id', false);
  const sourceClipId = sourceText
    ? sourceText.map((s, i) => s || clipText?.[i] || rowName(i))
    : clipText
      ? clipText.map((s, i) => s || rowName(i))
      : Array.from({ length: nRows }, (_, i) => rowName(i));
  const clipId = clipText
    ? clipText.map((s, i) => s || rowClipId(sourceClipId[i], kind[i]))
    : sourceClipId.map((s, i) => rowClipId(s, kind[i]));
  const orEmpty = (name: string) => textColumn(name, false) ?? new Array<string>(nRows).fill('');

  const features = columns.filter((c) => !(MATRIX_ID_COLUMNS as readonly string[]).includes(c.name) && !isPandasIndexColumn(c.name));
  if (!features.length) throw new Error(`${file}: no feature columns (every column besides ${MATRIX_ID_COLUMNS.join(', ')})`);
  const F = features.length;
  const X = new Float32Array(nRows * F);
  features.forEach((c, j) => {
    const bad = (i: number, what: string) => new Error(`${file}: column '${c.name}', row ${i + 1}: ${what}`);
    if (c.type === 'number') {
      const firstMissing = c.missing ? c.missing.indexOf(1) : -1;
      if (firstMissing >= 0) throw bad(firstMissing, 'missing value');
      for (let i = 0; i < nRows; i++) {
        const v = c.values[i];
        if (!Number.isFinite(v)) throw bad(i, `${v} is not a finite number`);
        X[i * F + j] = v;
      }
    } else if (c.type === 'text') {
      for (let i = 0; i < nRows; i++) {
        const s = c.values[i];
        if (!NUMBER_TEXT.test(s))
          throw bad(i, s === '' ? 'missing value' : `'${s.length > 40 ? `${s.slice(0, 40)}...` : s}' is not a finite number`);
        X[i * F + j] = Number(s);
      }
    } else {
      throw new Error(`${file}: column '${c.name}' is ${typeName(c)}, expected a numeric feature column`);
    }
  });
  return {
    X,
    nRows,
    nFeatures: F,
    layout: features.map((c) => c.name),
    emotions,
    params: meta?.params ?? { source: file },
    skipped: meta?.skipped ?? [],
    clipId,
    sourceClipId,
    kind,
    emotion,
    label,
    speaker: orEmpty('speaker'),
    corpus: orEmpty('corpus'),
    sha256: orEmpty('sha256'),
    key: new Array<string>(nRows).fill(''),
  };
}
