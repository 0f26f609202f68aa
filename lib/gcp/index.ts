export * from './service-monitoring';
export * from './platform-stack';
