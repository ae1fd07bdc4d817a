/** The records subgraph: the master patient index, organizations and the clinical record. */
import type { SubgraphDefinition } from '../runtime/subgraph-server';
import { createRecordsContext, type RecordsContext } from './loaders';
import { type RecordsModels, registerModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const records: SubgraphDefinition<RecordsModels, RecordsContext> = {
  name: 'records',
  resolvers,
  permissions,
  registerModels,
  createContext: createRecordsContext,
};
