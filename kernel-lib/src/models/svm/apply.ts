/**
 * Applying a fitted SVM pipeline to clips: each clip's feature vector is rounded to float32,
 * exactly as the feature store keeps the training rows, then StandardScaler + SVC give the
 * class probabilities (sklearn's `pipeline.predict_proba`). `ser predict` (models/predict.ts)
 * and the live page (live/classifier.ts) both call this; it does no file access.
 */
import type { Pipeline } from './pipeline';

/** A feature vector as a training row of the feature store: float32 values, held as float64. */
export function asStoreRow(v: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(v));
}

/** Class probabilities (rows x classes, in `pipe.classes` order) of feature vectors. */
export function svmProbabilities(pipe: Pipeline, features: ArrayLike<number>[]): Promise<number[][]> {
  return pipe.predictProba(features.map(asStoreRow));
}
