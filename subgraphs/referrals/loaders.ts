/** Per-request loaders of the referrals subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { ContractDoc, ReferralDoc, ReferralStatus, ReferralTransitionDoc, ReferralsModels } from './models';
import { ReferralsRepository } from './repository';

export function createReferralsContext(models: ReferralsModels, base: SubgraphContext) {
  const repository = new ReferralsRepository(models, base.access, base.settings.bookingHorizonDays);
  const byStatus = new Map<string, DataLoader<string, ReferralDoc[] | null>>();
  const referralsFor = (status: ReferralStatus | null | undefined) => {
    const key = status ?? '';
    let loader = byStatus.get(key);
    if (!loader) {
      loader = residentRecordsLoader((ids) => repository.referralsOfResidents(ids, status));
      byStatus.set(key, loader);
    }
    return loader;
  };
  return {
    ...base,
    repository,
    loaders: {
      referralsFor,
      referralById: recordByIdLoader((ids) => repository.referralsById(ids)),
      contractOf: new DataLoader<string, ContractDoc | null>(async (ids) => {
        const found = await repository.contractsOf(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      transitionsOf: new DataLoader<string, ReferralTransitionDoc[]>(async (ids) => {
        const rows = await repository.transitionsOf(ids);
        return ids.map((id) => rows.filter((row) => row.referralId === id));
      }),
    },
  };
}

export type ReferralsContext = ReturnType<typeof createReferralsContext>;
