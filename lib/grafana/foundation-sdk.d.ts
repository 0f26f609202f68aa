/**
 * Types of the `@grafana/grafana-foundation-sdk` subpaths the renderer imports. The package
 * publishes them through `exports` only, which this project's `moduleResolution: node` does not
 * read; at run time Node resolves the same subpaths through `exports`.
 */
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/logs' {
  export * from '@grafana/grafana-foundation-sdk/dist/logs';
}
declare module '@grafana/grafana-foundation-sdk/loki' {
  export * from '@grafana/grafana-foundation-sdk/dist/loki';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries';
}
