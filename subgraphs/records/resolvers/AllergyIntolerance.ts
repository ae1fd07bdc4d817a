import type { AllergyIntoleranceResolvers } from '../__generated__/resolver-types';

export const AllergyIntolerance: AllergyIntoleranceResolvers = {
  id: (allergy) => allergy._id,
};
