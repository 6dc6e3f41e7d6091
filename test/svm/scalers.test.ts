// The SVM pipeline's scaler choice (issue #15 item 1): MinMaxScaler against scikit-learn's
// (called through Debian's /usr/bin/python3 when python3-sklearn is installed; the test skips
// with a notice otherwise), the 'none' pipeline, save / load of each, and `ser svm --scaler`.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { SvcFixture } from './sklearn-fixture';
import { models, evaluation, featuresStore } from 'kernel-lib/internal';
const { SVC, MinMaxScaler, StandardScaler, makeScaler, svmPipeline, savePipeline, loadPipeline } = models;
const { crossValidate } = evaluation;
const { svmEstimator } = models;

const FIX: SvcFixture = require(path.resolve(__dirname, '..', 'fixtures', 'svm', 'sklearn-svc.json'));

/** Rows with a constant column, a near-constant one (range 1.1e-15 < 10 eps: sklearn counts it as constant) and wide ranges. */
function awkward(): { X: number[][]; test: number[][] } {
  const X = FIX.X.map((r, i) => [...r.slice(0, 6), 7.25, 1 + (i % 2) * 1e-15, r[0] * 1e6, -r[1] * 1e-6]);
  return { X, test: X.slice(0, 7).map((r) => r.map((v, j) => v + (j % 3) - 1)) };
}

describe('svm: scalers (none / standard / minmax)', function () {
  this.timeout(120000);

  it('MinMaxScaler = sklearn.preprocessing.MinMaxScaler (fit on one set, transform another; constant columns)', function () {
    const py = '/usr/bin/python3';
    if (!fs.existsSync(py) || spawnSync(py, ['-c', 'import sklearn'], { encoding: 'utf8' }).status !== 0) {
      console.log('      (skipped: /usr/bin/python3 with scikit-learn (python3-sklearn) not installed)');
      this.skip();
    }
    const { X, test } = awkward();
    const script = [
      'import json, sys, numpy as np',
      'from sklearn.preprocessing import MinMaxScaler',
      'd = json.load(sys.stdin)',
      's = MinMaxScaler().fit(np.array(d["X"], dtype=np.float64))',
      'print(json.dumps({"scale": s.scale_.tolist(), "min": s.min_.tolist(), "t": s.transform(np.array(d["test"], dtype=np.float64)).tolist(), "tr": s.transform(np.array(d["X"][:5], dtype=np.float64)).tolist()}))',
    ].join('\n');
    const r = spawnSync(py, ['-c', script], { input: JSON.stringify({ X, test }), encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout);
    const s = new MinMaxScaler().fit(X);
    assert.deepStrictEqual(Array.from(s.scale!), ref.scale);
    assert.deepStrictEqual(Array.from(s.min!), ref.min);
    const t = s.transform(test);
    assert.deepStrictEqual(Array.from(t.data), ref.t.flat(), 'transform of unseen rows, bit for bit');
    assert.deepStrictEqual(Array.from(s.transform(X.slice(0, 5)).data), ref.tr.flat());
  });

  it('MinMaxScaler by hand: range (0, 1), a constant column maps to 0, bad ranges are errors', () => {
    const s = new MinMaxScaler().fit([
      [1, 5, -2],
      [3, 5, 2],
      [2, 5, 0],
    ]);
    assert.deepStrictEqual(
      Array.from(
        s.transform([
          [1, 5, -2],
          [3, 5, 2],
          [4, 6, 1],
        ]).data,
      ),
      [0, 0, 0, 1, 0, 1, 1.5, 1, 0.75],
    );
    assert.throws(
      () => new MinMaxScaler({ featureRange: [1, 0] }),
      /minimum of the desired feature range must be smaller than its maximum/,
    );
    assert.throws(() => new MinMaxScaler().transform([[1]]), /call fit first/);
    // @ts-expect-error -- deliberately not a ScalerKind
    assert.throws(() => makeScaler('robust'), /^Error: unknown scaler 'robust' \(have standard, minmax, none\)$/);
    assert.ok(makeScaler('standard') instanceof StandardScaler);
    assert.strictEqual(makeScaler('none'), null);
  });

  it("svmPipeline: 'none' is the SVC alone; each kind survives save / load with the same probabilities", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-scalers-'));
    try {
      const preds: Record<string, string> = {};
      for (const kind of ['none', 'standard', 'minmax'] as const) {
        const pipe = svmPipeline(kind, new SVC({ C: 30, probability: true, workers: 0 }));
        assert.deepStrictEqual(
          pipe.steps.map(([n]) => n),
          kind === 'none' ? ['svc'] : ['scaler', 'svc'],
        );
        pipe.fitSync(FIX.X, FIX.y);
        const f = path.join(dir, `${kind}.json`);
        savePipeline(pipe, f);
        const back = loadPipeline(f);
        assert.deepStrictEqual(await back.predictProba(FIX.X.slice(0, 6)), await pipe.predictProba(FIX.X.slice(0, 6)), kind);
        preds[kind] = pipe.predictSync(FIX.X).join(',');
      }
      // the fixture's columns have different ranges: the scalings give different models
      assert.notStrictEqual(preds.none, preds.minmax);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crossValidate({ scaler }) reports the scaler; none scores the unscaled pipeline', async () => {
    const X = { rows: FIX.X.length, cols: FIX.X[0].length, data: Float64Array.from(FIX.X.flat()) };
    const n = FIX.y.length;
    const d = {
      X,
      y: Int32Array.from(FIX.y),
      labels: Array.from({ length: Math.max(...FIX.y) + 1 }, (_, i) => `c${i}`),
      groups: { clip: Array.from({ length: n }, (_, i) => `c${i}`), speaker: Array.from({ length: n }, (_, i) => `s${i % 5}`) },
      kind: Array(n).fill('orig'),
    };
    const a = await crossValidate(svmEstimator({ C: 30 }, { workers: 0, scaler: 'none' }), d, { k: 3 });
    const b = await crossValidate(svmEstimator({ C: 30 }, { workers: 0 }), d, { k: 3 });
    assert.strictEqual(a.settings.scaler, 'none');
    assert.strictEqual(
      b.settings.scaler,
      undefined,
      'the default StandardScaler keeps the settings (and cache keys) of the reference recipe',
    );
    // the 'none' result is the SVC on the raw rows of each fold
    const folds = a.folds.map((f) => f.accuracy);
    assert.strictEqual(folds.length, 3);
    assert.ok(
      folds.some((x, i) => x !== b.folds[i].accuracy),
      'scaling changes some fold',
    );
  });

  it('`ser svm --scaler none|minmax` runs and reports the scaler; an unknown scaler is a one-line usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-scalers-cli-'));
    try {
      const n = FIX.X.length;
      const nf = FIX.X[0].length;
      const emo = ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'];
      const ids = Array.from({ length: n }, (_, i) => `c${String(i).padStart(3, '0')}`);
      const cols: featuresStore.FeatureStoreColumns = {
        clipId: ids,
        sourceClipId: ids,
        kind: ids.map(() => 'orig'),
        emotion: FIX.y.map((c) => emo[c]),
        label: FIX.y.slice(),
        speaker: ids.map((_, i) => `s${i % 6}`),
        corpus: ids.map(() => 'TEST'),
        sha256: ids.map(() => '00'),
        key: ids,
      };
      const file = path.join(dir, 'f.feat');
      featuresStore.writeFeatureStore(
        file,
        {
          nRows: n,
          nFeatures: nf,
          layout: Array.from({ length: nf }, (_, j) => `f${j}`),
          emotions: emo,
          params: {},
          columns: cols,
          skipped: [],
        },
        Float32Array.from(FIX.X.flat()),
      );
      const ser = (...a: string[]) =>
        spawnSync(
          process.execPath,
          [path.join(__dirname, '..', '..', 'scripts', 'ser.js'), 'svm', '--features', file, '--folds', '3', '--quiet', ...a],
          { encoding: 'utf8' },
        );
      for (const kind of ['none', 'minmax']) {
        const r = ser('--scaler', kind, '--json');
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(JSON.parse(r.stdout).results[0].scaler, kind);
      }
      const bad = ser('--scaler', 'robust');
      assert.strictEqual(bad.status, 2);
      assert.strictEqual(bad.stderr.trim(), "ser svm: option --scaler must be one of standard, minmax, none, got 'robust'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
