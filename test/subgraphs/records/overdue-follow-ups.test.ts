/**
 * Overdue follow-up through the real gateway: a family doctor lists the residents contracted to
 * the centre whose hypertension has gone without a visit for 90 days, paged; residents without
 * a contract with the centre, with a recent visit, or without hypertension are not listed, and
 * what the resident restricted never counts.
 */
import { cityDay } from '../../../monitoring/activity-store';
import { insertHospitals, insertResidents, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H107';
const CENTRE = '3201-C001';
const OTHER_CENTRE = '3201-C002';
const DAY = 86_400_000;

const his = () => stack.token({ subject: 'his-h107', roles: ['hospital_system'], organizationCode: HOSPITAL });
const familyDoctor = (organizationCode = CENTRE) =>
  stack.token({ subject: `fd-${organizationCode}`, roles: ['family_doctor'], organizationCode, practitionerId: 'F0001' });
const LIST = `query($first: Int, $after: String) { overdueFollowUps(first: $first, after: $after) {
  edges { cursor node { id rule resident { id } condition { id code { code } } } } pageInfo { hasNextPage endCursor } } }`;

let sequence = 0;
async function condition(residentId: string, code: string, display: string): Promise<string> {
  const { recordCondition } = await ok(his(), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId, sourceRecordId: `DX-FU-${sequence++}`, code, display, clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  return recordCondition.id;
}
async function visit(residentId: string, daysAgo: number, department = '心血管内科', diagnosis = { code: 'I10', display: '原发性高血压' }) {
  const start = new Date(Date.now() - daysAgo * DAY);
  await ok(his(), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
    input: {
      residentId,
      sourceRecordId: `V-FU-${sequence++}`,
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      diagnoses: [{ ...diagnosis, rank: 1, primary: true }],
    },
  });
}
const contracted = (residentIds: string[], organizationCode = CENTRE) =>
  relate(stack, residentIds, organizationCode, 'CONTRACT', { endsAt: new Date(Date.now() + 365 * DAY) });

const expected: { conditionId: string; residentId: string }[] = [];

beforeAll(async () => {
  await insertHospitals(stack);
  const [lapsed, recent, noContract, diabetic, neverSeen, restricted] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 6 })) as string[];
  await contracted([lapsed!, recent!, diabetic!, neverSeen!, restricted!]);
  // Last seen 120 days ago: overdue. Seen 10 days ago: not. Never seen: overdue.
  expected.push({ conditionId: await condition(lapsed!, 'I10', '原发性高血压'), residentId: lapsed! });
  await visit(lapsed!, 120);
  await condition(recent!, 'I11.9', '高血压性心脏病');
  await visit(recent!, 10);
  expected.push({ conditionId: await condition(neverSeen!, 'I10', '原发性高血压'), residentId: neverSeen! });
  // Not the centre's resident; and a diabetic without hypertension (the HbA1c rule is not this list's).
  await condition(noContract!, 'I10', '原发性高血压');
  await condition(diabetic!, 'E11.9', '2型糖尿病');
  // Hypertension whose only recent visit was at a psychiatry clinic the resident restricted: it does not count for the centre.
  expected.push({ conditionId: await condition(restricted!, 'I10', '原发性高血压'), residentId: restricted! });
  await visit(restricted!, 5, '精神科', { code: 'F32.9', display: '抑郁发作' });
  await ok(
    stack.token({ subject: `resident-${restricted}`, roles: ['resident'], residentId: restricted! }),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
    { id: restricted },
  );
  expected.sort((a, b) => a.conditionId.localeCompare(b.conditionId));
});

it('lists the contracted residents whose hypertension has gone 90 days without a visit, paged by condition', async () => {
  const nodes = (data: any) => data.overdueFollowUps.edges.map((edge: any) => edge.node);
  const all = expected.map(({ conditionId, residentId }) => ({
    id: conditionId,
    rule: 'HYPERTENSION_VISIT',
    resident: { id: residentId },
    condition: { id: conditionId, code: { code: 'I10' } },
  }));
  const first = await ok(familyDoctor(), LIST, { first: 2 });
  expect(nodes(first)).toEqual(all.slice(0, 2));
  expect(first.overdueFollowUps.pageInfo.hasNextPage).toBe(true);
  const rest = await ok(familyDoctor(), LIST, { first: 2, after: first.overdueFollowUps.pageInfo.endCursor });
  expect(nodes(rest)).toEqual(all.slice(2));
  expect(rest.overdueFollowUps.pageInfo.hasNextPage).toBe(false);
});

it('counts each follow-up shown as a reminder served at the centre', async () => {
  const REMINDERS = `query($month: String!, $org: ID) { reminderStatistics(month: $month, organizationCode: $org) { overdueFollowUpReminders } }`;
  const commission = stack.token({ subject: 'hc-fu', roles: ['health_commission'] });
  // The city's month, read on both sides of the listing so that a midnight between them cannot miss it.
  const monthBefore = cityDay(new Date()).slice(0, 7);
  const served = async () => {
    let total = 0;
    for (const month of new Set([monthBefore, cityDay(new Date()).slice(0, 7)])) {
      const rows = (await ok(commission, REMINDERS, { month, org: CENTRE })).reminderStatistics;
      total += rows.reduce((sum: number, row: { overdueFollowUpReminders: number }) => sum + row.overdueFollowUpReminders, 0);
    }
    return total;
  };
  const before = await served();
  await ok(familyDoctor(), LIST, { first: 2 });
  await ok(familyDoctor(OTHER_CENTRE), LIST);
  expect(await served()).toBe(before + 2);
});

it('shows another centre none of them, and refuses other roles', async () => {
  expect((await ok(familyDoctor(OTHER_CENTRE), LIST)).overdueFollowUps.edges).toEqual([]);
  expect(await codes(stack.token({ subject: 'dr-h107', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' }), LIST)).toEqual(['FORBIDDEN']);
  expect(await codes(stack.token({ subject: 'hc-1', roles: ['health_commission'] }), LIST)).toEqual(['FORBIDDEN']);
  expect(await codes(stack.token({ subject: 'fd-none', roles: ['family_doctor'] }), LIST)).toEqual(['FORBIDDEN']);
});

it('answers bad paging with BAD_USER_INPUT', async () => {
  expect(await codes(familyDoctor(), LIST, { first: 0 })).toEqual(['BAD_USER_INPUT']);
  expect(await codes(familyDoctor(), LIST, { first: 101 })).toEqual(['BAD_USER_INPUT']);
  expect(await codes(familyDoctor(), LIST, { after: 'garbage' })).toEqual(['BAD_USER_INPUT']);
});
