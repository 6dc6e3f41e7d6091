/**
 * Variants of the reference recipe (issue #15): the choices a reproduction of the paper could
 * plausibly have made differently from librosa 0.10.2's defaults, as options of `audio.load` /
 * `features.paper173` and of `ser features` (the rate, offset and duration are ExtractParams of
 * their own):
 * - `padMode`: 'constant' (librosa 0.10's default padding of centred frames) or 'reflect'
 *   (librosa < 0.9's), for every STFT and the CQT of the recipe (paper173.ts);
 * - `resType`: librosa.load's res_type, resampy's 'kaiser_best' (librosa's default) or
 *   'kaiser_fast' (the same loop with resampy's other filter table);
 * - `nMfcc`: librosa.feature.mfcc's n_mfcc, 20 (the paper's 173) or e.g. 40 (193 values).
 * A feature store keeps only the options that differ from the defaults (recipeVariant), so the
 * default store's cache keys and header are those of the reference recipe.
 */
import type { ResampyFilter } from '../audio/resample';

export type PadMode = 'constant' | 'reflect';
export const PAD_MODES: readonly PadMode[] = Object.freeze(['constant', 'reflect'] as PadMode[]);
export const RES_TYPES: readonly ResampyFilter[] = Object.freeze(['kaiser_best', 'kaiser_fast'] as ResampyFilter[]);

export interface RecipeOptions {
  /** number of MFCCs (librosa n_mfcc), default 20 */
  nMfcc?: number;
  /** padding of every centred STFT and of the CQT, default 'constant' */
  padMode?: PadMode;
  /** resampler of the load (librosa.load res_type), default 'kaiser_best' */
  resType?: ResampyFilter;
}

/** The reference recipe's values. */
export const RECIPE_DEFAULTS: Readonly<Required<RecipeOptions>> = Object.freeze({ nMfcc: 20, padMode: 'constant', resType: 'kaiser_best' });

/** Checks recipe options; a bad value is a one-line error naming the option. */
export function checkRecipe(o: RecipeOptions): void {
  if (o.nMfcc !== undefined && !(Number.isInteger(o.nMfcc) && o.nMfcc >= 1 && o.nMfcc <= 128))
    throw new Error(`n_mfcc must be an integer from 1 to 128 (the mel bands), got ${o.nMfcc}`);
  if (o.padMode !== undefined && !PAD_MODES.includes(o.padMode))
    throw new Error(`unknown pad_mode '${o.padMode}' (have ${PAD_MODES.join(', ')})`);
  if (o.resType !== undefined && !RES_TYPES.includes(o.resType))
    throw new Error(`unknown res_type '${o.resType}' (have ${RES_TYPES.join(', ')})`);
}

/**
 * The options that differ from the defaults, checked, in a fixed key order; undefined when none
 * does (the reference recipe).
 */
export function recipeVariant(o: RecipeOptions | undefined): RecipeOptions | undefined {
  if (!o) return undefined;
  checkRecipe(o);
  const out: RecipeOptions = {};
  for (const k of ['nMfcc', 'padMode', 'resType'] as const) {
    if (o[k] !== undefined && o[k] !== RECIPE_DEFAULTS[k]) (out as Record<string, unknown>)[k] = o[k];
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The recipe recorded in a store's or a saved model's parameters (`params.recipe`), checked;
 * {} for the reference recipe. `ser predict` and the live page compute a model's inputs with it.
 */
export function recipeOfParams(params: Record<string, unknown>): RecipeOptions {
  return recipeVariant(params.recipe as RecipeOptions | undefined) ?? {};
}
