import fc from 'fast-check';
import { decideEntry, ENTRY_POINTS, ENTRY_RULES, type EntryPoint } from './entry-points';
import {
  acceptedReferralEnd,
  type CareRelationshipFact,
  type ConsentFact,
  type DataKind,
  decide,
  decideWrite,
  dispensedEnd,
  effectiveEnd,
  holdsRoleFor,
  mayDiscloseItem,
  type WriteKind,
} from './policy';
import { ROLES, type Role, type Viewer } from './viewer';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const RESIDENT = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const settings = { encounterWindowDays: 730 };
const doctorAt = (organizationCode: string): Viewer => ({ subject: 'd', roles: ['doctor'], organizationCode, purposeOfUse: 'treatment' });

function encounter(organizationCode: string, daysAgo: number): CareRelationshipFact {
  const at = new Date(NOW.getTime() - daysAgo * DAY);
  return { residentId: RESIDENT, organizationCode, kind: 'REGISTRATION', since: at, lastSeenAt: at, careSeenAt: at, endsAt: null };
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

  it('shows the centre of an open nursing order what the visit needs, while the order is open, and lets it act on the order alone', () => {
    const centre: Viewer = { subject: 'n', roles: ['family_doctor'], organizationCode: '3201-C001', practitionerId: 'N1', purposeOfUse: 'treatment' };
    const order = (endsAt: Date | null): CareRelationshipFact => ({ ...encounter('3201-C001', 2), kind: 'NURSING', careSeenAt: null, endsAt });
    const open = order(new Date(NOW.getTime() + DAY));
    const kinds: DataKind[] = ['demographics', 'allergies', 'prescriptions', 'nursing', 'conditions', 'encounters', 'labs', 'referrals', 'care-relationships'];
    expect(kinds.map((kind) => outcome(centre, kind, [open]))).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'allowed',
      'denied',
      'denied',
      'denied',
      'denied',
      'denied',
    ]);
    expect(outcome(centre, 'allergies', [order(new Date(NOW.getTime() - 1))])).toBe('denied');
    // Only the centre's clinicians read by it: a hospital's doctors at a code holding such a fact read nothing.
    const atHospital = { ...open, organizationCode: '3201-H001' };
    expect([outcome(doctorAt('3201-H001'), 'allergies', [atHospital]), outcome(doctorAt('3201-H001'), 'demographics', [atHospital])]).toEqual([
      'denied',
      'denied',
    ]);
    // Stored without an end, it still ends NURSING_ORDER_DAYS (30) after it began.
    expect(effectiveEnd(order(null), settings)).toEqual(new Date('2026-06-29T00:00:00Z'));
    const write = (kind: WriteKind, relationships: CareRelationshipFact[]) =>
      decideWrite({ viewer: centre, residentId: RESIDENT, write: kind, relationships, consent: null, now: NOW, settings }).outcome;
    expect([write('provide-nursing', [open]), write('refer', [open]), write('provide-nursing', [encounter('3201-C001', 1)])]).toEqual([
      'allowed',
      'denied',
      'denied',
    ]);
  });

  it('shows residents their own record and access log, and nobody else’s', () => {
    const self: Viewer = { subject: 'r', roles: ['resident'], residentId: RESIDENT, purposeOfUse: 'self' };
    expect(outcome(self, 'labs')).toBe('allowed');
    expect(outcome(self, 'access-log')).toBe('allowed');
    expect(decide({ viewer: self, residentId: 'bbbbbbbbbbbbbbbbbbbbbbbb', kind: 'labs', relationships: [], consent: null, now: NOW, settings }).outcome).toBe(
      'denied',
    );
  });

  it('keeps clinical data from roles that never need a person’s record', () => {
    for (const role of ['pharmacist', 'lab_system', 'health_commission', 'privacy_officer'] as const) {
      const viewer: Viewer = { subject: 'x', roles: [role], organizationCode: '3201-H001', purposeOfUse: 'administration' };
      expect(outcome(viewer, 'labs', [encounter('3201-H001', 1)])).toBe('denied');
    }
  });

  it('gives privacy officers the access log and whose record it is, but not the record; doctors neither the log', () => {
    const officer: Viewer = { subject: 'p', roles: ['privacy_officer'], purposeOfUse: 'administration' };
    expect(outcome(officer, 'access-log')).toBe('allowed');
    expect(outcome(officer, 'demographics')).toBe('allowed');
    for (const kind of ['encounters', 'conditions', 'allergies', 'labs', 'prescriptions', 'referrals'] as const)
      expect([kind, outcome(officer, kind)]).toEqual([kind, 'denied']);
    expect(outcome(doctorAt('3201-H001'), 'access-log', [encounter('3201-H001', 1)])).toBe('denied');
  });

  it('limits an internet hospital to what prescription renewal needs', () => {
    const viewer: Viewer = { subject: 'i', roles: ['internet_hospital'], organizationCode: '3201-I01', purposeOfUse: 'treatment' };
    const facts = [encounter('3201-I01', 5)];
    expect(outcome(viewer, 'prescriptions', facts)).toBe('allowed');
    expect(outcome(viewer, 'labs', facts)).toBe('denied');
  });

  it('lets a break-the-glass grant in for the practitioner who asked, until it ends, marked as an emergency', () => {
    const grant = (hoursLeft: number): CareRelationshipFact => ({
      ...encounter('3201-H001', 0),
      kind: 'BREAK_GLASS',
      practitionerId: 'P1',
      endsAt: new Date(NOW.getTime() + hoursLeft * 3_600_000),
    });
    const asker: Viewer = { ...doctorAt('3201-H001'), practitionerId: 'P1' };
    const decision = decide({ viewer: asker, residentId: RESIDENT, kind: 'labs', relationships: [grant(1)], consent: null, now: NOW, settings });
    expect(decision).toEqual({ outcome: 'allowed', reason: 'break-the-glass grant', emergency: true, basis: 'BREAK_GLASS' });
    expect(outcome(asker, 'labs', [grant(-1)])).toBe('denied');
    expect(outcome({ ...asker, practitionerId: 'P2' }, 'labs', [grant(1)])).toBe('denied');
    expect(outcome(doctorAt('3201-H001'), 'labs', [grant(1)])).toBe('denied');
  });

  it('holds while any relationship holds: ending one source leaves the others', () => {
    const referral = (recordId: string, endsAt: Date | null): CareRelationshipFact => ({
      ...encounter('3201-H001', 10),
      kind: 'REFERRAL',
      endsAt,
      source: { subgraph: 'referrals', recordId },
    });
    const ended = new Date(NOW.getTime() - DAY);
    expect(outcome(doctorAt('3201-H001'), 'labs', [referral('r1', ended), referral('r2', null)])).toBe('allowed');
    expect(outcome(doctorAt('3201-H001'), 'labs', [referral('r1', ended), referral('r2', ended)])).toBe('denied');
  });

  it('shows a referral offered (not yet accepted) and whom it is about, nothing else', () => {
    const offer: CareRelationshipFact = { ...encounter('3201-H002', 1), kind: 'REFERRAL_OFFER', endsAt: new Date(NOW.getTime() + DAY) };
    expect(outcome(doctorAt('3201-H002'), 'referrals', [offer])).toBe('allowed');
    expect(outcome(doctorAt('3201-H002'), 'demographics', [offer])).toBe('allowed');
    expect(outcome(doctorAt('3201-H002'), 'encounters', [offer])).toBe('denied');
    expect(outcome(doctorAt('3201-H002'), 'labs', [offer])).toBe('denied');
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
    expect(
      mayDiscloseItem({
        viewer: doctorAt('3201-H002'),
        residentId: RESIDENT,
        consent,
        sensitivity: 'HIV_STI',
        itemOrganizationCode: '3201-H001',
        emergency: false,
        settings,
      }),
    ).toBe(true);
  });

  it('gives dispensing to the pharmacy for what dispensing needs and to nobody else at its organization', () => {
    const dispensing: CareRelationshipFact = { ...encounter('3201-P01', 1), kind: 'DISPENSING', careSeenAt: null, endsAt: new Date(NOW.getTime() + DAY) };
    const at = (roles: Viewer['roles']): Viewer => ({ subject: 'x', roles, organizationCode: '3201-P01', purposeOfUse: 'treatment' });
    expect(outcome(at(['pharmacist']), 'prescriptions', [dispensing])).toBe('allowed');
    expect(outcome(at(['doctor']), 'labs', [dispensing])).toBe('denied');
    expect(outcome(at(['doctor']), 'prescriptions', [dispensing])).toBe('denied');
    expect(outcome(at(['hospital_system']), 'identity', [dispensing])).toBe('denied');
  });

  it('lets each of a viewer’s roles in: a hospital system that is also a pharmacy reads whom it registered', () => {
    const viewer: Viewer = { subject: 'x', roles: ['pharmacist', 'hospital_system'], organizationCode: '3201-H001', purposeOfUse: 'treatment' };
    expect(outcome(viewer, 'demographics', [encounter('3201-H001', 1)])).toBe('allowed');
    expect(outcome(viewer, 'labs', [encounter('3201-H001', 1)])).toBe('denied');
  });

  it('ends every kind of fact, even one stored without an end', () => {
    const since = new Date('2026-05-31T22:00:00Z');
    const stored = (kind: CareRelationshipFact['kind']): CareRelationshipFact => ({
      residentId: RESIDENT,
      organizationCode: '3201-H001',
      kind,
      since,
      lastSeenAt: since,
      endsAt: null,
      practitionerId: 'P1',
    });
    expect(effectiveEnd(stored('BREAK_GLASS'), settings)).toEqual(new Date('2026-06-01T02:00:00Z'));
    expect(effectiveEnd(stored('REFERRAL'), settings)).toEqual(new Date('2026-11-27T22:00:00Z'));
    expect(effectiveEnd(stored('REFERRAL_OFFER'), settings)).toEqual(new Date('2026-06-07T22:00:00Z'));
    expect(effectiveEnd(stored('DISPENSING'), settings)).toEqual(new Date('2026-06-30T22:00:00Z'));
    expect(effectiveEnd(stored('CONTRACT'), settings)).toEqual(new Date('2029-06-02T22:00:00Z'));
    const asker: Viewer = { ...doctorAt('3201-H001'), practitionerId: 'P1' };
    const later = (hours: number) =>
      decide({
        viewer: asker,
        residentId: RESIDENT,
        kind: 'labs',
        relationships: [stored('BREAK_GLASS')],
        consent: null,
        now: new Date(since.getTime() + hours * 3_600_000),
        settings,
      }).outcome;
    expect([later(4), later(4.01)]).toEqual(['allowed', 'denied']);
  });

  describe('writes', () => {
    const write = (viewer: Viewer, kind: WriteKind, relationships: CareRelationshipFact[] = [], consent: ConsentFact | null = null) =>
      decideWrite({ viewer, residentId: RESIDENT, write: kind, relationships, consent, now: NOW, settings }).outcome;
    const system = (roles: Viewer['roles'], organizationCode = '3201-H001'): Viewer => ({ subject: 's', roles, organizationCode, purposeOfUse: 'treatment' });

    it('needs standing for every clinical write, and no write is its own standing', () => {
      for (const [viewer, kind] of [
        [system(['hospital_system']), 'record-clinical'],
        [system(['lab_system']), 'submit-lab-report'],
        [doctorAt('3201-H001'), 'prescribe'],
        [doctorAt('3201-H001'), 'refer'],
        [doctorAt('3201-H001'), 'check-order'],
        [{ ...doctorAt('3201-H001'), roles: ['family_doctor'], practitionerId: 'F1' }, 'offer-contract'],
      ] as [Viewer, WriteKind][]) {
        expect([kind, write(viewer, kind)]).toEqual([kind, 'denied']);
        expect([kind, write(viewer, kind, [encounter('3201-H001', 1)])]).toEqual([kind, 'allowed']);
        expect([kind, write(viewer, kind, [encounter('3201-H002', 1)])]).toEqual([kind, 'denied']);
      }
    });

    it('lets a registration happen at any hospital desk (it is where standing arises), and nowhere else', () => {
      expect(write(system(['hospital_system']), 'register')).toBe('allowed');
      expect(write(doctorAt('3201-H001'), 'register')).toBe('denied');
    });

    it('lets a pharmacy dispense only under its dispensing relationship', () => {
      const dispensing: CareRelationshipFact = { ...encounter('3201-P01', 1), kind: 'DISPENSING', endsAt: new Date(NOW.getTime() + DAY) };
      expect(write(system(['pharmacist'], '3201-P01'), 'dispense', [dispensing])).toBe('allowed');
      expect(write(system(['pharmacist'], '3201-P01'), 'dispense', [{ ...encounter('3201-P01', 1) }])).toBe('denied');
      expect(write(system(['pharmacist'], '3201-P02'), 'dispense', [dispensing])).toBe('denied');
    });

    it('lets the receiver act on a referral offered to it, but not record or prescribe on the offer', () => {
      const offer: CareRelationshipFact = { ...encounter('3201-H002', 1), kind: 'REFERRAL_OFFER', endsAt: new Date(NOW.getTime() + DAY) };
      expect(write(doctorAt('3201-H002'), 'receive-referral', [offer])).toBe('allowed');
      expect(write(doctorAt('3201-H002'), 'prescribe', [offer])).toBe('denied');
      expect(write(system(['hospital_system'], '3201-H002'), 'record-clinical', [offer])).toBe('denied');
    });

    it('gives break-the-glass and contract offers to named practitioners only; contracts are accepted by the resident', () => {
      expect(write(doctorAt('3201-H100'), 'break-glass')).toBe('denied');
      expect(write({ ...doctorAt('3201-H100'), practitionerId: 'P1' }, 'break-glass')).toBe('allowed');
      expect(write({ ...doctorAt('3201-H001'), roles: ['family_doctor'] }, 'offer-contract', [encounter('3201-H001', 1)])).toBe('denied');
      const self: Viewer = { subject: 'r', roles: ['resident'], residentId: RESIDENT, purposeOfUse: 'self' };
      expect(write(self, 'accept-contract')).toBe('allowed');
      expect(write({ ...self, residentId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, 'accept-contract')).toBe('denied');
    });

    it('keeps a blocked organization from writing, as from reading', () => {
      const consent: ConsentFact = { residentId: RESIDENT, restrictedCategories: [], blockedOrganizations: ['3201-H001'] };
      expect(write(doctorAt('3201-H001'), 'prescribe', [encounter('3201-H001', 1)], consent)).toBe('denied');
    });

    it('lets an emergency grant order and prescribe for the clinician, but never refer or route to a pharmacy', () => {
      const asker: Viewer = { ...doctorAt('3201-H001'), practitionerId: 'P1' };
      const grant: CareRelationshipFact = {
        ...encounter('3201-H001', 1),
        kind: 'BREAK_GLASS',
        practitionerId: 'P1',
        careSeenAt: null,
        endsAt: new Date(NOW.getTime() + 3_600_000),
      };
      expect(write(asker, 'check-order', [grant])).toBe('allowed');
      expect(write(asker, 'prescribe', [grant])).toBe('allowed');
      expect(write(asker, 'refer', [grant])).toBe('denied');
      expect(write(asker, 'route-to-pharmacy', [grant])).toBe('denied');
      expect(write(asker, 'refer', [grant, encounter('3201-H001', 1)])).toBe('allowed');
    });
  });

  describe('registrations', () => {
    const registered = (daysAgo: number, careDaysAgo: number | null): CareRelationshipFact => {
      const at = new Date(NOW.getTime() - daysAgo * DAY);
      return {
        residentId: RESIDENT,
        organizationCode: '3201-H001',
        kind: 'REGISTRATION',
        since: at,
        lastSeenAt: at,
        careSeenAt: careDaysAgo === null ? null : new Date(NOW.getTime() - careDaysAgo * DAY),
        endsAt: null,
      };
    };

    it('lapse 30 days after the last registration when no care follows', () => {
      expect(outcome(doctorAt('3201-H001'), 'labs', [registered(29, null)])).toBe('allowed');
      expect(outcome(doctorAt('3201-H001'), 'labs', [registered(31, null)])).toBe('denied');
    });

    it('hold for the care window after the latest visit once care follows', () => {
      expect(outcome(doctorAt('3201-H001'), 'labs', [registered(400, 700)])).toBe('allowed');
      expect(outcome(doctorAt('3201-H001'), 'labs', [registered(800, 731)])).toBe('denied');
    });

    it('take the registration window from the settings', () => {
      const fact = registered(10, null);
      const decideWith = (registrationWindowDays: number) =>
        decide({
          viewer: doctorAt('3201-H001'),
          residentId: RESIDENT,
          kind: 'labs',
          relationships: [fact],
          consent: null,
          now: NOW,
          settings: { ...settings, registrationWindowDays },
        }).outcome;
      expect(decideWith(7)).toBe('denied');
      expect(decideWith(14)).toBe('allowed');
    });

    it('end as their effective end says', () => {
      expect(effectiveEnd(registered(10, null), settings)).toEqual(new Date('2026-06-21T00:00:00Z'));
      expect(effectiveEnd(registered(10, 5), settings)).toEqual(new Date('2028-05-26T00:00:00Z'));
    });
  });

  describe('ends of derived standing', () => {
    it('ends an accepted referral that is never completed 180 days after its session or acceptance', () => {
      expect(acceptedReferralEnd(new Date('2026-01-01T00:00:00Z'), null, settings)).toEqual(new Date('2026-06-30T00:00:00Z'));
      expect(acceptedReferralEnd(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-11T00:00:00Z'), settings)).toEqual(new Date('2026-07-10T00:00:00Z'));
      expect(acceptedReferralEnd(new Date('2026-01-01T00:00:00Z'), null, { ...settings, referralOpenDays: 10 })).toEqual(new Date('2026-01-11T00:00:00Z'));
    });

    it('ends a pharmacy’s standing 30 days after dispensing', () => {
      expect(dispensedEnd(new Date('2026-01-01T00:00:00Z'), settings)).toEqual(new Date('2026-01-31T00:00:00Z'));
    });
  });
});

/** A token with these roles, naming what `names` says (o: organization, p: practitioner, r: resident). */
function token(roles: Role[], names = 'op'): Viewer {
  return {
    subject: 't',
    roles,
    organizationCode: names.includes('o') ? '3201-H001' : undefined,
    practitionerId: names.includes('p') ? 'P1' : undefined,
    residentId: names.includes('r') ? RESIDENT : undefined,
    purposeOfUse: 'treatment',
  };
}

describe('entry points', () => {
  const cases: [EntryPoint, allowed: Viewer[], denied: Viewer[]][] = [
    [
      'read-residents',
      [token(['doctor']), token(['internet_hospital']), token(['hospital_system']), token(['privacy_officer'], ''), token(['resident'], 'r')],
      [token(['pharmacist']), token(['lab_system']), token(['health_commission'], ''), token(['hotline_operator'])],
    ],
    [
      'find-residents',
      [token(['doctor']), token(['family_doctor']), token(['hospital_system'])],
      [token(['internet_hospital']), token(['resident'], 'r'), token(['privacy_officer'], '')],
    ],
    ['administer-identity', [token(['privacy_officer'], ''), token(['hospital_system'])], [token(['doctor']), token(['resident'], 'r')]],
    [
      'read-clinical-record',
      [token(['doctor']), token(['family_doctor']), token(['resident'], 'r')],
      [token(['internet_hospital']), token(['pharmacist']), token(['privacy_officer'], '')],
    ],
    [
      'read-prescriptions',
      [token(['doctor']), token(['internet_hospital']), token(['pharmacist']), token(['resident'], 'r')],
      [token(['hospital_system']), token(['privacy_officer'], '')],
    ],
    [
      'see-safety-warnings',
      [token(['family_doctor']), token(['internet_hospital']), token(['pharmacist'])],
      [token(['resident'], 'r'), token(['hospital_system'])],
    ],
    [
      'read-care-relationships',
      [token(['family_doctor']), token(['internet_hospital']), token(['resident'], 'r'), token(['privacy_officer'], '')],
      [token(['pharmacist']), token(['hospital_system'])],
    ],
    ['see-every-organization-relationships', [token(['resident'], 'r'), token(['privacy_officer'], '')], [token(['doctor']), token(['internet_hospital'])]],
    ['read-own-oversight', [token(['resident'], 'r'), token(['privacy_officer'], '')], [token(['doctor']), token(['health_commission'], '')]],
    ['oversee', [token(['privacy_officer'], '')], [token(['resident'], 'r'), token(['health_commission'], '')]],
    ['see-audit-subjects', [token(['privacy_officer'], '')], [token(['resident'], 'r'), token(['doctor'])]],
    ['cockpit-city', [token(['health_commission'], '')], [token(['doctor']), token(['privacy_officer'], '')]],
    [
      'cockpit-own-organization',
      [token(['doctor'], 'o'), token(['hospital_system'], 'o')],
      [token(['doctor'], 'p'), token(['family_doctor'], 'o'), token(['health_commission'], 'o')],
    ],
    ['reminder-statistics', [token(['health_commission'], '')], [token(['doctor']), token(['lab_system'])]],
    ['overdue-follow-ups', [token(['family_doctor'], 'o')], [token(['family_doctor'], 'p'), token(['doctor'], 'o'), token(['hospital_system'], 'o')]],
    [
      'critical-result-inbox',
      [token(['doctor'], 'o'), token(['family_doctor'], 'op')],
      [token(['doctor'], 'p'), token(['pharmacist'], 'o'), token(['lab_system'], 'o')],
    ],
    [
      'sign-prescription',
      [token(['doctor'], 'op'), token(['family_doctor'], 'p')],
      [token(['doctor'], 'o'), token(['internet_hospital'], 'op'), token(['pharmacist'], 'op')],
    ],
    ['pharmacy-view', [token(['pharmacist'])], [token(['pharmacist', 'doctor']), token(['pharmacist', 'internet_hospital']), token(['doctor'])]],
    ['act-for-pharmacy', [token(['pharmacist'], 'o')], [token(['pharmacist'], 'p'), token(['doctor'], 'o')]],
    ['see-bookable-slots', [token(['doctor'], ''), token(['family_doctor'], '')], [token(['hospital_system']), token(['resident'], 'r')]],
    ['see-reserved-share', [token(['family_doctor'], 'o')], [token(['doctor']), token(['hospital_system'])]],
    ['book-reserved-share', [token(['family_doctor'], 'op')], [token(['family_doctor'], 'o'), token(['doctor'], 'op')]],
    ['publish-slot-pools', [token(['hospital_system'], 'o')], [token(['hospital_system'], ''), token(['doctor'], 'o'), token(['lab_system'], 'o')]],
    ['list-own-appointments', [token(['resident'], 'r')], [token(['resident'], ''), token(['hotline_operator'], 'o')]],
    [
      'read-nursing-orders',
      [token(['resident'], 'r'), token(['internet_hospital'], 'o'), token(['family_doctor'], 'o')],
      [token(['pharmacist'], 'o'), token(['hospital_system'], 'o'), token(['hotline_operator'], 'o')],
    ],
    ['list-own-settlements', [token(['resident'], 'r')], [token(['resident'], ''), token(['hospital_system'], 'o'), token(['health_commission'], '')]],
    [
      'institution-settlements',
      [token(['hospital_system'], 'o'), token(['internet_hospital'], 'o')],
      [token(['hospital_system'], ''), token(['doctor'], 'o'), token(['resident'], 'r'), token(['health_commission'], '')],
    ],
    ['publish-checkup-packages', [token(['hospital_system'], 'o')], [token(['hospital_system'], ''), token(['lab_system'], 'o'), token(['resident'], 'r')]],
  ];

  it('has a case for every entry point', () => {
    expect(cases.map(([entry]) => entry).sort()).toEqual([...ENTRY_POINTS].sort());
  });

  it.each(cases)('%s: lets in the callers it is for and refuses the others', (entry, allowed, denied) => {
    for (const viewer of allowed) expect([viewer.roles, decideEntry(viewer, entry).outcome]).toEqual([viewer.roles, 'allowed']);
    for (const viewer of denied) expect([viewer.roles, decideEntry(viewer, entry).outcome]).toEqual([viewer.roles, 'denied']);
  });

  it('refuses with the messages callers have always seen', () => {
    expect(decideEntry(token(['doctor'], 'o'), 'publish-slot-pools').reason).toBe('Only a hospital’s own system publishes its slot pools');
    expect(decideEntry(token(['doctor'], 'o'), 'sign-prescription').reason).toBe('Only a physician signs a prescription');
    expect(decideEntry(token(['doctor'], 'o'), 'act-for-pharmacy').reason).toBe('Only the chosen pharmacy acts on this prescription');
    expect(decideEntry(token(['doctor'], ''), 'cockpit-own-organization').reason).toBe(
      'The cockpit is for the health commission and for hospitals (their own rows)',
    );
    expect(decideEntry(token(['resident'], ''), 'list-own-appointments').reason).toBe('For residents: their own appointments');
  });

  it('tells which bookers hold each booking write', () => {
    expect(holdsRoleFor(token(['resident'], 'r'), 'book-appointment')).toBe(true);
    expect(holdsRoleFor(token(['hotline_operator']), 'book-appointment')).toBe(false);
    expect(holdsRoleFor(token(['hotline_operator']), 'book-appointment-by-phone')).toBe(true);
    expect(holdsRoleFor(token(['hospital_system']), 'book-in-clinic')).toBe(true);
    expect(holdsRoleFor(token(['doctor']), 'book-in-clinic')).toBe(false);
  });

  const anyViewer = fc.record({
    roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
    names: fc.subarray(['o', 'p', 'r']).map((letters) => letters.join('')),
  });

  it('never lets in a caller without one of its roles, or whose token lacks what it needs; a refusal is its own message', () => {
    fc.assert(
      fc.property(anyViewer, fc.constantFrom(...ENTRY_POINTS), ({ roles, names }, entry) => {
        const viewer = token(roles, names);
        const rule = ENTRY_RULES[entry];
        const decision = decideEntry(viewer, entry);
        if (decision.outcome === 'denied') return decision.reason === rule.refusal;
        const named = { organization: viewer.organizationCode, practitioner: viewer.practitionerId, resident: viewer.residentId };
        return (
          roles.some((role) => rule.roles.includes(role)) &&
          !roles.some((role) => rule.unless?.includes(role)) &&
          (rule.needs ?? []).every((need) => named[need] !== undefined)
        );
      }),
    );
  });
});
