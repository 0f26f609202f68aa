export * from './parse';
export * from './build';
export * from './duration';
export * from './types';
