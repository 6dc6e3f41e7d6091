/**
 * `ser svm --features <file> [--C 30] [--kernel rbf] [--scaler standard|minmax|none] [--folds 5] [--seed 0]
 *          [--protocol paper|clip|speaker|all] [--no-aug] [--grid] [--json]`:
 * stratified k-fold StandardScaler (or MinMaxScaler, or none) + SVC on a feature store, or on a feature matrix made
 * elsewhere (.parquet / .arrow / .feather / .csv, features/matrix-file.ts) (paper III.D-E): the per-class
 * table in the paper's layout (Tables II / III) and accuracy mean +- std (sample std over
 * folds). `--grid` runs the paper's grid (kernels poly, rbf x C in {4..200}) per protocol and
 * prints the best setting of each. `--save <dir>` then fits the pipeline (with probabilities) on
 * every row used and writes a model directory for `ser predict` (models/svm/save.ts).
 */
import * as fs from 'node:fs';
import { type Command, textTable, UsageError } from './command';
import { type Dataset, originalRows, hasAugmentedRows, describeDataset } from '../eval/dataset';
import { crossValidate, type CVResult, type GridResult } from '../eval/crossval';
import { DEFAULT_SCALER, PAPER_GRID, svmEstimator, svmGridSearch, type SvmFoldDetail } from '../models/svm/estimator';
import { fmtPct } from '../eval/metrics';
import { type Protocol, PROTOCOLS } from '../eval/protocols';
import { paperLayoutRows } from '../report/cv-tables';
import { defaultSvmWorkers } from '../models/svm/pool';
import { fitAndSaveSvm } from '../models/svm/save';
import { type ScalerKind, SCALER_KINDS } from '../models/svm/scaler';
import { type FeatureTable, selectRows } from '../features/store';
import { readFeatureMatrix } from '../features/matrix-file';
import { datasetFromFeatureTable } from '../eval/dataset';

function cvText(cv: CVResult<SvmFoldDetail>): string {
  const rows = paperLayoutRows(cv).map((r) => [r.Class, r.Precision, r.Recall, r['F1-score'], r.Samples] as (string | number)[]);
  const s = cv.settings;
  const head = `protocol ${cv.protocol}: ${s.kernel} kernel, C=${s.C}, gamma=${s.gamma}, scaler ${cv.settings.scaler ?? DEFAULT_SCALER}, ${cv.k}-fold (seed ${cv.seed})`;
  return [
    head,
    textTable(['Class', 'Precision %', 'Recall %', 'F1-score %', 'Samples'], rows),
    `accuracy ${fmtPct(cv.accuracy)} %  (mean ± sample std over ${cv.k} folds; folds: ${cv.folds.map((f) => (f.accuracy * 100).toFixed(1)).join(', ')})`,
    `macro F1 ${fmtPct(cv.macro.f1)} %, ${cv.seconds.toFixed(1)} s`,
  ].join('\n');
}

function cvJson(cv: CVResult<SvmFoldDetail>): unknown {
  return {
    protocol: cv.protocol,
    folds: cv.k,
    seed: cv.seed,
    settings: cv.settings,
    scaler: cv.settings.scaler ?? DEFAULT_SCALER,
    accuracy: cv.accuracy,
    stdDdof: cv.stdDdof,
    perClass: cv.perClass,
    macro: cv.macro,
    weighted: cv.weighted,
    confusion: cv.confusion,
    labels: cv.labels,
    foldAccuracy: cv.folds.map((f) => f.accuracy),
    foldRows: cv.folds.map((f) => ({
      train: f.trainRows,
      test: f.testRows,
      fitSeconds: f.fitSeconds,
      predictSeconds: f.predictSeconds,
      nSupport: f.detail.nSupport,
    })),
    leakedTestRows: cv.check.leakedTestRows,
    sharedSpeakers: cv.check.sharedSpeakers,
    seconds: cv.seconds,
  };
}

function gridText(g: GridResult): string {
  const rows = g.rows.map((r) => [r.kernel, r.C, fmtPct(r.accuracy), fmtPct(r.macroF1), r === g.best ? '*' : '']);
  return [
    `grid, protocol ${g.protocol}:`,
    textTable(['kernel', 'C', 'accuracy %', 'macro F1 %', 'best'], rows),
    `best: ${g.best.kernel} C=${g.best.C} (${fmtPct(g.best.accuracy)} %)`,
  ].join('\n');
}

const svmCommand: Command = {
  path: ['svm'],
  usage:
    'ser svm --features <file> [--C 30] [--kernel rbf] [--scaler standard|minmax|none] [--folds 5] [--seed 0] [--protocol paper|clip|speaker|all] [--no-aug] [--grid] [--json]',
  summary:
    "stratified k-fold scaler + SVM on a feature store or a .parquet/.arrow/.csv matrix: Tables II/III layout, accuracy mean ± std; --grid: the paper's kernel x C grid",
  flags: {
    features: {
      type: 'string',
      description:
        'feature store written by `ser features --out`, or a .parquet / .arrow / .feather / .csv matrix with an emotion column and numeric feature columns (optional speaker, corpus, source_clip_id, kind)',
    },
    C: { type: 'number', description: 'SVM regularisation C (paper: 100 with augmentation, 30 without)', default: 30 },
    kernel: { type: 'string', description: 'SVM kernel', default: 'rbf', choices: ['rbf', 'poly', 'linear', 'sigmoid'] },
    scaler: {
      type: 'string',
      description:
        "feature scaling fitted on each training fold: 'standard' (sklearn StandardScaler), 'minmax' (MinMaxScaler, range 0-1) or 'none'",
      default: 'standard',
      choices: [...SCALER_KINDS],
    },
    gamma: { type: 'string', description: "kernel gamma: 'scale', 'auto' or a number", default: 'scale' },
    degree: { type: 'number', description: 'poly kernel degree', default: 3 },
    folds: { type: 'number', description: 'number of folds', default: 5 },
    seed: { type: 'number', description: 'fold shuffling seed (numpy RandomState semantics)', default: 0 },
    protocol: {
      type: 'string',
      description: "'paper' (augment, then fold all rows), 'clip' (fold clips), 'speaker' (fold speakers), or 'all'",
      default: 'paper',
      choices: [...PROTOCOLS, 'all'],
    },
    'no-aug': { type: 'boolean', description: 'use only the original rows (the paper\'s "without augmentation", Table III)' },
    grid: {
      type: 'boolean',
      description: `run the paper's grid: kernels ${PAPER_GRID.kernels.join(', ')} x C in {${PAPER_GRID.C.join(', ')}}`,
    },
    'grid-C': { type: 'string', description: "comma-separated C values for --grid (default: the paper's)" },
    'grid-kernels': { type: 'string', description: 'comma-separated kernels for --grid (default: poly,rbf)' },
    workers: { type: 'number', description: 'worker threads (0 = main thread)', default: defaultSvmWorkers() },
    engine: {
      type: 'string',
      description: "solver: 'ts' (libsvm's algorithm ported) or 'libsvm-js' (libsvm 3.22 in wasm, slower)",
      default: 'ts',
      choices: ['ts', 'libsvm-js'],
    },
    cache: { type: 'string', description: 'directory caching finished folds (resume an interrupted run)' },
    save: { type: 'string', description: 'also fit on every row used and save a model directory for `ser predict`' },
    'skip-cv': { type: 'boolean', description: 'with --save: only fit and save, no cross-validation' },
    quiet: { type: 'boolean', description: 'no progress bar' },
  },
  async run(args, io) {
    const file = args.flags.features as string | undefined;
    if (!file) throw new UsageError('missing --features <file>');
    if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
    const k = args.flags.folds as number;
    if (!Number.isInteger(k) || k < 2) throw new UsageError(`--folds must be an integer >= 2, got ${k}`);
    const seed = args.flags.seed as number;
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer >= 0, got ${seed}`);
    const C = args.flags.C as number;
    if (!(C > 0)) throw new UsageError(`--C must be > 0, got ${C}`);
    const workers = args.flags.workers as number;
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be an integer >= 0, got ${workers}`);
    const g = args.flags.gamma as string;
    const gamma: 'scale' | 'auto' | number = g === 'scale' || g === 'auto' ? g : Number(g);
    if (typeof gamma === 'number' && !(gamma > 0)) throw new UsageError(`--gamma must be 'scale', 'auto' or a number > 0, got '${g}'`);
    let table: FeatureTable;
    try {
      table = readFeatureMatrix(file);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (args.flags['no-aug']) table = selectRows(table, (i) => table.kind[i] === 'orig');
    let data: Dataset = datasetFromFeatureTable(table);
    if (args.flags['no-aug']) data = originalRows(data);
    const saveDir = args.flags.save as string | undefined;
    if (args.flags['skip-cv'] && !saveDir) throw new UsageError('--skip-cv needs --save <dir>');
    const desc = describeDataset(data);
    if (desc.rows < k) throw new UsageError(`${file}: ${desc.rows} labelled rows, fewer than --folds ${k}`);
    io.err(
      `[ser svm] ${file}: ${desc.rows} rows (${desc.augmented} augmented), ${desc.clips} clips, ${desc.speakers} speakers, ${data.X.cols} features`,
    );
    let protocols: Protocol[] = args.flags.protocol === 'all' ? PROTOCOLS : [args.flags.protocol as Protocol];
    if (protocols.includes('speaker') && desc.speakers < k) {
      const why = `${file}: ${desc.speakers} speakers, fewer than --folds ${k}: the speaker protocol needs a speaker per fold`;
      if (protocols.length === 1) throw new UsageError(why);
      io.err(`[ser svm] speaker protocol skipped (${why})`);
      protocols = protocols.filter((p) => p !== 'speaker');
    }
    const common = {
      k,
      seed,
      scaler: args.flags.scaler as ScalerKind,
      cacheDir: args.flags.cache as string | undefined,
      progress: args.flags.quiet ? (false as const) : { stream: process.stderr },
    };
    const svm = { gamma, degree: args.flags.degree as number, engine: args.flags.engine as 'ts' | 'libsvm-js' };
    const aug = hasAugmentedRows(data);
    const texts: string[] = [];
    const json: Record<string, unknown> = {
      ok: true,
      features: file,
      rows: desc.rows,
      augmented: desc.augmented,
      clips: desc.clips,
      speakers: desc.speakers,
    };
    if (args.flags['skip-cv']) {
      // only the final model below
    } else if (args.flags.grid) {
      const list = (s: string | undefined) =>
        s
          ? s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : undefined;
      const Cs = list(args.flags['grid-C'] as string | undefined)?.map(Number);
      if (Cs?.some((c) => !(c > 0))) throw new UsageError(`--grid-C must list numbers > 0, got '${args.flags['grid-C']}'`);
      const kernels = list(args.flags['grid-kernels'] as string | undefined) as ('poly' | 'rbf' | 'linear' | 'sigmoid')[] | undefined;
      if (kernels?.some((x) => !['poly', 'rbf', 'linear', 'sigmoid'].includes(x)))
        throw new UsageError(`--grid-kernels: unknown kernel in '${args.flags['grid-kernels']}'`);
      const grids: unknown[] = [];
      for (const protocol of protocols) {
        const grid = { kernels: kernels ?? PAPER_GRID.kernels, C: Cs ?? PAPER_GRID.C };
        const make = (p: { kernel: string; C: number }) =>
          svmEstimator({ ...svm, kernel: p.kernel as 'rbf', C: p.C }, { workers, scaler: common.scaler });
        const gr = await svmGridSearch(data, grid, make, {
          ...common,
          protocol,
          progress: common.progress ? { stream: process.stderr, label: `grid ${protocol}` } : false,
        });
        texts.push(gridText(gr));
        grids.push({ protocol, best: gr.best, rows: gr.rows });
      }
      json.grid = grids;
    } else {
      const results: unknown[] = [];
      for (const protocol of protocols) {
        if (!aug && protocol === 'clip' && protocols.includes('paper'))
          io.err('[ser svm] no augmented rows: clip folds are the paper folds');
        const cv = await crossValidate(
          svmEstimator({ ...svm, kernel: args.flags.kernel as 'rbf', C }, { workers, scaler: common.scaler }),
          data,
          { ...common, protocol },
        );
        texts.push(cvText(cv));
        results.push(cvJson(cv));
      }
      json.results = results;
    }
    if (saveDir) {
      io.err(`[ser svm] fitting ${args.flags.kernel} C=${C} with probabilities on all ${desc.rows} rows -> ${saveDir}`);
      const { meta } = await fitAndSaveSvm(table, saveDir, {
        svc: { ...svm, kernel: args.flags.kernel as 'rbf', C, workers },
        scaler: common.scaler,
        description: `${file}${args.flags['no-aug'] ? ' (original rows only)' : ''}: ${desc.rows} rows, ${desc.clips} clips`,
      });
      texts.push(`saved model (${meta.classes.length} classes, ${desc.rows} rows) to ${saveDir}`);
      json.saved = { dir: saveDir, classes: meta.classes };
    }
    return { json, text: texts.join('\n\n') };
  },
};

export const commands: Command[] = [svmCommand];
