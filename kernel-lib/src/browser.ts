/**
 * kernel-lib's browser-safe entry: what the `ser live` page runs, bundled by esbuild for the
 * browser. Nothing on its import graph uses Node's built-ins (fs, path, worker_threads, ...);
 * test/live/bundle.test.ts checks the bundle's import graph. Platform differences are three
 * files that kernel-lib's package.json "browser" field swaps in: platform/assets (the page
 * provides the DSP wasm and the resampy filter tables), models/svm/pool (the SVM runs in the
 * calling thread) and models/svm/libsvmjs (the Node-only reference solver).
 *
 * The features and the probabilities are the same functions `ser predict` runs.
 */
export { provideAsset, providedAssetNames } from './platform/assets';
export { DSP_WASM_ASSET, dspEngine } from './dsp/wasm';
export { RESAMPY_ASSET_DIR, resample } from './audio/resample';
export { paper173, paper173Matrices, paper173FromMatrices, PAPER173_LAYOUT } from './features/paper173';
export { MAGMA_RGB } from './features/magma';
export { powerToDb } from './dsp/convert';
export { Pipeline } from './models/svm/pipeline';
export { svmProbabilities, asStoreRow } from './models/svm/apply';
export { decodeForModel, inputRuleWarning } from './models/input-rule';
export { decodeAudio, SUPPORTED_FORMATS } from './audio/decode';
export { EMOTIONS } from './core/types';
export type { SavedModelMeta } from './models/saved';
export { classifyWindow, LIVE_ASSETS, liveModelFromJson, liveModelProblem, windowFrames } from './live/classifier';
export type { LiveModel, WindowResult, WindowTiming } from './live/classifier';
export { SampleRing } from './live/ring-buffer';
