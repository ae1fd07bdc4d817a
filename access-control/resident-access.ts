/**
 * Per-request authorization of residents' data, and the record of what was disclosed.
 * Repositories ask it which residents the viewer may see before they query, and which items
 * of an allowed record to show; it loads the viewer's care relationships and the residents'
 * consents once per request (batched), applies the policy, and keeps one audit entry per
 * resident that the request's response writes before it leaves.
 */
import DataLoader from 'dataloader';
import { forbidden } from '../platform/errors';
import {
  type AccessStore,
  type AuditEventDoc,
  type CareSeen,
  type NewRelationship,
  type RecordKind,
  type RelationshipSource,
  type ResidentIdentity,
  relationshipKey,
  type SafetyChange,
  type SafetyChangeDoc,
} from './access-store';
import { consentLoader, unionOfConsents } from './consents';
import { DisclosureLog } from './disclosure-log';
import { decideEntry, type EntryPoint } from './entry-points';
import {
  auditedPurpose,
  type CareRelationshipFact,
  type ConsentFact,
  type DataKind,
  type Decision,
  decide,
  decideWrite,
  isActive,
  mayDiscloseItem,
  needsCareRelationships,
  type PolicySettings,
  WRITE_RULES,
  type WriteKind,
} from './policy';
import type { SensitiveCategory } from './sensitivity';
import type { Viewer } from './viewer';

/** Records of the residents the viewer may see, as a repository returns them. */
export interface PermittedRecords<V> {
  permitted: ReadonlySet<string>;
  records: V[];
  /** The id a record is filed under → the requested residents it belongs to (merged ids resolve to survivors). */
  owners?: ReadonlyMap<string, string[]>;
}

export class ResidentAccess {
  private readonly identities: DataLoader<string, ResidentIdentity>;
  private readonly relationships: DataLoader<string, CareRelationshipFact[]>;
  private readonly consents: DataLoader<string, ConsentFact | null>;
  /** Every id resolved in this request (requested, merged or survivor) → its survivor. */
  private readonly survivors = new Map<string, string>();
  /** Survivor → every id its records may be filed under. */
  private readonly filedUnder = new Map<string, string[]>();
  private readonly decisions = new Map<string, Decision>();
  /** Survivor → the kind of standing the last allowed write about it rested on (the root of what the write derives). */
  private readonly writeBases = new Map<string, NonNullable<Decision['basis']>>();
  /** Survivors a write was allowed about in this request. */
  private readonly writable = new Set<string>();
  private readonly disclosures: DisclosureLog;
  /** Set for a mutation: its audit events record a write, whatever was decided on the way. */
  writing = false;
  /** Moves on each fact this request recorded or ended: facts read before such a move are not primed after it. */
  private factsGeneration = 0;

  constructor(
    readonly viewer: Viewer,
    readonly requestId: string,
    subgraph: string,
    private readonly store: AccessStore,
    readonly settings: PolicySettings,
    readonly correlationId: string | null = null,
  ) {
    this.disclosures = new DisclosureLog({ viewer, requestId, subgraph, correlationId });
    this.identities = new DataLoader(async (residentIds) => {
      const found = await store.identitiesOf(residentIds);
      return residentIds.map((id) => {
        const identity = found.get(id)!;
        this.filedUnder.set(identity.survivorId, identity.filedUnder);
        for (const alias of [id, ...identity.filedUnder]) this.survivors.set(alias, identity.survivorId);
        return identity;
      });
    });
    // Keyed by survivor: the facts recorded under any id the survivor stands for are its own.
    this.relationships = new DataLoader(async (survivorIds) => {
      const facts = await store.relationshipsWith(viewer.organizationCode!, [...new Set(survivorIds.flatMap((id) => this.filedUnder.get(id) ?? [id]))]);
      return survivorIds.map((id) => facts.filter((fact) => this.survivorOf(fact.residentId) === id).map((fact) => ({ ...fact, residentId: id })));
    });
    // Keyed by survivor too: its consent unites those filed under every id it stands for.
    this.consents = consentLoader(store, (id) => this.filedUnder.get(id) ?? [id]);
  }

  /**
   * Resolves resident ids (and a resident viewer's own id) to the survivors they stand for:
   * one batched lookup per request, before anything is decided or queried.
   */
  private async resolve(residentIds: readonly string[]): Promise<void> {
    const own = this.viewer.residentId ? [this.viewer.residentId] : [];
    const results = await this.identities.loadMany([...residentIds, ...own]);
    for (const result of results) if (result instanceof Error) throw result;
  }

  /**
   * resolve, with the viewer's facts about residents not resolved yet read beside the merge lookup,
   * not after it: for a resident no merge touches, the decision waits on one round trip, not two.
   * Merged ones are read again by the loaders, by every id they stand for. Never older than the request.
   */
  private async resolveWithFacts(residentIds: readonly string[]): Promise<void> {
    const organization = this.viewer.organizationCode;
    const fresh = [...new Set(residentIds)].filter((id) => !this.survivors.has(id));
    if (!organization || fresh.length === 0) return this.resolve(residentIds);
    const generation = this.factsGeneration;
    const [, facts, consents] = await Promise.all([this.resolve(residentIds), this.store.relationshipsWith(organization, fresh), this.store.consentsOf(fresh)]);
    if (generation !== this.factsGeneration) return;
    for (const id of fresh.filter((fresh) => this.filedUnder.get(fresh)?.join() === fresh)) {
      this.relationships.prime(
        id,
        facts.filter((fact) => fact.residentId === id),
      );
      this.consents.prime(
        id,
        unionOfConsents(
          id,
          consents.filter((consent) => consent.residentId === id),
        ),
      );
    }
  }

  /** The survivor an id resolved in this request (by permitted or survivorIdOf) stands for; the id itself when not merged. */
  survivorOf(residentId: string): string {
    return this.survivors.get(residentId) ?? residentId;
  }

  /** The viewer as the policy sees it: a resident's own id is the survivor's. */
  private get deciding(): Viewer {
    return this.viewer.residentId ? { ...this.viewer, residentId: this.survivorOf(this.viewer.residentId) } : this.viewer;
  }

  /** The survivor a resident id stands for now: where a write about it lands. */
  async survivorIdOf(residentId: string): Promise<string> {
    await this.resolve([residentId]);
    return this.survivorOf(residentId);
  }

  /**
   * The subset of residentIds whose `kind` data the viewer may see (each requested id, and the
   * survivor it stands for), decided on the survivor; every decision is audited under it.
   */
  async permitted(residentIds: readonly string[], kind: DataKind): Promise<Set<string>> {
    const unique = [...new Set(residentIds)];
    if (unique.length === 0) return new Set();
    const loadFacts = needsCareRelationships(this.viewer);
    await (loadFacts ? this.resolveWithFacts(unique) : this.resolve(unique));
    const survivors = [...new Set(unique.map((id) => this.survivorOf(id)))];
    const [relationships, consents] = loadFacts ? await Promise.all([this.relationships.loadMany(survivors), this.consents.loadMany(survivors)]) : [[], []];
    const allowed = new Set<string>();
    // Decided at this moment, not at the start of the request: a registration or grant made
    // earlier in the same request counts.
    const now = new Date();
    const viewer = this.deciding;
    survivors.forEach((residentId, index) => {
      const facts = relationships[index];
      const consent = consents[index];
      if (facts instanceof Error) throw facts;
      if (consent instanceof Error) throw consent;
      const decision = decide({ viewer, residentId, kind, relationships: facts ?? [], consent: consent ?? null, now, settings: this.settings });
      this.decisions.set(residentId, decision);
      this.disclosures.note(residentId, kind, decision.outcome, auditedPurpose(this.viewer, decision));
      if (decision.outcome === 'allowed') allowed.add(residentId);
    });
    for (const id of unique) if (allowed.has(this.survivorOf(id))) allowed.add(id);
    return allowed;
  }

  async isPermitted(residentId: string, kind: DataKind): Promise<boolean> {
    return (await this.permitted([residentId], kind)).has(residentId);
  }

  /**
   * Reads residents' records through the decision, the one way a repository lists them:
   * `fetch` is handed only the ids the permitted residents' records are filed under (merged
   * ids included) and is not called when none is permitted; a row filed under any other id is
   * dropped, and, given a label, so is every item the resident restricted from this viewer.
   */
  async read<V extends { residentId: string }>(
    kind: DataKind,
    residentIds: readonly string[],
    fetch: (filedUnder: string[]) => Promise<V[]>,
    labelOf?: ItemLabel<V>,
  ): Promise<PermittedRecords<V>> {
    const permitted = await this.permitted(residentIds, kind);
    if (permitted.size === 0) return { permitted, records: [] };
    const owners = this.ownersOf(permitted);
    const rows = (await fetch([...owners.keys()])).filter((row) => owners.has(row.residentId));
    return { permitted, owners, records: labelOf ? await withoutRestricted(this, rows, labelOf) : rows };
  }

  /** `read` for one resident's page (paged in the database): null when not permitted, `fetch` handed the ids their records are filed under. */
  async readPage<P>(kind: DataKind, residentId: string, fetch: (filedUnder: string[]) => Promise<P>): Promise<P | null> {
    if (!(await this.isPermitted(residentId, kind))) return null;
    return fetch([...this.ownersOf([residentId]).keys()]);
  }

  /**
   * For residents already permitted in this request: every id their records may be filed
   * under (merged ids included) → the requested ids those records belong to. Private: reads
   * reach it only through `read` and `readPage`, after the decision.
   */
  private ownersOf(residentIds: Iterable<string>): Map<string, string[]> {
    const owners = new Map<string, string[]>();
    for (const id of residentIds) {
      for (const filed of this.filedUnder.get(this.survivorOf(id)) ?? [id]) {
        const list = owners.get(filed) ?? [];
        if (!list.includes(id)) list.push(id);
        owners.set(filed, list);
      }
    }
    return owners;
  }

  /**
   * The items of an allowed record the viewer may see: those in a category the resident
   * restricted are dropped (no placeholder, no count), and the audit says so.
   */
  async visibleItems<T>(residentId: string, items: T[], labelOf: ItemLabel<T>): Promise<T[]> {
    const restricted = await this.restrictedFromViewer(residentId, labelOf);
    if (!restricted) return items;
    const visible = items.filter((item) => !restricted(item));
    if (visible.length < items.length) this.markOmitted(residentId);
    return visible;
  }

  /**
   * Every item of an allowed record, those in a category the resident restricted passed
   * through `withhold` (which leaves their labelled text out): for records that must stay
   * whole, as an allergy must for drug-allergy warnings. The audit says text was withheld.
   */
  async withTextWithheld<T, V>(residentId: string, items: T[], labelOf: ItemLabel<T>, withhold: (item: T) => V): Promise<(T | V)[]> {
    const restricted = await this.restrictedFromViewer(residentId, labelOf);
    if (!restricted || !items.some(restricted)) return items;
    this.markOmitted(residentId);
    return items.map((item) => (restricted(item) ? withhold(item) : item));
  }

  /**
   * Whether an item is restricted from this viewer: in a category hidden from them and not
   * from their own organization. Null when nothing of this resident's record is hidden.
   */
  private async restrictedFromViewer<T>(residentId: string, labelOf: ItemLabel<T>): Promise<((item: T) => boolean) | null> {
    const hidden = new Set(await this.hiddenCategories(residentId));
    if (hidden.size === 0) return null;
    const own = this.viewer.organizationCode;
    return (item) => {
      const { categories, organizationCode } = labelOf(item);
      const source = typeof organizationCode === 'string' ? organizationCode === own : own !== undefined && organizationCode.includes(own);
      return !source && categories.some((category) => hidden.has(category));
    };
  }

  /**
   * The categories of this resident's record hidden from the viewer (except for items from
   * the viewer's own organization): what a repository filters out when it pages in the database.
   */
  async hiddenCategories(residentId: string): Promise<SensitiveCategory[]> {
    if (!needsCareRelationships(this.viewer)) return [];
    const survivorId = this.survivorOf(residentId);
    const consent = await this.consents.load(survivorId);
    if (!consent) return [];
    const emergency = this.decisions.get(survivorId)?.emergency === true;
    return consent.restrictedCategories.filter(
      (sensitivity) =>
        !mayDiscloseItem({ viewer: this.deciding, residentId: survivorId, consent, sensitivity, itemOrganizationCode: '', emergency, settings: this.settings }),
    );
  }

  /** Notes that items were withheld from an otherwise allowed disclosure. */
  markOmitted(residentId: string): void {
    this.disclosures.markOmitted(this.survivorOf(residentId));
  }

  /**
   * Notes a write about the resident that no read decision accompanied (a lab system's
   * upload, say): every write is audited.
   */
  noteWrite(residentId: string, kind: DataKind): void {
    this.writing = true;
    this.disclosures.note(residentId, kind, 'allowed', this.viewer.purposeOfUse);
  }

  /**
   * The write side of the policy: refuses (FORBIDDEN, the same answer whether or not the
   * resident exists) unless the viewer may write `write` about the resident, before anything
   * is written. Decided on the survivor of a merged id, audited under the kind of data written
   * (the write kind's own unless given); returns the survivor's id, where the write lands.
   */
  async requireWrite(residentId: string, write: WriteKind, kind: DataKind = WRITE_RULES[write].data): Promise<string> {
    await this.resolveWithFacts([residentId]);
    const survivorId = this.survivorOf(residentId);
    const [facts, consent] = this.viewer.organizationCode
      ? await Promise.all([this.relationships.load(survivorId), this.consents.load(survivorId)])
      : [[], null];
    const decision = decideWrite({
      viewer: this.deciding,
      residentId: survivorId,
      write,
      relationships: facts,
      consent,
      now: new Date(),
      settings: this.settings,
    });
    this.disclosures.note(survivorId, kind, decision.outcome, auditedPurpose(this.viewer, decision));
    if (decision.outcome !== 'allowed') throw forbidden(`Not permitted: ${decision.reason}`);
    this.writable.add(survivorId);
    if (decision.basis) this.writeBases.set(survivorId, decision.basis);
    return survivorId;
  }

  /**
   * Every id the records of these residents may be filed under, for those a write was allowed
   * about in this request (others are left out): what a write looks up its own earlier filings by.
   */
  filedUnderOfWritten(residentIds: Iterable<string>): string[] {
    return [...this.ownersOf([...residentIds].filter((id) => this.writable.has(this.survivorOf(id)))).keys()];
  }

  /** The kind of standing the allowed write about this resident (in this request) rested on; null when it needed none. */
  writeBasisOf(residentId: string): NonNullable<Decision['basis']> | null {
    return this.writeBases.get(this.survivorOf(residentId)) ?? null;
  }

  /**
   * requireWrite for many residents at once (a batch upload): the same decision for each, with
   * the facts of all of them loaded in one batch. Requested id → the survivor the write lands
   * on, or the refusal's message; nothing is thrown for a refused resident.
   */
  async decideWrites(
    residentIds: readonly string[],
    write: WriteKind,
    kind: DataKind = WRITE_RULES[write].data,
  ): Promise<Map<string, { survivorId: string } | { refused: string }>> {
    const unique = [...new Set(residentIds)];
    const result = new Map<string, { survivorId: string } | { refused: string }>();
    if (unique.length === 0) return result;
    await this.resolveWithFacts(unique);
    const survivors = [...new Set(unique.map((id) => this.survivorOf(id)))];
    const [facts, consents] = this.viewer.organizationCode
      ? await Promise.all([this.relationships.loadMany(survivors), this.consents.loadMany(survivors)])
      : [survivors.map(() => []), survivors.map(() => null)];
    const now = new Date();
    const decisions = new Map<string, ReturnType<typeof decideWrite>>();
    survivors.forEach((survivorId, index) => {
      const relationships = facts[index];
      const consent = consents[index];
      if (relationships instanceof Error) throw relationships;
      if (consent instanceof Error) throw consent;
      const decision = decideWrite({
        viewer: this.deciding,
        residentId: survivorId,
        write,
        relationships: relationships ?? [],
        consent: consent ?? null,
        now,
        settings: this.settings,
      });
      this.disclosures.note(survivorId, kind, decision.outcome, auditedPurpose(this.viewer, decision));
      if (decision.outcome === 'allowed') this.writable.add(survivorId);
      decisions.set(survivorId, decision);
    });
    for (const id of unique) {
      const survivorId = this.survivorOf(id);
      const decision = decisions.get(survivorId)!;
      result.set(id, decision.outcome === 'allowed' ? { survivorId } : { refused: `Not permitted: ${decision.reason}` });
    }
    return result;
  }

  /** Notes changes of residents' safety facts, so that snapshots taken before them are out of date. */
  noteSafetyChanges = (changes: readonly SafetyChange[]): Promise<void> => this.store.noteSafetyChanges(changes);

  /** The safety change notes of residents, merged ids included (survivorOf then names whose each is). */
  async safetyChangesOf(residentIds: readonly string[]): Promise<SafetyChangeDoc[]> {
    await this.resolve(residentIds);
    return this.store.safetyChangesOf([...new Set(residentIds.flatMap((id) => this.filedUnder.get(this.survivorOf(id)) ?? [id]))]);
  }

  /** Notes whom a clinical record was filed under (other subgraphs check references against it). */
  noteRecordOwner(kind: RecordKind, recordId: string, residentId: string): Promise<void> {
    return this.store.noteRecordOwner(kind, recordId, residentId);
  }

  /** noteRecordOwner for a batch of records, in one write. */
  noteRecordOwners(kind: RecordKind, records: readonly { recordId: string; residentId: string }[]): Promise<void> {
    return this.store.noteRecordOwners(kind, records);
  }

  /**
   * The ids among `recordIds` that are not records of the resident (unknown, or filed under
   * someone else), compared as survivors of any merge: references a write may not make.
   */
  async foreignRecords(kind: RecordKind, recordIds: readonly string[], residentId: string): Promise<string[]> {
    const foreign = await this.foreignReferences(
      kind,
      recordIds.map((recordId) => ({ recordId, residentId })),
    );
    return recordIds.filter((_id, index) => foreign[index]);
  }

  /** foreignRecords for references about many residents (a batch upload), in one lookup: true where the record is not that resident's. */
  async foreignReferences(kind: RecordKind, references: readonly { recordId: string; residentId: string }[]): Promise<boolean[]> {
    if (references.length === 0) return [];
    const owners = await this.store.recordOwners(kind, [...new Set(references.map((reference) => reference.recordId))]);
    await this.resolve([...references.map((reference) => reference.residentId), ...owners.values()]);
    return references.map(({ recordId, residentId }) => {
      const owner = owners.get(recordId);
      return owner === undefined || this.survivorOf(owner) !== this.survivorOf(residentId);
    });
  }

  /** Records a care relationship that arose in this request, and forgets the facts loaded before it. */
  async recordCareRelationship(input: NewRelationship): Promise<void> {
    await this.store.recordCareRelationship(input);
    this.factsGeneration += 1;
    this.relationships.clear(this.survivorOf(input.residentId));
  }

  /**
   * Notes care (visits) the viewer's organization recorded: its registrations of the residents
   * that are in force keep standing for the care window after the visit. A lapsed registration
   * stays lapsed: a visit recorded under other standing (a referral, say) does not revive it.
   * The facts are those the write's own decision loaded, so this costs one write.
   */
  async noteCare(seen: readonly CareSeen[]): Promise<void> {
    const organizationCode = this.viewer.organizationCode;
    const ours = seen.filter((entry) => entry.organizationCode === organizationCode);
    if (ours.length === 0) return;
    await this.resolve(ours.map((entry) => entry.residentId));
    const now = Date.now();
    // The latest visit per resident is all that counts; one dated ahead counts as today.
    const latest = new Map<string, Date>();
    for (const entry of ours) {
      const survivorId = this.survivorOf(entry.residentId);
      const at = new Date(Math.min(entry.at.getTime(), now));
      if ((latest.get(survivorId) ?? 0) < at) latest.set(survivorId, at);
    }
    const facts = await this.relationships.loadMany([...latest.keys()]);
    const kept = [...latest].flatMap(([, at], index) => {
      const found = facts[index] ?? [];
      if (found instanceof Error) throw found;
      const inForce = found.filter((fact) => fact.kind === 'REGISTRATION' && fact.source && isActive(fact, new Date(now), this.settings));
      return inForce.length
        ? [{ keys: inForce.map((fact) => relationshipKey({ kind: fact.kind, organizationCode: fact.organizationCode, source: fact.source! })), at }]
        : [];
    });
    await this.store.noteCare(kept);
    this.factsGeneration += 1;
    for (const survivorId of latest.keys()) this.relationships.clear(survivorId);
  }

  /** Ends the relationships these sources gave (each source its own fact). */
  async endCareRelationships(sources: readonly RelationshipSource[], endsAt: Date): Promise<void> {
    await this.store.endCareRelationships(sources, endsAt);
    this.factsGeneration += 1;
    for (const source of sources) this.relationships.clear(this.survivorOf(source.residentId));
  }

  /** Marks this request's audit event about the resident as a security alert (break-the-glass). */
  raiseAlert(residentId: string): void {
    const survivorId = this.survivorOf(residentId);
    this.disclosures.note(survivorId, 'break-glass', 'allowed', 'emergency');
    this.disclosures.markAlert(survivorId);
  }

  get accessStore(): AccessStore {
    return this.store;
  }

  /** Audit events for everything decided in this request, to be written before the response. */
  auditEvents(): AuditEventDoc[] {
    return this.disclosures.events(this.writing);
  }

  async flush(): Promise<void> {
    await this.store.writeAuditEvents(this.disclosures.take(this.writing));
  }
}

/** Refuses (FORBIDDEN, the entry's own message) a viewer the policy's entry-point table does not let in. */
export function requireEntry(viewer: Viewer, entry: EntryPoint): void {
  const decision = decideEntry(viewer, entry);
  if (decision.outcome !== 'allowed') throw forbidden(decision.reason);
}

/**
 * What a record reveals, and the organizations it belongs to (where it came from, or, for a
 * referral or a routed prescription, also where it was sent): those see it whatever the
 * resident restricted. Labels are computed on read from the record's codes and united with
 * the label stored at write time, so records stored before a label existed are safe.
 */
export type ItemLabel<V> = (record: V) => { categories: SensitiveCategory[]; organizationCode: string | readonly string[] };

/** Drops, resident by resident, the records in a category the resident restricted from this viewer. */
export async function withoutRestricted<V extends { residentId: string }>(access: ResidentAccess, records: V[], labelOf: ItemLabel<V>): Promise<V[]> {
  const kept = new Set<V>();
  for (const [residentId, own] of Map.groupBy(records, (record) => record.residentId)) {
    for (const record of await access.visibleItems(residentId, own, labelOf)) kept.add(record);
  }
  return records.filter((record) => kept.has(record));
}

/**
 * Keeps the records whose resident the viewer may see for `kind` (and, given a label, whose
 * category the resident did not restrict): the filter every repository applies to records
 * fetched by their own id (entity references).
 */
export async function visibleRecords<V extends { residentId: string }>(
  access: ResidentAccess,
  records: V[],
  kind: DataKind,
  labelOf?: ItemLabel<V>,
): Promise<V[]> {
  if (records.length === 0) return records;
  const permitted = await access.permitted(
    records.map((record) => record.residentId),
    kind,
  );
  const allowed = records.filter((record) => permitted.has(record.residentId));
  return labelOf ? withoutRestricted(access, allowed, labelOf) : allowed;
}
