import { recordIdOf } from '../../runtime/ids';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolver-types';
import { searchLabItems } from '../catalogue';

export const Query: QueryResolvers = {
  labItems: (_root, { category, search }) => searchLabItems(category, search),
  labReport: (_root, { id }, { loaders }) => loaders.reportById.load(recordIdOf(id, 'Lab report')),
  reminderStatistics: (_root, { month, organizationCode }, { repository }) => repository.reminderStatistics(month, organizationCode),
};

export const Mutation: MutationResolvers = {
  submitLabReport: (_root, { input }, { repository }) => repository.submitLabReport(input),
  uploadLabReports: (_root, { inputs }, { repository }) => repository.uploadLabReports(inputs),
  submitCheckupReport: (_root, { input, findings }, { checkupReports }) => checkupReports.submit(input, findings),
  checkOrder: (_root, { residentId, itemCodes, orderingOrganizationCode }, { repository }) =>
    repository.checkOrder(residentId, itemCodes, orderingOrganizationCode),
};
