/**
 * The training loop both CNNs share (paper IV.D): categorical cross-entropy, Adam (lr 5e-5),
 * batches of 32, up to 100 epochs, early stopping on the validation loss with patience 10 that
 * restores the best weights (keras EarlyStopping(monitor='val_loss', patience=10,
 * restore_best_weights=True) semantics), k folds.
 *
 * Beyond model.fit:
 * - gradient accumulation: a batch of 32 is run as micro-batches whose gradients are summed
 *   before one Adam step, so the update equals the full batch's while the wasm backend's 4 GiB
 *   heap holds only a micro-batch of activations (`microBatch`, 'auto' sizes it from the model);
 * - seeded: the shuffle of every epoch and every dropout mask derive from (seed, fold, epoch,
 *   step), initial weights from the model seed, so a run and a resumed run are the same run;
 * - memory-stable: every step runs in tf.tidy, best weights are kept as plain arrays, the
 *   tensor count is the same after every epoch (tested);
 * - per-epoch history, a progress bar (terminal) or updating output with live loss and
 *   accuracy curves (notebook), and a checkpoint per fold written after every epoch, so a
 *   killed run resumes at its last finished epoch and skips finished folds;
 * - a frozen feature extractor (VGG16 base with ImageNet weights) is run once over all
 *   samples and only the head is trained on its outputs: the same result as training the
 *   whole model with a frozen base (no augmentation, the dropout is after Flatten), much faster.
 */
import { mulberry32 } from '../eval/random';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { progress } from '../report/progress';
import { inNotebook, LiveDisplay, escapeHtml } from '../report/display';
import { ensureDir, writeFileAtomic } from '../report/context';
import { readCheckpoint, saveTfjsModel, snapshot, WeightBlob, writeCheckpoint } from './checkpoint';

// ---- data ---------------------------------------------------------------------------------

/** Samples the loop can batch: a per-sample shape, labels, and a way to fill a batch buffer. */
export interface SampleSource {
  n: number;
  /** per-sample shape, e.g. [128, 128, 3] */
  shape: number[];
  labels: Int32Array;
  numClasses: number;
  /** writes the samples `idx` (as float32) into `out` (idx.length * prod(shape)) */
  fill(idx: ArrayLike<number>, out: Float32Array): void;
}

export function sampleSize(s: { shape: number[] }): number {
  return s.shape.reduce((a, b) => a * b, 1);
}

/** Images stored as bytes (n x h x w x c), fed as bytes / 255. */
export function imageSource(pixels: Uint8Array, shape: [number, number, number], labels: Int32Array, numClasses: number): SampleSource {
  const size = shape[0] * shape[1] * shape[2];
  if (pixels.length !== labels.length * size) throw new Error(`imageSource: ${pixels.length} bytes for ${labels.length} images of ${shape.join('x')}`);
  return {
    n: labels.length,
    shape: shape.slice(),
    labels,
    numClasses,
    fill(idx, out) {
      for (let k = 0; k < idx.length; k++) {
        const src = idx[k] * size;
        const dst = k * size;
        for (let i = 0; i < size; i++) out[dst + i] = pixels[src + i] / 255;
      }
    },
  };
}

/** Float features (n x prod(shape)). */
export function floatSource(data: Float32Array, shape: number[], labels: Int32Array, numClasses: number): SampleSource {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    n: labels.length,
    shape: shape.slice(),
    labels,
    numClasses,
    fill(idx, out) {
      for (let k = 0; k < idx.length; k++) out.set(data.subarray(idx[k] * size, (idx[k] + 1) * size), k * size);
    },
  };
}

// ---- seeded randomness --------------------------------------------------------------------

/** 32-bit hash of integers (for per-epoch / per-step seeds). */
export function hashInts(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    let v = x >>> 0;
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
      v >>>= 8;
    }
  }
  return h >>> 0;
}

/** mulberry32 (eval/random): small seeded PRNG in [0, 1). */
export const rng: (seed: number) => () => number = mulberry32;

export function shuffled<T>(xs: ArrayLike<T>, random: () => number): T[] {
  const a = Array.from(xs);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Stratified hold-out of a fraction of `idx` (seeded): {train, val}. */
export function stratifiedHoldout(idx: ArrayLike<number>, labels: Int32Array, fraction: number, seed: number): { train: number[]; val: number[] } {
  const byClass = new Map<number, number[]>();
  for (const i of Array.from(idx)) {
    const l = labels[i];
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  const r = rng(seed);
  for (const k of [...byClass.keys()].sort((a, b) => a - b)) {
    const xs = shuffled(byClass.get(k)!, r);
    const nVal = Math.round(xs.length * fraction);
    val.push(...xs.slice(0, nVal));
    train.push(...xs.slice(nVal));
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

// ---- options and logs ---------------------------------------------------------------------

export interface TrainOptions {
  /** maximum epochs (paper 100) */
  epochs?: number;
  /** batch size of one optimiser step (paper 32) */
  batchSize?: number;
  /** samples per forward/backward pass; gradients of a batch's micro-batches are summed */
  microBatch?: number | 'auto';
  /** Adam learning rate (paper 5e-5) */
  learningRate?: number;
  /** early-stopping patience in epochs (paper 10); 0 disables early stopping */
  patience?: number;
  /** restore the weights of the best validation-loss epoch at the end (paper: yes) */
  restoreBest?: boolean;
  seed?: number;
  /**
   * validation data: 'test' = the fold's test part (what the paper's learning curves show and
   * its early stopping watched: keras validation_data), or a fraction held out (stratified)
   * from the training part
   */
  validation?: 'test' | number;
  /** samples per evaluation pass (default: 4 x micro-batch) */
  evalBatch?: number;
  /** no progress output */
  silent?: boolean;
  /** live curves in a notebook output (default: when running in a notebook) */
  live?: boolean;
  /** called after every epoch */
  onEpoch?: (log: EpochLog, fold: number) => void;
}

export interface EpochLog {
  /** 1-based */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  /** training samples per second (forward + backward + update) */
  samplesPerSecond: number;
}

export interface FitResult {
  history: EpochLog[];
  /** 1-based epoch whose weights the model holds at the end */
  bestEpoch: number;
  bestValLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  restored: boolean;
  seconds: number;
  microBatch: number;
  resumedFrom: number;
}

const DEFAULTS = {
  epochs: 100,
  batchSize: 32,
  learningRate: 5e-5,
  patience: 10,
  restoreBest: true,
  seed: 0,
  validation: 'test' as 'test' | number,
};

/**
 * Micro-batch for the wasm heap (4 GiB, 32-bit): estimated from the floats of every layer's
 * output per sample (kept for the backward pass, plus transposed copies and gradients while it
 * runs, ~6x). Other backends get the whole batch.
 */
export function autoMicroBatch(model: tf.LayersModel, batchSize: number, backend = tf.getBackend()): number {
  if (backend !== 'wasm' && backend !== 'cpu') return batchSize;
  let floats = 0;
  for (const l of model.layers) {
    const s = l.outputShape as number[] | number[][];
    const shape = (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
    floats += shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  }
  const perSample = floats * 4 * 6;
  const budget = 1.5 * 1024 ** 3;
  return Math.max(1, Math.min(batchSize, Math.floor(budget / perSample)));
}

// ---- one model ----------------------------------------------------------------------------

function trainableVars(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as any).val as tf.Variable);
}

function dropoutLayers(model: tf.LayersModel): any[] {
  const out: any[] = [];
  const visit = (m: tf.LayersModel) => {
    for (const l of m.layers) {
      if (l.getClassName() === 'Dropout') out.push(l);
      else if ((l as any).layers) visit(l as any);
    }
  };
  visit(model);
  return out;
}

function crossEntropySum(probs: tf.Tensor, labels: tf.Tensor, numClasses: number): tf.Scalar {
  const eps = 1e-7;
  const y = tf.oneHot(labels as tf.Tensor1D, numClasses).toFloat();
  const p = tf.clipByValue(tf.div(probs, tf.sum(probs, -1, true)), eps, 1 - eps);
  return tf.neg(tf.sum(tf.mul(y, tf.log(p)))) as tf.Scalar;
}

/** Class probabilities for `idx`, in eval mode, `batch` samples at a time. */
export function predictProba(model: tf.LayersModel, data: SampleSource, idx: ArrayLike<number>, batch = 64): Float32Array {
  const K = data.numClasses;
  const out = new Float32Array(idx.length * K);
  const size = sampleSize(data);
  const all = Array.from(idx);
  for (let s = 0; s < all.length; s += batch) {
    const part = all.slice(s, s + batch);
    const buf = new Float32Array(part.length * size);
    data.fill(part, buf);
    const p = tf.tidy(() => model.apply(tf.tensor(buf, [part.length, ...data.shape]), { training: false }) as tf.Tensor);
    out.set(p.dataSync() as Float32Array, s * K);
    p.dispose();
  }
  return out;
}

export function argmaxRows(p: Float32Array, k: number): Int32Array {
  const n = p.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + b]) b = j;
    out[i] = b;
  }
  return out;
}

function evaluate(model: tf.LayersModel, data: SampleSource, idx: number[], batch: number): { loss: number; accuracy: number; proba: Float32Array } {
  const K = data.numClasses;
  const proba = predictProba(model, data, idx, batch);
  const eps = 1e-7;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < idx.length; i++) {
    const y = data.labels[idx[i]];
    let s = 0;
    let b = 0;
    for (let j = 0; j < K; j++) {
      s += proba[i * K + j];
      if (proba[i * K + j] > proba[i * K + b]) b = j;
    }
    const p = Math.min(1 - eps, Math.max(eps, Math.fround(proba[i * K + y] / s)));
    loss -= Math.log(p);
    if (b === y) correct++;
  }
  return { loss: loss / Math.max(1, idx.length), accuracy: correct / Math.max(1, idx.length), proba };
}

interface CkptState {
  version: 1;
  fold: number;
  epoch: number;
  history: EpochLog[];
  bestValLoss: number;
  bestEpoch: number;
  wait: number;
  stopped: boolean;
}

function setVars(vars: tf.Variable[], blobs: WeightBlob[]): void {
  if (blobs.length !== vars.length) throw new Error(`checkpoint holds ${blobs.length} weights, the model has ${vars.length}`);
  vars.forEach((v, i) => {
    if (blobs[i].shape.join('x') !== v.shape.join('x')) throw new Error(`checkpoint weight ${blobs[i].name} has shape ${blobs[i].shape}, the model needs ${v.shape}`);
    const t = tf.tensor(blobs[i].data, blobs[i].shape);
    v.assign(t);
    t.dispose();
  });
}

export interface FitArgs {
  model: tf.LayersModel;
  data: SampleSource;
  train: ArrayLike<number>;
  val: ArrayLike<number>;
  options?: TrainOptions;
  /** fold number (for seeds, labels and checkpoints), 0-based */
  fold?: number;
  /** checkpoint file written after every epoch (resumed from when present) */
  checkpoint?: string;
  /** progress label */
  label?: string;
}

/** Trains one model (see the module comment). The model ends with the best epoch's weights. */
export async function fit(args: FitArgs): Promise<FitResult> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)) } as TrainOptions & typeof DEFAULTS;
  const { model, data } = args;
  const fold = args.fold ?? 0;
  const trainIdx = Array.from(args.train);
  const valIdx = Array.from(args.val);
  const K = data.numClasses;
  const size = sampleSize(data);
  const micro = o.microBatch === undefined || o.microBatch === 'auto' ? autoMicroBatch(model, o.batchSize) : Math.max(1, Math.min(o.batchSize, o.microBatch));
  const evalBatch = o.evalBatch ?? Math.max(micro * 4, 8);
  const vars = trainableVars(model);
  if (!vars.length) throw new Error('fit: the model has no trainable weights');
  const drops = dropoutLayers(model);
  const optimizer = tf.train.adam(o.learningRate);
  const label = args.label ?? `fold ${fold + 1}`;
  const t0 = Date.now();

  let state: CkptState = { version: 1, fold, epoch: 0, history: [], bestValLoss: Infinity, bestEpoch: 0, wait: 0, stopped: false };
  let best: WeightBlob[] | null = null;
  let resumedFrom = 0;
  if (args.checkpoint) {
    const ck = readCheckpoint<CkptState>(args.checkpoint);
    if (ck && ck.state.version === 1 && ck.state.fold === fold) {
      setVars(vars, ck.groups.current ?? []);
      best = ck.groups.best ?? null;
      const opt = ck.groups.optimizer ?? [];
      if (opt.length) {
        const named = opt.map((b) => ({ name: b.name, tensor: tf.tensor(b.data, b.shape) }));
        await optimizer.setWeights(named); // copies into its own variables
        tf.dispose(named.map((w) => w.tensor));
      }
      state = ck.state;
      resumedFrom = state.epoch;
    }
  }

  const live = (o.live ?? inNotebook()) && !o.silent ? new LiveDisplay() : null;
  const stepsPerEpoch = Math.ceil(trainIdx.length / o.batchSize);
  const buf = new Float32Array(micro * size);

  try {
    while (!state.stopped && state.epoch < o.epochs) {
      const epoch = state.epoch + 1;
      const te = Date.now();
      const order = shuffled(trainIdx, rng(hashInts(o.seed, fold, epoch)));
      // terminal: a bar per epoch; notebook: one updating output per fold (progress + curves)
      const bar = o.silent || live ? null : progress(`${label} epoch ${epoch}/${o.epochs}`, trainIdx.length, { unit: 'samples' });
      let lastLive = 0;
      let seen = 0;
      let lossSum = 0;
      let correct = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        const batch = order.slice(step * o.batchSize, (step + 1) * o.batchSize);
        const B = batch.length;
        let accum: tf.Tensor[] | null = null;
        for (let m = 0, part = 0; m < B; m += micro, part++) {
          const mi = batch.slice(m, m + micro);
          const xs = mi.length === micro ? buf : new Float32Array(mi.length * size);
          data.fill(mi, xs);
          drops.forEach((d, j) => (d.seed = hashInts(o.seed, fold, epoch, step, part, j)));
          const labels = Int32Array.from(mi, (i) => data.labels[i]);
          const res = tf.tidy(() => {
            const x = tf.tensor(xs, [mi.length, ...data.shape]);
            const y = tf.tensor1d(labels, 'int32');
            let hits: tf.Tensor | null = null;
            const { value, grads } = tf.variableGrads(() => {
              const probs = model.apply(x, { training: true }) as tf.Tensor;
              hits = tf.keep(tf.sum(tf.equal(tf.argMax(probs, -1), y).toInt()));
              return tf.div(crossEntropySum(probs, y, K), B) as tf.Scalar;
            }, vars);
            const g = vars.map((v) => grads[v.name]);
            const summed = accum ? g.map((t, i) => tf.add(accum![i], t)) : g;
            return { value, summed, hits: hits! };
          });
          if (accum) tf.dispose(accum);
          accum = res.summed;
          lossSum += (res.value.dataSync()[0] as number) * B;
          correct += res.hits.dataSync()[0] as number;
          tf.dispose([res.value, res.hits]);
        }
        optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: accum![i] })));
        tf.dispose(accum!);
        bar?.tick(B);
        seen += B;
        if (live && Date.now() - lastLive > 1000) {
          lastLive = Date.now();
          const rate = seen / Math.max(1e-3, (Date.now() - te) / 1000);
          live.html(curvesSvg(state.history, `${label}: learning curves`, state.bestEpoch, `epoch ${epoch}/${o.epochs}: ${seen}/${trainIdx.length} samples, ${rate.toFixed(1)} samples/s`));
        }
        // let the event loop run: progress outputs, signals
        if (step % 4 === 3) await new Promise((r) => setImmediate(r));
      }
      const trainSeconds = (Date.now() - te) / 1000;
      const ev = evaluate(model, data, valIdx, evalBatch);
      const log: EpochLog = {
        epoch,
        loss: lossSum / trainIdx.length,
        accuracy: correct / trainIdx.length,
        valLoss: ev.loss,
        valAccuracy: ev.accuracy,
        seconds: (Date.now() - te) / 1000,
        samplesPerSecond: trainIdx.length / trainSeconds,
      };
      bar?.done(`loss ${log.loss.toFixed(4)} acc ${log.accuracy.toFixed(3)} val_loss ${log.valLoss.toFixed(4)} val_acc ${log.valAccuracy.toFixed(3)}`);
      state.history.push(log);
      state.epoch = epoch;
      // keras EarlyStopping(monitor='val_loss', patience, restore_best_weights=True)
      if (log.valLoss < state.bestValLoss) {
        state.bestValLoss = log.valLoss;
        state.bestEpoch = epoch;
        state.wait = 0;
        best = snapshot(vars.map((v) => ({ name: v.name, tensor: v })));
      } else {
        state.wait++;
        if (o.patience > 0 && state.wait >= o.patience) state.stopped = true;
      }
      if (live) live.html(curvesSvg(state.history, `${label}: learning curves`, state.bestEpoch));
      args.options?.onEpoch?.(log, fold);
      if (args.checkpoint) {
        const opt = await optimizer.getWeights();
        writeCheckpoint(args.checkpoint, state, {
          current: snapshot(vars.map((v) => ({ name: v.name, tensor: v }))),
          best: best ?? [],
          optimizer: snapshot(opt),
        });
        // getWeights returns Adam's own slot variables (keep) and a fresh iterations scalar (dispose)
        tf.dispose(opt.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
      }
    }
  } finally {
    optimizer.dispose();
  }
  let restored = false;
  if (o.restoreBest && best && state.bestEpoch !== state.epoch) {
    setVars(vars, best);
    restored = true;
  }
  return {
    history: state.history,
    bestEpoch: o.restoreBest ? state.bestEpoch : state.epoch,
    bestValLoss: state.bestValLoss,
    epochsRun: state.epoch,
    stoppedEarly: state.stopped,
    restored,
    seconds: (Date.now() - t0) / 1000,
    microBatch: micro,
    resumedFrom,
  };
}

// ---- k folds ------------------------------------------------------------------------------

export interface Fold {
  train: ArrayLike<number>;
  test: ArrayLike<number>;
}

export interface FoldResult {
  fold: number;
  trainSize: number;
  valSize: number;
  testSize: number;
  history: EpochLog[];
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** test indices (into the data) and their true and predicted classes */
  testIndex: number[];
  yTrue: number[];
  yPred: number[];
  accuracy: number;
  seconds: number;
  microBatch: number;
  /** where the fold's trained model was saved (model.save('file://...')) */
  modelDir: string | null;
}

export interface CrossValidateArgs {
  /** a fresh model per fold (same seed: the same initial weights in every fold, as in Keras scripts that rebuild it) */
  build: (fold: number) => Promise<tf.LayersModel> | tf.LayersModel;
  data: SampleSource;
  folds: Fold[];
  options?: TrainOptions;
  /** folder for checkpoints, per-fold results and models; null: nothing written, no resume */
  dir?: string | null;
  /** save each fold's model under <dir>/fold-<k>-model (default true when dir is set) */
  saveModels?: boolean;
  /** called when a fold finishes (or is found finished) */
  onFold?: (r: FoldResult) => void;
  /**
   * name of the last layer of a frozen prefix (e.g. 'block5_pool'): when every layer up to it
   * is not trainable, its output is computed once and only the rest is trained
   */
  frozenUntil?: string;
  label?: string;
}

/** Splits a model at `layerName`: the frozen feature extractor and the trainable head (sharing layers). */
export function splitAt(model: tf.LayersModel, layerName: string): { extractor: tf.LayersModel; head: tf.LayersModel } {
  const k = model.layers.findIndex((l) => l.name === layerName);
  if (k < 0) throw new Error(`splitAt: no layer '${layerName}'`);
  const extractor = tf.model({ inputs: model.inputs, outputs: model.layers[k].output as tf.SymbolicTensor });
  const featShape = (model.layers[k].outputShape as number[]).slice(1);
  const inp = tf.input({ shape: featShape });
  let x: tf.SymbolicTensor = inp;
  for (const l of model.layers.slice(k + 1)) x = l.apply(x) as tf.SymbolicTensor;
  return { extractor, head: tf.model({ inputs: inp, outputs: x }) };
}

/** Runs a frozen extractor over all samples once: the head's training data. */
export function extractFeatures(extractor: tf.LayersModel, data: SampleSource, batch = 16, silent = false, label = 'features'): SampleSource {
  const featShape = (extractor.outputs[0].shape as number[]).slice(1);
  const fsz = featShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.n * fsz);
  const bar = silent ? null : progress(label, data.n, { unit: 'samples' });
  const size = sampleSize(data);
  for (let s = 0; s < data.n; s += batch) {
    const idx = Array.from({ length: Math.min(batch, data.n - s) }, (_, i) => s + i);
    const buf = new Float32Array(idx.length * size);
    data.fill(idx, buf);
    const f = tf.tidy(() => extractor.apply(tf.tensor(buf, [idx.length, ...data.shape]), { training: false }) as tf.Tensor);
    out.set(f.dataSync() as Float32Array, s * fsz);
    f.dispose();
    bar?.tick(idx.length);
  }
  bar?.done();
  return floatSource(out, featShape, data.labels, data.numClasses);
}

/** extractFeatures, kept in <dir>/frozen-features.bin so a resumed run does not recompute them. */
function cachedFeatures(dir: string | null, extractor: tf.LayersModel, data: SampleSource, silent: boolean, label: string): SampleSource {
  const featShape = (extractor.outputs[0].shape as number[]).slice(1);
  const fsz = featShape.reduce((a, b) => a * b, 1);
  const file = dir ? path.join(dir, 'frozen-features.bin') : null;
  if (file && fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    if (buf.length === data.n * fsz * 4) {
      const f = new Float32Array(data.n * fsz);
      Buffer.from(f.buffer).set(buf);
      return floatSource(f, featShape, data.labels, data.numClasses);
    }
  }
  const src = extractFeatures(extractor, data, 16, silent, label);
  if (file) {
    const all = new Float32Array(data.n * fsz);
    src.fill(Array.from({ length: data.n }, (_, i) => i), all);
    writeFileAtomic(file, new Uint8Array(all.buffer));
  }
  return src;
}

/**
 * Trains and tests one fresh model per fold. With `dir`, each finished fold is stored
 * (fold-<k>.json, fold-<k>-model/) and skipped on the next call; an unfinished fold resumes from
 * fold-<k>.ckpt.
 */
export async function crossValidate(args: CrossValidateArgs): Promise<FoldResult[]> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)) } as TrainOptions & typeof DEFAULTS;
  const dir = args.dir ? ensureDir(path.resolve(args.dir)) : null;
  const results: FoldResult[] = [];
  let features: SampleSource | null = null;
  for (let k = 0; k < args.folds.length; k++) {
    const doneFile = dir ? path.join(dir, `fold-${k + 1}.json`) : null;
    if (doneFile && fs.existsSync(doneFile)) {
      const r = JSON.parse(fs.readFileSync(doneFile, 'utf8')) as FoldResult;
      results.push(r);
      args.onFold?.(r);
      continue;
    }
    const { train, test } = args.folds[k];
    const split =
      o.validation === 'test'
        ? { train: Array.from(train), val: Array.from(test) }
        : stratifiedHoldout(train, args.data.labels, o.validation, hashInts(o.seed, k, 0x7a1));
    const model = await args.build(k);
    let trainModel: tf.LayersModel = model;
    let source = args.data;
    let extractor: tf.LayersModel | null = null;
    if (args.frozenUntil) {
      const s = splitAt(model, args.frozenUntil);
      extractor = s.extractor;
      trainModel = s.head;
      if (!features) features = cachedFeatures(dir, s.extractor, args.data, !!o.silent, `${args.label ?? 'model'}: frozen base features`);
      source = features;
    }
    const fitRes = await fit({
      model: trainModel,
      data: source,
      train: split.train,
      val: split.val,
      options: o,
      fold: k,
      checkpoint: dir ? path.join(dir, `fold-${k + 1}.ckpt`) : undefined,
      label: `${args.label ? args.label + ' ' : ''}fold ${k + 1}/${args.folds.length}`,
    });
    const testIdx = Array.from(test);
    const proba = predictProba(trainModel, source, testIdx, o.evalBatch ?? 32);
    const pred = argmaxRows(proba, source.numClasses);
    const yTrue = testIdx.map((i) => args.data.labels[i]);
    const yPred = Array.from(pred);
    let modelDir: string | null = null;
    if (dir && args.saveModels !== false) modelDir = await saveTfjsModel(model, path.join(dir, `fold-${k + 1}-model`));
    const r: FoldResult = {
      fold: k + 1,
      trainSize: split.train.length,
      valSize: split.val.length,
      testSize: testIdx.length,
      history: fitRes.history,
      bestEpoch: fitRes.bestEpoch,
      epochsRun: fitRes.epochsRun,
      stoppedEarly: fitRes.stoppedEarly,
      testIndex: testIdx,
      yTrue,
      yPred,
      accuracy: yTrue.filter((y, i) => y === yPred[i]).length / Math.max(1, yTrue.length),
      seconds: fitRes.seconds,
      microBatch: fitRes.microBatch,
      modelDir,
    };
    if (doneFile) {
      writeFileAtomic(doneFile, JSON.stringify(r));
      const ck = path.join(dir!, `fold-${k + 1}.ckpt`);
      if (fs.existsSync(ck)) fs.unlinkSync(ck);
    }
    // the head applied the model's own layers once more (their ref count went up): dispose it,
    // then the model; the extractor only references the model's layers and is not disposed
    if (trainModel !== model) trainModel.dispose();
    void extractor;
    model.dispose();
    results.push(r);
    args.onFold?.(r);
  }
  return results;
}

// ---- live curves ----------------------------------------------------------------------------

/** A small two-panel SVG (loss, accuracy; train vs validation) for the live notebook output. */
export function curvesSvg(history: EpochLog[], title: string, bestEpoch = 0, status = ''): string {
  if (!history.length) return `<div><b>${escapeHtml(title)}</b><br/><small>${escapeHtml(status || 'starting')}</small></div>`;
  const W = 300;
  const H = 170;
  const pad = 34;
  const panel = (key: 'loss' | 'accuracy', valKey: 'valLoss' | 'valAccuracy', x0: number, name: string) => {
    const ys = history.flatMap((h) => [h[key], h[valKey]]).filter(Number.isFinite);
    const lo = Math.min(...ys, key === 'accuracy' ? 0 : Infinity);
    const hi = Math.max(...ys, key === 'accuracy' ? 1 : -Infinity);
    const n = Math.max(2, history.length);
    const sx = (e: number) => x0 + pad + ((e - 1) / (n - 1)) * (W - pad - 10);
    const sy = (v: number) => 10 + (1 - (v - lo) / (hi - lo || 1)) * (H - pad - 10);
    const line = (k: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy', color: string) =>
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${history.map((h) => `${sx(h.epoch).toFixed(1)},${sy(h[k]).toFixed(1)}`).join(' ')}"/>`;
    const best = bestEpoch ? `<line x1="${sx(bestEpoch)}" x2="${sx(bestEpoch)}" y1="10" y2="${H - pad}" stroke="#999" stroke-dasharray="3,3"/>` : '';
    return (
      `<rect x="${x0 + pad}" y="10" width="${W - pad - 10}" height="${H - pad - 10}" fill="none" stroke="#ccc"/>` +
      best +
      line(key, '#1f77b4') +
      line(valKey, '#ff7f0e') +
      `<text x="${x0 + pad}" y="${H - pad + 14}" font-size="10">epoch 1..${history.length}</text>` +
      `<text x="${x0 + 2}" y="18" font-size="10">${hi.toFixed(2)}</text><text x="${x0 + 2}" y="${H - pad}" font-size="10">${lo.toFixed(2)}</text>` +
      `<text x="${x0 + W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${name}</text>`
    );
  };
  const last = history[history.length - 1];
  const caption = last
    ? `epoch ${last.epoch}: loss ${last.loss.toFixed(3)}, val_loss ${last.valLoss.toFixed(3)}, acc ${(100 * last.accuracy).toFixed(1)}%, val_acc ${(100 * last.valAccuracy).toFixed(1)}%${bestEpoch ? `, best epoch ${bestEpoch}` : ''}`
    : '';
  return (
    `<div><b>${escapeHtml(title)}</b> <span style="color:#1f77b4">train</span> / <span style="color:#ff7f0e">validation</span><br/>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}">${panel('loss', 'valLoss', 0, 'loss')}${panel('accuracy', 'valAccuracy', W, 'accuracy')}</svg>` +
    `<br/><small>${escapeHtml(caption)}${status ? `<br/>${escapeHtml(status)}` : ''}</small></div>`
  );
}
