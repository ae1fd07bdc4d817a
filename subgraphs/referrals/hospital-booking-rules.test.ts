import fc from 'fast-check';
import { ZodError } from 'zod';
import { bookHospitalResourceInput, bookingRequestHash, fileHospitalResultInput, hospitalBookingLabel, resultMismatch } from './hospital-booking-rules';
import { EXAM_TYPES, type HospitalBookingDoc } from './models';

const hexId = fc.stringMatching(/^[0-9a-f]{24}$/);
const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });

it('takes a result with exactly one of a report and a discharge, whatever else is given', () => {
  fc.assert(
    fc.property(hexId, maybe(hexId), maybe(hexId), (bookingId, labReportId, dischargeEncounterId) => {
      const parsed = fileHospitalResultInput.safeParse({ bookingId, labReportId, dischargeEncounterId });
      expect(parsed.success).toBe((labReportId === undefined) !== (dischargeEncounterId === undefined));
    }),
  );
  expect(() => fileHospitalResultInput.parse({ bookingId: 'a'.repeat(24) })).toThrow(ZodError);
});

it('completes an exam only with a report and a virtual bed only with a discharge', () => {
  fc.assert(
    fc.property(fc.constantFrom('EXAM' as const, 'VIRTUAL_BED' as const), fc.boolean(), hexId, (kind, asReport, id) => {
      const filed = asReport ? { labReportId: id } : { dischargeEncounterId: id };
      expect(resultMismatch(kind, filed) === null).toBe(asReport === (kind === 'EXAM'));
    }),
  );
  expect(resultMismatch('EXAM', { dischargeEncounterId: 'a'.repeat(24) })).toBe('An exam booking is completed with its lab report (labReportId)');
});

it('makes a retry match only the same resident, pool, exam and reason', () => {
  const request = fc.record({
    residentId: hexId,
    poolId: hexId,
    examType: fc.constantFrom(null, ...EXAM_TYPES),
    reason: fc.string({ minLength: 2, maxLength: 40 }),
  });
  fc.assert(
    fc.property(request, request, (a, b) => {
      const same = a.residentId === b.residentId && a.poolId === b.poolId && a.examType === b.examType && a.reason === b.reason;
      expect(bookingRequestHash(a) === bookingRequestHash(b)).toBe(same);
      expect(bookingRequestHash(a)).toBe(bookingRequestHash({ ...a }));
    }),
  );
});

it('refuses a booking input naming its problem, and trims the reason', () => {
  expect(() => bookHospitalResourceInput.parse({ residentId: 'x', poolId: 'a'.repeat(24), reason: '复查', clientRequestId: 'request-1' })).toThrow(
    /residentId/,
  );
  expect(
    bookHospitalResourceInput.parse({ residentId: 'a'.repeat(24), poolId: 'b'.repeat(24), reason: '  复查CT  ', clientRequestId: 'request-1' }).reason,
  ).toBe('复查CT');
});

it('labels a booking with what its department and reason reveal, for both its ends', () => {
  const booking = { fromOrganizationCode: '3201-C001', organizationCode: '3201-H001', sensitivities: [] } as unknown as HospitalBookingDoc;
  expect(hospitalBookingLabel({ ...booking, department: '精神科', reason: '复诊' })).toEqual({
    categories: ['MENTAL_HEALTH'],
    organizationCode: ['3201-C001', '3201-H001'],
  });
  expect(hospitalBookingLabel({ ...booking, department: '影像科', reason: '慢阻肺随访，复查胸部CT' }).categories).toEqual([]);
});
