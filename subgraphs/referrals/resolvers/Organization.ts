import { organizationCodeOf } from '../../runtime/ids';
import type { OrganizationResolvers } from '../resolver-types';

export const Organization: OrganizationResolvers = {
  __resolveReference: (reference) => ({ code: organizationCodeOf(reference.code) }),
  referralServices: (organization, _args, { loaders }) => loaders.referralServicesOf.load(organization.code),
};
