/**
 * Provenance: which hospital each item came from. One Provenance per source organization
 * in a Bundle, targeting every item it supplied, recorded at the latest of their uploads.
 */
import { createHash } from 'node:crypto';
import type { Provenance, Resource } from '@medplum/fhirtypes';
import type { Org } from './records';
import { organizationReference } from './references';

/** Resources that came from one organization's upload (a report and its result lines, say). */
export interface Sourced {
  resources: Resource[];
  source: Org;
  /** When the organization uploaded or issued it (ISO 8601). */
  at: string;
}

const AUTHOR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] };

export function provenanceResources(items: readonly Sourced[]): Provenance[] {
  const bySource = new Map<string, { source: Org; targets: string[]; recorded: string }>();
  for (const item of items) {
    const group = bySource.get(item.source.code) ?? { source: item.source, targets: [], recorded: item.at };
    group.targets.push(...item.resources.map((resource) => `${resource.resourceType}/${resource.id}`));
    if (Date.parse(item.at) > Date.parse(group.recorded)) group.recorded = item.at;
    bySource.set(item.source.code, group);
  }
  return [...bySource.values()].map(({ source, targets, recorded }) => ({
    resourceType: 'Provenance',
    id: `prov-${createHash('sha256').update(targets.join(' ')).digest('hex').slice(0, 24)}`,
    target: targets.map((reference) => ({ reference })),
    recorded: new Date(recorded).toISOString(),
    agent: [{ type: AUTHOR, who: organizationReference(source) }],
  }));
}
