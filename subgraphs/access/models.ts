/**
 * The access subgraph's collections. Care relationships, consents and audit events have
 * their schemas in the kit because every subgraph reads or writes them; this subgraph owns
 * the database and the break-the-glass reviews.
 */
import { type Connection, Schema } from 'mongoose';
import { registerAccessStoreModels } from '../../access-control/access-store';
import type { StoredDoc } from '../../platform/stored-doc';

export type { AuditEventDoc, ConsentDoc } from '../../access-control/access-store';

export const BREAK_GLASS_REASONS = ['UNCONSCIOUS_PATIENT', 'LIFE_THREATENING_EMERGENCY', 'PATIENT_UNABLE_TO_CONSENT', 'OTHER'] as const;

const breakGlassReviewDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  organizationCode: { type: String, required: true },
  subject: { type: String, required: true },
  reason: { type: String, enum: BREAK_GLASS_REASONS, required: true },
  justification: { type: String, required: true },
  grantedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  requestId: { type: String, required: true },
  status: { type: String, enum: ['OPEN', 'CLOSED'] as const, required: true },
  outcome: { type: String, enum: ['JUSTIFIED', 'UNJUSTIFIED', null] as const, default: null },
  note: { type: String, default: null },
  closedBy: { type: String, default: null },
  closedAt: { type: Date, default: null },
  /** The asking system's request id (the review's _id derives from it) and a hash of what it asked: a retry must match. */
  clientRequestId: { type: String, default: null },
  requestHash: { type: String, default: null },
};
/** Reviews stored before the request id and hash were kept lack them. */
export type BreakGlassReviewDoc = StoredDoc<typeof breakGlassReviewDefinition, 'clientRequestId' | 'requestHash'>;
const breakGlassReviewSchema = new Schema<BreakGlassReviewDoc>(breakGlassReviewDefinition, {
  collection: 'breakGlassReviews',
  versionKey: false,
  id: false,
});
breakGlassReviewSchema.index({ status: 1, grantedAt: -1, _id: -1 });

export function registerModels(connection: Connection) {
  return { ...registerAccessStoreModels(connection), BreakGlassReview: connection.model('BreakGlassReview', breakGlassReviewSchema) };
}
export type AccessModels = ReturnType<typeof registerModels>;
