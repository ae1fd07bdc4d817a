/**
 * The prescriptions subgraph's collections: prescriptions (with their signature, review and
 * dispensing), the transitions of each (one document per state change: its _id claims the
 * change, so two concurrent changes of one prescription cannot both happen), and the safety
 * snapshots shown to pharmacists.
 */
import { type Connection, Schema } from 'mongoose';
import { SENSITIVE_CATEGORIES } from '../../access-control/sensitivity';
import type { StoredDoc, WithMixedPaths } from '../../platform/stored-doc';
import { codingSchema } from '../runtime/coding-schema';

/** The states a prescription is stored in: EXPIRED is computed from validUntil when read. */
const STORED_PRESCRIPTION_STATUSES = ['DRAFT', 'SIGNED', 'APPROVED', 'REJECTED', 'ROUTED', 'DISPENSED', 'DELIVERED', 'PICKED_UP', 'CANCELLED'] as const;
export const PRESCRIPTION_STATUSES = [...STORED_PRESCRIPTION_STATUSES, 'EXPIRED'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

const itemDefinition = {
  drug: { type: codingSchema, required: true },
  /** International non-proprietary name, e.g. metformin: what the drug is, across catalogues. */
  inn: { type: String, default: null },
  strength: { type: String, required: true },
  dose: { type: Number, required: true, min: 0 },
  doseUnit: { type: String, required: true },
  route: { type: String, required: true },
  frequency: { type: String, required: true },
  days: { type: Number, required: true, min: 1 },
  quantity: { type: Number, required: true, min: 1 },
  instructions: { type: String, default: null },
};
export type PrescriptionItemDoc = StoredDoc<typeof itemDefinition>;
const itemSchema = new Schema<PrescriptionItemDoc>(itemDefinition, { _id: false });

const prescriptionDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  organizationCode: { type: String, required: true },
  prescriberPractitioner: { type: String, default: null },
  encounterId: { type: String, default: null },
  diagnoses: { type: [codingSchema], default: [] },
  items: { type: [itemSchema], required: true },
  status: { type: String, enum: STORED_PRESCRIPTION_STATUSES, required: true },
  /** Counts transitions; the next transition claims `<id>:<version + 1>`. */
  version: { type: Number, default: 1 },
  issuedAt: { type: Date, required: true },
  validUntil: { type: Date, required: true },
  renewal: { type: Boolean, default: false },
  pharmacyCode: { type: String, default: null },
  delivery: { type: Schema.Types.Mixed, default: null },
  signature: { type: Schema.Types.Mixed, default: null },
  review: { type: Schema.Types.Mixed, default: null },
  dispensing: { type: Schema.Types.Mixed, default: null },
  cancellation: { type: Schema.Types.Mixed, default: null },
  /** The issuing system's request id and the content it sent: a retry must match. */
  clientRequestId: { type: String, required: true },
  requestHash: { type: String, required: true },
  /** The sensitive categories its drugs and diagnoses reveal (derived at write time; united with a fresh label on read). */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
  /** Set for a prescription its hospital filed by upload (signed and dispensed there): the hospital's own id and when it arrived. */
  filed: { type: Schema.Types.Mixed, default: null },
};
/** The `Mixed` paths, each set whole by one step of the workflow, typed by hand (mongoose infers `any`). */
type PrescriptionStepPaths = {
  delivery: { method: 'DELIVERY' | 'PICKUP'; address: string | null; phone: string | null } | null;
  signature: { contentHash: string; signer: string; signedAt: Date } | null;
  review: {
    pharmacist: string;
    pharmacyCode: string;
    outcome: 'APPROVED' | 'REJECTED';
    reason: string | null;
    acknowledgedWarnings: string[];
    at: Date;
    /** The safety snapshot an approval named (absent on reviews stored before snapshots, null when facts were sent). */
    safetySnapshot?: string | null;
  } | null;
  dispensing: { pharmacist: string; pharmacyCode: string; at: Date; lot: string; substitutions: string[] } | null;
  cancellation: { by: string; reason: string; at: Date } | null;
  /** Absent on prescriptions stored before uploads were filed. */
  filed?: { sourceRecordId: string; uploadedAt: Date } | null;
};
export type PrescriptionDoc = WithMixedPaths<StoredDoc<typeof prescriptionDefinition>, PrescriptionStepPaths>;
const prescriptionSchema = new Schema<PrescriptionDoc>(prescriptionDefinition, { collection: 'prescriptions', versionKey: false, id: false });
prescriptionSchema.index({ residentId: 1, issuedAt: -1, _id: -1 });
// The active prescriptions of residents (duplicate-therapy checks): still valid at this moment.
prescriptionSchema.index({ residentId: 1, validUntil: 1 });
prescriptionSchema.index({ organizationCode: 1, issuedAt: -1, _id: -1 });
prescriptionSchema.index({ pharmacyCode: 1, issuedAt: -1, _id: -1 });

const transitionDefinition = {
  /** `<prescription id>:<version>`: claiming it is what makes the change happen once. */
  _id: { type: String, required: true },
  prescriptionId: { type: String, required: true },
  from: { type: String, enum: [...PRESCRIPTION_STATUSES, null], default: null },
  to: { type: String, enum: PRESCRIPTION_STATUSES, required: true },
  by: { type: String, required: true },
  organizationCode: { type: String, default: null },
  at: { type: Date, required: true },
};
export type TransitionDoc = StoredDoc<typeof transitionDefinition>;
const transitionSchema = new Schema<TransitionDoc>(transitionDefinition, { collection: 'prescriptionTransitions', versionKey: false, id: false });
transitionSchema.index({ prescriptionId: 1 });

const safetySnapshotDefinition = {
  /** 32 random hex characters: what the pharmacist's review names. */
  _id: { type: String, required: true },
  prescriptionId: { type: String, required: true },
  /** Who took it (actorOf) and at which pharmacy: only they may name it. */
  takenBy: { type: String, required: true },
  organizationCode: { type: String, required: true },
  takenAt: { type: Date, required: true },
  /** Null when the record's facts could not be read. */
  facts: { type: Schema.Types.Mixed, default: null },
  /** The facts' version as records stated it (SafetyFacts.version). */
  version: { type: String, default: null },
  /** The active prescriptions the duplicate-therapy check counted, sorted. */
  activeIds: { type: [String], default: [] },
};
type SafetySnapshotPaths = { facts: { allergyGroups: { group: string; criticality: string }[]; diagnosisCodes: string[] } | null };
export type SafetySnapshotDoc = WithMixedPaths<StoredDoc<typeof safetySnapshotDefinition>, SafetySnapshotPaths>;
/** What the server showed a pharmacist about a prescription's safety, kept so that the review names it instead of sending it back. */
const safetySnapshotSchema = new Schema<SafetySnapshotDoc>(safetySnapshotDefinition, {
  collection: 'prescriptionSafetySnapshots',
  versionKey: false,
  id: false,
});

export function registerModels(connection: Connection) {
  return {
    Prescription: connection.model('Prescription', prescriptionSchema),
    Transition: connection.model('PrescriptionTransition', transitionSchema),
    SafetySnapshot: connection.model('PrescriptionSafetySnapshot', safetySnapshotSchema),
  };
}
export type PrescriptionsModels = ReturnType<typeof registerModels>;
