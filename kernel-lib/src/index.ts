/**
 * kernel-lib: the library behind the notebooks, the `ser` command and the tests.
 * Laid out like librosa (audio / dsp / features) and scikit-learn (models / eval).
 */
export * as audio from './audio';
export * as dsp from './dsp';
export * as features from './features';
export * as corpora from './corpora';
export * as models from './models';
export * as evaluation from './eval';
export * as report from './report';
export * as notebook from './notebook';
export * as core from './core';
export { chooseBackend } from './models/cnn/backend';
export { runContext } from './core/context';
export const VERSION: string = require('../package.json').version;
