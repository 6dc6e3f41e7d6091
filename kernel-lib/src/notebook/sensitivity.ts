/**
 * The sensitivity study of notebook 09 (issue 15): the choices the paper leaves open, each as a
 * variant of our reference recipe (librosa 0.10.2's defaults, StandardScaler), scored by the
 * same SVM (RBF, C=30, paper protocol, no augmentation) on the same folds. A feature variant is a
 * feature store of its own (`<outDir>/features/variants/<name>.ser`, resumable like every store);
 * a scaler variant reuses the reference store. Optionally the variants that move the result most
 * are run again with augmentation (C=100), and the variants that raise the accuracy are combined
 * into one more run: does any plausible combination reach the paper's 65.3 %?
 */
import * as path from 'node:path';
import type { RunContext } from '../core/context';
import { markdown } from '../core/display';
import type { ClipInput, ExtractParams } from '../features/extract';
import { extractFeatureTable, featureStorePath } from '../features/extract';
import { crossValidate, type CVResult } from '../eval/crossval';
import { type Dataset, datasetFromFeatureTable, originalRows } from '../eval/dataset';
import { fmtPct, type MeanStd } from '../eval/metrics';
import { limitClips } from '../models/cnn/run';
import type { ScalerKind } from '../models/svm/scaler';
import { scanCorpora } from '../corpora/scan';
import { svmEstimator, type SvmSettings } from '../models/svm/estimator';

/** One variant of the recipe: load / feature parameters and/or the pipeline's scaler. */
export interface RecipeVariant {
  /** file-name-safe name, e.g. 'pad-reflect' */
  name: string;
  /** what differs, in librosa's / scikit-learn's words */
  label: string;
  /** load and feature parameters that differ from the reference (ExtractParams: sr, offset, duration, recipe) */
  params?: Partial<Pick<ExtractParams, 'sr' | 'offset' | 'duration' | 'recipe'>>;
  scaler?: ScalerKind;
}

/** Our reference recipe and the choices a 2021 student project could plausibly have made. */
export const RECIPE_VARIANTS: readonly RecipeVariant[] = Object.freeze([
  { name: 'reference', label: 'reference: librosa 0.10.2 defaults, StandardScaler (ours)' },
  {
    name: 'pad-reflect',
    label: "pad_mode='reflect' for STFT and CQT (librosa < 0.10's default)",
    params: { recipe: { padMode: 'reflect' } },
  },
  { name: 'kaiser-fast', label: "res_type='kaiser_fast' (resampy's faster filter)", params: { recipe: { resType: 'kaiser_fast' } } },
  { name: 'sr-44100', label: 'sr=44100 (the widely copied Kaggle recipe; mel and CQT defaults follow sr)', params: { sr: 44100 } },
  { name: 'n-mfcc-40', label: 'n_mfcc=40 (193 features)', params: { recipe: { nMfcc: 40 } } },
  { name: 'no-offset', label: 'no offset (0 s to 2.5 s)', params: { offset: 0 } },
  { name: 'duration-3.5', label: 'a longer window (0.5 s to 4.0 s)', params: { duration: 3.5 } },
  { name: 'scaler-none', label: 'no feature scaling', scaler: 'none' },
  { name: 'scaler-minmax', label: 'MinMaxScaler instead of StandardScaler', scaler: 'minmax' },
] as RecipeVariant[]);

export interface SensitivityRow {
  variant: RecipeVariant;
  /** features per clip */
  features: number;
  cv: CVResult;
  /** accuracy with augmentation (C=100), when this variant was run with it */
  augmented?: CVResult;
}

export interface SensitivityResult {
  rows: SensitivityRow[];
  /** the variants that raised the accuracy, combined, when there were two or more */
  combination?: SensitivityRow;
  reference: SensitivityRow;
  /** the paper's accuracy without augmentation (Table III) */
  paper: MeanStd;
  clips: number;
  seconds: number;
}

export interface SensitivityOptions {
  ctx: RunContext;
  root: string;
  variants?: readonly RecipeVariant[];
  /** SVM without augmentation (default RBF, C=30: Table III) */
  svm?: SvmSettings;
  /** SVM with augmentation (default RBF, C=100: Table II) */
  svmAugmented?: SvmSettings;
  /** run this many variants, those that move the accuracy most, again with augmentation (default 0) */
  augmentTop?: number;
  /** combine the variants that raise the accuracy into one more run (default true) */
  combine?: boolean;
  k?: number;
  seed?: number;
  workers?: number;
  /** at most this many clips (a stratified subset; the demo profile's way to stay under a minute) */
  maxClips?: number;
  /** the clips to use (else the corpus root is scanned) */
  clips?: ClipInput[];
  /** the paper's accuracy without augmentation, for the differences */
  paper?: MeanStd;
}

/** Merges the parameters and scaler of several variants (later ones win on a clash). */
export function combineVariants(vs: readonly RecipeVariant[]): RecipeVariant {
  const params: NonNullable<RecipeVariant['params']> = {};
  let scaler: ScalerKind | undefined;
  for (const v of vs) {
    const { recipe, ...load } = v.params ?? {};
    Object.assign(params, load);
    if (recipe) params.recipe = { ...params.recipe, ...recipe };
    if (v.scaler) scaler = v.scaler;
  }
  return { name: `combined-${vs.map((v) => v.name).join('+')}`, label: `combined: ${vs.map((v) => v.name).join(' + ')}`, params, scaler };
}

/** Runs the study (see the module comment). */
export async function runSensitivity(o: SensitivityOptions): Promise<SensitivityResult> {
  const t0 = Date.now();
  const variants = o.variants ?? RECIPE_VARIANTS;
  const svm = o.svm ?? { kernel: 'rbf', C: 30 };
  const cvOpts = {
    protocol: 'paper' as const,
    k: o.k ?? 5,
    seed: o.seed ?? 0,
    cacheDir: path.join(o.ctx.outDir, 'cache', 'svm-folds'),
    progress: false as const,
  };
  const clips = o.clips ?? (o.maxClips ? limitClips(scanCorpora(o.root).clips, o.maxClips, o.seed ?? 0) : undefined);
  const inputs = clips ? { clips } : { inputs: [o.root] };
  // a subset gets stores of its own (the full stores of notebooks 03-04 are not touched)
  const subset = clips ? `-${clips.length}clips` : '';
  const storeOf = async (v: RecipeVariant, augment: boolean) => {
    const plain = !subset && (!v.params || Object.keys(v.params).length === 0);
    const file = (aug: boolean) =>
      plain
        ? featureStorePath(o.ctx.outDir, { augment: aug })
        : path.join(o.ctx.outDir, 'features', 'variants', `${v.params ? v.name : 'reference'}${subset}${aug ? '-augmented' : ''}.ser`);
    const out = file(augment);
    const other = file(!augment);
    const table = await extractFeatureTable({
      ...inputs,
      out,
      augment,
      params: v.params,
      workers: o.workers,
      reuseFrom: [other],
      progress: false,
    });
    let d: Dataset = datasetFromFeatureTable(table);
    if (!augment) d = originalRows(d);
    return { d, features: table.nFeatures, clips: new Set(d.groups.clip).size };
  };
  const score = async (v: RecipeVariant): Promise<SensitivityRow> => {
    const s = await storeOf(v, false);
    const cv = await crossValidate(svmEstimator(svm, { workers: o.workers, scaler: v.scaler }), s.d, cvOpts);
    markdown(`- ${v.label}: ${(100 * cv.accuracy.mean).toFixed(1)} ± ${(100 * cv.accuracy.std).toFixed(1)} % (${s.features} features)`);
    return { variant: v, features: s.features, cv };
  };
  const rows: SensitivityRow[] = [];
  for (const v of variants) rows.push(await score(v));
  const reference = rows.find((r) => r.variant.name === 'reference') ?? rows[0];
  const gain = (r: SensitivityRow) => r.cv.accuracy.mean - reference.cv.accuracy.mean;
  let combination: SensitivityRow | undefined;
  const better = rows.filter((r) => r !== reference && gain(r) > 0);
  // one scaler at most: the best of those that helped
  const scalers = better
    .filter((r) => r.variant.scaler)
    .sort((a, b) => gain(b) - gain(a))
    .slice(1);
  const parts = better.filter((r) => !scalers.includes(r)).map((r) => r.variant);
  if ((o.combine ?? true) && parts.length >= 2) combination = await score(combineVariants(parts));
  const top = rows
    .filter((r) => r !== reference)
    .sort((a, b) => Math.abs(gain(b)) - Math.abs(gain(a)))
    .slice(0, o.augmentTop ?? 0);
  for (const r of top.length ? [reference, ...top] : []) {
    const s = await storeOf(r.variant, true);
    r.augmented = await crossValidate(
      svmEstimator(o.svmAugmented ?? { kernel: 'rbf', C: 100 }, { workers: o.workers, scaler: r.variant.scaler }),
      s.d,
      cvOpts,
    );
  }
  return {
    rows,
    combination,
    reference,
    paper: o.paper ?? { mean: 65.3, std: 0.6 },
    clips: reference.cv.folds.reduce((a, f) => a + f.testRows, 0),
    seconds: (Date.now() - t0) / 1000,
  };
}

const pp = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/**
 * The study as table rows: variant, features, accuracy, differences, and the accuracy with
 * augmentation when any variant was run with it (the column is left out otherwise).
 */
export function sensitivityRows(r: SensitivityResult): Record<string, string | number>[] {
  const ref = r.reference.cv.accuracy.mean;
  const all = r.combination ? [...r.rows, r.combination] : r.rows;
  const withAug = all.some((row) => row.augmented);
  return all.map((row) => ({
    variant: row.variant.label,
    features: row.features,
    'accuracy %': fmtPct(row.cv.accuracy),
    'vs ours (pp)': row === r.reference ? '' : pp(row.cv.accuracy.mean - ref),
    'vs paper 65.3 (pp)': pp(row.cv.accuracy.mean - r.paper.mean / 100),
    ...(withAug ? { 'with augmentation %': row.augmented ? fmtPct(row.augmented.accuracy) : '' } : {}),
  }));
}

/**
 * Sentences computed from the numbers: which choices move the accuracy beyond two standard errors
 * of the difference, by how much, and whether the combination of the helpful ones reaches the paper.
 */
export function sensitivityFindings(r: SensitivityResult): string[] {
  const ref = r.reference.cv.accuracy;
  const k = r.reference.cv.k;
  // standard error of the difference of two fold means (k folds each)
  const se = (a: MeanStd) => Math.sqrt((a.std * a.std + ref.std * ref.std) / k);
  const others = r.rows.filter((x) => x !== r.reference);
  const moved = others.filter((x) => Math.abs(x.cv.accuracy.mean - ref.mean) > 2 * se(x.cv.accuracy));
  const sorted = [...others].sort((a, b) => Math.abs(b.cv.accuracy.mean - ref.mean) - Math.abs(a.cv.accuracy.mean - ref.mean));
  const out = [
    `Our reference recipe scores ${(100 * ref.mean).toFixed(1)} ± ${(100 * ref.std).toFixed(1)} % without augmentation; the paper reports ${r.paper.mean} ± ${r.paper.std} % (${pp(ref.mean - r.paper.mean / 100)} pp).`,
    moved.length
      ? `Beyond two standard errors of the difference: ${moved.map((x) => `${x.variant.name} (${pp(x.cv.accuracy.mean - ref.mean)} pp)`).join(', ')}.`
      : 'No single choice moves the accuracy beyond two standard errors of the difference.',
    `The largest effect: ${sorted[0] ? `${sorted[0].variant.label}, ${pp(sorted[0].cv.accuracy.mean - ref.mean)} pp` : 'none'}; the smallest: ${sorted.length ? `${sorted[sorted.length - 1].variant.name}, ${pp(sorted[sorted.length - 1].cv.accuracy.mean - ref.mean)} pp` : 'none'}.`,
  ];
  const best = [...r.rows, ...(r.combination ? [r.combination] : [])].reduce((a, b) => (b.cv.accuracy.mean > a.cv.accuracy.mean ? b : a));
  const reaches = best.cv.accuracy.mean * 100 >= r.paper.mean - 2 * Math.sqrt((best.cv.accuracy.std * 100) ** 2 / k + r.paper.std ** 2 / k);
  out.push(
    r.combination
      ? `Combining the choices that helped (${r.combination.variant.label.replace(/^combined: /, '')}) gives ${(100 * r.combination.cv.accuracy.mean).toFixed(1)} %.`
      : 'Fewer than two choices helped, so no combination was run.',
    `The best variant (${best.variant.name}, ${(100 * best.cv.accuracy.mean).toFixed(1)} %) ${reaches ? 'reaches' : 'does not reach'} the paper's ${r.paper.mean} % within two standard errors.`,
  );
  const aug = r.rows.filter((x) => x.augmented);
  if (aug.length) {
    out.push(
      `With augmentation (paper protocol, C=100): ${aug.map((x) => `${x.variant.name} ${(100 * (x.augmented as CVResult).accuracy.mean).toFixed(1)} %`).join(', ')} (paper 76.1 %; most of the gain is the augmented copies of test clips in the training folds, see notebook 04's protocols).`,
    );
  }
  return out;
}
