export * from './backend';
// SVM (helper C): scikit-learn-shaped SVC over libsvm's algorithm, scaler, pipeline
export * from './scaler';
export * from './svm';
export * from './pipeline';
export { SvmPool, svmPool, closeSvmPool, defaultSvmWorkers } from './svm-pool';
export { solveCSvc, kFunction, sigmoidTrain, sigmoidPredict, multiclassProbability, DEFAULT_SOLVER_OPTIONS } from './svm-solver';
export type { BinaryProblem, BinarySolution, SolverOptions } from './svm-solver';
export * from './cnn';
export * from './vgg16';
export * from './keras-h5';
export * from './train';
export * from './checkpoint';
export { prepareWasm, wasmSetup, registerWasmTrainingKernels } from './wasm-kernels';
export * from './cnn-run';
export * from './saved';
export * from './svm-save';
export * from './predict';
