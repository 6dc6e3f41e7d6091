export * from './matrix';
export * from './fft';
export * from './window';
export * from './stft';
export * from './convert';
export * from './filters';
export * from './median';
export * from './cqt-filters';
export { dspEngine, DSP_WASM_PATH } from './wasm';
