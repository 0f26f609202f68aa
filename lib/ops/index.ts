export * from './schedule';
export * from './job-alerts';
export * from './scheduled-job-plan';
export * from './render';
export * from './scripts';
export * from './scheduled-job';
export * from './service-jobs';
export * from './service-operations';
