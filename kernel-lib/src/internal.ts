/**
 * kernel-lib/internal: the library's modules as namespaces, for the tests (and for scripts that
 * need a module the public entry does not export). Not part of the public API: names and
 * shapes here change whenever the code inside the library moves. Users and notebooks import
 * `kernel-lib` (src/index.ts).
 *
 * Reached as `import { audioWav, featuresStore } from 'kernel-lib/internal'`: the folder
 * kernel-lib/internal/ holds only a package.json whose `main` / `types` point at
 * dist/internal.js / dist/internal.d.ts, so Node, tslab and TypeScript (moduleResolution node10)
 * all resolve it without an `exports` map. An `exports` map ("./internal/*": "./dist/*.js")
 * would have given one subpath per module, but it also closes every other deep path
 * (`kernel-lib/dist/...` in scripts/, kernel-lib/web and the `browser` field the web bundle
 * relies on), needs `typesVersions` for TypeScript 'node10' resolution, and would tie the tests
 * to file names; one explicit list keeps what the tests reach in one place (docs/architecture.md,
 * "Tests").
 *
 * Each name is the module's path under src/ in camelCase (`models/cnn/backend` ->
 * `modelsCnnBackend`; a folder's index takes the folder's name, `eval` -> `evaluation`).
 * Importing this entry loads every module listed here; add a module when a test needs it.
 */
export * as audio from './audio';
export * as audioAugment from './audio/augment';
export * as audioFile from './audio/file';
export * as audioLoad from './audio/load';
export * as audioPcm from './audio/pcm';
export * as audioResample from './audio/resample';
export * as audioWav from './audio/wav';
export * as cli from './cli';
export * as core from './core';
export * as coreProgress from './core/progress';
export * as coreRandom from './core/random';
export * as coreTypes from './core/types';
export * as corpora from './corpora';
export * as dsp from './dsp';
export * as dspFft from './dsp/fft';
export * as dspStft from './dsp/stft';
export * as dspWasm from './dsp/wasm';
export * as evaluation from './eval';
export * as evalDataset from './eval/dataset';
export * as features from './features';
export * as featuresExtract from './features/extract';
export * as featuresHpss from './features/hpss';
export * as featuresImage from './features/image';
export * as featuresMatrixArrow from './features/matrix-arrow';
export * as featuresMatrixColumns from './features/matrix-columns';
export * as featuresMatrixCsv from './features/matrix-csv';
export * as featuresMatrixFile from './features/matrix-file';
export * as featuresMeydaExtra from './features/meyda-extra';
export * as featuresPaper173 from './features/paper173';
export * as featuresStore from './features/store';
export * as featuresTuning from './features/tuning';
export * as liveClassifier from './live/classifier';
export * as liveRingBuffer from './live/ring-buffer';
export * as liveServer from './live/server';
export * as models from './models';
export * as modelsCnnBackend from './models/cnn/backend';
export * as modelsCnnWasmKernels from './models/cnn/wasm-kernels';
export * as modelsInputRule from './models/input-rule';
export * as modelsSvmLibsvmjsBrowser from './models/svm/libsvmjs.browser';
export * as modelsSvmPoolBrowser from './models/svm/pool.browser';
export * as modelsSvmCacheSize from './models/svm/cache-size';
export * as modelsSvmKernelMatrix from './models/svm/kernel-matrix';
export * as modelsSvmSolver from './models/svm/solver';
export * as modelsSvmSimd from './models/svm/simd';
export * as notebook from './notebook';
export * as platformAssets from './platform/assets';
export * as platformAssetsBrowser from './platform/assets.browser';
export * as platformBase64 from './platform/base64';
export * as platformShared from './platform/shared';
export * as report from './report';
export * as reportFiguresSignals from './report/figures/signals';
export * as runner from './runner';
export * as runnerExport from './runner/export';
export * as runnerKernelPreload from './runner/kernel-preload';
