export * from './types';
export * from './burn-rate';
