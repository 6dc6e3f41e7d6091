// Error analysis (issue #15 item 3) over the one cross-validation path: out-of-fold predictions,
// the most confused pairs, misclassified clips with probabilities, accuracy per corpus and speaker.
import assert from 'node:assert';
import { evaluation as ev, models } from 'kernel-lib/internal';
const { svmEstimator } = models;

/** 3 classes x 2 corpora x 3 speakers per corpus; class 1 and 2 overlap (they get confused). */
function dataset() {
  const rows = [];
  const y = [];
  const clip = [];
  const speaker = [];
  const corpus = [];
  let h = 7;
  const rnd = () => (h = (Math.imul(h, 1103515245) + 12345) >>> 0) / 4294967296;
  for (const c of ['A', 'B']) {
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 20; i++) {
        const label = i % 3;
        const centre = [0, 2, 2.6][label];
        rows.push([centre + rnd() * (c === 'A' ? 0.8 : 2.5), rnd()]);
        y.push(label);
        clip.push(`${c}${s}:${i}`);
        speaker.push(`${c}${s}`);
        corpus.push(c);
      }
    }
  }
  const data = new Float32Array(rows.length * 2);
  rows.forEach((r, i) => data.set(r, i * 2));
  return {
    X: { rows: rows.length, cols: 2, data },
    y: Int32Array.from(y),
    labels: ['a', 'b', 'c'],
    groups: { clip, speaker },
    kind: y.map(() => 'orig'),
    corpus,
  };
}

describe('eval: error analysis of a cross-validation', function () {
  this.timeout(60000);
  const d = dataset();
  let cv: Awaited<ReturnType<typeof ev.crossValidate>>;
  before(async () => {
    cv = await ev.crossValidate(svmEstimator({ C: 1, probability: true }, { workers: 0 }), d, { k: 3, seed: 0, probabilities: true });
  });

  it('keeps every test row with its prediction and probabilities (rows sum to 1)', () => {
    const oof = ev.outOfFold(cv, d);
    assert.strictEqual(oof.length, d.y.length);
    assert.deepStrictEqual(
      oof.map((o) => o.row),
      Array.from({ length: d.y.length }, (_, i) => i),
    );
    for (const o of oof) {
      // the estimator keeps probabilities: every out-of-fold row has them
      assert.strictEqual(o.proba!.length, 3);
      assert.ok(Math.abs(o.proba!.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
    const correct = oof.filter((o) => o.yPred === o.yTrue).length;
    const pooled = cv.folds.reduce((a, f) => a + f.report.accuracy * f.testRows, 0);
    assert.ok(Math.abs(correct - pooled) < 1e-9);
  });

  it('the same predictions with and without probability estimates', async () => {
    const plain = await ev.crossValidate(svmEstimator({ C: 1 }, { workers: 0 }), d, { k: 3, seed: 0 });
    assert.deepStrictEqual(
      plain.folds.map((f) => f.yPred),
      cv.folds.map((f) => f.yPred),
    );
    await assert.rejects(
      () => ev.crossValidate(svmEstimator({ C: 1 }, { workers: 0 }), d, { k: 3, seed: 0, probabilities: true }),
      /probability: true/,
    );
  });

  it('ranks the confused pairs from the summed confusion matrix; lists misclassified rows of a pair, most confident first', () => {
    const [top] = ev.confusedPairs(cv, 1);
    assert.deepStrictEqual([top.a, top.b], [1, 2], 'b and c overlap');
    assert.strictEqual(top.aAsB, cv.confusion[1][2]);
    assert.strictEqual(top.total, cv.confusion[1][2] + cv.confusion[2][1]);
    const errs = ev.pairErrors(cv, d, top, 2);
    assert.ok(errs.length >= 1 && errs.length <= 4);
    for (const e of errs) assert.ok((e.yTrue === 1 && e.yPred === 2) || (e.yTrue === 2 && e.yPred === 1));
    const bAsC = errs.filter((e) => e.yTrue === 1);
    for (let i = 1; i < bAsC.length; i++) assert.ok(bAsC[i - 1].proba![2] >= bAsC[i].proba![2]);
  });

  it('accuracy per corpus and per speaker adds up to the pooled accuracy', () => {
    const byCorpus = ev.accuracyBy(cv, d, 'corpus');
    assert.deepStrictEqual(
      byCorpus.map((g) => [g.group, g.rows]),
      [
        ['A', 60],
        ['B', 60],
      ],
    );
    assert.ok(byCorpus[0].accuracy > byCorpus[1].accuracy, 'the noisier corpus B is harder');
    const bySpeaker = ev.accuracyBy(cv, d, 'speaker');
    assert.strictEqual(bySpeaker.length, 6);
    assert.strictEqual(
      bySpeaker.reduce((a, g) => a + g.correct, 0),
      byCorpus.reduce((a, g) => a + g.correct, 0),
    );
  });
});
