/** What the demo city implies beyond its records: care relationships, and a resident to show. */
import { type CareRelationshipDoc, careRelationshipDoc } from '../../access-control/access-store';
import { acceptedReferralEnd } from '../../access-control/policy';
import type { PrescriptionDoc } from '../../subgraphs/prescriptions/models';
import type { EncounterDoc } from '../../subgraphs/records/models';
import type { ContractDoc } from '../../subgraphs/referrals/models';
import { expiresAtOf } from '../../subgraphs/referrals/referral-rules';
import type { City } from './city';

export interface DemoFacts {
  /** A resident with lab reports (with result lines), prescriptions and a referral. */
  residentId: string;
  /** A tertiary hospital where that resident had a recent encounter: the demo doctor works there. */
  doctorOrganizationCode: string;
  /** The community health centre that referred the resident, if any: the demo family doctor works there. */
  familyDoctorOrganizationCode: string | null;
  /** Another hospital the resident visited: the source of the item the resident restricted. */
  otherHospitalCode: string;
  /** The internet hospital where the resident had an online visit: the demo physician works there. */
  internetHospitalCode: string;
  /** Two cloud pharmacies, each with a demo pharmacist. */
  pharmacyCodes: string[];
  /** A department of the doctor's hospital with slot pools reserving places for family doctors (null if it offers none). */
  referralDepartment: string | null;
  /** The category the demo resident keeps private (one item of it is on the record). */
  restrictedCategory: 'MENTAL_HEALTH';
}

const DAY_MS = 86_400_000;
/** A closed referral keeps the relationship for this long after it was requested. */
const REFERRAL_RELATIONSHIP_DAYS = 90;

/**
 * The relationships the demo city's history implies, one fact per source as the subgraphs
 * record them: a registration at every organization the resident visited (the desk comes
 * first), each referral (accepted ones as REFERRAL, open offers as REFERRAL_OFFER), each
 * active contract, and dispensing for signed prescriptions routed to a pharmacy.
 */
export function careRelationshipsOf(
  city: Pick<City, 'referrals'>,
  encounters: EncounterDoc[],
  prescriptions: PrescriptionDoc[],
  contracts: ContractDoc[],
): CareRelationshipDoc[] {
  const byKey = new Map<string, CareRelationshipDoc>();
  const add = (doc: CareRelationshipDoc) => {
    const existing = byKey.get(doc._id);
    if (!existing) {
      byKey.set(doc._id, doc);
      return;
    }
    if (doc.since < existing.since) existing.since = doc.since;
    if (doc.lastSeenAt > existing.lastSeenAt) existing.lastSeenAt = doc.lastSeenAt;
    if (doc.careSeenAt && (!existing.careSeenAt || doc.careSeenAt > existing.careSeenAt)) existing.careSeenAt = doc.careSeenAt;
  };
  // A visit (or the prescription written at one) is care after the registration at the desk.
  const registration = (residentId: string, organizationCode: string, at: Date, care: boolean) =>
    add(
      careRelationshipDoc({
        residentId,
        organizationCode,
        kind: 'REGISTRATION',
        since: at,
        lastSeenAt: at,
        careSeenAt: care ? at : null,
        source: { subgraph: 'records', recordId: `registration/${residentId}` },
        basis: 'demo data',
      }),
    );
  for (const encounter of encounters) registration(encounter.residentId, encounter.organizationCode, encounter.start, true);
  for (const prescription of prescriptions) registration(prescription.residentId, prescription.organizationCode, prescription.issuedAt, true);
  for (const referral of city.referrals) {
    const requestedAt = new Date(referral.requestedAt);
    const source = { subgraph: 'referrals', recordId: referral.id };
    const offered = referral.status === 'REQUESTED';
    const open = offered || referral.status === 'ACCEPTED';
    // Every kind ends: an offer when it expires, an accepted referral never completed after the open window.
    const endsAt = offered
      ? expiresAtOf(requestedAt)
      : open
        ? acceptedReferralEnd(requestedAt, null, { encounterWindowDays: 730 })
        : new Date(requestedAt.getTime() + REFERRAL_RELATIONSHIP_DAYS * DAY_MS);
    add(
      careRelationshipDoc({
        residentId: referral.residentId,
        organizationCode: referral.toOrganizationCode,
        kind: offered ? 'REFERRAL_OFFER' : 'REFERRAL',
        since: requestedAt,
        endsAt,
        source,
        basis: 'demo data',
      }),
    );
    // The sender registered and saw the resident before referring them.
    registration(referral.residentId, referral.fromOrganizationCode, requestedAt, true);
  }
  for (const contract of contracts) {
    add(
      careRelationshipDoc({
        residentId: contract.residentId,
        organizationCode: contract.organizationCode,
        kind: 'CONTRACT',
        since: contract.since,
        endsAt: contract.until,
        source: { subgraph: 'referrals', recordId: contract._id },
      }),
    );
  }
  for (const prescription of prescriptions) {
    if (!prescription.pharmacyCode || prescription.status === 'DRAFT') continue;
    add(
      careRelationshipDoc({
        residentId: prescription.residentId,
        organizationCode: prescription.pharmacyCode,
        kind: 'DISPENSING',
        since: prescription.issuedAt,
        endsAt: prescription.validUntil,
        source: { subgraph: 'prescriptions', recordId: prescription._id },
      }),
    );
  }
  return [...byKey.values()];
}

export function pickDemoFacts(city: City, now: Date, slotPoolHospitals: ReadonlySet<string> = new Set()): DemoFacts {
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
  const hospital = (code: string) => levels.get(code) === 'TERTIARY' || levels.get(code) === 'SECONDARY';
  const pick = (requireSlotPools: boolean): Omit<DemoFacts, 'internetHospitalCode' | 'pharmacyCodes' | 'referralDepartment' | 'restrictedCategory'> | null => {
    for (const referral of city.referrals) {
      const residentId = referral.residentId;
      if (!labs.get(residentId) || !prescriptions.get(residentId)) continue;
      // The busiest general hospital the resident visited lately, rather than a specialist one.
      const visits = city.encounters.filter((candidate) => candidate.residentId === residentId);
      const encounter = visits
        .filter((candidate) => levels.get(candidate.organizationCode) === 'TERTIARY' && new Date(candidate.end).getTime() > recent)
        .filter((candidate) => !requireSlotPools || slotPoolHospitals.has(candidate.organizationCode))
        .sort((a, b) => volume(b.organizationCode) - volume(a.organizationCode))[0];
      if (!encounter) continue;
      const doctorOrganizationCode = encounter.organizationCode;
      const from = levels.get(referral.fromOrganizationCode) === 'COMMUNITY' ? referral.fromOrganizationCode : null;
      const otherVisited = visits.map((visit) => visit.organizationCode).find((code) => code !== doctorOrganizationCode && hospital(code));
      const busiestOther = city.organizations
        .filter((organization) => hospital(organization.code) && organization.code !== doctorOrganizationCode)
        .sort((a, b) => b.outpatientVisits - a.outpatientVisits)[0]!.code;
      return { residentId, doctorOrganizationCode, familyDoctorOrganizationCode: from, otherHospitalCode: otherVisited ?? busiestOther };
    }
    return null;
  };
  const picked = pick(slotPoolHospitals.size > 0) ?? pick(false);
  if (!picked) throw new Error('The demo city has no resident with labs, prescriptions, a referral and a recent hospital encounter');
  const ofLevel = (level: string) => city.organizations.filter((organization) => organization.level === level);
  const doctorHospitalName = organizations.get(picked.doctorOrganizationCode)!.name;
  const internetHospital =
    ofLevel('INTERNET_HOSPITAL').find((organization) => organization.name === `${doctorHospitalName}互联网医院`) ?? ofLevel('INTERNET_HOSPITAL')[0]!;
  return {
    ...picked,
    internetHospitalCode: internetHospital.code,
    pharmacyCodes: ofLevel('PHARMACY')
      .slice(0, 2)
      .map((organization) => organization.code),
    referralDepartment: slotPoolHospitals.has(picked.doctorOrganizationCode) ? '心血管内科' : null,
    restrictedCategory: 'MENTAL_HEALTH',
  };
}
