/**
 * Critical results pushed to inboxes, through the real gateway: a lab files a critical result;
 * it reaches the ordering doctor and the resident's contracted family doctor (and nobody
 * else), is acknowledged once, escalates to the whole organization when left unacknowledged
 * past the configured time, follows the resident's consent, and is counted for the health
 * commission's reminder figures.
 */
import { cityDay } from '../../../monitoring/activity-store';
import { insertHospitals, insertResidents, labSubmission, modelsOf, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H001';
const LAB = '3201-H002';
const CENTRE = '3201-C001';
const STRANGER = '3201-H101';
const ORDERING_DOCTOR = 'P-ORDER-1';
let RESIDENT: string;

const labSystem = () => stack.token({ subject: 'lis-h002', roles: ['lab_system'], organizationCode: LAB });
const doctor = (practitionerId: string, organizationCode = HOSPITAL) =>
  stack.token({ subject: `dr-${practitionerId}`, roles: ['doctor'], organizationCode, practitionerId });
const familyDoctor = (practitionerId: string) =>
  stack.token({ subject: `fd-${practitionerId}`, roles: ['family_doctor'], organizationCode: CENTRE, practitionerId });

const SUBMIT = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id hasCritical } }`;
const INBOX = `query($state: CriticalAlertState) { criticalResultInbox(state: $state) { edges { node {
  id reason addressedTo escalated state acknowledgedBy resident { id } report { id } criticalResults { code { code } value interpretation } } } } }`;
const ACK = `mutation($id: ID!) { acknowledgeCriticalResult(alertId: $id) { id state acknowledgedBy escalated } }`;

/** A critical fasting glucose (25 mmol/L, above the 22.2 limit) ordered at the hospital by the ordering doctor. */
const critical = (overrides: Record<string, unknown> = {}) =>
  labSubmission(RESIDENT, {
    orderingOrganizationCode: HOSPITAL,
    orderingPractitioner: ORDERING_DOCTOR,
    results: [{ code: '14749-6', value: 25, unit: 'mmol/L' }],
    ...overrides,
  });

async function file(input: Record<string, unknown>): Promise<string> {
  const { submitLabReport } = await ok(labSystem(), SUBMIT, { input });
  return submitLabReport.id;
}

async function inboxOf(token: string, state = 'OPEN') {
  return (await ok(token, INBOX, { state })).criticalResultInbox.edges.map((edge: any) => edge.node);
}

const alertsOf = (reportId: string) => modelsOf(stack).labs.CriticalAlert.find({ reportId }).sort({ reason: 1 }).lean();

beforeAll(async () => {
  await insertHospitals(stack);
  RESIDENT = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 }))[0]!;
  await relate(stack, [RESIDENT], CENTRE, 'CONTRACT', { endsAt: new Date(Date.now() + 365 * 86_400_000) });
  // The laboratory's hospital registered the resident too: its uploads need standing.
  await relate(stack, [RESIDENT], LAB);
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: LAB, certifiedScope: 'CITY' }]);
});

describe('pushing a critical result', () => {
  let reportId: string;

  it('reaches the ordering doctor and the contracted family doctor only, once per report version', async () => {
    expect(await file(labSubmission(RESIDENT, { orderingOrganizationCode: HOSPITAL }))).toMatch(/^[0-9a-f]{24}$/);
    const input = critical({ sourceReportId: 'R-CRIT-1' });
    reportId = await file(input);
    await file(input);

    const line = { code: { code: '14749-6' }, value: 25, interpretation: 'HH' };
    const ordering = await inboxOf(doctor(ORDERING_DOCTOR));
    expect(ordering).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        reason: 'ORDERING',
        addressedTo: ORDERING_DOCTOR,
        escalated: false,
        state: 'OPEN',
        acknowledgedBy: null,
        resident: { id: RESIDENT },
        report: { id: reportId },
        criticalResults: [line],
      },
    ]);
    const family = await inboxOf(familyDoctor('FD-1'));
    expect(family).toEqual([expect.objectContaining({ reason: 'FAMILY_DOCTOR', addressedTo: null, escalated: false, report: { id: reportId } })]);
    // A colleague of the ordering doctor is not asked until it escalates; another hospital never.
    expect(await inboxOf(doctor('P-COLLEAGUE'))).toEqual([]);
    expect(await inboxOf(doctor('P-STRANGER', STRANGER))).toEqual([]);
    expect(await alertsOf(reportId)).toHaveLength(2);

    // Reading the inbox discloses the report: audited as any read of it.
    const audited = await modelsOf(stack).access.AuditEvent.find({ subject: 'fd-FD-1', residentId: RESIDENT }).lean();
    expect(audited).toContainEqual(expect.objectContaining({ subgraph: 'labs', dataKinds: ['labs'], outcome: 'allowed', organizationCode: CENTRE }));
  });

  it('pushes critical results of a batch upload as the single upload does', async () => {
    const upload = `mutation($inputs: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $inputs) { status } }`;
    const inputs = [
      critical({ sourceReportId: 'R-CRIT-BATCH' }),
      labSubmission(RESIDENT, { sourceReportId: 'R-NORMAL-BATCH', orderingOrganizationCode: HOSPITAL }),
    ];
    expect((await ok(labSystem(), upload, { inputs })).uploadLabReports).toEqual([{ status: 'CREATED' }, { status: 'CREATED' }]);
    const idOf = async (recordId: string) => (await modelsOf(stack).labs.LabReport.findOne({ 'source.recordId': recordId }, { _id: 1 }).lean())!._id;
    const criticalId = await idOf('R-CRIT-BATCH');
    expect((await alertsOf(criticalId)).map((alert) => [alert.reason, alert.recipientOrganizationCode])).toEqual([
      ['FAMILY_DOCTOR', CENTRE],
      ['ORDERING', HOSPITAL],
    ]);
    expect(await modelsOf(stack).labs.CriticalAlert.countDocuments({ reportId: await idOf('R-NORMAL-BATCH') })).toBe(0);
    // The same batch again: unchanged, nothing pushed twice.
    expect((await ok(labSystem(), upload, { inputs })).uploadLabReports).toEqual([{ status: 'UNCHANGED' }, { status: 'UNCHANGED' }]);
    expect(await alertsOf(criticalId)).toHaveLength(2);
  });

  it('is for clinicians of an organization only', async () => {
    expect(await codes(stack.token({ subject: 'ph-1', roles: ['pharmacist'], organizationCode: '3201-P01' }), INBOX)).toEqual(['FORBIDDEN']);
    expect(await codes(stack.token({ subject: 'hc-1', roles: ['health_commission'] }), INBOX)).toEqual(['FORBIDDEN']);
    expect(await codes(stack.token({ subject: 'dr-nowhere', roles: ['doctor'] }), INBOX)).toEqual(['FORBIDDEN']);
  });

  it('escalates to every clinician of the organization once unacknowledged past the configured 30 minutes', async () => {
    const escalating = await file(critical({ sourceReportId: 'R-CRIT-ESC' }));
    const [ordering] = (await alertsOf(escalating)).filter((alert) => alert.reason === 'ORDERING');
    const raisedAt = new Date('2026-03-01T01:00:00.000Z');
    // Pushed 31 minutes or more ago: time is moved in the database, not waited for.
    await modelsOf(stack).labs.CriticalAlert.updateOne({ _id: ordering!._id }, { $set: { raisedAt } });
    const seen = await ok(doctor('P-COLLEAGUE'), `{ criticalResultInbox { edges { node { id escalated raisedAt escalatesAt report { id } } } } }`);
    expect(seen.criticalResultInbox.edges.map((edge: any) => edge.node)).toEqual([
      { id: ordering!._id, escalated: true, raisedAt: '2026-03-01T01:00:00.000Z', escalatesAt: '2026-03-01T01:30:00.000Z', report: { id: escalating } },
    ]);
    // Escalated, a colleague may acknowledge it; it is counted as acknowledged late.
    const { acknowledgeCriticalResult } = await ok(doctor('P-COLLEAGUE'), ACK, { id: ordering!._id });
    expect(acknowledgeCriticalResult).toEqual({ id: ordering!._id, state: 'ACKNOWLEDGED', acknowledgedBy: 'P-COLLEAGUE', escalated: true });
  });
});

describe('acknowledging', () => {
  it('acknowledges once: five family doctors at once give exactly one acknowledgement', async () => {
    const reportId = await file(critical({ sourceReportId: 'R-CRIT-ACK' }));
    const [family] = (await alertsOf(reportId)).filter((alert) => alert.reason === 'FAMILY_DOCTOR');
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => stack.query(familyDoctor(`FD-${n}`), ACK, { id: family!._id })));
    const acknowledged = answers.filter(({ body }) => !body.errors);
    expect(acknowledged).toHaveLength(1);
    expect(answers.flatMap(({ body }) => (body.errors ?? []).map((error) => error.extensions!.code))).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    const by = acknowledged[0]!.body.data!.acknowledgeCriticalResult.acknowledgedBy;
    expect(await modelsOf(stack).labs.CriticalAlertAck.countDocuments({ _id: family!._id })).toBe(1);
    expect(await modelsOf(stack).labs.CriticalAlert.findById(family!._id).lean()).toMatchObject({
      state: 'ACKNOWLEDGED',
      acknowledgedBy: by,
      acknowledgedLate: false,
    });

    expect((await inboxOf(familyDoctor('FD-9'))).map((alert: any) => alert.id)).not.toContain(family!._id);
    expect(await inboxOf(familyDoctor('FD-9'), 'ACKNOWLEDGED')).toContainEqual(
      expect.objectContaining({ id: family!._id, state: 'ACKNOWLEDGED', acknowledgedBy: by, escalated: false }),
    );
    // The ordering doctor's own alert for the same result is still open: each inbox acknowledges its own.
    expect((await inboxOf(doctor(ORDERING_DOCTOR))).map((alert: any) => alert.report.id)).toContain(reportId);
  });

  it('refuses, with valid input, whoever the alert does not reach, and changes nothing', async () => {
    const reportId = await file(critical({ sourceReportId: 'R-CRIT-DENY' }));
    const [ordering] = (await alertsOf(reportId)).filter((alert) => alert.reason === 'ORDERING');
    const id = ordering!._id;
    // A colleague before it escalates.
    expect(await codes(doctor('P-COLLEAGUE'), ACK, { id })).toEqual(['FORBIDDEN']);
    // Another organization: not in its inbox.
    expect(await codes(doctor('P-STRANGER', STRANGER), ACK, { id })).toEqual(['NOT_FOUND']);
    // The family doctor's centre has its own alert, not this one.
    expect(await codes(familyDoctor('FD-1'), ACK, { id })).toEqual(['NOT_FOUND']);
    // The wrong role, and a doctor whose token names no practitioner.
    expect(await codes(stack.token({ subject: 'ph-1', roles: ['pharmacist'], organizationCode: HOSPITAL }), ACK, { id })).toEqual(['FORBIDDEN']);
    expect(await codes(stack.token({ subject: 'dr-anon', roles: ['doctor'], organizationCode: HOSPITAL }), ACK, { id })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).labs.CriticalAlert.findById(id).lean()).toMatchObject({ state: 'OPEN', acknowledgedAt: null });
    expect(await modelsOf(stack).labs.CriticalAlertAck.countDocuments({ _id: id })).toBe(0);
  });

  it('refuses an organization with no standing: a lab naming it as the orderer gives it none', async () => {
    const reportId = await file(critical({ sourceReportId: 'R-CRIT-NOSTANDING', orderingOrganizationCode: STRANGER, orderingPractitioner: 'P-STRANGER' }));
    const [ordering] = (await alertsOf(reportId)).filter((alert) => alert.reason === 'ORDERING');
    expect(ordering).toMatchObject({ recipientOrganizationCode: STRANGER });
    expect(await inboxOf(doctor('P-STRANGER', STRANGER))).toEqual([]);
    expect(await codes(doctor('P-STRANGER', STRANGER), ACK, { id: ordering!._id })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).labs.CriticalAlert.findById(ordering!._id).lean()).toMatchObject({ state: 'OPEN' });
  });

  it('answers bad input with BAD_USER_INPUT and changes nothing', async () => {
    const before = await modelsOf(stack).labs.CriticalAlertAck.countDocuments();
    expect(await codes(doctor(ORDERING_DOCTOR), ACK, { id: 'not-an-id' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(doctor(ORDERING_DOCTOR), `{ criticalResultInbox(first: 0) { edges { cursor } } }`)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(doctor(ORDERING_DOCTOR), `{ criticalResultInbox(first: 101) { edges { cursor } } }`)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(doctor(ORDERING_DOCTOR), `{ criticalResultInbox(after: "garbage") { edges { cursor } } }`)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(doctor(ORDERING_DOCTOR), ACK, { id: '0123456789abcdef01234567' })).toEqual(['NOT_FOUND']);
    expect(await modelsOf(stack).labs.CriticalAlertAck.countDocuments()).toBe(before);
  });
});

describe('under consent', () => {
  it('pushes a critical result the resident restricted nowhere it may not be seen', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    await relate(stack, [resident], CENTRE, 'CONTRACT', { endsAt: new Date(Date.now() + 365 * 86_400_000) });
    await relate(stack, [resident], LAB);
    await ok(
      stack.token({ subject: `resident-${resident}`, roles: ['resident'], residentId: resident }),
      `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [HIV_STI], blockedOrganizations: []) { updatedAt } }`,
      { id: resident },
    );
    // The same result without the restricted label reaches both inboxes.
    const open = await file({ ...critical({ sourceReportId: 'R-CRIT-PLAIN' }), residentId: resident });
    expect((await inboxOf(familyDoctor('FD-1'))).map((alert: any) => alert.report.id)).toContain(open);
    // A glucose report whose conclusion names an HIV diagnosis: labelled HIV_STI, restricted.
    const reportId = await file({ ...critical({ sourceReportId: 'R-CRIT-HIV', conclusion: 'B20 随访，血糖危急' }), residentId: resident });
    const alerts = await alertsOf(reportId);
    expect(alerts.map((alert) => alert.recipientOrganizationCode).sort()).toEqual([CENTRE, HOSPITAL].sort());
    expect((await inboxOf(doctor(ORDERING_DOCTOR))).map((alert: any) => alert.report.id)).not.toContain(reportId);
    expect((await inboxOf(familyDoctor('FD-1'))).map((alert: any) => alert.report.id)).not.toContain(reportId);
    for (const alert of alerts) {
      const token = alert.reason === 'ORDERING' ? doctor(ORDERING_DOCTOR) : familyDoctor('FD-1');
      expect(await codes(token, ACK, { id: alert._id })).toEqual(['NOT_FOUND']);
    }
    expect(await modelsOf(stack).labs.CriticalAlert.countDocuments({ reportId, state: 'ACKNOWLEDGED' })).toBe(0);
  });
});

describe('the reminder figures', () => {
  it('count alerts pushed and acknowledged (late ones apart) per organization, for the health commission only', async () => {
    const month = cityDay(new Date()).slice(0, 7);
    const query = `query($month: String!) { reminderStatistics(month: $month) { organization { code } criticalResultAlerts criticalResultsAcknowledged criticalResultsAcknowledgedLate } }`;
    const { reminderStatistics } = await ok(stack.token({ subject: 'hc-1', roles: ['health_commission'] }), query, { month });
    // Eight critical reports, all but one ordered at the hospital (that one names another hospital): seven alerts here, eight at the centre.
    expect(reminderStatistics).toEqual(
      expect.arrayContaining([
        { organization: { code: HOSPITAL }, criticalResultAlerts: 7, criticalResultsAcknowledged: 1, criticalResultsAcknowledgedLate: 1 },
        { organization: { code: CENTRE }, criticalResultAlerts: 8, criticalResultsAcknowledged: 1, criticalResultsAcknowledgedLate: 0 },
        { organization: { code: STRANGER }, criticalResultAlerts: 1, criticalResultsAcknowledged: 0, criticalResultsAcknowledgedLate: 0 },
      ]),
    );
    expect(await codes(doctor(ORDERING_DOCTOR), query, { month })).toEqual(['FORBIDDEN']);
  });
});
