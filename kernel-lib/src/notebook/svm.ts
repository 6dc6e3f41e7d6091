/**
 * The SVM runs of notebook 04 with their shared options in one place: k, the seed, the worker
 * threads and the fold cache are given once, so a cell says only what differs (the data, the
 * kernel and C, the protocol) and a teacher changes C or the protocol in one visible spot.
 */
import type { Dataset } from '../eval/dataset';
import { crossValidate, type CVResult, type GridResult } from '../eval/crossval';
import { type Protocol, PROTOCOLS } from '../eval/protocols';
import { svmEstimator, svmGridSearch, type SvmFoldDetail, type SvmSettings } from '../models/svm/estimator';

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
  /** one cross-validation of StandardScaler + SVC (default protocol 'paper') */
  cv(d: Dataset, svm: SvmSettings, o?: { protocol?: Protocol; label?: string; probabilities?: boolean }): Promise<CVResult<SvmFoldDetail>>;
  /** the grid of kernels x C values under one protocol */
  grid(
    d: Dataset,
    grid: { kernels: readonly string[]; C: readonly number[] },
    o?: { protocol?: Protocol; label?: string },
  ): Promise<GridResult>;
  /**
   * The same settings under several protocols (default paper, clip, speaker), in that order;
   * `reuse` gives results already computed (e.g. the paper protocol's Table II run).
   */
  protocols(
    d: Dataset,
    svm: SvmSettings,
    o?: { protocols?: readonly Protocol[]; reuse?: CVResult<SvmFoldDetail>[]; label?: string },
  ): Promise<CVResult<SvmFoldDetail>[]>;
}

/** SVM runs that share k, seed, workers, fold cache and progress. */
export function svmRunner(shared: SvmRunOptions = {}): SvmRunner {
  const base = (label: string | undefined) => ({
    k: shared.k ?? 5,
    seed: shared.seed ?? 0,
    cacheDir: shared.cacheDir,
    progress: shared.progress === false ? (false as const) : { label },
  });
  const make = (svm: SvmSettings) => svmEstimator(svm, { workers: shared.workers });
  const runner: SvmRunner = {
    cv: (d, svm, o = {}) =>
      crossValidate(make(svm), d, { ...base(o.label), protocol: o.protocol ?? 'paper', probabilities: o.probabilities }),
    grid: (d, grid, o = {}) =>
      svmGridSearch(d, grid, (p) => make({ kernel: p.kernel as SvmSettings['kernel'], C: p.C }), {
        ...base(o.label),
        protocol: o.protocol ?? 'paper',
      }),
    async protocols(d, svm, o = {}) {
      const settings = JSON.stringify(make(svm).settings);
      const out: CVResult<SvmFoldDetail>[] = [];
      for (const protocol of o.protocols ?? PROTOCOLS) {
        const done = o.reuse?.find((r) => r.protocol === protocol && JSON.stringify(r.settings) === settings);
        out.push(done ?? (await runner.cv(d, svm, { protocol, label: `${o.label ?? 'svm'}, ${protocol}` })));
      }
      return out;
    },
  };
  return runner;
}
