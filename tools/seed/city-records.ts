/**
 * The records the demo city is made of, as the seeders store them, and the code systems
 * their codings use.
 */

export type OrganizationLevel = 'TERTIARY' | 'SECONDARY' | 'COMMUNITY' | 'INTERNET_HOSPITAL' | 'PHARMACY' | 'HOTLINE';
export interface Coding {
  system: string;
  code: string;
  display: string;
}
export interface OrganizationSeed {
  code: string;
  name: string;
  level: OrganizationLevel;
  district: string;
  outpatientVisits: number;
  discharges: number;
}
export interface ResidentSeed {
  id: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  idNumber: string;
  phone: string;
  district: string;
}
export interface EncounterSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  encounterClass: 'OUTPATIENT' | 'EMERGENCY' | 'INPATIENT' | 'VIRTUAL';
  department: string;
  start: string;
  end: string;
  diagnoses: Coding[];
}
export interface ObservationSeed {
  code: Coding;
  value: number;
  unit: string;
  referenceLow: number | null;
  referenceHigh: number | null;
  referenceText: string;
  abnormalFlag: 'N' | 'H' | 'L';
}
export interface LabReportSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  category: 'LABORATORY' | 'IMAGING';
  code: Coding;
  issuedAt: string;
  status: 'FINAL' | 'PRELIMINARY' | 'AMENDED';
  results: ObservationSeed[];
}
export interface PrescriptionItemSeed {
  drug: Coding;
  inn: string;
  dose: string;
  frequency: string;
  days: number;
}
export interface PrescriptionSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  issuedAt: string;
  status: 'SIGNED' | 'APPROVED' | 'DISPENSED' | 'CANCELLED';
  items: PrescriptionItemSeed[];
}
export interface ReferralSeed {
  id: string;
  residentId: string;
  fromOrganizationCode: string;
  toOrganizationCode: string;
  toDepartment: string;
  reason: string;
  status: 'REQUESTED' | 'ACCEPTED' | 'COMPLETED' | 'REJECTED';
  requestedAt: string;
}
export interface City {
  organizations: OrganizationSeed[];
  residents: ResidentSeed[];
  encounters: EncounterSeed[];
  labReports: LabReportSeed[];
  prescriptions: PrescriptionSeed[];
  referrals: ReferralSeed[];
}

export type Gender = ResidentSeed['gender'];
export type EncounterClass = EncounterSeed['encounterClass'];

export const ICD10 = 'ICD-10';
export const LOINC = 'http://loinc.org';
export const NMPA = 'NMPA';
export const CITY_REGION_CODE = '3201';
