/**
 * Publishing a run for the repository (`ser run-notebooks --publish reproduction/`, or
 * `ser publish <results/paper> --to reproduction/` afterwards): the small outputs of a headless
 * run, so a reader sees the paper's numbers next to ours without 1.6 GB of audio:
 * - `report.md` and `report.html`: the reproduction report of notebook 08 under a "The run"
 *   section written from the run itself: date, wall time, machine (CPU, cores, memory), Node,
 *   kernel-lib and library versions, the TensorFlow.js backend, the corpus verification against
 *   the official manifests, the wall time of every notebook;
 * - `tables/*.csv` and `*.md`, `figures/*.png` (no HTML, JSON specs, stores, models or audio);
 * - `index.json`: what is there (the structure a test compares with what the notebooks make).
 * The destination is emptied of earlier tables and figures first, so nothing stale survives; only
 * a step published apart (`--step`) that the new run skipped is kept (see publishReproduction).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from '../core/csv';
import { ensureDir, writeFileAtomic } from '../core/fs';
import { escapeHtml } from '../core/display';
import { type Row, toHtml, toMarkdown } from '../report/tables';
import { PLOTLY_TAG_END, PLOTLY_TAG_START } from '../report/figures/output';
import { REPORT_FIGURE } from '../report/reproduction';
import type { RunSummary } from './run';

/** Notebooks whose wall time the report gives apart from the rest (the paper's grid search: hours at full size). */
export const SEPARATE_STEPS: [prefix: string, what: string][] = [
  ['09-sensitivity', 'the sensitivity study'],
  ['10-svm-grid', 'the grid search'],
];

/** Report sections built from a run's tables when they exist: [table, heading, figure, figure caption]. */
const EXTRA_SECTIONS: [string, string, string, string][] = [
  [
    '09-sensitivity',
    "Sensitivity: why our numbers differ from the paper's (notebook 09)",
    '09-sensitivity',
    'Accuracy by variant of the recipe',
  ],
  ['10-grid-no-augmentation', "The paper's grid search without augmentation (notebook 10)", '10-grid', 'Grid search: accuracy against C'],
  ['10-grid-augmented', "The paper's grid search with augmentation (notebook 10)", '', ''],
];

/** Files larger than this are not published (a table or PNG never is; a stray dump would be). */
export const PUBLISH_MAX_BYTES = 2 * 1024 * 1024;

export interface PublishIndex {
  publishedAt: string;
  profile: string;
  dataDir: string | null;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  ok: boolean;
  tables: string[];
  figures: string[];
  notebooks: { name: string; status: string; seconds: number }[];
  skipped: string[];
  /** steps run apart and added later with `ser publish <run> --to <dir> --step NN` */
  steps?: PublishedStep[];
}

/** A notebook run apart (in its own run folder) and added to a published reproduction. */
export interface PublishedStep {
  notebook: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  machine: string;
  node: string;
  publishedAt: string;
}

function readCsvRows(file: string): Row[] {
  if (!fs.existsSync(file)) return [];
  const [head, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'), file);
  return rows.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

const fmtDuration = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(2)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;

/** The run summary of a run folder, or a one-line error naming the file. */
function readRunSummary(outDir: string): RunSummary {
  const summaryFile = path.join(outDir, 'summary.json');
  if (!fs.existsSync(summaryFile)) throw new Error(`${summaryFile}: no run summary here (run ser run-notebooks first)`);
  return JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
}

const machineText = (m: RunSummary['machine'] | undefined) =>
  m ? `${m.cpu}, ${m.cores} logical cores, ${m.memoryGiB} GiB, ${m.os}` : 'not recorded by this run';

/** A list of facts (markdown inline code allowed) as an HTML list. */
const factsHtml = (facts: string[]) => `<ul>${facts.map((f) => `<li>${escapeHtml(f.replace(/`/g, ''))}</li>`).join('')}</ul>`;

/** The "The run" section: when, where, with what, on which data, and how long each step took. */
export function runSection(outDir: string, summary: RunSummary): { md: string; html: string } {
  const versions = readCsvRows(path.join(outDir, 'tables', '00-versions.csv'));
  const backend = readCsvRows(path.join(outDir, 'tables', '00-backend.csv')).find((r) => r.loaded === 'yes');
  const verify = readCsvRows(path.join(outDir, 'tables', '01-verify.csv'));
  // a run in stages (--only / --skip) keeps each notebook's own times: the span and the sums come from them
  const starts = summary.notebooks
    .map((n) => n.startedAt)
    .filter((t): t is string => !!t)
    .sort();
  const ends = summary.notebooks
    .map((n) => n.finishedAt)
    .filter((t): t is string => !!t)
    .sort();
  const from = starts[0] ?? summary.startedAt;
  const to = ends[ends.length - 1] ?? summary.finishedAt;
  const sum = (ns: typeof summary.notebooks) => ns.reduce((a, n) => a + n.seconds, 0);
  const apart = SEPARATE_STEPS.map(([prefix, what]) => ({ what, ns: summary.notebooks.filter((n) => n.name.startsWith(prefix)) })).filter(
    (a) => a.ns.length,
  );
  const rest = summary.notebooks.filter((n) => !apart.some((a) => a.ns.includes(n)));
  // staged: the notebooks' span is longer than their wall times by more than two minutes (gaps between notebooks: a run in stages)
  const staged = starts.length > 1 && (Date.parse(to) - Date.parse(from)) / 1000 > sum(summary.notebooks) + 120;
  const facts = [
    `date: ${from} to ${to}, profile \`${summary.profile}\`, ${summary.ok ? 'every notebook ran' : 'SOME NOTEBOOKS FAILED'}`,
    `wall time: ${apart.length ? `${(sum(summary.notebooks) / 60).toFixed(1)} min in all; ` : ''}${fmtDuration(sum(rest))} for notebooks ${rest.map((n) => n.name.slice(0, 2)).join(', ')}${apart
      .map((a) => `; ${fmtDuration(sum(a.ns))} for ${a.what} (${a.ns.map((n) => n.name).join(', ')}), reported apart`)
      .join('')}${staged ? " (sums of the notebooks' own wall times)" : ''}`,
    `machine: ${machineText(summary.machine)}; Node ${summary.node}`,
    `TensorFlow.js backend for the CNNs: ${backend ? String(backend.backend) : 'not recorded'}`,
    `corpus: ${summary.dataDir ?? 'the synthetic demo corpus'}`,
  ];
  const steps: Row[] = summary.notebooks.map((n) => ({
    notebook: n.name,
    status: n.status,
    started: n.startedAt ?? '',
    'wall time': fmtDuration(n.seconds),
  }));
  const md = [
    '## The run',
    '',
    ...facts.map((f) => `- ${f}`),
    '',
    '### Corpus files against the official manifests (`ser corpus verify`)',
    '',
    verify.length ? toMarkdown(verify) : '_not checked in this run_',
    '',
    '### Wall time of each step',
    '',
    toMarkdown(steps),
    '',
    '### Versions',
    '',
    versions.length ? toMarkdown(versions) : '_not recorded_',
    '',
  ].join('\n');
  const html =
    `<h2>The run</h2>${factsHtml(facts)}` +
    `<h3>Corpus files against the official manifests</h3>${verify.length ? toHtml(verify) : '<p>not checked in this run</p>'}` +
    `<h3>Wall time of each step</h3>${toHtml(steps)}` +
    `<h3>Versions</h3>${versions.length ? toHtml(versions) : '<p>not recorded</p>'}`;
  return { md, html };
}

/** Copies the files of `src` that `keep` accepts to `dest`, after removing the files of `dest` that `clear` accepts. */
function copyDir(
  src: string,
  dest: string,
  keep: (f: string) => boolean,
  skipped: string[],
  clear: (f: string) => boolean = () => true,
): string[] {
  ensureDir(dest);
  for (const f of fs.readdirSync(dest)) if (clear(f)) fs.rmSync(path.join(dest, f), { recursive: true, force: true });
  if (!fs.existsSync(src)) return [];
  const out: string[] = [];
  for (const f of fs.readdirSync(src).sort()) {
    if (!keep(f)) continue;
    const size = fs.statSync(path.join(src, f)).size;
    if (size > PUBLISH_MAX_BYTES) {
      skipped.push(`${f} (${(size / 2 ** 20).toFixed(1)} MB)`);
      continue;
    }
    fs.copyFileSync(path.join(src, f), path.join(dest, f));
    out.push(f);
  }
  return out;
}

/** The closing list of every published table and figure (the last section of report.md). */
const LISTS_HEADING = '## All tables and figures of the run';

function listsSection(tables: string[], figures: string[]): string {
  return [
    LISTS_HEADING,
    '',
    ...tables.filter((t) => t.endsWith('.md')).map((t) => `- [${t.replace(/\.md$/, '')}](tables/${t})`),
    '',
    ...figures.map((f) => `- [${f.replace(/\.png$/, '')}](figures/${f})`),
    '',
  ].join('\n');
}

/** The EXTRA_SECTIONS whose table the run in `outDir` has (and `want` accepts), as markdown and HTML. */
function extraSections(outDir: string, figures: string[], want: (table: string) => boolean): { md: string; html: string } {
  const extras = EXTRA_SECTIONS.filter(([t]) => want(t) && fs.existsSync(path.join(outDir, 'tables', `${t}.md`)));
  const md = extras
    .map(([t, heading, fig, caption]) =>
      [
        `## ${heading}`,
        '',
        fs.readFileSync(path.join(outDir, 'tables', `${t}.md`), 'utf8').trim(),
        '',
        ...(fig && figures.includes(`${fig}.png`) ? [`![${caption}](figures/${fig}.png)`, ''] : []),
      ].join('\n'),
    )
    .join('\n');
  const html = extras
    .map(
      ([t, heading, fig, caption]) =>
        `<h2>${escapeHtml(heading)}</h2>${toHtml(readCsvRows(path.join(outDir, 'tables', `${t}.csv`)))}${fig && figures.includes(`${fig}.png`) ? `<p><img src="figures/${fig}.png" alt="${escapeHtml(caption)}" style="max-width:100%"></p>` : ''}`,
    )
    .join('');
  return { md, html };
}

/**
 * The published report.html without plotly: the interactive figure becomes its PNG (published
 * next to it), and the inlined plotly bundle (about 10 MB) is dropped. Left as it is when the PNG
 * is missing (no Chromium to export it).
 */
export function staticReportHtml(html: string, figures: string[]): string {
  const { id, png, caption } = REPORT_FIGURE;
  if (!figures.includes(path.basename(png))) return html;
  const div = `<div id="${id}" class="ser-figure"`;
  const at = html.indexOf(div);
  const endTag = '</script>';
  const scriptEnd = at < 0 ? -1 : html.indexOf(endTag, at);
  if (scriptEnd < 0) return html;
  const withImg = `${html.slice(0, at)}<p><img src="${png}" alt="${escapeHtml(caption)}" style="max-width:100%"></p>${html.slice(scriptEnd + endTag.length)}`;
  const plotlyStart = withImg.indexOf(PLOTLY_TAG_START);
  const plotlyEnd = plotlyStart < 0 ? -1 : withImg.indexOf(PLOTLY_TAG_END, plotlyStart);
  return plotlyEnd < 0 ? withImg : withImg.slice(0, plotlyStart) + withImg.slice(plotlyEnd + PLOTLY_TAG_END.length);
}

/** What a destination already holds: its index and the published report, when both are there. */
function readPublished(dest: string): { index: PublishIndex; md: string; html: string } | null {
  const files = ['index.json', 'report.md', 'report.html'].map((f) => path.join(dest, f));
  if (!files.every((f) => fs.existsSync(f))) return null;
  const [index, md, html] = files.map((f) => fs.readFileSync(f, 'utf8'));
  return { index: JSON.parse(index) as PublishIndex, md, html };
}

/**
 * Copies the run in `outDir` to `dest` as described in the module comment; returns the index.
 * Steps published apart into `dest` earlier (`--step`, the grid) that this run did not run
 * (skipped with `--skip`) are kept: their tables, figures, report sections, notebook entries
 * and `steps` records stay, so re-publishing the main run does not lose the grid. A run that
 * ran the step itself, or one of another profile, replaces it.
 */
export function publishReproduction(outDir: string, dest: string): PublishIndex {
  const summary = readRunSummary(outDir);
  const reportMd = path.join(outDir, 'report.md');
  const reportHtml = path.join(outDir, 'report.html');
  if (!fs.existsSync(reportMd) || !fs.existsSync(reportHtml))
    throw new Error(`${outDir}: no report.md / report.html (notebook 08 writes them)`);
  ensureDir(dest);
  const before = readPublished(dest);
  const kept = (before?.index.profile === summary.profile ? (before.index.steps ?? []) : []).filter(
    (s) => !summary.notebooks.some((n) => n.name.slice(0, 2) === s.notebook.slice(0, 2)),
  );
  const keptPrefixes = kept.map((s) => s.notebook.slice(0, 2));
  const isKept = (f: string) => keptPrefixes.some((p) => f.startsWith(`${p}-`));
  const skipped: string[] = (before?.index.skipped ?? []).filter(isKept);
  const keep = (ext: RegExp) => (f: string) => ext.test(f) && !isKept(f);
  copyDir(path.join(outDir, 'tables'), path.join(dest, 'tables'), keep(/\.(csv|md)$/), skipped, (f) => !isKept(f));
  copyDir(path.join(outDir, 'figures'), path.join(dest, 'figures'), keep(/\.png$/), skipped, (f) => !isKept(f));
  const tables = fs.readdirSync(path.join(dest, 'tables')).sort();
  const figures = fs.readdirSync(path.join(dest, 'figures')).sort();
  const run = runSection(outDir, summary);
  const [title, ...body] = fs.readFileSync(reportMd, 'utf8').split('\n');
  const lists = listsSection(tables, figures);
  const { md: extraMd, html: extraHtml } = extraSections(outDir, figures, (t) => !isKept(t));
  const stepsMd = keptPrefixes.map((p) => `${stepBlock(before?.md ?? '', p)}\n`);
  const stepsHtml = keptPrefixes.map((p) => stepBlock(before?.html ?? '', p)).join('');
  writeFileAtomic(path.join(dest, 'report.md'), [title, '', run.md, ...body, extraMd, ...stepsMd, lists].join('\n'));
  const html = staticReportHtml(fs.readFileSync(reportHtml, 'utf8'), figures);
  const at = html.indexOf('</h1>');
  const withRun = at < 0 ? html : html.slice(0, at + 5) + run.html + html.slice(at + 5);
  const end = withRun.lastIndexOf('</body>');
  const tail = extraHtml + stepsHtml;
  writeFileAtomic(path.join(dest, 'report.html'), end < 0 ? withRun + tail : withRun.slice(0, end) + tail + withRun.slice(end));
  const index: PublishIndex = {
    publishedAt: new Date().toISOString(),
    profile: summary.profile,
    dataDir: summary.dataDir,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    seconds: summary.seconds,
    ok: summary.ok,
    tables: [...new Set(tables.filter((t) => /\.(csv|md)$/.test(t)).map((t) => t.replace(/\.(csv|md)$/, '')))],
    figures: figures.filter((f) => f.endsWith('.png')).map((f) => f.replace(/\.png$/, '')),
    notebooks: [
      ...summary.notebooks.map((n) => ({ name: n.name, status: n.status, seconds: n.seconds })),
      ...(before?.index.notebooks ?? []).filter((n) => kept.some((s) => s.notebook === n.name)),
    ],
    skipped,
    ...(kept.length ? { steps: kept } : {}),
  };
  writeFileAtomic(path.join(dest, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

const stepMarks = (prefix: string) => [`<!-- step ${prefix} -->`, `<!-- /step ${prefix} -->`];

/** The block between the step's marks, marks included ('' when the text has none). */
function stepBlock(text: string, prefix: string): string {
  const [open, close] = stepMarks(prefix);
  const a = text.indexOf(open);
  const b = a < 0 ? -1 : text.indexOf(close, a);
  return b < 0 ? '' : text.slice(a, b + close.length);
}

/** `text` without the block between the step's marks (a step published again replaces its section). */
function withoutStep(text: string, prefix: string): string {
  const block = stepBlock(text, prefix);
  if (!block) return text;
  const a = text.indexOf(block);
  return text.slice(0, a) + text.slice(a + block.length).replace(/^\n/, '');
}

/**
 * Adds one notebook of a later run to a published reproduction (`ser publish <run> --to
 * reproduction --step 10`): a step too long for the main run (the paper's grid), run on its own
 * into another folder, perhaps on another day or machine. Its tables and figures join the
 * published ones (replacing that step's earlier ones); report.md and report.html gain a section
 * with that run's own date, machine, corpus check and the notebook's wall time, then the step's
 * result sections; index.json lists the notebook and records the step under `steps`. The main
 * run's "The run" section is left as it was published. Publishing the same step again replaces
 * its section.
 */
export function publishStep(outDir: string, dest: string, step: string): PublishIndex {
  const summary = readRunSummary(outDir);
  const summaryFile = path.join(outDir, 'summary.json');
  const indexFile = path.join(dest, 'index.json');
  if (!fs.existsSync(indexFile)) throw new Error(`${indexFile}: nothing published here yet (publish the main run first)`);
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as PublishIndex;
  if (index.profile !== summary.profile)
    throw new Error(`${outDir}: a ${summary.profile}-profile run cannot be added to the ${index.profile}-profile report in ${dest}`);
  const nb = summary.notebooks.find((n) => n.name.startsWith(`${step}-`) || n.name === step);
  if (!nb) throw new Error(`${summaryFile}: notebook ${step} did not run here`);
  if (nb.status !== 'ok') throw new Error(`${summaryFile}: notebook ${nb.name} ended ${nb.status}; only a finished step is published`);
  const prefix = nb.name.slice(0, 2);
  const mine = (f: string) => f.startsWith(`${prefix}-`);
  const skipped: string[] = index.skipped.filter((s) => !mine(s));
  copyDir(path.join(outDir, 'tables'), path.join(dest, 'tables'), (f) => mine(f) && /\.(csv|md)$/.test(f), skipped, mine);
  copyDir(path.join(outDir, 'figures'), path.join(dest, 'figures'), (f) => mine(f) && f.endsWith('.png'), skipped, mine);
  const tables = fs.readdirSync(path.join(dest, 'tables')).sort();
  const figures = fs.readdirSync(path.join(dest, 'figures')).sort();

  const what = SEPARATE_STEPS.find(([p]) => nb.name.startsWith(p))?.[1] ?? nb.name.replace(/\.ipynb$/, '');
  const verify = readCsvRows(path.join(outDir, 'tables', '01-verify.csv'));
  const intact = verify.reduce((a, r) => a + Number(r['intact (sha256 ok)'] ?? 0), 0);
  const listed = verify.reduce((a, r) => a + Number(r['manifest files'] ?? 0), 0);
  const machine = machineText(summary.machine);
  const facts = [
    `notebook: ${nb.name}, run apart from the main run above, into its own run folder`,
    `date: ${nb.startedAt ?? summary.startedAt} to ${nb.finishedAt ?? summary.finishedAt}, profile \`${summary.profile}\``,
    `wall time of the notebook: ${fmtDuration(nb.seconds)} (${nb.seconds.toFixed(0)} s)`,
    `machine: ${machine}; Node ${summary.node}`,
    `corpus: ${summary.dataDir ?? 'the synthetic demo corpus'}; ${verify.length ? `checked in the same run: ${intact} of ${listed} files intact against the official manifests` : 'not checked against the manifests in this run'}`,
    `the other notebooks of that run: ${
      summary.notebooks
        .filter((n) => n !== nb)
        .map((n) => `${n.name.slice(0, 2)} (${fmtDuration(n.seconds)})`)
        .join(', ') || 'none'
    }`,
  ];
  const heading = `## Run apart: ${what} (notebook ${prefix})`;
  const results = extraSections(outDir, figures, mine);
  const [open, close] = stepMarks(prefix);
  const md = [open, heading, '', ...facts.map((f) => `- ${f}`), '', results.md, close].join('\n');
  const html = `${open}<h2>${escapeHtml(heading.slice(3))}</h2>${factsHtml(facts)}${results.html}${close}`;

  const oldMd = withoutStep(fs.readFileSync(path.join(dest, 'report.md'), 'utf8'), prefix);
  const at = oldMd.indexOf(LISTS_HEADING);
  const before = (at < 0 ? oldMd : oldMd.slice(0, at)).replace(/\n*$/, '\n\n');
  writeFileAtomic(path.join(dest, 'report.md'), `${before}${md}\n\n${listsSection(tables, figures)}`);
  const oldHtml = withoutStep(fs.readFileSync(path.join(dest, 'report.html'), 'utf8'), prefix);
  const end = oldHtml.lastIndexOf('</body>');
  writeFileAtomic(path.join(dest, 'report.html'), end < 0 ? oldHtml + html : oldHtml.slice(0, end) + html + oldHtml.slice(end));

  const record: PublishedStep = {
    notebook: nb.name,
    startedAt: nb.startedAt ?? summary.startedAt,
    finishedAt: nb.finishedAt ?? summary.finishedAt,
    seconds: nb.seconds,
    machine,
    node: summary.node,
    publishedAt: new Date().toISOString(),
  };
  const next: PublishIndex = {
    ...index,
    tables: [...new Set(tables.map((t) => t.replace(/\.(csv|md)$/, '')))],
    figures: figures.filter((f) => f.endsWith('.png')).map((f) => f.replace(/\.png$/, '')),
    notebooks: [...index.notebooks.filter((n) => n.name !== nb.name), { name: nb.name, status: nb.status, seconds: nb.seconds }],
    skipped,
    steps: [...(index.steps ?? []).filter((s) => s.notebook !== nb.name), record],
  };
  writeFileAtomic(indexFile, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
