/**
 * The access subgraph's store, shared by every subgraph through the kit: care relationships
 * (written where they arise, read by the policy) and the audit log (written by every
 * disclosure). Only this file and the access subgraph's models define these collections.
 */
import { idIn, oneOf, RECORDS_BATCH_SIZE } from './database';
import { Schema, type Connection } from 'mongoose';
import { DATA_KINDS, type CareRelationshipFact, type CareRelationshipKind, type ConsentFact } from './policy';
import { SENSITIVE_CATEGORIES, type SensitiveCategory } from './sensitivity';
import { PURPOSES, ROLES } from './viewer';

/** One kind of relationship between an organization and a resident. */
export interface RelationshipPeriod {
  since: Date;
  /** For encounters and registrations: the last one. */
  lastSeenAt: Date;
  /** For contracts and referrals: when it ended; null while open. */
  endsAt: Date | null;
  /** Where it came from: the subgraph and the record id there. */
  source: { subgraph: string; recordId: string };
}

type PeriodsByKind = Partial<Record<CareRelationshipKind, RelationshipPeriod>>;

/**
 * Everything that ties one organization to one resident, in one document keyed
 * `organization:resident`, so the policy's lookup for a resident is a primary-key read.
 */
export interface CareRelationshipDoc {
  _id: string;
  residentId: string;
  organizationCode: string;
  byKind: PeriodsByKind;
  /** Relationships of records merged into this resident, by merged id (an unmerge drops them). */
  inherited: Record<string, PeriodsByKind>;
}

export const relationshipKey = (organizationCode: string, residentId: string) => `${organizationCode}:${residentId}`;

/** The policy's view of a relationship document: one fact per kind, inherited ones included. */
export function factsOf(doc: CareRelationshipDoc): CareRelationshipFact[] {
  return [doc.byKind, ...Object.values(doc.inherited ?? {})].flatMap((periods) =>
    Object.entries(periods).map(([kind, period]) => ({
      residentId: doc.residentId,
      organizationCode: doc.organizationCode,
      kind: kind as CareRelationshipKind,
      since: period!.since,
      lastSeenAt: period!.lastSeenAt,
      endsAt: period!.endsAt ?? null,
    })),
  );
}

export const AUDIT_OUTCOMES = ['allowed', 'denied', 'omitted'] as const;

export interface AuditEventDoc {
  _id: string;
  at: Date;
  /** The gateway's id of the request. */
  requestId: string;
  /** The client's own request id, if it sent one: for correlation, never trusted as the key. */
  correlationId: string | null;
  /** write: the request was a mutation (events stored before writes were audited count as reads). */
  action: 'read' | 'write';
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
    // Keyed by kind (and by merged resident id): shapes the code writes, validated on the way in.
    byKind: { type: Schema.Types.Mixed, default: {} },
    inherited: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'careRelationships', versionKey: false, minimize: false },
);
// The policy reads by _id; a resident's (or a privacy officer's) view of everyone who may see the record by resident.
careRelationshipSchema.index({ residentId: 1 });

const auditEventSchema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    requestId: { type: String, required: true },
    correlationId: { type: String, default: null },
    action: { type: String, enum: ['read', 'write'], default: 'read' },
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
    const docs = await this.models.CareRelationship.find({ _id: idIn(residentIds.map((residentId) => relationshipKey(organizationCode, residentId))) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
    return docs.flatMap(factsOf);
  }

  async relationshipsOf(residentIds: readonly string[], organizationCode?: string): Promise<CareRelationshipFact[]> {
    if (organizationCode) return this.relationshipsWith(organizationCode, residentIds);
    const docs = await this.models.CareRelationship.find({ residentId: oneOf(residentIds) }).batchSize(RECORDS_BATCH_SIZE).lean<CareRelationshipDoc[]>().exec();
    return docs.flatMap(factsOf);
  }

  /**
   * Records that an organization cares for a resident. A later event of the same kind only
   * moves lastSeenAt forward (and sets the end of a contract or referral).
   */
  async recordCareRelationship(input: {
    residentId: string;
    organizationCode: string;
    kind: CareRelationshipKind;
    at: Date;
    endsAt?: Date | null;
    source: { subgraph: string; recordId: string };
  }): Promise<void> {
    const path = `byKind.${input.kind}`;
    await this.models.CareRelationship.updateOne(
      { _id: relationshipKey(input.organizationCode, input.residentId) },
      {
        $setOnInsert: { residentId: input.residentId, organizationCode: input.organizationCode, inherited: {} },
        $min: { [`${path}.since`]: input.at },
        $max: { [`${path}.lastSeenAt`]: input.at },
        $set: { [`${path}.endsAt`]: input.endsAt ?? null, [`${path}.source`]: input.source },
      },
      { upsert: true },
    ).exec();
  }

  /**
   * After a merge the survivor inherits the merged record's relationships (kept apart under
   * the merged id), so every subgraph decides on the survivor's id alone; unmerge drops them.
   */
  async inheritRelationships(fromResidentId: string, toResidentId: string): Promise<void> {
    const docs = await this.models.CareRelationship.find({ residentId: fromResidentId }).lean<CareRelationshipDoc[]>().exec();
    for (const doc of docs) {
      const periods: PeriodsByKind = Object.assign({}, ...Object.values(doc.inherited ?? {}), doc.byKind);
      await this.models.CareRelationship.updateOne(
        { _id: relationshipKey(doc.organizationCode, toResidentId) },
        { $setOnInsert: { residentId: toResidentId, organizationCode: doc.organizationCode, byKind: {} }, $set: { [`inherited.${fromResidentId}`]: periods } },
        { upsert: true },
      ).exec();
    }
  }

  async dropInherited(residentId: string, fromResidentId: string): Promise<void> {
    await this.models.CareRelationship.updateMany({ residentId }, { $unset: { [`inherited.${fromResidentId}`]: '' } }).exec();
  }

  async consentsOf(residentIds: readonly string[]): Promise<ConsentFact[]> {
    const docs = await this.models.Consent.find({ _id: idIn(residentIds) }).lean<ConsentDoc[]>().exec();
    return docs.map((doc) => ({ residentId: doc._id, restrictedCategories: doc.restrictedCategories, blockedOrganizations: doc.blockedOrganizations }));
  }

  async writeAuditEvents(events: AuditEventDoc[]): Promise<void> {
    if (events.length > 0) await this.models.AuditEvent.insertMany(events, { ordered: true, lean: true });
  }
}
