/**
 * The access subgraph's store, shared by every subgraph through the kit: care relationships
 * (written where they arise, read by the policy) and the audit log (written by every
 * disclosure). Only this file and the access subgraph's models define these collections.
 */

import { randomUUID } from 'node:crypto';
import { type Connection, Schema } from 'mongoose';
import { idIn, oneOf, RECORDS_BATCH_SIZE, upsertById } from '../platform/database';
import { isDuplicateKey } from '../platform/errors';
import {
  CARE_RELATIONSHIP_KINDS,
  type CareRelationshipFact,
  type CareRelationshipKind,
  type ConsentFact,
  DATA_KINDS,
  ROOT_OF_KIND,
  STANDING_ROOT_KINDS,
  type StandingRoot,
} from './policy';
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
  /** For registrations: the latest care (a visit) the organization recorded; null until care follows. */
  careSeenAt: Date | null;
  /** When it ends; null while open. */
  endsAt: Date | null;
  /** Where it came from: the subgraph and the record id there. */
  source: { subgraph: string; recordId: string };
  /** The legitimate root it rests on (see StandingRoot). */
  root: StandingRoot;
}

/**
 * A resident id merged into another: every subgraph resolves it to the survivor before it
 * decides or queries, and finds the survivor's records filed under it. _id is the merged id.
 */
export interface ResidentAliasDoc {
  _id: string;
  survivorId: string;
  at: Date;
}

/** Who a resident id stands for now, and every id the survivor's records may be filed under. */
export interface ResidentIdentity {
  survivorId: string;
  filedUnder: string[];
}

export interface RelationshipSource {
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  source: { subgraph: string; recordId: string };
}

/** A new fact: its source, when, its end, and the root it rests on. */
export type NewRelationship = RelationshipSource & { at: Date; endsAt?: Date | null; practitionerId?: string | null; root: StandingRoot };

/** A visit an organization recorded for a resident: care that keeps its registration's standing. */
export interface CareSeen {
  residentId: string;
  organizationCode: string;
  at: Date;
}

export const relationshipKey = ({ kind, organizationCode, source }: Omit<RelationshipSource, 'residentId'>) =>
  `${kind}|${organizationCode}|${source.subgraph}/${source.recordId}`;

/**
 * A relationship document as the store keeps it (for seeds and fixtures written straight to the
 * database). Without a root given, it rests on the root its kind has, as `basis` says.
 */
export function careRelationshipDoc(
  input: RelationshipSource & {
    since: Date;
    lastSeenAt?: Date;
    careSeenAt?: Date | null;
    endsAt?: Date | null;
    practitionerId?: string | null;
    root?: StandingRoot;
    basis?: string;
  },
): CareRelationshipDoc {
  return {
    _id: relationshipKey(input),
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    kind: input.kind,
    practitionerId: input.practitionerId ?? null,
    since: input.since,
    lastSeenAt: input.lastSeenAt ?? input.since,
    careSeenAt: input.careSeenAt ?? null,
    endsAt: input.endsAt ?? null,
    source: input.source,
    root: input.root ?? { kind: ROOT_OF_KIND[input.kind], organizationCode: input.organizationCode, basis: input.basis ?? 'WRITTEN_DIRECTLY' },
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
    careSeenAt: doc.careSeenAt ?? null,
    endsAt: doc.endsAt ?? null,
    practitionerId: doc.practitionerId ?? null,
    source: doc.source,
    root: doc.root,
  };
}

export const AUDIT_OUTCOMES = ['allowed', 'denied', 'omitted'] as const;

/** Told of every batch of audit events, written or not (audit-metrics.ts counts them). */
export type AuditObserver = (events: readonly AuditEventDoc[], written: boolean) => void;

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
    kind: { type: String, enum: CARE_RELATIONSHIP_KINDS, required: true },
    practitionerId: { type: String, default: null },
    since: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    careSeenAt: { type: Date, default: null },
    endsAt: { type: Date, default: null },
    source: { subgraph: { type: String, required: true }, recordId: { type: String, required: true } },
    root: {
      kind: { type: String, enum: STANDING_ROOT_KINDS, required: true },
      organizationCode: { type: String, default: null },
      basis: { type: String, required: true },
    },
  },
  { collection: 'careRelationships', versionKey: false },
);
// The policy's lookup: one organization's facts about a batch of residents, one query per request.
careRelationshipSchema.index({ organizationCode: 1, residentId: 1 });
// A resident's (or a privacy officer's) view of everyone who may see the record.
careRelationshipSchema.index({ residentId: 1 });
// The privacy officers' report of registrations no care followed, per organization.
careRelationshipSchema.index({ kind: 1, careSeenAt: 1, lastSeenAt: -1, organizationCode: 1 });

const residentAliasSchema = new Schema<ResidentAliasDoc>(
  { _id: { type: String, required: true }, survivorId: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'residentAliases', versionKey: false },
);
// A survivor's merged ids (the records filed under them are the survivor's).
residentAliasSchema.index({ survivorId: 1 });

/** Clinical records other subgraphs may refer to (referral attachments), and whom they are filed under. */
export const RECORD_KINDS = ['encounter', 'lab-report'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Which resident a clinical record is filed under; _id is `<kind>:<record id>`. */
export interface RecordOwnerDoc {
  _id: string;
  residentId: string;
}

export const recordOwnerKey = (kind: RecordKind, recordId: string) => `${kind}:${recordId}`;

const recordOwnerSchema = new Schema<RecordOwnerDoc>(
  { _id: { type: String, required: true }, residentId: { type: String, required: true } },
  { collection: 'recordOwners', versionKey: false },
);

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
auditEventSchema.index({ residentId: 1, at: -1, _id: -1 });
auditEventSchema.index({ organizationCode: 1, at: -1, _id: -1 });
auditEventSchema.index({ subject: 1, at: -1, _id: -1 });
auditEventSchema.index({ at: -1, _id: -1 });
// A resident's log unites each request's events, from every subgraph, into one entry.
auditEventSchema.index({ residentId: 1, requestId: 1 });

const consentSchema = new Schema<ConsentDoc>(
  {
    _id: { type: String, required: true },
    restrictedCategories: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
    blockedOrganizations: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'consents', versionKey: false },
);

/**
 * A change of what prescriptions' safety depends on (an allergy or a condition filed), per
 * resident, recording organization and consent label; `nonce` is new at every change. A
 * pharmacist's safety snapshot names the version these made (safety-version.ts).
 */
export interface SafetyChangeDoc {
  /** `<resident>|<organization>|<categories>`: one note per label, rewritten at each change. */
  _id: string;
  residentId: string;
  organizationCode: string;
  categories: SensitiveCategory[];
  nonce: string;
}

/** What a change note records: whose facts changed, where, under which consent label. */
export type SafetyChange = Omit<SafetyChangeDoc, '_id' | 'nonce'>;

const safetyChangeSchema = new Schema<SafetyChangeDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    categories: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
    nonce: { type: String, required: true },
  },
  { collection: 'safetyChanges', versionKey: false },
);
safetyChangeSchema.index({ residentId: 1 });

export type AccessStoreModels = ReturnType<typeof registerAccessStoreModels>;

export function registerAccessStoreModels(connection: Connection) {
  return {
    CareRelationship: connection.model('CareRelationship', careRelationshipSchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
    Consent: connection.model('Consent', consentSchema),
    ResidentAlias: connection.model('ResidentAlias', residentAliasSchema),
    RecordOwner: connection.model('RecordOwner', recordOwnerSchema),
    SafetyChange: connection.model('SafetyChange', safetyChangeSchema),
  };
}

/** Reads and writes of the shared access store, used by the kit on behalf of every subgraph. */
export class AccessStore {
  constructor(
    private readonly models: AccessStoreModels,
    /** Told of every batch of audit events, written or not (the service's metrics). */
    private readonly onAudit?: AuditObserver,
  ) {}

  async relationshipsWith(organizationCode: string, residentIds: readonly string[]): Promise<CareRelationshipFact[]> {
    if (residentIds.length === 0) return [];
    const docs = await this.models.CareRelationship.find({ organizationCode, residentId: oneOf(residentIds) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
    return docs.map(factOf);
  }

  /** Every family-doctor contract an organization holds (any resident's), for the organization's own lists; by resident. */
  async contractsWith(organizationCode: string): Promise<CareRelationshipFact[]> {
    const docs = await this.models.CareRelationship.find({ organizationCode, kind: 'CONTRACT' })
      .sort({ residentId: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
    return docs.map(factOf);
  }

  async relationshipsOf(residentIds: readonly string[], organizationCode?: string): Promise<CareRelationshipFact[]> {
    if (organizationCode) return this.relationshipsWith(organizationCode, residentIds);
    const docs = await this.models.CareRelationship.find({ residentId: oneOf(residentIds) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<CareRelationshipDoc[]>()
      .exec();
    return docs.map(factOf);
  }

  /**
   * Records a relationship where it arises. The same source again only moves lastSeenAt
   * forward and sets its end; other sources are other facts.
   */
  async recordCareRelationship(input: NewRelationship): Promise<void> {
    await upsertById(() =>
      this.models.CareRelationship.updateOne(
        { _id: relationshipKey(input) },
        {
          $setOnInsert: {
            residentId: input.residentId,
            organizationCode: input.organizationCode,
            kind: input.kind,
            practitionerId: input.practitionerId ?? null,
            source: input.source,
            root: input.root,
            careSeenAt: null,
          },
          $min: { since: input.at },
          $max: { lastSeenAt: input.at },
          $set: { endsAt: input.endsAt ?? null },
        },
        { upsert: true },
      ).exec(),
    );
  }

  /** Care recorded at these registrations (by key): each keeps its latest. One bulk write. */
  async noteCare(seen: readonly { keys: readonly string[]; at: Date }[]): Promise<void> {
    if (seen.length === 0) return;
    const operations = seen.map(({ keys, at }) => ({ updateMany: { filter: { _id: idIn(keys) }, update: { $max: { careSeenAt: at } } } }));
    await this.models.CareRelationship.bulkWrite(operations, { ordered: false });
  }

  /** Ends the facts of these sources (those that exist) at `endsAt`; other sources are untouched. */
  async endCareRelationships(sources: readonly Omit<RelationshipSource, 'residentId'>[], endsAt: Date): Promise<void> {
    if (sources.length === 0) return;
    await this.models.CareRelationship.updateMany({ _id: idIn(sources.map(relationshipKey)) }, { $set: { endsAt } }).exec();
  }

  /**
   * Records a merge for every subgraph: the merged id (and the ids merged into it before)
   * now stand for the survivor, whose relationships, consent and records include theirs.
   */
  /** Notes whom a record is filed under, so that other subgraphs can check references to it. */
  async noteRecordOwner(kind: RecordKind, recordId: string, residentId: string): Promise<void> {
    await upsertById(() => this.models.RecordOwner.updateOne({ _id: recordOwnerKey(kind, recordId) }, { $set: { residentId } }, { upsert: true }).exec());
  }

  /**
   * noteRecordOwner for many records, whatever their number: one insert of them all (new
   * records, the usual case, which the engine writes at once), then one bulk upsert of those
   * already noted.
   */
  async noteRecordOwners(kind: RecordKind, records: readonly { recordId: string; residentId: string }[]): Promise<void> {
    if (records.length === 0) return;
    const docs = records.map(({ recordId, residentId }) => ({ _id: recordOwnerKey(kind, recordId), residentId }));
    try {
      await this.models.RecordOwner.insertMany(docs, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number; errmsg?: string }[] }).writeErrors;
      if (!writeErrors?.every((writeError) => isDuplicateKey(writeError) || /duplicate key/i.test(writeError.errmsg ?? ''))) throw error;
      const operations = writeErrors.map(({ index }) => ({
        updateOne: { filter: { _id: docs[index]!._id }, update: { $set: { residentId: docs[index]!.residentId } }, upsert: true },
      }));
      await upsertById(() => this.models.RecordOwner.bulkWrite(operations, { ordered: false }));
    }
  }

  /** The resident each known record is filed under, by record id. */
  async recordOwners(kind: RecordKind, recordIds: readonly string[]): Promise<Map<string, string>> {
    const docs = await this.models.RecordOwner.find({ _id: idIn(recordIds.map((id) => recordOwnerKey(kind, id))) })
      .lean<RecordOwnerDoc[]>()
      .exec();
    return new Map(docs.map((doc) => [doc._id.slice(kind.length + 1), doc.residentId]));
  }

  /** Notes changes of residents' safety facts: each label's note gets a new nonce, in one write. */
  async noteSafetyChanges(changes: readonly SafetyChange[]): Promise<void> {
    const byId = new Map(changes.map((change) => [`${change.residentId}|${change.organizationCode}|${[...change.categories].sort().join(',')}`, change]));
    if (byId.size === 0) return;
    const operations = [...byId].map(([_id, change]) => ({
      // The resident in the filter: a sharded upsert needs the shard key.
      updateOne: { filter: { _id, residentId: change.residentId }, update: { $set: { ...change, nonce: randomUUID() } }, upsert: true },
    }));
    await upsertById(() => this.models.SafetyChange.bulkWrite(operations, { ordered: false }));
  }

  async safetyChangesOf(residentIds: readonly string[]): Promise<SafetyChangeDoc[]> {
    if (residentIds.length === 0) return [];
    return this.models.SafetyChange.find({ residentId: oneOf(residentIds) })
      .lean<SafetyChangeDoc[]>()
      .exec();
  }

  async recordMerge(mergedIds: readonly string[], survivorId: string): Promise<void> {
    const at = new Date();
    for (const _id of mergedIds) await upsertById(() => this.models.ResidentAlias.replaceOne({ _id }, { _id, survivorId, at }, { upsert: true }).exec());
  }

  /** Undoes a merge: the merged id stands for itself again, and the ids merged into it before for it. */
  async recordUnmerge(mergedId: string, itsMergedIds: readonly string[]): Promise<void> {
    await this.models.ResidentAlias.deleteOne({ _id: mergedId }).exec();
    if (itsMergedIds.length > 0) await this.recordMerge(itsMergedIds, mergedId);
  }

  /** Requested id → the survivor it stands for and every id the survivor's records are filed under. At most two queries. */
  async identitiesOf(residentIds: readonly string[]): Promise<Map<string, ResidentIdentity>> {
    const requested = new Set(residentIds);
    const rows = await this.models.ResidentAlias.find({ $or: [{ _id: idIn(residentIds) }, { survivorId: oneOf(residentIds) }] })
      .lean<ResidentAliasDoc[]>()
      .exec();
    const survivorOf = new Map(rows.filter((row) => requested.has(row._id)).map((row) => [row._id, row.survivorId]));
    const unseen = [...new Set(survivorOf.values())].filter((survivorId) => !requested.has(survivorId));
    if (unseen.length > 0)
      rows.push(
        ...(await this.models.ResidentAlias.find({ survivorId: oneOf(unseen) })
          .lean<ResidentAliasDoc[]>()
          .exec()),
      );
    const aliases = Map.groupBy(rows, (row) => row.survivorId);
    return new Map(
      residentIds.map((id) => {
        const survivorId = survivorOf.get(id) ?? id;
        return [id, { survivorId, filedUnder: [survivorId, ...new Set((aliases.get(survivorId) ?? []).map((row) => row._id))] }];
      }),
    );
  }

  async consentsOf(residentIds: readonly string[]): Promise<ConsentFact[]> {
    const docs = await this.models.Consent.find({ _id: idIn(residentIds) })
      .lean<ConsentDoc[]>()
      .exec();
    return docs.map((doc) => ({ residentId: doc._id, restrictedCategories: doc.restrictedCategories, blockedOrganizations: doc.blockedOrganizations }));
  }

  async writeAuditEvents(events: AuditEventDoc[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.models.AuditEvent.insertMany(events, { ordered: true, lean: true });
    } catch (error) {
      this.onAudit?.(events, false);
      throw error;
    }
    this.onAudit?.(events, true);
  }
}
