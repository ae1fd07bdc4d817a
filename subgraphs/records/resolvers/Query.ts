import { badUserInput } from '../../kit/errors';
import { organizationCodeOf, residentIdOf } from '../../kit/ids';
import type { QueryResolvers } from '../resolver-types';

const MAX_WARD_LIST = 100;

export const Query: QueryResolvers = {
  resident: async (_root, { id }, { repository, loaders }) => {
    const residentId = residentIdOf(id);
    await repository.assertMayRead(residentId);
    return loaders.residentById.load(residentId);
  },
  residents: async (_root, { ids }, { loaders }) => {
    if (ids.length > MAX_WARD_LIST) throw badUserInput(`At most ${MAX_WARD_LIST} residents per request`);
    const results = await loaders.residentById.loadMany(ids.map(residentIdOf));
    return results.map((result) => (result instanceof Error ? null : result));
  },
  organization: (_root, { code }, { loaders }) => loaders.organizationByCode.load(organizationCodeOf(code)),
};
