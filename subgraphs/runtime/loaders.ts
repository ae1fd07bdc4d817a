/**
 * DataLoader helpers: one batched `$in` query per key kind per request, so a request's
 * database round trips do not grow with the number of records it returns.
 */
import DataLoader from 'dataloader';
import type { PermittedRecords } from '../../access-control/resident-access';
import type { Page } from '../../platform/pagination';
import type { AttachmentsRef } from './entity-refs';

/**
 * A resident's records (lab reports, prescriptions, …) by resident id: the list, or null
 * when the viewer may not see that resident's records of this kind.
 */
export function residentRecordsLoader<V extends { residentId: string }>(
  fetch: (residentIds: readonly string[]) => Promise<PermittedRecords<V>>,
): DataLoader<string, V[] | null> {
  return new DataLoader(async (residentIds) => byResident(residentIds, await fetch(residentIds)));
}

function byResident<V extends { residentId: string }>(residentIds: readonly string[], { permitted, records, owners }: PermittedRecords<V>): (V[] | null)[] {
  const groups = new Map<string, V[]>([...permitted].map((id) => [id, []]));
  for (const record of records) for (const owner of owners?.get(record.residentId) ?? [record.residentId]) groups.get(owner)?.push(record);
  return residentIds.map((id) => groups.get(id) ?? null);
}

/**
 * A page of a resident's records by resident id, null where the viewer may not see them.
 * One resident (a record view): the page comes straight from the database, `first + 1` rows
 * at a time, so what the database returns does not grow with the records the resident has.
 * Many residents (a ward list): one batched query for all of them, paged in memory, so round
 * trips do not grow with the residents asked for.
 */
export function residentPageLoader<V extends { residentId: string }>(source: {
  page(residentId: string): Promise<Page<V> | null>;
  all(residentIds: readonly string[]): Promise<PermittedRecords<V>>;
  pageOf(records: V[]): Page<V>;
}): DataLoader<string, Page<V> | null> {
  return new DataLoader(async (residentIds) => {
    if (residentIds.length === 1) return [await source.page(residentIds[0]!)];
    return byResident(residentIds, await source.all(residentIds)).map((records) => records && source.pageOf(records));
  });
}

/** One record by id, null when absent or not visible to the viewer. */
export function recordByIdLoader<V extends { _id: string }>(fetch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V | null> {
  return new DataLoader(async (ids) => {
    const found = new Map((await fetch(ids)).map((record) => [record._id, record]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/**
 * The records a referral attaches, as the by-id loader returned them (already decided by the
 * policy): those withheld, missing or of another resident are left out, never nulled.
 */
export async function attachedRecords<V extends { residentId: string }>(ref: AttachmentsRef, loader: DataLoader<string, V | null>): Promise<V[]> {
  const loaded = await loader.loadMany(ref.attachedIds);
  const failed = loaded.find((record): record is Error => record instanceof Error);
  if (failed) throw failed;
  return (loaded as (V | null)[]).filter((record): record is V => record !== null && record.residentId === ref.residentId);
}

/** One loader per distinct set of field arguments: the same arguments for many residents stay one query. */
export function loaderPerArguments<A, L>(make: (args: A) => L): (args: A) => L {
  const loaders = new Map<string, L>();
  return (args) => {
    const key = JSON.stringify(args);
    let loader = loaders.get(key);
    if (!loader) {
      loader = make(args);
      loaders.set(key, loader);
    }
    return loader;
  };
}

/** Rows grouped by one of their fields (a prescription's transitions, a report's versions), one query for all keys. */
export function groupedLoader<V extends Record<K, string>, K extends keyof V>(
  fetch: (keys: readonly string[]) => Promise<V[]>,
  key: K,
): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(async (keys) => {
    const groups = new Map<string, V[]>(keys.map((value) => [value, []]));
    for (const row of await fetch(keys)) groups.get(row[key])?.push(row);
    return keys.map((value) => groups.get(value)!);
  });
}
