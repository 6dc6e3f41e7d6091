// The public `report` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.report`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `report/` stays internal (tests reach it through `kernel-lib/internal`).

// Tables and figures of a run
export { saveTable, saveFigure, showTable, showFigure, toMarkdown, toCsv, toHtml, html, markdown, png } from '../report';

// The paper's numbers and the reproduction report (section V)
export {
  PAPER_RESULTS,
  fmtMeanStd,
  paperTableRows,
  paperLayoutRows,
  reproductionRows,
  settingRows,
  findings,
  dataStatement,
  writeReproductionReport,
  readResults,
  recordResult,
  toModelResult,
  resultRecord,
  recordArtifact,
  versionRows,
} from '../report';

// Used by the notebooks
export {
  MAGMA_COLORSCALE,
  accuracyFigure,
  audioPlayersHtml,
  augmentationFigure,
  augmentationGrowthFigure,
  augmentationGrowthRows,
  clipsPerEmotionFigure,
  cnnFoldRows,
  confusionFigure,
  durationsFigure,
  energyProfile,
  energyProfileFigure,
  energyProfileRows,
  featureHeatmap,
  foldRows,
  gridFigure,
  gridRows,
  imagesPerEmotionFigure,
  layoutBlocks,
  learningCurveFigure,
  perEmotionMeansFigure,
  protocolComparisonRows,
  protocolFigure,
  spectrogramFigure,
  variantAccuracyFigure,
  windowWaveformsFigure,
} from '../report';
export type { Row } from '../report';
