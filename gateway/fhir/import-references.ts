/**
 * References between the resources of one batch ($import's file, a transaction's Bundle),
 * resolved before any is mapped: a Patient sent with them, named by `urn:uuid:`, its id or a
 * conditional reference (`Patient?identifier=system|value`), stands for the resident the master
 * patient index holds under that identifier. It is matched by identifier only (the index's own
 * lookup, residentByIdentifier, under the caller's policy) and never registered or linked here:
 * a Patient no identifier finds refuses what points at it. Observations a DiagnosticReport's
 * `result` points at become its result lines, as if contained.
 */
import type { DiagnosticReport, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { ApiError } from '../../platform/errors';
import type { FhirPatientsByIdentifiersQuery } from '../__generated__/operations';
import type { Ask } from './api';
import { SUBJECT_BIRTH_DATE_EXTENSION, SUBJECT_SEX_EXTENSION } from './import-mapping';
import { identifierKindOf } from './patient';
import { PATIENTS_BY_IDENTIFIERS } from './queries';

/** The types a batch holds only to be referenced: matched in the index, or filed as a report's results. */
export const REFERENCED_TYPES: readonly string[] = ['Patient', 'Observation'];

/** One resource of the batch: its line or entry number, and the fullUrl a Bundle gave it. */
export interface Submitted {
  position: number;
  fullUrl?: string;
  resource: unknown;
}

/** What becomes of each resource: filed (resolved), read as part of another (a Patient, a result Observation), or refused. */
export type Resolution = { position: number; file: Resource } | { position: number; partOf: string } | { position: number; problem: string };

const isResource = (value: unknown): value is Resource =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { resourceType?: unknown }).resourceType === 'string';

/** The names a resource of the batch goes by: its fullUrl, Type/id and urn:uuid:id. */
function namesOf(item: Submitted & { resource: Resource }): string[] {
  const { resource, fullUrl } = item;
  return [fullUrl, resource.id ? `${resource.resourceType}/${resource.id}` : undefined, resource.id ? `urn:uuid:${resource.id}` : undefined].filter(
    (name): name is string => typeof name === 'string',
  );
}

/** Every `reference` in a value, rewritten by `rewrite` (which returns the reference unchanged when it is not the batch's). */
function rewriteReferences<T>(value: T, rewrite: (reference: string) => string): T {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, rewrite)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === 'reference' && typeof inner === 'string' ? rewrite(inner) : rewriteReferences(inner, rewrite)]),
  ) as T;
}

export async function resolveReferences(items: readonly Submitted[], ask: Ask): Promise<Resolution[]> {
  const resources = items.filter((item): item is Submitted & { resource: Resource } => isResource(item.resource));
  const byName = new Map<string, Submitted & { resource: Resource }>();
  for (const item of resources) for (const name of namesOf(item)) byName.set(name, item);

  // The identifier each Patient and each conditional reference names (or why none), then all of them looked up in one read.
  const named = new Map<string, { key: string } | { problem: string }>();
  const wanted = new Map<string, { system: string; value: string }>();
  const want = (system: string, value: string) => {
    const key = `${system}|${value}`;
    wanted.set(key, { system, value });
    return { key };
  };
  for (const item of resources)
    if (item.resource.resourceType === 'Patient') {
      const identifier = (item.resource as Patient).identifier?.find((candidate) => candidate.system && candidate.value && identifierKindOf(candidate.system));
      const resolved = identifier
        ? want(identifier.system!, identifier.value!)
        : { problem: 'A Patient is matched by an identifier of the CapabilityStatement (resident ID card, insurance card, your MRN)' };
      for (const alias of namesOf(item)) named.set(alias, resolved);
    }
  for (const item of resources)
    rewriteReferences(item.resource, (reference) => {
      if (reference.startsWith('Patient?') && !named.has(reference)) {
        const parts = /^Patient\?identifier=([^|]+)\|(.+)$/.exec(decodeURIComponent(reference));
        named.set(reference, parts ? want(parts[1]!, parts[2]!) : { problem: 'a conditional reference must be Patient?identifier=system|value' });
      }
      return reference;
    });
  const found = await lookUpAll(wanted, ask);
  const residents = new Map([...named].map(([alias, resolved]) => [alias, 'key' in resolved ? found.get(resolved.key)! : resolved] as const));

  // Observations the reports' results point at are read as their result lines.
  const resultOf = new Map<Submitted, string>();
  for (const item of resources)
    if (item.resource.resourceType === 'DiagnosticReport')
      for (const result of (item.resource as DiagnosticReport).result ?? []) {
        const observation = result.reference ? byName.get(result.reference) : undefined;
        if (observation?.resource.resourceType === 'Observation') resultOf.set(observation, `DiagnosticReport at ${item.position}`);
      }

  return items.map((item): Resolution => {
    if (!isResource(item.resource)) return { position: item.position, file: item.resource as Resource };
    const resource = item.resource;
    if (resource.resourceType === 'Patient') {
      const resolved = residents.get(namesOf(item as Submitted & { resource: Resource })[0]!);
      return resolved && 'problem' in resolved
        ? { position: item.position, problem: `Patient: ${resolved.problem}` }
        : { position: item.position, partOf: 'the index' };
    }
    if (resource.resourceType === 'Observation') {
      const report = resultOf.get(item);
      return report
        ? { position: item.position, partOf: report }
        : { position: item.position, problem: 'Observation: an Observation is filed as a result of a DiagnosticReport sent with it that references it' };
    }
    const problems = new Set<string>();
    const rewrite = (reference: string): string => {
      const resident = residents.get(reference);
      if (resident) {
        if ('problem' in resident) problems.add(`${reference}: ${resident.problem}`);
        return 'id' in resident ? `Patient/${resident.id}` : reference;
      }
      const target = byName.get(reference);
      if (target?.resource.resourceType === 'Observation' && resource.resourceType === 'DiagnosticReport') return `#${containedId(target)}`;
      if (!target && reference.startsWith('urn:uuid:')) problems.add(`${reference} names no resource of this batch`);
      return reference;
    };
    let filed: Resource = rewriteReferences(resource, rewrite);
    if (resource.resourceType === 'DiagnosticReport') {
      filed = withSubjectFacts(filed as DiagnosticReport, byName.get((resource as DiagnosticReport).subject?.reference ?? '')?.resource);
      const contained = ((resource as DiagnosticReport).result ?? [])
        .map((result) => (result.reference ? byName.get(result.reference) : undefined))
        .filter((target): target is Submitted & { resource: Observation } => target?.resource.resourceType === 'Observation')
        .map((target) => ({ ...rewriteReferences(target.resource, rewrite), id: containedId(target) }));
      if (contained.length) filed = { ...filed, contained: [...((filed as DiagnosticReport).contained ?? []), ...contained] } as unknown as Resource;
    }
    if (problems.size) return { position: item.position, problem: `${resource.resourceType}: ${[...problems].join('; ')}` };
    return { position: item.position, file: filed };
  });
}

/**
 * The sex and birth date a lab report needs (they choose the reference ranges), from the Patient
 * sent with it when the report does not state them in its extensions.
 */
function withSubjectFacts(report: DiagnosticReport, subject: Resource | undefined): DiagnosticReport {
  if (subject?.resourceType !== 'Patient') return report;
  const has = (url: string) => report.extension?.some((extension) => extension.url === url);
  const facts = [
    ...(subject.gender && !has(SUBJECT_SEX_EXTENSION)
      ? [{ url: SUBJECT_SEX_EXTENSION, valueCode: subject.gender === 'other' ? 'unknown' : subject.gender }]
      : []),
    ...(subject.birthDate && !has(SUBJECT_BIRTH_DATE_EXTENSION) ? [{ url: SUBJECT_BIRTH_DATE_EXTENSION, valueDate: subject.birthDate }] : []),
  ];
  return facts.length ? { ...report, extension: [...(report.extension ?? []), ...facts] } : report;
}

/** The id an Observation of the batch takes once contained in its report. */
const containedId = (item: Submitted) => `result-${item.position}`;

/** How many identifiers one read looks up (the records API's limit). */
const LOOKUP_CHUNK = 100;

/**
 * Every identifier of a batch in the master patient index: one read per 100, however many
 * Patients the batch holds. Key → the resident's id, or why there is none (an unknown system, a
 * malformed value, no resident under it, or the read refused for the caller).
 */
async function lookUpAll(wanted: ReadonlyMap<string, { system: string; value: string }>, ask: Ask): Promise<Map<string, { id: string } | { problem: string }>> {
  const results = new Map<string, { id: string } | { problem: string }>();
  const asked: { key: string; system: string; value: string }[] = [];
  for (const [key, { system, value }] of wanted) {
    const kind = identifierKindOf(system);
    if (!kind) results.set(key, { problem: `Unknown identifier system ${system}` });
    else if (!/^[A-Za-z0-9-]{4,32}$/.test(value)) results.set(key, { problem: `${key}: value must be 4-32 letters, digits or -` });
    else asked.push({ key, system: kind, value });
  }
  for (let start = 0; start < asked.length; start += LOOKUP_CHUNK) {
    const chunk = asked.slice(start, start + LOOKUP_CHUNK);
    try {
      const { data } = await ask<FhirPatientsByIdentifiersQuery>(PATIENTS_BY_IDENTIFIERS, {
        identifiers: chunk.map(({ system, value }) => ({ system, value })),
      });
      chunk.forEach(({ key }, index) => {
        const resident = data.residentsByIdentifiers[index];
        results.set(key, resident ? { id: resident.id } : { problem: `No resident is registered under ${key}` });
      });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      for (const { key } of chunk) results.set(key, { problem: `${key}: ${error.clientMessage}` });
    }
  }
  return results;
}
