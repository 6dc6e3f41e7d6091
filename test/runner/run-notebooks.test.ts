import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { type Notebook, ROOT, tmpDir, writeNotebook } from '../helpers/notebooks';
import { runner } from 'kernel-lib/internal';
const { findChromium } = runner;

const SER = path.join(ROOT, 'scripts', 'ser.js');

function ser(args: string[]) {
  const r = spawnSync(process.execPath, [SER, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ser run-notebooks (headless tslab runner, no Python)', function () {
  this.timeout(180000);
  let dir: string;
  let out: string;
  before(() => {
    dir = tmpDir('nb');
    out = path.join(dir, 'out');
    writeNotebook(path.join(dir, '01-good.ipynb'), [
      '#md A notebook that works',
      "import { report } from 'kernel-lib';",
      'const { saveTable, saveFigure } = report;',
      "saveTable('squares', [1, 2, 3].map((n) => ({ n, square: n * n })), { title: 'Squares' });",
      "saveFigure('bars', { data: [{ type: 'bar', x: ['a', 'b'], y: [3, 4] }], layout: { title: { text: 'Bars' } } });",
      "console.log('profile', process.env.SER_PROFILE, 'notebook', process.env.SER_NOTEBOOK);",
    ]);
    writeNotebook(path.join(dir, '02-throws.ipynb'), [
      "console.log('first cell runs');",
      "throw new Error('deliberate failure 42');",
      "console.log('never reached');",
    ]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails (exit 1) when a cell throws, reports the error, still runs the other notebooks', () => {
    const r = ser(['run-notebooks', '--notebooks', dir, '--out', out, '--json', '--no-export']);
    assert.strictEqual(r.code, 1, r.stderr);
    const s: runner.RunSummary = JSON.parse(r.stdout);
    assert.strictEqual(s.ok, false);
    const [good, bad] = s.notebooks;
    assert.strictEqual(good.name, '01-good.ipynb');
    assert.strictEqual(good.status, 'ok');
    assert.strictEqual(bad.status, 'failed');
    assert.match(bad.error!, /deliberate failure 42/);
    assert.deepStrictEqual(bad.cells, { total: 3, ok: 1, failed: 1, skipped: 1 });
    const nb: Notebook = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', '02-throws.ipynb'), 'utf8'));
    const outputs = nb.cells[1].outputs!; // a code cell
    assert.ok(outputs.some((o) => o.output_type === 'error' && /deliberate failure 42/.test(o.evalue!)));
    assert.match(r.stderr, /FAILED/);
  });

  it('succeeds (exit 0) on good notebooks and lists every artifact in summary.json', () => {
    const out2 = path.join(dir, 'out2');
    const r = ser(['run-notebooks', '--notebooks', dir, '--out', out2, '--only', 'good']);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const s: runner.RunSummary = JSON.parse(fs.readFileSync(path.join(out2, 'summary.json'), 'utf8'));
    assert.strictEqual(s.ok, true);
    assert.strictEqual(s.notebooks.length, 1);
    const table = s.artifacts.find((a) => a.kind === 'table' && a.name === 'squares');
    assert.ok(table?.exists, 'table recorded');
    assert.strictEqual(fs.readFileSync(path.join(out2, 'tables', 'squares.csv'), 'utf8'), 'n,square\n1,1\n2,4\n3,9\n');
    assert.match(fs.readFileSync(path.join(out2, 'tables', 'squares.md'), 'utf8'), /\| 3 \| 9 \|/);
    const fig = s.artifacts.find((a) => a.kind === 'figure' && a.name === 'bars');
    assert.ok(fig?.exists, 'figure recorded');
    const html = fs.readFileSync(path.join(out2, 'figures', 'bars.html'), 'utf8');
    assert.ok(html.length > 1e6 && !/<script[^>]+src=/.test(html), 'self-contained HTML with plotly inlined');
    const nb: Notebook = JSON.parse(fs.readFileSync(path.join(out2, 'notebooks', '01-good.ipynb'), 'utf8'));
    const texts = nb.cells
      .flatMap((c) => c.outputs || [])
      .map((o) => o.text || '')
      .join('');
    assert.match(texts, /profile demo notebook 01-good.ipynb/);
    const kinds = nb.cells.flatMap((c) => c.outputs || []).flatMap((o) => Object.keys(o.data || {}));
    assert.ok(kinds.includes('text/html') && kinds.includes('application/vnd.plotly.v1+json'));
    assert.ok(nb.cells.filter((c) => c.cell_type === 'code').every((c) => Number.isInteger(c.execution_count)));
    if (findChromium()) {
      assert.ok(fs.existsSync(path.join(out2, 'figures', 'bars.png')), 'PNG exported with Chromium');
      assert.ok(fig.files.includes('figures/bars.png'));
      assert.ok(kinds.includes('image/png'), 'PNG embedded in the executed notebook');
    } else {
      assert.match(s.figureExport.notice!, /Chromium not found/);
    }
  });

  it('a stopped run keeps the notebooks it finished: summary.json is written after each one, with the rest pending', async () => {
    const dir3 = tmpDir('nb-stop');
    const out3 = path.join(dir3, 'out');
    writeNotebook(path.join(dir3, '01-quick.ipynb'), ["console.log('quick');"]);
    writeNotebook(path.join(dir3, '02-long.ipynb'), ['await new Promise((resolve) => setTimeout(resolve, 600000));']);
    const child = spawn(process.execPath, [SER, 'run-notebooks', '--notebooks', dir3, '--out', out3, '--no-export'], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
    });
    try {
      const file = path.join(out3, 'summary.json');
      const t0 = Date.now();
      while (!fs.existsSync(file) && Date.now() - t0 < 150000) await new Promise((r) => setTimeout(r, 200));
      assert.ok(fs.existsSync(file), 'summary.json written while the second notebook runs');
      const s: runner.RunSummary = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.strictEqual(s.ok, false, 'not ok while notebooks are pending');
      assert.deepStrictEqual(s.pending, ['02-long.ipynb']);
      assert.deepStrictEqual(
        s.notebooks.map((n) => [n.name, n.status]),
        [['01-quick.ipynb', 'ok']],
      );
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      fs.rmSync(dir3, { recursive: true, force: true });
    }
  });

  it("in a log, a long cell's heartbeat line carries its latest output line (a progress bar's count, rate and ETA)", async function () {
    if (process.stderr.isTTY) this.skip(); // the heartbeat is for logs; a terminal redraws the bar
    const dir4 = tmpDir('nb-beat');
    try {
      writeNotebook(path.join(dir4, '01-slow.ipynb'), [
        "console.log('starting');",
        "console.log('fits 3/100 0.5 fits/s ETA 3m14s'); await new Promise((resolve) => setTimeout(resolve, 2500));",
        // a notebook progress bar shows itself at 0 before its first tick
        "import { coreProgress } from 'kernel-lib/internal'; const bar = coreProgress.progress('grid, with augmentation', 100, { unit: 'fits' }); await new Promise((resolve) => setTimeout(resolve, 2500)); bar.done();",
      ]);
      const lines: string[] = [];
      const s = await runner.runNotebooks({
        profile: 'demo',
        dataDir: null,
        notebooksDir: dir4,
        outDir: path.join(dir4, 'out'),
        noExport: true,
        heartbeatMs: 700,
        log: (l) => lines.push(l),
      });
      assert.strictEqual(s.ok, true);
      assert.ok(
        lines.some((l) => /cell 2\/3 running for .*: fits 3\/100 0\.5 fits\/s ETA 3m14s$/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /cell 3\/3 running for .*: grid, with augmentation \[.*\] 0\/100 /.test(l)),
        lines.join('\n'),
      );
    } finally {
      fs.rmSync(dir4, { recursive: true, force: true });
    }
  });

  it('exits 2 with a one-line reason for a missing data folder', () => {
    const r = ser(['run-notebooks', '--notebooks', dir, '--data', path.join(dir, 'nope')]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr.trim(), /nope: data folder not found$/);
  });
});
