/**
 * Database round trips per request do not grow with the number of residents or records a
 * request returns: every reverse field is served by one batched query per request. Checked
 * by counting the commands the subgraphs send, not by timing, so the embedded engine's full
 * scans do not matter.
 */
import { insertHospitals, insertResidents, ONE_OF_EACH, type ResidentFixture, TEST_HOSPITALS } from '../support/fixtures';
import { FULL_RECORD, FULL_RECORDS } from '../support/full-record';
import { roundTripsOf } from '../support/round-trips';
import { useStack } from '../support/stack-fixture';

const WARD_LIST = /* GraphQL */ `
  query Ward($ids: [ID!]!) {
    residents(ids: $ids) {
      id
      name
      labReports { edges { node { id results { value } } } }
      prescriptions { edges { node { id items { dose } } } }
      referrals { edges { node { id status } } }
    }
  }
`;

const HOSPITAL = '3201-H001';
const OTHER_HOSPITALS = TEST_HOSPITALS.map((hospital) => hospital._id).filter((code) => code !== HOSPITAL);
/** 2,000 records: 1,988 clinical ones and care relationships with all 12 test hospitals. */
const TWO_THOUSAND = {
  encountersEach: 500,
  conditionsEach: 300,
  allergiesEach: 100,
  reportsEach: 400,
  prescriptionsEach: 400,
  referralsEach: 288,
  alsoSeenAt: OTHER_HOSPITALS,
} satisfies Partial<ResidentFixture>;

// A ward list of fifty full records is far over a client's cost limit: this file tests the engine, not the limit.
const { stack } = useStack({ gatewayConfig: { MAX_OPERATION_COST: 1_000_000 } }, async () => {
  await insertHospitals(stack);
});

/** How many items each list field of a full record returned. */
function listSizes(record: Record<string, any>) {
  return {
    activeProblems: record.summary.activeProblems.length,
    allergies: record.summary.allergies.items.length,
    lastEncounters: record.summary.lastEncounters.length,
    encounters: record.encounters.edges.length,
    labReports: record.labReports.edges.length,
    prescriptions: record.prescriptions.edges.length,
    referrals: record.referrals.edges.length,
    careRelationships: record.careRelationships.length,
  };
}

it('a ward list of 50 residents costs the same round trips as one resident', async () => {
  const organizationCode = '3201-H002';
  const one = await insertResidents(stack, { organizationCode, count: 1, reportsEach: 1, prescriptionsEach: 1, referralsEach: 1 });
  const fifty = await insertResidents(stack, { organizationCode, count: 50, reportsEach: 4, prescriptionsEach: 3, referralsEach: 2 });
  const token = stack.token({ subject: 'dr-sun', roles: ['doctor'], organizationCode });

  const ask = (ids: string[]) => async () => {
    const { body } = await stack.query(token, WARD_LIST, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data!.residents).toHaveLength(ids.length);
    for (const resident of body.data!.residents) expect(resident.labReports.edges.length).toBeGreaterThan(0);
  };
  // Every subgraph reads the organization registry whole on first use (organization-catalogue.ts): read it before counting.
  await ask(one)();
  const forOne = await stack.commandsDuring(ask(one));
  const forFifty = await stack.commandsDuring(ask(fifty));

  expect(roundTripsOf(forFifty)).toEqual(roundTripsOf(forOne));
  // Per subgraph: the merged-id lookup, the care relationships, the consents, the records, and the audit write.
  expect(forOne).toHaveLength(20);
});

it('a ward list of 50 full records costs the same round trips as one', async () => {
  const one = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...ONE_OF_EACH });
  const fifty = await insertResidents(stack, {
    organizationCode: HOSPITAL,
    count: 50,
    encountersEach: 3,
    conditionsEach: 2,
    allergiesEach: 2,
    reportsEach: 2,
    prescriptionsEach: 2,
    referralsEach: 2,
    alsoSeenAt: OTHER_HOSPITALS.slice(0, 2),
  });
  const token = stack.token({ subject: 'dr-zhou', roles: ['doctor'], organizationCode: HOSPITAL });

  const ask = (ids: string[]) => async () => {
    const { body } = await stack.query(token, FULL_RECORDS, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data!.residents).toHaveLength(ids.length);
    for (const resident of body.data!.residents) {
      for (const size of Object.values(listSizes(resident))) expect(size).toBeGreaterThan(0);
    }
  };
  // Every subgraph reads the organization registry whole on first use (organization-catalogue.ts): read it before counting.
  await ask(one)();
  const forOne = await stack.commandsDuring(ask(one));
  const forFifty = await stack.commandsDuring(ask(fifty));

  expect(roundTripsOf(forFifty)).toEqual(roundTripsOf(forOne));
});

describe('a resident with 2,000 records costs the same round trips as one with a record in each list', () => {
  let light: string;
  let heavy: string;
  beforeAll(async () => {
    [light] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...ONE_OF_EACH })) as [string];
    [heavy] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...TWO_THOUSAND })) as [string];
    // The organization registry is read whole on a subgraph's first use: read it before counting.
    await stack.query(stack.token({ subject: `citizen-${light}`, roles: ['resident'], residentId: light }), FULL_RECORD, { id: light });
  });

  const fullRecord = async (token: string, id: string) => {
    const { body } = await stack.query(token, FULL_RECORD, { id });
    expect(body.errors).toBeUndefined();
    return body.data!.resident;
  };

  // A doctor sees only their own hospital's care relationship; the resident sees all twelve.
  it.each([
    [
      'a doctor at a hospital that cares for them',
      (_residentId: string) => ({ subject: 'dr-qian', roles: ['doctor' as const], organizationCode: HOSPITAL }),
      1,
    ],
    ['the resident themself', (residentId: string) => ({ subject: `citizen-${residentId}`, roles: ['resident' as const], residentId }), 12],
  ])('read by %s', async (_viewer, identity, heavyRelationships) => {
    let lightRecord: Record<string, any> = {};
    let heavyRecord: Record<string, any> = {};
    const forLight = await stack.commandsDuring(async () => {
      lightRecord = await fullRecord(stack.token(identity(light)), light);
    });
    const forHeavy = await stack.commandsDuring(async () => {
      heavyRecord = await fullRecord(stack.token(identity(heavy)), heavy);
    });

    expect(listSizes(lightRecord)).toEqual({
      activeProblems: 1,
      allergies: 1,
      lastEncounters: 1,
      encounters: 1,
      labReports: 1,
      prescriptions: 1,
      referrals: 1,
      careRelationships: 1,
    });
    // Not vacuous: the heavy record fills every page and every unpaged list.
    expect(listSizes(heavyRecord)).toEqual({
      activeProblems: 300,
      allergies: 100,
      lastEncounters: 12,
      encounters: 20,
      labReports: 20,
      prescriptions: 20,
      referrals: 20,
      careRelationships: heavyRelationships,
    });
    expect(heavyRecord.encounters.pageInfo.hasNextPage).toBe(true);
    expect(roundTripsOf(forHeavy)).toEqual(roundTripsOf(forLight));
  });
});
