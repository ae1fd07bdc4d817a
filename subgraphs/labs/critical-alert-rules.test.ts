import fc from 'fast-check';
import type { CareRelationshipFact } from '../../access-control/policy';
import { escalatesAt, isEscalated, reachesViewer, recipientsOf } from './critical-alert-rules';
import type { LabReportDoc } from './models';

const RAISED = new Date('2026-03-01T01:00:00.000Z');
const MINUTE = 60_000;
const open = (recipientPractitionerId: string | null) => ({
  recipientPractitionerId,
  raisedAt: RAISED,
  acknowledgedAt: null,
  acknowledgedLate: false,
  acknowledgedBy: null,
});

describe('escalation', () => {
  it('escalates an open alert exactly at the configured minutes after it was pushed', () => {
    expect(escalatesAt(open(null), 30).toISOString()).toBe('2026-03-01T01:30:00.000Z');
    expect(isEscalated(open(null), new Date('2026-03-01T01:29:59.999Z'), 30)).toBe(false);
    expect(isEscalated(open(null), new Date('2026-03-01T01:30:00.000Z'), 30)).toBe(true);
  });

  it('for every delay and setting: open is escalated from its time on; acknowledged keeps what it was then', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_080 }), fc.integer({ min: -20_000, max: 20_000 }), fc.boolean(), (minutes, offsetMinutes, late) => {
        const now = new Date(RAISED.getTime() + offsetMinutes * MINUTE);
        expect(isEscalated(open(null), now, minutes)).toBe(offsetMinutes >= minutes);
        expect(isEscalated({ ...open(null), acknowledgedAt: RAISED, acknowledgedLate: late }, now, minutes)).toBe(late);
      }),
    );
  });

  it('for every viewer: an alert addressed to a colleague reaches them only once escalated; one for the organization always', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_080 }), fc.integer({ min: 0, max: 20_000 }), fc.constantFrom('P-1', 'P-2', null), (minutes, after, viewer) => {
        const now = new Date(RAISED.getTime() + after * MINUTE);
        expect(reachesViewer(open(null), viewer, now, minutes)).toBe(true);
        expect(reachesViewer(open('P-1'), viewer, now, minutes)).toBe(viewer === 'P-1' || after >= minutes);
      }),
    );
  });
});

describe('recipients', () => {
  const report = (overrides: Partial<LabReportDoc> = {}) =>
    ({ hasCritical: true, status: 'FINAL', orderingOrganizationCode: '3201-H001', orderingPractitioner: 'P-1', ...overrides }) as LabReportDoc;
  const contract = (organizationCode: string, endsAt: Date | null = new Date(RAISED.getTime() + 86_400_000)): CareRelationshipFact => ({
    residentId: 'r',
    organizationCode,
    kind: 'CONTRACT',
    since: new Date(RAISED.getTime() - 86_400_000),
    lastSeenAt: new Date(RAISED.getTime() - 86_400_000),
    endsAt,
  });
  const settings = { encounterWindowDays: 365 };

  it('pushes to the ordering practitioner and each active contract’s organization, once per organization', () => {
    expect(recipientsOf(report(), [contract('3201-C001'), contract('3201-H001'), contract('3201-C002', RAISED)], RAISED, settings)).toEqual([
      { organizationCode: '3201-H001', practitionerId: 'P-1', reason: 'ORDERING' },
      { organizationCode: '3201-C001', practitionerId: null, reason: 'FAMILY_DOCTOR' },
      { organizationCode: '3201-C002', practitionerId: null, reason: 'FAMILY_DOCTOR' },
    ]);
    // An ended contract, another kind of standing, a withdrawn or non-critical report: nobody.
    expect(recipientsOf(report({ orderingOrganizationCode: null }), [contract('3201-C001', new Date(RAISED.getTime() - 1))], RAISED, settings)).toEqual([]);
    expect(recipientsOf(report({ orderingOrganizationCode: null }), [{ ...contract('3201-C001'), kind: 'REGISTRATION' }], RAISED, settings)).toEqual([]);
    expect(recipientsOf(report({ status: 'ENTERED_IN_ERROR' }), [contract('3201-C001')], RAISED, settings)).toEqual([]);
    expect(recipientsOf(report({ hasCritical: false }), [contract('3201-C001')], RAISED, settings)).toEqual([]);
  });

  it('for any contracts: never two alerts to one organization', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('3201-H001', '3201-C001', '3201-C002'), { maxLength: 6 }), (organizations) => {
        const codes = recipientsOf(
          report(),
          organizations.map((code) => contract(code)),
          RAISED,
          settings,
        ).map((recipient) => recipient.organizationCode);
        expect(new Set(codes).size).toBe(codes.length);
        expect(codes[0]).toBe('3201-H001');
      }),
    );
  });
});
