/**
 * `ser features <root|audio...> --out <file> [--augment] [--workers N]`: the feature matrix of a
 * corpus (paper III.B-C, with the III.A copies when --augment) into a feature store.
 */
import { Command, textTable, UsageError } from './command';
import { buildFeatureStore, defaultWorkers } from '../features/extract';

const featuresCommand: Command = {
  path: ['features'],
  usage: 'ser features <root|audio...> --out <file> [--augment] [--workers N] [--seed N] [--meyda]',
  summary:
    "173-feature matrix (the paper's MFCC/chroma/mel/contrast/tonnetz means) of every clip, with labels, speakers, clip ids; " +
    'resumable (a re-run reuses finished clips), deterministic (same files -> same bytes)',
  positionals: { min: 1, name: '<root|audio...>' },
  flags: {
    out: { type: 'string', description: 'feature store file to write (read back with readFeatureStore)' },
    augment: { type: 'boolean', description: 'also the noise / stretch / pitch copies of every clip (4 rows per clip, paper III.A)' },
    workers: { type: 'number', description: 'worker threads (0 = in the main thread)', default: defaultWorkers() },
    seed: { type: 'number', description: 'global seed of the noise copies (each clip: seed + clip id)', default: 0 },
    meyda: { type: 'boolean', description: 'append 5 meyda descriptors (rms, zcr, centroid, flatness, rolloff): NOT part of the paper 173' },
    extractor: { type: 'string', description: "feature extractor: 'paper173' or a path to a module exporting {name, layout, extract}", default: 'paper173' },
    quiet: { type: 'boolean', description: 'no progress bar' },
  },
  async run(args, io) {
    const out = args.flags.out as string | undefined;
    if (!out) throw new UsageError('missing --out <file>');
    const workers = args.flags.workers as number;
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be an integer >= 0, got ${workers}`);
    const seed = args.flags.seed as number;
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
    const res = await buildFeatureStore({
      inputs: args.positionals,
      out,
      augment: !!args.flags.augment,
      workers,
      seed,
      meyda: !!args.flags.meyda,
      extractor: args.flags.extractor as string,
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

export const commands: Command[] = [featuresCommand];
