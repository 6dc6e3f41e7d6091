// Publishing a run for the repository (issue #14 item 5): `ser publish` / `run-notebooks
// --publish` copy the report with a "The run" section, the tables and the PNG figures, nothing
// else; and the committed reproduction/ (once a paper-profile run has been published) has the
// structure the notebooks produce.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { report, runner } from 'kernel-lib/internal';
const { publishReproduction, publishStep, PUBLISH_MAX_BYTES } = runner;
const { PLOTLY_TAG_START, PLOTLY_TAG_END } = report;

const ROOT = path.resolve(__dirname, '..', '..');
const LISTS = '## All tables and figures of the run';

function fakeRun(dir: string) {
  fs.mkdirSync(path.join(dir, 'tables'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'figures'), { recursive: true });
  const summary = {
    ok: true,
    profile: 'paper',
    dataDir: '/data/ser',
    outDir: dir,
    startedAt: '2026-12-05T10:00:00.000Z',
    finishedAt: '2026-12-05T11:10:00.000Z',
    seconds: 4200,
    node: 'v20.20.2',
    machine: { cpu: 'AMD EPYC', cores: 2, memoryGiB: 7.8, os: 'Linux' },
    notebooks: [
      // run in two stages (--skip / --only): each notebook keeps its own start time
      { name: '04-svm.ipynb', status: 'ok', seconds: 1800, startedAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:30:00.000Z' },
      {
        name: '08-reproduction-report.ipynb',
        status: 'ok',
        seconds: 12,
        startedAt: '2026-12-05T10:30:00.000Z',
        finishedAt: '2026-12-05T10:30:12.000Z',
      },
      {
        name: '09-sensitivity.ipynb',
        status: 'ok',
        seconds: 1400,
        startedAt: '2026-12-05T10:31:00.000Z',
        finishedAt: '2026-12-05T10:54:20.000Z',
      },
      {
        name: '10-svm-grid.ipynb',
        status: 'ok',
        seconds: 9000,
        startedAt: '2026-12-06T08:00:00.000Z',
        finishedAt: '2026-12-06T10:30:00.000Z',
      },
    ],
    artifacts: [],
    figureExport: { available: true, notice: null, errors: {} },
  };
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  fs.writeFileSync(path.join(dir, 'report.md'), '# Reproduction report\n\n**data**\n\n| Paper | This run |\n');
  // as notebook 08 writes it: plotly inlined, the figure drawn by a script
  fs.writeFileSync(
    path.join(dir, 'report.html'),
    `<html><head>${PLOTLY_TAG_START}window.Plotly={};${PLOTLY_TAG_END}</head><body><h1>Reproduction report</h1><table></table>` +
      '<div id="accuracy" class="ser-figure" style="width:100%"></div><script type="text/javascript">draw();</script><h2>Findings</h2></body></html>',
  );
  fs.writeFileSync(path.join(dir, 'figures', '08-accuracy-by-protocol.png'), Buffer.alloc(100));
  fs.writeFileSync(path.join(dir, 'tables', '00-versions.csv'), 'package,version\nkernel-lib,0.1.0\n');
  fs.writeFileSync(path.join(dir, 'tables', '00-backend.csv'), 'backend,loaded,reason\ntensorflow,no,missing\nwasm,yes,\n');
  fs.writeFileSync(path.join(dir, 'tables', '01-verify.csv'), 'corpus,intact (sha256 ok)\nCREMA-D,7442\n');
  fs.writeFileSync(path.join(dir, 'tables', '04-table3.csv'), 'Class,Precision\nAngry,70\n');
  fs.writeFileSync(path.join(dir, 'tables', '04-table3.md'), '| Class |\n');
  fs.writeFileSync(path.join(dir, 'tables', '09-sensitivity.csv'), 'variant,accuracy %\nreference,62.3 ± 1.1\n');
  fs.writeFileSync(path.join(dir, 'tables', '09-sensitivity.md'), '| variant | accuracy % |\n| --- | --- |\n| reference | 62.3 ± 1.1 |\n');
  fs.writeFileSync(path.join(dir, 'figures', '04-protocols.png'), Buffer.alloc(100));
  fs.writeFileSync(path.join(dir, 'figures', '04-protocols.json'), '{}');
  fs.writeFileSync(path.join(dir, 'figures', '04-protocols.html'), '<html>');
  fs.writeFileSync(path.join(dir, 'figures', 'huge.png'), Buffer.alloc(PUBLISH_MAX_BYTES + 1));
}

describe('publishing a run (reproduction/)', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('copies report, tables and PNG figures only, with the run section and an index', () => {
    const out = path.join(tmp, 'results');
    const dest = path.join(tmp, 'reproduction');
    fakeRun(out);
    fs.mkdirSync(path.join(dest, 'figures'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'figures', 'stale.png'), 'x');
    const idx = publishReproduction(out, dest);
    assert.deepStrictEqual(idx.tables, ['00-backend', '00-versions', '01-verify', '04-table3', '09-sensitivity']);
    assert.deepStrictEqual(idx.figures, ['04-protocols', '08-accuracy-by-protocol']);
    assert.deepStrictEqual(
      fs.readdirSync(path.join(dest, 'figures')),
      ['04-protocols.png', '08-accuracy-by-protocol.png'],
      'no JSON/HTML specs, no stale file',
    );
    assert.match(idx.skipped.join(), /huge\.png/);
    const md = fs.readFileSync(path.join(dest, 'report.md'), 'utf8');
    assert.match(md, /^# Reproduction report\n/);
    assert.match(md, /## The run/);
    assert.match(md, /AMD EPYC, 2 logical cores/);
    assert.match(md, /date: 2026-12-05T10:00:00\.000Z to 2026-12-06T10:30:00\.000Z/, 'the span comes from the notebooks');
    assert.match(
      md,
      /wall time: 203\.5 min in all; 30\.2 min for notebooks 04, 08; 23\.3 min for the sensitivity study \(09-sensitivity\.ipynb\), reported apart; 2\.50 h for the grid search \(10-svm-grid\.ipynb\), reported apart \(sums of the notebooks' own wall times\)/,
    );
    assert.match(md, /backend for the CNNs: wasm/);
    assert.match(md, /\| CREMA-D \| 7442 \|/);
    assert.match(md, /\| 04-svm\.ipynb \| ok \| 2026-12-05T10:00:00\.000Z \| 30\.0 min \|/);
    assert.match(md, /\| Paper \| This run \|/, 'the report body follows');
    assert.match(md, /\[04-table3\]\(tables\/04-table3\.md\)/);
    assert.match(md, /## Sensitivity[^\n]*\n\n\| variant \| accuracy % \|[\s\S]*\| reference \| 62\.3 ± 1\.1 \|/);
    const html = fs.readFileSync(path.join(dest, 'report.html'), 'utf8');
    assert.ok(!html.includes('window.Plotly') && !html.includes('draw()'), 'no plotly in the published page');
    assert.match(html, /<img src="figures\/08-accuracy-by-protocol\.png" alt="Accuracy by model and protocol"[^>]*><\/p><h2>Findings/);
    assert.match(html, /<h1>Reproduction report<\/h1><h2>The run<\/h2>/);
    assert.match(html, /<h2>Sensitivity[^<]*<\/h2><table[^>]*>[\s\S]*62\.3 ± 1\.1[\s\S]*<\/body>/);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dest, 'index.json'), 'utf8')).tables, idx.tables);
  });

  it('adds a step run apart (the grid) to a published report: its tables, figure, section and wall time; again replaces it', () => {
    const out = path.join(tmp, 'results');
    const grid = path.join(tmp, 'grid');
    const dest = path.join(tmp, 'reproduction');
    fakeRun(out);
    const main: runner.RunSummary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    main.notebooks = main.notebooks.filter((n) => !n.name.startsWith('10'));
    fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(main));
    publishReproduction(out, dest);
    // the later run: setup, corpus check, features and the grid, on another machine
    fs.mkdirSync(path.join(grid, 'tables'), { recursive: true });
    fs.mkdirSync(path.join(grid, 'figures'), { recursive: true });
    const later = {
      ...main,
      outDir: grid,
      machine: { cpu: 'Other CPU', cores: 2, memoryGiB: 23.5, os: 'Linux' },
      notebooks: [
        {
          name: '03-feature-extraction.ipynb',
          status: 'ok',
          seconds: 1000,
          startedAt: '2026-12-07T05:00:00.000Z',
          finishedAt: '2026-12-07T05:16:40.000Z',
        },
        {
          name: '10-svm-grid.ipynb',
          status: 'ok',
          seconds: 7230,
          startedAt: '2026-12-07T05:17:00.000Z',
          finishedAt: '2026-12-07T07:17:30.000Z',
        },
      ],
    };
    fs.writeFileSync(path.join(grid, 'summary.json'), JSON.stringify(later));
    fs.writeFileSync(
      path.join(grid, 'tables', '01-verify.csv'),
      'corpus,manifest files,intact (sha256 ok)\nCREMA-D,7442,7442\nTESS,2800,2800\n',
    );
    fs.writeFileSync(path.join(grid, 'tables', '03-feature-matrix.csv'), 'x\n1\n');
    fs.writeFileSync(path.join(grid, 'tables', '10-grid-no-augmentation.csv'), 'kernel,C,accuracy %\nrbf,30,62.3 ± 1.1\n');
    fs.writeFileSync(
      path.join(grid, 'tables', '10-grid-no-augmentation.md'),
      '| kernel | C | accuracy % |\n| --- | --- | --- |\n| rbf | 30 | 62.3 ± 1.1 |\n',
    );
    fs.writeFileSync(path.join(grid, 'figures', '10-grid.png'), Buffer.alloc(100));
    const idx = publishStep(grid, dest, '10');
    assert.ok(idx.tables.includes('10-grid-no-augmentation') && idx.figures.includes('10-grid'));
    assert.ok(!idx.tables.includes('03-feature-matrix'), 'only the step is added');
    assert.ok(idx.tables.includes('04-table3'), 'the main run stays');
    assert.deepStrictEqual(idx.notebooks.map((n) => n.name).slice(-1), ['10-svm-grid.ipynb']);
    assert.strictEqual(idx.steps?.length, 1);
    assert.strictEqual(idx.steps?.[0].seconds, 7230);
    const md = fs.readFileSync(path.join(dest, 'report.md'), 'utf8');
    assert.match(md, /## Run apart: the grid search \(notebook 10\)/);
    assert.match(md, /wall time of the notebook: 2\.01 h \(7230 s\)/);
    assert.match(md, /machine: Other CPU, 2 logical cores/);
    assert.match(md, /checked in the same run: 10242 of 10242 files intact/);
    assert.match(md, /the other notebooks of that run: 03 \(16\.7 min\)/);
    assert.match(
      md,
      /\| rbf \| 30 \| 62\.3 ± 1\.1 \|[\s\S]*!\[Grid search: accuracy against C\]\(figures\/10-grid\.png\)[\s\S]*## All tables and figures of the run[\s\S]*\[10-grid\]\(figures\/10-grid\.png\)/,
    );
    assert.match(md, /## The run[\s\S]*AMD EPYC/, 'the main run section is kept');
    const html = fs.readFileSync(path.join(dest, 'report.html'), 'utf8');
    assert.match(html, /<h2>Run apart: the grid search \(notebook 10\)<\/h2>[\s\S]*<img src="figures\/10-grid\.png"[\s\S]*<\/body>/);
    // again: one section, one step, one notebook entry
    publishStep(grid, dest, '10');
    const again = fs.readFileSync(path.join(dest, 'report.md'), 'utf8');
    assert.strictEqual(again.split('## Run apart').length, 2);
    assert.strictEqual(again.split(LISTS).length, 2);
    assert.strictEqual(fs.readFileSync(path.join(dest, 'report.html'), 'utf8').split('<h2>Run apart').length, 2);
    const idx2: runner.PublishIndex = JSON.parse(fs.readFileSync(path.join(dest, 'index.json'), 'utf8'));
    assert.strictEqual(idx2.steps?.length, 1);
    assert.strictEqual(idx2.notebooks.filter((n) => n.name.startsWith('10')).length, 1);
    // the main run published again (a fresh run with --skip 10): the grid step stays, once
    fs.writeFileSync(path.join(dest, 'tables', '04-stale.csv'), 'x\n');
    const idx3 = publishReproduction(out, dest);
    assert.ok(!fs.existsSync(path.join(dest, 'tables', '04-stale.csv')), 'the main run is replaced');
    assert.ok(idx3.tables.includes('10-grid-no-augmentation') && idx3.figures.includes('10-grid'), 'the step files stay');
    assert.deepStrictEqual(idx3.steps, idx2.steps);
    assert.deepStrictEqual(
      idx3.notebooks.map((n) => n.name),
      ['04-svm.ipynb', '08-reproduction-report.ipynb', '09-sensitivity.ipynb', '10-svm-grid.ipynb'],
    );
    const md3 = fs.readFileSync(path.join(dest, 'report.md'), 'utf8');
    assert.strictEqual(md3.split('## Run apart: the grid search').length, 2);
    assert.match(
      md3,
      /## The run[\s\S]*## Sensitivity[\s\S]*## Run apart: the grid search[\s\S]*\| rbf \| 30 \|[\s\S]*## All tables[\s\S]*\[10-grid\]/,
    );
    const html3 = fs.readFileSync(path.join(dest, 'report.html'), 'utf8');
    assert.strictEqual(html3.split('<h2>Run apart').length, 2);
    assert.match(html3, /<h2>Run apart: the grid search \(notebook 10\)<\/h2>[\s\S]*<\/body><\/html>$/);
    publishStep(grid, dest, '10');
    assert.strictEqual(fs.readFileSync(path.join(dest, 'report.md'), 'utf8').split('## Run apart').length, 2, 'and added again: once');
    // a main run that ran notebook 10 itself replaces the step
    fakeRun(out);
    const idx4 = publishReproduction(out, dest);
    assert.strictEqual(idx4.steps, undefined);
    assert.ok(!fs.existsSync(path.join(dest, 'figures', '10-grid.png')));
    assert.ok(!fs.readFileSync(path.join(dest, 'report.md'), 'utf8').includes('## Run apart'));
    publishStep(grid, dest, '10');
    // refusals, one line each
    assert.throws(() => publishStep(grid, dest, '09'), /notebook 09 did not run here/);
    assert.throws(() => publishStep(grid, path.join(tmp, 'none'), '10'), /nothing published here yet/);
    fs.writeFileSync(path.join(grid, 'summary.json'), JSON.stringify({ ...later, profile: 'demo' }));
    assert.throws(() => publishStep(grid, dest, '10'), /a demo-profile run cannot be added to the paper-profile report/);
    later.notebooks[1].status = 'error';
    fs.writeFileSync(path.join(grid, 'summary.json'), JSON.stringify(later));
    assert.throws(() => publishStep(grid, dest, '10'), /ended error; only a finished step is published/);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ser.js'), 'publish', grid, '--to', dest, '--step', '10'], {
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /ended error/);
  });

  it('refuses a folder without a finished run, in one line naming it (ser publish exits 2)', () => {
    assert.throws(() => publishReproduction(tmp, path.join(tmp, 'x')), /summary\.json: no run summary/);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ser.js'), 'publish', tmp, '--to', path.join(tmp, 'x')], {
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /no run summary/);
  });

  it('the committed reproduction/ has what the notebooks make (skipped until a paper-profile run is published)', function () {
    const dir = path.join(ROOT, 'reproduction');
    if (!fs.existsSync(path.join(dir, 'index.json'))) {
      console.log('      (skipped: reproduction/ not published yet: ser run-notebooks --profile paper --data DIR --publish reproduction)');
      this.skip();
    }
    const idx: runner.PublishIndex = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    assert.strictEqual(idx.profile, 'paper');
    assert.ok(idx.ok, 'every notebook ran');
    // every table and figure a notebook saves under a fixed name is there
    const src = fs
      .readdirSync(path.join(ROOT, 'scripts', 'notebook-src'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'scripts', 'notebook-src', f), 'utf8'))
      .join('\n');
    // saved only on some data: the paper's Table I beside the synthetic corpus, the differing cells
    // of a partial download; and the grid (notebook 10) only once it has run
    const conditional = new Set(['01-table-i-paper', '01-table-i-differences']);
    const ran = new Set(idx.notebooks.map((n) => n.name.slice(0, 2)));
    const names = (re: RegExp) => [...src.matchAll(re)].map((m) => m[1]).filter((n) => !conditional.has(n) && ran.has(n.slice(0, 2)));
    for (const t of names(/saveTable\('([^'$`]+)'/g)) assert.ok(idx.tables.includes(t), `table ${t} missing from reproduction/`);
    for (const f of names(/saveFigure\('([^'$`]+)'/g))
      assert.ok(idx.figures.includes(f) || idx.skipped.some((s) => s.startsWith(f)), `figure ${f} missing`);
    for (const t of idx.tables)
      assert.ok(fs.existsSync(path.join(dir, 'tables', `${t}.csv`)) && fs.existsSync(path.join(dir, 'tables', `${t}.md`)));
    const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    for (const s of ['## The run', 'official manifests', 'Wall time of each step', 'Versions', '## Findings', '## Sensitivity'])
      assert.ok(md.includes(s), `report.md lacks '${s}'`);
    for (const step of idx.steps ?? [])
      assert.ok(
        md.includes(`## Run apart: `) && md.includes(`notebook: ${step.notebook}, run apart`),
        `report.md lacks the section of ${step.notebook}`,
      );
    assert.ok(fs.existsSync(path.join(dir, 'report.html')));
  });
});
