/**
 * A FHIR client reads a resident's record: the Patient, every page of $everything (following
 * the server's next links) and the $summary document, with @medplum/core's MedplumClient, a
 * general FHIR R4 client, pointed at the gateway's /fhir/R4 with the same bearer token as
 * GraphQL. Nothing in it is specific to this exchange beyond the base URL and the token.
 *
 *   npm run example -- fhir-everything
 */
import { MedplumClient } from '@medplum/core';
import type { Bundle, Composition, Patient, Resource } from '@medplum/fhirtypes';
import { demoCity, runMain } from './client';

export interface FhirEverythingInput {
  /** The gateway's GraphQL URL (the FHIR API is at /fhir/R4 beside it). */
  gatewayUrl: string;
  token: string;
  residentId: string;
  /** Records of each kind per page of $everything. */
  pageSize?: number;
}

export async function fhirEverything({ gatewayUrl, token, residentId, pageSize = 20 }: FhirEverythingInput) {
  // No client-side cache: clinical data is fetched fresh each time and kept nowhere.
  // The token is given up front, so the client never tries to resume a login of its own.
  const medplum = new MedplumClient({ baseUrl: new URL('/', gatewayUrl).toString(), fhirUrlPath: 'fhir/R4', accessToken: token, cacheTime: 0 });

  const patient: Patient = await medplum.readResource('Patient', residentId);

  const resources: Resource[] = [];
  let pages = 0;
  let url: string | undefined = `${medplum.fhirUrl('Patient', residentId, '$everything')}?_count=${pageSize}`;
  while (url) {
    const page: Bundle = await medplum.get(url);
    pages += 1;
    resources.push(...(page.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : [])));
    url = page.link?.find((link) => link.relation === 'next')?.url;
  }
  const counts: Record<string, number> = {};
  for (const resource of resources) counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;

  const summary: Bundle = await medplum.get(medplum.fhirUrl('Patient', residentId, '$summary'));
  const composition = summary.entry?.[0]?.resource as Composition;

  return {
    patient: {
      id: patient.id,
      name: patient.name?.[0]?.text,
      gender: patient.gender,
      birthDate: patient.birthDate,
      identifiers: patient.identifier?.map((identifier) => `${identifier.system}|${identifier.value}`),
    },
    everything: { pages, counts },
    summary: {
      title: composition.title,
      sections: composition.section?.map((section) => ({ title: section.title, entries: section.entry?.length ?? 0 })),
    },
  };
}

export async function main() {
  const demo = demoCity();
  return fhirEverything({ gatewayUrl: demo.gatewayUrl, token: demo.tokens.doctor!, residentId: demo.residentId });
}

if (require.main === module) runMain(main);
