/**
 * The manifests of the official corpus files (data/manifests/*.tsv, copied from the steering
 * repo's shared/corpora/manifests): one row per file of the paper's data, with its official
 * relative path (or name), sha256 and, for CREMA-D and TESS, its size in bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from '../core/fs';
import { CORPORA, type CorpusName } from '../core/types';
import { PARSERS } from './parse';

export interface ManifestEntry {
  corpus: CorpusName;
  /** path as listed (official layout), e.g. 'Actor_01/03-01-01-01-01-01-01.wav' */
  path: string;
  /** the clip id the scanner gives this file */
  clipId: string;
  sha256: string;
  /** bytes, when the manifest lists sizes (CREMA-D, TESS) */
  size: number | null;
}

export const MANIFEST_FILES: Record<CorpusName, string> = {
  'CREMA-D': 'cremad.tsv',
  RAVDESS: 'ravdess.tsv',
  SAVEE: 'savee.tsv',
  TESS: 'tess.tsv',
};

/** <project>/data/manifests */
export function defaultManifestsDir(): string {
  const candidates = [path.join(findProjectRoot(), 'data', 'manifests'), path.resolve(__dirname, '..', '..', '..', 'data', 'manifests')];
  return candidates.find((d) => fs.existsSync(path.join(d, MANIFEST_FILES.RAVDESS))) ?? candidates[0];
}

/** Reads one corpus' manifest; every row must parse to a clip of that corpus. */
export function readManifest(corpus: CorpusName, dir: string = defaultManifestsDir()): ManifestEntry[] {
  const file = path.join(dir, MANIFEST_FILES[corpus]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: manifest not found`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0].split('\t').map((h) => h.trim().toLowerCase());
  const iPath = head.findIndex((h) => h === 'path' || h === 'file');
  const iSha = head.indexOf('sha256');
  const iSize = head.indexOf('size');
  if (iPath < 0 || iSha < 0) throw new Error(`${file}: header must name path (or file) and sha256 columns`);
  const parse = PARSERS[corpus];
  return lines.slice(1).map((line, k) => {
    const f = line.split('\t');
    const p = f[iPath];
    const r = parse(p);
    if (r?.kind !== 'clip') throw new Error(`${file}:${k + 2}: '${p}' is not a ${corpus} clip name${r ? ` (${r.reason})` : ''}`);
    const sha = (f[iSha] ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`${file}:${k + 2}: bad sha256`);
    const size = iSize >= 0 && f[iSize] !== undefined && f[iSize] !== '' ? Number(f[iSize]) : null;
    return { corpus, path: p, clipId: r.clip.clipId, sha256: sha, size };
  });
}

export function readManifests(dir: string = defaultManifestsDir()): Record<CorpusName, ManifestEntry[]> {
  return Object.fromEntries(CORPORA.map((c) => [c, readManifest(c, dir)])) as Record<CorpusName, ManifestEntry[]>;
}
