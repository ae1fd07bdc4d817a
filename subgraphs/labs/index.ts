/** The labs subgraph: lab and exam results shared across the city's hospitals, and the duplicate-test reminder. */
import type { SubgraphDefinition } from '../runtime/subgraph-server';
import { createLabsContext, type LabsContext } from './loaders';
import { type LabsModels, registerModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const labs: SubgraphDefinition<LabsModels, LabsContext> = {
  name: 'labs',
  resolvers,
  permissions,
  registerModels,
  createContext: createLabsContext,
};
