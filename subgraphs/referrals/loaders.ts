/** Per-request loaders of the referrals subgraph, and the context its resolvers receive. */
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { ReferralsModels } from './models';
import { ReferralsRepository } from './repository';

export function createLoaders(models: ReferralsModels, base: SubgraphContext) {
  const repository = new ReferralsRepository(models, base.access);
  return {
    referralsByResident: residentRecordsLoader((ids) => repository.referralsOfResidents(ids)),
    referralById: recordByIdLoader((ids) => repository.referralsById(ids)),
  };
}

export interface ReferralsContext extends SubgraphContext {
  loaders: ReturnType<typeof createLoaders>;
}
