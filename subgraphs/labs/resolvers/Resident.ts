import { badUserInput } from '../../kit/errors';
import { pageSize, residentIdOf } from '../../kit/ids';
import { pageInMemory } from '../../kit/pagination';
import { latestResults, requireItem, trendOf } from '../lab-rules';
import type { ResidentResolvers } from '../resolver-types';

const MAX_CODES = 50;

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  labReports: async (resident, { category, code, since, until, first, after }, { loaders }) => {
    const reports = await loaders.reportsFor({ category, code, since, until }).load(resident.id);
    return reports && pageInMemory(reports, pageSize(first), after);
  },
  latestResults: async (resident, { codes }, { loaders }) => {
    if (codes.length === 0 || codes.length > MAX_CODES) throw badUserInput(`Give 1 to ${MAX_CODES} codes`);
    codes.forEach((code) => requireItem(code, 'code'));
    const reports = await loaders.reportsFor({ codes }).load(resident.id);
    return reports && latestResults(reports, codes);
  },
  labTrend: async (resident, { code, since }, { loaders }) => {
    requireItem(code, 'code');
    const reports = await loaders.reportsFor({ code, since }).load(resident.id);
    return reports && trendOf(reports, code);
  },
};
