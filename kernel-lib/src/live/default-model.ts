/**
 * The default model of `ser live`: StandardScaler + RBF SVC (C = 30, probabilities, the paper's
 * no-augmentation setting of Table III) fitted on every clip of the SYNTHETIC demo corpus, saved
 * as `ser svm --save` saves models, under <results>/demo/models/live-demo-svm. Made on first
 * use (the demo corpus and its feature store first, when missing), and made again when the
 * saved one no longer matches this kernel-lib or feature code.
 */
import * as path from 'node:path';
import { demoCorpusDir, ensureDemoCorpus } from '../corpora/demo';
import { ensureFeatureStore } from '../features/extract';
import { ModelDirError, readModelMeta, type SavedModelMeta } from '../models/saved';
import { fitAndSaveSvm } from '../models/svm/save';
import { type RunContext, runContext } from '../core/context';

export const LIVE_DEMO_MODEL_NAME = 'live-demo-svm';

/** The demo-profile run context (the demo corpus, whatever SER_DATA / SER_PROFILE say; SER_OUT is kept). */
export function demoContext(base: RunContext = runContext()): RunContext {
  const outDir = process.env.SER_OUT ? base.outDir : path.join(base.projectRoot, 'results', 'demo');
  return { ...base, profile: 'demo', dataDir: null, outDir };
}

/** Where the default model lives. */
export function liveDemoModelDir(ctx: RunContext = demoContext()): string {
  return path.join(ctx.outDir, 'models', LIVE_DEMO_MODEL_NAME);
}

/**
 * The default model's directory, made if missing or stale. `log` gets one line per step.
 * Returns its checked metadata and whether it was (re)made now.
 */
export async function ensureLiveDemoModel(
  log: (line: string) => void = () => undefined,
  ctx: RunContext = demoContext(),
): Promise<{ dir: string; meta: SavedModelMeta; created: boolean }> {
  const dir = liveDemoModelDir(ctx);
  try {
    return { dir, meta: readModelMeta(dir, 'svm'), created: false };
  } catch (e) {
    if (!(e instanceof ModelDirError)) throw e;
    log(`default model ${dir}: ${e.message.slice(dir.length + 2)}; making it (SYNTHETIC demo corpus, C = 30, no augmentation)`);
  }
  const root = await ensureDemoCorpus(demoCorpusDir(ctx.projectRoot));
  log(`demo corpus: ${root}`);
  const store = await ensureFeatureStore({ ctx, root, augment: false, progress: { stream: process.stderr } });
  log(`features: ${store.nRows} clips x ${store.nFeatures}`);
  await fitAndSaveSvm(store, dir, {
    svc: { kernel: 'rbf', C: 30 },
    description: `ser live default: every clip of the SYNTHETIC demo corpus (espeak-ng speech, ${store.nRows} clips), no augmentation, C = 30`,
    synthetic: true,
  });
  log(`saved ${dir}`);
  return { dir, meta: readModelMeta(dir, 'svm'), created: true };
}
