/** The labs subgraph's collection: lab and exam reports with their result lines. */
import { Schema, type Connection } from 'mongoose';
import { codingSchema } from '../kit/coding-schema';
import type { CodingValue } from '../kit/entity-refs';
import { categoriesOf, SENSITIVE_CATEGORIES, sensitivityOfLoinc, type SensitiveCategory } from '../kit/sensitivity';

export const LAB_CATEGORIES = ['LABORATORY', 'IMAGING', 'PATHOLOGY', 'ELECTROPHYSIOLOGY'] as const;
export const LAB_REPORT_STATUSES = ['REGISTERED', 'PARTIAL', 'PRELIMINARY', 'FINAL', 'AMENDED', 'CORRECTED', 'CANCELLED', 'ENTERED_IN_ERROR'] as const;
export const ABNORMAL_FLAGS = ['N', 'H', 'L', 'HH', 'LL', 'A'] as const;

export interface ObservationDoc {
  code: CodingValue;
  value: number | null;
  unit: string | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  referenceText: string;
  abnormalFlag: (typeof ABNORMAL_FLAGS)[number];
}

export interface LabReportDoc {
  _id: string;
  residentId: string;
  organizationCode: string;
  category: (typeof LAB_CATEGORIES)[number];
  code: CodingValue;
  issuedAt: Date;
  status: (typeof LAB_REPORT_STATUSES)[number];
  results: ObservationDoc[];
  /** The sensitive categories the test reveals (derived from its LOINC codes at write time). */
  sensitivities: SensitiveCategory[];
}

const observationSchema = new Schema<ObservationDoc>(
  {
    code: { type: codingSchema, required: true },
    value: { type: Number, default: null },
    unit: { type: String, default: null },
    referenceLow: { type: Number, default: null },
    referenceHigh: { type: Number, default: null },
    referenceText: { type: String, default: '' },
    abnormalFlag: { type: String, enum: ABNORMAL_FLAGS, required: true },
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
    issuedAt: { type: Date, required: true },
    status: { type: String, enum: LAB_REPORT_STATUSES, required: true },
    results: { type: [observationSchema], default: [] },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
  },
  { collection: 'labReports', versionKey: false, id: false },
);
labReportSchema.index({ residentId: 1, issuedAt: -1 });

export function registerModels(connection: Connection) {
  return { LabReport: connection.model('LabReport', labReportSchema) };
}
export type LabsModels = ReturnType<typeof registerModels>;

/** Labels a report with what its test and result lines reveal. */
export function labSensitivities(report: { code: CodingValue; results: { code: CodingValue }[] }): SensitiveCategory[] {
  return categoriesOf([report.code, ...report.results.map((result) => result.code)].map((coding) => sensitivityOfLoinc(coding.code)));
}
