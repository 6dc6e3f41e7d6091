// Test helpers: build small nbformat-4 notebooks inside the project (tslab resolves
// `kernel-lib` from the notebook's folder, so they must live under the project root).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';

const ROOT = path.resolve(__dirname, '..', '..');

/** An output of a code cell in an nbformat-4 notebook (the fields the tests read). */
interface NotebookOutput {
  output_type: string;
  /** stream outputs */
  name?: string;
  text?: string | string[];
  /** execute_result / display_data: mime type -> content */
  data?: Record<string, string | string[]>;
  /** error outputs */
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
/** A cell of an nbformat-4 notebook. */
interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: Record<string, unknown>;
  source: string | string[];
  /** code cells */
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}
/** An nbformat-4 notebook (.ipynb JSON). */
interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec: { name: string; display_name?: string; language?: string }; [key: string]: unknown };
  nbformat: number;
  nbformat_minor: number;
}

function tmpDir(prefix: string): string {
  const d = path.join(ROOT, 'test', '.tmp', `${prefix}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** cells: strings; a string starting with '#md ' becomes a markdown cell. */
function writeNotebook(file: string, cells: string[]): void {
  const nb = {
    cells: cells.map((s) =>
      s.startsWith('#md ')
        ? { cell_type: 'markdown', metadata: {}, source: s.slice(4) }
        : { cell_type: 'code', metadata: {}, source: s, outputs: [], execution_count: null },
    ),
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1));
}

export type { Notebook, NotebookCell, NotebookOutput };
export { ROOT, tmpDir, writeNotebook };
