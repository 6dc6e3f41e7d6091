// The public `models` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.models`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `models/` stays internal (tests reach it through `kernel-lib/internal`).

// The SVM (scikit-learn SVC over libsvm; section III.D)
export {
  SVC,
  StandardScaler,
  MinMaxScaler,
  Pipeline,
  makePipeline,
  svmPipeline,
  svmEstimator,
  svmGridSearch,
  PAPER_GRID,
  defaultSvmWorkers,
} from '../models';

// The CNNs (section IV; Keras)
export {
  customCnn,
  vgg16Transfer,
  PAPER_CNN,
  PAPER_CNN_PARAMS,
  countCnnParams,
  parameterCountTable,
  parameterCountNote,
  trainableParams,
  summaryText,
  vgg16WeightsPath,
  cnnTrainer,
} from '../models';

// Training the CNNs at a scale, with a backend
export { CNN_PROFILES, CNN_SCALES, cnnProfileFor, runCnn, limitClips, pickFold, chooseBackend, currentBackend } from '../models';

// Saved models and prediction (`ser predict`)
export { fitAndSaveSvm, saveBestFoldModel, loadModel, predictFiles } from '../models';
export type { SvmSettings, CnnRunResult, CnnProfile } from '../models';
