import { recordIdOf } from '../../runtime/ids';
import type { LabReportResolvers, LabReportVersionResolvers, LabSourceResolvers, ObservationResolvers } from '../__generated__/resolver-types';
import type { ObservationDoc } from '../models';

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
  checkup: (report, _args, { loaders }) => loaders.checkupFindingsOf.load(report._id),
};

export const LabReportVersion: LabReportVersionResolvers = {
  issuedAt: (version) => version.issuedAt.toISOString(),
  replacedAt: (version) => version.replacedAt.toISOString(),
};

export const LabSource: LabSourceResolvers = {
  organization: (source) => ({ code: source.organizationCode }),
  uploadedAt: (source) => source.uploadedAt.toISOString(),
};

/** The reference range a result line was interpreted against, or null when it has none. */
export const referenceRangeOf = (observation: ObservationDoc) =>
  observation.referenceText || observation.referenceLow !== null || observation.referenceHigh !== null
    ? { low: observation.referenceLow, high: observation.referenceHigh, text: observation.referenceText }
    : null;

export const Observation: ObservationResolvers = {
  referenceRange: referenceRangeOf,
};
