import type { ConditionResolvers } from '../resolver-types';

export const Condition: ConditionResolvers = {
  id: (condition) => condition._id,
};
