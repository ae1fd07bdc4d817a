import { attachmentsRefOf } from '../../runtime/ids';
import { attachedRecords } from '../../runtime/loaders';
import type { ReferralResolvers } from '../resolver-types';

/** Labs' part of a referral: the reports it attaches that the viewer may see. */
export const Referral: ReferralResolvers = {
  __resolveReference: (reference) => attachmentsRefOf(reference, 'attachedLabReportIds'),
  attachedLabReports: (referral, _args, { loaders }) => attachedRecords(referral, loaders.reportById),
};
