/**
 * Shared lab and exam results through the real gateway: lab systems upload (idempotently,
 * with amendments kept in the history), doctors read results interpreted for the patient's
 * sex and age, follow an analyte across hospitals in one unit, and are told at order time
 * when a recognised result makes a repeat test unnecessary.
 */
import { CATALOGUE } from '../../../subgraphs/labs/catalogue';
import { insertHospitals, insertResidents, labReport, labSubmission, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok } = useStack();
let RESIDENT: string;
const CERTIFIED = '3201-H001';
const ALSO_CERTIFIED = '3201-H002';
const UNCERTIFIED = '3201-H100';
const DAY = 86_400_000;
const codeOf = (name: string) => [...CATALOGUE.values()].find((item) => item.name === name)!.code;

const labSystem = (organizationCode: string) => stack.token({ subject: `lis-${organizationCode}`, roles: ['lab_system'], organizationCode });
const doctorAt = (organizationCode: string) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode });
const healthCommission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });

const SUBMIT = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id version status hasCritical results { code { code } value unit interpretation critical referenceRange { low high text } } history { version status results { value } } } }`;

const upload = (overrides: Record<string, unknown> = {}) => labSubmission(RESIDENT, overrides);

beforeAll(async () => {
  await insertHospitals(stack);
  RESIDENT = (await insertResidents(stack, { organizationCode: CERTIFIED, count: 1 }))[0]!;
  await modelsOf(stack).labs.Laboratory.insertMany([
    { _id: CERTIFIED, certifiedScope: 'CITY' },
    { _id: ALSO_CERTIFIED, certifiedScope: 'PROVINCE' },
    { _id: UNCERTIFIED, certifiedScope: null },
  ]);
});

describe('uploads', () => {
  it('is idempotent: the same report again changes nothing', async () => {
    const input = upload({ sourceReportId: 'R-IDEM' });
    const first = (await ok(labSystem(CERTIFIED), SUBMIT, { input })).submitLabReport;
    const again = (await ok(labSystem(CERTIFIED), SUBMIT, { input })).submitLabReport;
    expect(again).toEqual(first);
    expect(first.version).toBe(1);
    expect(await modelsOf(stack).labs.LabReport.countDocuments({ 'source.recordId': 'R-IDEM' })).toBe(1);
  });

  it('is audited as a write, with the gateway’s request id', async () => {
    const lis = 'lis-3201-H001';
    const before = await modelsOf(stack).access.AuditEvent.countDocuments({ subject: lis, action: 'write' });
    await ok(labSystem(CERTIFIED), `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, {
      input: upload({ sourceReportId: 'R-AUDITED' }),
    });
    const events = await modelsOf(stack).access.AuditEvent.find({ subject: lis, action: 'write' }).sort({ at: -1 }).lean();
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      subgraph: 'labs',
      residentId: RESIDENT,
      organizationCode: CERTIFIED,
      roles: ['lab_system'],
      dataKinds: ['labs'],
      outcome: 'allowed',
      action: 'write',
      correlationId: null,
    });
    expect(events[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the previous version when a report is amended, and hides one entered in error from lists only', async () => {
    const input = upload({ sourceReportId: 'R-AMEND', results: [{ code: '14749-6', value: 7.9, unit: 'mmol/L' }] });
    const original = (await ok(labSystem(CERTIFIED), SUBMIT, { input })).submitLabReport;
    const amended = (
      await ok(labSystem(CERTIFIED), SUBMIT, { input: { ...input, status: 'AMENDED', results: [{ code: '14749-6', value: 5.2, unit: 'mmol/L' }] } })
    ).submitLabReport;
    expect(amended).toMatchObject({ id: original.id, version: 2, status: 'AMENDED', results: [{ value: 5.2, interpretation: 'N' }] });
    expect(amended.history).toEqual([{ version: 1, status: 'FINAL', results: [{ value: 7.9 }] }]);

    await ok(labSystem(CERTIFIED), SUBMIT, { input: { ...input, status: 'ENTERED_IN_ERROR', results: [{ code: '14749-6', value: 5.2, unit: 'mmol/L' }] } });
    const list = await ok(doctorAt(CERTIFIED), `query($id: ID!) { resident(id: $id) { labReports(first: 100) { edges { node { id } } } } }`, { id: RESIDENT });
    expect(list.resident.labReports.edges.map((edge: any) => edge.node.id)).not.toContain(original.id);
    const direct = await ok(doctorAt(CERTIFIED), `query($id: ID!) { labReport(id: $id) { status version history { version status } } }`, { id: original.id });
    expect(direct.labReport).toEqual({
      status: 'ENTERED_IN_ERROR',
      version: 3,
      history: [
        { version: 2, status: 'AMENDED' },
        { version: 1, status: 'FINAL' },
      ],
    });
  });

  it('chooses the reference range by sex and age', async () => {
    const hemoglobin = codeOf('血红蛋白');
    const submit = async (sex: string, birthDate: string) =>
      (
        await ok(labSystem(CERTIFIED), SUBMIT, {
          input: upload({ code: '58410-2', subjectSex: sex, subjectBirthDate: birthDate, results: [{ code: hemoglobin, value: 120, unit: 'g/L' }] }),
        })
      ).submitLabReport.results[0];
    expect(await submit('FEMALE', '1980-01-01')).toMatchObject({ interpretation: 'N', referenceRange: { low: 115, high: 150 } });
    expect(await submit('MALE', '1980-01-01')).toMatchObject({ interpretation: 'L', referenceRange: { low: 130, high: 175 } });

    const creatinine = codeOf('肌酐');
    const adult = (
      await ok(labSystem(CERTIFIED), SUBMIT, {
        input: upload({ code: '24362-6', subjectSex: 'MALE', subjectBirthDate: '1980-01-01', results: [{ code: creatinine, value: 50, unit: 'umol/L' }] }),
      })
    ).submitLabReport.results[0];
    const child = (
      await ok(labSystem(CERTIFIED), SUBMIT, {
        input: upload({
          code: '24362-6',
          subjectSex: 'MALE',
          subjectBirthDate: `${new Date().getUTCFullYear() - 8}-01-01`,
          results: [{ code: creatinine, value: 50, unit: 'umol/L' }],
        }),
      })
    ).submitLabReport.results[0];
    expect(adult.interpretation).toBe('L');
    expect(child.referenceRange).not.toEqual(adult.referenceRange);
    expect(child.interpretation).toBe('N');
  });

  it('flags critical values so clients can show them first', async () => {
    const potassium = codeOf('钾');
    const report = (await ok(labSystem(CERTIFIED), SUBMIT, { input: upload({ code: potassium, results: [{ code: potassium, value: 7.0, unit: 'mmol/L' }] }) }))
      .submitLabReport;
    expect(report).toMatchObject({ hasCritical: true, results: [{ interpretation: 'HH', critical: true }] });
  });

  it('accepts a unit written in another case and stores it in the catalogue spelling', async () => {
    const report = (
      await ok(labSystem(CERTIFIED), SUBMIT, {
        input: upload({
          sourceReportId: 'R-CASE',
          subjectSex: 'MALE',
          subjectBirthDate: '1980-01-01',
          results: [{ code: '14749-6', value: 7.9, unit: 'MMOL/l' }],
        }),
      })
    ).submitLabReport;
    expect(report.results).toEqual([
      { code: { code: '14749-6' }, value: 7.9, unit: 'mmol/L', interpretation: 'H', critical: false, referenceRange: { low: 3.9, high: 6.1, text: '3.9-6.1' } },
    ]);
  });

  describe('bad input is refused and writes nothing', () => {
    const counts = async () => [await modelsOf(stack).labs.LabReport.countDocuments(), await modelsOf(stack).labs.LabReportVersion.countDocuments()];
    it.each([
      ['a unit the item does not use', { results: [{ code: '14749-6', value: 5.4, unit: 'g/L' }] }, /unit g\/L is not valid for 14749-6/],
      ['an unknown item code', { code: '99999-9', results: [] }, /code 99999-9 is not in the lab catalogue/],
      ['an unknown result code', { results: [{ code: '12345-6', value: 1, unit: 'mmol/L' }] }, /result code 12345-6 is not in the lab catalogue/],
      ['a quantity without a value', { results: [{ code: '14749-6', unit: 'mmol/L' }] }, /needs a numeric value/],
      ['a negative value', { results: [{ code: '14749-6', value: -3, unit: 'mmol/L' }] }, /needs a numeric value/],
      [
        'a malformed time',
        { issuedAt: 'yesterday' },
        /issuedAt must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00\+08:00 \(not "yesterday"\)/,
      ],
      ['a category that contradicts the code', { category: 'IMAGING' }, /not imaging/],
    ])('rejects %s', async (_label, overrides, message) => {
      const before = await counts();
      const { body } = await stack.query(labSystem(CERTIFIED), SUBMIT, { input: upload(overrides) });
      expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(body.errors![0]!.message).toMatch(message);
      expect(await counts()).toEqual(before);
    });

    it('rejects an organization that is not a registered laboratory', async () => {
      const before = await counts();
      const { body } = await stack.query(labSystem('3201-H109'), SUBMIT, { input: upload() });
      expect(body.errors![0]).toMatchObject({
        message: 'Unknown organization: the caller is not a registered laboratory',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(await counts()).toEqual(before);
    });
  });
});

describe('reading across hospitals', () => {
  it('converts a trend to one unit across hospitals, each point with its source', async () => {
    const [resident] = await insertResidents(stack, { organizationCode: CERTIFIED, count: 1 });
    await modelsOf(stack).labs.LabReport.insertMany([
      labReport({
        residentId: resident!,
        organizationCode: CERTIFIED,
        code: '14749-6',
        results: [{ code: '14749-6', value: 5.5, unit: 'mmol/L' }],
        issuedAt: new Date(Date.now() - 10 * DAY),
      }),
      labReport({
        residentId: resident!,
        organizationCode: ALSO_CERTIFIED,
        code: '14749-6',
        results: [{ code: '14749-6', value: 126, unit: 'mg/dL' }],
        issuedAt: new Date(Date.now() - 5 * DAY),
      }),
    ]);
    const { resident: data } = await ok(
      doctorAt(CERTIFIED),
      `query($id: ID!) { resident(id: $id) { labTrend(code: "14749-6") { unit points { value reportedValue reportedUnit interpretation organization { code } } } latestResults(codes: ["14749-6"]) { observation { value unit } organization { code } } } }`,
      { id: resident },
    );
    expect(data.labTrend.unit).toBe('mmol/L');
    expect(data.labTrend.points).toEqual([
      { value: 5.5, reportedValue: 5.5, reportedUnit: 'mmol/L', interpretation: 'N', organization: { code: CERTIFIED } },
      { value: expect.closeTo(6.99, 1), reportedValue: 126, reportedUnit: 'mg/dL', interpretation: 'H', organization: { code: ALSO_CERTIFIED } },
    ]);
    expect(data.latestResults).toEqual([{ observation: { value: 126, unit: 'mg/dL' }, organization: { code: ALSO_CERTIFIED } }]);
  });
});

describe('the duplicate-test reminder', () => {
  it('recommends reuse, consider or order, records each reminder, and counts them for the health commission', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: CERTIFIED, count: 1 })) as [string];
    const cbc = [{ code: codeOf('白细胞计数'), value: 6.1, unit: '10*9/L' }];
    await modelsOf(stack).labs.LabReport.insertMany([
      labReport({ residentId: resident, organizationCode: ALSO_CERTIFIED, code: '58410-2', results: cbc, issuedAt: new Date(Date.now() - 3 * DAY) }),
      labReport({
        residentId: resident,
        organizationCode: CERTIFIED,
        code: '4548-4',
        results: [{ code: '4548-4', value: 6.2, unit: '%' }],
        issuedAt: new Date(Date.now() - 200 * DAY),
      }),
      labReport({
        residentId: resident,
        organizationCode: UNCERTIFIED,
        code: '14749-6',
        results: [{ code: '14749-6', value: 5.0, unit: 'mmol/L' }],
        issuedAt: new Date(Date.now() - 2 * DAY),
      }),
      labReport({
        residentId: resident,
        organizationCode: CERTIFIED,
        code: '1988-5',
        results: [{ code: '1988-5', value: 3, unit: 'mg/L' }],
        issuedAt: new Date(Date.now() - 3_600_000),
      }),
    ]);
    const check = `mutation($id: ID!) { checkOrder(residentId: $id, itemCodes: ["58410-2", "4548-4", "14749-6", "57698-3", "1988-5"], orderingOrganizationCode: "${CERTIFIED}") { itemCode recommendation recognized ageDays lastReport { organization { code } } } }`;
    const { checkOrder } = await ok(doctorAt(CERTIFIED), check, { id: resident });
    expect(checkOrder).toEqual([
      { itemCode: '58410-2', recommendation: 'REUSE', recognized: true, ageDays: 3, lastReport: { organization: { code: ALSO_CERTIFIED } } },
      { itemCode: '4548-4', recommendation: 'ORDER', recognized: false, ageDays: 200, lastReport: { organization: { code: CERTIFIED } } },
      { itemCode: '14749-6', recommendation: 'CONSIDER', recognized: false, ageDays: 2, lastReport: { organization: { code: UNCERTIFIED } } },
      { itemCode: '57698-3', recommendation: 'ORDER', recognized: false, ageDays: null, lastReport: null },
      // An hour-old CRP elsewhere: not a mutual-recognition item (it changes within hours).
      { itemCode: '1988-5', recommendation: 'ORDER', recognized: false, ageDays: 0, lastReport: { organization: { code: CERTIFIED } } },
    ]);
    expect(await modelsOf(stack).labs.ReminderEvent.countDocuments({ residentId: resident })).toBe(5);

    const month = new Date().toISOString().slice(0, 7);
    const { text, body } = await stack.query(
      healthCommission(),
      `{ reminderStatistics(month: "${month}") { organization { code } shown reuse consider order } }`,
    );
    expect(body.data!.reminderStatistics).toContainEqual({ organization: { code: CERTIFIED }, shown: 5, reuse: 1, consider: 1, order: 3 });
    expect(text).not.toContain(resident);
    const { body: doctorTries } = await stack.query(doctorAt(CERTIFIED), `{ reminderStatistics(month: "${month}") { shown } }`);
    expect(doctorTries.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('refuses a doctor with no care relationship, and records nothing', async () => {
    const before = await modelsOf(stack).labs.ReminderEvent.countDocuments();
    const { body } = await stack.query(
      doctorAt('3201-H108'),
      `mutation { checkOrder(residentId: "${RESIDENT}", itemCodes: ["58410-2"], orderingOrganizationCode: "3201-H108") { recommendation } }`,
    );
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await modelsOf(stack).labs.ReminderEvent.countDocuments()).toBe(before);
  });
});

describe('round trips', () => {
  it('200 reports with 2,000 observations across 20 hospitals cost the same as 2 reports', async () => {
    const [light, heavy] = (await insertResidents(stack, { organizationCode: CERTIFIED, count: 2 })) as [string, string];
    const lines = ['6690-2', '789-8', '718-7', '777-3', '14749-6', '4548-4', '14647-2', '14927-8', '22748-8', '14646-4'].map((code) => {
      const item = CATALOGUE.get(code)!;
      return { code, value: item.ranges[0]?.high ?? 5, unit: item.unit! };
    });
    const reports = (resident: string, count: number) =>
      Array.from({ length: count }, (_, index) =>
        labReport({
          residentId: resident,
          organizationCode: `3201-H2${String(index % 20).padStart(2, '0')}`,
          code: '58410-2',
          results: lines,
          issuedAt: new Date(Date.now() - (index + 1) * DAY),
        }),
      );
    await modelsOf(stack).labs.LabReport.insertMany([...reports(light, 2), ...reports(heavy, 200)]);

    const query = `query($id: ID!) { resident(id: $id) { labReports(first: 100) { edges { node { id results { value interpretation } } } } latestResults(codes: ["14749-6", "4548-4"]) { observation { value } } labTrend(code: "14749-6") { points { value } } } }`;
    const ask = (id: string, expected: number) => async () => {
      const data = await ok(doctorAt(CERTIFIED), query, { id });
      expect(data.resident.labReports.edges).toHaveLength(expected);
    };
    const forLight = await stack.commandsDuring(ask(light, 2));
    const forHeavy = await stack.commandsDuring(ask(heavy, 100));
    const names = (commands: { commandName: string; databaseName: string }[]) =>
      commands.map((command) => `${command.databaseName.split('_')[1]}.${command.commandName}`).sort();
    expect(names(forHeavy)).toEqual(names(forLight));
  });
});
