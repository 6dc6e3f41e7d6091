/**
 * Saved model directories, as written by `ser svm --save <dir>` and `ser cnn --save <dir>` and
 * read by `ser predict`. Every directory holds `ser-model.json`: the kind of model, the
 * kernel-lib version and feature-code version that made it, the class order and the exact
 * feature parameters (sample rate, offset, duration, extractor), so a prediction computes the
 * inputs exactly as training did. A directory written by another kernel-lib version or another
 * feature code is refused with a message saying what differs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/fs';

export const MODEL_META_FILE = 'ser-model.json';
export const MODEL_FORMAT_VERSION = 1;

export type SavedModelKind = 'svm' | 'cnn';

export interface SavedModelMeta {
  format: 'ser-model';
  formatVersion: number;
  kind: SavedModelKind;
  /** kernel-lib version that wrote it */
  kernelLib: string;
  /** features/extract FEATURE_CODE_VERSION at save time */
  featureCode: number;
  createdAt: string;
  /** class names in the model's output order */
  classes: string[];
  /** how an input WAV becomes the model's input */
  input: {
    sr: number;
    offset: number;
    duration: number;
    /** 'paper173' (+meyda) for the SVM, 'melImage' for the CNN */
    representation: string;
    params: Record<string, unknown>;
  };
  /** files of the model proper, relative to the directory */
  files: string[];
  /** free-form training description (data, protocol, hyperparameters) */
  training: Record<string, unknown>;
}

export function kernelLibVersion(): string {
  return require('../../package.json').version;
}

export function featureCodeVersion(): number {
  return require('../features/extract').FEATURE_CODE_VERSION;
}

/** Writes ser-model.json (last, so a half-written directory is never taken for a model). */
export function writeModelMeta(
  dir: string,
  meta: Omit<SavedModelMeta, 'format' | 'formatVersion' | 'kernelLib' | 'featureCode' | 'createdAt'>,
): SavedModelMeta {
  const full: SavedModelMeta = {
    format: 'ser-model',
    formatVersion: MODEL_FORMAT_VERSION,
    kernelLib: kernelLibVersion(),
    featureCode: featureCodeVersion(),
    createdAt: new Date().toISOString(),
    ...meta,
  };
  writeFileAtomic(path.join(dir, MODEL_META_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

export class ModelDirError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir}: ${reason}`);
    this.name = 'ModelDirError';
  }
}

/**
 * Reads and checks a model directory. Refuses (ModelDirError, one line naming the directory):
 * no ser-model.json, another format, another kernel-lib version, another feature code, an
 * unexpected kind, or a missing model file.
 */
export function readModelMeta(dir: string, expect?: SavedModelKind): SavedModelMeta {
  const file = path.join(dir, MODEL_META_FILE);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ModelDirError(dir, 'no such model directory');
  if (!fs.existsSync(file))
    throw new ModelDirError(dir, `not a saved model (no ${MODEL_META_FILE}; save one with 'ser svm --save' or 'ser cnn --save')`);
  let meta: SavedModelMeta;
  try {
    meta = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelDirError(dir, `${MODEL_META_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (meta.format !== 'ser-model' || meta.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelDirError(
      dir,
      `unsupported model format ${meta.format} v${meta.formatVersion} (expected ser-model v${MODEL_FORMAT_VERSION})`,
    );
  }
  if (meta.kernelLib !== kernelLibVersion()) {
    throw new ModelDirError(
      dir,
      `saved by kernel-lib ${meta.kernelLib}, this is kernel-lib ${kernelLibVersion()}: retrain and save the model with this version`,
    );
  }
  if (meta.featureCode !== featureCodeVersion()) {
    throw new ModelDirError(
      dir,
      `made with feature code v${meta.featureCode}, this kernel-lib computes features with v${featureCodeVersion()}: retrain the model`,
    );
  }
  if (expect && meta.kind !== expect) throw new ModelDirError(dir, `holds a ${meta.kind} model, expected ${expect}`);
  for (const f of meta.files) {
    if (!fs.existsSync(path.join(dir, f))) throw new ModelDirError(dir, `model file ${f} is missing`);
  }
  return meta;
}

/** A loaded model ready to predict one clip's class probabilities from its samples. */
export interface LoadedModel {
  meta: SavedModelMeta;
  dir: string;
  /** class probabilities for each clip (y at meta.input.sr) */
  predictProba(ys: Float32Array[]): Promise<number[][]>;
  dispose?(): void;
}
