export * from './rule-group';
export * from './check';
export * from './log-rules';
export * from './render';
export * from './loki-rules';
