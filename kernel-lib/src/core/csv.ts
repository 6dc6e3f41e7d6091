/**
 * CSV as RFC 4180 writes it (and as pandas' `to_csv` / `read_csv` use it by default): fields
 * separated by commas, a field quoted with `"` when it holds a comma, a quote or a line break,
 * a quote inside a quoted field doubled. Used by the report tables (report/tables.ts) and the
 * feature matrix files (features/matrix-csv.ts).
 */

/** One field, quoted when needed (pandas `to_csv`'s default QUOTE_MINIMAL). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line (without its line break) of already formatted fields. */
export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',');
}

/**
 * Parses CSV text into rows of fields (mirrors Python's `csv.reader` with the default dialect):
 * quoted fields may hold commas, doubled quotes and line breaks; lines end in LF or CRLF; a
 * UTF-8 byte order mark and a last line break are ignored; blank lines are skipped. Throws
 * `<file>: line N: ...` on a quote that is never closed or text after a closing quote.
 */
export function parseCsv(text: string, file = '<csv>'): string[][] {
  const rows: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let row: string[] = [];
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const startLine = line;
      let value = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new Error(`${file}: line ${startLine}: quoted field never closed`);
        value += text.slice(i, q);
        for (let k = i; k < q; k++) if (text.charCodeAt(k) === 0x0a) line++;
        if (text.charCodeAt(q + 1) === 0x22) {
          value += '"';
          i = from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      row.push(value);
      const d = text.charCodeAt(i);
      if (i < n && d !== 0x2c && d !== 0x0a && d !== 0x0d)
        throw new Error(`${file}: line ${line}: text after the closing quote of a field`);
    } else {
      let end = i;
      while (end < n) {
        const d = text.charCodeAt(end);
        if (d === 0x2c || d === 0x0a || d === 0x0d) break;
        end++;
      }
      row.push(text.slice(i, end));
      i = end;
    }
    const d = text.charCodeAt(i);
    if (d === 0x2c) {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    // end of line (or of text)
    if (d === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (i < n) i++;
    line++;
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    while (i < n && (text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d)) {
      if (text.charCodeAt(i) === 0x0a) line++;
      i++;
    }
  }
  if (row.length && !(row.length === 1 && row[0] === '')) rows.push(row);
  return rows;
}
