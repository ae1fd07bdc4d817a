/**
 * Check-up reports through the real gateway: a centre's lab system files a check-up's results
 * (coded and unit-checked like any lab result) with its conclusions and recommendations; the
 * resident and their contracted family doctor compare an indicator across years, centres and
 * hospitals, in one unit, with the reference range; consent applies to check-up items as to
 * any result.
 */
import { insertHospitals, insertResidents, labSubmission, modelsOf, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-H105';
const HOSPITAL = '3201-H001';
const FAMILY_CENTRE = '3201-C001';
const STRANGER_CENTRE = '3201-H106';

const labSystem = (organizationCode = CENTRE) => stack.token({ subject: `lis-${organizationCode}`, roles: ['lab_system'], organizationCode });
const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const familyDoctor = () => stack.token({ subject: 'fd-1', roles: ['family_doctor'], organizationCode: FAMILY_CENTRE, practitionerId: 'F1' });

const SUBMIT = `mutation($input: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $input, findings: $findings) {
  id organization { code } conclusion checkup { conclusions recommendations } results { code { code } value unit interpretation } } }`;
const TREND = `query($id: ID!) { resident(id: $id) { labTrend(code: "14749-6") { unit points { at value reportedValue reportedUnit interpretation organization { code } referenceRange { low high } } } } }`;
const REPORTS = `query($id: ID!) { resident(id: $id) { labReports(first: 20) { edges { node { id checkup { conclusions } } } } } }`;

const FINDINGS = { conclusions: ['空腹血糖偏高', '血脂正常'], recommendations: ['控制饮食，三个月后复查血糖'] };

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

const stored = async () => ({
  reports: await modelsOf(stack).labs.LabReport.find({}).sort({ _id: 1 }).lean(),
  findings: await modelsOf(stack).labs.CheckupFindings.find({}).sort({ _id: 1 }).lean(),
});

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.insertMany([
    { _id: CENTRE, certifiedScope: 'CITY' },
    { _id: HOSPITAL, certifiedScope: 'CITY' },
    { _id: STRANGER_CENTRE, certifiedScope: 'CITY' },
  ]);
});

describe('filing and reading a check-up report', () => {
  it('files the results and findings, and shows one indicator across two years, a centre and a hospital, in one unit', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, alsoSeenAt: [HOSPITAL], count: 1 })) as [string];
    await relate(stack, [residentId], FAMILY_CENTRE, 'CONTRACT');
    // Last year's check-up reported glucose in mg/dL; this year's in mmol/L; a hospital's test in between.
    const lastYear = (
      await ok(labSystem(), SUBMIT, {
        input: labSubmission(residentId, {
          sourceReportId: 'CHK-2025-001',
          issuedAt: '2025-11-20T02:00:00Z',
          results: [{ code: '14749-6', value: 99, unit: 'mg/dL' }],
        }),
        findings: { conclusions: ['未见明显异常'], recommendations: [] },
      })
    ).submitCheckupReport;
    expect(lastYear).toMatchObject({
      organization: { code: CENTRE },
      conclusion: '体检结论 Conclusions:\n1. 未见明显异常',
      checkup: { conclusions: ['未见明显异常'], recommendations: [] },
    });
    await ok(
      stack.token({ subject: 'lis-h', roles: ['lab_system'], organizationCode: HOSPITAL }),
      `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`,
      {
        input: labSubmission(residentId, {
          sourceReportId: 'H-LAB-1',
          issuedAt: '2026-05-10T02:00:00Z',
          results: [{ code: '14749-6', value: 5.9, unit: 'mmol/L' }],
        }),
      },
    );
    const thisYear = (
      await ok(labSystem(), SUBMIT, {
        input: labSubmission(residentId, {
          sourceReportId: 'CHK-2026-001',
          issuedAt: '2026-11-18T02:00:00Z',
          results: [{ code: '14749-6', value: 6.4, unit: 'mmol/L' }],
        }),
        findings: FINDINGS,
      })
    ).submitCheckupReport;
    expect(thisYear).toEqual({
      id: thisYear.id,
      organization: { code: CENTRE },
      conclusion: '体检结论 Conclusions:\n1. 空腹血糖偏高\n2. 血脂正常\n健康建议 Recommendations:\n1. 控制饮食，三个月后复查血糖',
      checkup: FINDINGS,
      results: [{ code: { code: '14749-6' }, value: 6.4, unit: 'mmol/L', interpretation: 'H' }],
    });

    const range = { low: 3.9, high: 6.1 };
    for (const reader of [resident(residentId), familyDoctor()]) {
      const { labTrend } = (await ok(reader, TREND, { id: residentId })).resident;
      expect(labTrend).toEqual({
        unit: 'mmol/L',
        points: [
          {
            at: '2025-11-20T02:00:00.000Z',
            value: expect.closeTo(5.49, 2),
            reportedValue: 99,
            reportedUnit: 'mg/dL',
            interpretation: 'N',
            organization: { code: CENTRE },
            referenceRange: expect.anything(),
          },
          {
            at: '2026-05-10T02:00:00.000Z',
            value: 5.9,
            reportedValue: 5.9,
            reportedUnit: 'mmol/L',
            interpretation: 'N',
            organization: { code: HOSPITAL },
            referenceRange: range,
          },
          {
            at: '2026-11-18T02:00:00.000Z',
            value: 6.4,
            reportedValue: 6.4,
            reportedUnit: 'mmol/L',
            interpretation: 'H',
            organization: { code: CENTRE },
            referenceRange: range,
          },
        ],
      });
    }
    // Only the check-ups carry findings.
    const nodes = (await ok(resident(residentId), REPORTS, { id: residentId })).resident.labReports.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.checkup?.conclusions ?? null)).toEqual([['空腹血糖偏高', '血脂正常'], null, ['未见明显异常']]);
  });

  it('refuses bad findings, a bad unit and a conclusion of its own, and callers without standing, changing nothing', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const before = await stored();
    expect(await errorsOf(labSystem(), SUBMIT, { input: labSubmission(residentId), findings: { conclusions: [], recommendations: [] } })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Invalid input: conclusions must name at least one conclusion' },
    ]);
    expect(
      await codes(labSystem(), SUBMIT, {
        input: labSubmission(residentId, { results: [{ code: '14749-6', value: 5.4, unit: 'mmol/kg' }] }),
        findings: FINDINGS,
      }),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await codes(labSystem(), SUBMIT, { input: labSubmission(residentId, { conclusion: '自带结论' }), findings: FINDINGS })).toEqual(['BAD_USER_INPUT']);
    // A centre the resident never registered at, a family doctor, the resident: no such write.
    expect(await codes(labSystem(STRANGER_CENTRE), SUBMIT, { input: labSubmission(residentId), findings: FINDINGS })).toEqual(['FORBIDDEN']);
    expect(await codes(familyDoctor(), SUBMIT, { input: labSubmission(residentId), findings: FINDINGS })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), SUBMIT, { input: labSubmission(residentId), findings: FINDINGS })).toEqual(['FORBIDDEN']);
    expect(await stored()).toEqual(before);
  });
});

describe('consent', () => {
  it('omits a restricted check-up item, and its report’s findings and trend points, from the family doctor, not from the resident', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    await relate(stack, [residentId], FAMILY_CENTRE, 'CONTRACT');
    await ok(
      resident(residentId),
      `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [HIV_STI], blockedOrganizations: []) { updatedAt } }`,
      {
        id: residentId,
      },
    );
    await ok(labSystem(), SUBMIT, {
      input: labSubmission(residentId, {
        sourceReportId: 'CHK-HIV-1',
        results: [
          { code: '14749-6', value: 5.0, unit: 'mmol/L' },
          { code: '75622-1', valueCode: 'NEG' },
        ],
      }),
      findings: { conclusions: ['HIV抗原抗体阴性'], recommendations: [] },
    });
    const mine = (await ok(resident(residentId), REPORTS, { id: residentId })).resident.labReports.edges;
    expect(mine.map((edge: any) => edge.node.checkup.conclusions)).toEqual([['HIV抗原抗体阴性']]);
    const doctorSees = await stack.query(familyDoctor(), REPORTS, { id: residentId });
    expect(doctorSees.body.data!.resident.labReports.edges).toEqual([]);
    expect(doctorSees.text).not.toContain('HIV抗原抗体阴性');
    const trend = (await ok(familyDoctor(), TREND, { id: residentId })).resident.labTrend;
    expect(trend.points).toEqual([]);
    expect((await ok(resident(residentId), TREND, { id: residentId })).resident.labTrend.points).toHaveLength(1);
  });
});
