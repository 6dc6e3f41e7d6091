/**
 * Looking at the errors of a cross-validation (what a teacher shows in class and a researcher
 * looks at first): the out-of-fold prediction of every tested row, the class pairs the model
 * confuses most, a few misclassified clips of a pair (with the model's probabilities when the run
 * kept them), and accuracy broken down per corpus and per speaker (CREMA-D and TESS behave very
 * differently).
 */
import type { CVResult } from './crossval';
import type { Dataset } from './dataset';

/** One tested row: its fold, true and predicted class, and probabilities when kept. */
export interface OutOfFold {
  row: number;
  fold: number;
  yTrue: number;
  yPred: number;
  /** class probabilities (rows x labels order), when the run kept them */
  proba?: number[];
}

/** Every tested row of a run, in row order (a row tested in several folds appears once per fold). */
export function outOfFold(cv: CVResult, d: Dataset): OutOfFold[] {
  const out: OutOfFold[] = [];
  for (const f of cv.folds) {
    f.testIndex.forEach((row, i) =>
      out.push({ row, fold: f.fold, yTrue: d.y[row], yPred: f.yPred[i], ...(f.proba ? { proba: f.proba[i] } : {}) }),
    );
  }
  return out.sort((a, b) => a.row - b.row || a.fold - b.fold);
}

export interface ConfusedPair {
  /** class indices, a < b */
  a: number;
  b: number;
  /** test rows of class a predicted as b, and of b predicted as a (summed over folds) */
  aAsB: number;
  bAsA: number;
  total: number;
}

/** The `top` unordered class pairs with the most confusions either way (ties: the lower pair first). */
export function confusedPairs(cv: CVResult, top = 2): ConfusedPair[] {
  const cm = cv.confusion;
  const pairs: ConfusedPair[] = [];
  for (let a = 0; a < cm.length; a++) {
    for (let b = a + 1; b < cm.length; b++) pairs.push({ a, b, aAsB: cm[a][b], bAsA: cm[b][a], total: cm[a][b] + cm[b][a] });
  }
  return pairs.sort((x, y) => y.total - x.total || x.a - y.a || x.b - y.b).slice(0, top);
}

/**
 * Up to `n` misclassified rows of a pair in each direction (true a predicted b, then true b
 * predicted a), original clips only (the augmented copies have no file to play), the most
 * confident errors first when probabilities were kept, else in row order.
 */
export function pairErrors(cv: CVResult, d: Dataset, pair: Pick<ConfusedPair, 'a' | 'b'>, n = 3): OutOfFold[] {
  const oof = outOfFold(cv, d).filter((o) => d.kind[o.row] === 'orig');
  const pick = (t: number, p: number) =>
    oof
      .filter((o) => o.yTrue === t && o.yPred === p)
      .sort((x, y) => (y.proba?.[p] ?? 0) - (x.proba?.[p] ?? 0) || x.row - y.row)
      .slice(0, n);
  return [...pick(pair.a, pair.b), ...pick(pair.b, pair.a)];
}

export interface GroupAccuracy {
  group: string;
  /** the corpus of the group's rows (for speakers) */
  corpus: string;
  rows: number;
  correct: number;
  accuracy: number;
}

/**
 * Accuracy of the tested rows grouped by corpus or by speaker (all folds pooled: each tested row
 * counts once per time it was tested), groups in corpus then name order.
 */
export function accuracyBy(cv: CVResult, d: Dataset, by: 'corpus' | 'speaker'): GroupAccuracy[] {
  const groups = new Map<string, GroupAccuracy>();
  for (const o of outOfFold(cv, d)) {
    const corpus = d.corpus?.[o.row] ?? '';
    const key = by === 'corpus' ? corpus : d.groups.speaker[o.row];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { group: key, corpus, rows: 0, correct: 0, accuracy: 0 }));
    g.rows++;
    if (o.yPred === o.yTrue) g.correct++;
  }
  const out = [...groups.values()].map((g) => ({ ...g, accuracy: g.correct / g.rows }));
  return out.sort((x, y) => x.corpus.localeCompare(y.corpus) || x.group.localeCompare(y.group, 'en', { numeric: true }));
}
