export * from './types';
export * from './errors';
export * from './units';
export { DEFAULT_LATENCY_BUCKETS, MAX_SERVICE_NAME, RESERVED_ENV, parseImage, validateService } from './validate';
export type { ImageReference } from './validate';
export * from './define';
