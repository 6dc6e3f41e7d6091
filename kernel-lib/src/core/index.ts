/**
 * The ground floor: what every layer may use and nothing here imports from above. Seeded random
 * sources, file-system helpers, the run context, the paper's input rule, the shared types
 * (emotions, corpora, clips), notebook display and progress output, the plotly figure type.
 */
export * from './random';
export * from './fs';
export * from './context';
export * from './input-rule';
export * from './types';
export * from './display';
export * from './progress';
export type { Figure } from './figure';
export * from './csv';
