/** The prescriptions subgraph: prescriptions from hospitals and internet hospitals. */
import type { SubgraphDefinition } from '../kit/subgraph-server';
import { createLoaders, type PrescriptionsContext } from './loaders';
import { registerModels, type PrescriptionsModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const prescriptions: SubgraphDefinition<PrescriptionsModels, PrescriptionsContext> = {
  name: 'prescriptions',
  resolvers,
  permissions,
  registerModels,
  createContext: (models, base) => ({ ...base, loaders: createLoaders(models, base) }),
};
