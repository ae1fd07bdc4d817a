import type { WarningResolvers } from '../__generated__/resolver-types';

export const Warning: WarningResolvers = {
  // Named only from the active prescriptions the viewer may see (a withheld one gives no warning at all).
  duplicates: (warning) => warning.duplicates ?? null,
  acrossOrganizations: (warning) => warning.acrossOrganizations ?? false,
};
