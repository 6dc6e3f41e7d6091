/**
 * `ser features <root|audio...> --out <file> [--augment] [--workers N]`: the feature matrix of a
 * corpus (paper III.B-C, with the III.A copies when --augment) into a feature store; --sr,
 * --offset, --duration, --pad-mode, --res-type, --n-mfcc make a variant of the recipe
 * (features/recipe.ts), a store of its own.
 * `ser features export <store> --to <file.parquet|.arrow|.feather|.csv>`: the store as a table
 * that pandas, polars, R or a spreadsheet open (features/matrix-file.ts).
 */
import * as fs from 'node:fs';
import { type Command, textTable, UsageError } from './command';
import { buildFeatureStore, checkLoadParams, defaultWorkers, DEFAULT_EXTRACT_PARAMS } from '../features/extract';
import { checkRecipe, type PadMode, PAD_MODES, RECIPE_DEFAULTS, RES_TYPES } from '../features/recipe';
import type { ResampyFilter } from '../audio/resample';
import { MATRIX_EXTENSIONS, matrixFormat, readFeatureMatrix, writeFeatureMatrix } from '../features/matrix-file';
import { MATRIX_ID_COLUMNS } from '../features/matrix-columns';
import type { FeatureTable } from '../features/store';

const featuresCommand: Command = {
  path: ['features'],
  usage:
    'ser features <root|audio...> --out <file> [--augment] [--workers N] [--seed N] [--meyda] ' +
    '[--sr 22050] [--offset 0.5] [--duration 2.5] [--pad-mode constant|reflect] [--res-type kaiser_best|kaiser_fast] [--n-mfcc 20]',
  summary:
    "173-feature matrix (the paper's MFCC/chroma/mel/contrast/tonnetz means) of every clip, with labels, speakers, clip ids; " +
    'resumable (a re-run reuses finished clips), deterministic (same files -> same bytes)',
  positionals: { min: 1, name: '<root|audio...>' },
  flags: {
    out: { type: 'string', description: 'feature store file to write (read back with readFeatureStore)' },
    augment: { type: 'boolean', description: 'also the noise / stretch / pitch copies of every clip (4 rows per clip, paper III.A)' },
    workers: { type: 'number', description: 'worker threads (0 = in the main thread)', default: defaultWorkers() },
    seed: { type: 'number', description: 'global seed of the noise copies (each clip: seed + clip id)', default: 0 },
    meyda: {
      type: 'boolean',
      description: 'append 5 meyda descriptors (rms, zcr, centroid, flatness, rolloff): NOT part of the paper 173',
    },
    extractor: {
      type: 'string',
      description: "feature extractor: 'paper173' or a path to a module exporting {name, layout, extract}",
      default: 'paper173',
    },
    sr: {
      type: 'number',
      description: 'load rate in Hz (librosa.load sr; the mel and CQT defaults follow it)',
      default: DEFAULT_EXTRACT_PARAMS.sr,
    },
    offset: { type: 'number', description: 'seconds skipped at the start of each clip', default: DEFAULT_EXTRACT_PARAMS.offset },
    duration: { type: 'number', description: 'seconds read from each clip', default: DEFAULT_EXTRACT_PARAMS.duration },
    'pad-mode': {
      type: 'string',
      description: "padding of the STFT and CQT frames: 'constant' (librosa 0.10) or 'reflect' (librosa < 0.9)",
      default: RECIPE_DEFAULTS.padMode,
      choices: [...PAD_MODES],
    },
    'res-type': {
      type: 'string',
      description: 'resampler of the load (resampy filter)',
      default: RECIPE_DEFAULTS.resType,
      choices: [...RES_TYPES],
    },
    'n-mfcc': { type: 'number', description: 'number of MFCCs (the vector has n_mfcc + 153 values)', default: RECIPE_DEFAULTS.nMfcc },
    quiet: { type: 'boolean', description: 'no progress bar' },
  },
  async run(args, io) {
    const out = args.flags.out as string | undefined;
    if (!out) throw new UsageError('missing --out <file>');
    const workers = args.flags.workers as number;
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be an integer >= 0, got ${workers}`);
    const seed = args.flags.seed as number;
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
    const load = { sr: args.flags.sr as number, offset: args.flags.offset as number, duration: args.flags.duration as number };
    const recipe = {
      padMode: args.flags['pad-mode'] as PadMode,
      resType: args.flags['res-type'] as ResampyFilter,
      nMfcc: args.flags['n-mfcc'] as number,
    };
    try {
      checkLoadParams(load);
      checkRecipe(recipe);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const res = await buildFeatureStore({
      inputs: args.positionals,
      out,
      augment: !!args.flags.augment,
      workers,
      seed,
      meyda: !!args.flags.meyda,
      extractor: args.flags.extractor as string,
      params: { ...load, recipe },
      progress: args.flags.quiet ? false : {},
      onSkip: (s) => io.err(`skipped ${s.file}: ${s.reason}`),
    });
    const rows: (string | number)[][] = [
      ['store', res.out],
      ['clips found', res.found],
      ['clips stored', res.nClips],
      ['rows', `${res.nRows} x ${res.nFeatures}`],
      ['computed', res.computed],
      ['reused', res.reused],
      ['skipped', res.skipped.length],
      ['workers', res.workers],
      ['seconds', res.seconds.toFixed(1)],
      ['clips/s', res.clipsPerSecond.toFixed(2)],
    ];
    const exitCode = res.nRows === 0 && res.found > 0 ? 1 : 0;
    return {
      exitCode,
      json: {
        ok: exitCode === 0,
        out: res.out,
        found: res.found,
        clips: res.nClips,
        rows: res.nRows,
        features: res.nFeatures,
        augment: res.params.augment,
        computed: res.computed,
        reused: res.reused,
        skipped: res.skipped,
        workers: res.workers,
        seconds: res.seconds,
        clipsPerSecond: res.clipsPerSecond,
      },
      text: textTable(['features', ''], rows),
    };
  },
};

const exportCommand: Command = {
  path: ['features', 'export'],
  usage: 'ser features export <store> --to <file.parquet|file.arrow|file.feather|file.csv>',
  summary:
    'the feature store as a table for pandas / polars / R / spreadsheets: clip_id, source_clip_id, kind, emotion, label, speaker, corpus, sha256, ' +
    "then the features (mfcc_1 ... tonnetz_6); the store's parameters in the file's metadata (CSV: <file>.json)",
  positionals: { min: 1, max: 1, name: '<store>' },
  flags: {
    to: {
      type: 'string',
      description: `file to write; its extension picks the format (${Object.values(MATRIX_EXTENSIONS).flat().join(', ')})`,
    },
  },
  async run(args) {
    const src = args.positionals[0];
    const to = args.flags.to as string | undefined;
    if (!to) throw new UsageError('missing --to <file>');
    if (matrixFormat(to) === 'store')
      throw new UsageError(`${to}: unknown export format (use ${Object.values(MATRIX_EXTENSIONS).flat().join(', ')})`);
    if (!fs.existsSync(src)) throw new UsageError(`${src}: no such file`);
    const t0 = performance.now();
    let table: FeatureTable;
    try {
      table = readFeatureMatrix(src);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const w = writeFeatureMatrix(table, to);
    const seconds = (performance.now() - t0) / 1000;
    return {
      json: {
        ok: true,
        from: src,
        format: w.format,
        files: w.files,
        rows: table.nRows,
        features: table.nFeatures,
        bytes: w.bytes,
        seconds,
      },
      text: textTable(
        ['export', ''],
        [
          ['from', src],
          ['to', w.files.join(', ')],
          ['format', w.format],
          ['rows', `${table.nRows} x ${table.nFeatures} features + ${MATRIX_ID_COLUMNS.length} columns`],
          ['bytes', w.bytes],
          ['seconds', seconds.toFixed(2)],
        ],
      ),
    };
  },
};

export const commands: Command[] = [featuresCommand, exportCommand];
