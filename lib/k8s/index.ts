export * from './labels';
export * from './monitored-service';
export * from './service-chart';
