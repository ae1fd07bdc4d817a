/**
 * Patient/{id}/$everything: the resident's record as a Bundle, one page at a time. Each page
 * runs one operation per list still open (plus the patient on the first page), so its cost
 * to the database is the same for a resident with one record or thousands.
 */
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';
import type { FhirEverythingPatientQuery } from '../__generated__/operations';
import { allergyResources } from './allergy-intolerance';
import type { Ask } from './api';
import { warningsOutcome } from './api';
import { decodeCursor, encodeCursor, entry, organizationsIn, type PageCursor, parseCount, referencedResources, searchset } from './bundle';
import { drugInns } from './drug-facts';
import { notFound } from './operation-outcome';
import { patientResource } from './patient';
import { provenanceResources, type Sourced } from './provenance';
import { EVERYTHING_LISTS, EVERYTHING_PATIENT, LIST_KINDS, type ListKind } from './queries';
import type { Connection, PrescriptionRecord } from './records';
import { SOURCED } from './sourced';

type ListAnswer = { resident: ({ id: string } & Partial<Record<ListKind, Connection<unknown> | null>>) | null };

export async function everything(ask: Ask, base: string, patientId: string, params: URLSearchParams): Promise<Bundle> {
  const count = parseCount(params.get('_count'));
  const cursorText = params.get('_cursor');
  const cursor: PageCursor = cursorText
    ? decodeCursor(cursorText, patientId)
    : { patient: patientId, after: Object.fromEntries(LIST_KINDS.map((kind) => [kind, null])) };
  const open = LIST_KINDS.filter((kind) => kind in cursor.after);

  const [patientAnswer, ...listAnswers] = await Promise.all([
    cursorText ? null : ask<FhirEverythingPatientQuery>(EVERYTHING_PATIENT, { id: patientId }),
    ...open.map((kind) => ask<ListAnswer>(EVERYTHING_LISTS[kind], { id: patientId, first: count, after: cursor.after[kind] })),
  ]);
  if (patientAnswer && !patientAnswer.data.resident) throw notFound(`Patient/${patientId} is not known`);
  if (listAnswers.some((answer) => !answer.data.resident)) throw notFound(`Patient/${patientId} is not known`);
  // A merged id answers as the surviving record: its resources point at the survivor.
  const residentId = patientAnswer?.data.resident?.id ?? listAnswers[0]?.data.resident?.id ?? patientId;

  const items: Resource[] = [];
  const sourced: Sourced[] = [];
  const warnings: string[] = [];
  if (patientAnswer?.data.resident) {
    const resident = patientAnswer.data.resident;
    items.push(patientResource(resident));
    const allergies = allergyResources(residentId, resident.allergies);
    items.push(...allergies);
    for (const [index, allergy] of (resident.allergies?.items ?? []).entries())
      sourced.push({ resources: [allergies[index]!], source: allergy.source.organization, at: allergy.source.uploadedAt });
    warnings.push(...patientAnswer.warnings);
  }
  const prescriptionsAnswer = listAnswers[open.indexOf('prescriptions')];
  const prescriptions = (prescriptionsAnswer?.data.resident?.prescriptions?.edges ?? []).map(({ node }) => node as PrescriptionRecord);
  const inns = await drugInns(ask, prescriptions);
  const next: Record<string, string | null> = {};
  for (const [index, kind] of open.entries()) {
    const answer = listAnswers[index]!;
    warnings.push(...answer.warnings);
    const connection = answer.data.resident![kind];
    for (const { node } of connection?.edges ?? []) {
      // The answer for `kind` holds that kind's records (queries.ts asks for them).
      for (const part of SOURCED[kind](residentId, node as never, inns)) {
        items.push(...part.resources);
        sourced.push(part);
      }
    }
    if (connection?.pageInfo.hasNextPage) next[kind] = connection.pageInfo.endCursor;
  }

  const organizations = organizationsIn([patientAnswer?.data, ...listAnswers.map((answer) => answer.data)]);
  const provenances = provenanceResources(sourced);
  const included = [...referencedResources([...items, ...provenances], organizations), ...provenances];
  const incomplete = warningsOutcome(warnings);
  const self = `${base}/Patient/${patientId}/$everything?_count=${count}${cursorText ? `&_cursor=${cursorText}` : ''}`;
  const links: BundleLink[] = [{ relation: 'self', url: self }];
  if (Object.keys(next).length > 0)
    links.push({
      relation: 'next',
      url: `${base}/Patient/${patientId}/$everything?_count=${count}&_cursor=${encodeCursor({ patient: patientId, after: next })}`,
    });
  return searchset(
    [
      ...items.map((item) => entry(base, item, 'match')),
      ...included.map((item) => entry(base, item, 'include')),
      ...(incomplete ? [entry(base, incomplete, 'outcome')] : []),
    ],
    links,
  );
}
