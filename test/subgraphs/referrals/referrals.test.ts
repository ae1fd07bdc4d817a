/**
 * Family-doctor contracts, reserved slot pools and two-way referrals through the real
 * gateway: a pool is never overbooked however many book at once, the reserved share is the
 * contracted family doctor's until it is released by the clock, and referrals move only along
 * their state machine.
 */

import { oneOf } from '../../../platform/database';
import { addDays, beijingDate } from '../../../subgraphs/referrals/referral-rules';
import { insertHospitals, insertResidents, insertSlotPool, labReport, modelsOf, referralDoc, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-C001';
const HOSPITAL = '3201-H001';
const DAY = 86_400_000;

const familyDoctor = (practitionerId = 'F1') =>
  stack.token({ subject: `fd-${practitionerId}`, roles: ['family_doctor'], organizationCode: CENTRE, practitionerId });
const hospitalDoctor = () => stack.token({ subject: 'dr-h1', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const REF = `id status slot { share date session } transitions { from to }`;
const BOOK = `mutation($referral: ID!, $pool: ID!, $request: String!) { bookReferralSlot(referralId: $referral, poolId: $pool, clientRequestId: $request) { ${REF} } }`;

/** Residents cared for at the centre, each with a contract with family doctor F1 and an open referral to the hospital. */
async function contractedWithReferrals(count: number): Promise<{ residents: string[]; referrals: string[] }> {
  const residents = await insertResidents(stack, { organizationCode: CENTRE, count });
  const models = modelsOf(stack);
  const now = Date.now();
  await models.referrals.Contract.insertMany(
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
  const referrals = residents.map((residentId) => referralDoc({ residentId, fromOrganizationCode: CENTRE, toOrganizationCode: HOSPITAL }));
  await models.referrals.Referral.insertMany(referrals);
  await relate(stack, residents, HOSPITAL, 'REFERRAL');
  return { residents, referrals: referrals.map((referral) => referral._id) };
}

beforeAll(async () => {
  await insertHospitals(stack);
});

describe('booking', () => {
  it('gives 200 concurrent attempts on 30 reserved places exactly 30 bookings and 170 clean refusals', async () => {
    const target = await insertSlotPool(stack, { capacity: 100, reserved: 30, bookedPublic: 70 });
    const { referrals } = await contractedWithReferrals(200);
    const attempts = await Promise.all(
      referrals.map((referral, index) => stack.query(familyDoctor(), BOOK, { referral, pool: target._id, request: `request-${index}-${target._id}` })),
    );
    const booked = attempts.filter((attempt) => !attempt.body.errors);
    const refused = attempts.filter((attempt) => attempt.body.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(booked).toHaveLength(30);
    expect(refused).toHaveLength(170);
    expect(booked.every((attempt) => attempt.body.data!.bookReferralSlot.slot.share === 'RESERVED')).toBe(true);
    const places = await modelsOf(stack).referrals.Place.find({ poolId: target._id }).lean();
    expect(places.filter((place) => place.share === 'RESERVED')).toHaveLength(30);
    expect(places).toHaveLength(100);
    expect(
      (
        await modelsOf(stack)
          .referrals.Referral.find({ _id: oneOf(referrals) })
          .lean()
      ).filter((referral) => referral.slot !== null),
    ).toHaveLength(30);
  });

  it('keeps the reserved share from a family doctor without the contract and from hospital doctors', async () => {
    const target = await insertSlotPool(stack, { capacity: 10, reserved: 3, bookedPublic: 7 });
    const { referrals } = await contractedWithReferrals(3);
    expect(await codes(familyDoctor('F2'), BOOK, { referral: referrals[0], pool: target._id, request: `r-f2-${target._id}` })).toEqual(['CONFLICT']);
    expect(await codes(hospitalDoctor(), BOOK, { referral: referrals[1], pool: target._id, request: `r-h1-${target._id}` })).toEqual(['CONFLICT']);
    const mine = (await ok(familyDoctor(), BOOK, { referral: referrals[2], pool: target._id, request: `r-f1-${target._id}` })).bookReferralSlot;
    expect(mine.slot.share).toBe('RESERVED');
  });

  it('opens unused reserved places to everyone once the release time has passed, with no job', async () => {
    const date = addDays(beijingDate(new Date()), 1);
    const target = await insertSlotPool(stack, { date, capacity: 10, reserved: 3, bookedPublic: 7, releaseAt: new Date(Date.now() - 60_000) });
    const { referrals } = await contractedWithReferrals(1);
    const booked = (await ok(familyDoctor('F2'), BOOK, { referral: referrals[0], pool: target._id, request: `r-release-${target._id}` })).bookReferralSlot;
    expect(booked.slot.share).toBe('RESERVED');
  });

  it('refuses sessions beyond the 14-day horizon or in the past', async () => {
    const { referrals } = await contractedWithReferrals(2);
    const far = await insertSlotPool(stack, { date: addDays(beijingDate(new Date()), 15) });
    const past = await insertSlotPool(stack, { date: addDays(beijingDate(new Date()), -1) });
    expect(await codes(familyDoctor(), BOOK, { referral: referrals[0], pool: far._id, request: `r-far-${far._id}` })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(familyDoctor(), BOOK, { referral: referrals[1], pool: past._id, request: `r-past-${past._id}` })).toEqual(['BAD_USER_INPUT']);
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: oneOf([far._id, past._id]) })).toBe(0);
  });

  it('returns the same booking for a retry, and a cancelled referral’s place to the share it came from', async () => {
    const target = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
    const { referrals } = await contractedWithReferrals(1);
    const variables = { referral: referrals[0], pool: target._id, request: `r-retry-${target._id}` };
    const first = (await ok(familyDoctor(), BOOK, variables)).bookReferralSlot;
    const retry = (await ok(familyDoctor(), BOOK, variables)).bookReferralSlot;
    expect(retry.slot).toEqual(first.slot);
    expect(await codes(familyDoctor(), BOOK, { ...variables, request: `r-other-${target._id}` })).toEqual(['CONFLICT']);
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: target._id })).toBe(1);

    const slots = `query($from: String!) { availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: $from, to: $from) { poolId reservedBooked publicBooked bookableByYou } }`;
    const before = (await ok(familyDoctor(), slots, { from: target.date })).availableSlots.find((slot: any) => slot.poolId === target._id);
    expect(before).toMatchObject({ reservedBooked: 1, publicBooked: 0 });
    await ok(familyDoctor(), `mutation($id: ID!) { cancelReferral(id: $id, reason: "患者已在他院就诊") { status } }`, { id: referrals[0] });
    const after = (await ok(familyDoctor(), slots, { from: target.date })).availableSlots.find((slot: any) => slot.poolId === target._id);
    expect(after).toMatchObject({ reservedBooked: 0, publicBooked: 0, bookableByYou: 10 });
  });
});

describe('referrals', () => {
  it('moves along the state machine and refuses every illegal move with CONFLICT, changing nothing', async () => {
    const target = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
    const { referrals } = await contractedWithReferrals(1);
    const id = referrals[0]!;
    const move = (token: string, mutation: string) => stack.query(token, `mutation($id: ID!) { ${mutation} { ${REF} } }`, { id });
    const stored = async () => (await modelsOf(stack).referrals.Referral.findById(id).lean())!;

    for (const illegal of ['markArrived(id: $id)', 'completeReferral(id: $id)']) {
      const before = await stored();
      expect((await move(hospitalDoctor(), illegal)).body.errors![0]!.extensions!.code).toBe('CONFLICT');
      expect(await stored()).toEqual(before);
    }
    expect((await move(familyDoctor(), 'acceptReferral(id: $id)')).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    await ok(hospitalDoctor(), `mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id });
    const scheduled = (await ok(familyDoctor(), BOOK, { referral: id, pool: target._id, request: `r-flow-${target._id}` })).bookReferralSlot;
    expect(scheduled.status).toBe('SCHEDULED');
    await ok(hospitalDoctor(), `mutation($id: ID!) { markArrived(id: $id) { status } }`, { id });
    const completed = (await ok(hospitalDoctor(), `mutation($id: ID!) { completeReferral(id: $id) { ${REF} } }`, { id })).completeReferral;
    expect(completed.transitions.map((transition: any) => transition.to)).toEqual(['ACCEPTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED']);
    expect((await move(familyDoctor(), 'cancelReferral(id: $id, reason: "不再需要")')).body.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect((await move(hospitalDoctor(), 'rejectReferral(id: $id, reason: "号源已满")')).body.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('sends a resident back down with the discharge summary, and refuses a downward referral without one', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const down = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id direction dischargeSummary followUpPlan toOrganization { code } } }`;
    const input = {
      residentId,
      direction: 'DOWN',
      toOrganizationCode: CENTRE,
      toDepartment: '全科医学科',
      reason: '出院后社区随访',
      diagnoses: [{ code: 'I63.9', display: '脑梗死' }],
    };
    expect(await codes(hospitalDoctor(), down, { input })).toEqual(['BAD_USER_INPUT']);
    const sent = (
      await ok(hospitalDoctor(), down, {
        input: { ...input, dischargeSummary: '住院14天，溶栓后好转，遗留左侧肢体轻度无力。', followUpPlan: '每周康复训练，一月后神经内科复诊' },
      })
    ).requestReferral;
    expect(sent).toMatchObject({ direction: 'DOWN', toOrganization: { code: CENTRE }, followUpPlan: '每周康复训练，一月后神经内科复诊' });
    // Offered, not accepted: the centre sees the referral (and whom it is about), not the record.
    const seen = await ok(familyDoctor(), `query($id: ID!) { resident(id: $id) { referrals { edges { node { dischargeSummary } } } } }`, { id: residentId });
    expect(seen.resident.referrals.edges[0].node.dischargeSummary).toContain('溶栓后好转');
    const record = `query($id: ID!) { resident(id: $id) { encounters { edges { node { id } } } labReports { edges { node { id } } } } }`;
    const before = await stack.query(familyDoctor(), record, { id: residentId });
    expect(before.body.data!.resident).toEqual({ encounters: null, labReports: null });
    // Accepting is where the centre's care relationship arises; the sender keeps its own standing.
    expect((await ok(familyDoctor(), `mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: sent.id })).acceptReferral.status).toBe('ACCEPTED');
    const after = await ok(familyDoctor(), record, { id: residentId });
    expect(after.resident.encounters.edges).toEqual([]);
    const facts = await modelsOf(stack)
      .access.CareRelationship.find({ residentId, organizationCode: oneOf([CENTRE, HOSPITAL]) })
      .sort({ organizationCode: 1, kind: 1 })
      .lean();
    // Accepted, the referral still ends if never completed (every kind of standing ends).
    expect(facts.map((fact) => [fact.organizationCode, fact.kind, fact.endsAt === null])).toEqual([
      [CENTRE, 'REFERRAL', false],
      [CENTRE, 'REFERRAL_OFFER', false],
      [HOSPITAL, 'REGISTRATION', true],
    ]);
  });

  it('refuses a referral from an organization with no standing, writes nothing, and opens nothing', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: '3201-H002', count: 1 })) as [string];
    const input = { residentId, direction: 'UP', toOrganizationCode: '3201-H002', toDepartment: '心血管内科', reason: '胸痛待查', diagnoses: [] };
    const { body, text } = await stack.query(familyDoctor(), `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, { input });
    expect(body.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(text).not.toContain('测试');
    expect(await modelsOf(stack).referrals.Referral.countDocuments({ residentId })).toBe(0);
    expect(await codes(familyDoctor(), `query($id: ID!) { resident(id: $id) { name } }`, { id: residentId })).toEqual(['FORBIDDEN']);
  });

  it('gives each referral its own relationship: cancelling one of two accepted referrals leaves the other’s', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const request = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`;
    const input = {
      residentId,
      direction: 'UP',
      toOrganizationCode: '3201-H003',
      toDepartment: '心血管内科',
      reason: '血压控制不佳',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    };
    const first = (await ok(familyDoctor(), request, { input })).requestReferral.id;
    const second = (await ok(familyDoctor(), request, { input: { ...input, reason: '复查心电图' } })).requestReferral.id;
    const receiver = stack.token({ subject: 'dr-h3', roles: ['doctor'], organizationCode: '3201-H003', practitionerId: 'D3' });
    for (const id of [first, second]) await ok(receiver, `mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id });
    await ok(familyDoctor(), `mutation($id: ID!) { cancelReferral(id: $id, reason: "患者已在他院就诊") { status } }`, { id: first });
    expect((await ok(receiver, `query($id: ID!) { resident(id: $id) { name } }`, { id: residentId })).resident.name).toBe('测试0');
    await ok(familyDoctor(), `mutation($id: ID!) { cancelReferral(id: $id, reason: "患者已在他院就诊") { status } }`, { id: second });
    expect(await codes(receiver, `query($id: ID!) { resident(id: $id) { name } }`, { id: residentId })).toEqual(['FORBIDDEN']);
  });

  it('ends an expired referral’s relationship and gives its place back, by the clock', async () => {
    const [residentId, other] = (await insertResidents(stack, { organizationCode: CENTRE, count: 2 })) as [string, string];
    const target = await insertSlotPool(stack, { capacity: 1, reserved: 0 });
    const request = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`;
    const input = (id: string) => ({
      input: { residentId: id, direction: 'UP', toOrganizationCode: HOSPITAL, toDepartment: '心血管内科', reason: '胸闷待查', diagnoses: [] },
    });
    const first = (await ok(familyDoctor(), request, input(residentId))).requestReferral.id;
    await ok(familyDoctor(), BOOK, { referral: first, pool: target._id, request: `r-expire-${target._id}` });
    const read = `query($id: ID!) { resident(id: $id) { referrals { edges { node { id } } } } }`;
    expect((await ok(hospitalDoctor(), read, { id: residentId })).resident.referrals.edges).toEqual([{ node: { id: first } }]);

    // Eight days later: the referral was never accepted.
    const past = new Date(Date.now() - 60_000);
    const models = modelsOf(stack);
    await models.referrals.Referral.updateOne({ _id: first }, { $set: { requestedAt: new Date(Date.now() - 8 * DAY), expiresAt: past } });
    await models.referrals.Place.updateMany({ referralId: first }, { $set: { holdUntil: past } });
    await models.access.CareRelationship.updateMany({ residentId, organizationCode: HOSPITAL }, { $set: { endsAt: past } });

    expect(await codes(hospitalDoctor(), read, { id: residentId })).toEqual(['FORBIDDEN']);
    const slots = `query($from: String!) { availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: $from, to: $from) { poolId publicBooked bookableByYou } }`;
    const open = (await ok(familyDoctor(), slots, { from: target.date })).availableSlots.find((slot: any) => slot.poolId === target._id);
    expect(open).toEqual({ poolId: target._id, publicBooked: 0, bookableByYou: 1 });
    const second = (await ok(familyDoctor(), request, input(other))).requestReferral.id;
    expect((await ok(familyDoctor(), BOOK, { referral: second, pool: target._id, request: `r-after-${target._id}` })).bookReferralSlot.slot.share).toBe(
      'PUBLIC',
    );
    expect(await models.referrals.Place.countDocuments({ poolId: target._id })).toBe(1);
  });

  it.each([
    ['an unknown department', `{ availableSlots(organizationCode: "${HOSPITAL}", department: "火星科", from: "2026-12-01", to: "2026-12-02") { poolId } }`],
    [
      'a range longer than the horizon',
      `{ availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: "2026-12-01", to: "2026-12-31") { poolId } }`,
    ],
    ['a malformed date', `{ availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: "next week", to: "2026-12-02") { poolId } }`],
    ['a malformed referral id', `mutation { acceptReferral(id: "../x") { id } }`],
    ['a malformed pool id', `mutation { bookReferralSlot(referralId: "0123456789abcdef01234567", poolId: "x", clientRequestId: "request-123") { id } }`],
  ])('rejects %s with BAD_USER_INPUT', async (_label, query) => {
    expect(await codes(hospitalDoctor(), query)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('contracts', () => {
  it('grants nothing on the offer; the resident’s acceptance makes the contract a care relationship, one per resident', async () => {
    const [residentId, other] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
    const otherCentre = stack.token({ subject: 'fd-c2', roles: ['family_doctor'], organizationCode: '3201-C002', practitionerId: 'F9' });
    const read = `query($id: ID!) { resident(id: $id) { name familyDoctorContract { familyDoctor status } } }`;
    const until = addDays(beijingDate(new Date()), 365);
    const sign = `mutation($id: ID!, $until: String!) { signContract(residentId: $id, servicePackage: ELDERLY, until: $until) { id status } }`;
    // No standing at the centre: no offer, nothing written, nothing opened.
    expect(await codes(otherCentre, sign, { id: residentId, until })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).referrals.Contract.countDocuments({ residentId })).toBe(0);
    expect(await codes(otherCentre, read, { id: residentId })).toEqual(['FORBIDDEN']);

    // Registered at the centre's desk a while ago (the window is nearly over): the offer grants nothing more.
    await relate(stack, [residentId, other], '3201-C002', 'REGISTRATION');
    const offer = (await ok(otherCentre, sign, { id: residentId, until })).signContract;
    expect(offer.status).toBe('OFFERED');
    // One id format across the API: 24 lowercase hex characters, contracts included.
    expect(offer.id).toMatch(/^[0-9a-f]{24}$/);
    expect(await modelsOf(stack).access.CareRelationship.countDocuments({ residentId, kind: 'CONTRACT' })).toBe(0);

    const resident = (id: string) => stack.token({ subject: `citizen-${id}`, roles: ['resident'], residentId: id });
    const accept = `mutation($id: ID!) { acceptContract(id: $id) { status familyDoctor } }`;
    expect(await codes(resident(residentId), accept, { id: 'c0ffee-not-an-id' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(resident(other), accept, { id: offer.id })).toEqual(['FORBIDDEN']);
    expect((await ok(resident(residentId), accept, { id: offer.id })).acceptContract).toEqual({ status: 'ACTIVE', familyDoctor: 'F9' });
    expect(await codes(resident(residentId), accept, { id: offer.id })).toEqual(['CONFLICT']);
    await relate(stack, [residentId], CENTRE, 'REGISTRATION');
    const second = (await ok(familyDoctor(), sign, { id: residentId, until })).signContract;
    expect(await codes(resident(residentId), accept, { id: second.id })).toEqual(['CONFLICT']);

    // The registration lapses; the contract still holds.
    await modelsOf(stack).access.CareRelationship.updateMany(
      { residentId, organizationCode: '3201-C002' },
      { $set: { lastSeenAt: new Date(Date.now() - 800 * DAY) } },
    );
    expect((await ok(otherCentre, read, { id: residentId })).resident.familyDoctorContract).toEqual({ familyDoctor: 'F9', status: 'ACTIVE' });
    // The resident sees each source of each organization's standing.
    const mine = await ok(resident(residentId), `query($id: ID!) { resident(id: $id) { careRelationships { kind source organization { code } } } }`, {
      id: residentId,
    });
    const listed = mine.resident.careRelationships.filter((relationship: any) => relationship.organization.code === '3201-C002');
    expect(listed.map((relationship: any) => [relationship.kind, relationship.source.startsWith('test/') ? 'test' : relationship.source]).sort()).toEqual([
      ['CONTRACT', `referrals/${offer.id}`],
      ['REGISTRATION', 'test'],
    ]);
  });
});

describe('attachments', () => {
  const REQUEST = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id attachedEncounters { id } attachedLabReports { id } } }`;
  const input = (residentId: string, attachedEncounterIds: string[], attachedLabReportIds: string[]) => ({
    residentId,
    direction: 'UP',
    toOrganizationCode: HOSPITAL,
    toDepartment: '心血管内科',
    reason: '血压控制不佳',
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    attachedEncounterIds,
    attachedLabReportIds,
  });

  it('refuses another resident’s records and unknown ids alike, writes nothing, and takes the resident’s own', async () => {
    const [mine, theirs] = (await insertResidents(stack, { organizationCode: CENTRE, count: 2, encountersEach: 1, reportsEach: 1 })) as [string, string];
    const models = modelsOf(stack);
    const encounterOf = async (residentId: string) => (await models.records.Encounter.findOne({ residentId }).lean())!._id;
    const reportOf = async (residentId: string) => (await models.labs.LabReport.findOne({ residentId }).lean())!._id;
    const [myEncounter, theirEncounter, myReport] = [await encounterOf(mine), await encounterOf(theirs), await reportOf(mine)];
    const unknown = '0123456789abcdef01234567';

    const { body } = await stack.query(familyDoctor(), REQUEST, { input: input(mine, [myEncounter, theirEncounter], [unknown]) });
    expect(body.errors).toEqual([
      {
        message: `Not a record of this resident: attachedEncounterIds: ${theirEncounter}; attachedLabReportIds: ${unknown}`,
        path: ['requestReferral'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    // Counted by resident, as the index serves it (a count of the whole table would scan it).
    expect(await models.referrals.Referral.countDocuments({ residentId: mine })).toBe(0);

    const accepted = (await ok(familyDoctor(), REQUEST, { input: input(mine, [myEncounter], [myReport]) })).requestReferral;
    expect(accepted).toMatchObject({ attachedEncounters: [{ id: myEncounter }], attachedLabReports: [{ id: myReport }] });
  });
});

describe('round trips', () => {
  it('availableSlots over 14 days costs the same as over one day', async () => {
    const start = addDays(beijingDate(new Date()), 1);
    for (let day = 0; day <= 14; day++) {
      for (const session of ['MORNING', 'AFTERNOON'] as const)
        await insertSlotPool(stack, { organizationCode: '3201-H002', department: '内分泌科', date: addDays(start, day), session });
    }
    const names = (commands: { commandName: string; databaseName: string }[]) =>
      commands.map((command) => `${command.databaseName.split('_')[1]}.${command.commandName}`).sort();
    const ask = (to: string, expected: number) => async () => {
      const data = await ok(
        familyDoctor(),
        `query($from: String!, $to: String!) { availableSlots(organizationCode: "3201-H002", department: "内分泌科", from: $from, to: $to) { poolId bookableByYou } }`,
        { from: start, to },
      );
      expect(data.availableSlots).toHaveLength(expected);
    };
    expect(names(await stack.commandsDuring(ask(addDays(start, 13), 28)))).toEqual(names(await stack.commandsDuring(ask(start, 2))));
  });

  it('a family doctor’s outbox of 100 referrals with their attachments costs the same as one', async () => {
    const outbox = (centre: string, count: number) => async () => {
      const residents = await insertResidents(stack, { organizationCode: centre, count: 1 });
      const residentId = residents[0]!;
      const [report] = [labReport({ residentId, organizationCode: centre, code: '14749-6', results: [{ code: '14749-6', value: 5.2, unit: 'mmol/L' }] })];
      await modelsOf(stack).labs.LabReport.create(report!);
      await modelsOf(stack).referrals.Referral.insertMany(
        Array.from({ length: count }, (_, index) =>
          referralDoc({
            residentId,
            fromOrganizationCode: centre,
            toOrganizationCode: HOSPITAL,
            attachedLabReportIds: [report!._id],
            requestedAt: new Date(Date.now() - index * 1000),
          }),
        ),
      );
    };
    await outbox('3201-C010', 1)();
    await outbox('3201-C011', 100)();
    const doctorAt = (centre: string) => stack.token({ subject: `fd-${centre}`, roles: ['family_doctor'], organizationCode: centre, practitionerId: 'F7' });
    const names = (commands: { commandName: string; databaseName: string }[]) =>
      commands.map((command) => `${command.databaseName.split('_')[1]}.${command.commandName}`).sort();
    const ask = (centre: string, expected: number) => async () => {
      const data = await ok(
        doctorAt(centre),
        `{ referralOutbox(first: 100) { edges { node { id status attachedLabReports { id issuedAt } transitions { to } } } } }`,
      );
      expect(data.referralOutbox.edges).toHaveLength(expected);
      expect(data.referralOutbox.edges[0].node.attachedLabReports[0].issuedAt).toEqual(expect.any(String));
    };
    expect(names(await stack.commandsDuring(ask('3201-C011', 100)))).toEqual(names(await stack.commandsDuring(ask('3201-C010', 1))));
  });
});
