/** Per-request loaders of the access subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { residentRecordsLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import type { AccessModels } from './models';
import { AccessRepository } from './repository';

export function createAccessContext(models: AccessModels, base: SubgraphContext) {
  const repository = new AccessRepository(models, base.access, base.settings.policy, base.logger);
  return {
    ...base,
    repository,
    loaders: {
      careRelationshipsByResident: residentRecordsLoader((ids) => repository.careRelationshipsOfResidents(ids)),
      consentByResident: new DataLoader(async (ids: readonly string[]) => {
        const found = await repository.consentsOf(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
    },
  };
}

export type AccessContext = ReturnType<typeof createAccessContext>;
