/**
 * The records subgraph's collections: the master patient index (residents, their
 * identifiers, match reviews), organizations, and the clinical record (encounters,
 * conditions, allergies).
 */
import { type Connection, Schema } from 'mongoose';
import { SENSITIVE_CATEGORIES } from '../../access-control/sensitivity';
import type { StoredDoc } from '../../platform/stored-doc';
import { codingSchema } from '../runtime/coding-schema';
import { ORGANIZATION_LEVELS } from '../runtime/organization-levels';

export const GENDERS = ['MALE', 'FEMALE', 'UNKNOWN'] as const;
export { ORGANIZATION_LEVELS };
export const IDENTIFIER_SYSTEMS = ['RESIDENT_ID_CARD', 'MEDICAL_INSURANCE_CARD', 'MEDICAL_RECORD_NUMBER'] as const;
export const ENCOUNTER_CLASSES = ['OUTPATIENT', 'EMERGENCY', 'INPATIENT', 'VIRTUAL'] as const;
export const ENCOUNTER_STATUSES = ['PLANNED', 'IN_PROGRESS', 'FINISHED', 'CANCELLED', 'ENTERED_IN_ERROR'] as const;
/** An encounter entered in error: never shown, and no care. */
export const HIDDEN_ENCOUNTER_STATUS: (typeof ENCOUNTER_STATUSES)[number] = 'ENTERED_IN_ERROR';
export const CLINICAL_STATUSES = ['ACTIVE', 'RECURRENCE', 'RELAPSE', 'INACTIVE', 'REMISSION', 'RESOLVED'] as const;
export const VERIFICATION_STATUSES = ['UNCONFIRMED', 'PROVISIONAL', 'DIFFERENTIAL', 'CONFIRMED', 'REFUTED', 'ENTERED_IN_ERROR'] as const;
export const ALLERGY_CATEGORIES = ['FOOD', 'MEDICATION', 'ENVIRONMENT', 'BIOLOGIC'] as const;
export const ALLERGY_CRITICALITIES = ['LOW', 'HIGH', 'UNABLE_TO_ASSESS'] as const;
export const ALLERGY_ASSERTIONS = ['UNKNOWN', 'NO_KNOWN_ALLERGIES', 'HAS_ALLERGIES'] as const;
export const MATCH_REVIEW_STATUSES = ['OPEN', 'LINKED', 'SEPARATED'] as const;
export const MERGE_ACTIONS = ['MERGED', 'MERGED_INTO', 'UNMERGED', 'UNMERGED_FROM'] as const;

/** Where a fact came from: the uploading organization, its own record id, and when. */
const sourceDefinition = {
  organizationCode: { type: String, required: true },
  recordId: { type: String, required: true },
  uploadedAt: { type: Date, required: true },
};
export type SourceDoc = StoredDoc<typeof sourceDefinition>;
const sourceSchema = new Schema<SourceDoc>(sourceDefinition, { _id: false });

const mergeEventDefinition = {
  action: { type: String, enum: MERGE_ACTIONS, required: true },
  otherResidentId: { type: String, required: true },
  by: { type: String, required: true },
  at: { type: Date, required: true },
  reason: { type: String, required: true },
  /** On a survivor's MERGED event: it took the merged record's ID number (unmerging gives it back). */
  idNumberAdopted: { type: Boolean, allowNull: false as const },
};
export type MergeEventDoc = StoredDoc<typeof mergeEventDefinition>;
const mergeEventSchema = new Schema<MergeEventDoc>(mergeEventDefinition, { _id: false });

const residentDefinition = {
  _id: { type: String, required: true },
  name: { type: String, required: true },
  gender: { type: String, enum: GENDERS, required: true },
  birthDate: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
  idNumber: { type: String, default: null },
  phone: { type: String, default: null },
  district: { type: String, required: true },
  active: { type: Boolean, default: true },
  /** Set when this record was merged into another (the survivor). */
  mergedInto: { type: String, default: null },
  /** Records merged into this one: their clinical records are this resident's too. */
  mergedIds: { type: [String], default: [] },
  mergeHistory: { type: [mergeEventSchema], default: [] },
  allergyAssertion: { type: String, enum: ALLERGY_ASSERTIONS, default: 'UNKNOWN' as const },
  // Blocking keys for matching (each one indexed): candidates share at least one.
  birthKey: { type: String, required: true },
  pinyinKey: { type: String, required: true },
  idLast4: { type: String, default: null },
};
export type ResidentDoc = StoredDoc<typeof residentDefinition>;
const residentSchema = new Schema<ResidentDoc>(residentDefinition, { collection: 'residents', versionKey: false, id: false });
// Matching blocks on each key separately; search uses name + birth date or district + ID tail.
residentSchema.index({ birthKey: 1 });
residentSchema.index({ pinyinKey: 1 });
residentSchema.index({ phone: 1 });
residentSchema.index({ name: 1, birthDate: 1 });
residentSchema.index({ district: 1, idLast4: 1 });

/** One identifier of a resident. The _id is `system|assigner|value`, so a lookup is a primary-key read. */
const identifierDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  system: { type: String, enum: IDENTIFIER_SYSTEMS, required: true },
  value: { type: String, required: true },
  assignerCode: { type: String, default: null },
  createdAt: { type: Date, required: true },
};
export type ResidentIdentifierDoc = StoredDoc<typeof identifierDefinition>;
const identifierSchema = new Schema<ResidentIdentifierDoc>(identifierDefinition, {
  collection: 'residentIdentifiers',
  versionKey: false,
  id: false,
});
identifierSchema.index({ residentId: 1 });

/** A possible duplicate waiting for a person to decide. */
const matchReviewDefinition = {
  _id: { type: String, required: true },
  status: { type: String, enum: MATCH_REVIEW_STATUSES, required: true },
  /** The record created for the incoming registration. */
  residentId: { type: String, required: true },
  candidate: {
    residentId: { type: String, required: true },
    score: { type: Number, required: true },
    reasons: { type: [String], default: [] },
  },
  openedAt: { type: Date, required: true },
  openedBy: { type: String, required: true },
  organizationCode: { type: String, required: true },
  resolvedAt: { type: Date, default: null },
  resolvedBy: { type: String, default: null },
  reason: { type: String, default: null },
};
export type MatchReviewDoc = StoredDoc<typeof matchReviewDefinition>;
export type MatchCandidateDoc = MatchReviewDoc['candidate'];
const matchReviewSchema = new Schema<MatchReviewDoc>(matchReviewDefinition, { collection: 'matchReviews', versionKey: false, id: false });
matchReviewSchema.index({ status: 1, openedAt: -1, _id: -1 });

/**
 * The decision on a match review, claimed before it is acted on: its _id is the review's, so
 * of concurrent decisions exactly one inserts it (the primary key is atomic on every engine).
 */
const matchReviewDecisionDefinition = {
  _id: { type: String, required: true },
  decision: { type: String, enum: ['LINK', 'SEPARATE'] as const, required: true },
  by: { type: String, required: true },
  at: { type: Date, required: true },
};
export type MatchReviewDecisionDoc = StoredDoc<typeof matchReviewDecisionDefinition>;
const matchReviewDecisionSchema = new Schema<MatchReviewDecisionDoc>(matchReviewDecisionDefinition, {
  collection: 'matchReviewDecisions',
  versionKey: false,
  id: false,
});

/**
 * A merge or unmerge claims each record it changes at its version (the length of its merge
 * history, which each of them extends by one): of concurrent changes to one record exactly one
 * proceeds. _id is `<residentId>|<version>`.
 */
const residentVersionClaimDefinition = { _id: { type: String, required: true }, at: { type: Date, required: true } };
export type ResidentVersionClaimDoc = StoredDoc<typeof residentVersionClaimDefinition>;
const residentVersionClaimSchema = new Schema<ResidentVersionClaimDoc>(residentVersionClaimDefinition, {
  collection: 'residentVersionClaims',
  versionKey: false,
  id: false,
});

const organizationDefinition = {
  /** The organization code, e.g. 3201-H001. */
  _id: { type: String, required: true },
  name: { type: String, required: true },
  level: { type: String, enum: ORGANIZATION_LEVELS, required: true },
  district: { type: String, required: true },
  /** Monthly volumes from the city's bulletin; they weight the demo data. */
  outpatientVisits: { type: Number, required: true, min: 0 },
  discharges: { type: Number, required: true, min: 0 },
};
export type OrganizationDoc = StoredDoc<typeof organizationDefinition>;
const organizationSchema = new Schema<OrganizationDoc>(organizationDefinition, { collection: 'organizations', versionKey: false, id: false });
// The organizations query: levels (all of them when not filtered) first, by code, or by district and code.
organizationSchema.index({ level: 1, _id: 1 });
organizationSchema.index({ level: 1, district: 1, _id: 1 });

/** A label path: the one sensitive category a code falls in, or none. */
const sensitivityPath = { type: String, enum: [...SENSITIVE_CATEGORIES, null], default: null };
/** The sensitive categories a record reveals, derived at write time for filtering. */
const sensitivitiesPath = { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] };
/** The same, on a collection whose older records were stored without them. */
const laterSensitivitiesPath = { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: undefined, allowNull: false as const };

const diagnosisDefinition = {
  code: { type: codingSchema, required: true },
  rank: { type: Number, required: true, min: 1 },
  primary: { type: Boolean, required: true },
  sensitivity: sensitivityPath,
};
export type DiagnosisDoc = StoredDoc<typeof diagnosisDefinition>;
const diagnosisSchema = new Schema<DiagnosisDoc>(diagnosisDefinition, { _id: false });

const encounterDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  organizationCode: { type: String, required: true },
  encounterClass: { type: String, enum: ENCOUNTER_CLASSES, required: true },
  status: { type: String, enum: ENCOUNTER_STATUSES, required: true },
  department: { type: String, required: true },
  start: { type: Date, required: true },
  end: { type: Date, default: null },
  attendingPractitioner: { type: String, default: null },
  diagnoses: { type: [diagnosisSchema], default: [] },
  /** The sensitive categories its diagnoses reveal (derived at write time, for filtering). */
  sensitivities: sensitivitiesPath,
  chargesFen: { type: Number, default: null, min: 0 },
  source: { type: sourceSchema, required: true },
};
export type EncounterDoc = StoredDoc<typeof encounterDefinition>;
const encounterSchema = new Schema<EncounterDoc>(encounterDefinition, { collection: 'encounters', versionKey: false, id: false });
encounterSchema.index({ residentId: 1, start: -1 });

const conditionDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  code: { type: codingSchema, required: true },
  clinicalStatus: { type: String, enum: CLINICAL_STATUSES, required: true },
  verificationStatus: { type: String, enum: VERIFICATION_STATUSES, required: true },
  onset: { type: String, default: null },
  /** The category its code falls in (the label before displays were read). */
  sensitivity: sensitivityPath,
  /** What its code and display reveal, at write time; absent on conditions stored before. */
  sensitivities: laterSensitivitiesPath,
  source: { type: sourceSchema, required: true },
};
export type ConditionDoc = StoredDoc<typeof conditionDefinition>;
const conditionSchema = new Schema<ConditionDoc>(conditionDefinition, { collection: 'conditions', versionKey: false, id: false });
conditionSchema.index({ residentId: 1 });

const allergyDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  substance: { type: codingSchema, required: true },
  category: { type: String, enum: ALLERGY_CATEGORIES, required: true },
  criticality: { type: String, enum: ALLERGY_CRITICALITIES, required: true },
  reactions: { type: [String], default: [] },
  /** What its reactions reveal, at write time; absent on allergies stored before. */
  sensitivities: laterSensitivitiesPath,
  source: { type: sourceSchema, required: true },
};
export type AllergyDoc = StoredDoc<typeof allergyDefinition>;
const allergySchema = new Schema<AllergyDoc>(allergyDefinition, { collection: 'allergies', versionKey: false, id: false });
allergySchema.index({ residentId: 1 });

// ---- the 12320 hotline: calls it accepted and work orders it handles -----------------------

/** What a call was about, as the hotline counts calls (phone appointments are counted by their booking). */
export const HOTLINE_CALL_CATEGORIES = ['CONSULTATION', 'MEDICAL_COMPLAINT', 'HUMAN_SERVICE', 'CRISIS_INTERVENTION', 'SELF_SERVICE_VOICE'] as const;
/** Who answered: an operator, or the self-service voice menu. */
export const HOTLINE_CHANNELS = ['OPERATOR', 'SELF_SERVICE_VOICE'] as const;
export const HOTLINE_OUTCOMES = ['ANSWERED', 'TRANSFERRED', 'WORK_ORDER_OPENED', 'CALLBACK_SCHEDULED', 'ABANDONED'] as const;
export const WORK_ORDER_SOURCES = ['CITY_12345', 'PROVINCE_12345', 'DIRECT'] as const;
/** A work order's statuses, in order: each is reached at most once, closure last. */
export const WORK_ORDER_STATUSES = ['RECEIVED', 'ASSIGNED', 'REPLIED', 'CLOSED'] as const;

const hotlineCallDefinition = {
  /** Derived from the centre and its telephony's call id: a re-sent call is the same call. */
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  callId: { type: String, required: true },
  receivedAt: { type: Date, required: true },
  category: { type: String, enum: HOTLINE_CALL_CATEGORIES, required: true },
  channel: { type: String, enum: HOTLINE_CHANNELS, required: true },
  outcome: { type: String, enum: HOTLINE_OUTCOMES, required: true },
  /** The resident the call is about, when the caller was identified; null for an anonymous call. */
  residentId: { type: String, default: null },
  operatorId: { type: String, default: null },
  recordedBy: { type: String, required: true },
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
};
export type HotlineCallDoc = StoredDoc<typeof hotlineCallDefinition>;
const hotlineCallSchema = new Schema<HotlineCallDoc>(hotlineCallDefinition, { collection: 'hotlineCalls', versionKey: false, id: false });
// A resident's calls (their family doctor's and their own reads), latest first.
hotlineCallSchema.index({ residentId: 1, receivedAt: -1 });

const workOrderStepDefinition = {
  status: { type: String, enum: WORK_ORDER_STATUSES, required: true },
  at: { type: Date, required: true },
  by: { type: String, required: true },
};
const workOrderStepSchema = new Schema(workOrderStepDefinition, { _id: false });

const workOrderDefinition = {
  /** Derived from the centre, the source and the source's ticket number: a re-sent order is the same order. */
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  source: { type: String, enum: WORK_ORDER_SOURCES, required: true },
  ticketNumber: { type: String, required: true },
  receivedAt: { type: Date, required: true },
  status: { type: String, enum: WORK_ORDER_STATUSES, required: true },
  steps: { type: [workOrderStepSchema], default: [] },
};
export type WorkOrderDoc = StoredDoc<typeof workOrderDefinition> & { steps: StoredDoc<typeof workOrderStepDefinition>[] };
const workOrderSchema = new Schema<WorkOrderDoc>(workOrderDefinition, { collection: 'hotlineWorkOrders', versionKey: false, id: false });
// The centre's open work orders, oldest first.
workOrderSchema.index({ organizationCode: 1, status: 1, receivedAt: 1 });

/** One status a work order reached, claimed by `<order>|<status>`: each step happens once however many ask at once. */
const workOrderStepClaimDefinition = { _id: { type: String, required: true }, at: { type: Date, required: true } };
export type WorkOrderStepClaimDoc = StoredDoc<typeof workOrderStepClaimDefinition>;
const workOrderStepClaimSchema = new Schema<WorkOrderStepClaimDoc>(workOrderStepClaimDefinition, {
  collection: 'hotlineWorkOrderSteps',
  versionKey: false,
  id: false,
});

export function registerModels(connection: Connection) {
  return {
    Resident: connection.model('Resident', residentSchema),
    ResidentIdentifier: connection.model('ResidentIdentifier', identifierSchema),
    MatchReview: connection.model('MatchReview', matchReviewSchema),
    MatchReviewDecision: connection.model('MatchReviewDecision', matchReviewDecisionSchema),
    ResidentVersionClaim: connection.model('ResidentVersionClaim', residentVersionClaimSchema),
    Organization: connection.model('Organization', organizationSchema),
    Encounter: connection.model('Encounter', encounterSchema),
    Condition: connection.model('Condition', conditionSchema),
    Allergy: connection.model('Allergy', allergySchema),
    HotlineCall: connection.model('HotlineCall', hotlineCallSchema),
    WorkOrder: connection.model('WorkOrder', workOrderSchema),
    WorkOrderStepClaim: connection.model('WorkOrderStepClaim', workOrderStepClaimSchema),
  };
}
export type RecordsModels = ReturnType<typeof registerModels>;
