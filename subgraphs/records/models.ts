/** The records subgraph's collections: residents (master patient index), organizations, encounters. */
import { Schema, type Connection } from 'mongoose';
import { codingSchema } from '../kit/coding-schema';
import type { CodingValue } from '../kit/entity-refs';

export const GENDERS = ['MALE', 'FEMALE', 'UNKNOWN'] as const;
export const ORGANIZATION_LEVELS = ['TERTIARY', 'SECONDARY', 'COMMUNITY', 'INTERNET_HOSPITAL', 'PHARMACY'] as const;
export const ENCOUNTER_CLASSES = ['OUTPATIENT', 'EMERGENCY', 'INPATIENT', 'VIRTUAL'] as const;

export interface ResidentDoc {
  _id: string;
  name: string;
  gender: (typeof GENDERS)[number];
  birthDate: string;
  idNumber: string;
  phone: string | null;
  district: string;
}

export interface OrganizationDoc {
  /** The organization code, e.g. 3201-H001. */
  _id: string;
  name: string;
  level: (typeof ORGANIZATION_LEVELS)[number];
  district: string;
  /** Monthly volumes from the city's bulletin; they weight the demo data. */
  outpatientVisits: number;
  discharges: number;
}

export interface EncounterDoc {
  _id: string;
  residentId: string;
  organizationCode: string;
  encounterClass: (typeof ENCOUNTER_CLASSES)[number];
  department: string;
  start: Date;
  end: Date | null;
  diagnoses: CodingValue[];
}

const residentSchema = new Schema<ResidentDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    gender: { type: String, enum: GENDERS, required: true },
    birthDate: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    idNumber: { type: String, required: true },
    phone: { type: String, default: null },
    district: { type: String, required: true },
  },
  { collection: 'residents', versionKey: false, id: false },
);
residentSchema.index({ idNumber: 1 }, { unique: true });

const organizationSchema = new Schema<OrganizationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    level: { type: String, enum: ORGANIZATION_LEVELS, required: true },
    district: { type: String, required: true },
    outpatientVisits: { type: Number, required: true, min: 0 },
    discharges: { type: Number, required: true, min: 0 },
  },
  { collection: 'organizations', versionKey: false, id: false },
);

const encounterSchema = new Schema<EncounterDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    encounterClass: { type: String, enum: ENCOUNTER_CLASSES, required: true },
    department: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, default: null },
    diagnoses: { type: [codingSchema], default: [] },
  },
  { collection: 'encounters', versionKey: false, id: false },
);
encounterSchema.index({ residentId: 1, start: -1 });

export function registerModels(connection: Connection) {
  return {
    Resident: connection.model('Resident', residentSchema),
    Organization: connection.model('Organization', organizationSchema),
    Encounter: connection.model('Encounter', encounterSchema),
  };
}
export type RecordsModels = ReturnType<typeof registerModels>;
