/**
 * `ser cnn --data <root> [--model custom|vgg16] [--profile demo|cpu|paper] [--json]`: the deep path
 * (paper IV): mel-spectrogram images, k-fold training of the custom CNN or VGG16, the per-class
 * table in the paper's layout (Table V for custom, Table IV for vgg16) and accuracy mean ± std.
 * Checkpoints per fold under --out (default results/<profile>), so a killed run resumes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, textTable, UsageError } from './command';
import { scanCorpora } from '../corpora/scan';
import { demoCorpusDir, ensureDemoCorpus } from '../corpora/demo';
import { fmtPct } from '../eval/metrics';
import { PROTOCOLS, type Protocol } from '../eval/protocols';
import { paperLayoutRows } from '../report/cv-tables';
import { runContext } from '../core/context';
import { chooseBackend } from '../models/cnn/backend';
import {
  CNN_PROFILES,
  cnnProfileFor,
  type CnnModelName,
  type CnnProfileName,
  type CnnRunResult,
  runCnn,
  saveBestFoldModel,
} from '../models/cnn/run';
import { VGG16_WEIGHTS_ENV } from '../models/cnn/vgg16';

function resultText(r: CnnRunResult): string {
  const table = r.model === 'custom' ? 'Table V (custom CNN)' : 'Table IV (VGG16)';
  const rows = paperLayoutRows(r.cv).map((x) => [x.Class, x.Precision, x.Recall, x['F1-score'], x.Samples] as (string | number)[]);
  return [
    `${table}: ${r.setting}; protocol ${r.protocol}, ${r.cv.k}-fold (seed ${r.cv.seed}); backend ${r.backend}`,
    ...r.notes.map((n) => `note: ${n}`),
    textTable(['Class', 'Precision %', 'Recall %', 'F1-score %', 'Samples'], rows),
    `accuracy ${fmtPct(r.cv.accuracy)} %  (mean ± sample std over ${r.cv.k} folds; folds: ${r.folds.map((f) => (100 * f.accuracy).toFixed(1)).join(', ')})`,
    `epochs run per fold: ${r.folds.map((f) => `${f.detail.epochsRun} (best ${f.detail.bestEpoch})`).join(', ')}; ${r.trainableParams.toLocaleString('en-US')} trainable parameters; ${r.seconds.toFixed(0)} s`,
  ].join('\n');
}

function resultJson(r: CnnRunResult): unknown {
  return {
    ok: true,
    model: r.model,
    profile: r.profile,
    protocol: r.protocol,
    setting: r.setting,
    transfer: r.transfer,
    weights: r.weights,
    backend: r.backend,
    notes: r.notes,
    modelConfig: r.modelConfig,
    train: { ...r.trainOptions, onEpoch: undefined },
    trainableParams: r.trainableParams,
    totalParams: r.totalParams,
    data: r.data,
    folds: r.cv.k,
    seed: r.cv.seed,
    accuracy: r.cv.accuracy,
    stdDdof: r.cv.stdDdof,
    perClass: r.cv.perClass,
    macro: r.cv.macro,
    weighted: r.cv.weighted,
    confusion: r.cv.confusion,
    labels: r.cv.labels,
    foldResults: r.folds.map((f) => ({
      fold: f.fold + 1,
      accuracy: f.accuracy,
      epochsRun: f.detail.epochsRun,
      bestEpoch: f.detail.bestEpoch,
      stoppedEarly: f.detail.stoppedEarly,
      train: f.detail.trainSize,
      test: f.testRows,
      seconds: f.detail.trainSeconds,
      modelDir: f.detail.modelDir,
      cached: f.cached,
      history: f.detail.history,
    })),
    dir: r.dir,
    seconds: r.seconds,
  };
}

const cnnCommand: Command = {
  path: ['cnn'],
  usage:
    'ser cnn --data <root> [--model custom|vgg16] [--profile demo|cpu|paper] [--weights <h5|dir>] [--folds 5] [--seed 0] [--save <dir>] [--json]',
  summary: 'mel-spectrogram images -> k-fold custom CNN or VGG16 (paper IV): Table IV/V layout, accuracy mean ± std',
  flags: {
    data: { type: 'string', description: 'corpus root (any of CREMA-D, RAVDESS, SAVEE, TESS); default: the synthetic demo corpus' },
    model: { type: 'string', description: 'custom (Table V) or vgg16 (Table IV)', default: 'custom', choices: ['custom', 'vgg16'] },
    profile: {
      type: 'string',
      description:
        "'demo' (32x32, narrow, 600 clips: minutes on a CPU), 'cpu' (the paper profile's CPU scale: 32x32, narrow, at most 2100 clips, 25 epochs) or 'paper' (the paper's sizes; for a GPU)",
      choices: ['demo', 'cpu', 'paper'],
    },
    weights: {
      type: 'string',
      description: `VGG16 ImageNet weights: Keras vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 or a tfjs layers-model dir (default $${VGG16_WEIGHTS_ENV})`,
    },
    protocol: {
      type: 'string',
      description: "'paper' (stratified folds over clips), 'clip' (same without augmentation), 'speaker' (speaker-disjoint folds)",
      default: 'paper',
      choices: [...PROTOCOLS],
    },
    folds: { type: 'number', description: 'number of folds (default 5)' },
    seed: { type: 'number', description: 'seed of folds, weights, shuffling and dropout', default: 0 },
    epochs: { type: 'number', description: "maximum epochs (default: the profile's, paper 100)" },
    'micro-batch': {
      type: 'number',
      description: 'samples per forward/backward pass (gradients summed to the batch of 32; default: sized for the backend)',
    },
    out: { type: 'string', description: 'results folder for checkpoints and fold models (default results/<profile>)' },
    fresh: { type: 'boolean', description: 'ignore checkpoints of an earlier run with the same settings' },
    cache: { type: 'string', description: 'image cache folder (default data/cache)' },
    save: { type: 'string', description: "write the most accurate fold's model to this directory for `ser predict`" },
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  async run(args, io) {
    const model = args.flags.model as CnnModelName;
    const ctx = runContext();
    // no --profile: the run context's (demo; paper at the scale SER_CNN_SCALE or the backend gives)
    const profile = ((args.flags.profile as string | undefined) ??
      cnnProfileFor(ctx, await chooseBackend({ log: () => undefined })).name) as CnnProfileName;
    if (!CNN_PROFILES[profile]) throw new UsageError(`--profile must be demo, cpu or paper, got '${profile}'`);
    const seed = args.flags.seed as number;
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer >= 0, got ${seed}`);
    const folds = args.flags.folds as number | undefined;
    if (folds !== undefined && (!Number.isInteger(folds) || folds < 2))
      throw new UsageError(`--folds must be an integer >= 2, got ${folds}`);
    const epochs = args.flags.epochs as number | undefined;
    if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1))
      throw new UsageError(`--epochs must be an integer >= 1, got ${epochs}`);
    const micro = args.flags['micro-batch'] as number | undefined;
    if (micro !== undefined && (!Number.isInteger(micro) || micro < 1))
      throw new UsageError(`--micro-batch must be an integer >= 1, got ${micro}`);
    const weights = args.flags.weights as string | undefined;
    if (weights && model !== 'vgg16') throw new UsageError('--weights applies to --model vgg16 only');
    if (weights && !fs.existsSync(weights)) throw new UsageError(`${weights}: no such file or directory (VGG16 weights)`);
    let root = args.flags.data as string | undefined;
    if (root) {
      if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root}: not a directory`);
    } else {
      root = ctx.dataDir ?? (await ensureDemoCorpus(demoCorpusDir(ctx.projectRoot)));
      io.err(`[ser cnn] no --data: using ${root}`);
    }
    const scan = scanCorpora(path.resolve(root));
    if (!scan.clips.length) throw new UsageError(`${root}: no CREMA-D, RAVDESS, SAVEE or TESS clips found`);
    io.err(`[ser cnn] ${root}: ${scan.total} clips${scan.synthetic ? ' (SYNTHETIC demo corpus)' : ''}; profile ${profile}; model ${model}`);
    const r = await runCnn({
      model,
      profile,
      clips: scan.clips,
      synthetic: scan.synthetic,
      protocol: args.flags.protocol as Protocol,
      folds,
      seed,
      weights: weights ?? null,
      train: { ...(epochs ? { epochs } : {}), ...(micro ? { microBatch: micro } : {}), silent: !!args.flags.quiet, live: false },
      outDir: (args.flags.out as string | undefined) ?? ctx.outDir,
      cacheDir: (args.flags.cache as string | undefined) ?? undefined,
      fresh: !!args.flags.fresh,
      silent: !!args.flags.quiet,
      log: (s) => io.err(s),
    });
    const json = resultJson(r) as Record<string, unknown>;
    let text = resultText(r);
    if (args.flags.save) {
      const saved = await saveBestFoldModel(r, args.flags.save as string);
      json.saved = { dir: path.resolve(args.flags.save as string), fold: saved.fold };
      text += `\nsaved the model of fold ${saved.fold} to ${path.resolve(args.flags.save as string)} (ser predict <audio...> --model ${args.flags.save})`;
    }
    return { json, text };
  },
};

export const commands: Command[] = [cnnCommand];
