/** The access subgraph: care relationships, consent and the audit log ("who viewed my record"). */
import type { SubgraphDefinition } from '../runtime/subgraph-server';
import { type AccessContext, createAccessContext } from './loaders';
import { type AccessModels, registerModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const access: SubgraphDefinition<AccessModels, AccessContext> = {
  name: 'access',
  resolvers,
  permissions,
  registerModels,
  createContext: createAccessContext,
};
