/**
 * The access subgraph's store, shared by every subgraph through the kit: care relationships
 * (written where they arise, read by the policy) and the audit log (written by every
 * disclosure). Only this file and the access subgraph's models define these collections.
 */
import { idIn, oneOf, RECORDS_BATCH_SIZE } from './database';
import { Schema, type Connection } from 'mongoose';
import { CARE_RELATIONSHIP_KINDS, DATA_KINDS, type CareRelationshipFact, type CareRelationshipKind, type ConsentFact } from './policy';
import { SENSITIVE_CATEGORIES, type SensitiveCategory } from './sensitivity';
import { PURPOSES, ROLES } from './viewer';

/**
 * One care relationship: one document per source (a registration at an organization, each
 * referral, each contract, each dispensing, each emergency grant), each ending on its own. The
 * policy allows while any holds.
 */
export interface CareRelationshipDoc {
  /** `<kind>|<organization>|<subgraph>/<record id>`: the same source always lands on the same fact. */
  _id: string;
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  /** Break-the-glass: the practitioner the grant belongs to; null otherwise. */
  practitionerId: string | null;
  since: Date;
  /** For registrations: the last one. */
  lastSeenAt: Date;
  /** When it ends; null while open. */
  endsAt: Date | null;
  /** Where it came from: the subgraph and the record id there. */
  source: { subgraph: string; recordId: string };
  /** A fact of a record merged into this resident, copied on merge (an unmerge drops it). */
  inheritedFrom: string | null;
}

export interface RelationshipSource {
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  source: { subgraph: string; recordId: string };
}

export const relationshipKey = ({ kind, organizationCode, source }: Omit<RelationshipSource, 'residentId'>) => `${kind}|${organizationCode}|${source.subgraph}/${source.recordId}`;

/** A relationship document as the store keeps it (for seeds and fixtures written straight to the database). */
export function careRelationshipDoc(input: RelationshipSource & { since: Date; lastSeenAt?: Date; endsAt?: Date | null; practitionerId?: string | null }): CareRelationshipDoc {
  return {
    _id: relationshipKey(input),
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    kind: input.kind,
    practitionerId: input.practitionerId ?? null,
    since: input.since,
    lastSeenAt: input.lastSeenAt ?? input.since,
    endsAt: input.endsAt ?? null,
    source: input.source,
    inheritedFrom: null,
  };
}

/** The policy's view of a relationship document. */
export function factOf(doc: CareRelationshipDoc): CareRelationshipFact {
  return {
    residentId: doc.residentId,
    organizationCode: doc.organizationCode,
    kind: doc.kind,
    since: doc.since,
    lastSeenAt: doc.lastSeenAt,
    endsAt: doc.endsAt ?? null,
    practitionerId: doc.practitionerId ?? null,
    source: doc.source,
  };
}

export const AUDIT_OUTCOMES = ['allowed', 'denied', 'omitted'] as const;

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
  /** omitted: the record was shown without items the resident restricted. */
  outcome: (typeof AUDIT_OUTCOMES)[number];
  /** A security alert (break-the-glass): privacy officers are told at once. */
  alert: boolean;
}

/** A resident's consent: categories kept private and organizations kept out; _id is the resident id. */
export interface ConsentDoc {
  _id: string;
  restrictedCategories: SensitiveCategory[];
  blockedOrganizations: string[];
  updatedAt: Date;
}

const careRelationshipSchema = new Schema<CareRelationshipDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    kind: { type: String, enum: CARE_RELATIONSHIP_KINDS, required: true },
    practitionerId: { type: String, default: null },
    since: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    source: { subgraph: { type: String, required: true }, recordId: { type: String, required: true } },
    inheritedFrom: { type: String, default: null },
  },
  { collection: 'careRelationships', versionKey: false },
);
// The policy's lookup: one organization's facts about a batch of residents, one query per request.
careRelationshipSchema.index({ organizationCode: 1, residentId: 1 });
// A resident's (or a privacy officer's) view of everyone who may see the record; merges.
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
    outcome: { type: String, enum: AUDIT_OUTCOMES, required: true },
    alert: { type: Boolean, default: false },
  },
  { collection: 'auditEvents', versionKey: false },
);
// A resident's log, and the privacy officers' searches by organization, staff member or time.
auditEventSchema.index({ residentId: 1, at: -1 });
auditEventSchema.index({ organizationCode: 1, at: -1 });
auditEventSchema.index({ subject: 1, at: -1 });
auditEventSchema.index({ at: -1 });

const consentSchema = new Schema<ConsentDoc>(
  {
    _id: { type: String, required: true },
    restrictedCategories: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
    blockedOrganizations: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'consents', versionKey: false },
);

export type AccessStoreModels = ReturnType<typeof registerAccessStoreModels>;

export function registerAccessStoreModels(connection: Connection) {
  return {
    CareRelationship: connection.model('CareRelationship', careRelationshipSchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
    Consent: connection.model('Consent', consentSchema),
  };
}

/** Reads and writes of the shared access store, used by the kit on behalf of every subgraph. */
export class AccessStore {
  constructor(private readonly models: AccessStoreModels) {}

  async relationshipsWith(organizationCode: string, residentIds: readonly string[]): Promise<CareRelationshipFact[]> {
    if (residentIds.length === 0) return [];
    const docs = await this.models.CareRelationship.find({ organizationCode, residentId: oneOf(residentIds) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
    return docs.map(factOf);
  }

  async relationshipsOf(residentIds: readonly string[], organizationCode?: string): Promise<CareRelationshipFact[]> {
    if (organizationCode) return this.relationshipsWith(organizationCode, residentIds);
    const docs = await this.models.CareRelationship.find({ residentId: oneOf(residentIds) }).batchSize(RECORDS_BATCH_SIZE).lean<CareRelationshipDoc[]>().exec();
    return docs.map(factOf);
  }

  /**
   * Records a relationship where it arises. The same source again only moves lastSeenAt
   * forward and sets its end; other sources are other facts.
   */
  async recordCareRelationship(input: RelationshipSource & { at: Date; endsAt?: Date | null; practitionerId?: string | null }): Promise<void> {
    await this.models.CareRelationship.updateOne(
      { _id: relationshipKey(input) },
      {
        $setOnInsert: { residentId: input.residentId, organizationCode: input.organizationCode, kind: input.kind, practitionerId: input.practitionerId ?? null, source: input.source, inheritedFrom: null },
        $min: { since: input.at },
        $max: { lastSeenAt: input.at },
        $set: { endsAt: input.endsAt ?? null },
      },
      { upsert: true },
    ).exec();
  }

  /** Ends the facts of these sources (those that exist) at `endsAt`; other sources are untouched. */
  async endCareRelationships(sources: readonly Omit<RelationshipSource, 'residentId'>[], endsAt: Date): Promise<void> {
    if (sources.length === 0) return;
    await this.models.CareRelationship.updateMany({ _id: idIn(sources.map(relationshipKey)) }, { $set: { endsAt } }).exec();
  }

  /**
   * After a merge the survivor inherits the merged record's relationships (copies marked with
   * the merged id), so every subgraph decides on the survivor's id alone; unmerge drops them.
   */
  async inheritRelationships(fromResidentId: string, toResidentId: string): Promise<void> {
    const docs = await this.models.CareRelationship.find({ residentId: fromResidentId }).lean<CareRelationshipDoc[]>().exec();
    for (const doc of docs) {
      const copy: CareRelationshipDoc = { ...doc, _id: `${doc._id}|merged:${toResidentId}`, residentId: toResidentId, inheritedFrom: fromResidentId };
      await this.models.CareRelationship.replaceOne({ _id: copy._id }, copy, { upsert: true }).exec();
    }
  }

  async dropInherited(residentId: string, fromResidentId: string): Promise<void> {
    await this.models.CareRelationship.deleteMany({ residentId, inheritedFrom: fromResidentId }).exec();
  }

  async consentsOf(residentIds: readonly string[]): Promise<ConsentFact[]> {
    const docs = await this.models.Consent.find({ _id: idIn(residentIds) }).lean<ConsentDoc[]>().exec();
    return docs.map((doc) => ({ residentId: doc._id, restrictedCategories: doc.restrictedCategories, blockedOrganizations: doc.blockedOrganizations }));
  }

  async writeAuditEvents(events: AuditEventDoc[]): Promise<void> {
    if (events.length > 0) await this.models.AuditEvent.insertMany(events, { ordered: true, lean: true });
  }
}
