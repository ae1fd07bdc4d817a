/** Per-request loaders of the prescriptions subgraph, and the context its resolvers receive. */
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { PrescriptionsModels } from './models';
import { PrescriptionsRepository } from './repository';

export function createLoaders(models: PrescriptionsModels, base: SubgraphContext) {
  const repository = new PrescriptionsRepository(models, base.access);
  return {
    prescriptionsByResident: residentRecordsLoader((ids) => repository.prescriptionsOfResidents(ids)),
    prescriptionById: recordByIdLoader((ids) => repository.prescriptionsById(ids)),
  };
}

export interface PrescriptionsContext extends SubgraphContext {
  loaders: ReturnType<typeof createLoaders>;
}
