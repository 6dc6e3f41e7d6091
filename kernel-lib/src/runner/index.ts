export * from './kernel';
export * from './notebook';
export * from './export';
export * from './run';
export * from './kernelspec';
export * from './lab';
export * from './publish';
