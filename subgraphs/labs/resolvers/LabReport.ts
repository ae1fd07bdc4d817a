import { recordIdOf } from '../../runtime/ids';
import type { LabReportResolvers, LabReportVersionResolvers, LabSourceResolvers, ObservationResolvers } from '../resolver-types';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const LabReport: LabReportResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.reportById.load(recordIdOf(reference.id, 'Lab report')),
  id: (report) => report._id,
  organization: (report) => ({ code: report.organizationCode }),
  orderingOrganization: (report) => (report.orderingOrganizationCode ? { code: report.orderingOrganizationCode } : null),
  collectedAt: (report) => iso(report.collectedAt),
  effectiveAt: (report) => iso(report.effectiveAt),
  issuedAt: (report) => report.issuedAt.toISOString(),
  history: (report, _args, { loaders }) => loaders.historyOf.load(report),
};

export const LabReportVersion: LabReportVersionResolvers = {
  issuedAt: (version) => version.issuedAt.toISOString(),
  replacedAt: (version) => version.replacedAt.toISOString(),
};

export const LabSource: LabSourceResolvers = {
  organization: (source) => ({ code: source.organizationCode }),
  uploadedAt: (source) => source.uploadedAt.toISOString(),
};

export const Observation: ObservationResolvers = {
  referenceRange: (observation) =>
    observation.referenceText || observation.referenceLow !== null || observation.referenceHigh !== null
      ? { low: observation.referenceLow, high: observation.referenceHigh, text: observation.referenceText }
      : null,
};
