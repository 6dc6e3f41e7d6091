// SVM parity with scikit-learn (issue #6 item 5). The expected answers come from
// test/fixtures/svm/sklearn-svc.json, written by scripts/tools/make-svm-fixture.py with
// Debian's python3-sklearn (1.2.1); no Python is needed here.
import assert from 'node:assert';
import * as path from 'node:path';
import type { FoldFitName, SvcFixture } from './sklearn-fixture';
import { models, evaluation } from 'kernel-lib/internal';
const { SVC, StandardScaler, makePipeline } = models;
const { StratifiedKFold, StratifiedGroupKFold, MT19937 } = evaluation;

const FIX: SvcFixture = require(path.resolve(__dirname, '..', 'fixtures', 'svm', 'sklearn-svc.json'));
const X = FIX.X;
const y = FIX.y;
const rowsOf = (idx: number[]): number[][] => idx.map((i) => X[i]);

function foldsOf(testFold: number[]): { train: number[]; test: number[] }[] {
  const k = Math.max(...testFold) + 1;
  return Array.from({ length: k }, (_, f) => ({
    train: testFold.map((t, i) => (t !== f ? i : -1)).filter((i) => i >= 0),
    test: testFold.map((t, i) => (t === f ? i : -1)).filter((i) => i >= 0),
  }));
}

describe('svm: parity with scikit-learn', function () {
  this.timeout(120000);

  it('reproduces numpy RandomState draws', () => {
    assert.deepStrictEqual(
      [0, 1, 42, 12345].map((s) => new MT19937(s).randint(2147483647)),
      FIX.rng.randint_2_31,
    );
    const a = Array.from({ length: 50 }, (_, i) => i);
    new MT19937(7).shuffle(a);
    assert.deepStrictEqual(a, FIX.rng.shuffle_50_seed7);
  });

  it('StratifiedKFold gives the same folds as scikit-learn (shuffled, seeds 0/1/42, and unshuffled)', () => {
    for (const seed of [0, 1, 42]) {
      const tf = new StratifiedKFold({ k: 5, shuffle: true, seed }).testFolds(y);
      assert.deepStrictEqual(Array.from(tf), FIX.stratified_kfold[String(seed)], `seed ${seed}`);
    }
    assert.deepStrictEqual(Array.from(new StratifiedKFold({ k: 5 }).testFolds(y)), FIX.stratified_kfold.noshuffle);
  });

  it('StratifiedGroupKFold gives the same folds as scikit-learn (no shuffle)', () => {
    const tf = new StratifiedGroupKFold({ k: 5 }).testFolds(y, FIX.groups);
    assert.deepStrictEqual(Array.from(tf), FIX.stratified_group_kfold);
  });

  for (const [name, params] of [
    ['rbf_C30', { kernel: 'rbf', C: 30 }],
    ['rbf_C100', { kernel: 'rbf', C: 100 }],
    ['poly_C30', { kernel: 'poly', C: 30 }],
  ] as [FoldFitName, { kernel: 'rbf' | 'poly'; C: number }][]) {
    it(`scaler + SVC (${name}) on the same folds: accuracy within 0.3 pp of scikit-learn, predictions equal`, async () => {
      const folds = foldsOf(FIX.stratified_kfold['0']);
      let agree = 0;
      let total = 0;
      let ours = 0;
      let theirs = 0;
      for (const f of FIX.folds) {
        const { train, test } = folds[f.fold];
        assert.deepStrictEqual(test, f.test);
        const pipe = makePipeline(new StandardScaler(), new SVC({ ...params, workers: 0 }));
        await pipe.fit(
          rowsOf(train),
          train.map((i) => y[i]),
        );
        const pred = await pipe.predict(rowsOf(test));
        const want = f[name].pred;
        pred.forEach((p, q) => {
          if (p === want[q]) agree++;
          if (p === y[test[q]]) ours++;
          if (want[q] === y[test[q]]) theirs++;
          total++;
        });
        assert.strictEqual(pipe.estimator.support.length, f[name].n_support, `fold ${f.fold} support vectors`);
      }
      const diffPp = (Math.abs(ours - theirs) / total) * 100;
      assert.ok(diffPp <= 0.3, `accuracy differs by ${diffPp.toFixed(2)} pp (${ours} vs ${theirs} of ${total})`);
      assert.strictEqual(agree, total, `${total - agree} of ${total} predictions differ from scikit-learn`);
    });
  }

  it('full fit matches support_, n_support_, dual_coef_, intercept_, n_iter_, decision_function', () => {
    const sc = new StandardScaler().fit(X);
    const Xs = sc.transform(X);
    const svc = new SVC({ kernel: 'rbf', C: 30, workers: 0 }).fitSync(Xs, y);
    const want = FIX.full_rbf_C30;
    assert.ok(Math.abs(svc.gammaValue - want.gamma) < 1e-12 * want.gamma, `gamma ${svc.gammaValue} vs ${want.gamma}`);
    assert.deepStrictEqual(svc.nSupport, want.n_support);
    assert.deepStrictEqual(Array.from(svc.support), want.support);
    assert.deepStrictEqual(svc.nIter, want.n_iter);
    const dc = svc.dualCoef;
    let maxCoef = 0;
    dc.forEach((row, r) => row.forEach((v, c) => (maxCoef = Math.max(maxCoef, Math.abs(v - want.dual_coef[r][c])))));
    assert.ok(maxCoef < 1e-6, `dual_coef differs by ${maxCoef}`);
    svc.intercept.forEach((b, p) => assert.ok(Math.abs(b - want.intercept[p]) < 1e-6, `intercept ${p}: ${b} vs ${want.intercept[p]}`));
    const dec = svc.decisionFunctionSync({ rows: 80, cols: Xs.cols, data: Xs.data.subarray(0, 80 * Xs.cols) });
    let maxDec = 0;
    dec.forEach((row, i) => row.forEach((v, p) => (maxDec = Math.max(maxDec, Math.abs(v - want.decision_ovo[i][p])))));
    assert.ok(maxDec < 1e-6, `decision values differ by ${maxDec}`);
    assert.deepStrictEqual(svc.predictSync(Xs), want.predict);
  });

  it('probability=True follows scikit-learn (same probA/probB, predict_proba within 1e-6)', () => {
    const Xs = new StandardScaler().fit(X).transform(X);
    const svc = new SVC({ kernel: 'rbf', C: 30, probability: true, randomState: 0, workers: 0 }).fitSync(Xs, y);
    const want = FIX.proba_rbf_C30;
    const m = svc.toJSON();
    m.probA!.forEach((a, p) =>
      assert.ok(Math.abs(a - want.probA[p]) < 1e-6 * Math.max(1, Math.abs(want.probA[p])), `probA ${p}: ${a} vs ${want.probA[p]}`),
    );
    m.probB!.forEach((b, p) =>
      assert.ok(Math.abs(b - want.probB[p]) < 1e-6 * Math.max(1, Math.abs(want.probB[p])), `probB ${p}: ${b} vs ${want.probB[p]}`),
    );
    const pr = svc.predictProbaSync({ rows: 80, cols: Xs.cols, data: Xs.data.subarray(0, 80 * Xs.cols) });
    let maxP = 0;
    pr.forEach((row, i) => row.forEach((v, c) => (maxP = Math.max(maxP, Math.abs(v - want.predict_proba[i][c])))));
    assert.ok(maxP < 1e-6, `predict_proba differs by ${maxP}`);
  });
});
