export * from './definition';
export * from './slo';
export * from './promql';
export * from './prometheus';
export * from './k8s';
export * from './gcp';
export * from './synth';
