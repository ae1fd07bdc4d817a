/**
 * Queries and rules of the access subgraph: the audit log, care relationships, consent and
 * break-the-glass. Reads return only what the viewer may see.
 */
import { createHash, randomUUID } from 'node:crypto';
import { unionOfConsents } from '../../access-control/consents';
import { allowsEntry } from '../../access-control/entry-points';
import {
  type CareRelationshipFact,
  type ConsentFact,
  DEFAULT_BREAK_GLASS_HOURS,
  DEFAULT_REGISTRATION_WINDOW_DAYS,
  type PolicySettings,
} from '../../access-control/policy';
import type { PermittedRecords, ResidentAccess } from '../../access-control/resident-access';
import type { SensitiveCategory } from '../../access-control/sensitivity';
import { actorOf, PURPOSES } from '../../access-control/viewer';
import { claim } from '../../platform/claims';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE, upsertById } from '../../platform/database';
import { appError, badUserInput } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { keysetAfter, type Page, timePage } from '../../platform/pagination';
import { clientRequestIdOf, organizationCodeOf } from '../runtime/ids';
import { dayOrTimeOf } from '../runtime/input';
import { type AccessLogEntry, type AuditEventKey, accessLogPage } from './access-log';
import type { AccessModels, AuditEventDoc, BreakGlassReviewDoc } from './models';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_BLOCKED_ORGANIZATIONS = 50;

export type ConsentView = ConsentFact & { updatedAt: Date | null };

export interface AuditFilter {
  residentId?: string | null;
  organizationCode?: string | null;
  subject?: string | null;
  purposeOfUse?: string | null;
  since?: string | null;
  until?: string | null;
}

export class AccessRepository {
  constructor(
    private readonly models: AccessModels,
    private readonly access: ResidentAccess,
    private readonly policy: PolicySettings,
    private readonly logger: Logger,
  ) {}

  /**
   * A page of the resident's access log, newest first: one entry per request (its subgraphs'
   * events united, see access-log.ts), or null when the viewer may not see it. Bounded
   * queries: an audit log grows without limit.
   */
  async accessLog(residentId: string, first: number, after: string | null | undefined): Promise<Page<AccessLogEntry> | null> {
    // A merged record's log is the survivor's too: the ids it is filed under are read together.
    return this.access.readPage('access-log', residentId, (residentIds) =>
      accessLogPage(
        {
          scan: (position, limit) =>
            this.models.AuditEvent.find({ residentId: oneOf(residentIds), ...(position ? keysetAfter('at', position) : {}) })
              .sort({ at: -1, _id: -1 })
              .limit(limit)
              .select({ at: 1, requestId: 1, residentId: 1 })
              .batchSize(limit)
              .lean<AuditEventKey[]>()
              .exec(),
          eventsOf: (requestIds) =>
            this.models.AuditEvent.find({ residentId: oneOf(residentIds), requestId: oneOf(requestIds) })
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<AuditEventDoc[]>()
              .exec(),
        },
        first,
        after,
        this.access.requestId,
      ),
    );
  }

  /**
   * Privacy officers' search of the audit log; every filter leads with an indexed field. It
   * lists the events as each subgraph wrote them (the evidence), not the resident's entries.
   */
  async auditEvents(filter: AuditFilter, first: number, after: string | null | undefined): Promise<Page<AuditEventDoc>> {
    const query: Record<string, unknown> = {};
    if (filter.residentId) query.residentId = filter.residentId;
    if (filter.organizationCode) query.organizationCode = organizationCodeOf(filter.organizationCode);
    if (filter.subject) query.subject = filter.subject;
    if (filter.purposeOfUse) {
      if (!(PURPOSES as readonly string[]).includes(filter.purposeOfUse)) throw badUserInput(`purposeOfUse must be one of ${PURPOSES.join(', ')}`);
      query.purposeOfUse = filter.purposeOfUse;
    }
    const at: Record<string, Date> = {};
    if (filter.since) at.$gte = dayOrTimeOf(filter.since, 'since');
    if (filter.until) at.$lt = dayOrTimeOf(filter.until, 'until');
    if (Object.keys(at).length > 0) query.at = operator(at);
    if (!query.residentId && !query.organizationCode && !query.subject && !filter.since) {
      throw badUserInput('Give residentId, organizationCode, subject or since: the audit log is never listed whole');
    }
    const page = await this.auditPage(query, first, after);
    await this.access.permitted(
      page.edges.map((edge) => edge.node.residentId),
      'access-log',
    );
    return page;
  }

  private auditPage(query: Record<string, unknown>, first: number, after: string | null | undefined): Promise<Page<AuditEventDoc>> {
    return timePage(
      {
        field: 'at',
        fetch: ({ keyset, sort, limit }) =>
          this.models.AuditEvent.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<AuditEventDoc[]>()
            .exec(),
        keyOf: (row) => ({ at: row.at, id: row._id }),
      },
      first,
      after,
    );
  }

  /**
   * Registrations no care followed, counted per organization (two grouped counts, beside each
   * other): what a privacy officer looks at to find desks registering residents they never see.
   */
  async registrationsWithoutCare(sinceInput: string): Promise<{ organizationCode: string; count: number; lapsed: number }[]> {
    const since = dayOrTimeOf(sinceInput, 'since');
    const cutoff = new Date(Date.now() - (this.policy.registrationWindowDays ?? DEFAULT_REGISTRATION_WINDOW_DAYS) * DAY_MS);
    const countBy = async (lastSeenAt: Record<string, Date>) => {
      const rows = await this.models.CareRelationship.aggregate<{ _id: string; count: number }>([
        { $match: { kind: 'REGISTRATION', careSeenAt: null, lastSeenAt: operator(lastSeenAt) } },
        { $group: { _id: '$organizationCode', count: { $sum: 1 } } },
      ]).exec();
      return new Map(rows.map((row) => [row._id, row.count]));
    };
    const [all, lapsed] = await Promise.all([countBy({ $gte: since }), countBy({ $gte: since, $lt: cutoff })]);
    return [...all]
      .map(([organizationCode, count]) => ({ organizationCode, count, lapsed: lapsed.get(organizationCode) ?? 0 }))
      .sort((a, b) => b.count - a.count || a.organizationCode.localeCompare(b.organizationCode));
  }

  /** Clinicians see their own organization's relationships; residents and privacy officers see all. */
  async careRelationshipsOfResidents(residentIds: readonly string[]): Promise<PermittedRecords<CareRelationshipFact>> {
    const { viewer } = this.access;
    const organizationCode = allowsEntry(viewer, 'see-every-organization-relationships') ? undefined : viewer.organizationCode;
    const read = await this.access.read('care-relationships', residentIds, (filedUnder) =>
      this.access.accessStore.relationshipsOf(filedUnder, organizationCode),
    );
    return { ...read, records: read.records.sort((a, b) => a.since.getTime() - b.since.getTime()) };
  }

  /**
   * The consent that applies to each resident: every choice filed under any id the survivor
   * stands for (a restriction set on a record later merged away still holds), as one.
   */
  async consentsOf(residentIds: readonly string[]): Promise<Map<string, ConsentView>> {
    const { permitted, owners, records } = await this.access.read('consent', residentIds, async (filedUnder) =>
      (
        await this.models.Consent.find({ _id: idIn(filedUnder) })
          .lean()
          .exec()
      ).map((doc) => ({ ...doc, residentId: doc._id })),
    );
    return new Map(
      [...permitted].map((residentId) => {
        const mine = records.filter((doc) => owners?.get(doc.residentId)?.includes(residentId));
        const union = unionOfConsents(residentId, mine);
        const updatedAt = mine.reduce<Date | null>((latest, doc) => (latest && latest > doc.updatedAt ? latest : doc.updatedAt), null);
        return [
          residentId,
          { residentId, restrictedCategories: union?.restrictedCategories ?? [], blockedOrganizations: union?.blockedOrganizations ?? [], updatedAt },
        ];
      }),
    );
  }

  /**
   * Only the resident chooses what to keep private; the choice replaces the previous one under
   * every id their record stands for, so no earlier choice on a merged-away id lingers beside it.
   */
  async setConsent(requested: string, restrictedCategories: SensitiveCategory[], blockedOrganizations: string[]): Promise<ConsentView> {
    // A resident whose id was merged away sets the survivor's consent.
    const residentId = await this.access.requireWrite(requested, 'set-consent');
    if (blockedOrganizations.length > MAX_BLOCKED_ORGANIZATIONS) throw badUserInput(`At most ${MAX_BLOCKED_ORGANIZATIONS} blocked organizations`);
    const organizations = [...new Set(blockedOrganizations.map(organizationCodeOf))];
    const consent = { restrictedCategories: [...new Set(restrictedCategories)].sort(), blockedOrganizations: organizations, updatedAt: new Date() };
    const filedUnder = this.access.filedUnderOfWritten([residentId]);
    await upsertById(() =>
      this.models.Consent.bulkWrite(
        filedUnder.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: consent }, upsert: true } })),
        { ordered: false },
      ),
    );
    await this.access.permitted([residentId], 'consent');
    return { residentId, ...consent };
  }

  /**
   * Emergency access for a clinician with no care relationship: a grant that ends on its
   * own, a security alert in the audit log, and a review for privacy officers. With a client
   * request id, a retry by the same practitioner with the same content returns the same grant
   * (alerted again, never extended) and concurrent retries make one; other content is a CONFLICT.
   */
  async breakGlass(
    requested: string,
    reason: BreakGlassReviewDoc['reason'],
    justification: string,
    clientRequestIdInput?: string | null,
  ): Promise<BreakGlassReviewDoc> {
    const why = justification.trim();
    if (why.length < 10 || why.length > 1000) throw badUserInput('justification must be 10-1000 characters');
    const clientRequestId = clientRequestIdInput == null ? null : clientRequestIdOf(clientRequestIdInput);
    // The grant is the asking practitioner's: a token naming none is refused.
    const residentId = await this.access.requireWrite(requested, 'break-glass');
    const { viewer, requestId } = this.access;
    const organizationCode = viewer.organizationCode!;
    const practitionerId = viewer.practitionerId!;
    const grantedAt = new Date();
    const expiresAt = new Date(grantedAt.getTime() + (this.policy.breakGlassHours ?? DEFAULT_BREAK_GLASS_HOURS) * HOUR_MS);
    const asked = { residentId: requested, reason, justification: why };
    const fresh: BreakGlassReviewDoc = {
      _id: clientRequestId
        ? createHash('sha256').update(`break-glass|${organizationCode}|${practitionerId}|${clientRequestId}`).digest('hex').slice(0, 24)
        : randomUUID(),
      residentId,
      organizationCode,
      subject: viewer.subject,
      reason,
      justification: why,
      grantedAt,
      expiresAt,
      requestId,
      status: 'OPEN',
      outcome: null,
      note: null,
      closedBy: null,
      closedAt: null,
      clientRequestId,
      requestHash: clientRequestId ? createHash('sha256').update(JSON.stringify(asked)).digest('hex') : null,
    };
    let review = fresh;
    if (!(await claim(this.models.BreakGlassReview, fresh))) {
      review = (await this.models.BreakGlassReview.findById(fresh._id).lean<BreakGlassReviewDoc>().exec())!;
      if (review.requestHash !== fresh.requestHash) throw appError('CONFLICT', 'This clientRequestId was used for a different emergency access request');
    }
    // Safe to repeat: a retry finishes a grant whose first attempt failed half way, with its own times.
    await this.access.recordCareRelationship({
      residentId: review.residentId,
      organizationCode,
      kind: 'BREAK_GLASS',
      practitionerId,
      at: review.grantedAt,
      endsAt: review.expiresAt,
      source: { subgraph: 'access', recordId: review._id },
      root: { kind: 'EMERGENCY', organizationCode, basis: `break-glass review ${review._id}` },
    });
    this.access.raiseAlert(review.residentId);
    this.logger.warn(
      { alert: 'break-the-glass', reviewId: review._id, organizationCode, expiresAt: review.expiresAt, retry: review !== fresh },
      'emergency access granted',
    );
    return review;
  }

  async breakGlassReviews(status: BreakGlassReviewDoc['status'], first: number, after: string | null | undefined): Promise<Page<BreakGlassReviewDoc>> {
    const page = await timePage(
      {
        field: 'grantedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.BreakGlassReview.find({ status, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<BreakGlassReviewDoc[]>()
            .exec(),
        keyOf: (row) => ({ at: row.grantedAt, id: row._id }),
      },
      first,
      after,
    );
    await this.access.permitted(
      page.edges.map((edge) => edge.node.residentId),
      'access-log',
    );
    return page;
  }

  async closeBreakGlassReview(id: string, outcome: 'JUSTIFIED' | 'UNJUSTIFIED', note: string): Promise<BreakGlassReviewDoc> {
    const text = note.trim();
    if (text.length < 4 || text.length > 2000) throw badUserInput('note must be 4-2000 characters');
    const closed = await this.models.BreakGlassReview.findOneAndUpdate(
      { _id: id, status: 'OPEN' },
      { $set: { status: 'CLOSED', outcome, note: text, closedBy: actorOf(this.access.viewer), closedAt: new Date() } },
      { returnDocument: 'after' },
    )
      .lean<BreakGlassReviewDoc>()
      .exec();
    if (closed) {
      this.access.noteWrite(closed.residentId, 'break-glass');
      return closed;
    }
    const existing = await this.models.BreakGlassReview.findById(id).lean<BreakGlassReviewDoc>().exec();
    throw existing ? appError('CONFLICT', 'The review is already closed') : appError('NOT_FOUND', 'No such review');
  }
}
