/**
 * The access subgraph's store, shared by every subgraph through the kit: care relationships
 * (written where they arise, read by the policy) and the audit log (written by every
 * disclosure). Only this file and the access subgraph's models define these collections.
 */
import { oneOf, RECORDS_BATCH_SIZE } from './database';
import { Schema, type Connection } from 'mongoose';
import { CARE_RELATIONSHIP_KINDS, DATA_KINDS, type CareRelationshipFact, type CareRelationshipKind } from './policy';
import { PURPOSES, ROLES } from './viewer';

export interface CareRelationshipDoc extends CareRelationshipFact {
  _id: string;
  /** Where the relationship came from: the subgraph and the record id there. */
  source: { subgraph: string; recordId: string };
}

export interface AuditEventDoc {
  _id: string;
  at: Date;
  requestId: string;
  subgraph: string;
  subject: string;
  roles: string[];
  organizationCode: string | null;
  purposeOfUse: string;
  residentId: string;
  dataKinds: string[];
  outcome: 'allowed' | 'denied';
}

const careRelationshipSchema = new Schema<CareRelationshipDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    kind: { type: String, enum: CARE_RELATIONSHIP_KINDS, required: true },
    since: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    source: { subgraph: { type: String, required: true }, recordId: { type: String, required: true } },
  },
  { collection: 'careRelationships', versionKey: false },
);
// The policy's one query: this organization's relationships with these residents.
careRelationshipSchema.index({ organizationCode: 1, residentId: 1 });
// A resident's (or a privacy officer's) view of everyone who may see the record.
careRelationshipSchema.index({ residentId: 1 });

const auditEventSchema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    requestId: { type: String, required: true },
    subgraph: { type: String, required: true },
    subject: { type: String, required: true },
    roles: { type: [{ type: String, enum: ROLES }], required: true },
    organizationCode: { type: String, default: null },
    purposeOfUse: { type: String, enum: PURPOSES, required: true },
    residentId: { type: String, required: true },
    dataKinds: { type: [{ type: String, enum: DATA_KINDS }], required: true },
    outcome: { type: String, enum: ['allowed', 'denied'], required: true },
  },
  { collection: 'auditEvents', versionKey: false },
);
auditEventSchema.index({ residentId: 1, at: -1 });

export type AccessStoreModels = ReturnType<typeof registerAccessStoreModels>;

export function registerAccessStoreModels(connection: Connection) {
  return {
    CareRelationship: connection.model('CareRelationship', careRelationshipSchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
  };
}

/** Reads and writes of the shared access store, used by the kit on behalf of every subgraph. */
export class AccessStore {
  constructor(private readonly models: AccessStoreModels) {}

  relationshipsWith(organizationCode: string, residentIds: readonly string[]): Promise<CareRelationshipFact[]> {
    return this.models.CareRelationship.find({ organizationCode, residentId: oneOf(residentIds) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
  }

  /**
   * Records that an organization cares for a resident. One document per organization,
   * resident and kind: a later encounter only moves lastSeenAt forward.
   */
  async recordCareRelationship(input: {
    residentId: string;
    organizationCode: string;
    kind: CareRelationshipKind;
    at: Date;
    endsAt?: Date | null;
    source: { subgraph: string; recordId: string };
  }): Promise<void> {
    const _id = `${input.organizationCode}:${input.residentId}:${input.kind}`;
    await this.models.CareRelationship.updateOne(
      { _id },
      {
        $setOnInsert: { residentId: input.residentId, organizationCode: input.organizationCode, kind: input.kind, since: input.at },
        $max: { lastSeenAt: input.at },
        $set: { endsAt: input.endsAt ?? null, source: input.source },
      },
      { upsert: true },
    ).exec();
  }

  /**
   * After a merge the survivor inherits the merged record's relationships, so every
   * subgraph decides on the survivor's id alone. The copies carry `marker` as their source
   * record, and an unmerge removes exactly those.
   */
  async copyRelationships(fromResidentId: string, toResidentId: string, marker: string): Promise<void> {
    const facts = await this.models.CareRelationship.find({ residentId: fromResidentId }).lean<CareRelationshipDoc[]>().exec();
    const copies = facts.map(({ _id: _ignored, ...fact }) => ({
      ...fact,
      _id: `${fact.organizationCode}:${toResidentId}:${fact.kind}:${marker}`,
      residentId: toResidentId,
      source: { subgraph: 'records', recordId: marker },
    }));
    if (copies.length > 0) await this.models.CareRelationship.insertMany(copies, { ordered: false, lean: true }).catch(ignoreDuplicates);
  }

  async removeRelationshipCopies(residentId: string, marker: string): Promise<void> {
    await this.models.CareRelationship.deleteMany({ residentId, 'source.recordId': marker }).exec();
  }

  async writeAuditEvents(events: AuditEventDoc[]): Promise<void> {
    if (events.length > 0) await this.models.AuditEvent.insertMany(events, { ordered: true, lean: true });
  }
}

/** A copy that already exists is fine (a merge retried); anything else is a real failure. */
function ignoreDuplicates(error: { code?: number; writeErrors?: { code?: number }[] }): void {
  const codes = error.writeErrors?.map((writeError) => writeError.code) ?? [error.code];
  if (!codes.every((code) => code === 11000)) throw error;
}
