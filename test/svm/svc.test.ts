// SVC estimator (issue #6 item 1): workers give the same model as the calling thread, the
// libsvm-js engine (libsvm 3.22 in wasm) agrees with the port, save/load round trip, metrics,
// scaler, errors, and the `ser svm` command on a small feature store.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { SvcFixture } from './sklearn-fixture';
import { models, evaluation as ev, featuresStore } from 'kernel-lib/internal';
const { SVC, StandardScaler, makePipeline, closeSvmPool, savePipeline, loadPipeline, saveSvc, loadSvc } = models;

const FIX: SvcFixture = require(path.resolve(__dirname, '..', 'fixtures', 'svm', 'sklearn-svc.json'));
const ROOT = path.resolve(__dirname, '..', '..');

/** A bigger problem (so workers are used): 1200 x 24, 8 classes, from the fixture's rows plus noise. */
function bigger(): { rows: number[][]; y: number[] } {
  const rows: number[][] = [];
  const y: number[] = [];
  let h = 99;
  const rnd = () => (h = (Math.imul(h, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
  for (let rep = 0; rep < 4; rep++) {
    FIX.X.forEach((r, i) => {
      rows.push(r.map((v) => v + rnd() * 0.5));
      y.push(FIX.y[i]);
    });
  }
  return { rows, y };
}

describe('svm: SVC estimator', function () {
  this.timeout(300000);
  after(() => closeSvmPool());

  it('worker threads and the calling thread give the same model and predictions', async () => {
    const { rows, y } = bigger();
    const Xs = new StandardScaler().fitTransform(rows);
    const a = await new SVC({ C: 30, workers: 2 }).fit(Xs, y);
    const b = new SVC({ C: 30, workers: 0 }).fitSync(Xs, y);
    assert.deepStrictEqual(Array.from(a.support), Array.from(b.support));
    assert.deepStrictEqual(a.intercept, b.intercept);
    const pa = await a.predict(Xs);
    assert.deepStrictEqual(pa, b.predictSync(Xs));
    assert.deepStrictEqual(await a.decisionFunction(Xs), b.decisionFunctionSync(Xs));
  });

  it('the libsvm-js engine (libsvm 3.22 compiled to wasm) agrees with the port', async () => {
    const Xs = new StandardScaler().fitTransform(FIX.X);
    const ref = await new SVC({ C: 30, engine: 'libsvm-js', workers: 0 }).fit(Xs, FIX.y);
    const port = new SVC({ C: 30, workers: 0 }).fitSync(Xs, FIX.y);
    assert.deepStrictEqual(ref.nSupport, port.nSupport);
    ref.intercept.forEach((b, p) => assert.ok(Math.abs(b - port.intercept[p]) < 1e-5, `rho ${p}: ${b} vs ${port.intercept[p]}`));
    assert.deepStrictEqual(ref.predictSync(Xs), port.predictSync(Xs));
  });

  it('the TypeScript fallback (no wasm SIMD) trains the same model', () => {
    const code = `
      const { SVC, StandardScaler } = require('kernel-lib/internal').models;
      const FIX = require(${JSON.stringify(path.resolve(__dirname, '..', 'fixtures', 'svm', 'sklearn-svc.json'))});
      const Xs = new StandardScaler().fitTransform(FIX.X);
      const m = new SVC({ C: 30, workers: 0 }).fitSync(Xs, FIX.y);
      process.stdout.write(JSON.stringify({ nIter: m.nIter, support: Array.from(m.support), pred: m.predictSync(Xs) }));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, SER_SVM_SIMD: '0' } });
    assert.strictEqual(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const want = FIX.full_rbf_C30;
    assert.deepStrictEqual(j.nIter, want.n_iter);
    assert.deepStrictEqual(j.support, want.support);
    assert.deepStrictEqual(j.pred, want.predict);
  });

  it('save / load round trip (file), pipeline too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-svm-'));
    try {
      const pipe = makePipeline(new StandardScaler(), new SVC({ C: 30, probability: true, workers: 0 }));
      pipe.fitSync(FIX.X, FIX.y);
      const f = path.join(dir, 'model.json');
      savePipeline(pipe, f);
      const back = loadPipeline(f);
      assert.deepStrictEqual(back.predictSync(FIX.X), pipe.predictSync(FIX.X));
      assert.deepStrictEqual(await back.predictProba(FIX.X.slice(0, 5)), await pipe.predictProba(FIX.X.slice(0, 5)));
      const svc = pipe.estimator;
      saveSvc(svc, path.join(dir, 'svc.json'));
      const s2 = loadSvc(path.join(dir, 'svc.json'));
      assert.deepStrictEqual(s2.dualCoef, svc.dualCoef);
      assert.deepStrictEqual(s2.classes, svc.classes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('string labels, sorted classes, gamma settings, errors', () => {
    const names = ['neutral', 'angry', 'sad'];
    const X = [
      [0, 0],
      [0, 1],
      [5, 5],
      [5, 6],
      [10, 0],
      [10, 1],
    ];
    const y = ['angry', 'angry', 'neutral', 'neutral', 'sad', 'sad'];
    const svc = new SVC({ C: 10, workers: 0 }).fitSync(X, y);
    assert.deepStrictEqual(svc.classes, ['angry', 'neutral', 'sad']);
    assert.deepStrictEqual(
      svc.predictSync([
        [0, 0.5],
        [5, 5.5],
        [10, 0.5],
      ]),
      ['angry', 'neutral', 'sad'],
    );
    void names;
    assert.strictEqual(new SVC({ gamma: 'auto', workers: 0 }).fitSync(X, y).gammaValue, 0.5);
    assert.strictEqual(new SVC({ gamma: 0.25, workers: 0 }).fitSync(X, y).gammaValue, 0.25);
    assert.throws(() => new SVC({ C: 0 }), /C must be > 0/);
    assert.throws(() => new SVC({ kernel: 'nope' as any /* deliberately unknown */ }), /unknown kernel/);
    assert.throws(() => new SVC({ workers: 0 }).fitSync(X, ['a', 'a', 'a', 'a', 'a', 'a']), /greater than one/);
    assert.throws(() => new SVC({ workers: 0 }).fitSync(X, y.slice(1)), /6 rows but y has 5/);
    assert.throws(
      () =>
        new SVC({ workers: 0 }).fitSync(
          [
            [0, NaN],
            [1, 1],
          ],
          ['a', 'b'],
        ),
      /not finite/,
    );
    assert.throws(() => svc.predictSync([[1, 2, 3]]), /3 features/);
    assert.throws(() => svc.predictProbaSync(X), /probability: true/);
  });

  it('StandardScaler matches scikit-learn (population std, constant columns unscaled)', () => {
    const sc = new StandardScaler().fit([
      [1, 5, 2],
      [3, 5, 4],
      [5, 5, 9],
    ]);
    assert.deepStrictEqual(Array.from(sc.mean!), [3, 5, 5]);
    assert.ok(Math.abs(sc.scale![0] - Math.sqrt(8 / 3)) < 1e-15);
    assert.strictEqual(sc.scale![1], 1);
    const t = sc.transform([[3, 5, 5]]);
    assert.deepStrictEqual(Array.from(t.data), [0, 0, 0]);
  });

  it('metrics: confusion matrix, precision / recall / F1, macro and weighted averages', () => {
    const yt = [0, 0, 0, 1, 1, 2];
    const yp = [0, 0, 1, 1, 2, 2];
    const r = ev.classificationReport(yt, yp, ['a', 'b', 'c']);
    assert.deepStrictEqual(r.confusion, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    assert.strictEqual(r.accuracy, 4 / 6);
    const p = r.perClass.map((c) => +c.precision.toFixed(6));
    assert.deepStrictEqual(p, [1, 0.5, 0.5]);
    assert.deepStrictEqual(
      r.perClass.map((c) => +c.recall.toFixed(6)),
      [0.666667, 0.5, 1],
    );
    assert.ok(Math.abs(r.macro.f1 - (0.8 + 0.5 + 2 / 3) / 3) < 1e-12);
    assert.ok(Math.abs(r.weighted.recall - 4 / 6) < 1e-12);
    const z = ev.classificationReport([0, 0], [0, 0], ['a', 'b']);
    assert.deepStrictEqual(z.zeroDivision, ['b']);
    const ms = ev.meanStd([0.7, 0.8, 0.9]);
    assert.ok(Math.abs(ms.std - 0.1) < 1e-12);
    assert.ok(Math.abs(ev.meanStd([0.7, 0.8, 0.9], 0).std - Math.sqrt(2 / 300)) < 1e-12);
  });

  it('`ser svm --features F --json` on a small feature store (all protocols, then a grid)', () => {
    const store = featuresStore;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-svm-cli-'));
    try {
      // 8 speakers x 10 clips x (orig + noise) from the fixture rows
      const n = 160;
      const nf = 24;
      const X = new Float32Array(n * nf);
      const cols: featuresStore.FeatureStoreColumns = {
        clipId: [],
        sourceClipId: [],
        kind: [],
        emotion: [],
        label: [],
        speaker: [],
        corpus: [],
        sha256: [],
        key: [],
      };
      const emo = ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'];
      const order: { i: number; kind: featuresStore.AugKind }[] = [];
      for (let i = 0; i < 80; i++) for (const kind of ['orig', 'noise'] as const) order.push({ i, kind });
      order.sort(
        (a, b) => (`c${String(a.i).padStart(3, '0')}` < `c${String(b.i).padStart(3, '0')}` ? -1 : 1) || (a.kind === 'orig' ? -1 : 1),
      );
      order.forEach(({ i, kind }, r) => {
        X.set(
          FIX.X[i].map((v) => v + (kind === 'noise' ? 0.05 : 0)),
          r * nf,
        );
        const id = `c${String(i).padStart(3, '0')}`;
        cols.clipId.push(kind === 'orig' ? id : `${id}#noise`);
        cols.sourceClipId.push(id);
        cols.kind.push(kind);
        cols.emotion.push(emo[FIX.y[i]]);
        cols.label.push(FIX.y[i]);
        cols.speaker.push(`spk${i % 8}`);
        cols.corpus.push('TEST');
        cols.sha256.push('00');
        cols.key.push(`k${r}`);
      });
      const file = path.join(dir, 'f.feat');
      store.writeFeatureStore(
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
        X,
      );
      const r = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'scripts', 'ser.js'),
          'svm',
          '--features',
          file,
          '--protocol',
          'all',
          '--folds',
          '4',
          '--C',
          '10',
          '--json',
          '--quiet',
        ],
        { encoding: 'utf8' },
      );
      assert.strictEqual(r.status, 0, r.stderr);
      /** the part of `ser svm --json` read here */
      const j: {
        results: { protocol: string; foldAccuracy: number[]; accuracy: { mean: number }; perClass: unknown[]; sharedSpeakers: number[] }[];
      } = JSON.parse(r.stdout);
      assert.deepStrictEqual(
        j.results.map((x) => x.protocol),
        ['paper', 'clip', 'speaker'],
      );
      for (const x of j.results) {
        assert.strictEqual(x.foldAccuracy.length, 4);
        assert.ok(x.accuracy.mean > 0.2 && x.accuracy.mean <= 1);
        assert.strictEqual(x.perClass.length, 8);
      }
      assert.deepStrictEqual(j.results[2].sharedSpeakers, [0, 0, 0, 0]);
      const g = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'scripts', 'ser.js'),
          'svm',
          '--features',
          file,
          '--grid',
          '--grid-C',
          '1,10',
          '--folds',
          '3',
          '--no-aug',
          '--quiet',
        ],
        { encoding: 'utf8' },
      );
      assert.strictEqual(g.status, 0, g.stderr);
      assert.match(g.stdout, /best: (poly|rbf) C=(1|10)/);
      const bad = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ser.js'), 'svm', '--features', path.join(dir, 'missing.feat')], {
        encoding: 'utf8',
      });
      assert.strictEqual(bad.status, 2);
      assert.match(bad.stderr, /missing\.feat/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
