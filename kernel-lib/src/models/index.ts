// SVM (helper C): scikit-learn-shaped SVC over libsvm's algorithm, scaler, pipeline
export * from './scaler';
export * from './svm';
export * from './pipeline';
export * from './svm-estimator';
export * from './estimator-files';
export * from './svm-apply';
export * from './input-rule';
export { SvmPool, svmPool, closeSvmPool, defaultSvmWorkers } from './svm-pool';
export { solveCSvc, kFunction, sigmoidTrain, sigmoidPredict, multiclassProbability, DEFAULT_SOLVER_OPTIONS } from './svm-solver';
export type { BinaryProblem, BinarySolution, SolverOptions } from './svm-solver';
export * from './cnn';
export * from './saved';
export * from './svm-save';
export * from './predict';
