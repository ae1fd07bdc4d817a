/**
 * Engine-free proof that queries are index-friendly, checked from the commands the
 * subgraphs sent rather than from timings. A query is served when one index declared on its
 * model starts with one or more of the filter's equality fields (a value, `$eq` or `$in`),
 * followed by the sort's field when the query sorts on another field, or else by a range
 * field when it has one (equality, sort, range). `_id` equality is the primary key. Each
 * branch of an `$or` must be served on its own; other equality fields are filtered after.
 */
import type { CommandEvent } from '../../platform/database';

/** What the check needs of a model: its collection and its declared indexes. */
interface IndexedModel {
  collection: { collectionName: string };
  schema: { indexes(): [Record<string, unknown>, unknown][] };
}

/** The declared indexes of each collection, as ordered key lists. */
export type IndexesByCollection = Map<string, string[][]>;

export function indexesByCollection(models: IndexedModel[]): IndexesByCollection {
  const indexes: IndexesByCollection = new Map();
  for (const model of models)
    indexes.set(
      model.collection.collectionName,
      model.schema.indexes().map(([keys]) => Object.keys(keys)),
    );
  return indexes;
}

/** One filtered read or write as the check sees it. */
interface Query {
  filter: Record<string, unknown>;
  sort: string[];
}

/** Every query among `commands` that no declared index serves, with the command that sent it. */
export function uncoveredQueries(commands: CommandEvent[], indexes: IndexesByCollection): string[] {
  const problems: string[] = [];
  for (const { commandName, command } of commands) {
    const collection = String(command[commandName]);
    const declared = indexes.get(collection);
    if (!declared) continue;
    for (const query of queriesOf(commandName, command)) {
      if (!isServed(query, declared))
        problems.push(`${commandName} ${collection}: ${JSON.stringify(shapeOf(query.filter))}${query.sort.length ? ` sort ${query.sort.join(',')}` : ''}`);
    }
  }
  return problems;
}

function queriesOf(commandName: string, command: Record<string, any>): Query[] {
  const sortOf = (sort: Record<string, unknown> | undefined) => Object.keys(sort ?? {});
  switch (commandName) {
    case 'find':
      return [{ filter: command.filter ?? {}, sort: sortOf(command.sort) }];
    case 'count':
    case 'distinct':
      return [{ filter: command.query ?? {}, sort: [] }];
    case 'findAndModify':
      return [{ filter: command.query ?? {}, sort: sortOf(command.sort) }];
    case 'update':
    case 'delete':
      return (command.updates ?? command.deletes ?? []).map((statement: { q: Record<string, unknown> }) => ({ filter: statement.q, sort: [] }));
    case 'aggregate': {
      // Only a leading $match can use an index; a pipeline without one reads the whole collection.
      const [first, second] = (command.pipeline ?? []) as Record<string, any>[];
      const filter = first?.$match ?? {};
      return [{ filter, sort: second?.$sort ? sortOf(second.$sort) : [] }];
    }
    default:
      return [];
  }
}

const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'];

/** Splits a filter's fields into equality (a value or `$in`/`$eq`) and range comparisons; other operators are residual. */
function fieldsOf(filter: Record<string, unknown>): { equality: Set<string>; range: Set<string> } {
  const equality = new Set<string>();
  const range = new Set<string>();
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$')) continue;
    const operators =
      condition !== null && typeof condition === 'object' && !Array.isArray(condition) && !(condition instanceof Date) ? Object.keys(condition) : [];
    const isOperatorObject = operators.length > 0 && operators.every((operator) => operator.startsWith('$'));
    if (!isOperatorObject || operators.some((operator) => operator === '$in' || operator === '$eq')) equality.add(field);
    else if (operators.some((operator) => RANGE_OPERATORS.includes(operator))) range.add(field);
  }
  return { equality, range };
}

function isServed({ filter, sort }: Query, declared: string[][]): boolean {
  const { $or, $and, ...own } = filter as { $or?: Record<string, unknown>[]; $and?: Record<string, unknown>[] };
  if ($or) return $or.every((branch) => isServed({ filter: { ...own, ...branch }, sort }, declared));
  const { equality, range } = fieldsOf(Object.assign({}, own, ...($and ?? [])));
  if (equality.has('_id')) return true;
  const sortField = sort.find((field) => !equality.has(field));
  return declared.some((keys) => {
    const prefixLength = keys.findIndex((key) => !equality.has(key));
    const prefix = prefixLength === -1 ? keys.length : prefixLength;
    if (prefix === 0) return false;
    const next = keys[prefix];
    if (sortField !== undefined) return next === sortField;
    return range.size === 0 || (next !== undefined && range.has(next));
  });
}

/** A filter with its values left out, so one line stands for every query of that shape. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 && typeof value[0] === 'object' && value[0] !== null ? value.map(shapeOf) : '…';
  if (value === null || typeof value !== 'object' || value instanceof Date) return '…';
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key.startsWith('$') || (typeof inner === 'object' && inner !== null) ? shapeOf(inner) : '…']),
  );
}
