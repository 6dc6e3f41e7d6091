/**
 * The feature matrix as Parquet, through the Arrow table of matrix-arrow.ts and `parquet-wasm`
 * (the Rust `parquet` crate of the Apache Arrow project, compiled to WebAssembly): written as
 * `pyarrow.parquet.write_table(table, f, compression='snappy')` would (float32 columns as FLOAT,
 * text as UTF8 strings, the Arrow schema and our metadata in the key-value metadata), read with
 * every codec pandas / polars / R write (snappy, zstd, gzip, brotli, lz4).
 *
 * `parquet-wasm` (a 5 MB WebAssembly module) is loaded on first use.
 */
import type * as ParquetWasm from 'parquet-wasm/node/parquet_wasm';
import { arrowLib, columnsOfArrowTable, matrixArrowTable } from './matrix-arrow';
import { type InColumn, MATRIX_META_KEY, type MatrixMeta, type OutColumn } from './matrix-columns';

let lib: typeof ParquetWasm | null = null;
function parquetLib(): typeof ParquetWasm {
  return (lib ??= require('parquet-wasm') as typeof ParquetWasm);
}

/** The bytes of a Parquet file of the columns (one row group, snappy, dictionary pages for text only). */
export function encodeMatrixParquet(columns: OutColumn[], meta: string): Uint8Array {
  const P = parquetLib();
  const ipc = arrowLib().tableToIPC(matrixArrowTable(columns, meta), 'stream');
  let props = new P.WriterPropertiesBuilder()
    .setCompression(P.Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(Math.max(1, columns[0]?.values.length ?? 1))
    .setKeyValueMetadata(new Map([[MATRIX_META_KEY, meta]]));
  for (const c of columns) if (c.type === 'utf8') props = props.setColumnDictionaryEnabled(c.name, true);
  return P.writeParquet(P.Table.fromIPCStream(ipc), props.build());
}

/** Reads a Parquet file; throws one line naming `file`. */
export function decodeMatrixParquet(bytes: Uint8Array, file: string): { nRows: number; columns: InColumn[]; meta: MatrixMeta | null } {
  const P = parquetLib();
  let ipc: Uint8Array;
  try {
    ipc = P.readParquet(bytes).intoIPCStream();
  } catch (e) {
    throw new Error(`${file}: not a readable Parquet file (${String((e as Error)?.message ?? e).split('\n')[0]})`);
  }
  return columnsOfArrowTable(arrowLib().tableFromIPC(ipc), file);
}
