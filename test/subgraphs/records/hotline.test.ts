/**
 * The 12320 hotline's record through the real gateway: its operators record calls and its
 * telephony uploads them in batches, each counted once under the centre by category; work
 * orders arrive by source and move on to closure, each step once however many ask at once.
 * A call about a resident is read by the resident and by their family doctor (a crisis
 * intervention not when the resident restricted mental health), audited; nobody else reads it
 * or writes the record, and a refused or bad write changes nothing.
 */
import { cityDay, rollupId } from '../../../monitoring/activity-store';
import { insertHospitals, insertHotlineCentre, insertResidents, modelsOf, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const CENTRE = '3201-T01';
const NOT_A_CENTRE = '3201-H001';
const FAMILY_PRACTICE = '3201-C001';
const { stack, ok } = useStack({}, async () => {
  await insertHospitals(stack);
  await insertHotlineCentre(stack);
});

const operator = (organizationCode = CENTRE) =>
  stack.token({ subject: `op-${organizationCode}`, roles: ['hotline_operator'], organizationCode, practitionerId: 'OP7' });
const telephony = () => stack.token({ subject: 'telephony-12320', roles: ['hotline_operator'], organizationCode: CENTRE });
const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const familyDoctor = () => stack.token({ subject: 'fd-1', roles: ['family_doctor'], organizationCode: FAMILY_PRACTICE, practitionerId: 'FD1' });
const doctor = () => stack.token({ subject: 'dr-1', roles: ['doctor'], organizationCode: FAMILY_PRACTICE, practitionerId: 'D1' });
const commission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });

const RECORD = `mutation($input: HotlineCallInput!) { recordHotlineCall(input: $input) { id category channel outcome receivedAt organization { code } } }`;
const UPLOAD = `mutation($inputs: [HotlineCallInput!]!) { uploadHotlineCalls(inputs: $inputs) { status code message } }`;
const CALLS = `query($id: ID!) { resident(id: $id) { hotlineCalls { category outcome receivedAt } } }`;
const RECEIVE = `mutation($input: WorkOrderInput!) { receiveWorkOrder(input: $input) { id source ticketNumber status steps { status by } } }`;
const ADVANCE = `mutation($id: ID!, $status: WorkOrderStatus!) { advanceWorkOrder(id: $id, status: $status) { status steps { status } } }`;
const MONTH = `query($month: String!) { hotlineMonth(month: $month) { calls consultations medicalComplaints phoneAppointments humanService crisisInterventions selfServiceVoice workOrdersCity12345 workOrdersProvince12345 workOrdersDirect workOrdersClosed } }`;

let callNumber = 0;
/** A call that came in an hour ago (the rollups count it on the city's day of its arrival). */
const call = (overrides: Record<string, unknown> = {}) => ({
  callId: `CALL-${++callNumber}`,
  receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
  category: 'CONSULTATION',
  channel: 'OPERATOR',
  outcome: 'ANSWERED',
  operatorId: 'OP7',
  ...overrides,
});
const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));
const centreMonth = async (): Promise<Record<string, unknown>> => {
  const doc = await modelsOf(stack)
    .activity.ActivityRollup.findById(rollupId(CENTRE, cityDay(new Date(Date.now() - 3_600_000)).slice(0, 7)))
    .lean();
  const { _id, organizationCode, period, month, day, ...counts } = (doc ?? {}) as Record<string, unknown>;
  return counts;
};
const stored = () => modelsOf(stack).records.HotlineCall.find().sort({ _id: 1 }).lean();

describe('recording calls', () => {
  it('records a call once, counts it by category at the centre, and answers a re-send with the call recorded', async () => {
    const before = await centreMonth();
    const input = call({ category: 'MEDICAL_COMPLAINT', outcome: 'WORK_ORDER_OPENED' });
    const recorded = (await ok(operator(), RECORD, { input })).recordHotlineCall;
    expect(recorded).toMatchObject({ category: 'MEDICAL_COMPLAINT', channel: 'OPERATOR', outcome: 'WORK_ORDER_OPENED', organization: { code: CENTRE } });
    expect((await ok(operator(), RECORD, { input })).recordHotlineCall).toEqual(recorded);
    expect(await centreMonth()).toEqual({
      ...before,
      hotlineCalls: ((before.hotlineCalls as number) ?? 0) + 1,
      hotlineMedicalComplaints: ((before.hotlineMedicalComplaints as number) ?? 0) + 1,
    });
    expect(await errorsOf(operator(), RECORD, { input: { ...input, outcome: 'ANSWERED' } })).toEqual([
      { code: 'CONFLICT', message: 'This callId was recorded with other content' },
    ]);
  });

  it('takes the telephony’s batch: one outcome per call, each counted once, a bad one refused alone', async () => {
    const before = await centreMonth();
    const again = call({ category: 'HUMAN_SERVICE' });
    await ok(telephony(), UPLOAD, { inputs: [again] });
    const outcomes = (
      await ok(telephony(), UPLOAD, {
        inputs: [
          call({ category: 'SELF_SERVICE_VOICE', channel: 'SELF_SERVICE_VOICE', operatorId: null }),
          again,
          call({ category: 'CONSULTATION', channel: 'SELF_SERVICE_VOICE', operatorId: null }),
          call({ category: 'CRISIS_INTERVENTION', outcome: 'TRANSFERRED' }),
        ],
      })
    ).uploadHotlineCalls;
    expect(outcomes).toEqual([
      { status: 'CREATED', code: null, message: null },
      { status: 'UNCHANGED', code: null, message: null },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', message: 'Invalid input: channel is SELF_SERVICE_VOICE exactly for a SELF_SERVICE_VOICE call' },
      { status: 'CREATED', code: null, message: null },
    ]);
    const n = (counter: string) => (before[counter] as number | undefined) ?? 0;
    expect(await centreMonth()).toEqual({
      ...before,
      hotlineCalls: n('hotlineCalls') + 3,
      hotlineHumanService: n('hotlineHumanService') + 1,
      hotlineSelfServiceVoice: n('hotlineSelfServiceVoice') + 1,
      hotlineCrisisInterventions: n('hotlineCrisisInterventions') + 1,
    });
  });

  it('refuses bad input clearly and records nothing', async () => {
    const before = await stored();
    for (const [input, message] of [
      [call({ receivedAt: '2024-09-31T10:00:00+08:00' }), 'receivedAt must be an ISO 8601 time on the calendar with an offset'],
      [call({ operatorId: null }), 'operatorId is required for a call an operator answered'],
      [call({ residentId: 'not-a-resident' }), 'residentId must be 24 lowercase hex characters'],
      [call({ callId: '' }), 'callId must be 1-64 letters'],
    ] as const) {
      const errors = await errorsOf(operator(), RECORD, { input });
      expect(errors.map((error) => error.code)).toEqual(['BAD_USER_INPUT']);
      expect(errors[0]!.message).toContain(message);
    }
    // A phone appointment is its booking's: the call category does not exist.
    expect((await errorsOf(operator(), RECORD, { input: call({ category: 'PHONE_APPOINTMENT' }) })).map((error) => error.code)).toEqual(['BAD_USER_INPUT']);
    expect(await stored()).toEqual(before);
  });

  it('lets only the registry’s hotline centre’s operators write, changing nothing otherwise', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: NOT_A_CENTRE, count: 1 })) as [string];
    const before = await stored();
    const monthBefore = await centreMonth();
    const hospital = stack.token({ subject: 'his-1', roles: ['hospital_system'], organizationCode: NOT_A_CENTRE });
    for (const token of [hospital, doctor(), resident(residentId), commission()]) {
      expect((await errorsOf(token, RECORD, { input: call({ residentId }) })).map((error) => error.code)).toEqual(['FORBIDDEN']);
      expect((await errorsOf(token, UPLOAD, { inputs: [call()] })).map((error) => error.code)).toEqual(['FORBIDDEN']);
    }
    expect(await errorsOf(operator(NOT_A_CENTRE), RECORD, { input: call() })).toEqual([
      { code: 'FORBIDDEN', message: 'The caller’s organization is not a hotline centre of the registry' },
    ]);
    const noOrganization = stack.token({ subject: 'op-x', roles: ['hotline_operator'] });
    expect((await errorsOf(noOrganization, RECORD, { input: call() })).map((error) => error.code)).toEqual(['FORBIDDEN']);
    expect(await stored()).toEqual(before);
    expect(await centreMonth()).toEqual(monthBefore);
  });
});

describe('reading a resident’s calls', () => {
  it('shows the resident their calls, their family doctor too unless mental health is restricted, nobody else; audited', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: NOT_A_CENTRE, count: 1 })) as [string];
    await relate(stack, [residentId], FAMILY_PRACTICE, 'CONTRACT');
    const crisis = call({ category: 'CRISIS_INTERVENTION', outcome: 'TRANSFERRED', residentId, receivedAt: '2026-01-02T22:15:00+08:00' });
    const question = call({ category: 'CONSULTATION', residentId, receivedAt: '2026-01-01T09:00:00+08:00' });
    await ok(operator(), UPLOAD, { inputs: [crisis, question] });
    const both = [
      { category: 'CRISIS_INTERVENTION', outcome: 'TRANSFERRED', receivedAt: '2026-01-02T14:15:00.000Z' },
      { category: 'CONSULTATION', outcome: 'ANSWERED', receivedAt: '2026-01-01T01:00:00.000Z' },
    ];
    expect((await ok(resident(residentId), CALLS, { id: residentId })).resident.hotlineCalls).toEqual(both);
    expect((await ok(familyDoctor(), CALLS, { id: residentId })).resident.hotlineCalls).toEqual(both);

    await ok(
      resident(residentId),
      `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
      {
        id: residentId,
      },
    );
    const afterConsent = await stack.query(familyDoctor(), CALLS, { id: residentId });
    expect(afterConsent.body.data!.resident.hotlineCalls).toEqual([both[1]]);
    expect(afterConsent.text).not.toContain('CRISIS_INTERVENTION');
    expect((await ok(resident(residentId), CALLS, { id: residentId })).resident.hotlineCalls).toEqual(both);

    // A doctor of the same practice has standing for the clinical record, not for the hotline's calls.
    const byDoctor = await stack.query(doctor(), CALLS, { id: residentId });
    expect(byDoctor.body.data?.resident?.hotlineCalls ?? null).toBeNull();
    expect(byDoctor.text).not.toContain('CONSULTATION');
    // The operators record calls and read none.
    const byOperator = await stack.query(operator(), CALLS, { id: residentId });
    expect(byOperator.body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(byOperator.text).not.toContain('CONSULTATION');

    const audited = await modelsOf(stack).access.AuditEvent.find({ residentId, subgraph: 'records', subject: 'fd-1' }).lean();
    expect(audited.some((event) => (event.dataKinds as string[]).includes('hotline-calls'))).toBe(true);
  });
});

describe('work orders', () => {
  it('receives orders by source, moves one on to closure once under concurrency, and counts them', async () => {
    const before = await centreMonth();
    const receivedAt = new Date(Date.now() - 3_600_000).toISOString();
    const orders: { id: string }[] = [];
    for (const [source, ticketNumber] of [
      ['CITY_12345', 'SZ-2026-0001'],
      ['PROVINCE_12345', 'JS-2026-0001'],
      ['DIRECT', 'ZJ-2026-0001'],
    ])
      orders.push((await ok(operator(), RECEIVE, { input: { source, ticketNumber, receivedAt } })).receiveWorkOrder);
    expect(orders[0]).toMatchObject({ source: 'CITY_12345', ticketNumber: 'SZ-2026-0001', status: 'RECEIVED', steps: [{ status: 'RECEIVED', by: 'OP7' }] });
    // A re-sent ticket is the same order, counted once.
    expect((await ok(operator(), RECEIVE, { input: { source: 'CITY_12345', ticketNumber: 'SZ-2026-0001', receivedAt } })).receiveWorkOrder.id).toBe(
      orders[0]!.id,
    );

    expect((await ok(operator(), ADVANCE, { id: orders[0]!.id, status: 'ASSIGNED' })).advanceWorkOrder.status).toBe('ASSIGNED');
    const closing = await Promise.all(Array.from({ length: 6 }, () => stack.query(operator(), ADVANCE, { id: orders[0]!.id, status: 'CLOSED' })));
    expect(closing.filter((answer) => !answer.body.errors).length).toBe(1);
    expect(closing.flatMap((answer) => answer.body.errors ?? []).map((error) => error.extensions?.code)).toEqual(Array(5).fill('CONFLICT'));
    const closed = await modelsOf(stack).records.WorkOrder.findById(orders[0]!.id).lean();
    expect(closed!.steps.map((step) => step.status)).toEqual(['RECEIVED', 'ASSIGNED', 'CLOSED']);
    expect(await errorsOf(operator(), ADVANCE, { id: orders[0]!.id, status: 'REPLIED' })).toEqual([
      { code: 'CONFLICT', message: 'The work order is CLOSED: it cannot go to REPLIED' },
    ]);

    const open = (await ok(operator(), `{ openWorkOrders { ticketNumber } }`)).openWorkOrders.map((order: { ticketNumber: string }) => order.ticketNumber);
    expect(open).toEqual(expect.arrayContaining(['JS-2026-0001', 'ZJ-2026-0001']));
    expect(open).not.toContain('SZ-2026-0001');

    const n = (counter: string) => (before[counter] as number | undefined) ?? 0;
    expect(await centreMonth()).toEqual({
      ...before,
      workOrdersCity12345: n('workOrdersCity12345') + 1,
      workOrdersProvince12345: n('workOrdersProvince12345') + 1,
      workOrdersDirect: n('workOrdersDirect') + 1,
      workOrdersClosed: n('workOrdersClosed') + 1,
    });
  });

  it('refuses other roles and another organization’s operators, and a bad ticket, changing nothing', async () => {
    const before = await modelsOf(stack).records.WorkOrder.find().sort({ _id: 1 }).lean();
    const input = { source: 'DIRECT', ticketNumber: 'ZJ-2026-0099', receivedAt: new Date().toISOString() };
    for (const token of [doctor(), commission(), operator(NOT_A_CENTRE)])
      expect((await errorsOf(token, RECEIVE, { input })).map((error) => error.code)).toEqual(['FORBIDDEN']);
    expect((await errorsOf(operator(), RECEIVE, { input: { ...input, ticketNumber: 'no spaces allowed' } })).map((error) => error.code)).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect((await errorsOf(operator(), ADVANCE, { id: 'f'.repeat(24), status: 'CLOSED' })).map((error) => error.code)).toEqual(['NOT_FOUND']);
    expect((await errorsOf(commission(), `{ openWorkOrders { id } }`)).map((error) => error.code)).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).records.WorkOrder.find().sort({ _id: 1 }).lean()).toEqual(before);
  });
});

describe('the hotline month', () => {
  it('is the health commission’s: the centre’s counts as the bulletin’s table, refused to others', async () => {
    const month = cityDay(new Date(Date.now() - 3_600_000)).slice(0, 7);
    const counts = await centreMonth();
    const answer = (await ok(commission(), MONTH, { month })).hotlineMonth;
    expect(answer).toMatchObject({ calls: counts.hotlineCalls, crisisInterventions: counts.hotlineCrisisInterventions, phoneAppointments: 0 });
    expect(answer.calls).toBe(
      answer.consultations + answer.medicalComplaints + answer.phoneAppointments + answer.humanService + answer.crisisInterventions + answer.selfServiceVoice,
    );
    for (const token of [operator(), doctor(), stack.token({ subject: 'his-1', roles: ['hospital_system'], organizationCode: NOT_A_CENTRE })]) {
      expect((await errorsOf(token, MONTH, { month })).map((error) => error.code)).toEqual(['FORBIDDEN']);
    }
    expect((await errorsOf(commission(), MONTH, { month: '2024-9' })).map((error) => error.code)).toEqual(['BAD_USER_INPUT']);
  });
});
