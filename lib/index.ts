export * from './definition';
export * from './slo';
export * from './promql';
export * from './prometheus';
export * from './alertmanager';
export * from './k8s';
export * from './gcp';
export * from './synth';
