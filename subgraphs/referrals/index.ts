/** The referrals subgraph: family-doctor contracts, reserved slot pools, two-way referrals, and appointments in the pools' public share. */
import type { SubgraphDefinition } from '../runtime/subgraph-server';
import { createReferralsContext, type ReferralsContext } from './loaders';
import { type ReferralsModels, registerModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referrals: SubgraphDefinition<ReferralsModels, ReferralsContext> = {
  name: 'referrals',
  resolvers,
  permissions,
  registerModels,
  createContext: createReferralsContext,
};
