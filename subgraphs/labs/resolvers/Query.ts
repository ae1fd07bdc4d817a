import { recordIdOf } from '../../runtime/ids';
import { searchLabItems } from '../catalogue';
import type { MutationResolvers, QueryResolvers } from '../resolver-types';

export const Query: QueryResolvers = {
  labItems: (_root, { category, search }) => searchLabItems(category, search),
  labReport: (_root, { id }, { loaders }) => loaders.reportById.load(recordIdOf(id, 'Lab report')),
  reminderStatistics: (_root, { month, organizationCode }, { repository }) => repository.reminderStatistics(month, organizationCode),
};

export const Mutation: MutationResolvers = {
  submitLabReport: (_root, { input }, { repository }) => repository.submitLabReport(input),
  uploadLabReports: (_root, { inputs }, { repository }) => repository.uploadLabReports(inputs),
  checkOrder: (_root, { residentId, itemCodes, orderingOrganizationCode }, { repository }) =>
    repository.checkOrder(residentId, itemCodes, orderingOrganizationCode),
};
