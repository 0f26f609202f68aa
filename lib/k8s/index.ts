export * from './labels';
export * from './monitored-service';
export * from './service-chart';
export * from './slo-alert-policy';
