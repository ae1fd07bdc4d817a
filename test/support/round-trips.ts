/**
 * The database round trips a request made, as the multiset two requests must share: each command
 * as subgraph database, command and collection. Activity counts are merged into one bulk write
 * per process while one is in flight (ADR 0008), so how many writes carry a request's counts
 * depends on timing: they stand as one entry, present or not.
 */
import type { CommandEvent } from '../../platform/database';

const ROLLUP_WRITE = 'monitoring.update activityRollups';

export function roundTripsOf(commands: readonly CommandEvent[]): string[] {
  const all = commands.map(({ databaseName, commandName, command }) => {
    const collection = typeof command[commandName] === 'string' ? command[commandName] : command.collection;
    return `${databaseName.replace(/^t[0-9a-f]+_/, '')}.${commandName} ${String(collection)}`;
  });
  const others = all.filter((trip) => trip !== ROLLUP_WRITE);
  return [...others, ...(others.length < all.length ? [ROLLUP_WRITE] : [])].sort();
}
