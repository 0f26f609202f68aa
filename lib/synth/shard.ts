/**
 * Sharding for CI matrices: `--shard i/n` synthesizes a deterministic 1/n of the services, so a
 * pipeline can fan the work out across runners and put the outputs together. A service's shard
 * follows from its name alone (a hash), so adding or removing a service never moves another
 * one to a different shard. Platform-wide files (fleet dashboards, namespaces, alert routing,
 * Alertmanager, Terraform) are written once, by shard 1.
 */
import { createHash } from 'crypto';
import { DefinitionError } from '../definition';

/** One shard of `count`, numbered from 1. */
export interface Shard {
  /** 1 to `count`. */
  readonly index: number;
  /** How many shards the services are split into, at least 1. */
  readonly count: number;
}

/** The most shards a platform can be split into. */
export const MAX_SHARDS = 256;

/** Reads `i/n` (e.g. `2/4`); throws a `DefinitionError` naming the value otherwise. */
export function parseShard(text: string): Shard {
  const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || index > count || count > MAX_SHARDS) {
    throw new DefinitionError('shard', [{ path: 'shard', problem: `must be i/n with 1 <= i <= n <= ${MAX_SHARDS}, e.g. 2/4`, value: text }]);
  }
  return { index, count };
}

/** The shard (1 to `count`) a service's files belong to. */
export function shardOf(service: string, count: number): number {
  return (createHash('sha256').update(service).digest().readUInt32BE(0) % count) + 1;
}

/** Whether the shard writes this service's files. Without a shard, every service is in. */
export function inShard(service: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(service, shard.count) === shard.index;
}

/** Whether the shard writes the platform-wide files: only the first one. */
export function writesPlatformFiles(shard: Shard | undefined): boolean {
  return shard === undefined || shard.index === 1;
}
