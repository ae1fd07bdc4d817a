/**
 * What one request disclosed, resident by resident: the kinds of data decided about, the
 * outcome and the purpose of use, kept as decisions are made and turned into the request's
 * audit events (one per resident) before the response leaves.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEventDoc } from './access-store';
import type { DataKind } from './policy';
import type { PurposeOfUse, Viewer } from './viewer';

interface Disclosure {
  kinds: Set<DataKind>;
  outcome: AuditEventDoc['outcome'];
  purposeOfUse: PurposeOfUse;
  alert: boolean;
}

/** Who asked, as every audit event of the request names it. */
export interface AuditedRequest {
  viewer: Viewer;
  requestId: string;
  subgraph: string;
  correlationId: string | null;
}

export class DisclosureLog {
  /** Survivor → what was decided about it in this request. */
  private readonly disclosures = new Map<string, Disclosure>();

  constructor(private readonly request: AuditedRequest) {}

  note(residentId: string, kind: DataKind, outcome: 'allowed' | 'denied', purposeOfUse: PurposeOfUse): void {
    const entry = this.disclosures.get(residentId) ?? { kinds: new Set<DataKind>(), outcome, purposeOfUse, alert: false };
    entry.kinds.add(kind);
    // One event per resident: a request refused anything about them is marked denied.
    if (outcome === 'denied') entry.outcome = 'denied';
    // Every read under an emergency grant is an emergency, and an alert for privacy officers.
    if (purposeOfUse === 'emergency') Object.assign(entry, { purposeOfUse: 'emergency', alert: true });
    this.disclosures.set(residentId, entry);
  }

  /** Items were withheld from an otherwise allowed disclosure about this survivor. */
  markOmitted(survivorId: string): void {
    const entry = this.disclosures.get(survivorId);
    if (entry && entry.outcome === 'allowed') entry.outcome = 'omitted';
  }

  /** The disclosure about this survivor, already noted, is a security alert. */
  markAlert(survivorId: string): void {
    this.disclosures.get(survivorId)!.alert = true;
  }

  /** An audit event for every resident noted so far; a mutation's record a write. */
  events(writing: boolean): AuditEventDoc[] {
    const at = new Date();
    const { viewer, requestId, subgraph, correlationId } = this.request;
    return [...this.disclosures].map(([residentId, { kinds, outcome, purposeOfUse, alert }]) => ({
      _id: randomUUID(),
      at,
      requestId,
      correlationId,
      action: writing ? 'write' : 'read',
      subgraph,
      subject: viewer.subject,
      roles: viewer.roles,
      organizationCode: viewer.organizationCode ?? null,
      purposeOfUse,
      residentId,
      dataKinds: [...kinds].sort(),
      outcome,
      alert,
    }));
  }

  /** The events so far, forgotten here once taken (they are written once). */
  take(writing: boolean): AuditEventDoc[] {
    const events = this.events(writing);
    this.disclosures.clear();
    return events;
  }
}
