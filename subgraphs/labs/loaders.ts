/** Per-request loaders of the labs subgraph, and the context its resolvers receive. */
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { LabsModels } from './models';
import { LabsRepository } from './repository';

export function createLoaders(models: LabsModels, base: SubgraphContext) {
  const repository = new LabsRepository(models, base.access);
  return {
    reportsByResident: residentRecordsLoader((ids) => repository.reportsOfResidents(ids)),
    reportById: recordByIdLoader((ids) => repository.reportsById(ids)),
  };
}

export interface LabsContext extends SubgraphContext {
  loaders: ReturnType<typeof createLoaders>;
}
