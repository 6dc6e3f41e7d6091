/**
 * Feature matrix files: the one reader behind `ser svm --features` and `loadDataset`, and the
 * writer behind `ser features export`. The format comes from the file name:
 *
 * | extension | format | module |
 * | --- | --- | --- |
 * | `.arrow`, `.feather`, `.ipc` | Arrow IPC file (Feather V2) | matrix-arrow.ts |
 * | `.parquet` | Parquet | matrix-parquet.ts |
 * | `.csv` | CSV (+ `<file>.json` metadata) | matrix-csv.ts |
 * | anything else | the feature store `SERFEAT1` | store.ts |
 *
 * Columns and the import rules: matrix-columns.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/fs';
import { decodeMatrixArrow, encodeMatrixArrow } from './matrix-arrow';
import { featureTableFromColumns, type InColumn, matrixColumns, matrixMeta, type MatrixMeta, parseMatrixMeta } from './matrix-columns';
import { csvSidecarPath, decodeMatrixCsv, encodeMatrixCsv } from './matrix-csv';
import { decodeMatrixParquet, encodeMatrixParquet } from './matrix-parquet';
import { type FeatureTable, readFeatureStore } from './store';

export type MatrixFormat = 'arrow' | 'parquet' | 'csv' | 'store';

/** The extensions of the exported formats (what `ser features export --to` accepts). */
export const MATRIX_EXTENSIONS: Record<Exclude<MatrixFormat, 'store'>, string[]> = {
  arrow: ['.arrow', '.feather', '.ipc'],
  parquet: ['.parquet'],
  csv: ['.csv'],
};

/** The format of a file, from its extension (case-insensitive); 'store' for any other. */
export function matrixFormat(file: string): MatrixFormat {
  const ext = path.extname(file).toLowerCase();
  for (const [format, exts] of Object.entries(MATRIX_EXTENSIONS)) if (exts.includes(ext)) return format as MatrixFormat;
  return 'store';
}

function readBytes(file: string): Buffer {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read feature matrix (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length === 0) throw new Error(`${file}: empty file`);
  return buf;
}

/**
 * Reads a feature matrix: a feature store, or an Arrow / Parquet / CSV table exported by
 * `ser features export` or made elsewhere (pandas, polars, R). Throws one line naming the file
 * (and the column, for a missing or ill-typed one).
 */
export function readFeatureMatrix(file: string): FeatureTable {
  const format = matrixFormat(file);
  if (format === 'store') return readFeatureStore(file);
  const bytes = readBytes(file);
  let read: { nRows: number; columns: InColumn[]; meta?: MatrixMeta | null };
  if (format === 'arrow') read = decodeMatrixArrow(bytes, file);
  else if (format === 'parquet') read = decodeMatrixParquet(bytes, file);
  else {
    read = decodeMatrixCsv(bytes.toString('utf8'), file);
    const sidecar = csvSidecarPath(file);
    if (fs.existsSync(sidecar)) read.meta = parseMatrixMeta(fs.readFileSync(sidecar, 'utf8'), sidecar);
  }
  return featureTableFromColumns(file, read.nRows, read.columns, read.meta ?? null);
}

/** Files written by `writeFeatureMatrix`. */
export interface WrittenMatrix {
  format: Exclude<MatrixFormat, 'store'>;
  files: string[];
  bytes: number;
}

/**
 * Writes a feature table as Arrow IPC, Parquet or CSV (from `file`'s extension; CSV also writes
 * `<file>.json`), atomically. What `ser features export <store> --to <file>` does.
 */
export function writeFeatureMatrix(t: FeatureTable, file: string): WrittenMatrix {
  const format = matrixFormat(file);
  if (format === 'store') {
    const all = Object.values(MATRIX_EXTENSIONS).flat().join(', ');
    throw new Error(`${file}: unknown export format '${path.extname(file) || '(no extension)'}' (use ${all})`);
  }
  let columns: ReturnType<typeof matrixColumns>;
  try {
    columns = matrixColumns(t);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const meta = matrixMeta(t);
  if (format === 'csv') {
    const data = Buffer.from(encodeMatrixCsv(columns), 'utf8');
    const sidecar = csvSidecarPath(file);
    writeFileAtomic(file, data);
    writeFileAtomic(sidecar, `${JSON.stringify(JSON.parse(meta), null, 1)}\n`);
    return { format, files: [file, sidecar], bytes: data.length + fs.statSync(sidecar).size };
  }
  const data = format === 'arrow' ? encodeMatrixArrow(columns, meta) : encodeMatrixParquet(columns, meta);
  writeFileAtomic(file, data);
  return { format, files: [file], bytes: data.length };
}
