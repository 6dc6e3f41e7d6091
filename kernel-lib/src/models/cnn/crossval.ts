/**
 * k folds of CNN training (paper IV.D): a fresh model per fold, trained by `fit` and scored on
 * the fold's test part. With a folder, each finished fold is stored and skipped on the next call
 * and an unfinished one resumes from its checkpoint; a frozen base (VGG16 with ImageNet weights)
 * is run once over all samples and only the head is trained.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { hashInts } from '../../core/random';
import { ensureDir, writeFileAtomic } from '../../core/fs';
import { progress } from '../../core/progress';
import { stratifiedHoldout } from '../../eval/split';
import { saveTfjsModel } from './checkpoint';
import { argmaxRows, EpochLog, fit, predictProba, TRAIN_DEFAULTS, TrainOptions } from './fit';
import { floatSource, sampleSize, SampleSource } from './source';

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
  const o = { ...TRAIN_DEFAULTS, ...Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)) } as TrainOptions & typeof TRAIN_DEFAULTS;
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
