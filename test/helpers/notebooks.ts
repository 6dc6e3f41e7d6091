// Test helpers: build small nbformat-4 notebooks inside the project (tslab resolves
// `kernel-lib` from the notebook's folder, so they must live under the project root).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';

const ROOT = path.resolve(__dirname, '..', '..');

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

export { ROOT, tmpDir, writeNotebook };
