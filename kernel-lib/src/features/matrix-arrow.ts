/**
 * The feature matrix as an Apache Arrow table (columns: matrix-columns.ts), with the `apache-arrow`
 * package: written as an Arrow IPC file (Feather V2; what `pyarrow.feather.write_feather(...,
 * compression='uncompressed')` writes, read by `pandas.read_feather`, `polars.read_ipc`, R's
 * `arrow::read_feather`), and read from an IPC file or stream. The Parquet module goes through
 * the same Arrow table (matrix-parquet.ts).
 *
 * `apache-arrow` is loaded on first use, so importing kernel-lib does not load it.
 */
import type * as ArrowLib from 'apache-arrow';
import { type InColumn, MATRIX_META_KEY, type MatrixMeta, type OutColumn, parseMatrixMeta } from './matrix-columns';

let lib: typeof ArrowLib | null = null;
/** The `apache-arrow` module (loaded once). */
export function arrowLib(): typeof ArrowLib {
  return (lib ??= require('apache-arrow') as typeof ArrowLib);
}

/** An Arrow table of the columns, `meta` under MATRIX_META_KEY of the schema metadata. */
export function matrixArrowTable(columns: OutColumn[], meta: string): ArrowLib.Table {
  const A = arrowLib();
  const vectors: Record<string, ArrowLib.Vector> = {};
  for (const c of columns) vectors[c.name] = c.type === 'utf8' ? A.vectorFromArray(c.values, new A.Utf8()) : A.makeVector(c.values);
  const t = new A.Table(vectors);
  return new A.Table(new A.Schema(t.schema.fields, new Map([[MATRIX_META_KEY, meta]])), t.batches);
}

/** The bytes of an Arrow IPC file (uncompressed) of the columns. */
export function encodeMatrixArrow(columns: OutColumn[], meta: string): Uint8Array {
  return arrowLib().tableToIPC(matrixArrowTable(columns, meta), 'file');
}

/** Column `v` of an Arrow table as an InColumn (mirrors `pyarrow.Table.to_pandas()` per column). */
function inColumn(name: string, v: ArrowLib.Vector): InColumn {
  const A = arrowLib();
  const type = v.type;
  const isText = (t: ArrowLib.DataType) => A.DataType.isUtf8(t) || A.DataType.isLargeUtf8(t) || A.DataType.isUtf8View(t);
  if (isText(type) || (A.DataType.isDictionary(type) && isText(type.dictionary))) {
    const values: (string | null)[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) values[i] = v.get(i) as string | null;
    return { name, type: 'string', values };
  }
  if (A.DataType.isFloat(type) || A.DataType.isInt(type)) {
    const values = new Float64Array(v.length);
    const raw = v.toArray() as ArrayLike<number | bigint>;
    const direct = (A.DataType.isFloat(type) && type.precision !== A.Precision.HALF) || (A.DataType.isInt(type) && type.bitWidth < 64);
    for (let i = 0; i < v.length; i++) values[i] = direct ? (raw[i] as number) : Number(v.get(i));
    let missing: Uint8Array | null = null;
    if (v.nullCount > 0) {
      missing = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) if (!v.isValid(i)) missing[i] = 1;
    }
    return { name, type: 'number', source: String(type), values, missing };
  }
  return { name, type: 'other', source: String(type) };
}

/** The columns and metadata of an Arrow table read from `file`. */
export function columnsOfArrowTable(t: ArrowLib.Table, file: string): { nRows: number; columns: InColumn[]; meta: MatrixMeta | null } {
  const columns = t.schema.fields.map((f, j) => inColumn(f.name, t.getChildAt(j)!));
  return { nRows: t.numRows, columns, meta: parseMatrixMeta(t.schema.metadata.get(MATRIX_META_KEY), file) };
}

/** Reads an Arrow IPC file or stream; throws one line naming `file`. */
export function decodeMatrixArrow(bytes: Uint8Array, file: string): { nRows: number; columns: InColumn[]; meta: MatrixMeta | null } {
  let t: ArrowLib.Table;
  try {
    t = arrowLib().tableFromIPC(bytes);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/compress|codec/i.test(msg)) {
      throw new Error(
        `${file}: compressed Arrow IPC is not read here (${msg.split('\n')[0]}); write it uncompressed (pandas: df.to_feather(f, compression='uncompressed')) or as Parquet`,
      );
    }
    throw new Error(`${file}: not an Arrow IPC file (${msg.split('\n')[0]})`);
  }
  if (t.schema.fields.length === 0) throw new Error(`${file}: not an Arrow IPC file (no columns)`);
  return columnsOfArrowTable(t, file);
}
