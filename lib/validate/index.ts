export * from './schemas';
export * from './tools';
export * from './validate-output';
