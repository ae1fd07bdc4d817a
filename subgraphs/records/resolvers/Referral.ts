import { attachmentsRefOf } from '../../runtime/ids';
import { attachedRecords } from '../../runtime/loaders';
import type { ReferralResolvers } from '../resolver-types';

/** Records' part of a referral: the encounters it attaches that the viewer may see. */
export const Referral: ReferralResolvers = {
  __resolveReference: (reference) => attachmentsRefOf(reference, 'attachedEncounterIds'),
  attachedEncounters: (referral, _args, { loaders }) => attachedRecords(referral, loaders.encounterById),
};
