/**
 * The live page's classifier (`ser live`), runnable in a browser and in Node: a window of samples
 * at any rate -> resampled to the model's rate with resampy's kaiser_best filter (as
 * librosa.load(sr=22050, res_type='kaiser_best') does in `ser predict`) -> the paper's 173
 * features (features/paper173; + the meyda columns for a model trained with them, as
 * features/extractors appends them) -> StandardScaler + SVC probabilities (models/svm/apply, the code
 * `ser predict` runs). It also returns the window's mel spectrogram in dB
 * (librosa.power_to_db(melspectrogram)) for the page's scrolling display, and how long each
 * step took.
 */
import { resample } from '../audio/resample';
import { powerToDb } from '../dsp/convert';
import type { Matrix } from '../dsp/matrix';
import { appendMeyda, isBuiltinExtractor } from '../features/extractors';
import { paper173FromMatrices, paper173Matrices } from '../features/paper173';
import { recipeOfParams, RECIPE_DEFAULTS } from '../features/recipe';
import { Pipeline } from '../models/svm/pipeline';
import type { SavedModelMeta } from '../models/saved';
import { svmProbabilities } from '../models/svm/apply';

/**
 * The kernel-lib assets a page provides (provideAsset) before its first window: the DSP kernels
 * and resampy's kaiser_best table with its index. `ser live` serves exactly these.
 */
export const LIVE_ASSETS: readonly string[] = Object.freeze([
  'dist/wasm/dsp.wasm',
  'assets/resampy/filters.json',
  'assets/resampy/kaiser_best.f64',
]);

/** A saved SVM model ready for the page: its ser-model.json and its fitted pipeline. */
export interface LiveModel {
  meta: SavedModelMeta;
  pipeline: Pipeline;
}

/** The model's feature parameters (as ser predict reads them). */
function extractorParams(meta: SavedModelMeta): { extractor: string; meyda: boolean } {
  const p = meta.input.params as { extractor?: string; meyda?: boolean };
  return { extractor: p.extractor ?? 'paper173', meyda: !!p.meyda };
}

/**
 * Why the live page cannot run a saved model, or null when it can. It runs the SVM models of
 * `ser svm --save` on the built-in features (the paper's 173, with or without the meyda
 * columns). A CNN model would need TensorFlow.js and the mel-image code in the page, which it
 * does not bundle; a feature extractor module on disk cannot be loaded by a page.
 */
export function liveModelProblem(meta: SavedModelMeta): string | null {
  if (meta.kind !== 'svm') {
    return `holds a ${meta.kind} model: the live page runs SVM models only (a CNN would need TensorFlow.js and the mel-image code in the page); save one with 'ser svm --save'`;
  }
  const { extractor } = extractorParams(meta);
  if (!isBuiltinExtractor(extractor)) {
    return `computes its features with the module ${extractor}: a page cannot load modules from disk, only the built-in paper173 (+meyda) features`;
  }
  return null;
}

/** A LiveModel from the JSON of ser-model.json and pipeline.json (refused as liveModelProblem says). */
export function liveModelFromJson(meta: SavedModelMeta, pipelineJson: ReturnType<Pipeline['toJSON']>): LiveModel {
  const problem = liveModelProblem(meta);
  if (problem) throw new Error(`model: ${problem}`);
  const pipeline = Pipeline.fromJSON(pipelineJson, { workers: 1 });
  if (!pipeline.estimator.params.probability)
    throw new Error('model: the saved SVC has no probability model (save it with probability estimates)');
  const classes = pipeline.classes.map(String);
  if (classes.join() !== meta.classes.join())
    throw new Error(`model: pipeline classes ${classes.join(',')} differ from ser-model.json's ${meta.classes.join(',')}`);
  return { meta, pipeline };
}

/** Milliseconds spent on one window. */
export interface WindowTiming {
  /** resampling to the model's rate (0 when already there) */
  resample: number;
  /** the 173 features */
  features: number;
  /** scaler + SVC probabilities */
  predict: number;
  /** all three */
  total: number;
}

export interface WindowResult {
  /** probability of each class, in `classes` order */
  probabilities: number[];
  classes: string[];
  /** the most probable class */
  top: string;
  /** the model's feature vector (the 173, then the meyda columns when the model has them) */
  features: Float64Array;
  /** power_to_db of the window's mel spectrogram (128 bands x frames, ref 1.0, top_db 80) */
  melDb: Matrix;
  /** samples at the model's rate */
  samples: number;
  timing: WindowTiming;
}

/**
 * Classifies one window `y` recorded at `sr` Hz (mono, samples in [-1, 1]): resampled to the
 * model's rate if needed, then the model's 173 features and probabilities.
 */
export async function classifyWindow(model: LiveModel, y: Float32Array, sr: number): Promise<WindowResult> {
  if (!(y instanceof Float32Array)) throw new Error('classifyWindow: y must be a Float32Array');
  if (!(sr > 0) || !Number.isFinite(sr)) throw new Error(`classifyWindow: sample rate must be > 0, got ${sr}`);
  if (y.length === 0) throw new Error('classifyWindow: empty window');
  const target = model.meta.input.sr;
  const t0 = performance.now();
  const recipe = recipeOfParams(model.meta.input.params);
  const yr = sr === target ? y : resample(y, sr, target, { filter: recipe.resType ?? RECIPE_DEFAULTS.resType });
  const t1 = performance.now();
  // paper173(y) is paper173FromMatrices(paper173Matrices(y)); the matrices also give the display's mel
  const m = paper173Matrices(yr, target, { nMfcc: recipe.nMfcc, padMode: recipe.padMode });
  const base = paper173FromMatrices(m);
  const features = extractorParams(model.meta).meyda ? appendMeyda(base, yr, target) : base;
  const t2 = performance.now();
  const [p] = await svmProbabilities(model.pipeline, [features]);
  const t3 = performance.now();
  const classes = model.meta.classes;
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return {
    probabilities: p,
    classes,
    top: classes[best],
    features,
    melDb: powerToDb(m.mel),
    samples: yr.length,
    timing: { resample: t1 - t0, features: t2 - t1, predict: t3 - t2, total: t3 - t0 },
  };
}

/** Frames of a window at `sr` Hz: int(duration * sr), as librosa.load counts its duration. */
export function windowFrames(model: LiveModel, sr: number): number {
  return Math.trunc(model.meta.input.duration * sr);
}
