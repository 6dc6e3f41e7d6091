/**
 * `ser svm --save <dir>`: fits the final model of the traditional path on every row of a
 * feature store (StandardScaler + RBF SVC with Platt probabilities, as sklearn's
 * `make_pipeline(StandardScaler(), SVC(probability=True))`; `scaler` picks MinMaxScaler or none) and writes a model directory that
 * `ser predict` reads back (pipeline.json + ser-model.json).
 */
import * as path from 'node:path';
import { EMOTIONS } from '../../core/types';
import { DEFAULT_EXTRACT_PARAMS } from '../../features/extract';
import type { FeatureTable } from '../../features/store';
import { recipeVariant } from '../../features/recipe';
import { type Pipeline, svmPipeline } from './pipeline';
import { savePipeline } from '../estimator-files';
import type { ScalerKind } from './scaler';
import { SVC, type SVCParams } from './svc';
import { type SavedModelMeta, writeModelMeta } from '../saved';
import { ensureDir } from '../../core/fs';

export interface SaveSvmOptions {
  svc: Partial<SVCParams>;
  /** feature scaling before the SVC (default 'standard') */
  scaler?: ScalerKind;
  /** which rows were used, for the record */
  description?: string;
  /** the rows come from the synthetic demo corpus (recorded as training.synthetic; `ser live` shows a banner) */
  synthetic?: boolean;
}

/** The labelled rows of a table as (X, y) with y = emotion names. */
export function labelledRows(t: FeatureTable): { X: Float64Array[]; y: string[] } {
  const X: Float64Array[] = [];
  const y: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    if (t.label[i] < 0) continue;
    X.push(Float64Array.from(t.X.subarray(i * t.nFeatures, (i + 1) * t.nFeatures)));
    y.push(t.emotions[t.label[i]]);
  }
  return { X, y };
}

export async function fitAndSaveSvm(
  t: FeatureTable,
  dir: string,
  opts: SaveSvmOptions,
): Promise<{ pipeline: Pipeline; meta: SavedModelMeta }> {
  const { X, y } = labelledRows(t);
  if (X.length === 0) throw new Error('the feature store has no labelled rows to train on');
  const pipeline = svmPipeline(opts.scaler ?? 'standard', new SVC({ ...opts.svc, probability: true }));
  await pipeline.fit(X, y);
  ensureDir(dir);
  savePipeline(pipeline, path.join(dir, 'pipeline.json'));
  const p = { ...DEFAULT_EXTRACT_PARAMS, ...(t.params as Record<string, any>) };
  // a variant of the recipe (features/recipe.ts) travels with the model: ser predict uses it
  const recipe = recipeVariant(p.recipe);
  const classes = pipeline.classes.map(String);
  // classes are emotion names; keep the paper's order check explicit
  for (const c of classes) if (!(EMOTIONS as readonly string[]).includes(c)) throw new Error(`unexpected class '${c}'`);
  const meta = writeModelMeta(dir, {
    kind: 'svm',
    classes,
    input: {
      sr: p.sr,
      offset: p.offset,
      duration: p.duration,
      representation: p.meyda ? 'paper173+meyda' : 'paper173',
      params: { extractor: p.extractor, meyda: !!p.meyda, ...(recipe ? { recipe } : {}) },
    },
    files: ['pipeline.json'],
    training: {
      rows: X.length,
      svc: { ...pipeline.estimator.params, workers: undefined },
      description: opts.description ?? '',
      featureParams: t.params,
      ...(opts.synthetic ? { synthetic: true } : {}),
    },
  });
  return { pipeline, meta };
}
