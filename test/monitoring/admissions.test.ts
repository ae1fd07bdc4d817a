/**
 * Admissions and days in hospital, counted from real-time forms and batch uploads like
 * discharges (an admission on the day the stay began, the discharge and its days on the day it
 * ended, in the city's calendar), and the operations figures and rankings the cockpit derives
 * from them.
 */
import { insertHospitals, insertResidents, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const { stack, ok } = useStack();
const TERTIARY = '3201-H001';
const SECONDARY = '3201-H100';
let residentId: string;
let secondaryResidentId: string;

const hospitalSystem = (organizationCode = TERTIARY) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const commission = () => stack.token({ subject: 'hc', roles: ['health_commission'] });

const RECORD = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;
const UPLOAD = `mutation($inputs: [RecordEncounterInput!]!) { uploadEncounters(inputs: $inputs) { status code } }`;
const FIGURES = 'period admissions discharges inpatientDays averageStayDays inpatientRevenueFen inpatientRevenuePerDischargeFen';
const DAYS = `query($month: String!, $code: ID) { cockpitDays(month: $month, organizationCode: $code) { ${FIGURES} } }`;
const MONTH = `query($month: String!) { cockpitMonth(month: $month) { city { ${FIGURES} } hospitals { organization { code } ${FIGURES} } } }`;

const stay = (overrides: Record<string, unknown>) => ({
  residentId,
  sourceRecordId: 'S-ADM-1',
  class: 'INPATIENT',
  status: 'IN_PROGRESS',
  department: '心血管内科',
  // 09:00 in Beijing on 20 February 2025.
  start: '2025-02-20T01:00:00.000Z',
  diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
  ...overrides,
});

/** The days of February and March 2025 with any inpatient figure, for one organization. */
async function busyDays(code: string) {
  const rows = [];
  for (const month of ['2025-02', '2025-03']) rows.push(...(await ok(commission(), DAYS, { month, code })).cockpitDays);
  return rows.filter((row: { admissions: number; discharges: number; inpatientDays: number }) => row.admissions || row.discharges || row.inpatientDays);
}
const quietDay = { admissions: 0, discharges: 0, inpatientDays: 0, averageStayDays: null, inpatientRevenueFen: null, inpatientRevenuePerDischargeFen: null };

beforeAll(async () => {
  await insertHospitals(stack);
  [residentId] = (await insertResidents(stack, { organizationCode: TERTIARY, count: 1 })) as [string];
  [secondaryResidentId] = (await insertResidents(stack, { organizationCode: SECONDARY, count: 1 })) as [string];
});

it('counts an admission on the day the stay began and the discharge with its days on the day it ended', async () => {
  // Admitted, still in hospital: an admission on 20 February, nothing else.
  await ok(hospitalSystem(), RECORD, { input: stay({}) });
  expect(await busyDays(TERTIARY)).toEqual([{ ...quietDay, period: '2025-02-20', admissions: 1 }]);

  // The same form again counts nothing.
  await ok(hospitalSystem(), RECORD, { input: stay({}) });
  expect(await busyDays(TERTIARY)).toEqual([{ ...quietDay, period: '2025-02-20', admissions: 1 }]);

  // Discharged at 10:00 on 24 February with its charges: 4 days, counted on the 24th; the admission stays on the 20th.
  await ok(hospitalSystem(), RECORD, { input: stay({ status: 'FINISHED', end: '2025-02-24T02:00:00.000Z', chargesFen: 1200000 }) });
  expect(await busyDays(TERTIARY)).toEqual([
    { ...quietDay, period: '2025-02-20', admissions: 1 },
    {
      ...quietDay,
      period: '2025-02-24',
      discharges: 1,
      inpatientDays: 4,
      averageStayDays: 4,
      inpatientRevenueFen: 1200000,
      inpatientRevenuePerDischargeFen: 1200000,
    },
  ]);

  // The admission date corrected to the 21st (a Beijing morning that is still the 20th in UTC):
  // taken back from the 20th, counted on the 21st, and the stay is 3 days.
  await ok(hospitalSystem(), RECORD, {
    input: stay({ status: 'FINISHED', start: '2025-02-20T17:00:00.000Z', end: '2025-02-24T02:00:00.000Z', chargesFen: 1200000 }),
  });
  expect(await busyDays(TERTIARY)).toEqual([
    { ...quietDay, period: '2025-02-21', admissions: 1 },
    {
      ...quietDay,
      period: '2025-02-24',
      discharges: 1,
      inpatientDays: 3,
      averageStayDays: 3,
      inpatientRevenueFen: 1200000,
      inpatientRevenuePerDischargeFen: 1200000,
    },
  ]);
  // The 20th is back to nothing.
  const february = (await ok(commission(), DAYS, { month: '2025-02', code: TERTIARY })).cockpitDays;
  expect(february.find((row: { period: string }) => row.period === '2025-02-20')).toEqual({ ...quietDay, period: '2025-02-20' });

  // Refused and invalid stays count nothing.
  const refused = await stack.query(hospitalSystem('3201-H002'), RECORD, { input: stay({ sourceRecordId: 'S-ADM-2' }) });
  expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  const invalid = await stack.query(hospitalSystem(), RECORD, {
    input: stay({ sourceRecordId: 'S-ADM-3', status: 'FINISHED', end: '2025-02-19T02:00:00.000Z' }),
  });
  expect(invalid.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  expect(await busyDays('3201-H002')).toEqual([]);
  expect(await busyDays(TERTIARY)).toHaveLength(2);
});

it('counts admissions and stays of a batch upload the same way, a stay admitted and discharged the same day as one day', async () => {
  const outcomes = await ok(hospitalSystem(SECONDARY), UPLOAD, {
    inputs: [
      // Admitted 23:30 on 27 February in Beijing (15:30 UTC), discharged on 1 March: 2 days.
      stay({
        residentId: secondaryResidentId,
        sourceRecordId: 'S-UP-1',
        status: 'FINISHED',
        start: '2025-02-27T15:30:00.000Z',
        end: '2025-03-01T03:00:00.000Z',
        chargesFen: 500000,
      }),
      // Admitted and discharged on 1 March: one day, no charges reported.
      stay({
        residentId: secondaryResidentId,
        sourceRecordId: 'S-UP-2',
        status: 'FINISHED',
        start: '2025-03-01T01:00:00.000Z',
        end: '2025-03-01T09:00:00.000Z',
      }),
      // Cancelled: not a stay.
      stay({ residentId: secondaryResidentId, sourceRecordId: 'S-UP-3', status: 'CANCELLED', start: '2025-03-01T01:00:00.000Z' }),
    ],
  });
  expect(outcomes.uploadEncounters).toEqual([
    { status: 'CREATED', code: null },
    { status: 'CREATED', code: null },
    { status: 'CREATED', code: null },
  ]);
  expect(await busyDays(SECONDARY)).toEqual([
    { ...quietDay, period: '2025-02-27', admissions: 1 },
    {
      ...quietDay,
      period: '2025-03-01',
      admissions: 1,
      discharges: 2,
      inpatientDays: 3,
      averageStayDays: 1.5,
      inpatientRevenueFen: 500000,
      inpatientRevenuePerDischargeFen: 250000,
    },
  ]);

  // Patients in hospital at the end of each month: February ends with 江宁区's stay of the 27th still open.
  const CENSUS = `query($month: String!) { cockpitMonth(month: $month) { city { inpatientsAtEnd } districts { district inpatientsAtEnd } hospitals { organization { code } inpatientsAtEnd } organizations { organization { code } inpatientsAtEnd } } }`;
  const census = async (month: string) => {
    const answer = (await ok(commission(), CENSUS, { month })).cockpitMonth;
    return {
      city: answer.city.inpatientsAtEnd,
      jiangning: answer.districts.find((row: { district: string }) => row.district === '江宁区').inpatientsAtEnd,
      others: answer.districts.filter((row: { district: string }) => row.district !== '江宁区').map((row: { inpatientsAtEnd: number }) => row.inpatientsAtEnd),
      hospitals: answer.hospitals.map((row: { inpatientsAtEnd: number }) => row.inpatientsAtEnd),
      secondary: answer.organizations.find((row: { organization: { code: string } }) => row.organization.code === SECONDARY)?.inpatientsAtEnd,
    };
  };
  expect(await census('2025-02')).toEqual({ city: 1, jiangning: 1, others: Array(11).fill(0), hospitals: [0, 0], secondary: 1 });
  expect(await census('2025-03')).toEqual({ city: 0, jiangning: 0, others: Array(11).fill(0), hospitals: [0, 0], secondary: 0 });
  // A month with nothing of its own still has the stays begun before it: none are open in April.
  expect((await census('2025-04')).city).toBe(0);
  // A hospital's own callers get their own census.
  const own = await ok(hospitalSystem(SECONDARY), `query { cockpitMonth(month: "2025-02") { organizations { inpatientsAtEnd } } }`);
  expect(own.cockpitMonth.organizations).toEqual([{ inpatientsAtEnd: 1 }]);

  // The city's February: both hospitals' admissions, the one discharge (3 days) of the first test.
  const february = (await ok(commission(), MONTH, { month: '2025-02' })).cockpitMonth;
  expect(february.city).toEqual({
    ...quietDay,
    period: '2025-02',
    admissions: 2,
    discharges: 1,
    inpatientDays: 3,
    averageStayDays: 3,
    inpatientRevenueFen: 1200000,
    inpatientRevenuePerDischargeFen: 1200000,
  });
  expect(february.hospitals).toEqual([
    {
      ...quietDay,
      organization: { code: TERTIARY },
      period: '2025-02',
      admissions: 1,
      discharges: 1,
      inpatientDays: 3,
      averageStayDays: 3,
      inpatientRevenueFen: 1200000,
      inpatientRevenuePerDischargeFen: 1200000,
    },
    { ...quietDay, organization: { code: '3201-H002' }, period: '2025-02' },
  ]);
});

describe('rankings', () => {
  const RANKING = `query($month: String!, $indicator: CockpitIndicator!) { cockpitRanking(month: $month, indicator: $indicator) { month indicator districts { rank value row { district } } hospitals { rank value row { organization { code } } } } }`;

  it('ranks the districts and city-level hospitals by the indicator chosen, most first, nothing to divide last', async () => {
    const byDischarges = (await ok(commission(), RANKING, { month: '2025-03', indicator: 'DISCHARGES' })).cockpitRanking;
    expect(byDischarges.month).toBe('2025-03');
    expect(byDischarges.indicator).toBe('DISCHARGES');
    // 江宁区's secondary hospital discharged 2 in March; every other district ties at 0 in the registry's order.
    expect(byDischarges.districts[0]).toEqual({ rank: 1, value: 2, row: { district: '江宁区' } });
    expect(byDischarges.districts.slice(1).map((entry: { rank: number; value: number }) => [entry.rank, entry.value])).toEqual(Array(11).fill([2, 0]));
    expect(byDischarges.hospitals).toEqual([
      { rank: 1, value: 0, row: { organization: { code: TERTIARY } } },
      { rank: 1, value: 0, row: { organization: { code: '3201-H002' } } },
    ]);

    const byStay = (await ok(commission(), RANKING, { month: '2025-02', indicator: 'AVERAGE_STAY_DAYS' })).cockpitRanking;
    expect(byStay.hospitals).toEqual([
      { rank: 1, value: 3, row: { organization: { code: TERTIARY } } },
      { rank: null, value: null, row: { organization: { code: '3201-H002' } } },
    ]);
    expect(byStay.districts.every((entry: { rank: number | null }) => entry.rank === null)).toBe(true);
  });

  it('is the health commission’s only, and refuses a month that is not one', async () => {
    for (const token of [
      hospitalSystem(),
      stack.token({ subject: 'dr', roles: ['doctor'], organizationCode: TERTIARY, practitionerId: 'D3001' }),
      stack.token({ subject: 'lis', roles: ['lab_system'], organizationCode: TERTIARY }),
    ]) {
      const refused = await stack.query(token, RANKING, { month: '2025-02', indicator: 'DISCHARGES' });
      expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(refused.body.data?.cockpitRanking ?? null).toBeNull();
    }
    const invalid = await stack.query(commission(), RANKING, { month: '2025-2', indicator: 'DISCHARGES' });
    expect(invalid.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(invalid.body.errors![0]!.message).toBe('month must be a month as YYYY-MM, e.g. 2024-09 (not "2025-2")');
  });
});

it('keeps nothing for an organization whose writes were all refused', async () => {
  expect(await modelsOf(stack).activity.ActivityRollup.countDocuments({ organizationCode: '3201-H002' })).toBe(0);
});
