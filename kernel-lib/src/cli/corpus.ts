/** `ser corpus scan`, `ser corpus verify`, `ser corpus demo`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  compareWithPaper,
  CORPORA,
  demoCorpusDir,
  DEMO_RATES,
  ensureDemoCorpus,
  generateDemoCorpus,
  PAPER_SPEAKERS,
  scanCorpora,
  type ScanResult,
  skippedSummary,
  tableI,
  verifyCorpora,
  type VerifyResult,
} from '../corpora';
import { progress } from '../core/progress';
import { type Command, textTable, UsageError } from './command';

const SYNTHETIC_NOTE = "SYNTHETIC demo corpus (espeak-ng): not real emotional speech, not the paper's data";

function needDir(p: string): string {
  const abs = path.resolve(p);
  if (!fs.existsSync(abs)) throw new UsageError(`${abs}: no such folder`);
  if (!fs.statSync(abs).isDirectory()) throw new UsageError(`${abs}: not a folder`);
  return abs;
}

/** Table I as aligned text (same rows and columns as the paper). */
export function tableIText(scan: ScanResult): string {
  const rows = tableI(scan);
  return textTable(
    ['', ...CORPORA, 'Total'],
    rows.map((r) => [r.Emotion, ...CORPORA.map((c) => r[c]), r.Total]),
  );
}

/** The JSON document of `ser corpus scan --json`. */
export function scanJson(scan: ScanResult) {
  const rel = (p: string) => path.relative(scan.root, p);
  const all = scan.present.length === CORPORA.length;
  return {
    root: scan.root,
    synthetic: scan.synthetic,
    tableI: tableI(scan),
    counts: scan.counts,
    totals: scan.totals,
    total: scan.total,
    corpora: Object.fromEntries(
      CORPORA.map((c) => [
        c,
        { present: scan.present.includes(c), clips: scan.totals[c], speakers: scan.speakers[c].length, speakerIds: scan.speakers[c] },
      ]),
    ),
    speakers: Object.fromEntries(CORPORA.map((c) => [c, scan.speakers[c].length])),
    /** cells that differ from the paper's Table I, for the corpora found */
    differencesFromPaper: compareWithPaper(scan),
    matchesPaper: all && compareWithPaper(scan).length === 0,
    skippedSummary: skippedSummary(scan.skipped),
    skipped: scan.skipped.map((s) => ({ path: rel(s.path), corpus: s.corpus, kind: s.kind, reason: s.reason })),
    ignored: { ...scan.ignored, dirs: scan.ignored.dirs.map((d) => rel(d)) },
  };
}

const scanCmd: Command = {
  path: ['corpus', 'scan'],
  usage: 'ser corpus scan <root> [--json]',
  summary: "find CREMA-D, RAVDESS, SAVEE, TESS under <root> (any depth, usual download layouts) and print the paper's Table I",
  flags: {},
  positionals: { min: 1, max: 1, name: '<root>' },
  async run(args, io) {
    const root = needDir(args.positionals[0]);
    const scan = scanCorpora(root);
    const json = scanJson(scan);
    if (scan.total === 0) io.err(`notice: no clip of the four corpora found under ${root}`);
    const lines: string[] = [];
    if (scan.synthetic) lines.push(`*** ${SYNTHETIC_NOTE} ***`, '');
    lines.push(`TABLE I  DATASET  (${root})`, '', tableIText(scan), '');
    lines.push(
      'speakers: ' +
        CORPORA.map((c) => `${c} ${scan.speakers[c].length}${scan.present.includes(c) ? '' : ' (not found)'}`).join(', ') +
        ` (complete corpora: ${CORPORA.map((c) => `${c} ${PAPER_SPEAKERS[c]}`).join(', ')})`,
    );
    if (json.matchesPaper) lines.push("matches the paper's Table I exactly (12162 clips)");
    else if (scan.synthetic) lines.push("(demo corpus: a miniature with each corpus' emotions of Table I, not its counts)");
    else if (scan.present.length) {
      const d = json.differencesFromPaper;
      lines.push(
        d.length === 0
          ? `the corpora found match the paper's counts; not found: ${CORPORA.filter((c) => !scan.present.includes(c)).join(', ')}`
          : `${d.length} cell(s) differ from the paper's Table I, e.g. ${d
              .slice(0, 3)
              .map((x) => `${x.corpus} ${x.emotion} ${x.found} (paper ${x.paper})`)
              .join('; ')}`,
      );
    }
    if (scan.skipped.length) {
      lines.push(`skipped ${scan.skipped.length} file(s):`);
      for (const g of skippedSummary(scan.skipped)) lines.push(`  ${String(g.count).padStart(6)}  ${g.corpus ?? '-'}: ${g.reason}`);
      lines.push('(--json lists every file)');
    }
    if (scan.ignored.files) lines.push(`ignored ${scan.ignored.files} non-audio file(s)`);
    return { json, text: lines.join('\n') };
  },
};

function verifyText(v: VerifyResult, maxList = 20): string {
  const lines: string[] = [];
  if (v.synthetic) lines.push(`*** ${SYNTHETIC_NOTE}: the official manifests do not describe it ***`, '');
  lines.push(`verify ${v.root} against ${v.manifestsDir}`, '');
  lines.push(
    textTable(
      ['corpus', 'expected', 'ok', 'missing', 'mismatch', 'unexpected', 'duplicates', 'not used'],
      CORPORA.map((c) => {
        const r = v.corpora[c];
        if (!r.present) return [c, r.expected, '-', 'not found', '-', '-', '-', '-'];
        return [c, r.expected, r.ok, r.missing.length, r.mismatch.length, r.unexpected.length, r.duplicates, r.notUsed];
      }),
    ),
  );
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push('', title);
    for (const s of items.slice(0, maxList)) lines.push(`  ${s}`);
    if (items.length > maxList) lines.push(`  ... and ${items.length - maxList} more (--json lists all)`);
  };
  for (const c of CORPORA) {
    const r = v.corpora[c];
    if (!r.present) continue;
    list(`${c} missing (${r.missing.length}):`, r.missing);
    list(
      `${c} size or sha256 mismatch (${r.mismatch.length}):`,
      r.mismatch.map((m) => `${m.path}: ${m.reason}`),
    );
    list(
      `${c} unexpected (${r.unexpected.length}):`,
      r.unexpected.map((m) => `${m.path}: ${m.reason}`),
    );
  }
  list(
    `WAV files of no corpus (${v.unattributed.length}):`,
    v.unattributed.map((m) => `${m.path}: ${m.reason}`),
  );
  lines.push(
    '',
    v.ok ? `OK: every corpus found is complete and intact (${v.seconds.toFixed(1)} s)` : `PROBLEMS FOUND (${v.seconds.toFixed(1)} s)`,
  );
  return lines.join('\n');
}

const verifyCmd: Command = {
  path: ['corpus', 'verify'],
  usage: 'ser corpus verify <root> [--manifests <dir>] [--workers N] [--json]',
  summary: 'check every corpus file under <root> against the official manifests (name, size, sha256): ok / missing / mismatch / unexpected',
  flags: {
    manifests: { type: 'string', description: 'manifest folder (default data/manifests)' },
    workers: { type: 'number', description: 'hashing threads (default: one per core)' },
  },
  positionals: { min: 1, max: 1, name: '<root>' },
  async run(args) {
    const root = needDir(args.positionals[0]);
    if (args.flags.manifests) needDir(args.flags.manifests);
    const scan = scanCorpora(root);
    const bar = progress('hashing', scan.clips.length, { unit: 'files' });
    const v = await verifyCorpora(root, {
      scan,
      manifestsDir: args.flags.manifests,
      workers: args.flags.workers,
      onProgress: (d) => bar.to(d),
    });
    bar.done();
    return { exitCode: v.ok ? 0 : 1, json: v, text: verifyText(v) };
  },
};

const demoCmd: Command = {
  path: ['corpus', 'demo'],
  usage: 'ser corpus demo [<dir>] [--force] [--json]',
  summary: 'write the SYNTHETIC demo corpus (espeak-ng speech laid out as miniature CREMA-D, RAVDESS, SAVEE, TESS); default data/demo',
  flags: {
    force: { type: 'boolean', description: 'regenerate even if a complete demo corpus is there' },
  },
  positionals: { min: 0, max: 1, name: '<dir>' },
  async run(args, io) {
    const dir = path.resolve(args.positionals[0] ?? demoCorpusDir());
    const t0 = Date.now();
    const bar = { p: null as ReturnType<typeof progress> | null };
    const onProgress = (d: number, n: number) => {
      bar.p ??= progress('demo corpus', n, { unit: 'clips' });
      bar.p.to(d);
    };
    let generated = true;
    if (args.flags.force) await generateDemoCorpus(dir, { onProgress, force: true });
    else {
      generated = false;
      await ensureDemoCorpus(dir, {
        onProgress: (d, n) => {
          generated = true;
          onProgress(d, n);
        },
      });
    }
    bar.p?.done();
    const scan = scanCorpora(dir);
    const seconds = (Date.now() - t0) / 1000;
    if (!generated) io.err(`a complete demo corpus is already in ${dir} (--force regenerates it)`);
    const json = {
      dir,
      synthetic: true,
      generated,
      clips: scan.total,
      seconds,
      sampleRates: DEMO_RATES,
      tableI: tableI(scan),
      speakers: Object.fromEntries(CORPORA.map((c) => [c, scan.speakers[c].length])),
    };
    const text = [
      `*** ${SYNTHETIC_NOTE} ***`,
      '',
      `${generated ? 'wrote' : 'found'} ${scan.total} clips in ${dir}${generated ? ` (${seconds.toFixed(1)} s)` : ''}`,
      '',
      tableIText(scan),
    ].join('\n');
    return { json, text };
  },
};

export const commands: Command[] = [scanCmd, verifyCmd, demoCmd];
