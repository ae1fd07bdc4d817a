import type { ConditionResolvers } from '../__generated__/resolver-types';

export const Condition: ConditionResolvers = {
  id: (condition) => condition._id,
};
