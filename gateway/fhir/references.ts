/**
 * Organizations and practitioners: the resources every clinical item points at. Practitioners
 * are known by the id their hospital gave them and nothing more, so their resource carries
 * only that identifier; its FHIR id is derived from it (ids allow fewer characters).
 */
import { createHash } from 'node:crypto';
import type { Organization, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import type { Org } from './records';
import { SYSTEMS } from './terminology';

export const patientReference = (residentId: string): Reference<Patient> => ({ reference: `Patient/${residentId}` });

/** Organization codes (3201-H001) are valid FHIR ids as they stand. */
export const organizationReference = (org: Org): Reference<Organization> => ({ reference: `Organization/${org.code}`, display: org.name });

/** Every organization of the registry provides care; its level (TERTIARY, PHARMACY, ...) is kept as the type's text. */
export function organizationResource(org: Org): Organization {
  return {
    resourceType: 'Organization',
    id: org.code,
    identifier: [{ system: SYSTEMS.organization, value: org.code }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }], text: org.level }],
    name: org.name,
    address: [{ city: '南京市', district: org.district, country: 'CN' }],
  };
}

export function practitionerId(practitioner: string): string {
  return `pr-${createHash('sha256').update(practitioner).digest('hex').slice(0, 20)}`;
}

export const practitionerReference = (practitioner: string): Reference<Practitioner> => ({
  reference: `Practitioner/${practitionerId(practitioner)}`,
  display: practitioner,
});

export function practitionerResource(practitioner: string): Practitioner {
  return { resourceType: 'Practitioner', id: practitionerId(practitioner), identifier: [{ system: SYSTEMS.practitioner, value: practitioner }] };
}
