// Notebook 01 (issue #3, item 6) runs headlessly: in the demo profile on the synthetic demo
// corpus (generated under data/demo when absent), and on "real" data when pointed at it (here a
// name-only copy of SAVEE built from its manifest).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { runner } from 'kernel-lib/internal';
import type { Notebook } from '../helpers/notebooks';
import { buildNameOnlyTree } from './tree';

const ROOT = path.resolve(__dirname, '..', '..');
const SER = path.join(ROOT, 'scripts', 'ser.js');

function run(args: string[]): runner.RunSummary {
  const r = spawnSync(process.execPath, [SER, 'run-notebooks', '--only', '01-dataset-overview', '--no-export', '--json', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 400000,
  });
  assert.strictEqual(r.status, 0, `${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  return JSON.parse(r.stdout);
}

/** All output text of an executed notebook (not its sources). */
function outputsText(file: string): string {
  const nb: Notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
  const parts: string[] = [];
  for (const c of nb.cells) {
    for (const o of c.outputs || []) {
      if (o.text) parts.push(([] as string[]).concat(o.text).join(''));
      if (o.data) for (const k of ['text/plain', 'text/markdown']) if (o.data[k]) parts.push(([] as string[]).concat(o.data[k]).join(''));
    }
  }
  return parts.join('\n');
}

const csvRows = (f: string): string[][] =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('notebook 01-dataset-overview runs headlessly', function () {
  this.timeout(600000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-nb01-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('in the demo profile: Table I of the synthetic corpus, its figures, labelled synthetic', () => {
    const out = path.join(tmp, 'demo');
    const s = run(['--profile', 'demo', '--out', out]);
    assert.strictEqual(s.ok, true);
    assert.strictEqual(s.notebooks.length, 1);
    const t = csvRows(path.join(out, 'tables', '01-table-i.csv'));
    assert.deepStrictEqual(t[0], ['Emotion', 'CREMA-D', 'RAVDESS', 'SAVEE', 'TESS', 'Total']);
    assert.deepStrictEqual(
      t.slice(1).map((r) => r[0]),
      ['Angry', 'Calm', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprised', 'Total'],
    );
    assert.match(fs.readFileSync(path.join(out, 'tables', '01-table-i.md'), 'utf8'), /synthetic demo corpus/);
    for (const f of ['01-corpora', '01-table-i-paper', '01-speakers', '01-durations', '01-sample-formats']) {
      assert.ok(fs.existsSync(path.join(out, 'tables', `${f}.csv`)), f);
    }
    for (const f of ['01-clips-per-emotion', '01-durations']) assert.ok(fs.existsSync(path.join(out, 'figures', `${f}.html`)), f);
    const text = outputsText(path.join(out, 'notebooks', '01-dataset-overview.ipynb'));
    assert.match(text, /SYNTHETIC demo corpus/);
  });

  it('on real data when pointed at it (SER_DATA / --data)', () => {
    const data = path.join(tmp, 'data');
    buildNameOnlyTree(data, { debris: false });
    const out = path.join(tmp, 'real');
    const s = run(['--profile', 'demo', '--data', path.join(data, 'surrey-audiovisual-expressed-emotion-savee'), '--out', out]);
    assert.strictEqual(s.ok, true);
    const t = csvRows(path.join(out, 'tables', '01-table-i.csv'));
    assert.deepStrictEqual(t[t.length - 1], ['Total', '0', '0', '480', '0', '480']);
    assert.ok(!fs.existsSync(path.join(out, 'tables', '01-table-i-paper.csv')));
    const text = outputsText(path.join(out, 'notebooks', '01-dataset-overview.ipynb'));
    assert.doesNotMatch(text, /SYNTHETIC/);
    assert.match(text, /480 clips in SAVEE/);
    assert.match(text, /match the paper's counts; not found: CREMA-D, RAVDESS, TESS/);
  });
});
