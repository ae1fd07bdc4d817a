/** The prescriptions subgraph: prescriptions from hospitals and internet hospitals, pharmacist review, and dispensing by cloud pharmacies. */
import type { SubgraphDefinition } from '../runtime/subgraph-server';
import { createPrescriptionsContext, type PrescriptionsContext } from './loaders';
import { type PrescriptionsModels, registerModels } from './models';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const prescriptions: SubgraphDefinition<PrescriptionsModels, PrescriptionsContext> = {
  name: 'prescriptions',
  resolvers,
  permissions,
  registerModels,
  createContext: createPrescriptionsContext,
};
