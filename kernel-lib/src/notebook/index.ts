/**
 * The notebook facade: the calls that keep notebook cells short (setup, the SVM runs of
 * notebook 04). Everything here is a thin composition of the layers below.
 */
export * from './setup';
export * from './svm';
export * from './errors';
export * from './sensitivity';
