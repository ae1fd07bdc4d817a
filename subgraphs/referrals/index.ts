/** The referrals subgraph: two-way referrals between community health centres and hospitals. */
import type { SubgraphDefinition } from '../kit/subgraph-server';
import { createLoaders, type ReferralsContext } from './loaders';
import { registerModels, type ReferralsModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referrals: SubgraphDefinition<ReferralsModels, ReferralsContext> = {
  name: 'referrals',
  resolvers,
  permissions,
  registerModels,
  createContext: (models, base) => ({ ...base, loaders: createLoaders(models, base) }),
};
