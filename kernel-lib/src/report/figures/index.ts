/**
 * Every figure of the notebooks in one place: how a figure is shown, saved and exported
 * (output), and the builders of the paper's figures and the notebooks' own, by topic: signals
 * and features (notebooks 02-03, Fig. 1), the corpora (01), the results (04, 06-08) and the deep
 * path (05-07, Figs. 2, 5, 6). All are plotly specs (core/figure).
 */
export * from './output';
export * from './signals';
export * from './corpus';
export * from './results';
export * from './cnn';
