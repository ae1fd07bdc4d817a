import { maskIdNumber, maskPhone } from '../../../access-control/id-number';
import type { MatchedRecordResolvers, MatchReviewResolvers } from '../resolver-types';

export const MatchReview: MatchReviewResolvers = {
  id: ({ review }) => review._id,
  status: ({ review }) => review.status,
  registered: ({ registered }) => registered,
  candidate: ({ candidate }) => candidate,
  score: ({ review }) => review.candidate.score,
  reasons: ({ review }) => review.candidate.reasons,
  openedAt: ({ review }) => review.openedAt.toISOString(),
  organization: ({ review }, _args, { loaders }) => loaders.knownOrganization(review.organizationCode),
  resolvedAt: ({ review }) => review.resolvedAt?.toISOString() ?? null,
  resolvedBy: ({ review }) => review.resolvedBy,
  reason: ({ review }) => review.reason,
};

/** Reviewers compare records, never read them whole: identifiers stay masked. */
export const MatchedRecord: MatchedRecordResolvers = {
  residentId: (resident) => resident._id,
  idNumber: (resident) => (resident.idNumber ? maskIdNumber(resident.idNumber) : null),
  phone: (resident) => (resident.phone ? maskPhone(resident.phone) : null),
};
