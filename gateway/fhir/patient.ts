/** Resident → Patient. Identifiers stay exactly as masked for this viewer, and say so in meta.security. */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { ResidentRecord } from './records';
import { organizationReference } from './references';
import { MASKED_LABEL, medicalRecordNumberSystem, SYSTEMS } from './terminology';

const GENDERS = { MALE: 'male', FEMALE: 'female', UNKNOWN: 'unknown' } as const;
const MASKED = /\*/;

/** The FHIR search system of each identifier kind, and back (Patient?identifier=system|value). */
export function identifierSystemOf(identifier: ResidentRecord['identifiers'][number]): string {
  if (identifier.system === 'RESIDENT_ID_CARD') return SYSTEMS.residentIdCard;
  if (identifier.system === 'MEDICAL_INSURANCE_CARD') return SYSTEMS.insuranceCard;
  return medicalRecordNumberSystem(identifier.assigner?.code ?? 'unknown');
}

export function identifierKindOf(system: string): ResidentRecord['identifiers'][number]['system'] | null {
  if (system === SYSTEMS.residentIdCard) return 'RESIDENT_ID_CARD';
  if (system === SYSTEMS.insuranceCard) return 'MEDICAL_INSURANCE_CARD';
  if (system.startsWith(medicalRecordNumberSystem(''))) return 'MEDICAL_RECORD_NUMBER';
  return null;
}

const TYPES = {
  RESIDENT_ID_CARD: { code: 'NI', display: 'National unique individual identifier' },
  MEDICAL_INSURANCE_CARD: { code: 'SN', display: 'Subscriber Number' },
  MEDICAL_RECORD_NUMBER: { code: 'MR', display: 'Medical record number' },
} as const;

function identifier(item: ResidentRecord['identifiers'][number]): Identifier {
  return {
    use: 'official',
    type: { coding: [{ system: SYSTEMS.v2IdentifierType, ...TYPES[item.system] }] },
    system: identifierSystemOf(item),
    value: item.value,
    ...(item.assigner ? { assigner: organizationReference(item.assigner) } : {}),
  };
}

export function patientResource(resident: ResidentRecord): Patient {
  const masked = [resident.idNumber, resident.phone, ...resident.identifiers.map((item) => item.value)].some((value) => value !== null && MASKED.test(value));
  return {
    resourceType: 'Patient',
    id: resident.id,
    ...(masked ? { meta: { security: [MASKED_LABEL] } } : {}),
    identifier: resident.identifiers.map(identifier),
    active: resident.active,
    name: [{ use: 'official', text: resident.name }],
    ...(resident.phone ? { telecom: [{ system: 'phone', value: resident.phone, use: 'mobile' }] } : {}),
    gender: GENDERS[resident.gender],
    birthDate: resident.birthDate,
    address: [{ use: 'home', city: '南京市', district: resident.district, country: 'CN' }],
  };
}
