/**
 * The code and identifier systems the FHIR API speaks, each with one URI (listed in
 * docs/fhir.md, Terminology). Published URIs are used where the standard has one (LOINC, UCUM,
 * HL7 terminology); the Chinese national systems have none registered for FHIR, so they get
 * project-defined URNs under `urn:jinling-hie:` that never change once published.
 */
import type { CodeableConcept, Coding, Coding as FhirCoding } from '@medplum/fhirtypes';
import type { SensitiveCategory } from '../../access-control/sensitivity';

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  snomed: 'http://snomed.info/sct',
  /** ICD-10 as the national clinical edition (国家临床版) extends it: project-defined. */
  icd10cn: 'urn:jinling-hie:icd-10-cn',
  /** ICD-10 as WHO publishes it (HL7's URI): accepted on import, its codes a subset of the national edition's. */
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  /** NMPA drug approval numbers (国药准字), the national drug codes of prescriptions: project-defined. */
  nmpaDrug: 'urn:jinling-hie:nmpa-drug',
  /** GB 11643 citizen identity numbers (居民身份证): project-defined. */
  residentIdCard: 'urn:jinling-hie:resident-id-card',
  /** Basic medical insurance card numbers (医保卡): project-defined. */
  insuranceCard: 'urn:jinling-hie:medical-insurance-card',
  /** Organization codes of the city's registry (e.g. 3201-H001): project-defined. */
  organization: 'urn:jinling-hie:organization',
  /** Practitioner ids as the tokens and records carry them: project-defined. */
  practitioner: 'urn:jinling-hie:practitioner',
  /** Codes without a national system (allergy groups, coded lab answers): project-defined prefix. */
  local: 'urn:jinling-hie:code',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3Confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  v3ObservationValue: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  v3Interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
} as const;

/** The systems a diagnosis may be coded in on import; the exchange answers in the national edition's. */
export const DIAGNOSIS_SYSTEMS = [SYSTEMS.icd10cn, SYSTEMS.icd10] as const;

/** A hospital's medical record numbers: one system per assigning organization. */
export const medicalRecordNumberSystem = (organizationCode: string) => `urn:jinling-hie:mrn:${organizationCode}`;
/** A hospital's own record ids (what it uploaded under, the key of idempotent re-uploads). */
export const sourceRecordSystem = (organizationCode: string) => `urn:jinling-hie:source-record:${organizationCode}`;

/** The systems the exchange stores, by the names its records use, and their URIs. */
const STORED_SYSTEMS: Readonly<Record<string, string>> = {
  'ICD-10': SYSTEMS.icd10cn,
  'http://loinc.org': SYSTEMS.loinc,
  NMPA: SYSTEMS.nmpaDrug,
};

/** The URI of a system as the exchange stores it; an unnamed local system keeps its name under the local prefix. */
export function systemUri(stored: string): string {
  return STORED_SYSTEMS[stored] ?? (/^(https?:|urn:)/.test(stored) ? stored : `${SYSTEMS.local}:${encodeURIComponent(stored)}`);
}

export function coding(stored: { system: string; code: string; display: string }): FhirCoding {
  return { system: systemUri(stored.system), code: stored.code, display: stored.display };
}

export function concept(stored: { system: string; code: string; display: string }): CodeableConcept {
  return { coding: [coding(stored)], text: stored.display };
}

/** A UCUM quantity; a unit outside UCUM's syntax would still be carried as text. */
export function ucumQuantity(value: number, unit: string | null | undefined) {
  return unit ? { value, unit, system: SYSTEMS.ucum, code: unit } : { value };
}

/** HL7 v3 ActCode sensitivity codes for the categories a resident may restrict. */
const SENSITIVITY_CODES: Readonly<Record<SensitiveCategory, { code: string; display: string }>> = {
  MENTAL_HEALTH: { code: 'PSY', display: 'psychiatry disorder information sensitivity' },
  HIV_STI: { code: 'HIV', display: 'HIV/AIDS information sensitivity' },
  REPRODUCTIVE: { code: 'SEX', display: 'sexuality and reproductive health information sensitivity' },
  GENETIC: { code: 'GDIS', display: 'genetic disease information sensitivity' },
};

/**
 * meta.security of a record in sensitive categories: one ActCode per category and the
 * confidentiality R (restricted), so a receiving system keeps the item as guarded as here.
 */
export function securityLabels(categories: readonly SensitiveCategory[]): Coding[] {
  if (categories.length === 0) return [];
  return [
    ...categories.map((category) => ({ system: SYSTEMS.v3ActCode, ...SENSITIVITY_CODES[category] })),
    { system: SYSTEMS.v3Confidentiality, code: 'R', display: 'restricted' },
  ];
}

/** The label of a resource whose identifiers are masked for this viewer. */
export const MASKED_LABEL: Coding = { system: SYSTEMS.v3ObservationValue, code: 'MASKED', display: 'masked' };

/** The system as the exchange stores it, from its URI: the inverse of systemUri. */
export function storedSystem(uri: string): string {
  const stored = Object.entries(STORED_SYSTEMS).find(([, known]) => known === uri);
  if (stored) return stored[0];
  return uri.startsWith(`${SYSTEMS.local}:`) ? decodeURIComponent(uri.slice(SYSTEMS.local.length + 1)) : uri;
}
