// The public `features` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.features`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `features/` stays internal (tests reach it through `kernel-lib/internal`).

// The paper's 173 features (section III.B-C; librosa.feature.*)
export {
  paper173,
  paper173Layout,
  PAPER173_LAYOUT,
  paper173Matrices,
  paper173FromMatrices,
  mfcc,
  melspectrogram,
  chromaStft,
  chromaCqt,
  spectralContrast,
  tonnetz,
  cqt,
  hpss,
  estimateTuning,
} from '../features';

// The recipe and its variants (issue 15)
export { DEFAULT_EXTRACT_PARAMS, RECIPE_DEFAULTS, PAD_MODES, RES_TYPES, AUG_KINDS, augmentedSignal } from '../features';

// Feature stores: resumable [N x 173] matrices
export {
  buildFeatureStore,
  ensureFeatureStore,
  extractFeatureTable,
  readFeatureStore,
  featureStorePath,
  selectFeatures,
  selectRows,
} from '../features';

// Interchange: Parquet, Arrow, Feather, CSV
export { readFeatureMatrix, writeFeatureMatrix, MATRIX_ID_COLUMNS, MATRIX_EXTENSIONS } from '../features';

// Extra descriptors (meyda)
export { meydaExtra, MEYDA_EXTRA_LAYOUT, withMeyda } from '../features';

// Mel-spectrogram images (section IV.A)
export { melDb, melImage, clipImage, colorize, resizeRgb, encodePng, imageTensor, buildImageDataset } from '../features';
export type { FeatureTable, ExtractParams } from '../features';
