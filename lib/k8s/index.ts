export * from './labels';
export * from './monitored-service';
export * from './service-chart';
export * from './network-policy';
export * from './namespace-chart';
