// The shape of test/fixtures/svm/sklearn-svc.json (scripts/tools/make-svm-fixture.py: scikit-learn
// 1.2.1's folds, fits and probabilities on 320 rows x 24 features, 8 classes).

/** scikit-learn's pipeline on one fold: its test predictions, accuracy and support vector count */
interface FoldFit {
  pred: number[];
  accuracy: number;
  n_support: number;
}

/** the fold fits of each fold */
type FoldFitName = 'rbf_C30' | 'rbf_C100' | 'poly_C30';

interface SvcFixture {
  generator: string;
  sklearn: string;
  numpy: string;
  X: number[][];
  y: number[];
  groups: number[];
  rng: { randint_2_31: number[]; shuffle_50_seed7: number[] };
  /** test fold of each row, by seed ('0', '1', '42') or 'noshuffle' */
  stratified_kfold: Record<string, number[]>;
  stratified_group_kfold: number[];
  folds: ({ fold: number; test: number[] } & Record<FoldFitName, FoldFit>)[];
  full_rbf_C30: {
    gamma: number;
    support: number[];
    n_support: number[];
    dual_coef: number[][];
    intercept: number[];
    n_iter: number[];
    decision_ovo: number[][];
    predict: number[];
  };
  proba_rbf_C30: { probA: number[]; probB: number[]; predict_proba: number[][] };
}

export type { FoldFit, FoldFitName, SvcFixture };
