/**
 * The traditional path's model under cross-validation: scikit-learn's
 * `make_pipeline(StandardScaler(), SVC(**settings))` (or MinMaxScaler, or no scaler: the
 * `scaler` option), refitted per fold on the training rows only (so the scaler never sees a test
 * row), as an `Estimator` of eval/crossval. Also the paper's grid of kernels x C values (III.D).
 */
import type { Dataset } from '../../eval/dataset';
import { type Estimator, type EstimatorFactory, gridSearch, type GridResult, type GridSearchOptions } from '../../eval/crossval';
import { keepKernelMatrices } from './kernel-matrix';
import { svmPipeline } from './pipeline';
import { asMatrix, type ScalerKind, takeRows } from './scaler';
import { SVC, type SVCParams } from './svc';

/** SVC hyperparameters (scikit-learn's names); unset ones take scikit-learn's defaults. */
export type SvmSettings = Partial<Omit<SVCParams, 'workers'>>;

/** What a fitted fold of the SVM reports besides its scores. */
export interface SvmFoldDetail {
  /** support vectors of the fitted SVC (all classes) */
  nSupport: number;
}

/** Settings with scikit-learn's defaults filled in (what the cache key and the report show). */
export function resolveSettings(s: SvmSettings = {}): SvmSettings {
  const { workers: _w, ...d } = new SVC(s).params;
  void _w;
  return d;
}

/** The reference recipe's feature scaling. */
export const DEFAULT_SCALER: ScalerKind = 'standard';

/**
 * Scaler + SVC with these settings, one fresh pipeline per fold. The scaler is part of the
 * settings only when it is not the default StandardScaler, so the default's cache keys do not
 * change.
 */
export function svmEstimator(
  settings: SvmSettings = {},
  opts: { workers?: number; scaler?: ScalerKind } = {},
): EstimatorFactory<SvmFoldDetail> {
  const scaler = opts.scaler ?? DEFAULT_SCALER;
  const resolved = resolveSettings(settings);
  return {
    kind: 'svm',
    settings: (scaler === DEFAULT_SCALER ? resolved : { ...resolved, scaler }) as Record<string, unknown>,
    make(d: Dataset): Estimator<SvmFoldDetail> {
      const M = asMatrix(d.X);
      const svc = new SVC({ ...settings, workers: opts.workers });
      const pipe = svmPipeline(scaler, svc);
      return {
        async fit(train) {
          await pipe.fit(
            takeRows(M, train),
            Array.from(train, (r) => d.y[r]),
          );
        },
        async predict(test) {
          const idx = await pipe.predictIndex(takeRows(M, test));
          // class indices of the SVC are positions in its sorted classes: map back to dataset classes
          return Int32Array.from(idx, (i) => svc.classes[i] as number);
        },
        async predictProba(test) {
          if (!svc.params.probability) throw new Error('svmEstimator: class probabilities need probability: true in the settings');
          const p = await pipe.predictProba(takeRows(M, test));
          // columns in the SVC's class order -> the dataset's labels (0 for a class absent from training)
          return p.map((row) => {
            const out = new Array<number>(d.labels.length).fill(0);
            row.forEach((v, j) => (out[svc.classes[j] as number] = v));
            return out;
          });
        },
        detail: () => ({ nSupport: svc.support.length }),
      };
    },
  };
}

/** The paper's grid (III.D): kernels poly and RBF, C in {4, 7, 8, 9, 15, 25, 30, 50, 100, 200}. */
export const PAPER_GRID = {
  kernels: ['poly', 'rbf'] as ('poly' | 'rbf')[],
  C: [4, 7, 8, 9, 15, 25, 30, 50, 100, 200],
};

/**
 * The SVM's grid search: `gridSearch` (eval/crossval.ts, GridSearchCV's role) inside
 * `keepKernelMatrices`, so the fits of one kernel on one fold share one kernel matrix along the C
 * path (each fit's model is the same as a fresh fit's; only the kernel values are reused).
 */
export function svmGridSearch(
  d: Dataset,
  grid: { kernels: readonly string[]; C: readonly number[] },
  make: (point: { kernel: string; C: number }) => EstimatorFactory,
  opts: GridSearchOptions = {},
): Promise<GridResult> {
  return keepKernelMatrices(() => gridSearch(d, grid, make, opts));
}
