export * from './k8s';
export * from './platform';
