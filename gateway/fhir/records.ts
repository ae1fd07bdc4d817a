/** The shapes the FHIR API's GraphQL operations (queries.ts) return: the API's, not FHIR's. */

export interface Code {
  system: string;
  code: string;
  display: string;
}

export interface Org {
  code: string;
  name: string;
  level: string;
  district: string;
}

export interface SourceOf {
  organization: Org;
  recordId: string;
  uploadedAt: string;
}

export interface ResidentRecord {
  id: string;
  name: string;
  gender: 'MALE' | 'FEMALE' | 'UNKNOWN';
  birthDate: string;
  idNumber: string | null;
  phone: string | null;
  district: string;
  active: boolean;
  identifiers: { system: 'RESIDENT_ID_CARD' | 'MEDICAL_INSURANCE_CARD' | 'MEDICAL_RECORD_NUMBER'; value: string; assigner: Org | null }[];
}

export interface AllergyRecord {
  id: string;
  substance: Code;
  category: 'FOOD' | 'MEDICATION' | 'ENVIRONMENT' | 'BIOLOGIC';
  criticality: 'LOW' | 'HIGH' | 'UNABLE_TO_ASSESS';
  /** Null when withheld from the viewer (a restricted category, another organization's allergy). */
  reactions: string[] | null;
  source: SourceOf;
}

export interface AllergyStatementRecord {
  assertion: 'UNKNOWN' | 'NO_KNOWN_ALLERGIES' | 'HAS_ALLERGIES';
  items: AllergyRecord[];
}

export interface ConditionRecord {
  id: string;
  code: Code;
  clinicalStatus: string;
  verificationStatus: string;
  onset: string | null;
  source: SourceOf;
}

export interface EncounterRecord {
  id: string;
  organization: Org;
  class: 'OUTPATIENT' | 'EMERGENCY' | 'INPATIENT' | 'VIRTUAL';
  status: string;
  department: string;
  start: string;
  end: string | null;
  attendingPractitioner: string | null;
  diagnoses: { code: Code; rank: number; primary: boolean }[];
  source: SourceOf;
}

export interface ObservationRecord {
  code: Code;
  value: number | null;
  unit: string | null;
  valueCoded: Code | null;
  valueText: string | null;
  referenceRange: { low: number | null; high: number | null; text: string } | null;
  interpretation: string;
  critical: boolean;
  method: string | null;
}

export interface LabReportRecord {
  id: string;
  organization: Org;
  category: 'LABORATORY' | 'IMAGING' | 'PATHOLOGY' | 'ELECTROPHYSIOLOGY';
  code: Code;
  localCode: string | null;
  status: string;
  collectedAt: string | null;
  effectiveAt: string | null;
  issuedAt: string;
  orderingPractitioner: string | null;
  conclusion: string | null;
  results: ObservationRecord[];
  source: SourceOf;
}

export interface PrescriptionRecord {
  id: string;
  prescriber: Org;
  prescriberPractitioner: string | null;
  diagnoses: Code[];
  items: {
    drug: Code;
    strength: string;
    dose: number;
    doseUnit: string;
    route: string;
    frequency: string;
    days: number;
    quantity: number;
    instructions: string | null;
  }[];
  status: string;
  issuedAt: string;
  validUntil: string;
  encounter: { id: string } | null;
  dispensing: { pharmacist: string; pharmacy: Org; at: string; lot: string } | null;
}

export interface ReferralRecord {
  id: string;
  direction: 'UP' | 'DOWN';
  fromOrganization: Org;
  fromPractitioner: string | null;
  toOrganization: Org;
  toDepartment: string;
  reason: string;
  diagnoses: Code[];
  urgency: 'ROUTINE' | 'URGENT';
  status: string;
  requestedAt: string;
}

export interface TrendRecord {
  code: Code;
  unit: string | null;
  points: {
    at: string;
    value: number | null;
    reportedValue: number | null;
    reportedUnit: string | null;
    interpretation: string;
    organization: Org;
    reportId: string;
  }[];
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
