/** The prescriptions subgraph's collection. */
import { Schema, type Connection } from 'mongoose';
import { codingSchema } from '../kit/coding-schema';
import type { CodingValue } from '../kit/entity-refs';

export const PRESCRIPTION_STATUSES = ['DRAFT', 'SIGNED', 'APPROVED', 'REJECTED', 'ROUTED', 'DISPENSED', 'DELIVERED', 'CANCELLED', 'EXPIRED'] as const;

export interface PrescriptionItemDoc {
  drug: CodingValue;
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
}

const itemSchema = new Schema<PrescriptionItemDoc>(
  {
    drug: { type: codingSchema, required: true },
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
  },
  { collection: 'prescriptions', versionKey: false, id: false },
);
prescriptionSchema.index({ residentId: 1, issuedAt: -1 });

export function registerModels(connection: Connection) {
  return { Prescription: connection.model('Prescription', prescriptionSchema) };
}
export type PrescriptionsModels = ReturnType<typeof registerModels>;
