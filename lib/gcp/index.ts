export * from './filters';
export * from './policies';
export * from './notification-channels';
export * from './service-monitoring';
export * from './platform-stack';
export * from './dashboard';
export * from './logging';
export * from './platform-app';
