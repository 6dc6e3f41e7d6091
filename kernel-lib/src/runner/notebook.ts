/**
 * nbformat 4 notebooks: read, strip outputs, execute every code cell in a fresh tslab kernel
 * (like `jupyter nbconvert --execute`: stop at the first failing cell), write the executed copy.
 */
import * as fs from 'node:fs';
import type { NbOutput, TslabKernel } from './kernel';

export interface NbCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: NbOutput[];
  execution_count?: number | null;
  id?: string;
}

export interface Notebook {
  cells: NbCell[];
  metadata: Record<string, any>;
  nbformat: number;
  nbformat_minor: number;
}

export function cellSource(c: NbCell): string {
  return Array.isArray(c.source) ? c.source.join('') : c.source;
}

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable notebook (${(e as Error).message.split('\n')[0]})`);
  }
  if (!nb || !Array.isArray(nb.cells) || nb.nbformat !== 4) throw new Error(`${file}: not an nbformat 4 notebook`);
  return nb;
}

/** Splits text into nbformat's list-of-lines form. */
export function toLines(s: string): string[] {
  const parts = s.split('\n');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p)).filter((p) => p !== '');
}

export interface CellReport {
  index: number;
  status: 'ok' | 'error' | 'timeout' | 'skipped';
  seconds: number;
  error?: string;
}

export interface NotebookRun {
  status: 'ok' | 'failed';
  seconds: number;
  cells: CellReport[];
  error: string | null;
  notebook: Notebook;
}

export interface ExecuteOptions {
  kernel: TslabKernel;
  /** total seconds for the notebook */
  timeoutS: number;
  onCell?: (i: number, total: number) => void;
}

/** Last meaningful stderr line(s) of a failing cell, for a one-line report. */
export function summarizeError(stderr: string, name?: string, value?: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^\^+$/.test(l));
  // "Error: boom", "TypeError: x is not a function", "UncaughtException: ...", or a compile error "1:5 - ..."
  const msg =
    lines.find((l) => /^[A-Za-z]*(Error|Exception)\b.*:/.test(l)) ??
    lines.find((l) => /^\d+:\d+ - /.test(l)) ??
    lines.find((l) => /error|exception/i.test(l)) ??
    lines[0] ??
    '';
  return [name && value ? `${name}: ${value}` : (value ?? ''), msg].filter(Boolean).join(' | ').slice(0, 500) || 'cell failed';
}

/** Executes the notebook's code cells in order; returns the executed copy and a report. */
export async function executeNotebook(nb: Notebook, opts: ExecuteOptions): Promise<NotebookRun> {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  const t0 = Date.now();
  const reports: CellReport[] = [];
  const code = out.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code');
  let failed: string | null = null;
  let count = 0;
  for (const { c, i } of code) {
    c.outputs = [];
    c.execution_count = null;
    if (failed) {
      reports.push({ index: i, status: 'skipped', seconds: 0 });
      continue;
    }
    opts.onCell?.(reports.length, code.length);
    const src = cellSource(c);
    const left = opts.timeoutS * 1000 - (Date.now() - t0);
    const c0 = Date.now();
    const res = src.trim()
      ? await opts.kernel.execute(src, Math.max(1000, left))
      : { status: 'ok' as const, outputs: [], stderr: '', executionCount: null };
    count++;
    c.outputs = res.outputs;
    c.execution_count = res.executionCount ?? count;
    const seconds = (Date.now() - c0) / 1000;
    if (res.status !== 'ok') {
      const err = summarizeError(res.stderr, (res as any).errorName, (res as any).errorValue);
      failed = `cell ${i}: ${err}`;
      // tslab sends no `error` output: add one so Jupyter front ends show the failure.
      c.outputs.push({
        output_type: 'error',
        ename: (res as any).errorName || 'CellError',
        evalue: err,
        traceback: res.stderr ? toLines(res.stderr) : [],
      });
      reports.push({ index: i, status: res.status === 'timeout' ? 'timeout' : 'error', seconds, error: err });
    } else {
      reports.push({ index: i, status: 'ok', seconds });
    }
  }
  return { status: failed ? 'failed' : 'ok', seconds: (Date.now() - t0) / 1000, cells: reports, error: failed, notebook: out };
}

/** The notebook as committed: no outputs, no execution counts. */
export function stripOutputs(nb: Notebook): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of out.cells) {
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
    }
  }
  return out;
}

export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
}
