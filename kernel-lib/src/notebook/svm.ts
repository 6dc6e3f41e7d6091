/**
 * The SVM runs of notebook 04 with their shared options in one place: the protocols, k, the
 * seed, the worker threads and the fold cache are given once, so a cell says only what differs
 * (the data, C, the kernel) and a teacher changes C or the protocol in one visible spot.
 */
import type { Dataset } from '../eval/dataset';
import { CrossValidateOptions, crossValidate, CVResult, gridSearch, GridResult, GridSearchOptions, SvmSettings } from '../eval/crossval';
import { Protocol, PROTOCOLS } from '../eval/protocols';

export interface SvmRunOptions {
  k?: number;
  seed?: number;
  workers?: number;
  /** finished folds are kept here: a re-run resumes */
  cacheDir?: string;
  /** progress bars (default true) */
  progress?: boolean;
}

export interface SvmRunner {
  /** one cross-validation (default protocol 'paper') */
  cv(d: Dataset, svm: SvmSettings, o?: { protocol?: Protocol; label?: string }): Promise<CVResult>;
  /** the grid of kernels x C values under one protocol */
  grid(d: Dataset, grid: { kernels: GridSearchOptions['kernels']; C: number[] }, o?: { protocol?: Protocol; label?: string }): Promise<GridResult>;
  /**
   * The same settings under several protocols (default paper, clip, speaker), in that order;
   * `reuse` gives results already computed (e.g. the paper protocol's Table II run).
   */
  protocols(d: Dataset, svm: SvmSettings, o?: { protocols?: readonly Protocol[]; reuse?: CVResult[]; label?: string }): Promise<CVResult[]>;
}

/** SVM runs that share k, seed, workers, fold cache and progress. */
export function svmRunner(shared: SvmRunOptions = {}): SvmRunner {
  const base = (label: string | undefined): CrossValidateOptions => ({
    k: shared.k ?? 5,
    seed: shared.seed ?? 0,
    workers: shared.workers,
    cacheDir: shared.cacheDir,
    progress: shared.progress === false ? false : { label },
  });
  const runner: SvmRunner = {
    cv: (d, svm, o = {}) => crossValidate(d, { ...base(o.label), protocol: o.protocol ?? 'paper', svm }),
    grid: (d, grid, o = {}) => gridSearch(d, { ...base(o.label), protocol: o.protocol ?? 'paper', kernels: grid.kernels, C: grid.C }),
    async protocols(d, svm, o = {}) {
      const out: CVResult[] = [];
      for (const protocol of o.protocols ?? PROTOCOLS) {
        const done = o.reuse?.find((r) => r.protocol === protocol && sameSettings(r, svm));
        out.push(done ?? (await runner.cv(d, svm, { protocol, label: `${o.label ?? 'svm'}, ${protocol}` })));
      }
      return out;
    },
  };
  return runner;
}

function sameSettings(r: CVResult, svm: SvmSettings): boolean {
  return Object.entries(svm).every(([k, v]) => (r.settings as Record<string, unknown>)[k] === v);
}
