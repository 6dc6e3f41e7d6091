/**
 * kernel-lib: the library behind the notebooks, the `ser` command and the tests.
 * Laid out like librosa (audio / dsp / features) and scikit-learn (models / eval).
 *
 * The public API, by the paper's sections: the data (`corpora`, `audio`), the traditional path
 * (`features`, `models` SVM, `evaluation`), the deep path (`features` images, `models` CNNs), the
 * results (`report`), and the notebooks' facade (`notebook`). Each namespace lists its names in
 * src/api/; the rest of the library is internal (`kernel-lib/internal`, for tests).
 */
export * as corpora from './api/corpora';
export * as audio from './api/audio';
export * as dsp from './api/dsp';
export * as features from './api/features';
export * as models from './api/models';
export * as evaluation from './api/evaluation';
export * as report from './api/report';
export * as notebook from './api/notebook';
export * as core from './api/core';
export { chooseBackend } from './models/cnn/backend';
export { runContext } from './core/context';
export const VERSION: string = require('../package.json').version;
