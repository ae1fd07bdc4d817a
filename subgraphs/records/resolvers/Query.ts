import { REALTIME_FORMS } from '../../../monitoring/realtime-forms';
import { badUserInput } from '../../../platform/errors';
import { organizationCodeOf, pageSize, residentIdOf } from '../../runtime/ids';
import type { QueryResolvers } from '../__generated__/resolver-types';
import { bulletinHeadline } from '../cockpit-headline';
import { hotlineMonth } from '../cockpit-hotline';

const MAX_WARD_LIST = 100;

function identifierValueOf(value: string, path = ''): string {
  if (!/^[A-Za-z0-9-]{4,32}$/.test(value)) throw badUserInput(`${path}value must be 4-32 letters, digits or -`);
  return value;
}

export const Query: QueryResolvers = {
  resident: (_root, { id }, { repository }) => repository.residents.readableResident(residentIdOf(id)),
  overdueFollowUps: (_root, { first, after }, { followUps }) => followUps.overdue(pageSize(first), after),
  residents: async (_root, { ids }, { loaders }) => {
    if (ids.length > MAX_WARD_LIST) throw badUserInput(`At most ${MAX_WARD_LIST} residents per request`);
    const results = await loaders.residentById.loadMany(ids.map(residentIdOf));
    return results.map((result) => (result instanceof Error ? null : result));
  },
  residentByIdentifier: async (_root, { system, value }, { repository }) =>
    (await repository.residents.residentsByIdentifiers([{ system, value: identifierValueOf(value) }]))[0] ?? null,
  residentsByIdentifiers: (_root, { identifiers }, { repository }) => {
    if (identifiers.length > MAX_WARD_LIST) throw badUserInput(`At most ${MAX_WARD_LIST} identifiers per request`);
    return repository.residents.residentsByIdentifiers(
      identifiers.map(({ system, value }, index) => ({ system, value: identifierValueOf(value, `identifiers.${index}.`) })),
    );
  },
  searchResidents: (_root, { criteria, first, after }, { repository }) => repository.residents.searchResidents(criteria, pageSize(first, 20), after),
  matchReviews: (_root, { status, first, after }, { repository }) => repository.merges.matchReviews(status ?? 'OPEN', pageSize(first), after),
  organization: (_root, { code }, { loaders }) => loaders.organizationByCode.load(organizationCodeOf(code)),
  organizations: (_root, { level, district, search, first, after }, { repository }) =>
    repository.organizations.organizations({ level, district, search }, pageSize(first), after),
  cockpitMonth: (_root, { month }, { cockpit }) => cockpit.month(month),
  cockpitTrend: (_root, { from, to, organizationCode }, { cockpit }) => cockpit.trend(from, to, organizationCode),
  cockpitRanking: (_root, { month, indicator }, { cockpit }) => cockpit.ranking(month, indicator),
  cockpitDays: (_root, { month, organizationCode, district }, { cockpit }) => cockpit.days(month, organizationCode, district),
  formsCompleteness: (_root, { month }, { cockpit }) => cockpit.formsCompleteness(month),
  appointmentsByChannel: (_root, { month }, { cockpit }) => cockpit.appointments(month),
  hotlineMonth: (_root, { month }, { viewer, activity }) => hotlineMonth(viewer, activity, month),
  openWorkOrders: (_root, { first }, { repository }) => repository.hotline.openWorkOrders(pageSize(first)),
  bulletinHeadline: (_root, { month }, { viewer, activity }) => bulletinHeadline(viewer, activity, month),
  realtimeForms: () => [...REALTIME_FORMS],
};
