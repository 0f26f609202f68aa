export * from './k8s';
export * from './platform';
export * from './shard';
export { MAX_JOBS, parseJobs } from './parallel';
export { SynthCache, serviceCacheKey, libraryFingerprint, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, checkRetentionDays } from './cache';
export type { CachedService, OutputRecord, RecordedUnit, RecordedGroup, RecordedFile } from './cache';
export { WORKLOAD_FIELDS } from './units';
