/**
 * A health check-up through the exchange: the centre's system publishes a package; the
 * resident books it for a day next week and pays online through one-stop settlement; the
 * centre's lab system files the check-up report (results, conclusions, recommendations) — and
 * last year's, so there is a history — and the resident reads the report and the trend of
 * fasting glucose across both years, in one unit, with the reference range.
 *
 *   npm run example -- health-checkup
 */
import { gql } from '@apollo/client';
import { connect, demoCity, runMain } from './client';

const PUBLISH = gql`
  mutation Publish($packages: [CheckupPackageInput!]!) { publishCheckupPackages(packages: $packages) { id code name priceFen dailyCapacity } }
`;
const BOOKING_FIELDS = gql`
  fragment Booking on CheckupBooking { id status date priceFen settlementId package { id code } }
`;
const MINE = gql`
  query MyCheckups { myCheckups { ...Booking } }
  ${BOOKING_FIELDS}
`;
const BOOK = gql`
  mutation Book($input: BookCheckupInput!) { bookCheckup(input: $input) { ...Booking } }
  ${BOOKING_FIELDS}
`;
const PAY = gql`
  mutation Pay($id: ID!) { payCheckup(id: $id, channel: ALIPAY) { ...Booking } }
  ${BOOKING_FIELDS}
`;
const ME = gql`
  query Me($id: ID!) { resident(id: $id) { gender birthDate } }
`;
const FILE_REPORT = gql`
  mutation FileReport($input: SubmitLabReportInput!, $findings: CheckupFindingsInput!) {
    submitCheckupReport(input: $input, findings: $findings) { id issuedAt checkup { conclusions recommendations } }
  }
`;
const REPORTS_AND_TREND = gql`
  query ReportsAndTrend($id: ID!) {
    resident(id: $id) {
      labReports(first: 10) { edges { node { id issuedAt organization { code } checkup { conclusions recommendations } } } }
      labTrend(code: "14749-6") {
        code { code display }
        unit
        points { at value reportedValue reportedUnit interpretation organization { code } reportId referenceRange { low high } }
      }
    }
  }
`;

export interface HealthCheckupInput {
  gatewayUrl: string;
  /** The check-up centre's own system (role `hospital_system`, its `org`). */
  centreSystemToken: string;
  /** The centre's lab system (role `lab_system`, same `org`: a registered laboratory where the resident registered). */
  centreLabToken: string;
  residentToken: string;
  residentId: string;
}

const DAY_MS = 86_400_000;
/** A day of the city's calendar (Beijing, UTC+8). */
const isoDate = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);

export async function healthCheckup(input: HealthCheckupInput) {
  const centre = connect(input.gatewayUrl, input.centreSystemToken);
  const lab = connect(input.gatewayUrl, input.centreLabToken);
  const resident = connect(input.gatewayUrl, input.residentToken);

  // 1. The centre publishes its package (again on a re-run: the same package).
  const [published] = (
    await centre.mutate(PUBLISH, {
      packages: [
        {
          code: 'CHECKUP-BASIC',
          name: '基础健康体检套餐',
          items: [{ code: '14749-6', name: '空腹血糖' }, { code: '4548-4', name: '糖化血红蛋白' }, { name: '心电图' }],
          priceFen: 39900,
          dailyCapacity: 50,
        },
      ],
    })
  ).publishCheckupPackages;

  // 2. The resident books a day next week (or finds the booking an earlier run made) and pays online.
  const date = isoDate(Date.now() + 7 * DAY_MS);
  const mine: any[] = (await resident.query(MINE)).myCheckups ?? [];
  const booked =
    mine.find((booking) => booking.package?.id === published.id && booking.date === date && booking.status !== 'CANCELLED') ??
    (await resident.mutate(BOOK, { input: { residentId: input.residentId, packageId: published.id, date } })).bookCheckup;
  const paid = booked.status === 'PAID' ? booked : (await resident.mutate(PAY, { id: booked.id })).payCheckup;

  // 3. The centre's lab system files last year's report and this one (the same ids again on a re-run: unchanged).
  const me = (await resident.query(ME, { id: input.residentId })).resident;
  const report = (issuedAt: Date, glucose: number) => ({
    residentId: input.residentId,
    sourceReportId: `CHK-${issuedAt.getUTCFullYear()}-${input.residentId.slice(0, 8)}`,
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: issuedAt.toISOString(),
    subjectSex: me.gender === 'MALE' || me.gender === 'FEMALE' ? me.gender : 'UNKNOWN',
    subjectBirthDate: me.birthDate,
    results: [{ code: '14749-6', value: glucose, unit: 'mmol/L' }],
  });
  const now = Date.now();
  const lastYear = (
    await lab.mutate(FILE_REPORT, {
      input: report(new Date(now - 365 * DAY_MS), 5.6),
      findings: { conclusions: ['空腹血糖正常'], recommendations: ['保持运动，每年体检'] },
    })
  ).submitCheckupReport;
  const thisYear = (
    await lab.mutate(FILE_REPORT, {
      input: report(new Date(now - DAY_MS), 6.5),
      findings: { conclusions: ['空腹血糖升高'], recommendations: ['减少精制糖摄入', '三个月后复查空腹血糖'] },
    })
  ).submitCheckupReport;

  // 4. The resident reads the reports and the trend of fasting glucose.
  const { labReports, labTrend } = (await resident.query(REPORTS_AND_TREND, { id: input.residentId })).resident;
  const checkups = labReports.edges.map((edge: any) => edge.node).filter((node: any) => node.checkup);
  return {
    package: published,
    booking: paid,
    reports: [lastYear, thisYear],
    checkupsOnRecord: checkups.length,
    trend: labTrend,
  };
}

export async function main() {
  const demo = demoCity();
  return healthCheckup({
    gatewayUrl: demo.gatewayUrl,
    centreSystemToken: demo.identities.hospital_system!.token,
    centreLabToken: demo.identities.lab_system!.token,
    residentToken: demo.tokens.resident!,
    residentId: demo.residentId,
  });
}

if (require.main === module) runMain(main);
