/**
 * Standing with provenance, through the real gateway: no record opens from a guessed identity,
 * no emergency grant turns into standing for anyone else, a registration no care follows
 * lapses, every kind of standing ends, and every fact names its root.
 */
import { makeIdNumber } from '../../access-control/id-number';
import { insertHospitals, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(120_000);

const { stack, ok, codes } = useStack({}, async () => {
  await insertHospitals(stack);
});

const DAY = 86_400_000;
const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const doctorAt = (organizationCode: string, practitionerId: string) =>
  stack.token({ subject: `dr-${practitionerId}`, roles: ['doctor'], organizationCode, practitionerId });
const privacyOfficer = () => stack.token({ subject: 'po-1', roles: ['privacy_officer'] });
const residentToken = (residentId: string) => stack.token({ subject: `citizen-${residentId}`, roles: ['resident'], residentId });
const models = () => modelsOf(stack);

const REGISTER = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { outcome resident { id } review { status candidate { residentId } } } }`;
const register = async (organizationCode: string, input: Record<string, unknown>) =>
  (await ok(hospitalSystem(organizationCode), REGISTER, { input })).registerResident;
const READ_RECORD = `query($id: ID!) { resident(id: $id) { name encounters { edges { node { id } } } } }`;
const RELATIONSHIPS = `query($id: ID!) { resident(id: $id) { careRelationships { organization { code } kind since careSeenAt endsAt root { kind organization { code } basis } } } }`;
const mrn = (value: string) => ({ system: 'MEDICAL_RECORD_NUMBER', value });

describe('a record is not taken over through the master patient index', () => {
  it('answers a certain demographic match with an invented ID number with a review, and opens nothing', async () => {
    // A record without an ID number, registered at H001 by its medical record number.
    const real = await register('3201-H001', {
      name: '钱丽华',
      gender: 'FEMALE',
      birthDate: '1971-03-09',
      phone: '13905169001',
      district: '玄武区',
      identifier: mrn('MRN-QLH-1'),
    });
    expect(real.outcome).toBe('CREATED');
    // A hospital system with no standing types the same name, birth date, sex and phone, and a made-up ID number.
    const invented = makeIdNumber('320102', '1971-03-09', 62);
    const attempt = await register('3201-H105', {
      name: '钱丽华',
      gender: 'FEMALE',
      birthDate: '1971-03-09',
      phone: '13905169001',
      district: '玄武区',
      idNumber: invented,
      identifier: mrn('MRN-FAKE-1'),
    });
    expect(attempt.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    expect(attempt.resident.id).not.toBe(real.resident.id);
    expect(attempt.review).toEqual({ status: 'OPEN', candidate: { residentId: real.resident.id } });
    // Its doctors read nothing of the real record, and the record keeps no ID number.
    expect(await codes(doctorAt('3201-H105', 'P-105'), READ_RECORD, { id: real.resident.id })).toEqual(['FORBIDDEN']);
    expect(await models().records.Resident.findById(real.resident.id).lean()).toMatchObject({ idNumber: null });
    expect(await models().access.CareRelationship.countDocuments({ residentId: real.resident.id, organizationCode: '3201-H105' })).toBe(0);
    // The real person, back at H001 with their card, still reaches their own record.
    const back = await register('3201-H001', {
      name: '钱丽华',
      gender: 'FEMALE',
      birthDate: '1971-03-09',
      phone: '13905169001',
      district: '玄武区',
      idNumber: makeIdNumber('320102', '1971-03-09', 64),
      identifier: mrn('MRN-QLH-1'),
    });
    expect(back).toMatchObject({ outcome: 'MATCHED', resident: { id: real.resident.id } });
  });

  it('links by a record’s own ID number, records what proved it, and shows the registration in the resident’s access log', async () => {
    const idNumber = makeIdNumber('320104', '1980-11-02', 15);
    const created = await register('3201-H001', {
      name: '周建国',
      gender: 'MALE',
      birthDate: '1980-11-02',
      district: '秦淮区',
      idNumber,
      identifier: mrn('MRN-ZJG-1'),
    });
    const linked = await register('3201-H002', {
      name: '周建国',
      gender: 'MALE',
      birthDate: '1980-11-02',
      district: '秦淮区',
      idNumber,
      identifier: mrn('MRN-ZJG-2'),
    });
    expect(linked).toMatchObject({ outcome: 'MATCHED', resident: { id: created.resident.id } });
    const { careRelationships } = (await ok(residentToken(created.resident.id), RELATIONSHIPS, { id: created.resident.id })).resident;
    expect(careRelationships.map((fact: any) => [fact.organization.code, fact.kind, fact.root])).toEqual([
      ['3201-H001', 'REGISTRATION', { kind: 'REGISTRATION', organization: { code: '3201-H001' }, basis: 'a new record' }],
      ['3201-H002', 'REGISTRATION', { kind: 'REGISTRATION', organization: { code: '3201-H002' }, basis: 'its own ID number' }],
    ]);
    const log = (
      await ok(
        residentToken(created.resident.id),
        `query($id: ID!) { resident(id: $id) { accessLog(first: 50) { edges { node { organization { code } action } } } } }`,
        { id: created.resident.id },
      )
    ).resident.accessLog;
    const registrations = log.edges.map((edge: any) => edge.node).filter((node: any) => node.action === 'WRITE');
    expect(registrations.map((node: any) => node.organization.code).sort()).toEqual(['3201-H001', '3201-H002']);
  });
});

describe('a registration no care follows', () => {
  const registerAged = async (name: string, phone: string, organizationCode: string) => {
    const { resident } = await register(organizationCode, {
      name,
      gender: 'MALE',
      birthDate: '1966-05-20',
      phone,
      district: '鼓楼区',
      identifier: mrn(`MRN-${phone}`),
    });
    return resident.id as string;
  };
  // The clock moved: the registration was last made 31 days ago.
  const age = (residentId: string) =>
    models().access.CareRelationship.updateMany(
      { residentId, kind: 'REGISTRATION' },
      { $set: { since: new Date(Date.now() - 31 * DAY), lastSeenAt: new Date(Date.now() - 31 * DAY) } },
    );

  it('lapses after 30 days, while one a visit followed holds', async () => {
    const withoutCare = await registerAged('吴志强', '13905169101', '3201-H101');
    const withCare = await registerAged('郑志强', '13905169102', '3201-H101');
    const visit = {
      residentId: withCare,
      sourceRecordId: 'V-CARE-1',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: new Date(Date.now() - 2 * DAY).toISOString(),
      end: new Date(Date.now() - 2 * DAY + 1_800_000).toISOString(),
      diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
    };
    await ok(hospitalSystem('3201-H101'), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, { input: visit });
    await age(withoutCare);
    await age(withCare);

    expect(await codes(doctorAt('3201-H101', 'P-101'), READ_RECORD, { id: withoutCare })).toEqual(['FORBIDDEN']);
    expect((await ok(doctorAt('3201-H101', 'P-101'), READ_RECORD, { id: withCare })).resident.name).toBe('郑志强');
    // The hospital's own system cannot write on the lapsed one either.
    expect(
      await codes(hospitalSystem('3201-H101'), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
        input: { ...visit, residentId: withoutCare, sourceRecordId: 'V-CARE-2' },
      }),
    ).toEqual(['FORBIDDEN']);
    expect(await models().records.Encounter.countDocuments({ residentId: withoutCare })).toBe(0);

    const facts = (await ok(privacyOfficer(), RELATIONSHIPS, { id: withCare })).resident.careRelationships;
    expect(facts).toHaveLength(1);
    expect(Date.parse(facts[0].endsAt) - Date.parse(facts[0].careSeenAt)).toBe(730 * DAY);
  });

  it('counts no planned, cancelled or future-dated visit as care', async () => {
    const residentId = await registerAged('冯志强', '13905169103', '3201-H103');
    await age(residentId);
    // Recorded while the registration still held (the clock is put back for the record only).
    await models().access.CareRelationship.updateMany({ residentId, kind: 'REGISTRATION' }, { $set: { lastSeenAt: new Date() } });
    const visit = (sourceRecordId: string, status: string, start: number) => ({
      residentId,
      sourceRecordId,
      class: 'OUTPATIENT',
      status,
      department: '心血管内科',
      start: new Date(start).toISOString(),
      diagnoses: [],
    });
    const system = hospitalSystem('3201-H103');
    const RECORD = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;
    await ok(system, RECORD, { input: visit('V-PLAN-1', 'PLANNED', Date.parse('2099-01-01T08:00:00Z')) });
    await ok(system, RECORD, { input: visit('V-CANC-1', 'CANCELLED', Date.now() - DAY) });
    const registration = await models().access.CareRelationship.findOne({ residentId, kind: 'REGISTRATION' }).lean();
    expect(registration?.careSeenAt ?? null).toBeNull();
    await age(residentId);
    expect(await codes(doctorAt('3201-H103', 'P-103'), READ_RECORD, { id: residentId })).toEqual(['FORBIDDEN']);
  });

  it('stays lapsed when a visit is recorded there under a referral', async () => {
    const person = { name: '卫志强', gender: 'MALE', birthDate: '1966-05-20', district: '鼓楼区', idNumber: makeIdNumber('320106', '1966-05-20', 31) };
    const residentId = (await register('3201-H107', { ...person, identifier: mrn('MRN-WZQ-7') })).resident.id as string;
    await age(residentId);
    expect(await register('3201-H108', { ...person, identifier: mrn('MRN-WZQ-8') })).toMatchObject({ outcome: 'MATCHED', resident: { id: residentId } });
    const { id } = (
      await ok(doctorAt('3201-H108', 'P-108'), `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
        input: {
          residentId,
          direction: 'UP',
          toOrganizationCode: '3201-H107',
          toDepartment: '心血管内科',
          reason: '血压控制不佳',
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        },
      })
    ).requestReferral;
    await ok(doctorAt('3201-H107', 'P-107'), `mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id });
    const visit = {
      residentId,
      sourceRecordId: 'V-REF-1',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: new Date(Date.now() - 3_600_000).toISOString(),
      diagnoses: [],
    };
    await ok(hospitalSystem('3201-H107'), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, { input: visit });
    const registration = await models().access.CareRelationship.findOne({ residentId, kind: 'REGISTRATION', organizationCode: '3201-H107' }).lean();
    expect(registration?.careSeenAt ?? null).toBeNull();
  });

  it('is counted per organization for privacy officers, lapsed ones apart', async () => {
    const first = await registerAged('王小明', '13905169201', '3201-H102');
    await registerAged('王小红', '13905169202', '3201-H102');
    await age(first);
    const since = new Date(Date.now() - 60 * DAY).toISOString();
    const report = (
      await ok(privacyOfficer(), `query($since: String!) { registrationsWithoutCare(since: $since) { organization { code } count lapsed } }`, { since })
    ).registrationsWithoutCare;
    expect(report.find((row: any) => row.organization.code === '3201-H102')).toEqual({ organization: { code: '3201-H102' }, count: 2, lapsed: 1 });
    expect(await codes(doctorAt('3201-H102', 'P-102'), `query($since: String!) { registrationsWithoutCare(since: $since) { count } }`, { since })).toEqual([
      'FORBIDDEN',
    ]);
    expect(await codes(privacyOfficer(), `query { registrationsWithoutCare(since: "2026-02-30") { count } }`)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('an emergency grant is the clinician’s alone', () => {
  it('refuses a referral made on it, so neither the other hospital nor a colleague gains standing', async () => {
    const { resident } = await register('3201-H103', {
      name: '孔德明',
      gender: 'MALE',
      birthDate: '1949-12-01',
      district: '江宁区',
      identifier: mrn('MRN-KDM-1'),
    });
    const asker = doctorAt('3201-H104', 'P-ER-1');
    await ok(asker, `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史与过敏史") { id } }`, {
      id: resident.id,
    });
    expect((await ok(asker, READ_RECORD, { id: resident.id })).resident.name).toBe('孔德明');

    const input = {
      residentId: resident.id,
      direction: 'UP',
      toOrganizationCode: '3201-H002',
      toDepartment: '心血管内科',
      reason: '急诊转诊',
      diagnoses: [{ code: 'I21.9', display: '急性心肌梗死' }],
    };
    expect(await codes(asker, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, { input })).toEqual(['FORBIDDEN']);
    expect(await models().referrals.Referral.countDocuments({ residentId: resident.id })).toBe(0);
    expect(await codes(doctorAt('3201-H002', 'P-H2'), READ_RECORD, { id: resident.id })).toEqual(['FORBIDDEN']);
    expect(await codes(doctorAt('3201-H104', 'P-ER-2'), READ_RECORD, { id: resident.id })).toEqual(['FORBIDDEN']);
    const facts = (await ok(privacyOfficer(), RELATIONSHIPS, { id: resident.id })).resident.careRelationships;
    expect(facts.map((fact: any) => [fact.organization.code, fact.kind, fact.root.kind])).toEqual([
      ['3201-H103', 'REGISTRATION', 'REGISTRATION'],
      ['3201-H104', 'BREAK_GLASS', 'EMERGENCY'],
    ]);
  });
});

describe('every kind of standing ends', () => {
  it('ends an accepted referral that is never completed 180 days after its acceptance', async () => {
    const { resident } = await register('3201-H106', {
      name: '陈桂英',
      gender: 'FEMALE',
      birthDate: '1958-02-14',
      district: '江宁区',
      identifier: mrn('MRN-CGY-1'),
    });
    await ok(hospitalSystem('3201-H106'), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
      input: {
        residentId: resident.id,
        sourceRecordId: 'V-CGY-1',
        class: 'OUTPATIENT',
        status: 'FINISHED',
        department: '心血管内科',
        start: new Date(Date.now() - DAY).toISOString(),
        diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
      },
    });
    const sender = doctorAt('3201-H106', 'P-106');
    const input = {
      residentId: resident.id,
      direction: 'UP',
      toOrganizationCode: '3201-H001',
      toDepartment: '心血管内科',
      reason: '血压控制不佳',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    };
    const { id } = (await ok(sender, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, { input })).requestReferral;
    await ok(doctorAt('3201-H001', 'P-001'), `mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id });
    const facts = (await ok(privacyOfficer(), RELATIONSHIPS, { id: resident.id })).resident.careRelationships;
    const accepted = facts.find((fact: any) => fact.kind === 'REFERRAL');
    expect(accepted.root).toEqual({ kind: 'REFERRAL', organization: { code: '3201-H106' }, basis: `referral ${id} accepted` });
    expect(Date.parse(accepted.endsAt) - Date.parse(accepted.since)).toBe(180 * DAY);
    const offer = facts.find((fact: any) => fact.kind === 'REFERRAL_OFFER');
    expect(offer.root).toEqual({ kind: 'REFERRAL', organization: { code: '3201-H106' }, basis: `referral ${id} sent under registration` });
  });
});
