// The public `notebook` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.notebook`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `notebook/` stays internal (tests reach it through `kernel-lib/internal`).

// The notebook facade
export {
  DEFAULT_SYNTHETIC_NOTE,
  RECIPE_VARIANTS,
  combineVariants,
  listenToErrors,
  runSensitivity,
  sensitivityFindings,
  sensitivityRows,
  setup,
  svmRunner,
  syntheticBanner,
} from '../notebook';
