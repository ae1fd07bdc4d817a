import { pageSize, recordIdOf } from '../../runtime/ids';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolver-types';
import { searchLabItems } from '../catalogue';
import { reminderFigures } from '../reminder-figures';

export const Query: QueryResolvers = {
  labItems: (_root, { category, search }) => searchLabItems(category, search),
  labReport: (_root, { id }, { loaders }) => loaders.reportById.load(recordIdOf(id, 'Lab report')),
  reminderStatistics: (_root, { month, organizationCode }, { repository, activity }) => reminderFigures(repository, activity, month, organizationCode),
  criticalResultInbox: (_root, { state, first, after }, { criticalAlerts }) => criticalAlerts.inbox(state ?? 'OPEN', pageSize(first), after),
};

export const Mutation: MutationResolvers = {
  submitLabReport: (_root, { input }, { repository }) => repository.submitLabReport(input),
  uploadLabReports: (_root, { inputs }, { repository }) => repository.uploadLabReports(inputs),
  submitCheckupReport: (_root, { input, findings }, { checkupReports }) => checkupReports.submit(input, findings),
  checkOrder: (_root, { residentId, itemCodes, orderingOrganizationCode }, { repository }) =>
    repository.checkOrder(residentId, itemCodes, orderingOrganizationCode),
  acknowledgeCriticalResult: (_root, { alertId }, { criticalAlerts }) => criticalAlerts.acknowledge(alertId),
};
