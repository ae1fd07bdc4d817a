/**
 * The admin commands that lay a shard plan onto a cluster, in order: zones get their shards,
 * each database with a sharded collection is enabled for sharding, and each such collection
 * gets its shard-key index (hashed keys exist only here: the models declare none, as the
 * embedded engine lacks them), its key and its zone ranges. Every command may run again.
 */
import { SUBGRAPH_NAMES } from '../platform/config';
import type { ShardKey, ShardPlan } from './shard-plan';

export interface AdminStep {
  database: string;
  command: Record<string, unknown>;
}

export interface ShardingOptions {
  dbPrefix: string;
  /** The shards of each zone the plan names. */
  zoneShards?: Record<string, string[]>;
}

export function shardingSteps(plan: ShardPlan, { dbPrefix, zoneShards = {} }: ShardingOptions): AdminStep[] {
  const admin = (command: Record<string, unknown>): AdminStep => ({ database: 'admin', command });
  const steps: AdminStep[] = [];
  const zonesUsed = new Set(
    SUBGRAPH_NAMES.flatMap((name) => Object.values(plan[name]).flatMap((entry) => ('key' in entry ? (entry.zones ?? []).map((range) => range.zone) : []))),
  );
  for (const zone of zonesUsed) {
    const shards = zoneShards[zone] ?? [];
    if (shards.length === 0) throw new Error(`Zone ${zone} has no shard: name one with --zone ${zone}=<shard>`);
    for (const shard of shards) steps.push(admin({ addShardToZone: shard, zone }));
  }
  for (const name of SUBGRAPH_NAMES) {
    const database = `${dbPrefix}_${name}`;
    const sharded = Object.entries(plan[name]).flatMap(([collection, entry]) => ('key' in entry ? [{ collection, ...entry }] : []));
    if (sharded.length === 0) continue;
    steps.push(admin({ enableSharding: database }));
    for (const { collection, key, zones = [] } of sharded) {
      steps.push({ database, command: { createIndexes: collection, indexes: [{ key, name: indexName(key) }] } });
      steps.push(admin({ shardCollection: `${database}.${collection}`, key }));
      for (const { zone, min, max } of zones) steps.push(admin({ updateZoneKeyRange: `${database}.${collection}`, min, max, zone }));
    }
  }
  return steps;
}

/** One step as `npm run shard -- --dry-run` prints it. */
export const describeStep = ({ database, command }: AdminStep) => `${database}: ${JSON.stringify(command)}`;

/** MongoDB's own name for an index on `key`, so a re-run finds the index it made before. */
function indexName(key: ShardKey): string {
  return Object.entries(key)
    .map(([field, kind]) => `${field}_${kind}`)
    .join('_');
}
