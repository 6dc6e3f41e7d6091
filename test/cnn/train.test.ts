// The shared training loop (models/train.ts): no tensor leak, early stopping restores the best
// epoch, gradient accumulation equals the full batch, checkpoints resume, folds are skipped
// once finished, a frozen prefix is trained as a head on cached features.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { modelsCnnBackend, models as m, coreRandom, evaluation } from 'kernel-lib/internal';
const { chooseBackend } = modelsCnnBackend;

const SIDE = 12;
const K = 3;

/** n images whose class shows as a brighter band (learnable), optionally with shuffled labels. */
function dataset(n: number, { seed = 1, randomLabels = false } = {}) {
  const r = coreRandom.mulberry32(seed);
  const pixels = new Uint8Array(n * SIDE * SIDE * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    labels[i] = randomLabels ? Math.floor(r() * K) : c;
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++)
        for (let ch = 0; ch < 3; ch++) {
          const band = Math.floor((y * K) / SIDE) === c ? 120 : 0;
          pixels[((i * SIDE + y) * SIDE + x) * 3 + ch] = Math.min(255, band + Math.floor(r() * 100));
        }
  }
  return m.imageSource(pixels, [SIDE, SIDE, 3], labels, K);
}

const small = (extra: Partial<Parameters<typeof m.customCnn>[0]> = {}) =>
  m.customCnn({ inputSize: SIDE, filters: [6, 6, 4, 4], kernelSize: 3, poolSize: 2, hiddenUnits: 8, numClasses: K, seed: 5, ...extra });
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const weightsOf = (model: ReturnType<typeof small>): number[][] => model.trainableWeights.map((w) => Array.from(w.read().dataSync()));

describe('CNN training loop', function () {
  this.timeout(180000);
  let tmp: string;
  before(async () => {
    await chooseBackend({ log: () => undefined });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-train-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps tf.memory().numTensors stable over epochs and releases everything it made', async () => {
    const data = dataset(40);
    const model = small();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const r = await m.fit({
      model,
      data,
      train: range(0, 32),
      val: range(32, 40),
      options: { epochs: 5, batchSize: 8, microBatch: 3, silent: true, onEpoch: () => counts.push(tf.memory().numTensors) },
      checkpoint: path.join(tmp, 'leak.ckpt'),
    });
    assert.strictEqual(r.epochsRun, 5);
    // epoch 1 creates Adam's slots; from then on nothing may grow
    assert.ok(
      counts.slice(1).every((c) => c === counts[1]),
      `tensor counts per epoch: ${counts}`,
    );
    assert.strictEqual(tf.memory().numTensors, before, 'tensors left behind after fit');
    model.dispose();
  });

  it('early stopping (patience) restores the weights of the best validation-loss epoch', async () => {
    const data = dataset(48, { randomLabels: true, seed: 3 });
    const model = small({ dropout: 0 });
    const val = range(36, 48);
    const r = await m.fit({
      model,
      data,
      train: range(0, 36),
      val,
      options: { epochs: 40, batchSize: 6, learningRate: 0.01, patience: 3, silent: true },
    });
    assert.ok(r.stoppedEarly, `ran ${r.epochsRun} epochs without stopping`);
    const bestLoss = Math.min(...r.history.map((h) => h.valLoss));
    assert.strictEqual(r.history[r.bestEpoch - 1].valLoss, bestLoss);
    assert.strictEqual(r.epochsRun, r.bestEpoch + 3, 'stops patience epochs after the best');
    assert.ok(r.restored);
    // the model now scores exactly what the best epoch scored
    const p = m.predictProba(model, data, val);
    let loss = 0;
    val.forEach(
      (i, k) =>
        (loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[k * K + data.labels[i]] / (p[k * K] + p[k * K + 1] + p[k * K + 2]))))),
    );
    loss /= val.length;
    assert.ok(
      Math.abs(loss - bestLoss) < 1e-5,
      `val loss after restore ${loss}, best ${bestLoss}, last ${r.history[r.history.length - 1].valLoss}`,
    );
    assert.ok(Math.abs(loss - r.history[r.history.length - 1].valLoss) > 1e-4);
    model.dispose();
  });

  it("gradient accumulation over micro-batches gives the full batch's update", async () => {
    const data = dataset(24);
    const runWith = async (micro: number) => {
      const model = small({ dropout: 0 });
      await m.fit({
        model,
        data,
        train: range(0, 16),
        val: range(16, 24),
        options: { epochs: 2, batchSize: 8, microBatch: micro, silent: true },
      });
      const w = weightsOf(model);
      model.dispose();
      return w;
    };
    const a = await runWith(8);
    const b = await runWith(3);
    let d = 0;
    a.forEach((wa, i) => wa.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
    assert.ok(d < 1e-5, `max weight difference ${d}`);
  });

  it('resumes from a checkpoint to the same weights and history as an uninterrupted run', async () => {
    const data = dataset(30);
    const opts = { batchSize: 8, microBatch: 4, silent: true };
    const full = small();
    const rf = await m.fit({ model: full, data, train: range(0, 24), val: range(24, 30), options: { ...opts, epochs: 4 } });
    const ck = path.join(tmp, 'resume.ckpt');
    const part1 = small();
    await m.fit({ model: part1, data, train: range(0, 24), val: range(24, 30), options: { ...opts, epochs: 2 }, checkpoint: ck });
    part1.dispose();
    const part2 = small({ seed: 99 }); // different initial weights: the checkpoint must replace them
    const rr = await m.fit({
      model: part2,
      data,
      train: range(0, 24),
      val: range(24, 30),
      options: { ...opts, epochs: 4 },
      checkpoint: ck,
    });
    assert.strictEqual(rr.resumedFrom, 2);
    assert.deepStrictEqual(
      rr.history.map((h) => h.loss),
      rf.history.map((h) => h.loss),
    );
    assert.deepStrictEqual(
      rr.history.map((h) => h.valLoss),
      rf.history.map((h) => h.valLoss),
    );
    assert.deepStrictEqual(weightsOf(part2), weightsOf(full));
    full.dispose();
    part2.dispose();
  });

  /** The protocols' view of the samples: one clip and one speaker per sample. */
  const asDataset = (data: { n: number; labels: Int32Array }) => ({
    X: { rows: data.n, cols: 0, data: new Float32Array(0) },
    y: data.labels,
    labels: Array.from({ length: K }, (_, i) => `c${i}`),
    groups: { clip: range(0, data.n).map(String), speaker: range(0, data.n).map(String) },
    kind: range(0, data.n).map(() => 'orig'),
  });

  it('crossValidate(cnnTrainer) stores finished folds and skips them on the next call', async () => {
    const data = dataset(30);
    const dir = path.join(tmp, 'cv');
    let built = 0;
    const trainer = () =>
      m.cnnTrainer({
        build: () => {
          built++;
          return small();
        },
        data,
        options: { epochs: 2, batchSize: 8, silent: true },
        settings: { net: 'small' },
      });
    const r1 = await evaluation.crossValidate(trainer(), asDataset(data), { k: 2, seed: 0, cacheDir: dir });
    assert.strictEqual(built, 2);
    assert.strictEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length, 2, 'one stored result per fold');
    assert.ok(fs.existsSync(path.join(dir, 'fold-2-model', 'model.json')));
    assert.ok(!fs.existsSync(path.join(dir, 'fold-1.ckpt')), 'the checkpoint of a stored fold is removed');
    const r2 = await evaluation.crossValidate(trainer(), asDataset(data), { k: 2, seed: 0, cacheDir: dir });
    assert.strictEqual(built, 2, 'finished folds were retrained');
    assert.ok(r2.folds.every((f) => f.cached));
    assert.deepStrictEqual(
      r2.folds.map((f) => f.yPred),
      r1.folds.map((f) => f.yPred),
    );
    assert.strictEqual(r1.folds[0].testIndex.length, 15);
    assert.strictEqual(r1.folds[0].detail.history.length, 2);
    // the saved model predicts what the fold reported
    const saved = await m.loadTfjsModel(r1.folds[1].detail.modelDir as string);
    const p = m.argmaxRows(m.predictProba(saved, data, r1.folds[1].testIndex), K);
    assert.deepStrictEqual(Array.from(p), r1.folds[1].yPred);
    saved.dispose();
  });

  it('trains only the head on cached features when the prefix is frozen', async () => {
    const data = dataset(24);
    const build = () => {
      const model = small();
      model.layers.slice(0, 4).forEach((l) => (l.trainable = false));
      return model;
    };
    const snapshots: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const res = await evaluation.crossValidate(
      m.cnnTrainer({
        build,
        data,
        frozenUntil: 'max_pooling2d_2',
        options: { epochs: 3, batchSize: 8, silent: true },
        saveModels: false,
        settings: {},
      }),
      asDataset(data),
      { k: 3, seed: 0, onFold: () => snapshots.push(1) },
    );
    assert.ok(res.folds.every((f) => f.detail.epochsRun === 3));
    assert.strictEqual(snapshots.length, 3);
    assert.strictEqual(tf.memory().numTensors, tensorsBefore, 'model, head or features left tensors behind');
  });

  it('a frozen prefix keeps its weights; the head learns', async () => {
    const data = dataset(24);
    const model = small();
    model.layers.slice(0, 4).forEach((l) => (l.trainable = false));
    const frozen = Array.from(model.getLayer('conv2d_2').getWeights()[0].dataSync());
    const head0 = Array.from(model.getLayer('predictions').getWeights()[0].dataSync());
    const { extractor, head } = m.splitAt(model, 'max_pooling2d_2');
    const feats = m.extractFeatures(extractor, data, 8, true);
    assert.deepStrictEqual(feats.shape, [3, 3, 6]);
    await m.fit({ model: head, data: feats, train: range(0, 16), val: range(16, 24), options: { epochs: 2, batchSize: 8, silent: true } });
    assert.deepStrictEqual(Array.from(model.getLayer('conv2d_2').getWeights()[0].dataSync()), frozen);
    assert.notDeepStrictEqual(Array.from(model.getLayer('predictions').getWeights()[0].dataSync()), head0);
    head.dispose();
    model.dispose();
  });
});
