// The same notebooks must run under Jupyter's own `nbconvert --execute` with the registered
// kernel. Needs Debian's jupyter-nbconvert (CI installs it); skipped where it is absent.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { type Notebook, ROOT, tmpDir, writeNotebook } from '../helpers/notebooks';
import { runner } from 'kernel-lib/internal';
const { installKernelspec } = runner;

const NBCONVERT = ['/usr/bin/jupyter-nbconvert', '/usr/bin/jupyter'].find((f) => fs.existsSync(f));

describe('jupyter nbconvert --execute with the project-local tslab kernel', function () {
  this.timeout(180000);
  before(function () {
    if (!NBCONVERT || spawnSync('/usr/bin/python3', ['-c', 'import nbclient, nbconvert'], { encoding: 'utf8' }).status !== 0) {
      console.log('      (skipped: Debian jupyter-nbconvert / python3-nbclient not installed)');
      this.skip();
    }
  });

  function nbconvert(file: string, outDir: string) {
    const { jupyterPath } = installKernelspec(ROOT);
    // the before hook skips the tests without it
    const args = NBCONVERT!.endsWith('jupyter') ? ['nbconvert'] : [];
    return spawnSync(
      NBCONVERT!,
      [
        ...args,
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.kernel_name=tslab',
        '--ExecutePreprocessor.timeout=120',
        '--output-dir',
        outDir,
        file,
      ],
      {
        cwd: path.dirname(file),
        encoding: 'utf8',
        env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      },
    );
  }

  let dir: string;
  beforeEach(() => (dir = tmpDir('nbconvert')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes a notebook of these cells into this test's folder and executes it with nbconvert. */
  function execute(name: string, cells: string[]): { status: number | null; stderr: string; nb: () => Notebook } {
    writeNotebook(path.join(dir, `${name}.ipynb`), cells);
    const r = nbconvert(path.join(dir, `${name}.ipynb`), path.join(dir, 'out'));
    return { status: r.status, stderr: r.stderr, nb: () => JSON.parse(fs.readFileSync(path.join(dir, 'out', `${name}.ipynb`), 'utf8')) };
  }

  it('executes a good notebook and fails on a throwing cell', () => {
    const ok = execute('good', ["import { report } from 'kernel-lib';", 'console.log(report.versionRows().length > 5);']);
    assert.strictEqual(ok.status, 0, ok.stderr);
    assert.match(
      ok
        .nb()
        .cells[1].outputs!.map((o) => o.text)
        .join(''),
      /true/,
    );
    const bad = execute('bad', ["throw new Error('nbconvert sees this');"]);
    assert.notStrictEqual(bad.status, 0);
  });

  it('a package installed beside the notebook while a cell runs does not fail the next cell (kernel preload)', () => {
    // tslab watches node_modules folders for module resolution; without the preload's inert
    // watchers the change below leaves a pending timer and the next cell throws "Unexpected
    // pending rebuildTimer" (runner/kernel-preload.ts)
    const r = execute('watch', [
      "import { report } from 'kernel-lib';",
      [
        "const fs = require('node:fs');",
        "fs.mkdirSync('node_modules/late-pkg', { recursive: true });",
        'fs.writeFileSync(\'node_modules/late-pkg/package.json\', \'{"name":"late-pkg","types":"index.d.ts"}\');',
        "fs.writeFileSync('node_modules/late-pkg/index.d.ts', 'export declare const x: number;');",
        'await new Promise((r) => setTimeout(r, 1500));',
      ].join('\n'),
      'const after: number = report.versionRows().length;',
      "console.log('cells after the change ran', after > 5);",
    ]);
    assert.strictEqual(r.status, 0, r.stderr);
    const text = r
      .nb()
      .cells.flatMap((c) => c.outputs ?? [])
      .map((o) => [o.text ?? '', o.evalue ?? ''].flat().join(''))
      .join('');
    assert.doesNotMatch(text, /rebuildTimer|Error/);
    assert.match(text, /cells after the change ran true/);
  });
});
