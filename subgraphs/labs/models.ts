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
import type { StoredDoc } from '../../platform/stored-doc';
import { codingSchema } from '../runtime/coding-schema';
import type { CodingValue } from '../runtime/entity-refs';

export const LAB_CATEGORIES = ['LABORATORY', 'IMAGING', 'PATHOLOGY', 'ELECTROPHYSIOLOGY'] as const;
export const LAB_REPORT_STATUSES = ['REGISTERED', 'PARTIAL', 'PRELIMINARY', 'FINAL', 'AMENDED', 'CORRECTED', 'CANCELLED', 'ENTERED_IN_ERROR'] as const;
export const INTERPRETATIONS = ['N', 'H', 'L', 'HH', 'LL', 'A'] as const;
export const RECOMMENDATIONS = ['REUSE', 'CONSIDER', 'ORDER'] as const;
export const SUBJECT_SEXES = ['MALE', 'FEMALE', 'UNKNOWN'] as const;

const observationDefinition = {
  code: { type: codingSchema, required: true },
  value: { type: Number, default: null },
  unit: { type: String, default: null },
  valueCoded: { type: codingSchema, default: null },
  valueText: { type: String, default: null },
  /** The range for the patient's sex and age, in the reported unit. */
  referenceLow: { type: Number, default: null },
  referenceHigh: { type: Number, default: null },
  referenceText: { type: String, default: '' },
  interpretation: { type: String, enum: INTERPRETATIONS, required: true },
  critical: { type: Boolean, default: false },
  method: { type: String, default: null },
  /** Eligible for mutual recognition (the item is in the recognition catalogue). */
  recognizable: { type: Boolean, default: false },
};
export type ObservationDoc = StoredDoc<typeof observationDefinition>;
const observationSchema = new Schema<ObservationDoc>(observationDefinition, { _id: false });

const sourceDefinition = {
  organizationCode: { type: String, required: true },
  recordId: { type: String, required: true },
  uploadedAt: { type: Date, required: true },
};
export type LabSourceDoc = StoredDoc<typeof sourceDefinition>;
const sourceSchema = new Schema<LabSourceDoc>(sourceDefinition, { _id: false });

const labReportDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  /** The performing laboratory's organization. */
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
  subjectSex: { type: String, enum: SUBJECT_SEXES, default: 'UNKNOWN' as const },
  subjectAgeYears: { type: Number, default: null },
  results: { type: [observationSchema], default: [] },
  /** The report's code and its result codes: what "the same test" is matched on. */
  itemCodes: { type: [String], default: [] },
  hasCritical: { type: Boolean, default: false },
  /** The sensitive categories the test reveals (derived from its LOINC codes at write time). */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
  version: { type: Number, default: 1 },
  source: { type: sourceSchema, required: true },
};
export type LabReportDoc = StoredDoc<typeof labReportDefinition>;
const labReportSchema = new Schema<LabReportDoc>(labReportDefinition, { collection: 'labReports', versionKey: false, id: false });
labReportSchema.index({ residentId: 1, issuedAt: -1, _id: -1 });

/** A version of a report that a later upload replaced. */
const versionDefinition = {
  _id: { type: String, required: true },
  reportId: { type: String, required: true },
  version: { type: Number, required: true },
  /** The test as it was then (a correction may change it); absent on versions archived before it was kept. */
  code: { type: codingSchema, default: undefined, allowNull: false as const },
  /** What this version reveals, labelled when it was archived; united with a fresh label on read. */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: undefined, allowNull: false as const },
  status: { type: String, enum: LAB_REPORT_STATUSES, required: true },
  issuedAt: { type: Date, required: true },
  conclusion: { type: String, default: null },
  results: { type: [observationSchema], default: [] },
  replacedAt: { type: Date, required: true },
  /** The content key of the version that replaced it (absent on versions archived before it was kept): its claimant's re-send may finish the replacement. */
  replacedBy: { type: String, default: undefined, allowNull: false as const },
};
export type LabReportVersionDoc = StoredDoc<typeof versionDefinition>;
const versionSchema = new Schema<LabReportVersionDoc>(versionDefinition, { collection: 'labReportVersions', versionKey: false, id: false });
versionSchema.index({ reportId: 1, version: -1 });

/** A laboratory that uploads results; the _id is its organization code. */
const laboratoryDefinition = {
  _id: { type: String, required: true },
  /** Certified for mutual recognition of results, within this scope. */
  certifiedScope: { type: String, enum: ['CITY', 'PROVINCE', null] as const, default: null },
};
export type LaboratoryDoc = StoredDoc<typeof laboratoryDefinition>;
const laboratorySchema = new Schema<LaboratoryDoc>(laboratoryDefinition, { collection: 'laboratories', versionKey: false, id: false });

const reminderEventDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  /** The ordering organization the reminder was shown to. */
  organizationCode: { type: String, required: true },
  itemCode: { type: String, required: true },
  recommendation: { type: String, enum: RECOMMENDATIONS, required: true },
  /** YYYY-MM, for the monthly statistics. */
  month: { type: String, required: true },
  at: { type: Date, required: true },
};
export type ReminderEventDoc = StoredDoc<typeof reminderEventDefinition>;
const reminderEventSchema = new Schema<ReminderEventDoc>(reminderEventDefinition, { collection: 'reminderEvents', versionKey: false, id: false });
reminderEventSchema.index({ month: 1, organizationCode: 1 });

export const CRITICAL_ALERT_REASONS = ['ORDERING', 'FAMILY_DOCTOR'] as const;
export const CRITICAL_ALERT_STATES = ['OPEN', 'ACKNOWLEDGED'] as const;

/**
 * A critical result pushed to one organization's inbox: the ordering organization (addressed
 * to the ordering practitioner when the lab named one) and each organization holding the
 * resident's active family-doctor contract. Whether it has escalated is decided at read time.
 */
const criticalAlertDefinition = {
  _id: { type: String, required: true },
  reportId: { type: String, required: true },
  /** The version of the report that was critical: an amendment still critical pushes again. */
  reportVersion: { type: Number, required: true },
  residentId: { type: String, required: true },
  recipientOrganizationCode: { type: String, required: true },
  /** The practitioner it is addressed to until it escalates; null: every clinician of the organization. */
  recipientPractitionerId: { type: String, default: null },
  reason: { type: String, enum: CRITICAL_ALERT_REASONS, required: true },
  raisedAt: { type: Date, required: true },
  state: { type: String, enum: CRITICAL_ALERT_STATES, required: true },
  acknowledgedAt: { type: Date, default: null },
  /** The practitioner who acknowledged it. */
  acknowledgedBy: { type: String, default: null },
  /** Whether it had escalated when it was acknowledged. */
  acknowledgedLate: { type: Boolean, default: false },
};
export type CriticalAlertDoc = StoredDoc<typeof criticalAlertDefinition>;
const criticalAlertSchema = new Schema<CriticalAlertDoc>(criticalAlertDefinition, { collection: 'criticalAlerts', versionKey: false, id: false });
// An organization's inbox, newest first.
criticalAlertSchema.index({ recipientOrganizationCode: 1, state: 1, raisedAt: -1, _id: -1 });

/** The claim that makes acknowledging an alert happen once: its _id is the alert's. */
const criticalAlertAckDefinition = {
  _id: { type: String, required: true },
  at: { type: Date, required: true },
  by: { type: String, required: true },
};
export type CriticalAlertAckDoc = StoredDoc<typeof criticalAlertAckDefinition>;
const criticalAlertAckSchema = new Schema<CriticalAlertAckDoc>(criticalAlertAckDefinition, { collection: 'criticalAlertAcks', versionKey: false, id: false });
/**
 * The findings of a check-up report (_id: the lab report's id): its conclusions and
 * recommendations as lists. Their text is also the report's conclusion, so they are labelled
 * with the report and reached only through it.
 */
const checkupFindingsDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  conclusions: { type: [String], default: [] },
  recommendations: { type: [String], default: [] },
};
export type CheckupFindingsDoc = StoredDoc<typeof checkupFindingsDefinition>;
const checkupFindingsSchema = new Schema<CheckupFindingsDoc>(checkupFindingsDefinition, { collection: 'checkupFindings', versionKey: false, id: false });

export function registerModels(connection: Connection) {
  return {
    LabReport: connection.model('LabReport', labReportSchema),
    LabReportVersion: connection.model('LabReportVersion', versionSchema),
    Laboratory: connection.model('Laboratory', laboratorySchema),
    ReminderEvent: connection.model('ReminderEvent', reminderEventSchema),
    CriticalAlert: connection.model('CriticalAlert', criticalAlertSchema),
    CriticalAlertAck: connection.model('CriticalAlertAck', criticalAlertAckSchema),
    CheckupFindings: connection.model('CheckupFindings', checkupFindingsSchema),
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
