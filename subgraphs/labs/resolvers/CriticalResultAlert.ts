import type { CriticalResultAlertResolvers } from '../__generated__/resolver-types';

export const CriticalResultAlert: CriticalResultAlertResolvers = {
  id: ({ alert }) => alert._id,
  resident: ({ report }) => ({ id: report.residentId }),
  criticalResults: ({ report }) => report.results.filter((result) => result.critical),
  reason: ({ alert }) => alert.reason,
  addressedTo: ({ alert }) => alert.recipientPractitionerId,
  raisedAt: ({ alert }) => alert.raisedAt.toISOString(),
  escalatesAt: (view) => view.escalatesAt.toISOString(),
  state: ({ alert }) => alert.state,
  acknowledgedAt: ({ alert }) => alert.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: ({ alert }) => alert.acknowledgedBy,
};
