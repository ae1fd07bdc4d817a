import { organizationCodeOf } from '../../runtime/ids';
import { organizationName } from '../../runtime/organization-catalogue';
import type { OrganizationResolvers } from '../__generated__/resolver-types';

export const Organization: OrganizationResolvers = {
  __resolveReference: (reference) => ({ code: organizationCodeOf(reference.code) }),
  name: organizationName,
  referralServices: (organization, _args, { loaders }) => loaders.referralServicesOf.load(organization.code),
  checkupPackages: (organization, _args, { loaders }) => loaders.checkupPackagesOf.load(organization.code),
};
