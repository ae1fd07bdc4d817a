import { organizationCodeOf } from '../../runtime/ids';
import type { OrganizationResolvers } from '../resolver-types';

export const Organization: OrganizationResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.organizationByCode.load(organizationCodeOf(reference.code)),
  code: (organization) => organization._id,
};
