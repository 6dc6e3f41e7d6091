// Evaluation protocols (issue #6 item 3): each fold set keeps the promise of its protocol.
// paper: all rows folded (copies of a clip may straddle train/test); clip: no clip's copies
// split, only original rows tested; speaker: no speaker in both train and test.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluation as ev, models, modelsSvmKernelMatrix, report } from 'kernel-lib/internal';

/** A small augmented dataset: speakers x clips x 4 kinds, 8 classes, 6 features. */
function toyDataset({ speakers = 12, clipsPerSpeaker = 16, augment = true } = {}) {
  const kinds = augment ? ['orig', 'noise', 'stretch', 'pitch'] : ['orig'];
  const rows = [];
  const y = [];
  const clip = [];
  const speaker = [];
  const kind = [];
  let h = 12345;
  const rnd = () => (h = (Math.imul(h, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let s = 0; s < speakers; s++) {
    for (let c = 0; c < clipsPerSpeaker; c++) {
      const label = (s + c) % 8;
      const id = `S${s}:clip${c}`;
      for (const k of kinds) {
        rows.push(Array.from({ length: 6 }, (_, j) => label * (j % 3) + rnd() * 2 + (k === 'orig' ? 0 : 0.1)));
        y.push(label);
        clip.push(id);
        speaker.push(`S${s}`);
        kind.push(k);
      }
    }
  }
  const data = new Float32Array(rows.length * 6);
  rows.forEach((r, i) => data.set(r, i * 6));
  return {
    X: { rows: rows.length, cols: 6, data },
    y: Int32Array.from(y),
    labels: ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'],
    groups: { clip, speaker },
    kind,
  };
}

describe('svm: evaluation protocols', function () {
  this.timeout(120000);
  const d = toyDataset();

  it('paper: stratified folds over all rows, every row tested once, copies may straddle', () => {
    const pf = ev.protocolFolds(d, 'paper', { k: 5, seed: 0 });
    const chk = ev.checkProtocolFolds(d, pf);
    assert.ok(chk.ok, chk.problems.join('; '));
    assert.strictEqual(
      pf.folds.reduce((a, f) => a + f.test.length, 0),
      d.X.rows,
    );
    // the paper protocol leaks: some test rows have a copy of their clip in train
    assert.ok(chk.leakedTestRows.reduce((a, b) => a + b, 0) > 0);
    for (const f of pf.folds) {
      // stratified: each class within one row of rows/k
      const counts = new Array(8).fill(0);
      for (const r of f.test) counts[d.y[r]]++;
      const per = d.X.rows / 8 / 5;
      for (const c of counts) assert.ok(Math.abs(c - per) <= 1, `class count ${c} vs ${per}`);
    }
  });

  it("clip: no clip's copies split between train and test; only original rows tested", () => {
    const pf = ev.protocolFolds(d, 'clip', { k: 5, seed: 3 });
    const chk = ev.checkProtocolFolds(d, pf);
    assert.ok(chk.ok, chk.problems.join('; '));
    for (const f of pf.folds) {
      const trainClips = new Set(Array.from(f.train, (r) => d.groups.clip[r]));
      for (const r of f.test) {
        assert.strictEqual(d.kind[r], 'orig');
        assert.ok(!trainClips.has(d.groups.clip[r]), `clip ${d.groups.clip[r]} in train and test`);
      }
      // training folds carry all four rows of each training clip
      const perClip = new Map();
      for (const r of f.train) perClip.set(d.groups.clip[r], (perClip.get(d.groups.clip[r]) || 0) + 1);
      for (const n of perClip.values()) assert.strictEqual(n, 4);
    }
    assert.strictEqual(
      pf.folds.reduce((a, f) => a + f.test.length, 0),
      d.kind.filter((k) => k === 'orig').length,
    );
  });

  it('speaker: no speaker in both train and test', () => {
    const pf = ev.protocolFolds(d, 'speaker', { k: 5, seed: 0 });
    const chk = ev.checkProtocolFolds(d, pf);
    assert.ok(chk.ok, chk.problems.join('; '));
    for (const f of pf.folds) {
      const trainSpk = new Set(Array.from(f.train, (r) => d.groups.speaker[r]));
      for (const r of f.test) assert.ok(!trainSpk.has(d.groups.speaker[r]), `speaker ${d.groups.speaker[r]} on both sides`);
      assert.ok(f.test.length > 0);
    }
    assert.deepStrictEqual(chk.sharedSpeakers, [0, 0, 0, 0, 0]);
  });

  it('the checker catches a broken fold set', () => {
    const pf = ev.protocolFolds(d, 'speaker', { k: 5, seed: 0 });
    const f0 = pf.folds[0];
    const moved = f0.test[0];
    const bad = { ...pf, folds: [{ train: Int32Array.from([...f0.train, moved]), test: f0.test }, ...pf.folds.slice(1)] };
    const chk = ev.checkProtocolFolds(d, bad);
    assert.ok(!chk.ok);
    const clipBad = { ...pf, protocol: 'clip' as const };
    // a fold set over all rows does not satisfy the clip protocol
    const paper = ev.protocolFolds(d, 'paper', { k: 5, seed: 0 });
    assert.ok(!ev.checkProtocolFolds(d, { ...paper, protocol: 'clip' }).ok);
    assert.ok(ev.checkProtocolFolds(d, clipBad).ok);
  });

  it('without augmented rows, paper and clip folds coincide', () => {
    const o = toyDataset({ augment: false });
    const a = ev.protocolFolds(o, 'paper', { k: 5, seed: 7 });
    const b = ev.protocolFolds(o, 'clip', { k: 5, seed: 7 });
    assert.deepStrictEqual(
      a.folds.map((f) => Array.from(f.test)),
      b.folds.map((f) => Array.from(f.test)),
    );
    assert.deepStrictEqual(
      a.folds.map((f) => Array.from(f.train)),
      b.folds.map((f) => Array.from(f.train)),
    );
  });

  it('same seed, same folds; another seed, other folds', () => {
    const a = ev.protocolFolds(d, 'clip', { k: 5, seed: 1 });
    const b = ev.protocolFolds(d, 'clip', { k: 5, seed: 1 });
    const c = ev.protocolFolds(d, 'clip', { k: 5, seed: 2 });
    assert.deepStrictEqual(
      a.folds.map((f) => Array.from(f.test)),
      b.folds.map((f) => Array.from(f.test)),
    );
    assert.notDeepStrictEqual(
      a.folds.map((f) => Array.from(f.test)),
      c.folds.map((f) => Array.from(f.test)),
    );
  });

  it('crossValidate: deterministic numbers, sample std, per-class support = mean test rows', async () => {
    const opts = { protocol: 'clip' as const, k: 4, seed: 0 };
    const a = await ev.crossValidate(models.svmEstimator({ C: 10 }, { workers: 0 }), d, opts);
    const b = await ev.crossValidate(models.svmEstimator({ C: 10 }, { workers: 0 }), d, opts);
    assert.deepStrictEqual(
      a.folds.map((f) => f.accuracy),
      b.folds.map((f) => f.accuracy),
    );
    assert.strictEqual(a.stdDdof, 1);
    const accs = a.folds.map((f) => f.accuracy);
    const m = accs.reduce((x, y) => x + y, 0) / accs.length;
    const sd = Math.sqrt(accs.reduce((x, y) => x + (y - m) ** 2, 0) / (accs.length - 1));
    assert.ok(Math.abs(a.accuracy.mean - m) < 1e-12 && Math.abs(a.accuracy.std - sd) < 1e-12);
    const origPerClass = d.kind.filter((k) => k === 'orig').length / 8;
    for (const c of a.perClass) assert.ok(Math.abs(c.support - origPerClass / 4) < 1e-9, `support ${c.support}`);
    const total = a.confusion.flat().reduce((x, y) => x + y, 0);
    assert.strictEqual(total, d.kind.filter((k) => k === 'orig').length);
    assert.strictEqual(report.paperLayoutRows(a).length, 8);
  });
  it('svmGridSearch: fold by fold along the C path, every point equals its own crossValidate and shares its fold cache', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-grid-'));
    try {
      const make = (p: { kernel: string; C: number }) => models.svmEstimator({ kernel: p.kernel as 'rbf', C: p.C }, { workers: 0 });
      const opts = { protocol: 'paper' as const, k: 3, seed: 1, cacheDir: dir };
      const seen: string[] = [];
      const gr = await models.svmGridSearch(d, { kernels: ['rbf', 'poly'], C: [0.5, 4, 30] }, make, {
        ...opts,
        onResult: (row) => seen.push(`${row.kernel} C=${row.C}`),
      });
      assert.deepStrictEqual(seen, ['rbf C=0.5', 'rbf C=4', 'rbf C=30', 'poly C=0.5', 'poly C=4', 'poly C=30']);
      assert.deepStrictEqual(
        gr.rows.map((r) => `${r.kernel} C=${r.C}`),
        seen,
      );
      assert.strictEqual(modelsSvmKernelMatrix.heldKernelMatrixRows(), null, 'the matrix is let go after the grid');
      for (const row of gr.rows) {
        // the same point cross-validated alone: every fold comes from the grid's cache ...
        const cached = await ev.crossValidate(make(row), d, opts);
        assert.ok(cached.folds.every((f) => f.cached));
        assert.deepStrictEqual(cached.accuracy, row.accuracy);
        // ... and a fresh fit without a cache or a kept matrix predicts the same classes
        const fresh = await ev.crossValidate(make(row), d, { ...opts, cacheDir: undefined });
        assert.deepStrictEqual(
          fresh.folds.map((f) => f.yPred),
          cached.folds.map((f) => f.yPred),
          `${row.kernel} C=${row.C}`,
        );
      }
      const best = gr.rows.reduce((b, r) => (r.accuracy.mean > b.accuracy.mean ? r : b));
      assert.deepStrictEqual(gr.best, best);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
