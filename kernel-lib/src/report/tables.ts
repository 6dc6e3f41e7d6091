/**
 * Tables: rows of records (or a danfojs DataFrame) written as CSV and Markdown to
 * `<outDir>/tables/<name>.{csv,md}`, recorded in the artifact log and shown in the notebook
 * as an HTML table.
 */
import * as path from 'node:path';
import { checkArtifactName, type SaveOptions, writeArtifact } from './artifacts';
import { runContext } from '../core/context';
import { csvLine } from '../core/csv';
import { escapeHtml, html } from '../core/display';

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

/** Anything with danfojs' `toJSON()` shape (array of records), or plain rows. */
export type TableLike = Row[] | { toJSON: (...a: any[]) => unknown; columns?: string[] };

export function toRows(t: TableLike): Row[] {
  if (Array.isArray(t)) return t;
  // danfojs-node 1.2: format 'column' (its default) gives records; 'row' gives {column: values[]}
  const j = (t as any).toJSON({ format: 'column' });
  if (Array.isArray(j)) return j as Row[];
  if (j && typeof j === 'object' && Object.values(j).every(Array.isArray)) {
    const cols = Object.keys(j);
    const n = cols.length ? (j[cols[0]] as unknown[]).length : 0;
    return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map((c) => [c, (j[c] as Cell[])[i]])));
  }
  throw new Error('saveTable: expected an array of records or a danfojs DataFrame');
}

function columnsOf(rows: Row[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

function fmt(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6));
  return String(v);
}

export function toCsv(rows: Row[], cols = columnsOf(rows)): string {
  return `${[csvLine(cols), ...rows.map((r) => csvLine(cols.map((c) => fmt(r[c]))))].join('\n')}\n`;
}

export function toMarkdown(rows: Row[], cols = columnsOf(rows), title?: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${cols.map(esc).join(' | ')} |`,
    `| ${cols.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => esc(fmt(r[c]))).join(' | ')} |`),
  ];
  return `${(title ? `**${title}**\n\n` : '') + lines.join('\n')}\n`;
}

export function toHtml(rows: Row[], cols = columnsOf(rows), title?: string): string {
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(fmt(r[c]))}</td>`).join('')}</tr>`).join('');
  const cap = title ? `<caption style="caption-side:top;font-weight:bold">${escapeHtml(title)}</caption>` : '';
  return `<table class="ser-table">${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export type SaveTableOptions = SaveOptions;

/**
 * Writes `tables/<name>.csv` and `.md`, records them, displays the table. Returns nothing, so a
 * notebook cell ending in saveTable(...) prints no stray value (paths: `tablePaths`).
 */
export function saveTable(name: string, table: TableLike, opts: SaveTableOptions = {}): void {
  checkArtifactName('table', name);
  const outDir = opts.outDir ?? runContext().outDir;
  const rows = toRows(table);
  const cols = columnsOf(rows);
  const { csv, md } = tableFiles(name);
  writeArtifact({ kind: 'table', name, title: opts.title }, { [csv]: toCsv(rows, cols), [md]: toMarkdown(rows, cols, opts.title) }, outDir);
  if (opts.show !== false) html(toHtml(rows, cols, opts.title));
}

/** saveTable(name)'s files, relative to the output folder. */
function tableFiles(name: string): { csv: string; md: string } {
  return { csv: `tables/${name}.csv`, md: `tables/${name}.md` };
}

/** Where saveTable(name) writes. */
export function tablePaths(name: string, outDir = runContext().outDir): { csv: string; md: string } {
  const { csv, md } = tableFiles(name);
  return { csv: path.join(outDir, csv), md: path.join(outDir, md) };
}

/** Shows a table in the notebook without writing it. */
export function showTable(table: TableLike, title?: string): void {
  const rows = toRows(table);
  html(toHtml(rows, columnsOf(rows), title));
}
