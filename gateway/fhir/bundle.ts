/**
 * Bundles: the entries with the Organizations and Practitioners they point at, and paging by
 * an opaque cursor that carries where each list stopped. Nothing in the cursor is trusted:
 * every page is asked of the API again, under the viewer's own policy.
 */
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { badRequest } from './operation-outcome';
import type { Org } from './records';
import { organizationResource, practitionerResource } from './references';

/** Every organization a GraphQL answer names (objects with the registry's four fields). */
export function organizationsIn(data: unknown, found = new Map<string, Org>()): Map<string, Org> {
  if (Array.isArray(data)) for (const item of data) organizationsIn(item, found);
  else if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (typeof record.code === 'string' && typeof record.name === 'string' && typeof record.level === 'string' && typeof record.district === 'string')
      found.set(record.code, record as unknown as Org);
    for (const value of Object.values(record)) organizationsIn(value, found);
  }
  return found;
}

/** References to Organization and Practitioner in resources: reference → display. */
function referencesIn(value: unknown, found: Map<string, string>): void {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.reference === 'string' && /^(Organization|Practitioner)\//.test(record.reference))
      found.set(record.reference, String(record.display ?? ''));
    for (const inner of Object.values(record)) referencesIn(inner, found);
  }
}

/** The Organizations and Practitioners `resources` point at, once each. */
export function referencedResources(resources: readonly Resource[], organizations: Map<string, Org>): Resource[] {
  const references = new Map<string, string>();
  referencesIn(resources, references);
  const included: Resource[] = [];
  for (const [reference, display] of references) {
    const [type, id] = reference.split('/') as [string, string];
    if (type === 'Organization') {
      const org = organizations.get(id);
      if (org) included.push(organizationResource(org));
    } else {
      included.push(practitionerResource(display));
    }
  }
  return included;
}

export function entry(base: string, resource: Resource, mode?: 'match' | 'include' | 'outcome'): BundleEntry {
  return { fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, ...(mode ? { search: { mode } } : {}) };
}

export function searchset(entries: BundleEntry[], links: BundleLink[], total?: number): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', ...(total !== undefined ? { total } : {}), link: links, entry: entries };
}

/** Where each list stopped: a list absent from `after` is finished. */
export interface PageCursor {
  patient: string;
  after: Record<string, string | null>;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string, patient: string): PageCursor {
  let cursor: PageCursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('_cursor is not a cursor this server gave');
  }
  const valid =
    cursor &&
    typeof cursor === 'object' &&
    cursor.patient === patient &&
    cursor.after &&
    typeof cursor.after === 'object' &&
    Object.values(cursor.after).every((value) => value === null || typeof value === 'string');
  if (!valid) throw badRequest('_cursor is not a cursor this server gave for this patient');
  return cursor;
}

/** _count: how many records of each kind a page holds; at the most, each list's operation stays within the gateway's cost limit. */
export const COUNT = { default: 20, max: 30 } as const;

export function parseCount(value: string | null): number {
  if (value === null) return COUNT.default;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > COUNT.max) throw badRequest(`_count must be a whole number from 1 to ${COUNT.max}`);
  return count;
}
