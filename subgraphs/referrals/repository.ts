/** Queries of referrals. Every read returns only what the viewer may see. */
import { idIn, oneOf, RECORDS_BATCH_SIZE } from '../kit/database';
import type { PermittedRecords } from '../kit/loaders';
import { visibleRecords, type ResidentAccess } from '../kit/resident-access';
import type { ReferralDoc, ReferralsModels } from './models';

export class ReferralsRepository {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
  ) {}

  async referralsOfResidents(residentIds: readonly string[]): Promise<PermittedRecords<ReferralDoc>> {
    const permitted = await this.access.permitted(residentIds, 'referrals');
    if (permitted.size === 0) return { permitted, records: [] };
    const records = await this.models.Referral.find({ residentId: oneOf(permitted) })
      .sort({ requestedAt: -1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ReferralDoc[]>()
      .exec();
    return { permitted, records };
  }

  async referralsById(ids: readonly string[]): Promise<ReferralDoc[]> {
    const records = await this.models.Referral.find({ _id: idIn(ids) }).lean<ReferralDoc[]>().exec();
    return visibleRecords(this.access, records, 'referrals');
  }
}
