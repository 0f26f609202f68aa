export * from './k8s';
export * from './platform';
export * from './shard';
export { MAX_JOBS, parseJobs } from './parallel';
export { SynthCache, serviceCacheKey, libraryFingerprint } from './cache';
export type { CachedService } from './cache';
