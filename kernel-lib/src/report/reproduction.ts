/**
 * The reproduction report (paper section V side by side with this run): one table with every
 * headline number of the paper next to this run's numbers under the three protocols, a chart
 * of accuracy by model and protocol, and findings generated from the numbers (no canned prose).
 * Written to `<outDir>/report.md` and `<outDir>/report.html` (figure embedded, plotly inlined).
 */
import * as path from 'node:path';
import type { Emotion } from '../core/types';
import { runContext } from '../core/context';
import type { Figure } from '../core/figure';
import { figureDiv, plotlyScriptTag } from './figures/output';
import type { MeanStd } from '../eval/metrics';
import { type Protocol, PROTOCOLS } from '../eval/protocols';
import { fmtMeanStd, PAPER_RESULTS, type PaperModel } from './paper';
import { type ModelResult, readResults } from './results';
import { escapeHtml } from '../core/display';
import { type Row, toHtml, toMarkdown } from './tables';
import { writeArtifact } from './artifacts';

export const REPORT_MODELS: PaperModel[] = ['svm-augmented', 'svm', 'custom-cnn', 'vgg16'];

const MODEL_LABEL: Record<PaperModel, string> = {
  'svm-augmented': 'SVM + augmentation (Table II)',
  svm: 'SVM, no augmentation (Table III)',
  vgg16: 'VGG16 transfer (Table IV)',
  'custom-cnn': 'Custom CNN (Table V)',
};

function find(results: ModelResult[], model: PaperModel, protocol: Protocol): ModelResult | undefined {
  return results.find((r) => r.model === model && r.protocol === protocol);
}

/** Marks of the headline table: agreement with the paper's number within two standard errors. */
export const AGREEMENT_MARKS = { agrees: '✓', below: '↓', above: '↑' } as const;
export const AGREEMENT_LEGEND =
  "✓ agrees with the paper's number within two standard errors of the difference of the fold means; ↓ below it, ↑ above it.";

function cell(m: MeanStd | undefined, folds: number, paper: MeanStd): string {
  if (!m) return 'not run';
  const { word } = diffWord(m, folds, paper);
  return `${fmtMeanStd(m)} ${word === 'agrees with' ? AGREEMENT_MARKS.agrees : word === 'is below' ? AGREEMENT_MARKS.below : AGREEMENT_MARKS.above}`;
}

function f1Of(r: ModelResult | undefined, e: Emotion): MeanStd | undefined {
  return r?.perClass.find((c) => c.emotion === e)?.f1;
}

/** The headline table: accuracy and the hardest / easiest class F1 per model, paper vs this run. */
export function reproductionRows(results: ModelResult[]): Row[] {
  const rows: Row[] = [];
  for (const m of REPORT_MODELS) {
    const p = PAPER_RESULTS[m];
    rows.push({
      Metric: `${MODEL_LABEL[m]}: accuracy %`,
      Paper: fmtMeanStd(p.accuracy),
      ...Object.fromEntries(
        PROTOCOLS.map((pr) => {
          const r = find(results, m, pr);
          return [`This run (${pr})`, cell(r?.accuracy, r?.folds ?? 5, p.accuracy)];
        }),
      ),
    });
    const f1s = [...p.perClass].sort((a, b) => a.f1.mean - b.f1.mean);
    for (const [label, c] of [
      ['hardest', f1s[0]],
      ['easiest', f1s[f1s.length - 1]],
    ] as const) {
      rows.push({
        Metric: `${MODEL_LABEL[m]}: F1 % of ${c.emotion} (paper's ${label})`,
        Paper: fmtMeanStd(c.f1),
        ...Object.fromEntries(
          PROTOCOLS.map((pr) => {
            const r = find(results, m, pr);
            return [`This run (${pr})`, cell(f1Of(r, c.emotion), r?.folds ?? 5, c.f1)];
          }),
        ),
      });
    }
  }
  return rows;
}

/** The paper's setting of each model (sections III.D and IV). */
export const PAPER_SETTING: Record<PaperModel, string> = {
  'svm-augmented': 'RBF, C=100 (best of its grid), 173 features, 4 rows per clip (original, noise, stretch, pitch)',
  svm: 'RBF, C=30 (best of its grid), 173 features',
  vgg16: 'VGG16 with ImageNet weights, frozen base, 128x128 RGB, up to 100 epochs, lr 5e-5, patience 10, all clips',
  'custom-cnn': '4 blocks of 256/256/128/64 5x5 filters, 128x128 RGB, up to 100 epochs, lr 5e-5, patience 10, all clips',
};

/** A setting that is not the paper's (demo or CPU scale, VGG16 without ImageNet weights), in a few words; null if it is. */
export function settingCaveat(r: ModelResult): string | null {
  const out: string[] = [];
  if (/demo scale/i.test(r.setting)) out.push('demo scale');
  if (/CPU scale/i.test(r.setting)) out.push(`CPU scale (${r.data.clips} clips, smaller images and network)`);
  if (/from scratch/i.test(r.setting)) out.push('no ImageNet weights');
  return out.length ? out.join(', ') : null;
}

/** Model settings, the paper's next to this run's (paper protocol, else any protocol run). */
export function settingRows(results: ModelResult[]): Row[] {
  return REPORT_MODELS.map((m) => {
    const r = find(results, m, 'paper') ?? results.find((x) => x.model === m);
    return { Model: MODEL_LABEL[m], Paper: PAPER_SETTING[m], 'This run': r ? r.setting : 'not run' };
  });
}

/** What data the results were computed on, from the results themselves. */
export function dataStatement(results: ModelResult[]): string {
  if (!results.length) return 'No model results were recorded in this run.';
  const synthetic = results.some((r) => r.data.synthetic);
  const corpora = [...new Set(results.flatMap((r) => r.data.corpora))].sort();
  const clips = Math.max(...results.map((r) => r.data.clips));
  const profiles = [...new Set(results.map((r) => r.profile))];
  return (
    `Data: ${clips} clips from ${corpora.join(', ') || 'no corpus'}` +
    `${synthetic ? " — SYNTHETIC demo speech (espeak-ng), not the paper's recordings" : ' (real recordings)'}` +
    `; the paper used 12162 real clips from CREMA-D, RAVDESS, SAVEE and TESS. Profile: ${profiles.join(', ')}.`
  );
}

/**
 * Compares two fold means: they agree when the difference is within two standard errors of the
 * difference, SE = sqrt(std1^2/k1 + std2^2/k2) (fold stds are sample stds over k folds).
 */
function diffWord(ours: MeanStd, oursFolds: number, paper: MeanStd): { word: string; diff: number } {
  const diff = ours.mean - paper.mean;
  const se = Math.sqrt(ours.std ** 2 / Math.max(1, oursFolds) + paper.std ** 2 / 5);
  const word = Math.abs(diff) <= 2 * se ? 'agrees with' : diff > 0 ? 'is above' : 'is below';
  return { word, diff };
}

/** The paper's hardest and easiest class of a model, by F1 in its table. */
export function paperExtremes(m: PaperModel): { hardest: Emotion; easiest: Emotion } {
  const f = [...PAPER_RESULTS[m].perClass].sort((a, b) => a.f1.mean - b.f1.mean);
  return { hardest: f[0].emotion, easiest: f[f.length - 1].emotion };
}

/** Sentences computed from the numbers: agreement per model, augmentation gain, protocol gaps, ranking. */
export function findings(results: ModelResult[]): string[] {
  const out: string[] = [];
  if (!results.length) return ['No model was evaluated, so nothing can be compared with the paper.'];
  for (const m of REPORT_MODELS) {
    const r = find(results, m, 'paper');
    if (!r) continue;
    const p = PAPER_RESULTS[m].accuracy;
    const { word, diff } = diffWord(r.accuracy, r.folds, p);
    const caveat = settingCaveat(r);
    out.push(
      `${MODEL_LABEL[m]} under the paper's protocol: ${fmtMeanStd(r.accuracy)} % ${word} the paper's ${fmtMeanStd(p)} % ` +
        `(${diff >= 0 ? '+' : ''}${diff.toFixed(1)} pp; "agrees" = within two standard errors of the difference of the fold means)` +
        `${caveat ? `; not the paper's setting: ${caveat}, so the gap says little about the method` : ''}.`,
    );
  }
  const aug = find(results, 'svm-augmented', 'paper');
  const plain = find(results, 'svm', 'paper');
  if (aug && plain) {
    const gain = aug.accuracy.mean - plain.accuracy.mean;
    const pg = PAPER_RESULTS['svm-augmented'].accuracy.mean - PAPER_RESULTS.svm.accuracy.mean;
    out.push(
      `Augmentation changes SVM accuracy by ${gain >= 0 ? '+' : ''}${gain.toFixed(1)} pp here, against +${pg.toFixed(1)} pp in the paper.`,
    );
    const augClip = find(results, 'svm-augmented', 'clip');
    if (augClip) {
      const leak = aug.accuracy.mean - augClip.accuracy.mean;
      const realGain = augClip.accuracy.mean - plain.accuracy.mean;
      out.push(
        `Keeping each clip's augmented copies in one fold (clip protocol) gives ${fmtMeanStd(augClip.accuracy)} %: ` +
          `${leak.toFixed(1)} pp of the paper-protocol score comes from copies of test clips seen in training, ` +
          `and the gain from augmentation itself is ${realGain >= 0 ? '+' : ''}${realGain.toFixed(1)} pp.`,
      );
    }
  }
  for (const m of REPORT_MODELS) {
    const a = find(results, m, 'paper') ?? find(results, m, 'clip');
    const s = find(results, m, 'speaker');
    if (a && s) {
      const drop = a.accuracy.mean - s.accuracy.mean;
      out.push(
        `${MODEL_LABEL[m]}: on unseen speakers ${fmtMeanStd(s.accuracy)} %, ${Math.abs(drop).toFixed(1)} pp ${drop >= 0 ? 'below' : 'above'} the ${a.protocol} protocol.`,
      );
    }
  }
  const ranked = REPORT_MODELS.map((m) => ({ m, r: find(results, m, 'paper') })).filter((x) => x.r) as { m: PaperModel; r: ModelResult }[];
  if (ranked.length >= 2) {
    const ours = [...ranked].sort((a, b) => b.r.accuracy.mean - a.r.accuracy.mean).map((x) => x.m);
    const paper = [...ranked].sort((a, b) => PAPER_RESULTS[b.m].accuracy.mean - PAPER_RESULTS[a.m].accuracy.mean).map((x) => x.m);
    const same = ours.join() === paper.join();
    out.push(
      `Ranking by accuracy here: ${ours.join(' > ')}; in the paper: ${paper.join(' > ')} (${same ? 'same order' : 'different order'}).`,
    );
  }
  for (const m of REPORT_MODELS) {
    const r = find(results, m, 'paper');
    if (!r?.perClass.length) continue;
    const f = [...r.perClass].sort((a, b) => a.f1.mean - b.f1.mean);
    const hard = f[0].emotion;
    const easy = f[f.length - 1].emotion;
    const px = paperExtremes(m);
    const same = hard === px.hardest && easy === px.easiest;
    out.push(
      `${MODEL_LABEL[m]}: hardest class ${hard}, easiest ${easy} by F1 (paper's table: ${px.hardest} and ${px.easiest})${same ? ', as in the paper' : ''}.`,
    );
  }
  if (results.some((r) => r.data.synthetic)) {
    out.push(
      'These numbers come from the synthetic demo corpus at demo scale: they show that the pipeline runs, not what the method achieves on real speech.',
    );
  }
  return out;
}

/** Grouped bar chart: accuracy by model, one bar group per protocol plus the paper. */
export function accuracyFigure(results: ModelResult[]): Figure {
  const x = REPORT_MODELS.map((m) => MODEL_LABEL[m].replace(/ \(Table .*\)$/, ''));
  const traces: any[] = [
    {
      type: 'bar',
      name: 'paper',
      x,
      y: REPORT_MODELS.map((m) => PAPER_RESULTS[m].accuracy.mean),
      error_y: { type: 'data', array: REPORT_MODELS.map((m) => PAPER_RESULTS[m].accuracy.std) },
    },
  ];
  for (const pr of PROTOCOLS) {
    traces.push({
      type: 'bar',
      name: `this run: ${pr}`,
      x,
      y: REPORT_MODELS.map((m) => find(results, m, pr)?.accuracy.mean ?? null),
      error_y: { type: 'data', array: REPORT_MODELS.map((m) => find(results, m, pr)?.accuracy.std ?? 0) },
    });
  }
  return {
    data: traces,
    layout: {
      title: { text: 'Accuracy (%) by model and protocol, mean ± std over folds' },
      barmode: 'group',
      yaxis: { title: { text: 'accuracy %' }, range: [0, 100] },
      height: 460,
    },
  };
}

/** The report's one figure: its element id in report.html and the PNG notebook 08 saves of it. */
export const REPORT_FIGURE = { id: 'accuracy', png: 'figures/08-accuracy-by-protocol.png', caption: 'Accuracy by model and protocol' };

export interface ReportFiles {
  md: string;
  html: string;
}

/** Writes report.md and report.html for the results recorded in `outDir`. */
export function writeReproductionReport(outDir = runContext().outDir, results: ModelResult[] = readResults(outDir)): ReportFiles {
  const rows = reproductionRows(results);
  const settings = settingRows(results);
  const data = dataStatement(results);
  const facts = findings(results);
  const fig = accuracyFigure(results);
  const title = 'Reproduction report: "Speech Emotion Recognition Using Machine Learning Techniques: A Dual Approach"';
  const md = [
    `# ${title}`,
    '',
    `_Generated ${new Date().toISOString()} by kernel-lib from results/${path.basename(outDir)}/results.json._`,
    '',
    `**${data}**`,
    '',
    toMarkdown(rows),
    AGREEMENT_LEGEND,
    '',
    `![${REPORT_FIGURE.caption}](${REPORT_FIGURE.png})`,
    '',
    '## Settings',
    '',
    toMarkdown(settings),
    '',
    '## Findings',
    '',
    ...facts.map((f) => `- ${f}`),
    '',
    'Protocols: `paper` = augment, then stratified 5-fold over all rows (as the paper); `clip` = folds over clips, augmented copies of training clips only in training; `speaker` = folds grouped by speaker.',
    '',
  ].join('\n');
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${plotlyScriptTag()}` +
    `<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}td:not(:first-child){text-align:right;white-space:nowrap}</style></head><body>` +
    `<h1>${escapeHtml(title)}</h1><p><b>${escapeHtml(data)}</b></p>${toHtml(rows)}<p>${escapeHtml(AGREEMENT_LEGEND)}</p>` +
    figureDiv(fig, REPORT_FIGURE.id) +
    `<h2>Settings</h2>${toHtml(settings)}` +
    `<h2>Findings</h2><ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul></body></html>\n`;
  const [mdFile, htmlFile] = writeArtifact({ kind: 'file', name: 'report', title }, { 'report.md': md, 'report.html': html }, outDir);
  return { md: mdFile, html: htmlFile };
}
