/**
 * The demo city's twelve months (October 2023 – September 2024): the eleven before the
 * bulletin's derived from it by the documented rule (each figure of care and upload times the
 * month's factor), labelled as derived; September stays the bulletin's, its admissions and days
 * in hospital derived; the cumulative figures still end at the bulletin's.
 */
import { commissionToken, useSeededCity } from '../support/seeded-city';

const { stack, codeOf } = useSeededCity();
const HOSPITAL = '江苏省中医院';
const FIELDS = 'period seeded outpatientVisits outpatientRevenueFen discharges inpatientRevenueFen admissions inpatientDays scheduledUploadRecords';

async function trend(from: string, to: string, organizationCode?: string) {
  const { body } = await stack.query(
    commissionToken(stack),
    `query($from: String!, $to: String!, $code: ID) { cockpitTrend(from: $from, to: $to, organizationCode: $code) { ${FIELDS} averageStayDays } }`,
    { from, to, code: organizationCode },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.cockpitTrend as Record<string, number | string | null>[];
}

it('derives the eleven months before the bulletin’s from it, and labels them', async () => {
  const rows = await trend('2023-09', '2024-09', codeOf.get(HOSPITAL));
  expect(rows.map((row) => row.seeded)).toEqual([null, ...Array(11).fill('DERIVED'), 'BULLETIN']);
  // The bulletin's September for 江苏省中医院, with a derived average stay of 7.5 days (a city-level hospital).
  expect(rows[12]).toEqual({
    period: '2024-09',
    seeded: 'BULLETIN',
    outpatientVisits: 581997,
    outpatientRevenueFen: 34216317000,
    discharges: 6236,
    inpatientRevenueFen: 14707200000,
    admissions: 6236,
    inpatientDays: 46770,
    scheduledUploadRecords: 26159315,
    averageStayDays: 7.5,
  });
  // February 2024 (the Spring Festival): September's figures × 0.76.
  expect(rows[5]).toEqual({
    period: '2024-02',
    seeded: 'DERIVED',
    outpatientVisits: 442318,
    outpatientRevenueFen: 26004400920,
    discharges: 4739,
    inpatientRevenueFen: 11177472000,
    admissions: 4739,
    inpatientDays: 35545,
    scheduledUploadRecords: 19881079,
    averageStayDays: 35545 / 4739,
  });
  // October 2023 × 0.86; the month before the history has nothing.
  expect(rows[1]!.outpatientVisits).toBe(500517);
  expect(rows[0]).toMatchObject({ period: '2023-09', seeded: null, outpatientVisits: 0, discharges: 0, admissions: 0 });
});

it('keeps each unit’s opening census through the twelve months: September’s occupied beds, as many admitted as discharged', async () => {
  const census = async (month: string) => {
    const { body } = await stack.query(
      commissionToken(stack),
      `query($month: String!) { cockpitMonth(month: $month) { hospitals { organization { name } inpatientsAtEnd } } }`,
      {
        month,
      },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.cockpitMonth.hospitals.find((row: { organization: { name: string } }) => row.organization.name === HOSPITAL).inpatientsAtEnd;
  };
  // 江苏省中医院: 46,770 days in hospital in September's 30 days, 1,559 beds occupied.
  expect(await census('2024-09')).toBe(1559);
  expect(await census('2024-02')).toBe(1559);
  expect(await census('2023-09')).toBe(1559);
});

it('gives the city a trend with a shape: the Spring Festival its lowest month, the winter peak its highest', async () => {
  const rows = await trend('2023-10', '2024-09');
  const visits = rows.map((row) => row.outpatientVisits as number);
  expect(rows.map((row) => row.period)[visits.indexOf(Math.min(...visits))]).toBe('2024-02');
  expect(rows.map((row) => row.period)[visits.indexOf(Math.max(...visits))]).toBe('2024-01');
  expect(rows[11]!.outpatientVisits).toBe(6160582);
});

it('keeps the bulletin’s cumulative figures: verified records through September, appointments counted from September only', async () => {
  const answer = async (month: string) => {
    const { body } = await stack.query(
      commissionToken(stack),
      `query($month: String!) { cockpitMonth(month: $month) { verifiedRecordsCumulative } appointmentsByChannel(month: $month) { hospitalsTotal { total } appointmentsCumulative } }`,
      { month },
    );
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  expect(await answer('2024-09')).toEqual({
    cockpitMonth: { verifiedRecordsCumulative: 27508000000 },
    appointmentsByChannel: { hospitalsTotal: { total: 17794 }, appointmentsCumulative: 34185584 },
  });
  const august = await answer('2024-08');
  expect(august.appointmentsByChannel).toEqual({ hospitalsTotal: { total: 0 }, appointmentsCumulative: 34167790 });
  // August's cumulative is September's less September's verified records (284,824,159, the bulletin's month).
  expect(august.cockpitMonth.verifiedRecordsCumulative).toBe(27508000000 - 284824159);
});
