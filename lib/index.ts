export * from './spec';
export * from './slo';
