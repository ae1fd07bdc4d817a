/**
 * Family doctors' bookings of hospital exams and virtual beds through the real gateway: the
 * contracted family doctor books the reserved share first, the last place goes to exactly one
 * of many concurrent bookings, the hospital gets an accepted referral's standing from the
 * booking (and loses it on cancellation), and the exam report or discharge the hospital files
 * comes back to the family doctor's inbox. Bad input and every denial change nothing.
 */
import { oneOf } from '../../../platform/database';
import { addDays, beijingDate } from '../../../subgraphs/referrals/referral-rules';
import { insertHospitals, insertResidents, insertSlotPool, labSubmission, modelsOf, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-C001';
const HOSPITAL = '3201-H001';
/** A hospital that opens neither its exams nor its beds to family doctors. */
const CLOSED_HOSPITAL = '3201-H002';
const DAY = 86_400_000;

const familyDoctor = (practitionerId = 'F1', organizationCode = CENTRE) =>
  stack.token({ subject: `fd-${practitionerId}`, roles: ['family_doctor'], organizationCode, practitionerId });
const hospitalDoctor = (organizationCode = HOSPITAL) =>
  stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: 'D1' });
const labSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `lis-${organizationCode}`, roles: ['lab_system'], organizationCode });
const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });

const BOOKING = `id kind examType share status organization { code } fromOrganization { code } familyDoctor department date session`;
const BOOK = `mutation($input: BookHospitalResourceInput!) { bookHospitalResource(input: $input) { ${BOOKING} } }`;
const FILE = `mutation($input: FileHospitalResultInput!) { fileHospitalResult(input: $input) { id status } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelHospitalBooking(id: $id, reason: $reason) { id status cancellationReason } }`;
const INBOX = `query($kind: HospitalResourceKind) { hospitalBookings(kind: $kind) { edges { node { id status kind examReport { id category code { code } conclusion } discharge { id class status } } } } }`;
const SUBMIT = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`;
const ENCOUNTER = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

/** Residents cared for at the centre under an accepted contract naming family doctor F1. */
async function contracted(count: number): Promise<string[]> {
  const residents = await insertResidents(stack, { organizationCode: CENTRE, count, reportsEach: 1, alsoSeenAt: ['3201-C002'] });
  const now = Date.now();
  await modelsOf(stack).referrals.Contract.insertMany(
    residents.map((residentId) => ({
      _id: `contract-${residentId}`,
      residentId,
      familyDoctor: 'F1',
      organizationCode: CENTRE,
      servicePackage: 'CHRONIC_DISEASE',
      since: new Date(now - DAY),
      until: new Date(now + 300 * DAY),
      status: 'ACTIVE',
      terminationReason: null,
    })),
  );
  await relate(stack, residents, CENTRE, 'CONTRACT');
  return residents;
}

const examPool = (overrides: Parameters<typeof insertSlotPool>[1] = {}) => insertSlotPool(stack, { kind: 'EXAM', department: '影像科', ...overrides });
const bedPool = (overrides: Parameters<typeof insertSlotPool>[1] = {}) =>
  insertSlotPool(stack, { kind: 'VIRTUAL_BED', department: '老年医学科', ...overrides });
const examInput = (residentId: string, poolId: string, clientRequestId: string) => ({
  residentId,
  poolId,
  examType: 'CT',
  reason: '慢阻肺随访，复查胸部CT',
  clientRequestId,
});

/** What bookings, places, requests and the hospital's standing look like: a refused call must leave them as they were. */
async function snapshot(residentIds: string[]) {
  const models = modelsOf(stack);
  return {
    bookings: await models.referrals.HospitalBooking.find({}).sort({ _id: 1 }).lean(),
    places: await models.referrals.Place.countDocuments({}),
    requests: await models.referrals.HospitalBookingRequest.countDocuments({}),
    outcomes: await models.referrals.HospitalBookingOutcome.countDocuments({}),
    standing: await models.access.CareRelationship.find({ residentId: oneOf(residentIds), kind: 'REFERRAL' })
      .sort({ _id: 1 })
      .lean(),
  };
}

beforeAll(async () => {
  await insertHospitals(stack);
  const now = new Date();
  await modelsOf(stack).referrals.OpenHospitalResource.insertMany([
    { _id: `${HOSPITAL}|EXAM`, organizationCode: HOSPITAL, kind: 'EXAM', since: now },
    { _id: `${HOSPITAL}|VIRTUAL_BED`, organizationCode: HOSPITAL, kind: 'VIRTUAL_BED', since: now },
  ]);
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
});

describe('exams', () => {
  it('books the reserved share, gives the hospital standing, and brings the filed report back to the inbox', async () => {
    const [residentId] = (await contracted(1)) as [string];
    const pool = await examPool({ capacity: 10, reserved: 3 });
    const report = { category: 'IMAGING', code: '24627-2', results: [], conclusion: '双肺纹理增多，未见占位' };

    // What each hospital opens to family doctors, as any caller finds it.
    const opens = `query($code: ID!) { organization(code: $code) { referralServices { opensToFamilyDoctors } } }`;
    expect((await ok(familyDoctor(), opens, { code: HOSPITAL })).organization.referralServices.opensToFamilyDoctors).toEqual(['EXAM', 'VIRTUAL_BED']);
    expect((await ok(familyDoctor(), opens, { code: CLOSED_HOSPITAL })).organization.referralServices.opensToFamilyDoctors).toEqual([]);
    // Before the booking the hospital has no standing: its lab system may not file for the resident.
    expect(await codes(labSystem(), SUBMIT, { input: labSubmission(residentId, report) })).toEqual(['FORBIDDEN']);

    const booked = (await ok(familyDoctor(), BOOK, { input: examInput(residentId, pool._id, 'exam-booking-0001') })).bookHospitalResource;
    expect(booked).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      kind: 'EXAM',
      examType: 'CT',
      share: 'RESERVED',
      status: 'BOOKED',
      organization: { code: HOSPITAL },
      fromOrganization: { code: CENTRE },
      familyDoctor: 'F1',
      department: '影像科',
      date: pool.date,
      session: 'MORNING',
    });
    // The booking is audited as a write about the resident, by the family doctor at the centre.
    const audited = await modelsOf(stack).access.AuditEvent.find({ residentId, subject: 'fd-F1', action: 'write' }).lean();
    expect(audited.map(({ subgraph, organizationCode, dataKinds, outcome }) => ({ subgraph, organizationCode, dataKinds, outcome }))).toEqual([
      { subgraph: 'referrals', organizationCode: CENTRE, dataKinds: ['referrals'], outcome: 'allowed' },
    ]);
    const facts = await modelsOf(stack).access.CareRelationship.find({ residentId, organizationCode: HOSPITAL, kind: 'REFERRAL' }).lean();
    expect(facts.map((fact) => [fact.source, fact.root?.kind, fact.root?.organizationCode])).toEqual([
      [{ subgraph: 'referrals', recordId: booked.id }, 'REFERRAL', CENTRE],
    ]);

    // The hospital now files the exam's report, then the result back to the booking.
    const reportId = (await ok(labSystem(), SUBMIT, { input: labSubmission(residentId, report) })).submitLabReport.id;
    expect((await ok(familyDoctor(), INBOX, { kind: 'EXAM' })).hospitalBookings.edges.map((edge: any) => edge.node)).toEqual([
      { id: booked.id, status: 'BOOKED', kind: 'EXAM', examReport: null, discharge: null },
    ]);
    expect((await ok(labSystem(), FILE, { input: { bookingId: booked.id, labReportId: reportId } })).fileHospitalResult).toEqual({
      id: booked.id,
      status: 'COMPLETED',
    });
    expect((await ok(familyDoctor(), INBOX, { kind: 'EXAM' })).hospitalBookings.edges.map((edge: any) => edge.node)).toEqual([
      {
        id: booked.id,
        status: 'COMPLETED',
        kind: 'EXAM',
        examReport: { id: reportId, category: 'IMAGING', code: { code: '24627-2' }, conclusion: '双肺纹理增多，未见占位' },
        discharge: null,
      },
    ]);
    // The family doctor's reads of the inbox are audited: the booking by referrals, the report by labs.
    const reads = await modelsOf(stack).access.AuditEvent.find({ residentId, subject: 'fd-F1', action: 'read' }).lean();
    const disclosed = new Set(reads.filter((event) => event.outcome === 'allowed').map((event) => `${event.subgraph} ${event.dataKinds.join(',')}`));
    expect([...disclosed].sort()).toEqual(['labs labs', 'referrals referrals']);
    // The hospital's clinicians see it on their worklist; filing twice is a CONFLICT that changes nothing.
    expect((await ok(hospitalDoctor(), INBOX)).hospitalBookings.edges.map((edge: any) => edge.node.id)).toContain(booked.id);
    expect(await codes(labSystem(), FILE, { input: { bookingId: booked.id, labReportId: reportId } })).toEqual(['CONFLICT']);
    // After the result, the hospital keeps standing for the referral window (90 days), then it ends.
    const [fact] = await modelsOf(stack).access.CareRelationship.find({ residentId, organizationCode: HOSPITAL, kind: 'REFERRAL' }).lean();
    expect(fact!.endsAt!.getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
    expect(fact!.endsAt!.getTime()).toBeLessThan(Date.now() + 91 * DAY);
  });

  it('keeps a filed report the resident restricted from the family doctor, id and all, while the hospital sees it', async () => {
    const [residentId] = (await contracted(1)) as [string];
    const pool = await examPool();
    const booked = (await ok(familyDoctor(), BOOK, { input: examInput(residentId, pool._id, 'exam-restricted-0001') })).bookHospitalResource;
    const hiv = { sourceReportId: 'L-HB-HIV', code: '75622-1', conclusion: 'HB-CANARY-HIV初筛', results: [{ code: '75622-1', valueCode: 'NEG' }] };
    const reportId = (await ok(labSystem(), SUBMIT, { input: labSubmission(residentId, hiv) })).submitLabReport.id;
    await ok(labSystem(), FILE, { input: { bookingId: booked.id, labReportId: reportId } });
    const resident = stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
    await ok(resident, `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [HIV_STI], blockedOrganizations: []) { updatedAt } }`, {
      id: residentId,
    });

    const asked = await stack.query(familyDoctor(), INBOX, { kind: 'EXAM' });
    const mine = asked.body.data!.hospitalBookings.edges.map((edge: any) => edge.node).find((node: any) => node.id === booked.id);
    expect(mine).toEqual({ id: booked.id, status: 'COMPLETED', kind: 'EXAM', examReport: null, discharge: null });
    expect(asked.text).not.toContain(reportId);
    expect(asked.text).not.toContain('HB-CANARY');
    const atHospital = (await ok(hospitalDoctor(), INBOX, { kind: 'EXAM' })).hospitalBookings.edges.find((edge: any) => edge.node.id === booked.id);
    expect(atHospital.node.examReport).toMatchObject({ id: reportId, conclusion: 'HB-CANARY-HIV初筛' });
  });

  it('gives the last exam place to exactly one of 12 concurrent bookings, and the last bed to one of 12', async () => {
    for (const [pool, examType] of [
      [await examPool({ capacity: 4, reserved: 1, bookedPublic: 3 }), 'MRI'],
      [await bedPool({ capacity: 4, reserved: 1, bookedPublic: 3 }), null],
    ] as const) {
      const residents = await contracted(12);
      const attempts = await Promise.all(
        residents.map((residentId, index) =>
          stack.query(familyDoctor(), BOOK, {
            input: { residentId, poolId: pool._id, examType, reason: '需要住院观察', clientRequestId: `last-${index}-${pool._id}` },
          }),
        ),
      );
      const booked = attempts.filter((attempt) => !attempt.body.errors);
      expect(booked).toHaveLength(1);
      expect(booked[0]!.body.data!.bookHospitalResource.share).toBe('RESERVED');
      expect(attempts.filter((attempt) => attempt.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(11);
      expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: pool._id })).toBe(4);
      expect(await modelsOf(stack).referrals.HospitalBooking.countDocuments({ poolId: pool._id })).toBe(1);
      // The refused leave no request behind and give the hospital no standing.
      expect(await modelsOf(stack).access.CareRelationship.countDocuments({ residentId: oneOf(residents), organizationCode: HOSPITAL, kind: 'REFERRAL' })).toBe(
        1,
      );
    }
  });

  it('returns the same booking to a retry, and refuses the same request id with other content', async () => {
    const [residentId] = (await contracted(1)) as [string];
    const pool = await examPool();
    const input = examInput(residentId, pool._id, 'exam-retry-0001');
    const first = (await ok(familyDoctor(), BOOK, { input })).bookHospitalResource;
    expect((await ok(familyDoctor(), BOOK, { input })).bookHospitalResource).toEqual(first);
    const before = await snapshot([residentId]);
    expect(await errorsOf(familyDoctor(), BOOK, { input: { ...input, examType: 'MRI' } })).toEqual([
      { code: 'CONFLICT', message: 'This clientRequestId was used for a different booking' },
    ]);
    expect(await snapshot([residentId])).toEqual(before);
  });
});

describe('virtual beds', () => {
  it('brings the discharge back; a cancelled bed frees its place and ends the hospital’s standing', async () => {
    const [kept, cancelled] = (await contracted(2)) as [string, string];
    const pool = await bedPool({ capacity: 2, reserved: 1 });
    const bed = (residentId: string, request: string) => ({
      input: { residentId, poolId: pool._id, reason: '心衰稳定期，居家虚拟病床观察', clientRequestId: request },
    });
    const stay = (await ok(familyDoctor(), BOOK, bed(kept, 'bed-stay-0001'))).bookHospitalResource;
    expect([stay.kind, stay.examType, stay.share]).toEqual(['VIRTUAL_BED', null, 'RESERVED']);

    const encounter = {
      residentId: kept,
      sourceRecordId: 'VB-STAY-1',
      class: 'INPATIENT',
      status: 'FINISHED',
      department: '老年医学科',
      start: new Date(Date.now() - 3 * DAY).toISOString(),
      end: new Date(Date.now() - DAY).toISOString(),
      diagnoses: [{ code: 'I50.9', display: '心力衰竭', rank: 1, primary: true }],
    };
    const encounterId = (await ok(hospitalSystem(), ENCOUNTER, { input: encounter })).recordEncounter.id;
    await ok(hospitalSystem(), FILE, { input: { bookingId: stay.id, dischargeEncounterId: encounterId } });
    const inbox = (await ok(familyDoctor(), INBOX, { kind: 'VIRTUAL_BED' })).hospitalBookings.edges.map((edge: any) => edge.node);
    expect(inbox.find((node: any) => node.id === stay.id)).toEqual({
      id: stay.id,
      status: 'COMPLETED',
      kind: 'VIRTUAL_BED',
      examReport: null,
      discharge: { id: encounterId, class: 'INPATIENT', status: 'FINISHED' },
    });

    const other = (await ok(familyDoctor(), BOOK, bed(cancelled, 'bed-cancel-0001'))).bookHospitalResource;
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: pool._id })).toBe(2);
    expect((await ok(familyDoctor(), CANCEL, { id: other.id, reason: '患者改为门诊随访' })).cancelHospitalBooking).toEqual({
      id: other.id,
      status: 'CANCELLED',
      cancellationReason: '患者改为门诊随访',
    });
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: pool._id })).toBe(1);
    expect(await codes(hospitalSystem(), ENCOUNTER, { input: { ...encounter, residentId: cancelled, sourceRecordId: 'VB-STAY-2' } })).toEqual(['FORBIDDEN']);
    expect(await codes(familyDoctor(), CANCEL, { id: other.id, reason: '再次取消' })).toEqual(['CONFLICT']);
  });
});

describe('bad input', () => {
  it('is BAD_USER_INPUT or NOT_FOUND naming the problem, and changes nothing', async () => {
    const [residentId, stranger] = (await contracted(2)) as [string, string];
    const exam = await examPool();
    const bed = await bedPool();
    const specialist = await insertSlotPool(stack);
    const started = await examPool({ date: beijingDate(new Date()), sessionStart: new Date(Date.now() - 3_600_000) });
    const beyond = await examPool({ date: addDays(beijingDate(new Date()), 20) });
    const base = examInput(residentId, exam._id, 'bad-input-0001');
    const before = await snapshot([residentId, stranger]);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, residentId: 'nope' }, 'BAD_USER_INPUT', /residentId/],
      [{ ...base, reason: ' ' }, 'BAD_USER_INPUT', /reason/],
      [{ ...base, clientRequestId: 'x' }, 'BAD_USER_INPUT', /clientRequestId/],
      [{ ...base, examType: null }, 'BAD_USER_INPUT', /examType is required for an exam/],
      [{ ...base, poolId: bed._id }, 'BAD_USER_INPUT', /examType is only for an exam/],
      [{ ...base, poolId: specialist._id }, 'BAD_USER_INPUT', /EXAM or VIRTUAL_BED pool/],
      [{ ...base, poolId: started._id }, 'BAD_USER_INPUT', /must not have started/],
      [{ ...base, poolId: beyond._id }, 'BAD_USER_INPUT', /at most 14 days ahead/],
      [{ ...base, poolId: 'f'.repeat(24) }, 'NOT_FOUND', /No such pool/],
    ];
    for (const [input, code, message] of cases) {
      const errors = await errorsOf(familyDoctor(), BOOK, { input });
      expect(errors).toEqual([{ code, message: expect.stringMatching(message) }]);
    }
    expect(await snapshot([residentId, stranger])).toEqual(before);

    // A result must be this resident's record, and of the booking's kind.
    const booked = (await ok(familyDoctor(), BOOK, { input: base })).bookHospitalResource;
    const strangersReport = (await modelsOf(stack).labs.LabReport.findOne({ residentId: stranger }).lean())!._id;
    const filed = await snapshot([residentId, stranger]);
    const results: [Record<string, unknown>, RegExp][] = [
      [{ bookingId: booked.id }, /^Invalid input: labReportId or dischargeEncounterId is required, not both$/],
      [{ bookingId: booked.id, labReportId: strangersReport, dischargeEncounterId: strangersReport }, /not both/],
      [{ bookingId: booked.id, dischargeEncounterId: 'a'.repeat(24) }, /completed with its lab report/],
      [{ bookingId: booked.id, labReportId: strangersReport }, /Not a record of this resident/],
    ];
    for (const [input, message] of results) {
      expect(await errorsOf(labSystem(), FILE, { input })).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) }]);
    }
    expect(await codes(familyDoctor(), CANCEL, { id: booked.id, reason: 'no' })).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot([residentId, stranger])).toEqual(filed);
  });
});

describe('denials', () => {
  it('refuses every caller but the contracted family doctor, and every hospital but the one booked, changing nothing', async () => {
    const [residentId] = (await contracted(1)) as [string];
    const exam = await examPool();
    const closed = await examPool({ organizationCode: CLOSED_HOSPITAL });
    const resident = stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
    const before = await snapshot([residentId]);
    const input = examInput(residentId, exam._id, 'denied-0001');
    const denied: [string, string, Record<string, unknown>, RegExp][] = [
      ['a hospital doctor', hospitalDoctor(), input, /not for this role|Not permitted/],
      ['another family doctor of the same centre', familyDoctor('F2'), input, /contracted family doctor/],
      ['a family doctor of a centre without the contract', familyDoctor('F9', '3201-C002'), input, /no care relationship/],
      ['the resident', resident, input, /not for this role|Not permitted/],
      ['a hospital that opens no exams', familyDoctor(), { ...input, poolId: closed._id }, /does not open its exams/],
    ];
    for (const [who, token, variables, message] of denied) {
      const errors = await errorsOf(token, BOOK, { input: variables });
      expect({ who, errors }).toEqual({ who, errors: [{ code: 'FORBIDDEN', message: expect.stringMatching(message) }] });
    }
    expect(await snapshot([residentId])).toEqual(before);

    const booked = (await ok(familyDoctor(), BOOK, { input })).bookHospitalResource;
    const [reportId] = (await modelsOf(stack).labs.LabReport.find({ residentId }).lean()).map((report) => report._id);
    const afterBooking = await snapshot([residentId]);
    expect(await codes(labSystem(CLOSED_HOSPITAL), FILE, { input: { bookingId: booked.id, labReportId: reportId } })).toEqual(['FORBIDDEN']);
    expect(await codes(familyDoctor(), FILE, { input: { bookingId: booked.id, labReportId: reportId } })).toEqual(['FORBIDDEN']);
    expect(await codes(familyDoctor('F9', '3201-C002'), CANCEL, { id: booked.id, reason: '不是我们的预约' })).toEqual(['FORBIDDEN']);
    expect(await codes(hospitalDoctor(), CANCEL, { id: booked.id, reason: '医院不能取消' })).toEqual(['FORBIDDEN']);
    expect(await codes(resident, INBOX)).toEqual(['FORBIDDEN']);
    expect(await snapshot([residentId])).toEqual(afterBooking);
    // Another centre's inbox and another hospital's worklist do not show the booking.
    expect((await ok(familyDoctor('F9', '3201-C002'), INBOX)).hospitalBookings.edges).toEqual([]);
    expect((await ok(hospitalDoctor(CLOSED_HOSPITAL), INBOX)).hospitalBookings.edges).toEqual([]);
  });
});
