/**
 * <Type>?patient={id}: one kind of a resident's record, paged like $everything. Each search runs
 * the very operation $everything runs for that list (queries.ts), so it is authorized, omitted
 * and audited exactly as the same part of $everything; allergies come whole, as on its first page.
 */
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';
import { allergyResources } from './allergy-intolerance';
import { type Ask, warningsOutcome } from './api';
import { decodeCursor, encodeCursor, entry, organizationsIn, parseCount, referencedResources, searchset } from './bundle';
import { drugInns } from './drug-facts';
import { badRequest, notFound } from './operation-outcome';
import { EVERYTHING_LISTS, EVERYTHING_PATIENT, type ListKind } from './queries';
import type { AllergyStatementRecord, Connection, PrescriptionRecord } from './records';
import { SOURCED } from './sourced';
import { SYSTEMS } from './terminology';

/** The searchable types, the list each reads and which of the list's resources it matches (the others are included). */
export const PATIENT_SEARCHES = {
  Encounter: { list: 'encounters', matches: ['Encounter'] },
  Condition: { list: 'conditions', matches: ['Condition'] },
  DiagnosticReport: { list: 'labReports', matches: ['DiagnosticReport'] },
  MedicationRequest: { list: 'prescriptions', matches: ['MedicationRequest'] },
  Observation: { list: 'labReports', matches: ['Observation'] },
  AllergyIntolerance: { list: null, matches: ['AllergyIntolerance'] },
} as const satisfies Record<string, { list: ListKind | null; matches: readonly string[] }>;
export type PatientSearchType = keyof typeof PATIENT_SEARCHES;

/** The patient parameter as a resident id: `id` or `Patient/id`. */
export function patientParameter(params: URLSearchParams, type: string): string {
  const patient = (params.get('patient') ?? params.get('subject'))?.replace(/^Patient\//, '');
  if (!patient) throw badRequest(`${type} search needs patient (an id or Patient/id)`);
  return patient;
}

/** Observation's category parameter: laboratory or imaging, bare or with its system. */
export function categoryParameter(value: string): string {
  const [system, code] = value.includes('|') ? (value.split('|', 2) as [string, string]) : [SYSTEMS.observationCategory, value];
  if (system !== SYSTEMS.observationCategory || !['laboratory', 'imaging'].includes(code))
    throw badRequest(`category must be laboratory or imaging, optionally as ${SYSTEMS.observationCategory}|code`);
  return code;
}

type ListAnswer = { resident: ({ id: string } & Partial<Record<ListKind, Connection<unknown> | null>>) | null };
type AllergyAnswer = { resident: { id: string; allergies: AllergyStatementRecord | null } | null };

export async function patientSearch(ask: Ask, base: string, type: PatientSearchType, params: URLSearchParams): Promise<Bundle> {
  const allowed = [
    'patient',
    '_format',
    ...(type === 'Observation' ? ['subject', 'category'] : []),
    ...(PATIENT_SEARCHES[type].list ? ['_count', '_cursor'] : []),
  ];
  for (const name of params.keys()) if (!allowed.includes(name)) throw badRequest(`${type} search does not support the parameter ${name}`);
  const patient = patientParameter(params, type);
  const category = params.get('category');
  const categoryCode = category === null ? null : categoryParameter(category);
  const { list, matches } = PATIENT_SEARCHES[type];
  const self = `${base}/${type}?${params.toString()}`;

  if (list === null) {
    const answer = await ask<AllergyAnswer>(EVERYTHING_PATIENT, { id: patient });
    if (!answer.data.resident) throw notFound(`Patient/${patient} is not known`);
    const allergies = allergyResources(answer.data.resident.id, answer.data.resident.allergies);
    return bundleOf(base, allergies, [], answer.data, answer.warnings, [{ relation: 'self', url: self }], allergies.length);
  }

  const count = parseCount(params.get('_count'));
  const cursorText = params.get('_cursor');
  const after = cursorText ? decodeCursor(cursorText, patient).after : { [list]: null };
  if (!(list in after)) throw badRequest(`_cursor is not a cursor this server gave for a ${type} search`);
  const answer = await ask<ListAnswer>(EVERYTHING_LISTS[list], { id: patient, first: count, after: after[list] });
  const resident = answer.data.resident;
  if (!resident) throw notFound(`Patient/${patient} is not known`);
  const nodes = (resident[list]?.edges ?? []).map(({ node }) => node);
  const inns = list === 'prescriptions' ? await drugInns(ask, nodes as PrescriptionRecord[]) : new Map<string, string>();
  // The node of `list` is that list's record (queries.ts asks for it).
  const resources = nodes.flatMap((node) => SOURCED[list](resident.id, node as never, inns).flatMap((part) => part.resources));
  const matched = resources.filter(
    (resource) =>
      (matches as readonly string[]).includes(resource.resourceType) &&
      (categoryCode === null || JSON.stringify((resource as { category?: unknown }).category ?? []).includes(`"code":"${categoryCode}"`)),
  );
  // A report's Observations come with it, so its result references resolve in the Bundle; a MedicationDispense is not searched for.
  const included = type === 'DiagnosticReport' ? resources.filter((resource) => resource.resourceType === 'Observation') : [];
  const links: BundleLink[] = [{ relation: 'self', url: self }];
  const pageInfo = resident[list]?.pageInfo;
  if (pageInfo?.hasNextPage) {
    const next = new URLSearchParams(params);
    next.set('_count', String(count));
    next.set('_cursor', encodeCursor({ patient, after: { [list]: pageInfo.endCursor } }));
    links.push({ relation: 'next', url: `${base}/${type}?${next.toString()}` });
  }
  return bundleOf(base, matched, included, answer.data, answer.warnings, links);
}

function bundleOf(
  base: string,
  matched: readonly Resource[],
  included: readonly Resource[],
  data: unknown,
  warnings: readonly string[],
  links: BundleLink[],
  total?: number,
): Bundle {
  const referenced = referencedResources([...matched, ...included], organizationsIn(data));
  const incomplete = warningsOutcome(warnings);
  return searchset(
    [
      ...matched.map((resource) => entry(base, resource, 'match')),
      ...[...included, ...referenced].map((resource) => entry(base, resource, 'include')),
      ...(incomplete ? [entry(base, incomplete, 'outcome')] : []),
    ],
    links,
    total,
  );
}
