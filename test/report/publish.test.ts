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
const { publishReproduction, PUBLISH_MAX_BYTES } = runner;
const { PLOTLY_TAG_START, PLOTLY_TAG_END } = report;

const ROOT = path.resolve(__dirname, '..', '..');

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
      /wall time: 30\.2 min for notebooks 04, 08; 23\.3 min for the sensitivity study \(09-sensitivity\.ipynb\), reported apart; 2\.50 h for the grid search \(10-svm-grid\.ipynb\), reported apart \(sums of the notebooks' own wall times\)/,
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
    assert.ok(fs.existsSync(path.join(dir, 'report.html')));
  });
});
