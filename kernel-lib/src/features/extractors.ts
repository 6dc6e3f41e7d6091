/**
 * The built-in feature extractors, as a feature store's parameters name them: 'paper173' (the
 * paper's 173 librosa features, features/paper173) and, with `meyda`, the five meyda descriptors
 * appended (features/meyda-extra, not part of the paper). No file access: `ser features` /
 * `ser predict` (through features/extract's resolveExtractor, which adds extractor modules from
 * disk) and the live page use these same definitions.
 */

import { checkRecipe, type RecipeOptions } from './recipe';

/** A feature function: y (mono float32 at sr) -> one vector, with a name per element. */
export interface FeatureExtractor {
  /** short name, part of the cache key */
  name: string;
  /** a name per output element */
  layout: string[];
  extract(y: Float32Array, sr: number): ArrayLike<number>;
}

/**
 * The paper's 173 (loaded on first use: the CLI's --help and the store reader do not need it);
 * with recipe options (features/recipe: nMfcc, padMode) the variant's vector and layout. The
 * name stays 'paper173': a store's parameters record the options.
 */
export function paper173Extractor(recipe: Pick<RecipeOptions, 'nMfcc' | 'padMode'> = {}): FeatureExtractor {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const m = require('./paper173') as typeof import('./paper173');
  const opts = { nMfcc: recipe.nMfcc, padMode: recipe.padMode };
  checkRecipe(opts);
  return { name: 'paper173', layout: m.paper173Layout(opts.nMfcc), extract: (y, sr) => m.paper173(y, sr, opts) };
}

/** `base` (the vector of some extractor on y) followed by the meyda descriptors of y. */
export function appendMeyda(base: ArrayLike<number>, y: Float32Array, sr: number): Float64Array {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mx = require('./meyda-extra') as typeof import('./meyda-extra');
  const b = mx.meydaExtra(y, sr);
  const out = new Float64Array(base.length + b.length);
  out.set(base, 0);
  out.set(b, base.length);
  return out;
}

/** An extractor with the meyda columns appended (name '<base>+meyda'). */
export function withMeyda(base: FeatureExtractor): FeatureExtractor {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mx = require('./meyda-extra') as typeof import('./meyda-extra');
  return {
    name: `${base.name}+meyda`,
    layout: [...base.layout, ...mx.MEYDA_EXTRA_LAYOUT],
    extract: (y, sr) => appendMeyda(base.extract(y, sr), y, sr),
  };
}

/** True when `extractor` names a built-in extractor (not a module path). */
export function isBuiltinExtractor(extractor: string): boolean {
  return extractor === 'paper173';
}
