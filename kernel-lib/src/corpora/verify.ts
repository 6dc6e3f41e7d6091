/**
 * `ser corpus verify`: every clip found under a root checked against the official manifests.
 * Per corpus: ok / missing / mismatch (size or sha256) / unexpected, with the offenders listed.
 * Sizes are compared first (no hashing needed for a truncated CREMA-D or TESS file); every other
 * file is hashed in parallel worker threads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashFiles } from './hash';
import { defaultManifestsDir, type ManifestEntry, readManifests } from './manifest';
import { scanCorpora, type ScanResult, type SkippedFile } from './scan';
import { CORPORA, type CorpusName } from '../core/types';

export interface Mismatch {
  /** path relative to the root */
  path: string;
  reason: string;
}

export interface CorpusVerification {
  corpus: CorpusName;
  /** some file of this corpus was found under the root */
  present: boolean;
  expected: number;
  ok: number;
  /** manifest paths (official layout) with no file under the root */
  missing: string[];
  /** files whose size or sha256 differs from the manifest */
  mismatch: Mismatch[];
  /** files of this corpus (by name or by folder) that are not in the manifest */
  unexpected: Mismatch[];
  /** further copies of a clip already checked (e.g. Kaggle's nested duplicate folders): not hashed */
  duplicates: number;
  /** official files the paper did not use (RAVDESS song/video, other formats): not checked */
  notUsed: number;
}

export interface VerifyResult {
  root: string;
  manifestsDir: string;
  synthetic: boolean;
  corpora: Record<CorpusName, CorpusVerification>;
  /** WAV files under the root that belong to no corpus */
  unattributed: Mismatch[];
  /** every present corpus complete and intact, nothing unexpected */
  ok: boolean;
  seconds: number;
}

export interface VerifyOptions {
  manifestsDir?: string;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /** a scan already made of the same root */
  scan?: ScanResult;
}

/** Assigns a skipped file to a corpus: by its naming, else by the nearest folder holding clips of one corpus. */
function attribute(s: SkippedFile, dirCorpora: Map<string, Set<CorpusName>>, root: string): CorpusName | null {
  if (s.corpus) return s.corpus;
  let dir = path.dirname(s.path);
  for (;;) {
    const set = dirCorpora.get(dir);
    if (set) return set.size === 1 ? [...set][0] : null;
    if (dir === root || dir.length <= root.length) return null;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export async function verifyCorpora(root: string, opts: VerifyOptions | string = {}): Promise<VerifyResult> {
  const o: VerifyOptions = typeof opts === 'string' ? { manifestsDir: opts } : opts;
  const t0 = Date.now();
  const manifestsDir = o.manifestsDir ?? defaultManifestsDir();
  const manifests = readManifests(manifestsDir);
  const scan = o.scan ?? scanCorpora(root);
  const abs = scan.root;
  const rel = (p: string) => path.relative(abs, p);

  const dirCorpora = new Map<string, Set<CorpusName>>();
  for (const c of scan.clips) {
    let d = path.dirname(c.path);
    for (;;) {
      let s = dirCorpora.get(d);
      if (!s) dirCorpora.set(d, (s = new Set()));
      s.add(c.corpus);
      if (d === abs || d.length <= abs.length) break;
      d = path.dirname(d);
    }
  }

  const res = Object.fromEntries(
    CORPORA.map((c) => [
      c,
      {
        corpus: c,
        present: false,
        expected: manifests[c].length,
        ok: 0,
        missing: [],
        mismatch: [],
        unexpected: [],
        duplicates: 0,
        notUsed: 0,
      },
    ]),
  ) as unknown as Record<CorpusName, CorpusVerification>;
  const unattributed: Mismatch[] = [];

  const byId = new Map<string, ManifestEntry>();
  for (const c of CORPORA) for (const m of manifests[c]) byId.set(m.clipId, m);
  const found = new Set<string>();
  const toHash: { entry: ManifestEntry; file: string }[] = [];
  for (const clip of scan.clips) {
    const r = res[clip.corpus];
    r.present = true;
    const m = byId.get(clip.clipId);
    if (!m) {
      r.unexpected.push({ path: rel(clip.path), reason: 'not in the manifest' });
      continue;
    }
    found.add(clip.clipId);
    if (m.size !== null) {
      let size = -1;
      try {
        size = fs.statSync(clip.path).size;
      } catch {
        /* vanished */
      }
      if (size !== m.size) {
        r.mismatch.push({ path: rel(clip.path), reason: size < 0 ? 'unreadable' : `size ${size} bytes, expected ${m.size}` });
        continue;
      }
    }
    toHash.push({ entry: m, file: clip.path });
  }
  for (const s of scan.skipped) {
    const c = attribute(s, dirCorpora, abs);
    if (c) res[c].present = true;
    if (s.kind === 'duplicate') {
      if (c) res[c].duplicates++;
      continue;
    }
    if (s.kind === 'not-used') {
      if (c) res[c].notUsed++;
      continue;
    }
    const item = { path: rel(s.path), reason: s.reason };
    if (c) res[c].unexpected.push(item);
    else unattributed.push(item);
  }

  const hashes = await hashFiles(
    toHash.map((t) => t.file),
    { workers: o.workers, onProgress: o.onProgress },
  );
  hashes.forEach((h, i) => {
    const { entry, file } = toHash[i];
    const r = res[entry.corpus];
    if (h.sha256 === null) r.mismatch.push({ path: rel(file), reason: `unreadable (${h.error})` });
    else if (h.sha256 !== entry.sha256) {
      r.mismatch.push({ path: rel(file), reason: `sha256 differs${entry.size === null ? ` (size ${h.size} bytes)` : ''}` });
    } else r.ok++;
  });

  for (const c of CORPORA) {
    const r = res[c];
    r.missing = manifests[c].filter((m) => !found.has(m.clipId)).map((m) => m.path);
    r.mismatch.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    r.unexpected.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  const ok =
    CORPORA.some((c) => res[c].present) &&
    CORPORA.every(
      (c) => !res[c].present || (res[c].missing.length === 0 && res[c].mismatch.length === 0 && res[c].unexpected.length === 0),
    ) &&
    unattributed.length === 0;
  return { root: abs, manifestsDir, synthetic: scan.synthetic, corpora: res, unattributed, ok, seconds: (Date.now() - t0) / 1000 };
}
