export * from './k8s';
export * from './platform';
export * from './shard';
export { SynthCache, serviceCacheKey, libraryFingerprint } from './cache';
export type { CachedService } from './cache';
