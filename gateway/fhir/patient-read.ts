/** Patient/{id} and Patient?identifier=system|value, answered by the API's resident lookups. */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { FhirPatientByIdentifierQuery, FhirPatientQuery } from '../__generated__/operations';
import type { Ask } from './api';
import { entry, searchset } from './bundle';
import { badRequest, notFound } from './operation-outcome';
import { identifierKindOf, patientResource } from './patient';
import { PATIENT, PATIENT_BY_IDENTIFIER } from './queries';

export async function readPatient(ask: Ask, patientId: string): Promise<Patient> {
  const { data } = await ask<FhirPatientQuery>(PATIENT, { id: patientId });
  if (!data.resident) throw notFound(`Patient/${patientId} is not known`);
  return patientResource(data.resident);
}

export async function searchPatients(ask: Ask, base: string, params: URLSearchParams): Promise<Bundle> {
  for (const name of params.keys()) if (name !== 'identifier' && name !== '_format') throw badRequest(`Patient search supports identifier only, not ${name}`);
  const identifier = params.get('identifier');
  if (!identifier?.includes('|')) throw badRequest('identifier must be system|value, with one of the identifier systems of the CapabilityStatement');
  const [system, value] = identifier.split('|', 2) as [string, string];
  const kind = identifierKindOf(system);
  if (!kind) throw badRequest(`Unknown identifier system ${system}`);
  const { data } = await ask<FhirPatientByIdentifierQuery>(PATIENT_BY_IDENTIFIER, { system: kind, value });
  const found = data.residentByIdentifier ? [patientResource(data.residentByIdentifier)] : [];
  return searchset(
    found.map((patient) => entry(base, patient, 'match')),
    [{ relation: 'self', url: `${base}/Patient?identifier=${encodeURIComponent(identifier)}` }],
    found.length,
  );
}
