/**
 * The three evaluation protocols of docs/architecture.md ("Protocols"), as fold sets over a
 * Dataset's rows:
 *
 * - `paper`: what the paper did. Stratified k-fold over ALL rows, the augmented copies
 *   included, so copies of one clip can sit in train and test at once.
 * - `clip`: stratified k-fold over the ORIGINAL clips. A fold trains on the original rows of its
 *   training clips plus every augmented copy of those clips; it tests on the original rows of
 *   its test clips only (no copy of a test clip is ever trained on or tested).
 * - `speaker`: stratified GROUP k-fold over the original clips, grouped by speaker (no speaker
 *   in both train and test), with the same augmentation rule as `clip`.
 *
 * Without augmented rows (the paper's Table III setting) `paper` and `clip` give the same folds.
 * All three shuffle with the seed (numpy RandomState semantics, eval/random.ts).
 */
import type { Dataset } from './dataset';
import { type Fold, StratifiedGroupKFold, StratifiedKFold } from './split';

export type Protocol = 'paper' | 'clip' | 'speaker';
export const PROTOCOLS: Protocol[] = ['paper', 'clip', 'speaker'];

export interface ProtocolOptions {
  k?: number;
  seed?: number;
}

export interface ProtocolFolds {
  protocol: Protocol;
  k: number;
  seed: number;
  /** row indices into the dataset, ascending */
  folds: Fold[];
  /** notices (e.g. a class with fewer clips than folds) */
  warnings: string[];
}

function originalIndex(d: Dataset): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < d.kind.length; i++) if (d.kind[i] === 'orig') out.push(i);
  return Int32Array.from(out);
}

/** Folds over the original rows `orig` (positions into it) -> dataset rows with the copies rule. */
function expandWithCopies(d: Dataset, orig: Int32Array, folds: Fold[]): Fold[] {
  const rowsOfClip = new Map<string, number[]>();
  for (let i = 0; i < d.kind.length; i++) {
    const c = d.groups.clip[i];
    let a = rowsOfClip.get(c);
    if (!a) rowsOfClip.set(c, (a = []));
    a.push(i);
  }
  return folds.map((f) => {
    const train: number[] = [];
    for (const p of f.train) for (const r of rowsOfClip.get(d.groups.clip[orig[p]]) ?? []) train.push(r);
    train.sort((a, b) => a - b);
    return { train: Int32Array.from(train), test: Int32Array.from(f.test, (p) => orig[p]) };
  });
}

/** The fold set of a protocol. */
export function protocolFolds(d: Dataset, protocol: Protocol, opts: ProtocolOptions = {}): ProtocolFolds {
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  if (protocol === 'paper') {
    const skf = new StratifiedKFold({ k, shuffle: true, seed });
    const folds = skf.split(d.y);
    return { protocol, k, seed, folds, warnings: skf.warnings };
  }
  const orig = originalIndex(d);
  if (!orig.length) throw new Error(`protocol '${protocol}': the dataset has no original ('orig') rows`);
  const yOrig = Int32Array.from(orig, (r) => d.y[r]);
  if (protocol === 'clip') {
    const skf = new StratifiedKFold({ k, shuffle: true, seed });
    return { protocol, k, seed, folds: expandWithCopies(d, orig, skf.split(yOrig)), warnings: skf.warnings };
  }
  if (protocol === 'speaker') {
    const sgkf = new StratifiedGroupKFold({ k, shuffle: true, seed });
    const speakers = Array.from(orig, (r) => d.groups.speaker[r]);
    return { protocol, k, seed, folds: expandWithCopies(d, orig, sgkf.split(yOrig, speakers)), warnings: sgkf.warnings };
  }
  throw new Error(`unknown protocol '${protocol}' (expected paper, clip or speaker)`);
}

export interface FoldCheck {
  protocol: Protocol;
  ok: boolean;
  /** what was violated, empty when ok */
  problems: string[];
  /** per fold: test rows whose source clip also has a row in train (the paper protocol's leak) */
  leakedTestRows: number[];
  /** per fold: speakers present in both train and test */
  sharedSpeakers: number[];
}

/**
 * Verifies a fold set against what its protocol promises: train and test disjoint in every fold,
 * the test sets partitioning the evaluated rows (all rows for `paper`, the original rows
 * otherwise); for `clip` and `speaker` no source clip on both sides and only original rows in
 * test; for `speaker` no speaker on both sides. Also counts the clip leakage of each fold.
 */
export function checkProtocolFolds(d: Dataset, pf: ProtocolFolds): FoldCheck {
  const problems: string[] = [];
  const n = d.kind.length;
  const seenTest = new Int32Array(n);
  const leakedTestRows: number[] = [];
  const sharedSpeakers: number[] = [];
  pf.folds.forEach((f, fi) => {
    const inTrain = new Uint8Array(n);
    for (const r of f.train) inTrain[r] = 1;
    for (const r of f.test) {
      if (inTrain[r]) {
        problems.push(`fold ${fi}: row ${r} is in train and test`);
        break;
      }
    }
    for (const r of f.test) seenTest[r]++;
    const trainClips = new Set<string>();
    const trainSpeakers = new Set<string>();
    for (const r of f.train) {
      trainClips.add(d.groups.clip[r]);
      trainSpeakers.add(d.groups.speaker[r]);
    }
    let leaked = 0;
    const testSpeakers = new Set<string>();
    for (const r of f.test) {
      if (trainClips.has(d.groups.clip[r])) leaked++;
      testSpeakers.add(d.groups.speaker[r]);
    }
    leakedTestRows.push(leaked);
    let shared = 0;
    for (const s of testSpeakers) if (trainSpeakers.has(s)) shared++;
    sharedSpeakers.push(shared);
    if (pf.protocol !== 'paper') {
      if (leaked) problems.push(`fold ${fi}: ${leaked} test row(s) have a clip (or a copy of it) in train`);
      const nonOrig = Array.from(f.test).filter((r) => d.kind[r] !== 'orig').length;
      if (nonOrig) problems.push(`fold ${fi}: ${nonOrig} augmented row(s) in test`);
    }
    if (pf.protocol === 'speaker' && shared) problems.push(`fold ${fi}: ${shared} speaker(s) in both train and test`);
  });
  for (let r = 0; r < n; r++) {
    const expected = pf.protocol === 'paper' || d.kind[r] === 'orig' ? 1 : 0;
    if (seenTest[r] !== expected) {
      problems.push(`row ${r} is in ${seenTest[r]} test fold(s), expected ${expected}`);
      break;
    }
  }
  return { protocol: pf.protocol, ok: problems.length === 0, problems, leakedTestRows, sharedSpeakers };
}
