export * from './context';
export * from './display';
export * from './artifacts';
export * from './tables';
export * from './figures';
export * from './progress';
export * from './environment';
