export * from './burn-rate';
