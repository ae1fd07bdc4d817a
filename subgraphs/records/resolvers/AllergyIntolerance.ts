import type { AllergyIntoleranceResolvers } from '../resolver-types';

export const AllergyIntolerance: AllergyIntoleranceResolvers = {
  id: (allergy) => allergy._id,
};
