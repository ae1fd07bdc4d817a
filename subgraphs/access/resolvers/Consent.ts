import type { BreakGlassReviewResolvers, ConsentResolvers } from '../__generated__/resolver-types';

export const Consent: ConsentResolvers = {
  blockedOrganizations: (consent) => consent.blockedOrganizations.map((code) => ({ code })),
  updatedAt: (consent) => consent.updatedAt?.toISOString() ?? null,
};

export const BreakGlassReview: BreakGlassReviewResolvers = {
  id: (review) => review._id,
  organization: (review) => ({ code: review.organizationCode }),
  grantedAt: (review) => review.grantedAt.toISOString(),
  expiresAt: (review) => review.expiresAt.toISOString(),
  closedAt: (review) => review.closedAt?.toISOString() ?? null,
};
