/**
 * The feature matrix as CSV (columns: matrix-columns.ts), with the store's metadata in a
 * sidecar JSON file `<file>.json`.
 *
 * Every float32 is written as the shortest decimal that reads back as the same float32 (what
 * numpy's `repr(np.float32(x))` prints), so CSV round-trips the matrix exactly: parsed as a
 * correctly rounded float64 (JavaScript's `Number`, Python's `float`, pandas `read_csv(...,
 * float_precision='round_trip')`) and rounded to float32, each value is the stored one, bit for
 * bit. Text round-trips exactly too, except that CSV cannot tell a missing value from ''.
 */
import { csvLine, parseCsv } from '../core/csv';
import type { InColumn, OutColumn } from './matrix-columns';

/**
 * The shortest decimal text of a float32 that parses back to it (numpy's
 * `np.format_float_positional`/`repr` of a `np.float32`, up to notation): tries 1..9
 * significant digits; 9 always suffice for binary32. NaN and infinities as pandas writes them.
 */
export function formatFloat32(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}

/** The sidecar that holds the metadata of `<file>` (a CSV has no place for it). */
export function csvSidecarPath(file: string): string {
  return `${file}.json`;
}

/** CSV text of the columns (header line, then one line per row, LF line ends). */
export function encodeMatrixCsv(columns: OutColumn[]): string {
  const n = columns.length ? columns[0].values.length : 0;
  const cells: ((i: number) => string)[] = columns.map((c) => {
    if (c.type === 'float32') return (i: number) => formatFloat32(c.values[i]);
    if (c.type === 'int32') return (i: number) => String(c.values[i]);
    return (i: number) => c.values[i];
  });
  const lines: string[] = [csvLine(columns.map((c) => c.name))];
  for (let i = 0; i < n; i++) lines.push(csvLine(cells.map((f) => f(i))));
  return `${lines.join('\n')}\n`;
}

/** The columns of a CSV text (every column 'text': typed where it is used); throws naming `file`. */
export function decodeMatrixCsv(text: string, file: string): { nRows: number; columns: InColumn[] } {
  const rows = parseCsv(text, file);
  if (!rows.length) throw new Error(`${file}: empty CSV (no header line)`);
  const header = rows[0];
  for (let r = 1; r < rows.length; r++) {
    if (rows[r].length !== header.length)
      throw new Error(`${file}: data row ${r} has ${rows[r].length} fields, the header has ${header.length}`);
  }
  const nRows = rows.length - 1;
  const columns: InColumn[] = header.map((name, j) => ({
    name,
    type: 'text',
    values: Array.from({ length: nRows }, (_, i) => rows[i + 1][j]),
  }));
  return { nRows, columns };
}
