/** Per-request loaders of the access subgraph, and the context its resolvers receive. */
import { residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { AccessModels } from './models';
import { AccessRepository } from './repository';

export function createAccessContext(models: AccessModels, base: SubgraphContext) {
  const repository = new AccessRepository(models, base.access);
  return {
    ...base,
    repository,
    loaders: { careRelationshipsByResident: residentRecordsLoader((ids) => repository.careRelationshipsOfResidents(ids)) },
  };
}

export type AccessContext = ReturnType<typeof createAccessContext>;
