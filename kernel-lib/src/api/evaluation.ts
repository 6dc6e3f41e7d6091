// The public `evaluation` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.evaluation`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `eval/` stays internal (tests reach it through `kernel-lib/internal`).

// Cross-validation over any estimator (sklearn.model_selection)
export { crossValidate, gridSearch, StratifiedKFold, KFold, StratifiedGroupKFold } from '../eval';

// The three protocols
export { PROTOCOLS, protocolFolds, checkProtocolFolds } from '../eval';

// Data sets
export { datasetFromFeatureTable, originalRows, subsetDataset, describeDataset } from '../eval';

// Metrics (sklearn.metrics), mean +- std over folds
export { accuracy, confusionMatrix, classificationReport, meanStd, fmtPct } from '../eval';

// Errors: what the model confuses
export { outOfFold, confusedPairs, pairErrors, accuracyBy } from '../eval';
export type { CVResult, FoldResult, Protocol, Dataset, MeanStd } from '../eval';
