/**
 * Engine-free proof that the shard plan (tools/shard-plan.ts) fits the queries the subgraphs
 * send: on a sharded collection every filter carries the shard key by equality or `$in` (at
 * the top, in an `$and`, or in every `$or` branch), so mongos sends it to the shards that own
 * those values. Anything else would reach every shard and must be listed in the plan's
 * `scatterGather` with its reason; an upsert never may (MongoDB needs its whole shard key), and
 * every inserted document must have the key's fields.
 */
import type { CommandEvent } from '../../platform/database';
import type { ScatterGather, ShardPlan } from '../../tools/shard-plan';

interface Write {
  filter: Record<string, unknown>;
  upsert: boolean;
}

/** Every command among `commands` that breaks the plan, one line per query shape. */
export function untargetedQueries(commands: readonly CommandEvent[], plan: ShardPlan, dbPrefix: string): string[] {
  const problems = new Set<string>();
  for (const { commandName, databaseName, command } of commands) {
    const subgraph = databaseName.slice(dbPrefix.length + 1) as keyof ShardPlan;
    const collection = String(command[commandName]);
    const entry = plan[subgraph]?.[collection];
    if (!entry || !('key' in entry)) continue;
    const keyFields = Object.keys(entry.key);
    const where = `${commandName} ${subgraph}.${collection}`;
    if (commandName === 'insert') {
      for (const document of (command.documents ?? []) as Record<string, unknown>[]) {
        const missing = keyFields.filter((field) => document[field] === undefined || document[field] === null);
        if (missing.length > 0) problems.add(`${where}: a document without the shard key ${missing.join(', ')}`);
      }
      continue;
    }
    for (const { filter, upsert } of writesOf(commandName, command)) {
      if (keyFields.every((field) => carries(filter, field))) continue;
      const fields = fieldsOf(filter);
      if (upsert) problems.add(`${where}: an upsert on [${fields.join(', ')}] without the shard key ${keyFields.join(', ')}`);
      else if (!isAllowed(entry.scatterGather ?? [], commandName, fields)) {
        problems.add(`${where}: [${fields.join(', ')}] does not carry the shard key ${keyFields.join(', ')} (every shard would be asked)`);
      }
    }
  }
  return [...problems];
}

function writesOf(commandName: string, command: Record<string, any>): Write[] {
  switch (commandName) {
    case 'find':
      return [{ filter: command.filter ?? {}, upsert: false }];
    case 'count':
    case 'distinct':
      return [{ filter: command.query ?? {}, upsert: false }];
    case 'findAndModify':
      return [{ filter: command.query ?? {}, upsert: command.upsert === true }];
    case 'update':
      return (command.updates ?? []).map((statement: { q: Record<string, unknown>; upsert?: boolean }) => ({
        filter: statement.q,
        upsert: statement.upsert === true,
      }));
    case 'delete':
      return (command.deletes ?? []).map((statement: { q: Record<string, unknown> }) => ({ filter: statement.q, upsert: false }));
    case 'aggregate': {
      const [first] = (command.pipeline ?? []) as Record<string, any>[];
      return [{ filter: first?.$match ?? {}, upsert: false }];
    }
    default:
      return [];
  }
}

/** Whether `filter` pins `field` to one value or a list of values. */
function carries(filter: Record<string, unknown>, field: string): boolean {
  const { $or, $and } = filter as { $or?: Record<string, unknown>[]; $and?: Record<string, unknown>[] };
  if (isEquality(filter[field])) return true;
  if ($and?.some((branch) => carries(branch, field))) return true;
  return Array.isArray($or) && $or.length > 0 && $or.every((branch) => carries(branch, field));
}

function isEquality(condition: unknown): boolean {
  if (condition === undefined) return false;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition) || condition instanceof Date) return true;
  const operators = Object.keys(condition);
  if (operators.length === 0 || !operators.every((operator) => operator.startsWith('$'))) return true;
  return operators.includes('$eq') || operators.includes('$in');
}

/** The fields a filter names, in its branches too, sorted: the shape the plan's list matches. */
function fieldsOf(filter: Record<string, unknown>): string[] {
  const fields = new Set<string>();
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$or' || field === '$and') for (const branch of value as Record<string, unknown>[]) for (const inner of fieldsOf(branch)) fields.add(inner);
    else if (!field.startsWith('$')) fields.add(field);
  }
  return [...fields].sort();
}

function isAllowed(allowed: ScatterGather[], commandName: string, fields: string[]): boolean {
  return allowed.some((entry) => entry.command === commandName && entry.fields.join(',') === fields.join(','));
}
