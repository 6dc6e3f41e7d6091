import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { report, coreTypes, type evaluation } from 'kernel-lib/internal';
const { EMOTIONS } = coreTypes;

function result(
  model: report.PaperModel,
  protocol: evaluation.Protocol,
  acc: number,
  std: number,
  f1ByEmotion: Partial<Record<coreTypes.Emotion, number>> = {},
): report.ModelResult {
  return {
    model,
    protocol,
    accuracy: { mean: acc, std },
    perClass: EMOTIONS.map((e) => ({
      emotion: e,
      precision: { mean: 50, std: 1 },
      recall: { mean: 50, std: 1 },
      f1: { mean: f1ByEmotion[e] ?? 60, std: 1 },
      support: 10,
    })),
    folds: 5,
    data: { clips: 12162, rows: 48648, corpora: ['CREMA-D', 'RAVDESS', 'SAVEE', 'TESS'], synthetic: false },
    setting: 'test',
    profile: 'paper',
    notebook: null,
    recordedAt: 'x',
  };
}

describe('reproduction report', () => {
  it("holds the paper's Tables II-V and headline accuracies", () => {
    const P = report.PAPER_RESULTS;
    assert.deepStrictEqual(
      (['svm-augmented', 'svm', 'vgg16', 'custom-cnn'] as const).map((m) => report.fmtMeanStd(P[m].accuracy)),
      ['76.1 ± 1.2', '65.3 ± 0.6', '65.9 ± 1.2', '68.7 ± 0.8'],
    );
    assert.strictEqual(P['svm-augmented'].perClass.find((r) => r.emotion === 'surprised')!.f1.mean, 92.7);
    assert.strictEqual(P['custom-cnn'].perClass.find((r) => r.emotion === 'calm')!.recall.mean, 56.8);
    const supports = P.svm.perClass.reduce((s, r) => s + r.samples, 0);
    assert.ok(Math.abs(supports - 12162 / 5) < 0.5, `Table III supports sum to a fold: ${supports}`);
  });

  it('computes findings from the numbers, not canned text', () => {
    const rs = [
      result('svm-augmented', 'paper', 76.5, 1.0, { disgust: 40, surprised: 90 }),
      result('svm-augmented', 'clip', 66.0, 1.0),
      result('svm', 'paper', 62.0, 0.8),
      result('svm-augmented', 'speaker', 50.0, 3.0),
    ];
    const f = report.findings(rs).join('\n');
    assert.match(f, /SVM \+ augmentation \(Table II\) under the paper's protocol: 76\.5 ± 1\.0 % agrees with the paper's 76\.1 ± 1\.2 %/);
    assert.match(f, /SVM, no augmentation \(Table III\) under the paper's protocol: 62\.0 ± 0\.8 % is below/);
    assert.match(f, /Augmentation changes SVM accuracy by \+14\.5 pp here, against \+10\.8 pp/);
    assert.match(f, /10\.5 pp of the paper-protocol score comes from copies of test clips/);
    assert.match(f, /on unseen speakers 50\.0 ± 3\.0 %, 26\.5 pp below/);
    assert.match(f, /hardest class disgust, easiest surprised by F1 \(paper's table: disgust and surprised\), as in the paper/);
    assert.deepStrictEqual(report.paperExtremes('custom-cnn'), { hardest: 'calm', easiest: 'surprised' });
    // a wide spread over folds is not agreement: 38 ± 16.5 over 5 folds vs 68.7 ± 0.8
    const cnn = report.findings([result('custom-cnn', 'paper', 38.0, 16.5)]).join('\n');
    assert.match(cnn, /38\.0 ± 16\.5 % is below the paper's 68\.7 ± 0\.8 %/);
    assert.doesNotMatch(cnn, /not the paper's setting/, "setting 'test' is taken as the paper's");
    // a reduced setting is named in the finding; a speaker score above the paper protocol's says "above"
    const small = { ...result('custom-cnn', 'paper', 31.2, 9.1), setting: 'custom CNN, 32x32 (CPU scale, 1521 clips)' };
    small.data = { ...small.data, clips: 1521 };
    const vgg = { ...result('vgg16', 'paper', 29.7, 4.6), setting: 'VGG16 (scratch), no ImageNet weights: trained from scratch' };
    const f2 = report.findings([small, result('custom-cnn', 'speaker', 32.0, 2.8), vgg]).join('\n');
    assert.match(f2, /31\.2 ± 9\.1 % is below [^\n]*; not the paper's setting: CPU scale \(1521 clips, smaller images and network\)/);
    assert.match(f2, /VGG16 transfer[^\n]*not the paper's setting: no ImageNet weights/);
    assert.match(f2, /on unseen speakers 32\.0 ± 2\.8 %, 0\.8 pp above the paper protocol/);
    const set = report.settingRows([small]);
    assert.strictEqual(set.find((r) => /Custom CNN/.test(String(r.Model)))!['This run'], small.setting);
    assert.strictEqual(set.find((r) => /VGG16/.test(String(r.Model)))!['This run'], 'not run');
    const rows = report.reproductionRows(rs);
    // every cell says whether it agrees with the paper's number within two standard errors
    assert.strictEqual(rows[0]['This run (paper)'], '76.5 ± 1.0 ✓');
    assert.strictEqual(rows[0]['This run (clip)'], '66.0 ± 1.0 ↓');
    assert.strictEqual(rows[1]['This run (paper)'], '40.0 ± 1.0 ↓', "disgust F1 against the paper's 70.2 ± 0.6");
    assert.strictEqual(rows[2]['This run (paper)'], '90.0 ± 1.0 ↓', "surprised F1 against the paper's 92.7 ± 0.4");
    assert.strictEqual(report.reproductionRows([result('svm', 'paper', 70.0, 0.5)])[0 + 3]['This run (paper)'], '70.0 ± 0.5 ↑');
    assert.strictEqual(rows.find((r) => /VGG16.*accuracy/.test(String(r.Metric)))!['This run (paper)'], 'not run');
  });

  it('records percentages at full precision, so the report rounds once (70.9 ± 0.5, not 0.55 -> 0.6)', () => {
    const cv = { protocol: 'paper', k: 5, accuracy: { mean: 0.709176, std: 0.0054998 }, perClass: [] };
    const r = report.toModelResult(cv as never, 'svm-augmented', { clips: 1, rows: 1, corpora: [], synthetic: false }, 'x');
    assert.strictEqual(report.fmtMeanStd(r.accuracy), '70.9 ± 0.5');
  });

  it('writes report.md and report.html with the table, data statement and findings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-report-'));
    try {
      const rs = [result('svm', 'paper', 64.0, 0.8)];
      rs[0].data.synthetic = true;
      const files = report.writeReproductionReport(dir, rs);
      const md = fs.readFileSync(files.md, 'utf8');
      assert.match(md, /SYNTHETIC demo speech/);
      assert.match(md, /\| SVM, no augmentation \(Table III\): accuracy % \| 65\.3 ± 0\.6 \| 64\.0 ± 0\.8 ↓ \| not run \| not run \|/);
      assert.match(md, /\n✓ agrees with the paper's number within two standard errors/);
      assert.match(md, /## Settings\n\n\| Model \| Paper \| This run \|/);
      const html = fs.readFileSync(files.html, 'utf8');
      assert.ok(html.includes('<h2>Settings</h2><table'));
      assert.ok(html.includes('<table') && html.includes('Plotly') && !/<script[^>]+src=/.test(html));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
