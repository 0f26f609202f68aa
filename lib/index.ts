export * from './spec';
export * from './slo';
export * from './k8s';
export * from './synth';
