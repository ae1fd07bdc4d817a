import { recordIdOf } from '../../kit/ids';
import type { LabReportResolvers, ObservationResolvers } from '../resolver-types';

export const LabReport: LabReportResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.reportById.load(recordIdOf(reference.id, 'Lab report')),
  id: (report) => report._id,
  organization: (report) => ({ code: report.organizationCode }),
  issuedAt: (report) => report.issuedAt.toISOString(),
};

export const Observation: ObservationResolvers = {
  referenceRange: (observation) =>
    observation.referenceText || observation.referenceLow !== null || observation.referenceHigh !== null
      ? { low: observation.referenceLow, high: observation.referenceHigh, text: observation.referenceText }
      : null,
};
