/**
 * Applying a saved model to any WAV files (`ser predict`): the same input rule as training
 * (native span [offset, offset + duration), mono mix, resampling to the model's rate), then the
 * model's representation (173 librosa features for the SVM, a mel-spectrogram image for the
 * CNN), then the class probabilities of the 8 emotions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBytes } from '../audio/load';
import { DEFAULT_EXTRACT_PARAMS, resolveExtractor } from '../features/extract';
import { recipeOfParams, RECIPE_DEFAULTS } from '../features/recipe';
import { loadPipeline } from './estimator-files';
import { svmProbabilities } from './svm/apply';
import { inputRuleWarning } from './input-rule';
import { type LoadedModel, ModelDirError, readModelMeta, type SavedModelMeta } from './saved';
export type { LoadedModel } from './saved';

export interface Prediction {
  file: string;
  ok: boolean;
  /** most probable emotion */
  emotion?: string;
  /** probability of each class, in the model's class order */
  probabilities?: Record<string, number>;
  /** e.g. the clip is shorter than offset + duration */
  warning?: string;
  error?: string;
}

/** The SVM pipeline saved by `ser svm --save` (scaler + SVC with probability estimates), its features by the recipe it was trained on. */
export function loadSvmModel(dir: string, meta: SavedModelMeta): LoadedModel {
  const pipe = loadPipeline(path.join(dir, 'pipeline.json'));
  const params = meta.input.params as { extractor?: string; meyda?: boolean };
  const ex = resolveExtractor({
    ...DEFAULT_EXTRACT_PARAMS,
    extractor: params.extractor ?? 'paper173',
    meyda: !!params.meyda,
    recipe: recipeOfParams(meta.input.params),
  });
  if (!pipe.estimator.params.probability)
    throw new ModelDirError(dir, 'the saved SVC has no probability model (save it with probability estimates)');
  return {
    meta,
    dir,
    async predictProba(ys) {
      return svmProbabilities(
        pipe,
        ys.map((y) => ex.extract(y, meta.input.sr)),
      );
    },
  };
}

/** Loads any saved model directory (refusing mismatches, see models/saved). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const meta = readModelMeta(dir);
  if (meta.kind === 'svm') return loadSvmModel(dir, meta);
  // tfjs is loaded only now, for a CNN
  const { loadCnnModel } = require('./cnn/load') as typeof import('./cnn/load');
  return loadCnnModel(dir, meta);
}

/**
 * Reads one audio file (any format audio.load reads) by the model's input rule; warns when it is
 * shorter than offset + duration, or when a lossy decoder skipped damaged frames.
 */
export async function readForModel(file: string, meta: SavedModelMeta): Promise<{ y: Float32Array; warning?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { sr, offset, duration } = meta.input;
  const a = await loadBytes(bytes, file, {
    sr,
    offset,
    duration,
    resType: recipeOfParams(meta.input.params).resType ?? RECIPE_DEFAULTS.resType,
  });
  const warning = inputRuleWarning(file, a.info, a.warnings, meta.input);
  return { y: a.y, warning };
}

/** Predicts every file; a file that cannot be read is reported in its entry, never fatal. */
export async function predictFiles(model: LoadedModel, files: string[]): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (const file of files) {
    try {
      const { y, warning } = await readForModel(file, model.meta);
      const [p] = await model.predictProba([y]);
      const probabilities = Object.fromEntries(model.meta.classes.map((c, i) => [c, p[i]]));
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
      out.push({ file, ok: true, emotion: model.meta.classes[best], probabilities, ...(warning ? { warning } : {}) });
    } catch (e) {
      out.push({ file, ok: false, error: (e as Error).message.split('\n')[0] });
    }
  }
  return out;
}
