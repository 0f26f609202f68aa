export * from './rule-group';
export * from '../definition/naming';
export * from './slo-rules';
export * from './symptom-rules';
export * from './rules';
export * from './render';
export * from './rule-tests';
export * from './slo-alert-policy';
