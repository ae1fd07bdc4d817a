/**
 * The labs subgraph's collections: lab and exam reports with their result lines, the
 * earlier versions of amended reports, the registry of laboratories (with their mutual-
 * recognition certification), and the duplicate-test reminder events.
 */
import { type Connection, Schema } from 'mongoose';
import {
  categoriesOf,
  SENSITIVE_CATEGORIES,
  type SensitiveCategory,
  sensitivitiesOfTexts,
  sensitivityOfLoinc,
  unionOf,
} from '../../access-control/sensitivity';
import { codingSchema } from '../runtime/coding-schema';
import type { CodingValue } from '../runtime/entity-refs';

export const LAB_CATEGORIES = ['LABORATORY', 'IMAGING', 'PATHOLOGY', 'ELECTROPHYSIOLOGY'] as const;
export const LAB_REPORT_STATUSES = ['REGISTERED', 'PARTIAL', 'PRELIMINARY', 'FINAL', 'AMENDED', 'CORRECTED', 'CANCELLED', 'ENTERED_IN_ERROR'] as const;
export const INTERPRETATIONS = ['N', 'H', 'L', 'HH', 'LL', 'A'] as const;
export const RECOMMENDATIONS = ['REUSE', 'CONSIDER', 'ORDER'] as const;
export const SUBJECT_SEXES = ['MALE', 'FEMALE', 'UNKNOWN'] as const;

export interface ObservationDoc {
  code: CodingValue;
  value: number | null;
  unit: string | null;
  valueCoded: CodingValue | null;
  valueText: string | null;
  /** The range for the patient's sex and age, in the reported unit. */
  referenceLow: number | null;
  referenceHigh: number | null;
  referenceText: string;
  interpretation: (typeof INTERPRETATIONS)[number];
  critical: boolean;
  method: string | null;
  /** Eligible for mutual recognition (the item is in the recognition catalogue). */
  recognizable: boolean;
}

export interface LabSourceDoc {
  organizationCode: string;
  recordId: string;
  uploadedAt: Date;
}

export interface LabReportDoc {
  _id: string;
  residentId: string;
  /** The performing laboratory's organization. */
  organizationCode: string;
  category: (typeof LAB_CATEGORIES)[number];
  code: CodingValue;
  localCode: string | null;
  status: (typeof LAB_REPORT_STATUSES)[number];
  specimen: string | null;
  collectedAt: Date | null;
  effectiveAt: Date | null;
  issuedAt: Date;
  orderingPractitioner: string | null;
  orderingOrganizationCode: string | null;
  conclusion: string | null;
  subjectSex: (typeof SUBJECT_SEXES)[number];
  subjectAgeYears: number | null;
  results: ObservationDoc[];
  /** The report's code and its result codes: what "the same test" is matched on. */
  itemCodes: string[];
  hasCritical: boolean;
  /** The sensitive categories the test reveals (derived from its LOINC codes at write time). */
  sensitivities: SensitiveCategory[];
  version: number;
  source: LabSourceDoc;
}

/** A version of a report that a later upload replaced. */
export interface LabReportVersionDoc {
  _id: string;
  reportId: string;
  version: number;
  /** The test as it was then (a correction may change it); absent on versions archived before it was kept. */
  code?: CodingValue;
  /** What this version reveals, labelled when it was archived; united with a fresh label on read. */
  sensitivities?: SensitiveCategory[];
  status: LabReportDoc['status'];
  issuedAt: Date;
  conclusion: string | null;
  results: ObservationDoc[];
  replacedAt: Date;
  /** The content key of the version that replaced it (absent on versions archived before it was kept): its claimant's re-send may finish the replacement. */
  replacedBy?: string;
}

/** A laboratory that uploads results; the _id is its organization code. */
export interface LaboratoryDoc {
  _id: string;
  /** Certified for mutual recognition of results, within this scope. */
  certifiedScope: 'CITY' | 'PROVINCE' | null;
}

export interface ReminderEventDoc {
  _id: string;
  residentId: string;
  /** The ordering organization the reminder was shown to. */
  organizationCode: string;
  itemCode: string;
  recommendation: (typeof RECOMMENDATIONS)[number];
  /** YYYY-MM, for the monthly statistics. */
  month: string;
  at: Date;
}

const observationSchema = new Schema<ObservationDoc>(
  {
    code: { type: codingSchema, required: true },
    value: { type: Number, default: null },
    unit: { type: String, default: null },
    valueCoded: { type: codingSchema, default: null },
    valueText: { type: String, default: null },
    referenceLow: { type: Number, default: null },
    referenceHigh: { type: Number, default: null },
    referenceText: { type: String, default: '' },
    interpretation: { type: String, enum: INTERPRETATIONS, required: true },
    critical: { type: Boolean, default: false },
    method: { type: String, default: null },
    recognizable: { type: Boolean, default: false },
  },
  { _id: false },
);

const sourceSchema = new Schema<LabSourceDoc>(
  {
    organizationCode: { type: String, required: true },
    recordId: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { _id: false },
);

const labReportSchema = new Schema<LabReportDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    category: { type: String, enum: LAB_CATEGORIES, required: true },
    code: { type: codingSchema, required: true },
    localCode: { type: String, default: null },
    status: { type: String, enum: LAB_REPORT_STATUSES, required: true },
    specimen: { type: String, default: null },
    collectedAt: { type: Date, default: null },
    effectiveAt: { type: Date, default: null },
    issuedAt: { type: Date, required: true },
    orderingPractitioner: { type: String, default: null },
    orderingOrganizationCode: { type: String, default: null },
    conclusion: { type: String, default: null },
    subjectSex: { type: String, enum: SUBJECT_SEXES, default: 'UNKNOWN' },
    subjectAgeYears: { type: Number, default: null },
    results: { type: [observationSchema], default: [] },
    itemCodes: { type: [String], default: [] },
    hasCritical: { type: Boolean, default: false },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
    version: { type: Number, default: 1 },
    source: { type: sourceSchema, required: true },
  },
  { collection: 'labReports', versionKey: false, id: false },
);
labReportSchema.index({ residentId: 1, issuedAt: -1, _id: -1 });

const versionSchema = new Schema<LabReportVersionDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    version: { type: Number, required: true },
    code: { type: codingSchema, default: undefined },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: undefined },
    status: { type: String, enum: LAB_REPORT_STATUSES, required: true },
    issuedAt: { type: Date, required: true },
    conclusion: { type: String, default: null },
    results: { type: [observationSchema], default: [] },
    replacedAt: { type: Date, required: true },
    replacedBy: { type: String, default: undefined },
  },
  { collection: 'labReportVersions', versionKey: false, id: false },
);
versionSchema.index({ reportId: 1, version: -1 });

const laboratorySchema = new Schema<LaboratoryDoc>(
  {
    _id: { type: String, required: true },
    certifiedScope: { type: String, enum: ['CITY', 'PROVINCE', null], default: null },
  },
  { collection: 'laboratories', versionKey: false, id: false },
);

const reminderEventSchema = new Schema<ReminderEventDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    itemCode: { type: String, required: true },
    recommendation: { type: String, enum: RECOMMENDATIONS, required: true },
    month: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'reminderEvents', versionKey: false, id: false },
);
reminderEventSchema.index({ month: 1, organizationCode: 1 });

export function registerModels(connection: Connection) {
  return {
    LabReport: connection.model('LabReport', labReportSchema),
    LabReportVersion: connection.model('LabReportVersion', versionSchema),
    Laboratory: connection.model('Laboratory', laboratorySchema),
    ReminderEvent: connection.model('ReminderEvent', reminderEventSchema),
  };
}
export type LabsModels = ReturnType<typeof registerModels>;

/** A result line's codes and, where it has them, its free text. */
type LabelledResult = { code: CodingValue } & Partial<Pick<ObservationDoc, 'valueText' | 'method' | 'referenceText'>>;

/** Labels a report (or one of its versions) with what its test, result lines (codes and text) and conclusion reveal. */
export function labSensitivities(report: { code: CodingValue; results: LabelledResult[]; conclusion?: string | null }): SensitiveCategory[] {
  const codes = categoriesOf([report.code, ...report.results.map((result) => result.code)].map((coding) => sensitivityOfLoinc(coding.code)));
  const texts = [report.conclusion, ...report.results.flatMap((result) => [result.valueText, result.method, result.referenceText])];
  return unionOf(codes, sensitivitiesOfTexts(texts));
}
