import { recordIdOf } from '../../kit/ids';
import type { ReferralResolvers } from '../resolver-types';

export const Referral: ReferralResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.referralById.load(recordIdOf(reference.id, 'Referral')),
  id: (referral) => referral._id,
  fromOrganization: (referral) => ({ code: referral.fromOrganizationCode }),
  toOrganization: (referral) => ({ code: referral.toOrganizationCode }),
  requestedAt: (referral) => referral.requestedAt.toISOString(),
};
