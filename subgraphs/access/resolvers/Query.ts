import { describeViewer } from '../../../access-control/viewer';
import { pageSize, residentIdOf } from '../../runtime/ids';
import type { MutationResolvers, QueryResolvers } from '../resolver-types';

export const Query: QueryResolvers = {
  auditEvents: (_root, { filter, first, after }, { repository }) =>
    repository.auditEvents({ ...filter, residentId: filter.residentId ? residentIdOf(filter.residentId) : null }, pageSize(first), after),
  viewer: (_root, _args, { viewer }) => describeViewer(viewer),
  breakGlassReviews: (_root, { status, first, after }, { repository }) => repository.breakGlassReviews(status ?? 'OPEN', pageSize(first), after),
  registrationsWithoutCare: async (_root, { since }, { repository }) =>
    (await repository.registrationsWithoutCare(since)).map(({ organizationCode, count, lapsed }) => ({
      organization: { code: organizationCode },
      count,
      lapsed,
    })),
};

export const Mutation: MutationResolvers = {
  setConsent: (_root, { residentId, restrictedCategories, blockedOrganizations }, { repository }) =>
    repository.setConsent(residentIdOf(residentId), restrictedCategories, blockedOrganizations),
  breakGlass: (_root, { residentId, reason, justification, clientRequestId }, { repository }) =>
    repository.breakGlass(residentIdOf(residentId), reason, justification, clientRequestId),
  closeBreakGlassReview: (_root, { id, outcome, note }, { repository }) => repository.closeBreakGlassReview(id, outcome, note),
};
