/** The prescriptions subgraph's collection. */
import { Schema, type Connection } from 'mongoose';
import { codingSchema } from '../kit/coding-schema';
import type { CodingValue } from '../kit/entity-refs';
import { categoriesOf, SENSITIVE_CATEGORIES, sensitivityOfDrug, type SensitiveCategory } from '../kit/sensitivity';

export const PRESCRIPTION_STATUSES = ['DRAFT', 'SIGNED', 'APPROVED', 'REJECTED', 'ROUTED', 'DISPENSED', 'DELIVERED', 'CANCELLED', 'EXPIRED'] as const;

export interface PrescriptionItemDoc {
  drug: CodingValue;
  /** International non-proprietary name, e.g. metformin: what the drug is, across catalogues. */
  inn: string | null;
  dose: string;
  frequency: string;
  days: number;
}

export interface PrescriptionDoc {
  _id: string;
  residentId: string;
  organizationCode: string;
  issuedAt: Date;
  status: (typeof PRESCRIPTION_STATUSES)[number];
  items: PrescriptionItemDoc[];
  /** The sensitive categories its drugs reveal (derived at write time). */
  sensitivities: SensitiveCategory[];
}

const itemSchema = new Schema<PrescriptionItemDoc>(
  {
    drug: { type: codingSchema, required: true },
    inn: { type: String, default: null },
    dose: { type: String, required: true },
    frequency: { type: String, required: true },
    days: { type: Number, required: true, min: 1 },
  },
  { _id: false },
);

const prescriptionSchema = new Schema<PrescriptionDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    status: { type: String, enum: PRESCRIPTION_STATUSES, required: true },
    items: { type: [itemSchema], required: true },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
  },
  { collection: 'prescriptions', versionKey: false, id: false },
);
prescriptionSchema.index({ residentId: 1, issuedAt: -1 });

export function registerModels(connection: Connection) {
  return { Prescription: connection.model('Prescription', prescriptionSchema) };
}
export type PrescriptionsModels = ReturnType<typeof registerModels>;

/** Labels a prescription with what its drugs reveal. */
export function prescriptionSensitivities(items: { inn: string | null }[]): SensitiveCategory[] {
  return categoriesOf(items.map((item) => (item.inn ? sensitivityOfDrug(item.inn) : null)));
}
