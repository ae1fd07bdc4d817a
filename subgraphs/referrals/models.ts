/** The referrals subgraph's collection. */
import { Schema, type Connection } from 'mongoose';

export const REFERRAL_STATUSES = ['REQUESTED', 'ACCEPTED', 'REJECTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED', 'CANCELLED', 'EXPIRED'] as const;

export interface ReferralDoc {
  _id: string;
  residentId: string;
  fromOrganizationCode: string;
  toOrganizationCode: string;
  toDepartment: string;
  reason: string;
  status: (typeof REFERRAL_STATUSES)[number];
  requestedAt: Date;
}

const referralSchema = new Schema<ReferralDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    fromOrganizationCode: { type: String, required: true },
    toOrganizationCode: { type: String, required: true },
    toDepartment: { type: String, required: true },
    reason: { type: String, required: true },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    requestedAt: { type: Date, required: true },
  },
  { collection: 'referrals', versionKey: false, id: false },
);
referralSchema.index({ residentId: 1, requestedAt: -1 });

export function registerModels(connection: Connection) {
  return { Referral: connection.model('Referral', referralSchema) };
}
export type ReferralsModels = ReturnType<typeof registerModels>;
