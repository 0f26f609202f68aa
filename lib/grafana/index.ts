export * from './render';
export * from './render-dashboards';
export * from './dashboard-config-map';
export * from './service-dashboard';
export { stableJson } from './stable-json';
