/** The labs subgraph: lab and exam reports shared across the city's hospitals. */
import type { SubgraphDefinition } from '../kit/subgraph-server';
import { createLoaders, type LabsContext } from './loaders';
import { registerModels, type LabsModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const labs: SubgraphDefinition<LabsModels, LabsContext> = {
  name: 'labs',
  resolvers,
  permissions,
  registerModels,
  createContext: (models, base) => ({ ...base, loaders: createLoaders(models, base) }),
};
