export * from './io';
export * from './definition-file';
export * from './synth-command';
export * from './diff-command';
export * from './validate-command';
export * from './program';
