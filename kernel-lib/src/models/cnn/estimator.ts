/**
 * The deep path's model under cross-validation (paper IV.D-E): a fresh CNN per fold, trained by
 * `fit` on the fold's training rows and scored on its test rows, as an `Estimator` of
 * eval/crossval (the same k-fold, protocols, cache and summary as the SVM). With a cache folder
 * an unfinished fold resumes from its checkpoint (fold-<k>.ckpt, removed once the fold's result
 * is stored) and each fold's model is kept (fold-<k>-model/); a frozen base (VGG16 with ImageNet
 * weights) is run once over all samples and only the head is trained.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hashInts } from '../../core/random';
import { writeFileAtomic } from '../../core/fs';
import { progress } from '../../core/progress';
import type { Estimator, EstimatorFactory } from '../../eval/crossval';
import { stratifiedHoldout } from '../../eval/split';
import { saveTfjsModel } from './checkpoint';
import { argmaxRows, type EpochLog, fit, type FitResult, predictProba, TRAIN_DEFAULTS, type TrainOptions } from './fit';
import { floatSource, sampleSize, type SampleSource } from './source';

/** What a trained fold of a CNN reports besides its scores. */
export interface CnnFoldDetail {
  /** samples trained on and watched for early stopping (the validation part) */
  trainSize: number;
  valSize: number;
  history: EpochLog[];
  /** 1-based epoch whose weights the model holds at the end */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  microBatch: number;
  /** seconds in the training loop */
  trainSeconds: number;
  /** where the fold's trained model was saved (model.save('file://...')), or null */
  modelDir: string | null;
}

export interface CnnTrainerOptions {
  /** a fresh model per fold (same seed: the same initial weights in every fold, as Keras scripts that rebuild it) */
  build: (fold: number) => Promise<tf.LayersModel> | tf.LayersModel;
  /** the samples, row i of the dataset = sample i */
  data: SampleSource;
  options?: TrainOptions;
  /** the model's settings for cache keys and reports (architecture, weights identity, training) */
  settings: Record<string, unknown>;
  /** save each fold's model under <cache>/fold-<k>-model (default true when there is a cache folder) */
  saveModels?: boolean;
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
export function extractFeatures(
  extractor: tf.LayersModel,
  data: SampleSource,
  batch = 16,
  silent = false,
  label = 'features',
): SampleSource {
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
    src.fill(
      Array.from({ length: data.n }, (_, i) => i),
      all,
    );
    writeFileAtomic(file, new Uint8Array(all.buffer));
  }
  return src;
}

/** The CNN trainer as an estimator factory: `crossValidate(cnnTrainer({...}), dataset, {cacheDir})`. */
export function cnnTrainer(t: CnnTrainerOptions): EstimatorFactory<CnnFoldDetail> {
  const o = {
    ...TRAIN_DEFAULTS,
    ...Object.fromEntries(Object.entries(t.options ?? {}).filter(([, v]) => v !== undefined)),
  } as TrainOptions & typeof TRAIN_DEFAULTS;
  let features: SampleSource | null = null; // the frozen base's outputs, shared by the folds
  return {
    kind: 'cnn',
    settings: t.settings,
    async make(_d, fold): Promise<Estimator<CnnFoldDetail>> {
      const model = await t.build(fold);
      let trainModel: tf.LayersModel = model;
      let source = t.data;
      let fitRes: FitResult | null = null;
      let split: { train: number[]; val: number[] } = { train: [], val: [] };
      let modelDir: string | null = null;
      let ckpt: string | null = null;
      let last: { test: Int32Array; p: Float32Array } | null = null; // predict and predictProba share one pass
      const probabilities = (test: Int32Array): Float32Array => {
        if (last?.test !== test) last = { test, p: predictProba(trainModel, source, Array.from(test), o.evalBatch ?? 32) };
        return last.p;
      };
      return {
        async fit(train, ctx) {
          split =
            o.validation === 'test'
              ? { train: Array.from(train), val: Array.from(ctx.test) }
              : stratifiedHoldout(train, t.data.labels, o.validation, hashInts(o.seed, fold, 0x7a1));
          if (t.frozenUntil) {
            const s = splitAt(model, t.frozenUntil);
            trainModel = s.head;
            if (!features)
              features = cachedFeatures(ctx.dir, s.extractor, t.data, !!o.silent, `${t.label ?? 'model'}: frozen base features`);
            source = features;
          }
          ckpt = ctx.dir ? path.join(ctx.dir, `fold-${fold + 1}.ckpt`) : null;
          fitRes = await fit({
            model: trainModel,
            data: source,
            train: split.train,
            val: split.val,
            options: o,
            fold,
            checkpoint: ckpt ?? undefined,
            label: `${t.label ? `${t.label} ` : ''}${ctx.label}`,
          });
          if (ctx.dir && t.saveModels !== false) modelDir = await saveTfjsModel(model, path.join(ctx.dir, `fold-${fold + 1}-model`));
        },
        async predict(test) {
          return argmaxRows(probabilities(test), source.numClasses);
        },
        async predictProba(test) {
          const k = source.numClasses;
          const p = probabilities(test);
          return Array.from(test, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k)));
        },
        detail() {
          const r = fitRes as FitResult;
          return {
            trainSize: split.train.length,
            valSize: split.val.length,
            history: r.history,
            bestEpoch: r.bestEpoch,
            epochsRun: r.epochsRun,
            stoppedEarly: r.stoppedEarly,
            microBatch: r.microBatch,
            trainSeconds: r.seconds,
            modelDir,
          };
        },
        afterSaved() {
          if (ckpt && fs.existsSync(ckpt)) fs.unlinkSync(ckpt);
        },
        dispose() {
          // the head applied the model's own layers once more (their ref count went up): dispose it,
          // then the model; the extractor only references the model's layers and is not disposed
          if (trainModel !== model) trainModel.dispose();
          model.dispose();
        },
      };
    },
  };
}
