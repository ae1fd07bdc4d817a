/**
 * The prescriptions subgraph's collections: prescriptions (with their signature, review and
 * dispensing), the transitions of each (one document per state change: its _id claims the
 * change, so two concurrent changes of one prescription cannot both happen).
 */
import { type Connection, Schema } from 'mongoose';
import { SENSITIVE_CATEGORIES, type SensitiveCategory } from '../../access-control/sensitivity';
import { codingSchema } from '../runtime/coding-schema';
import type { CodingValue } from '../runtime/entity-refs';

export const PRESCRIPTION_STATUSES = [
  'DRAFT',
  'SIGNED',
  'APPROVED',
  'REJECTED',
  'ROUTED',
  'DISPENSED',
  'DELIVERED',
  'PICKED_UP',
  'CANCELLED',
  'EXPIRED',
] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

export interface PrescriptionItemDoc {
  drug: CodingValue;
  /** International non-proprietary name, e.g. metformin: what the drug is, across catalogues. */
  inn: string | null;
  strength: string;
  dose: number;
  doseUnit: string;
  route: string;
  frequency: string;
  days: number;
  quantity: number;
  instructions: string | null;
}

export interface PrescriptionDoc {
  _id: string;
  residentId: string;
  organizationCode: string;
  prescriberPractitioner: string | null;
  encounterId: string | null;
  diagnoses: CodingValue[];
  items: PrescriptionItemDoc[];
  /** Stored states only: EXPIRED is computed from validUntil when read. */
  status: Exclude<PrescriptionStatus, 'EXPIRED'>;
  /** Counts transitions; the next transition claims `<id>:<version + 1>`. */
  version: number;
  issuedAt: Date;
  validUntil: Date;
  renewal: boolean;
  pharmacyCode: string | null;
  delivery: { method: 'DELIVERY' | 'PICKUP'; address: string | null; phone: string | null } | null;
  signature: { contentHash: string; signer: string; signedAt: Date } | null;
  review: {
    pharmacist: string;
    pharmacyCode: string;
    outcome: 'APPROVED' | 'REJECTED';
    reason: string | null;
    acknowledgedWarnings: string[];
    at: Date;
  } | null;
  dispensing: { pharmacist: string; pharmacyCode: string; at: Date; lot: string; substitutions: string[] } | null;
  cancellation: { by: string; reason: string; at: Date } | null;
  /** The issuing system's request id and the content it sent: a retry must match. */
  clientRequestId: string;
  requestHash: string;
  /** The sensitive categories its drugs and diagnoses reveal (derived at write time; united with a fresh label on read). */
  sensitivities: SensitiveCategory[];
  /** Set for a prescription its hospital filed by upload (signed and dispensed there): the hospital's own id and when it arrived. */
  filed?: { sourceRecordId: string; uploadedAt: Date } | null;
}

export interface TransitionDoc {
  /** `<prescription id>:<version>`: claiming it is what makes the change happen once. */
  _id: string;
  prescriptionId: string;
  from: PrescriptionStatus | null;
  to: PrescriptionStatus;
  by: string;
  organizationCode: string | null;
  at: Date;
}

const itemSchema = new Schema<PrescriptionItemDoc>(
  {
    drug: { type: codingSchema, required: true },
    inn: { type: String, default: null },
    strength: { type: String, required: true },
    dose: { type: Number, required: true, min: 0 },
    doseUnit: { type: String, required: true },
    route: { type: String, required: true },
    frequency: { type: String, required: true },
    days: { type: Number, required: true, min: 1 },
    quantity: { type: Number, required: true, min: 1 },
    instructions: { type: String, default: null },
  },
  { _id: false },
);

const prescriptionSchema = new Schema<PrescriptionDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    prescriberPractitioner: { type: String, default: null },
    encounterId: { type: String, default: null },
    diagnoses: { type: [codingSchema], default: [] },
    items: { type: [itemSchema], required: true },
    status: { type: String, enum: PRESCRIPTION_STATUSES, required: true },
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
    clientRequestId: { type: String, required: true },
    requestHash: { type: String, required: true },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
    filed: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'prescriptions', versionKey: false, id: false },
);
prescriptionSchema.index({ residentId: 1, issuedAt: -1, _id: -1 });
// The active prescriptions of residents (duplicate-therapy checks): still valid at this moment.
prescriptionSchema.index({ residentId: 1, validUntil: 1 });
prescriptionSchema.index({ organizationCode: 1, issuedAt: -1, _id: -1 });
prescriptionSchema.index({ pharmacyCode: 1, issuedAt: -1, _id: -1 });

const transitionSchema = new Schema<TransitionDoc>(
  {
    _id: { type: String, required: true },
    prescriptionId: { type: String, required: true },
    from: { type: String, enum: [...PRESCRIPTION_STATUSES, null], default: null },
    to: { type: String, enum: PRESCRIPTION_STATUSES, required: true },
    by: { type: String, required: true },
    organizationCode: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'prescriptionTransitions', versionKey: false, id: false },
);
transitionSchema.index({ prescriptionId: 1 });

export function registerModels(connection: Connection) {
  return {
    Prescription: connection.model('Prescription', prescriptionSchema),
    Transition: connection.model('PrescriptionTransition', transitionSchema),
  };
}
export type PrescriptionsModels = ReturnType<typeof registerModels>;
