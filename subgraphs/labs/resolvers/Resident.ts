import { badUserInput } from '../../../platform/errors';
import { pageSize, residentIdOf } from '../../runtime/ids';
import { selects } from '../../runtime/selection';
import { latestResults, requireItem, trendOf } from '../lab-rules';
import type { ResidentResolvers } from '../resolver-types';

const MAX_CODES = 50;

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  labReports: (resident, { category, code, since, until, first, after }, { loaders }, info) =>
    loaders
      .reportPage({ filter: { category, code, since, until }, first: pageSize(first), after, withResults: selects(info, ['edges', 'node', 'results']) })
      .load(resident.id),
  latestResults: async (resident, { codes }, { loaders }) => {
    if (codes.length === 0 || codes.length > MAX_CODES) throw badUserInput(`Give 1 to ${MAX_CODES} codes`);
    for (const code of codes) requireItem(code, 'code');
    const reports = await loaders.reportsFor({ codes }).load(resident.id);
    return reports && latestResults(reports, codes);
  },
  labTrend: async (resident, { code, since }, { loaders }) => {
    requireItem(code, 'code');
    const reports = await loaders.reportsFor({ code, since }).load(resident.id);
    return reports && trendOf(reports, code);
  },
};
