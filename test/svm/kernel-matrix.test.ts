// The kernel matrix shared by a fit's one-vs-one problems and kept along a grid's C path
// (models/svm/kernel-matrix.ts, issue #14) changes the time of a fit, never its result: every
// model below equals the one trained with libsvm's own per-problem cache (an explicit
// cacheSizeMb, which takes no shared matrix), bit for bit, with and without worker threads.
import assert from 'node:assert';
import { models, modelsSvmKernelMatrix, modelsSvmSolver, evaluation } from 'kernel-lib/internal';
import { sameModel, synthetic } from './helpers';
const { SVC, StandardScaler } = models;
const { keepKernelMatrices, heldKernelMatrixRows, kernelMatrixFor, releaseKernelMatrix, kernelMatrixBytes } = modelsSvmKernelMatrix;

describe('svm: one kernel matrix for the pair problems and the C path', function () {
  this.timeout(300000);

  it("RBF rows in float32: the wasm kernel's exp gives Math.exp's float32 values (fast path and the listed ones)", () => {
    const { rbfRowF32 } = modelsSvmSolver;
    const r = evaluation.mulberry32(5);
    for (const [n, spread] of [
      [5000, 1],
      [5000, 60],
      [3000, 400],
    ]) {
      // exponents from about 0 down to -spread, some past float32's normal range (-87)
      const dots = Float64Array.from({ length: n }, () => (r() - 0.5) * spread);
      const xsq = Float64Array.from({ length: n }, () => r() * spread);
      const xi = r() * spread;
      for (const g of [1 / 173, 0.37, 1]) {
        const a = new Float32Array(n),
          b = new Float32Array(n);
        rbfRowF32(dots, xsq, xi, g, a);
        rbfRowF32(dots, xsq, xi, g, b, null);
        for (let j = 0; j < n; j++) assert.ok(Object.is(a[j], b[j]), `n ${n}, spread ${spread}, g ${g}, j ${j}: ${a[j]} vs ${b[j]}`);
      }
    }
  });

  const { rows, y } = synthetic(1500, 24, 6, 3, 1.5);
  const Xs = new StandardScaler().fitTransform(rows);

  for (const kernel of ['rbf', 'poly'] as const) {
    it(`${kernel}: the shared matrix (in the calling thread and in 2 workers) gives libsvm's per-problem-cache model bit for bit`, async () => {
      const reference = new SVC({ kernel, C: 20, workers: 0, cacheSizeMb: 200 }).fitSync(Xs, y);
      await keepKernelMatrices(async () => {
        const inThread = new SVC({ kernel, C: 20, workers: 0 }).fitSync(Xs, y);
        const held = heldKernelMatrixRows();
        assert.ok(held && held.filled > 0, `the fit filled the shared matrix (${JSON.stringify(held)})`);
        sameModel(inThread, reference, 'calling thread');
        // 2 workers race for the same block rows (Atomics): same model
        const workers = new SVC({ kernel, C: 20, workers: 2 });
        await workers.fit(Xs, y);
        sameModel(workers, reference, '2 workers');
        assert.deepStrictEqual(await workers.predict(Xs), reference.predictSync(Xs));
      });
      assert.strictEqual(heldKernelMatrixRows(), null, 'the matrix is let go when the scope ends');
    });
  }

  it('along the C path the filled rows are reused, and every C still equals a fresh fit', async () => {
    await keepKernelMatrices(async () => {
      let before = 0;
      for (const C of [4, 30, 200]) {
        const fit = new SVC({ kernel: 'rbf', C, workers: 2 });
        await fit.fit(Xs, y);
        const held = heldKernelMatrixRows();
        assert.ok(held, 'held inside the scope');
        assert.ok(held.filled >= before, `rows filled by earlier values of C stay filled (${held.filled} < ${before})`);
        before = held.filled;
        sameModel(fit, new SVC({ kernel: 'rbf', C, workers: 0, cacheSizeMb: 200 }).fitSync(Xs, y), `C=${C}`);
      }
    });
  });

  it('a changed matrix, grouping or kernel is never served the old values', async () => {
    const fresh = (X: models.F64Matrix, labels: number[], gamma: number, what: string) => {
      const got = new SVC({ kernel: 'rbf', C: 10, gamma, workers: 0 }).fitSync(X, labels);
      sameModel(got, new SVC({ kernel: 'rbf', C: 10, gamma, workers: 0, cacheSizeMb: 200 }).fitSync(X, labels), what);
    };
    await keepKernelMatrices(async () => {
      fresh(Xs, y, 0.04, 'first');
      // another matrix of the same shape (a fixed gamma, so only the values tell it apart)
      const changed = { ...Xs, data: Float64Array.from(Xs.data) };
      for (let f = 0; f < Xs.cols * 40; f++) changed.data[f] = 1.5 * changed.data[f] + 0.3;
      fresh(changed, y, 0.04, 'changed X');
      // other labels (another grouping), then another gamma
      const y2 = y.map((c, i) => (i % 11 === 0 ? (c + 1) % 6 : c));
      fresh(changed, y2, 0.04, 'changed y');
      fresh(changed, y2, 0.05, 'changed gamma');
    });
  });

  it('no matrix when the machine lacks the memory, or while another fit holds it', () => {
    const perm = Int32Array.from({ length: 100 }, (_, i) => i);
    const start = Int32Array.from([0, 50]);
    const count = Int32Array.from([50, 50]);
    const X = new Float64Array(100 * 3);
    const kernel: models.KernelSpec = { kernel: 'rbf', gamma: 1, degree: 3, coef0: 0 };
    assert.strictEqual(kernelMatrixBytes(count), 4 * 100 * 100 + 4 * 100 * 2);
    assert.strictEqual(kernelMatrixFor(X, perm, start, count, kernel, null), null, 'unknown free memory');
    assert.strictEqual(kernelMatrixFor(X, perm, start, count, kernel, kernelMatrixBytes(count)), null, 'needs twice its size free');
    const h = kernelMatrixFor(X, perm, start, count, kernel, 1e9);
    assert.ok(h);
    assert.strictEqual(kernelMatrixFor(X, perm, start, count, kernel, 1e9), null, 'leased by a running fit');
    releaseKernelMatrix(h);
    assert.strictEqual(heldKernelMatrixRows(), null, 'outside keepKernelMatrices a fit lets it go');
  });
});
