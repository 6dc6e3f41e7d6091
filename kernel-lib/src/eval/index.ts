/**
 * Evaluation (scikit-learn's model_selection + metrics, shaped for the paper): seeded
 * stratified / grouped k-fold splitters, the paper / clip / speaker protocols, metrics with
 * mean +- std over folds, cross-validated SVM runs and the paper's grid, result tables.
 */
export * from '../core/random';
export * from './dataset';
export * from './split';
export * from './metrics';
export * from './protocols';
export * from './crossval';
export * from './errors';
