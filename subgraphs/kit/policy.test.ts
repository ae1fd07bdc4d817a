import { decide, mayDiscloseItem, type CareRelationshipFact, type ConsentFact, type DataKind } from './policy';
import type { Viewer } from './viewer';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const RESIDENT = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const settings = { encounterWindowDays: 730 };
const doctorAt = (organizationCode: string): Viewer => ({ subject: 'd', roles: ['doctor'], organizationCode, purposeOfUse: 'treatment' });

function encounter(organizationCode: string, daysAgo: number): CareRelationshipFact {
  const at = new Date(NOW.getTime() - daysAgo * DAY);
  return { residentId: RESIDENT, organizationCode, kind: 'ENCOUNTER', since: at, lastSeenAt: at, endsAt: null };
}

const outcome = (viewer: Viewer, kind: DataKind, relationships: CareRelationshipFact[] = [], consent: ConsentFact | null = null) =>
  decide({ viewer, residentId: RESIDENT, kind, relationships, consent, now: NOW, settings }).outcome;

describe('policy', () => {
  it('lets a doctor read a resident seen at their organization within the window', () => {
    expect(outcome(doctorAt('3201-H001'), 'labs', [encounter('3201-H001', 700)])).toBe('allowed');
  });

  it('denies once the last encounter is older than the window', () => {
    expect(outcome(doctorAt('3201-H001'), 'labs', [encounter('3201-H001', 731)])).toBe('denied');
  });

  it('denies a doctor whose organization has no relationship, even if another organization has one', () => {
    expect(outcome(doctorAt('3201-H002'), 'labs', [encounter('3201-H001', 1)])).toBe('denied');
  });

  it('honours a referral only while it is open or until it ended', () => {
    const referral = (endsAt: Date | null): CareRelationshipFact => ({ ...encounter('3201-C001', 10), kind: 'REFERRAL', endsAt });
    expect(outcome(doctorAt('3201-C001'), 'referrals', [referral(null)])).toBe('allowed');
    expect(outcome(doctorAt('3201-C001'), 'referrals', [referral(new Date(NOW.getTime() - DAY))])).toBe('denied');
  });

  it('shows residents their own record and access log, and nobody else’s', () => {
    const self: Viewer = { subject: 'r', roles: ['resident'], residentId: RESIDENT, purposeOfUse: 'self' };
    expect(outcome(self, 'labs')).toBe('allowed');
    expect(outcome(self, 'access-log')).toBe('allowed');
    expect(decide({ viewer: self, residentId: 'bbbbbbbbbbbbbbbbbbbbbbbb', kind: 'labs', relationships: [], consent: null, now: NOW, settings }).outcome).toBe('denied');
  });

  it('keeps clinical data from roles that never need a person’s record', () => {
    for (const role of ['pharmacist', 'lab_system', 'health_commission', 'privacy_officer'] as const) {
      const viewer: Viewer = { subject: 'x', roles: [role], organizationCode: '3201-H001', purposeOfUse: 'administration' };
      expect(outcome(viewer, 'labs', [encounter('3201-H001', 1)])).toBe('denied');
    }
  });

  it('gives privacy officers the access log but not the record; doctors neither the log', () => {
    const officer: Viewer = { subject: 'p', roles: ['privacy_officer'], purposeOfUse: 'administration' };
    expect(outcome(officer, 'access-log')).toBe('allowed');
    expect(outcome(officer, 'demographics')).toBe('denied');
    expect(outcome(doctorAt('3201-H001'), 'access-log', [encounter('3201-H001', 1)])).toBe('denied');
  });

  it('limits an internet hospital to what prescription renewal needs', () => {
    const viewer: Viewer = { subject: 'i', roles: ['internet_hospital'], organizationCode: '3201-I01', purposeOfUse: 'treatment' };
    const facts = [encounter('3201-I01', 5)];
    expect(outcome(viewer, 'prescriptions', facts)).toBe('allowed');
    expect(outcome(viewer, 'labs', facts)).toBe('denied');
  });

  it('lets a break-the-glass grant in until it ends, marked as an emergency', () => {
    const grant = (hoursLeft: number): CareRelationshipFact => ({ ...encounter('3201-H001', 0), kind: 'BREAK_GLASS', endsAt: new Date(NOW.getTime() + hoursLeft * 3_600_000) });
    const decision = decide({ viewer: doctorAt('3201-H001'), residentId: RESIDENT, kind: 'labs', relationships: [grant(1)], consent: null, now: NOW, settings });
    expect(decision).toMatchObject({ outcome: 'allowed', emergency: true });
    expect(outcome(doctorAt('3201-H001'), 'labs', [grant(-1)])).toBe('denied');
  });

  it('keeps a blocked organization out despite a care relationship', () => {
    const consent: ConsentFact = { residentId: RESIDENT, restrictedCategories: [], blockedOrganizations: ['3201-H001'] };
    expect(outcome(doctorAt('3201-H001'), 'labs', [encounter('3201-H001', 1)], consent)).toBe('denied');
    expect(outcome(doctorAt('3201-H002'), 'labs', [encounter('3201-H002', 1)], consent)).toBe('allowed');
  });

  it('omits restricted items for everyone but the resident and the item’s own organization', () => {
    const consent: ConsentFact = { residentId: RESIDENT, restrictedCategories: ['MENTAL_HEALTH'], blockedOrganizations: [] };
    const item = (viewer: Viewer, itemOrganizationCode: string, emergency = false) =>
      mayDiscloseItem({ viewer, residentId: RESIDENT, consent, sensitivity: 'MENTAL_HEALTH', itemOrganizationCode, emergency, settings });
    expect(item(doctorAt('3201-H002'), '3201-H001')).toBe(false);
    expect(item(doctorAt('3201-H002'), '3201-H001', true)).toBe(false);
    expect(item(doctorAt('3201-H001'), '3201-H001')).toBe(true);
    expect(item({ subject: 'r', roles: ['resident'], residentId: RESIDENT, purposeOfUse: 'self' }, '3201-H001')).toBe(true);
    expect(mayDiscloseItem({ viewer: doctorAt('3201-H002'), residentId: RESIDENT, consent, sensitivity: 'HIV_STI', itemOrganizationCode: '3201-H001', emergency: false, settings })).toBe(true);
  });
});
