export {};
export * from './wav';
export * from './augment';
export * from './resample';
export * from './load';
