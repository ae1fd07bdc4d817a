import { REALTIME_FORMS } from '../../../monitoring/realtime-forms';
import { badUserInput } from '../../../platform/errors';
import { organizationCodeOf, pageSize, residentIdOf } from '../../runtime/ids';
import type { QueryResolvers } from '../__generated__/resolver-types';

const MAX_WARD_LIST = 100;

export const Query: QueryResolvers = {
  resident: (_root, { id }, { repository }) => repository.residents.readableResident(residentIdOf(id)),
  overdueFollowUps: (_root, { first, after }, { followUps }) => followUps.overdue(pageSize(first), after),
  residents: async (_root, { ids }, { loaders }) => {
    if (ids.length > MAX_WARD_LIST) throw badUserInput(`At most ${MAX_WARD_LIST} residents per request`);
    const results = await loaders.residentById.loadMany(ids.map(residentIdOf));
    return results.map((result) => (result instanceof Error ? null : result));
  },
  residentByIdentifier: (_root, { system, value }, { repository }) => {
    if (!/^[A-Za-z0-9-]{4,32}$/.test(value)) throw badUserInput('value must be 4-32 letters, digits or -');
    return repository.residents.residentByIdentifier(system, value);
  },
  searchResidents: (_root, { criteria, first, after }, { repository }) => repository.residents.searchResidents(criteria, pageSize(first, 20), after),
  matchReviews: (_root, { status, first, after }, { repository }) => repository.merges.matchReviews(status ?? 'OPEN', pageSize(first), after),
  organization: (_root, { code }, { loaders }) => loaders.organizationByCode.load(organizationCodeOf(code)),
  organizations: (_root, { level, district, search, first, after }, { repository }) =>
    repository.organizations.organizations({ level, district, search }, pageSize(first), after),
  cockpitMonth: (_root, { month }, { cockpit }) => cockpit.month(month),
  cockpitTrend: (_root, { from, to, organizationCode }, { cockpit }) => cockpit.trend(from, to, organizationCode),
  cockpitDays: (_root, { month, organizationCode, district }, { cockpit }) => cockpit.days(month, organizationCode, district),
  formsCompleteness: (_root, { month }, { cockpit }) => cockpit.formsCompleteness(month),
  appointmentsByChannel: (_root, { month }, { cockpit }) => cockpit.appointments(month),
  realtimeForms: () => [...REALTIME_FORMS],
};
