/** Per-request loaders of the records subgraph, and the context its resolvers receive. */
import { recordByIdLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { RecordsModels } from './models';
import { RecordsRepository } from './repository';

export function createLoaders(repository: RecordsRepository) {
  return {
    residentById: recordByIdLoader((ids) => repository.residentsById(ids)),
    organizationByCode: recordByIdLoader((codes) => repository.organizationsByCode(codes)),
  };
}

export function createRecordsContext(models: RecordsModels, base: SubgraphContext) {
  const repository = new RecordsRepository(models, base.access);
  return { ...base, repository, loaders: createLoaders(repository) };
}

export type RecordsContext = ReturnType<typeof createRecordsContext>;
