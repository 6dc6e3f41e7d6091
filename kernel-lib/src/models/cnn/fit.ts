/**
 * The training loop both CNNs share (paper IV.D): categorical cross-entropy, Adam (lr 5e-5),
 * batches of 32, up to 100 epochs, early stopping on the validation loss with patience 10 that
 * restores the best weights (keras EarlyStopping(monitor='val_loss', patience=10,
 * restore_best_weights=True) semantics).
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
import * as tf from '@tensorflow/tfjs';
import { hashInts, mulberry32, shuffled } from '../../core/random';
import { progress } from '../../core/progress';
import { inNotebook, LiveDisplay } from '../../core/display';
import { readCheckpoint, snapshot, type WeightBlob, writeCheckpoint } from './checkpoint';
import { curvesSvg, type EpochLog } from './curves';
export type { EpochLog } from './curves';
import { sampleSize, type SampleSource } from './source';

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

export const TRAIN_DEFAULTS = {
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

function evaluate(
  model: tf.LayersModel,
  data: SampleSource,
  idx: number[],
  batch: number,
): { loss: number; accuracy: number; proba: Float32Array } {
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
    if (blobs[i].shape.join('x') !== v.shape.join('x'))
      throw new Error(`checkpoint weight ${blobs[i].name} has shape ${blobs[i].shape}, the model needs ${v.shape}`);
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
  const o = {
    ...TRAIN_DEFAULTS,
    ...Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)),
  } as TrainOptions & typeof TRAIN_DEFAULTS;
  const { model, data } = args;
  const fold = args.fold ?? 0;
  const trainIdx = Array.from(args.train);
  const valIdx = Array.from(args.val);
  const K = data.numClasses;
  const size = sampleSize(data);
  const micro =
    o.microBatch === undefined || o.microBatch === 'auto'
      ? autoMicroBatch(model, o.batchSize)
      : Math.max(1, Math.min(o.batchSize, o.microBatch));
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
      const order = shuffled(trainIdx, mulberry32(hashInts(o.seed, fold, epoch)));
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
          live.html(
            curvesSvg(
              state.history,
              `${label}: learning curves`,
              state.bestEpoch,
              `epoch ${epoch}/${o.epochs}: ${seen}/${trainIdx.length} samples, ${rate.toFixed(1)} samples/s`,
            ),
          );
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
      bar?.done(
        `loss ${log.loss.toFixed(4)} acc ${log.accuracy.toFixed(3)} val_loss ${log.valLoss.toFixed(4)} val_acc ${log.valAccuracy.toFixed(3)}`,
      );
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
