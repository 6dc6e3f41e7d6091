// Notebooks are committed without outputs, on the tslab kernel, opening with what they mirror;
// those written as text sources (scripts/notebook-src) match their .ipynb.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from '../../scripts/tools/make-notebook';
import type { Notebook } from '../helpers/notebooks';

const ROOT = path.resolve(__dirname, '..', '..');
const NB = path.join(ROOT, 'notebooks');
const SRC = path.join(ROOT, 'scripts', 'notebook-src');

describe('committed notebooks', () => {
  const files = fs
    .readdirSync(NB)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  it('are numbered and include setup and the reproduction report', () => {
    assert.ok(files.includes('00-setup.ipynb') && files.includes('08-reproduction-report.ipynb'), files.join(', '));
    for (const f of files) assert.match(f, /^\d\d-[a-z0-9-]+\.ipynb$/);
  });
  for (const f of files) {
    it(`${f}: no outputs, tslab kernel, opens with markdown`, () => {
      const nb: Notebook = JSON.parse(fs.readFileSync(path.join(NB, f), 'utf8'));
      assert.strictEqual(nb.nbformat, 4);
      assert.strictEqual(nb.metadata.kernelspec.name, 'tslab');
      assert.strictEqual(nb.cells[0].cell_type, 'markdown');
      for (const c of nb.cells.filter((c) => c.cell_type === 'code')) {
        assert.deepStrictEqual(c.outputs, [], 'outputs committed');
        assert.strictEqual(c.execution_count, null);
      }
    });
  }
  for (const s of fs.existsSync(SRC) ? fs.readdirSync(SRC) : []) {
    it(`${s} matches its notebook`, () => {
      const built = build(fs.readFileSync(path.join(SRC, s), 'utf8'));
      const nb: Notebook = JSON.parse(fs.readFileSync(path.join(NB, s.replace(/\.txt$/, '.ipynb')), 'utf8'));
      assert.deepStrictEqual(nb.cells, built.cells, 'regenerate: node scripts/tools/make-notebook.js');
    });
  }
});
