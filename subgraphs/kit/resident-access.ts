/**
 * Per-request authorization of residents' data, and the record of what was disclosed.
 * Repositories ask it which residents the viewer may see before they query; it loads the
 * viewer's care relationships once per request (batched), applies the policy, and keeps one
 * audit entry per resident that the request's response writes before it leaves.
 */
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { AccessStore, AuditEventDoc } from './access-store';
import { decide, needsCareRelationships, type CareRelationshipFact, type DataKind, type Outcome, type PolicySettings } from './policy';
import type { Viewer } from './viewer';

interface Disclosure {
  kinds: Set<DataKind>;
  outcome: Outcome;
}

export class ResidentAccess {
  private readonly relationships: DataLoader<string, CareRelationshipFact[]>;
  private readonly disclosures = new Map<string, Disclosure>();

  constructor(
    readonly viewer: Viewer,
    readonly requestId: string,
    private readonly subgraph: string,
    private readonly store: AccessStore,
    private readonly settings: PolicySettings,
    private readonly now: Date = new Date(),
  ) {
    this.relationships = new DataLoader(async (residentIds) => {
      const facts = await store.relationshipsWith(viewer.organizationCode!, residentIds);
      return residentIds.map((id) => facts.filter((fact) => fact.residentId === id));
    });
  }

  /** The subset of residentIds whose `kind` data the viewer may see; every decision is audited. */
  async permitted(residentIds: readonly string[], kind: DataKind): Promise<Set<string>> {
    const unique = [...new Set(residentIds)];
    const facts = needsCareRelationships(this.viewer) ? (await this.relationships.loadMany(unique)) : [];
    const allowed = new Set<string>();
    unique.forEach((residentId, index) => {
      const loaded = facts[index];
      if (loaded instanceof Error) throw loaded;
      const decision = decide({ viewer: this.viewer, residentId, kind, relationships: loaded ?? [], now: this.now, settings: this.settings });
      this.note(residentId, kind, decision.outcome);
      if (decision.outcome === 'allowed') allowed.add(residentId);
    });
    return allowed;
  }

  /** Records a care relationship that arose in this request, and forgets the facts loaded before it. */
  async recordCareRelationship(input: Parameters<AccessStore['recordCareRelationship']>[0]): Promise<void> {
    await this.store.recordCareRelationship(input);
    this.relationships.clear(input.residentId);
  }

  get accessStore(): AccessStore {
    return this.store;
  }

  async isPermitted(residentId: string, kind: DataKind): Promise<boolean> {
    return (await this.permitted([residentId], kind)).has(residentId);
  }

  private note(residentId: string, kind: DataKind, outcome: Outcome): void {
    const entry = this.disclosures.get(residentId) ?? { kinds: new Set<DataKind>(), outcome };
    entry.kinds.add(kind);
    // One event per resident: a request that was refused anything about them is marked denied.
    if (outcome === 'denied') entry.outcome = 'denied';
    this.disclosures.set(residentId, entry);
  }

  /** Audit events for everything decided in this request, to be written before the response. */
  auditEvents(): AuditEventDoc[] {
    const at = new Date();
    return [...this.disclosures].map(([residentId, { kinds, outcome }]) => ({
      _id: randomUUID(),
      at,
      requestId: this.requestId,
      subgraph: this.subgraph,
      subject: this.viewer.subject,
      roles: this.viewer.roles,
      organizationCode: this.viewer.organizationCode ?? null,
      purposeOfUse: this.viewer.purposeOfUse,
      residentId,
      dataKinds: [...kinds].sort(),
      outcome,
    }));
  }

  async flush(): Promise<void> {
    const events = this.auditEvents();
    this.disclosures.clear();
    await this.store.writeAuditEvents(events);
  }
}

/**
 * Keeps the records whose resident the viewer may see for `kind`: the filter every
 * repository applies to records fetched by their own id (entity references).
 */
export async function visibleRecords<V extends { residentId: string }>(access: ResidentAccess, records: V[], kind: DataKind): Promise<V[]> {
  if (records.length === 0) return records;
  const permitted = await access.permitted(
    records.map((record) => record.residentId),
    kind,
  );
  return records.filter((record) => permitted.has(record.residentId));
}
