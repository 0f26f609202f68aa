export * from './parse';
export * from './build';
