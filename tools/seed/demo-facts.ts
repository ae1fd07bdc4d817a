/** What the demo city implies beyond its records: care relationships, and a resident to show. */
import type { CareRelationshipDoc } from '../../subgraphs/kit/access-store';
import type { EncounterDoc } from '../../subgraphs/records/models';
import type { City } from './city';

export interface DemoFacts {
  /** A resident with lab reports, prescriptions and a referral. */
  residentId: string;
  /** A tertiary hospital where that resident had a recent encounter: the demo doctor works there. */
  doctorOrganizationCode: string;
  /** The community health centre that referred the resident, if any: the demo family doctor works there. */
  familyDoctorOrganizationCode: string | null;
}

const DAY_MS = 86_400_000;
/** A closed referral keeps the relationship for this long after it was requested. */
const REFERRAL_RELATIONSHIP_DAYS = 90;

/** One relationship per organization and resident and kind, as the subgraphs record them at write time. */
export function careRelationshipsOf(city: Pick<City, 'referrals'>, encounters: EncounterDoc[]): CareRelationshipDoc[] {
  const byKey = new Map<string, CareRelationshipDoc>();
  const add = (fact: Omit<CareRelationshipDoc, '_id'>) => {
    const _id = `${fact.organizationCode}:${fact.residentId}:${fact.kind}`;
    const existing = byKey.get(_id);
    if (!existing) {
      byKey.set(_id, { _id, ...fact });
      return;
    }
    if (fact.since < existing.since) existing.since = fact.since;
    if (fact.lastSeenAt > existing.lastSeenAt) existing.lastSeenAt = fact.lastSeenAt;
    if (existing.endsAt !== null && (fact.endsAt === null || fact.endsAt > existing.endsAt)) existing.endsAt = fact.endsAt;
  };
  for (const encounter of encounters) {
    add({
      residentId: encounter.residentId,
      organizationCode: encounter.organizationCode,
      kind: 'ENCOUNTER',
      since: encounter.start,
      lastSeenAt: encounter.end ?? encounter.start,
      endsAt: null,
      source: { subgraph: 'records', recordId: encounter._id },
    });
  }
  for (const referral of city.referrals) {
    const requestedAt = new Date(referral.requestedAt);
    const open = referral.status === 'REQUESTED' || referral.status === 'ACCEPTED';
    const endsAt = open ? null : new Date(requestedAt.getTime() + REFERRAL_RELATIONSHIP_DAYS * DAY_MS);
    for (const organizationCode of [referral.fromOrganizationCode, referral.toOrganizationCode]) {
      add({ residentId: referral.residentId, organizationCode, kind: 'REFERRAL', since: requestedAt, lastSeenAt: requestedAt, endsAt, source: { subgraph: 'referrals', recordId: referral.id } });
    }
  }
  return [...byKey.values()];
}

export function pickDemoFacts(city: City, now: Date): DemoFacts {
  const count = (items: { residentId: string }[]) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.residentId, (counts.get(item.residentId) ?? 0) + 1);
    return counts;
  };
  const labs = count(city.labReports);
  const prescriptions = count(city.prescriptions);
  const organizations = new Map(city.organizations.map((organization) => [organization.code, organization]));
  const levels = new Map(city.organizations.map((organization) => [organization.code, organization.level]));
  const recent = now.getTime() - 365 * DAY_MS;
  const volume = (code: string) => organizations.get(code)?.outpatientVisits ?? 0;
  for (const referral of city.referrals) {
    const residentId = referral.residentId;
    if (!labs.get(residentId) || !prescriptions.get(residentId)) continue;
    // The busiest general hospital the resident visited lately, rather than a specialist one.
    const encounter = city.encounters
      .filter((candidate) => candidate.residentId === residentId && levels.get(candidate.organizationCode) === 'TERTIARY' && new Date(candidate.end).getTime() > recent)
      .sort((a, b) => volume(b.organizationCode) - volume(a.organizationCode))[0];
    if (!encounter) continue;
    const from = levels.get(referral.fromOrganizationCode) === 'COMMUNITY' ? referral.fromOrganizationCode : null;
    return { residentId, doctorOrganizationCode: encounter.organizationCode, familyDoctorOrganizationCode: from };
  }
  throw new Error('The demo city has no resident with labs, prescriptions, a referral and a recent hospital encounter');
}
