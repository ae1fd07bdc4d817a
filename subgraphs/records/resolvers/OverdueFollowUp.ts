import type { OverdueFollowUpResolvers } from '../__generated__/resolver-types';

export const OverdueFollowUp: OverdueFollowUpResolvers = {
  id: (followUp) => followUp._id,
  // The resident as the viewer may see them (demographics decided on their own).
  resident: async (followUp, _args, { loaders }) => (await loaders.residentById.load(followUp.residentId))!,
  condition: (followUp) => followUp.condition,
  rule: (followUp) => followUp.rule,
};
