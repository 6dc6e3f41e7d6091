/**
 * Cross-validation splitters with scikit-learn's semantics (1.2). Each yields, per fold, the
 * train and test row indices (ascending Int32Arrays), like `split(X, y, groups)`.
 *
 * Randomness: with `shuffle` and an integer `seed`, the draws follow numpy's legacy
 * `RandomState(seed)` (eval/random.ts), so StratifiedKFold's folds are the same as
 * scikit-learn's `StratifiedKFold(k, shuffle=True, random_state=seed)` on the same labels
 * (tested against scikit-learn's output in test/svm). StratifiedGroupKFold follows
 * scikit-learn 1.2's greedy algorithm, except that with `shuffle` it shuffles the groups
 * themselves: scikit-learn 1.2 shuffles the rows of its per-group class-count table without
 * the group ids, so a group's counts end up attached to another group (its folds stay
 * group-disjoint but lose the stratification). Without shuffle both give the same folds.
 */
import { MT19937, checkSeed, mulberry32, shuffled } from '../core/random';
import { pairwiseSum } from '../dsp/matrix';

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

export interface KFoldOptions {
  /** number of folds (default 5) */
  k?: number;
  shuffle?: boolean;
  /** integer seed (numpy RandomState semantics); used only with shuffle (default 0) */
  seed?: number;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`${what}: k must be an integer >= 2, got ${k}`);
  if (k > n) throw new Error(`${what}: cannot have k=${k} greater than the number of samples n=${n}`);
}

/** Turns a fold id per row into train/test index arrays. */
export function foldsFromAssignment(testFold: Int32Array, k: number): Fold[] {
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < testFold.length; i++) (testFold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/** np.unique(y, return_inverse) for numbers or strings: sorted classes and the code of each row. */
export function uniqueInverse<T extends number | string>(y: ArrayLike<T>): { values: T[]; inverse: Int32Array; counts: Int32Array } {
  const arr = Array.from(y);
  const values = [...new Set(arr)];
  if (values.every((v) => typeof v === 'number')) (values as number[]).sort((a, b) => a - b);
  else values.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const pos = new Map<T, number>(values.map((v, i) => [v, i]));
  const inverse = Int32Array.from(arr, (v) => pos.get(v) as number);
  const counts = new Int32Array(values.length);
  for (const c of inverse) counts[c]++;
  return { values, inverse, counts };
}

/** The hyperparameters every splitter here takes (scikit-learn's n_splits, shuffle, random_state). */
abstract class Splitter {
  readonly k: number;
  readonly shuffle: boolean;
  readonly seed: number;
  /** warnings from the last split (e.g. a class smaller than k) */
  warnings: string[] = [];
  constructor(
    opts: KFoldOptions,
    private readonly name: string,
  ) {
    this.k = opts.k ?? 5;
    this.shuffle = !!opts.shuffle;
    this.seed = checkSeed(opts.seed, `${name} seed`);
  }

  /** scikit-learn's class-size checks of the stratified splitters: error if k exceeds every class, warning if it exceeds the smallest. */
  protected checkClassCounts(counts: ArrayLike<number>): void {
    const k = this.k;
    this.warnings = [];
    if (Array.from(counts).every((c) => k > c))
      throw new Error(`${this.name}: k=${k} cannot be greater than the number of members in each class`);
    const minCount = Math.min(...Array.from(counts));
    if (k > minCount) this.warnings.push(`The least populated class in y has only ${minCount} members, which is less than k=${k}.`);
  }
}

/** KFold: consecutive blocks (after an optional shuffle), the first n % k folds one larger. */
export class KFold extends Splitter {
  constructor(opts: KFoldOptions = {}) {
    super(opts, 'KFold');
  }
  split(n: number): Fold[] {
    checkK(this.k, n, 'KFold');
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) new MT19937(this.seed).shuffle(idx);
    const testFold = new Int32Array(n);
    let cur = 0;
    for (let f = 0; f < this.k; f++) {
      const size = Math.floor(n / this.k) + (f < n % this.k ? 1 : 0);
      for (let t = cur; t < cur + size; t++) testFold[idx[t]] = f;
      cur += size;
    }
    return foldsFromAssignment(testFold, this.k);
  }
}

/**
 * StratifiedKFold (scikit-learn's `_make_test_folds`): classes numbered by first appearance,
 * the sorted label list dealt round-robin into k folds to fix how many rows of each class
 * every fold gets (`np.bincount(y_order[i::k])`), then each class's fold ids, in order or
 * shuffled with the seeded generator, assigned to its rows in order.
 */
export class StratifiedKFold extends Splitter {
  constructor(opts: KFoldOptions = {}) {
    super(opts, 'StratifiedKFold');
  }

  /** Fold id per row. */
  testFolds(y: ArrayLike<number | string>): Int32Array {
    const n = y.length;
    checkK(this.k, n, 'StratifiedKFold');
    const k = this.k;
    const { inverse: yInv, values } = uniqueInverse(y);
    // classes in order of first appearance (np.unique(y_idx, return_inverse))
    const firstSeen = new Int32Array(values.length).fill(-1);
    for (let i = 0; i < n; i++) if (firstSeen[yInv[i]] < 0) firstSeen[yInv[i]] = i;
    const order = Array.from(firstSeen.keys()).sort((a, b) => firstSeen[a] - firstSeen[b]);
    const classPerm = new Int32Array(values.length);
    order.forEach((c, rank) => (classPerm[c] = rank));
    const yEnc = Int32Array.from(yInv, (c) => classPerm[c]);
    const nClasses = values.length;
    const yCounts = new Int32Array(nClasses);
    for (const c of yEnc) yCounts[c]++;
    this.checkClassCounts(yCounts);
    const yOrder = Int32Array.from(yEnc).sort();
    // allocation[f][c] = bincount(y_order[f::k])
    const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
    for (let t = 0; t < n; t++) allocation[t % k][yOrder[t]]++;
    const rng = this.shuffle ? new MT19937(this.seed) : null;
    const testFold = new Int32Array(n);
    for (let c = 0; c < nClasses; c++) {
      const foldsForClass: number[] = [];
      for (let f = 0; f < k; f++) for (let q = 0; q < allocation[f][c]; q++) foldsForClass.push(f);
      if (rng) rng.shuffle(foldsForClass);
      let q = 0;
      for (let i = 0; i < n; i++) if (yEnc[i] === c) testFold[i] = foldsForClass[q++];
    }
    return testFold;
  }

  split(y: ArrayLike<number | string>): Fold[] {
    return foldsFromAssignment(this.testFolds(y), this.k);
  }
}

/** np.std (ddof = 0) of a contiguous run (pairwise sums). */
function std0(a: ArrayLike<number>): number {
  const n = a.length;
  const m = pairwiseSum(a) / n;
  const sq = Float64Array.from({ length: n }, (_, i) => (a[i] - m) * (a[i] - m));
  return Math.sqrt(pairwiseSum(sq) / n);
}

/** np.std(axis=0) of one column: numpy reduces along the outer axis row by row (in order). */
function std0Sequential(a: ArrayLike<number>): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (a[i] - m) * (a[i] - m);
  return Math.sqrt(v / n);
}

/** np.isclose(a, b) with its default tolerances. */
function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * StratifiedGroupKFold (scikit-learn 1.2's greedy algorithm): groups sorted by the spread of
 * their class counts (largest first, stable), each put in the fold where the mean over classes
 * of the std of the per-fold class fractions is lowest (ties: the fold with fewer rows). A group
 * is never split across folds.
 */
export class StratifiedGroupKFold extends Splitter {
  constructor(opts: KFoldOptions = {}) {
    super(opts, 'StratifiedGroupKFold');
  }

  testFolds(y: ArrayLike<number | string>, groups: ArrayLike<number | string>): Int32Array {
    const n = y.length;
    if (groups.length !== n) throw new Error(`StratifiedGroupKFold: groups has ${groups.length} entries, y has ${n}`);
    const k = this.k;
    checkK(k, n, 'StratifiedGroupKFold');
    const { inverse: yInv, counts: yCnt } = uniqueInverse(y);
    this.checkClassCounts(yCnt);
    const nClasses = yCnt.length;
    const { inverse: gInv, values: gVals } = uniqueInverse(groups);
    const nGroups = gVals.length;
    if (nGroups < k) throw new Error(`StratifiedGroupKFold: cannot have k=${k} greater than the number of groups (${nGroups})`);
    const countsPerGroup = Array.from({ length: nGroups }, () => new Float64Array(nClasses));
    for (let i = 0; i < n; i++) countsPerGroup[gInv[i]][yInv[i]] += 1;
    // group order: shuffled (the groups, with their counts) then stable-sorted by -std
    const order = Int32Array.from({ length: nGroups }, (_, g) => g);
    if (this.shuffle) new MT19937(this.seed).shuffle(order);
    const stds = Float64Array.from(order, (g) => -std0(countsPerGroup[g]));
    const sortedPos = Array.from(order.keys()).sort((a, b) => stds[a] - stds[b] || a - b);
    const countsPerFold = Array.from({ length: k }, () => new Float64Array(nClasses));
    const groupFold = new Int32Array(nGroups).fill(-1);
    const frac = new Float64Array(k);
    const stdPerClass = new Float64Array(nClasses);
    for (const pos of sortedPos) {
      const g = order[pos];
      const gc = countsPerGroup[g];
      let best = -1;
      let minEval = Infinity;
      let minSamples = Infinity;
      for (let f = 0; f < k; f++) {
        for (let c = 0; c < nClasses; c++) countsPerFold[f][c] += gc[c];
        for (let c = 0; c < nClasses; c++) {
          for (let h = 0; h < k; h++) frac[h] = countsPerFold[h][c] / yCnt[c];
          stdPerClass[c] = std0Sequential(frac);
        }
        for (let c = 0; c < nClasses; c++) countsPerFold[f][c] -= gc[c];
        const foldEval = pairwiseSum(stdPerClass) / nClasses;
        const samples = pairwiseSum(countsPerFold[f]);
        if (foldEval < minEval || (isClose(foldEval, minEval) && samples < minSamples)) {
          minEval = foldEval;
          minSamples = samples;
          best = f;
        }
      }
      for (let c = 0; c < nClasses; c++) countsPerFold[best][c] += gc[c];
      groupFold[g] = best;
    }
    return Int32Array.from(gInv, (g) => groupFold[g]);
  }

  split(y: ArrayLike<number | string>, groups: ArrayLike<number | string>): Fold[] {
    return foldsFromAssignment(this.testFolds(y, groups), this.k);
  }
}

/** Stratified hold-out of a fraction of `idx` (seeded): {train, val}. */
export function stratifiedHoldout(
  idx: ArrayLike<number>,
  labels: Int32Array,
  fraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  const byClass = new Map<number, number[]>();
  for (const i of Array.from(idx)) {
    const l = labels[i];
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  const r = mulberry32(seed);
  for (const k of [...byClass.keys()].sort((a, b) => a - b)) {
    const xs = shuffled(byClass.get(k)!, r);
    const nVal = Math.round(xs.length * fraction);
    val.push(...xs.slice(0, nVal));
    train.push(...xs.slice(nVal));
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}
