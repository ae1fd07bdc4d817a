/**
 * Consent, break-the-glass and the audit trail, through the real gateway: a resident keeps
 * sensitive categories private and organizations out; an emergency doctor gets in for a
 * while, flagged and reviewed; the resident sees every organization that read the record.
 */

import { makeIdNumber } from '../../../access-control/id-number';
import { oneOf } from '../../../platform/database';
import { insertHospitals, labReport, modelsOf, prescriptionDoc } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok } = useStack();
let residentId: string;

const CANARY_PSYCHIATRIC = 'CANARY-F32-抑郁';
const HOME = '3201-H001'; // the psychiatric encounter happened here
const OTHER = '3201-H002'; // a general encounter here
const STRANGER = '3201-H100'; // no relationship
const BLOCKED = '3201-H101'; // the resident blocks it

const doctorAt = (organizationCode: string, subject = `dr-${organizationCode}`, practitionerId: string | null = `P-${subject}`) =>
  stack.token({ subject, roles: ['doctor'], organizationCode, practitionerId: practitionerId ?? undefined });
const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const self = () => stack.token({ subject: 'citizen-9', roles: ['resident'], residentId });
const privacyOfficer = () => stack.token({ subject: 'po-9', roles: ['privacy_officer'] });

const RECORD = `query($id: ID!) { resident(id: $id) { name encounters { edges { node { department diagnoses { code { code display } } } } } conditions { edges { node { code { code display } } } } summary { activeProblems { code { display } } lastEncounters { department } } } }`;

beforeAll(async () => {
  await insertHospitals(stack);
  const registration = await ok(hospitalSystem(HOME), `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
    input: {
      name: '孙丽华',
      gender: 'FEMALE',
      birthDate: '1975-02-14',
      idNumber: makeIdNumber('320102', '1975-02-14', 42),
      phone: '13770001111',
      district: '玄武区',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-C-1' },
    },
  });
  residentId = registration.registerResident.resident.id;
  const encounter = (sourceRecordId: string, department: string, code: string, display: string) => ({
    residentId,
    sourceRecordId,
    class: 'OUTPATIENT',
    status: 'FINISHED',
    department,
    start: '2026-08-01T01:00:00.000Z',
    end: '2026-08-01T02:00:00.000Z',
    diagnoses: [{ code, display, rank: 1, primary: true }],
  });
  const record = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;
  await ok(hospitalSystem(HOME), record, { input: encounter('V-PSY-1', '精神科', 'F32.9', CANARY_PSYCHIATRIC) });
  await ok(hospitalSystem(HOME), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId, sourceRecordId: 'P-PSY', code: 'F32.9', display: CANARY_PSYCHIATRIC, clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  for (const code of [OTHER, BLOCKED]) {
    await ok(hospitalSystem(code), `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
      input: {
        name: '孙丽华',
        gender: 'FEMALE',
        birthDate: '1975-02-14',
        idNumber: makeIdNumber('320102', '1975-02-14', 42),
        phone: '13770001111',
        district: '玄武区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-${code}` },
      },
    });
    await ok(hospitalSystem(code), record, { input: encounter(`V-GEN-${code}`, '心血管内科', 'I10', '原发性高血压') });
  }
});

describe('consent', () => {
  it('is set by the resident alone', async () => {
    const set = `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: ["${BLOCKED}"]) { restrictedCategories blockedOrganizations { code } } }`;
    const { body } = await stack.query(doctorAt(HOME), set, { id: residentId });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await modelsOf(stack).access.Consent.countDocuments()).toBe(0);

    const data = await ok(self(), set, { id: residentId });
    expect(data.setConsent).toEqual({ restrictedCategories: ['MENTAL_HEALTH'], blockedOrganizations: [{ code: BLOCKED }] });
  });

  it('omits restricted items from another organization, without a trace of them', async () => {
    const { text, body } = await stack.query(doctorAt(OTHER), RECORD, { id: residentId });
    expect(body.errors).toBeUndefined();
    expect(text).not.toContain(CANARY_PSYCHIATRIC);
    expect(text).not.toContain('F32');
    expect(text).not.toContain('精神科');
    expect(body.data!.resident.encounters.edges).toHaveLength(2);
    const omitted = await modelsOf(stack)
      .access.AuditEvent.find({ residentId, subject: `dr-${OTHER}`, subgraph: 'records' })
      .lean();
    expect(omitted.map((event) => event.outcome)).toEqual(['omitted']);
  });

  it('shows them to the organization they came from and to the resident', async () => {
    for (const token of [doctorAt(HOME), self()]) {
      const { text } = await stack.query(token, RECORD, { id: residentId });
      expect(text).toContain(CANARY_PSYCHIATRIC);
    }
  });

  it('omits restricted lab reports and prescriptions the same way, labelled from their codes', async () => {
    const models = modelsOf(stack);
    const hivTest = labReport({ residentId, organizationCode: HOME, code: '75622-1', results: [{ code: '75622-1', valueCode: 'NEG' }] });
    await models.labs.LabReport.create({ ...hivTest, localCode: 'CANARY-HIV' });
    const sertraline = prescriptionDoc({ residentId, organizationCode: HOME, drugCodes: ['H10950129'] });
    await models.prescriptions.Prescription.create({ ...sertraline, items: sertraline.items.map((item) => ({ ...item, instructions: 'CANARY-RX' })) });
    const query = `query($id: ID!) { resident(id: $id) { labReports { edges { node { localCode } } } prescriptions { edges { node { items { instructions } } } } } }`;

    const mentalHealthOnly = await stack.query(doctorAt(OTHER), query, { id: residentId });
    expect(mentalHealthOnly.text).toContain('CANARY-HIV');
    expect(mentalHealthOnly.text).not.toContain('CANARY-RX');

    await ok(
      self(),
      `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH, HIV_STI], blockedOrganizations: ["${BLOCKED}"]) { updatedAt } }`,
      { id: residentId },
    );
    const both = await stack.query(doctorAt(OTHER), query, { id: residentId });
    expect(both.body.errors).toBeUndefined();
    expect(both.text).not.toContain('CANARY-HIV');
    expect(both.text).not.toContain('CANARY-RX');
    expect((await stack.query(doctorAt(HOME), query, { id: residentId })).text).toContain('CANARY-HIV');
  });

  it('keeps a blocked organization out despite its encounter', async () => {
    const { body, text } = await stack.query(doctorAt(BLOCKED), RECORD, { id: residentId });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(text).not.toContain('孙丽华');
  });
});

describe('break-the-glass', () => {
  const BREAK = `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史与过敏史") { id expiresAt status } }`;

  it('refuses a justification that says nothing, and writes nothing', async () => {
    const { body } = await stack.query(doctorAt(STRANGER), `mutation($id: ID!) { breakGlass(residentId: $id, reason: OTHER, justification: "x") { id } }`, {
      id: residentId,
    });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(await modelsOf(stack).access.BreakGlassReview.countDocuments()).toBe(0);
  });

  it('is refused to a token that names no practitioner, and writes nothing', async () => {
    const { body } = await stack.query(doctorAt(STRANGER, 'dr-anon', null), BREAK, { id: residentId });
    expect(body.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).access.BreakGlassReview.countDocuments()).toBe(0);
    expect(await modelsOf(stack).access.CareRelationship.countDocuments({ residentId, organizationCode: STRANGER })).toBe(0);
  });

  it('grants time-boxed access to the asking clinician alone, raises an alert, queues a review, and ends on its own', async () => {
    const emergencyDoctor = doctorAt(STRANGER, 'dr-er');
    const colleague = doctorAt(STRANGER, 'dr-er-colleague');
    expect((await stack.query(emergencyDoctor, RECORD, { id: residentId })).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const granted = (await ok(emergencyDoctor, BREAK, { id: residentId })).breakGlass;
    const hours = (Date.parse(granted.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(3.9);
    expect(hours).toBeLessThanOrEqual(4);

    const { text, body } = await stack.query(emergencyDoctor, RECORD, { id: residentId });
    expect(body.data!.resident.name).toBe('孙丽华');
    // The grant is the practitioner's, not the organization's.
    const theirs = await stack.query(colleague, RECORD, { id: residentId });
    expect(theirs.body.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(theirs.text).not.toContain('孙丽华');
    // The emergency grant does not open what the resident restricted.
    expect(text).not.toContain(CANARY_PSYCHIATRIC);

    const grant = await modelsOf(stack).access.AuditEvent.find({ residentId, subject: 'dr-er', subgraph: 'access' }).lean();
    expect(grant.map((event) => [event.purposeOfUse, event.dataKinds, event.outcome, event.alert])).toEqual([['emergency', ['break-glass'], 'allowed', true]]);
    // Every read under the grant: an emergency, with the alert.
    const reads = await modelsOf(stack).access.AuditEvent.find({ residentId, subject: 'dr-er', subgraph: 'records' }).sort({ at: 1 }).lean();
    expect(reads.map((event) => [event.purposeOfUse, event.outcome, event.alert])).toEqual([
      ['treatment', 'denied', false],
      ['emergency', 'omitted', true],
    ]);

    const queue = await ok(privacyOfficer(), `{ breakGlassReviews { edges { node { id residentId subject reason status organization { code } } } } }`);
    expect(queue.breakGlassReviews.edges.map((edge: any) => edge.node)).toContainEqual({
      id: granted.id,
      residentId,
      subject: 'dr-er',
      reason: 'UNCONSCIOUS_PATIENT',
      status: 'OPEN',
      organization: { code: STRANGER },
    });

    // Four hours later (the clock, not a job, ends it).
    const grants = await modelsOf(stack).access.CareRelationship.find({ organizationCode: STRANGER, residentId }).lean();
    expect(grants.map((grant) => [grant.kind, grant.practitionerId, grant.source])).toEqual([
      ['BREAK_GLASS', 'P-dr-er', { subgraph: 'access', recordId: granted.id }],
    ]);
    await modelsOf(stack).access.CareRelationship.updateOne({ _id: grants[0]!._id }, { $set: { endsAt: new Date(Date.now() - 1000) } });
    for (const token of [emergencyDoctor, colleague])
      expect((await stack.query(token, RECORD, { id: residentId })).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const close = `mutation($id: ID!) { closeBreakGlassReview(id: $id, outcome: JUSTIFIED, note: "急诊昏迷患者，合理") { status outcome closedBy } }`;
    expect((await ok(privacyOfficer(), close, { id: granted.id })).closeBreakGlassReview).toEqual({ status: 'CLOSED', outcome: 'JUSTIFIED', closedBy: 'po-9' });
    expect((await stack.query(privacyOfficer(), close, { id: granted.id })).body.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('is not for roles that do not treat patients', async () => {
    for (const token of [hospitalSystem(STRANGER), privacyOfficer(), stack.token({ subject: 'ph', roles: ['pharmacist'], organizationCode: '3201-P01' })]) {
      const { body } = await stack.query(token, BREAK, { id: residentId });
      expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
  });
});

describe('the audit trail', () => {
  it('shows the resident every organization that read the record, and nothing else', async () => {
    const events: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (
        await ok(
          self(),
          `query($id: ID!, $after: String) { resident(id: $id) { accessLog(first: 100, after: $after) { edges { node { organization { code } outcome subject } } pageInfo { hasNextPage endCursor } } } }`,
          { id: residentId, after },
        )
      ).resident.accessLog;
      events.push(...page.edges.map((edge: any) => edge.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const readers = new Set(events.filter((event) => event.outcome !== 'DENIED' && event.organization).map((event) => event.organization.code));
    expect([...readers].sort()).toEqual([HOME, OTHER, BLOCKED, STRANGER].sort());
    expect(events.every((event) => event.subject === null)).toBe(true);
    const readersInStore = await modelsOf(stack).access.AuditEvent.distinct('organizationCode', { residentId, outcome: oneOf(['allowed', 'omitted']) });
    expect(readersInStore.filter(Boolean).sort()).toEqual([...readers].sort());
  });

  it('lets privacy officers search it by organization and purpose, but never list it whole', async () => {
    const search = `query($filter: AuditEventFilter!) { auditEvents(filter: $filter, first: 100) { edges { node { residentId subject purposeOfUse alert } } } }`;
    const emergencies = await ok(privacyOfficer(), search, { filter: { organizationCode: STRANGER, purposeOfUse: 'emergency' } });
    expect(emergencies.auditEvents.edges.length).toBeGreaterThan(0);
    expect(emergencies.auditEvents.edges.every((edge: any) => edge.node.subject === 'dr-er' && edge.node.purposeOfUse === 'emergency')).toBe(true);

    const { body } = await stack.query(privacyOfficer(), search, { filter: { purposeOfUse: 'treatment' } });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const { body: doctorTries } = await stack.query(doctorAt(HOME), search, { filter: { residentId } });
    expect(doctorTries.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('a refusal speaks to whoever asked', () => {
  it('tells a resident asking for another resident’s record that they see only their own, and a clinician that there is no care relationship', async () => {
    const neighbour = await ok(hospitalSystem(OTHER), `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
      input: {
        name: '周明远',
        gender: 'MALE',
        birthDate: '1968-11-03',
        idNumber: makeIdNumber('320104', '1968-11-03', 17),
        district: '秦淮区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-NEIGHBOUR' },
      },
    });
    const neighbourToken = stack.token({ subject: 'citizen-neighbour', roles: ['resident'], residentId: neighbour.registerResident.resident.id });
    // The neighbour's token is valid: it reads the neighbour's own record.
    expect((await ok(neighbourToken, `query($id: ID!) { resident(id: $id) { name } }`, { id: neighbour.registerResident.resident.id })).resident).toEqual({
      name: '周明远',
    });

    const asked = await stack.query(neighbourToken, RECORD, { id: residentId });
    expect(asked.body.data?.resident ?? null).toBeNull();
    expect(asked.body.errors!.map((error) => [error.extensions!.code, error.message])).toEqual([['FORBIDDEN', 'You can see only your own record']]);
    expect(asked.text).not.toContain('孙丽华');

    const clinician = await stack.query(doctorAt(STRANGER), RECORD, { id: residentId });
    expect(clinician.body.errors!.map((error) => [error.extensions!.code, error.message])).toEqual([['FORBIDDEN', 'No care relationship with this resident']]);
  });
});
