export * from './output-objects';
export * from './field-changes';
export * from './highlights';
export * from './diff-outputs';
export * from './render';
export * from './read-output';
