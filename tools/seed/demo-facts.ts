/** What the demo city implies beyond its records: care relationships, and a resident to show. */
import { relationshipKey, type CareRelationshipDoc, type RelationshipPeriod } from '../../subgraphs/kit/access-store';
import type { CareRelationshipKind } from '../../subgraphs/kit/policy';
import type { PrescriptionDoc } from '../../subgraphs/prescriptions/models';
import type { ContractDoc } from '../../subgraphs/referrals/models';
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

/** One document per organization and resident, as the subgraphs record relationships at write time. */
export function careRelationshipsOf(city: Pick<City, 'referrals'>, encounters: EncounterDoc[], prescriptions: PrescriptionDoc[], contracts: ContractDoc[]): CareRelationshipDoc[] {
  const byKey = new Map<string, CareRelationshipDoc>();
  const add = (residentId: string, organizationCode: string, kind: CareRelationshipKind, period: RelationshipPeriod) => {
    const _id = relationshipKey(organizationCode, residentId);
    const doc = byKey.get(_id) ?? { _id, residentId, organizationCode, byKind: {}, inherited: {} };
    byKey.set(_id, doc);
    const existing = doc.byKind[kind];
    if (!existing) {
      doc.byKind[kind] = period;
      return;
    }
    if (period.since < existing.since) existing.since = period.since;
    if (period.lastSeenAt > existing.lastSeenAt) existing.lastSeenAt = period.lastSeenAt;
    if (existing.endsAt !== null && (period.endsAt === null || period.endsAt > existing.endsAt)) existing.endsAt = period.endsAt;
  };
  for (const encounter of encounters) {
    const lastSeenAt = encounter.end ?? encounter.start;
    add(encounter.residentId, encounter.organizationCode, 'ENCOUNTER', { since: encounter.start, lastSeenAt, endsAt: null, source: { subgraph: 'records', recordId: encounter._id } });
  }
  for (const referral of city.referrals) {
    const requestedAt = new Date(referral.requestedAt);
    const open = referral.status === 'REQUESTED' || referral.status === 'ACCEPTED';
    const endsAt = open ? null : new Date(requestedAt.getTime() + REFERRAL_RELATIONSHIP_DAYS * DAY_MS);
    for (const organizationCode of [referral.fromOrganizationCode, referral.toOrganizationCode]) {
      add(referral.residentId, organizationCode, 'REFERRAL', { since: requestedAt, lastSeenAt: requestedAt, endsAt, source: { subgraph: 'referrals', recordId: referral.id } });
    }
  }
  for (const contract of contracts) {
    add(contract.residentId, contract.organizationCode, 'CONTRACT', { since: contract.since, lastSeenAt: contract.since, endsAt: contract.until, source: { subgraph: 'referrals', recordId: contract._id } });
  }
  for (const prescription of prescriptions) {
    const source = { subgraph: 'prescriptions', recordId: prescription._id };
    add(prescription.residentId, prescription.organizationCode, 'ENCOUNTER', { since: prescription.issuedAt, lastSeenAt: prescription.issuedAt, endsAt: null, source });
    if (prescription.pharmacyCode) add(prescription.residentId, prescription.pharmacyCode, 'DISPENSING', { since: prescription.issuedAt, lastSeenAt: prescription.issuedAt, endsAt: prescription.validUntil, source });
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
