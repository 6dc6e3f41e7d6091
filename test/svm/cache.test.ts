// The kernel cache's size and the predictor's tiling change the time of a fit or a prediction,
// never its result (issue #14): a cache too small for Q (evictions, shrinking's "give up"
// drops, deferred swaps) and one holding all of Q ('auto') give bit-identical models; 'auto'
// stays within its documented bounds; the tiled SIMD predictor equals libsvm's k_function sums.
import assert from 'node:assert';
import * as path from 'node:path';
import type { SvcFixture } from './sklearn-fixture';
import { models, modelsSvmCacheSize } from 'kernel-lib/internal';
import { sameModel, synthetic } from './helpers';
const { SVC, StandardScaler, solveCSvc, kFunction, DEFAULT_SOLVER_OPTIONS } = models;
const { autoCacheMb, fullCacheMb, AUTO_CACHE_CAP_MB, SKLEARN_CACHE_MB } = modelsSvmCacheSize;

const FIX: SvcFixture = require(path.resolve(__dirname, '..', 'fixtures', 'svm', 'sklearn-svc.json'));

describe('svm: kernel cache size and predictor tiling', function () {
  this.timeout(300000);

  it('a binary problem: a cache far too small for Q and one holding all of Q give bit-identical solutions', () => {
    const { rows, y } = synthetic(900, 12, 2, 5, 1.6);
    const Xs = new StandardScaler().fitTransform(rows);
    const prob = { X: Xs.data, d: Xs.cols, l: Xs.rows, y: Int8Array.from(y, (c) => (c === 0 ? 1 : -1)) };
    const kernel: models.KernelSpec = { kernel: 'rbf', gamma: 1 / 12, degree: 3, coef0: 0 };
    const tiny = solveCSvc(prob, kernel, 50, 50, { ...DEFAULT_SOLVER_OPTIONS, cacheSizeMb: 0.01 });
    const full = solveCSvc(prob, kernel, 50, 50, { ...DEFAULT_SOLVER_OPTIONS, cacheSizeMb: fullCacheMb(prob.l) });
    assert.ok(tiny.iter > 200, `the problem must make the solver work (iterations ${tiny.iter})`);
    assert.strictEqual(tiny.iter, full.iter);
    assert.strictEqual(tiny.rho, full.rho);
    assert.deepStrictEqual(Array.from(tiny.coef), Array.from(full.coef));
  });

  for (const kernel of ['rbf', 'poly'] as const) {
    it(`SVC (${kernel}): cacheSizeMb 0.01, 200 and 'auto' give the same model and predictions`, () => {
      const { rows, y } = synthetic(1000, 16, 5, 11, 1.4);
      const Xs = new StandardScaler().fitTransform(rows);
      const auto = new SVC({ kernel, C: 30, workers: 0 }).fitSync(Xs, y);
      assert.strictEqual(auto.params.cacheSizeMb, 'auto');
      for (const c of [0.01, 200]) {
        const other = new SVC({ kernel, C: 30, workers: 0, cacheSizeMb: c }).fitSync(Xs, y);
        sameModel(auto, other, `cacheSizeMb ${c}`);
        assert.deepStrictEqual(other.predictSync(Xs), auto.predictSync(Xs));
      }
    });
  }

  it("'auto' is Q's full size within the cap and half the free memory per concurrent problem, never below 200 MB", () => {
    assert.strictEqual(autoCacheMb(10000, 2, null), SKLEARN_CACHE_MB, "unknown free memory: scikit-learn's 200 MB");
    assert.strictEqual(autoCacheMb(100, 1, 64 * 2 ** 30), SKLEARN_CACHE_MB, 'small problem: at least 200 MB');
    assert.strictEqual(autoCacheMb(12000, 2, 64 * 2 ** 30), fullCacheMb(12000), 'room: all of Q');
    assert.ok(fullCacheMb(12000) * 2 ** 20 >= (12000 * 12000 + 8 * 12000) * 4);
    assert.strictEqual(autoCacheMb(60000, 1, 1024 * 2 ** 30), AUTO_CACHE_CAP_MB, 'huge problem: the cap');
    assert.strictEqual(autoCacheMb(30000, 2, 4 * 2 ** 30), 1024, '4 GB free, 2 at once: 1 GB each');
  });

  it("the tiled SIMD predictor gives the decision values of libsvm's k_function sums (many SVs, many tiles and row blocks)", () => {
    const { rows, y } = synthetic(1400, 173, 3, 3, 6);
    const Xs = new StandardScaler().fitTransform(rows);
    const svc = new SVC({ kernel: 'rbf', C: 10, workers: 0 }).fitSync(Xs, y);
    const l = svc.support.length;
    assert.ok(l > 700, `needs several tiles of 256 SVs; got ${l} SVs`);
    const n = 70; // two full blocks of 32 rows and a partial one
    const dec = svc.decisionFunctionSync({ rows: n, cols: Xs.cols, data: Xs.data.subarray(0, n * Xs.cols) });
    const SV = svc.supportVectors;
    const k: models.KernelSpec = { kernel: 'rbf', gamma: svc.gammaValue, degree: 3, coef0: 0 };
    const nSV = svc.nSupport;
    const start = nSV.map((_, c) => nSV.slice(0, c).reduce((a, b) => a + b, 0));
    const coef = svc.dualCoef;
    let worst = 0;
    for (let r = 0; r < n; r++) {
      const kv = Array.from({ length: l }, (_, s) => kFunction(Xs.data, r * Xs.cols, SV.data, s * Xs.cols, Xs.cols, k));
      let p = 0;
      for (let i = 0; i < nSV.length; i++) {
        for (let j = i + 1; j < nSV.length; j++) {
          let sum = 0;
          for (let s = 0; s < nSV[i]; s++) sum += coef[j - 1][start[i] + s] * kv[start[i] + s];
          for (let s = 0; s < nSV[j]; s++) sum += coef[i][start[j] + s] * kv[start[j] + s];
          worst = Math.max(worst, Math.abs(sum + svc.intercept[p] - dec[r][p]));
          p++;
        }
      }
    }
    assert.ok(worst < 1e-9, `decision values differ by ${worst}`);
  });

  it("the fixture: the auto cache reproduces scikit-learn's full fit exactly as the 200 MB one does", () => {
    const Xs = new StandardScaler().fit(FIX.X).transform(FIX.X);
    const a = new SVC({ kernel: 'rbf', C: 30, workers: 0 }).fitSync(Xs, FIX.y);
    const b = new SVC({ kernel: 'rbf', C: 30, workers: 0, cacheSizeMb: 200 }).fitSync(Xs, FIX.y);
    sameModel(a, b, 'fixture');
    assert.deepStrictEqual(a.nIter, FIX.full_rbf_C30.n_iter);
  });
});
