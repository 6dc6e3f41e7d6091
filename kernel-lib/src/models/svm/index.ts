/**
 * The traditional path (paper III, helper C): scikit-learn's StandardScaler / MinMaxScaler,
 * Pipeline and SVC (libsvm's SMO ported to TypeScript, its worker pool and SIMD kernels; the
 * libsvm-js reference engine), the SVM under cross-validation (`svmEstimator`, the paper's
 * grid), applying a fitted pipeline to clips and `ser svm --save`.
 */
export * from './scaler';
export * from './svc';
export * from './pipeline';
export * from './estimator';
export * from './apply';
export { SvmPool, svmPool, closeSvmPool, defaultSvmWorkers } from './pool';
export { solveCSvc, kFunction, sigmoidTrain, sigmoidPredict, multiclassProbability, DEFAULT_SOLVER_OPTIONS } from './solver';
export type { BinaryProblem, BinarySolution, SolverOptions } from './solver';
export * from './save';
