/**
 * Finds any subset of the four corpora under a root (any depth, the usual download layouts),
 * labels every clip from its name, and counts them as the paper's Table I. Name-only: no file
 * is opened (`ser corpus verify` checks contents). Clips are the files with an audio extension
 * (audio/decode.ts AUDIO_EXTENSIONS: .wav, .flac, .aiff, .ogg, .mp3, ...), so a FLAC copy of a
 * corpus scans to the same table; which decoder reads a clip is decided later from its bytes. Deterministic: folders are walked in sorted
 * order and clips are returned sorted by clipId.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPORA, type Clip, type CorpusName, EMOTIONS, type Emotion } from '../core/types';
import { parseClipPath, parseRavdess } from './parse';
import { AUDIO_EXTENSIONS } from '../audio/decode';

/** Written at the root of the generated demo corpus; its presence marks a scan as synthetic. */
export const SYNTHETIC_MARKER = 'SYNTHETIC_DEMO_CORPUS.txt';

export type SkipKind = 'not-used' | 'invalid' | 'unknown' | 'duplicate' | 'not-audio';

export interface SkippedFile {
  /** absolute path */
  path: string;
  reason: string;
  kind: SkipKind;
  /** the corpus whose naming the file has, when known */
  corpus: CorpusName | null;
}

export interface ScanResult {
  root: string;
  /** true when the tree holds the generated (synthetic) demo corpus */
  synthetic: boolean;
  /** the paper's clips, sorted by clipId, one per clipId */
  clips: Clip[];
  /** files not counted, with the reason */
  skipped: SkippedFile[];
  /** clips per corpus and emotion */
  counts: Record<CorpusName, Record<Emotion, number>>;
  totals: Record<CorpusName, number>;
  total: number;
  /** sorted speaker ids per corpus */
  speakers: Record<CorpusName, string[]>;
  /** corpora with at least one clip, in Table I order */
  present: CorpusName[];
  /** files that are neither WAV nor named like a corpus file (READMEs, archives, ...) */
  ignored: { files: number; byExtension: Record<string, number>; dirs: string[] };
}

/** The paper's Table I. */
export const PAPER_TABLE_I: Record<Emotion, Record<CorpusName, number>> = {
  angry: { 'CREMA-D': 1271, RAVDESS: 192, SAVEE: 60, TESS: 400 },
  calm: { 'CREMA-D': 0, RAVDESS: 192, SAVEE: 0, TESS: 0 },
  disgust: { 'CREMA-D': 1271, RAVDESS: 192, SAVEE: 60, TESS: 400 },
  fear: { 'CREMA-D': 1271, RAVDESS: 192, SAVEE: 60, TESS: 400 },
  happy: { 'CREMA-D': 1271, RAVDESS: 192, SAVEE: 60, TESS: 400 },
  neutral: { 'CREMA-D': 1087, RAVDESS: 96, SAVEE: 120, TESS: 400 },
  sad: { 'CREMA-D': 1271, RAVDESS: 192, SAVEE: 60, TESS: 400 },
  surprised: { 'CREMA-D': 0, RAVDESS: 192, SAVEE: 60, TESS: 400 },
};

/** Speakers per corpus in the complete corpora. */
export const PAPER_SPEAKERS: Record<CorpusName, number> = { 'CREMA-D': 91, RAVDESS: 24, SAVEE: 4, TESS: 2 };

/** The emotions each corpus has (non-zero cells of Table I). */
export const CORPUS_EMOTIONS: Record<CorpusName, Emotion[]> = Object.fromEntries(
  CORPORA.map((c) => [c, EMOTIONS.filter((e) => PAPER_TABLE_I[e][c] > 0)]),
) as Record<CorpusName, Emotion[]>;

/** Emotion as printed in the paper's tables ('Angry', ...). */
export function emotionTitle(e: Emotion): string {
  return e[0].toUpperCase() + e.slice(1);
}

/** Folders never entered (archive-tool debris, VCS, caches). */
const SKIP_DIRS = new Set(['__macosx', '.git', 'node_modules', '.ser-cache']);

function emptyCounts(): Record<CorpusName, Record<Emotion, number>> {
  return Object.fromEntries(CORPORA.map((c) => [c, Object.fromEntries(EMOTIONS.map((e) => [e, 0]))])) as any;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lists the files under root (sorted, depth first, following symlinks without loops). */
function walk(root: string, onFile: (file: string) => void, onSkipDir: (dir: string) => void): void {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e: any) {
      onSkipDir(`${dir} (${e?.code ?? 'unreadable'})`);
      return;
    }
    entries.sort((a, b) => byString(a.name, b.name));
    for (const ent of entries) {
      const full = path.join(dir, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (SKIP_DIRS.has(ent.name.toLowerCase())) onSkipDir(full);
        else visit(full);
      } else if (isFile) onFile(full);
    }
  };
  visit(root);
}

/** Lossless containers before lossy ones: which copy of a clip present in two formats is used. */
function formatRank(file: string): number {
  const ext = path.extname(file).toLowerCase();
  return ['.wav', '.wave', '.flac', '.aif', '.aiff', '.aifc'].includes(ext) ? 0 : 1;
}

/**
 * Scans `root` for the four corpora. Throws (with a one-line message naming the folder) when
 * root is not a readable folder.
 */
export function scanCorpora(root: string): ScanResult {
  const abs = path.resolve(root);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw Object.assign(new Error(`${abs}: no such folder`), { usage: true });
  }
  if (!st.isDirectory()) throw Object.assign(new Error(`${abs}: not a folder`), { usage: true });

  const byId = new Map<string, Clip>();
  const skipped: SkippedFile[] = [];
  const ignored = { files: 0, byExtension: {} as Record<string, number>, dirs: [] as string[] };
  let synthetic = false;

  walk(
    abs,
    (file) => {
      const base = path.basename(file);
      const ext = path.extname(base).toLowerCase();
      if (base === SYNTHETIC_MARKER) synthetic = true;
      const isAudio = AUDIO_EXTENSIONS.includes(ext);
      if (base.startsWith('._')) {
        if (isAudio)
          skipped.push({ path: file, reason: 'macOS resource-fork file (AppleDouble), not audio', kind: 'not-audio', corpus: null });
        else ignored.files++;
        return;
      }
      const r = isAudio ? parseClipPath(file) : (parseRavdess(file) ?? parseClipPath(file));
      if (!r) {
        if (isAudio) skipped.push({ path: file, reason: 'unknown file name: matches no corpus naming', kind: 'unknown', corpus: null });
        else {
          ignored.files++;
          const k = ext || '(none)';
          ignored.byExtension[k] = (ignored.byExtension[k] ?? 0) + 1;
        }
        return;
      }
      if (r.kind === 'skip') {
        skipped.push({ path: file, reason: r.reason, kind: 'not-used', corpus: r.corpus });
        return;
      }
      if (!isAudio) {
        const corpus = r.kind === 'clip' ? r.clip.corpus : r.corpus;
        skipped.push({
          path: file,
          reason: `${corpus} file that is not audio (${ext || 'no extension'}): only audio files (${AUDIO_EXTENSIONS.join(' ')}) are clips`,
          kind: 'not-used',
          corpus,
        });
        return;
      }
      if (r.kind === 'error') {
        skipped.push({ path: file, reason: r.reason, kind: 'invalid', corpus: r.corpus });
        return;
      }
      const prev = byId.get(r.clip.clipId);
      if (prev) {
        // the same clip twice (a nested copy, or CREMA-D's AudioMP3 next to AudioWAV): the first
        // in walk order counts, unless the new one is in a less lossy format
        if (formatRank(file) < formatRank(prev.path)) {
          byId.set(r.clip.clipId, r.clip);
          skipped.push({
            path: prev.path,
            reason: `duplicate of ${path.relative(abs, file)} (in a lossier format)`,
            kind: 'duplicate',
            corpus: r.clip.corpus,
          });
        } else {
          skipped.push({ path: file, reason: `duplicate of ${path.relative(abs, prev.path)}`, kind: 'duplicate', corpus: r.clip.corpus });
        }
        return;
      }
      byId.set(r.clip.clipId, r.clip);
    },
    (dir) => ignored.dirs.push(dir),
  );

  const clips = [...byId.values()].sort((a, b) => byString(a.clipId, b.clipId));
  return { root: abs, synthetic, clips, skipped, ignored, ...countClips(clips) };
}

/** Counts, totals, speakers and present corpora of a list of clips. */
export function countClips(clips: Clip[]): Pick<ScanResult, 'counts' | 'totals' | 'total' | 'speakers' | 'present'> {
  const counts = emptyCounts();
  const spk = Object.fromEntries(CORPORA.map((c) => [c, new Set<string>()])) as Record<CorpusName, Set<string>>;
  for (const c of clips) {
    counts[c.corpus][c.emotion]++;
    spk[c.corpus].add(c.speaker);
  }
  const totals = Object.fromEntries(CORPORA.map((c) => [c, EMOTIONS.reduce((s, e) => s + counts[c][e], 0)])) as Record<CorpusName, number>;
  const speakers = Object.fromEntries(CORPORA.map((c) => [c, [...spk[c]].sort(byString)])) as Record<CorpusName, string[]>;
  return {
    counts,
    totals,
    total: clips.length,
    speakers,
    present: CORPORA.filter((c) => totals[c] > 0),
  };
}

export type TableIRow = { Emotion: string } & Record<CorpusName | 'Total', number>;

/** Table I rows: one per emotion (paper order, paper capitalization) and a Total row. */
export function tableI(scan: Pick<ScanResult, 'counts'>): TableIRow[] {
  const rows: TableIRow[] = [];
  const total: any = { Emotion: 'Total' };
  for (const c of CORPORA) total[c] = 0;
  total.Total = 0;
  for (const e of EMOTIONS) {
    const r: any = { Emotion: emotionTitle(e) };
    let t = 0;
    for (const c of CORPORA) {
      r[c] = scan.counts[c][e];
      t += r[c];
      total[c] += r[c];
    }
    r.Total = t;
    total.Total += t;
    rows.push(r);
  }
  rows.push(total);
  return rows;
}

/** The paper's Table I as rows (same shape as `tableI`). */
export function paperTableI(): TableIRow[] {
  const counts = Object.fromEntries(CORPORA.map((c) => [c, Object.fromEntries(EMOTIONS.map((e) => [e, PAPER_TABLE_I[e][c]]))])) as any;
  return tableI({ counts });
}

/** Cells where a scan differs from the paper's Table I (corpora absent from the scan are left out). */
export function compareWithPaper(
  scan: Pick<ScanResult, 'counts' | 'present'>,
): { emotion: Emotion; corpus: CorpusName; found: number; paper: number }[] {
  const out: { emotion: Emotion; corpus: CorpusName; found: number; paper: number }[] = [];
  for (const c of scan.present) {
    for (const e of EMOTIONS) {
      const found = scan.counts[c][e];
      const paper = PAPER_TABLE_I[e][c];
      if (found !== paper) out.push({ emotion: e, corpus: c, found, paper });
    }
  }
  return out;
}

/** Groups skipped files by reason kind and corpus: `{ 'RAVDESS not-used': 1012, ... }`. */
export function skippedSummary(skipped: SkippedFile[]): { corpus: CorpusName | null; kind: SkipKind; reason: string; count: number }[] {
  const m = new Map<string, { corpus: CorpusName | null; kind: SkipKind; reason: string; count: number }>();
  for (const s of skipped) {
    // group duplicates and per-field errors under one line each
    const reason = s.kind === 'duplicate' ? 'duplicate copy of a clip found elsewhere under the root' : s.reason;
    const k = `${s.corpus}|${s.kind}|${reason}`;
    const g = m.get(k);
    if (g) g.count++;
    else m.set(k, { corpus: s.corpus, kind: s.kind, reason, count: 1 });
  }
  return [...m.values()];
}
