/** Reads of referrals: a resident's (paged), by id, the organization's inbox and outbox, and each referral's transitions. */

import type { PermittedRecords } from '../../access-control/resident-access';
import { type ResidentAccess, visibleRecords, withoutRestricted } from '../../access-control/resident-access';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { type Page, timePage } from '../../platform/pagination';
import type { ReferralDoc, ReferralStatus, ReferralsModels, ReferralTransitionDoc } from './models';
import { effectiveStatus, referralLabel as label } from './referral-rules';
import { requireOrganization } from './repository-helpers';

/** Where a referral stands in a page by time. */
export const referralKey = (referral: ReferralDoc) => ({ at: referral.requestedAt, id: referral._id });

/** The filter for referrals in a status, as `effectiveStatus` tells it (a request past its expiry is EXPIRED). */
function statusQuery(status: ReferralStatus | null | undefined): Record<string, unknown> {
  if (status === 'EXPIRED') return { status: 'REQUESTED', expiresAt: operator({ $lt: new Date() }) };
  if (status === 'REQUESTED') return { status, expiresAt: operator({ $gte: new Date() }) };
  return status ? { status } : {};
}

export class ReferralReads {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
  ) {}

  async referralsOfResidents(residentIds: readonly string[], status: ReferralStatus | null | undefined): Promise<PermittedRecords<ReferralDoc>> {
    const read = await this.access.read(
      'referrals',
      residentIds,
      (filedUnder) =>
        this.models.Referral.find({ residentId: oneOf(filedUnder) })
          .sort({ requestedAt: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<ReferralDoc[]>()
          .exec(),
      label,
    );
    return status ? { ...read, records: read.records.filter((row) => effectiveStatus(row) === status) } : read;
  }

  /** One resident's page of referrals, newest first, `first + 1` rows at a time; null when the viewer may not see them. */
  async referralPage(
    residentId: string,
    status: ReferralStatus | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<ReferralDoc> | null> {
    return this.access.readPage('referrals', residentId, (filedUnder) => {
      const query = { residentId: oneOf(filedUnder), ...statusQuery(status) };
      return timePage(
        {
          field: 'requestedAt',
          fetch: ({ keyset, sort, limit }) =>
            this.models.Referral.find({ ...query, ...keyset })
              .sort(sort)
              .limit(limit)
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<ReferralDoc[]>()
              .exec(),
          keyOf: referralKey,
          keep: (rows) => withoutRestricted(this.access, rows, label),
        },
        first,
        after,
      );
    });
  }

  async referralsById(ids: readonly string[]): Promise<ReferralDoc[]> {
    const rows = await this.models.Referral.find({ _id: idIn(ids) })
      .lean<ReferralDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'referrals', label);
  }

  async transitionsOf(referralIds: readonly string[]): Promise<ReferralTransitionDoc[]> {
    return this.models.Transition.find({ referralId: oneOf(referralIds) })
      .sort({ at: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ReferralTransitionDoc[]>()
      .exec();
  }

  inbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ toOrganizationCode: requireOrganization(this.access) }, status, first, after);
  }

  outbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ fromOrganizationCode: requireOrganization(this.access) }, status, first, after);
  }

  private async page(
    query: Record<string, unknown>,
    status: ReferralStatus | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<ReferralDoc>> {
    Object.assign(query, statusQuery(status));
    return timePage(
      {
        field: 'requestedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.Referral.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<ReferralDoc[]>()
            .exec(),
        keyOf: referralKey,
        keep: (rows) => visibleRecords(this.access, rows, 'referrals', label),
      },
      first,
      after,
    );
  }
}
