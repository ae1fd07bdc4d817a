/**
 * DataLoader helpers: one batched `$in` query per key kind per request, so a request's
 * database round trips do not grow with the number of records it returns.
 */
import DataLoader from 'dataloader';
import type { AttachmentsRef } from './entity-refs';

/** Records of the residents the viewer may see, as a repository returns them. */
export interface PermittedRecords<V> {
  permitted: ReadonlySet<string>;
  records: V[];
  /** The id a record is filed under → the requested residents it belongs to (merged ids resolve to survivors). */
  owners?: ReadonlyMap<string, string[]>;
}

/**
 * A resident's records (lab reports, prescriptions, …) by resident id: the list, or null
 * when the viewer may not see that resident's records of this kind.
 */
export function residentRecordsLoader<V extends { residentId: string }>(
  fetch: (residentIds: readonly string[]) => Promise<PermittedRecords<V>>,
): DataLoader<string, V[] | null> {
  return new DataLoader(async (residentIds) => {
    const { permitted, records, owners } = await fetch(residentIds);
    const groups = new Map<string, V[]>([...permitted].map((id) => [id, []]));
    for (const record of records) for (const owner of owners?.get(record.residentId) ?? [record.residentId]) groups.get(owner)?.push(record);
    return residentIds.map((id) => groups.get(id) ?? null);
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
export function groupedLoader<V extends Record<K, string>, K extends keyof V>(fetch: (keys: readonly string[]) => Promise<V[]>, key: K): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(async (keys) => {
    const groups = new Map<string, V[]>(keys.map((value) => [value, []]));
    for (const row of await fetch(keys)) groups.get(row[key])?.push(row);
    return keys.map((value) => groups.get(value)!);
  });
}
