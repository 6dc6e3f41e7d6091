/**
 * The deep path (paper IV): the custom CNN and VGG16 (Keras-equivalent layers), their weights
 * (Keras H5, tfjs checkpoints), the tf backend choice, the training loop, k-fold training and
 * `runCnn`, which takes clips to Tables IV / V.
 */
export * from './backend';
export * from './network';
export * from './vgg16';
export * from './keras-h5';
export * from './checkpoint';
export * from './source';
export * from './fit';
export * from './curves';
export * from './estimator';
export { prepareWasm, wasmSetup, registerWasmTrainingKernels } from './wasm-kernels';
export * from './run';
export * from './load';
