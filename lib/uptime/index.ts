export * from './blackbox';
export * from './uptime-probe-plan';
export * from './render';
export * from './uptime-probe';
