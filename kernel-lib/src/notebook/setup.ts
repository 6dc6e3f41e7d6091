/**
 * What every notebook does first, in one call (d2l's `d2l.load_data_*` in spirit): the run
 * context (profile, data folder, output folder: SER_PROFILE / SER_DATA / SER_OUT, set by
 * `ser run-notebooks` and `ser lab`), the corpus root (SER_DATA, or the synthetic demo corpus,
 * generated on first use), the scan of its clips, and the banner that says which data the
 * numbers below come from.
 */
import { type RunContext, runContext } from '../core/context';
import { markdown } from '../core/display';
import { corpusRoot } from '../corpora/demo';
import { type ScanResult, scanCorpora } from '../corpora/scan';

export interface NotebookSetup {
  ctx: RunContext;
  /** the corpus root the notebook reads */
  root: string;
  scan: ScanResult;
  /** the demo profile (small sizes, CPU friendly) */
  demo: boolean;
}

export interface SetupOptions {
  /** what the synthetic corpus means for this notebook's output (one sentence) */
  syntheticNote?: string;
  /** print the one-line summary of the corpus (default true) */
  quiet?: boolean;
  ctx?: RunContext;
}

/** The banner shown above a notebook's output when the corpus is the synthetic demo corpus. */
export function syntheticBanner(root: string, note: string = DEFAULT_SYNTHETIC_NOTE): string {
  return `> **SYNTHETIC demo corpus** (${root}): ${note}`;
}

export const DEFAULT_SYNTHETIC_NOTE =
  "espeak-ng speech laid out like the four corpora. The numbers show the method, not the paper's data. " +
  'Set `SER_DATA` (or start `ser lab --data DIR`) to the four corpora to reproduce the paper.';

/** The context, the corpus and its scan; shows the synthetic-data banner and a one-line summary. */
export async function setup(opts: SetupOptions = {}): Promise<NotebookSetup> {
  const ctx = opts.ctx ?? runContext();
  const root = await corpusRoot(ctx);
  const scan = scanCorpora(root);
  if (scan.synthetic) markdown(syntheticBanner(root, opts.syntheticNote));
  if (!opts.quiet) {
    const corpora = scan.present.join(', ') || 'no corpus';
    console.log(`${root}: ${scan.total} clips in ${corpora}${scan.synthetic ? ' (SYNTHETIC demo corpus)' : ''}; profile ${ctx.profile}`);
  }
  return { ctx, root, scan, demo: ctx.profile === 'demo' };
}
