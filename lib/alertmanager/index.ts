export * from './routing-plan';
export * from './time-intervals';
export * from './alertmanager-file';
export * from './alertmanager-config-spec';
export * from './alert-routing';
