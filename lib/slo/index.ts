export * from './burn-rate';
export * from './sli';
