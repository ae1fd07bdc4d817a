/**
 * Engine-free proof that queries are index-friendly: every filter a repository sent must
 * lead with a field some index declared on its model starts with (`_id` always is). The
 * embedded engine scans regardless, so this is checked from the commands, not from timings.
 */
import type { CommandEvent } from '../../subgraphs/kit/database';

/** What the check needs of a model: its collection and its declared indexes. */
interface IndexedModel {
  collection: { collectionName: string };
  schema: { indexes(): [Record<string, unknown>, unknown][] };
}

export function indexLeadsByCollection(models: IndexedModel[]): Map<string, Set<string>> {
  const leads = new Map<string, Set<string>>();
  for (const model of models) {
    const fields = new Set(['_id', ...model.schema.indexes().map(([keys]) => Object.keys(keys)[0]!)]);
    leads.set(model.collection.collectionName, fields);
  }
  return leads;
}

/** The find/count/update/delete filters among `commands` that no declared index could serve. */
export function uncoveredFilters(commands: CommandEvent[], leads: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  for (const { commandName, command } of commands) {
    const collection = String(command[commandName]);
    const filters = filtersOf(commandName, command);
    const indexed = leads.get(collection);
    if (!indexed) continue;
    for (const filter of filters) {
      if (!isCovered(filter, indexed)) problems.push(`${collection}: ${JSON.stringify(filter)}`);
    }
  }
  return problems;
}

function filtersOf(commandName: string, command: Record<string, any>): Record<string, unknown>[] {
  switch (commandName) {
    case 'find':
    case 'count':
      return [command.filter ?? command.query ?? {}];
    case 'update':
    case 'delete':
      return (command.updates ?? command.deletes ?? []).map((statement: { q: Record<string, unknown> }) => statement.q);
    case 'findAndModify':
      return [command.query ?? {}];
    default:
      return [];
  }
}

function isCovered(filter: Record<string, unknown>, indexed: Set<string>): boolean {
  const { $or, $and, ...fields } = filter as { $or?: Record<string, unknown>[]; $and?: Record<string, unknown>[] };
  if (Object.keys(fields).some((field) => indexed.has(field))) return true;
  if ($or) return $or.every((branch) => isCovered({ ...fields, ...branch }, indexed));
  if ($and) return $and.some((part) => isCovered(part, indexed));
  return false;
}
