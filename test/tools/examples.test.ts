/**
 * The client examples (examples/*.ts), run with @apollo/client against the real gateway
 * and subgraphs. The resident's story is built through the API wherever the API can write it
 * (registrations at hospital desks, a lab upload, a diagnosis); the organization registry,
 * the certified laboratory and a slot pool have no API and are written as the subgraphs store them.
 */

import { makeIdNumber } from '../../access-control/id-number';
import { doctorWorkstation } from '../../examples/doctor-workstation';
import { familyDoctorExamsAndBeds } from '../../examples/family-doctor-exams-and-beds';
import { familyDoctorReferral } from '../../examples/family-doctor-referral';
import { fhirEverything } from '../../examples/fhir-everything';
import { healthCheckup } from '../../examples/health-checkup';
import { hospitalBatchUpload } from '../../examples/hospital-batch-upload';
import { internetHospitalPharmacy } from '../../examples/internet-hospital-pharmacy';
import { internetNursing } from '../../examples/internet-nursing';
import { oneStopSettlement } from '../../examples/one-stop-settlement';
import { residentConsent } from '../../examples/resident-consent';
import { smartReminders } from '../../examples/smart-reminders';
import { DRUGS } from '../../subgraphs/prescriptions/drug-catalogue';
import { addDays, beijingDate } from '../../subgraphs/referrals/referral-rules';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf, relate } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const HOSPITAL = '3201-H001';
const OTHER_HOSPITAL = '3201-H002';
const CENTRE = '3201-C001';
const INTERNET_HOSPITAL = '3201-I03';
const PHARMACY = '3201-P01';
const CARDIOLOGY = '心血管内科';
const BIRTH_DATE = '1962-08-19';

const { stack, ok } = useStack();
let gatewayUrl: string;
let residentId: string;

const token = (role: string, organizationCode?: string, extra: { practitionerId?: string; residentId?: string } = {}) =>
  stack.token({ subject: `${role}-${organizationCode ?? extra.residentId}`, roles: [role as never], organizationCode, ...extra });
const doctor = () => token('doctor', HOSPITAL, { practitionerId: 'D0001' });

const REGISTER = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { outcome resident { id } } }`;

beforeAll(async () => {
  gatewayUrl = stack.gateway.url;
  const models = modelsOf(stack);
  // The organization registry and the laboratory certifications have no API.
  await insertHospitals(stack);
  await models.records.Organization.insertMany([
    { _id: CENTRE, name: '玄武区红山街道社区卫生服务中心', level: 'COMMUNITY', district: '玄武区', outpatientVisits: 0, discharges: 0 },
    { _id: INTERNET_HOSPITAL, name: '南京鼓楼医院互联网医院', level: 'INTERNET_HOSPITAL', district: '鼓楼区', outpatientVisits: 0, discharges: 0 },
    { _id: PHARMACY, name: '南京医药云药房', level: 'PHARMACY', district: '秦淮区', outpatientVisits: 0, discharges: 0 },
  ]);
  await models.labs.Laboratory.insertMany([{ _id: OTHER_HOSPITAL, certifiedScope: 'CITY' }]);

  // The resident registers at four desks: each hospital system's registration gives its organization standing.
  const person = {
    name: '孙示例',
    gender: 'FEMALE',
    birthDate: BIRTH_DATE,
    idNumber: makeIdNumber('320102', BIRTH_DATE, 246),
    phone: '13912345678',
    district: '玄武区',
  };
  for (const organizationCode of [HOSPITAL, OTHER_HOSPITAL, CENTRE, INTERNET_HOSPITAL]) {
    const { registerResident } = await ok(token('hospital_system', organizationCode), REGISTER, {
      input: { ...person, identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-${organizationCode}` } },
    });
    residentId ??= registerResident.resident.id;
    expect(registerResident.resident.id).toBe(residentId);
  }

  // The other hospital's laboratory uploads a blood glucose with its result line, and its system a depression diagnosis.
  await ok(token('lab_system', OTHER_HOSPITAL), `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, {
    input: {
      residentId,
      sourceReportId: 'LIS-0001',
      category: 'LABORATORY',
      code: '14749-6',
      status: 'FINAL',
      issuedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      subjectSex: 'FEMALE',
      subjectBirthDate: BIRTH_DATE,
      results: [{ code: '14749-6', value: 7.9, unit: 'mmol/L' }],
    },
  });
  const visit = new Date(Date.now() - 20 * 86_400_000);
  await ok(token('hospital_system', OTHER_HOSPITAL), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
    input: {
      residentId,
      sourceRecordId: 'V-0001',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '精神科',
      start: visit.toISOString(),
      end: new Date(visit.getTime() + 3_600_000).toISOString(),
      diagnoses: [{ code: 'F32.9', display: '抑郁发作', rank: 1, primary: true }],
    },
  });
  await ok(token('hospital_system', OTHER_HOSPITAL), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId, sourceRecordId: 'DX-0001', code: 'F32.9', display: '抑郁发作', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });

  // A cardiology session at the hospital, in two days, with places reserved for contracted family doctors.
  await insertSlotPool(stack, { organizationCode: HOSPITAL, department: CARDIOLOGY, date: addDays(beijingDate(new Date()), 2), capacity: 10, reserved: 3 });
});

const drugCode = (inn: string) => [...DRUGS.values()].find((drug) => drug.inn === inn)!.code;

describe('examples against the real stack', () => {
  it('doctor workstation: the record across hospitals, and the duplicate-test reminder', async () => {
    const found = await doctorWorkstation({ gatewayUrl, doctorToken: doctor(), organizationCode: HOSPITAL, residentId, orderItemCodes: ['14749-6'] });
    expect(found.demographics).toEqual({
      name: '孙示例',
      gender: 'FEMALE',
      birthDate: BIRTH_DATE,
      idNumber: expect.stringMatching(/^3201\*+\d{3}[\dX]$/),
      district: '玄武区',
    });
    expect(found.labReports).toHaveLength(1);
    expect(found.labReports[0]).toMatchObject({
      organization: { code: OTHER_HOSPITAL, name: '南京鼓楼医院' },
      results: [{ code: { code: '14749-6' }, value: 7.9, unit: 'mmol/L', interpretation: 'H' }],
    });
    expect(found.latestResults).toMatchObject([
      { code: { code: '14749-6' }, organization: { code: OTHER_HOSPITAL }, observation: { value: 7.9, interpretation: 'H' } },
    ]);
    expect(found.conditions.map((condition) => condition.code.code)).toEqual(['F32.9']);
    expect(found.encounters.map((encounter) => [encounter.organization.code, encounter.department])).toEqual([[OTHER_HOSPITAL, '精神科']]);
    expect(found.checks).toMatchObject([
      { itemCode: '14749-6', recognized: true, recommendation: 'REUSE', ageDays: 3, lastReport: { organization: { code: OTHER_HOSPITAL } } },
    ]);
  });

  it('FHIR client: the Patient, every page of $everything and the $summary document, through @medplum/core', async () => {
    const found = await fhirEverything({ gatewayUrl, token: doctor(), residentId, pageSize: 1 });
    expect(found.patient).toMatchObject({ id: residentId, name: '孙示例', gender: 'female', birthDate: BIRTH_DATE });
    expect(found.patient.identifiers).toContain(`urn:jinling-hie:mrn:${HOSPITAL}|MRN-${HOSPITAL}`);
    expect(found.everything.pages).toBe(1);
    expect(found.everything.counts).toMatchObject({ Patient: 1, Encounter: 1, Condition: 1, DiagnosticReport: 1, Observation: 1 });
    expect(found.summary.sections).toEqual([
      { title: '问题列表 Problems', entries: 1 },
      { title: '过敏与不耐受 Allergies and intolerances', entries: 0 },
      { title: '用药 Medications', entries: 0 },
      { title: '检验检查结果 Results', entries: 1 },
    ]);
  });

  it('internet hospital → cloud pharmacy: issued, signed, reviewed, routed, dispensed, picked up', async () => {
    const found = await internetHospitalPharmacy({
      gatewayUrl,
      physicianToken: token('doctor', INTERNET_HOSPITAL, { practitionerId: 'IH0007' }),
      internetHospitalToken: token('internet_hospital', INTERNET_HOSPITAL),
      pharmacistToken: token('pharmacist', PHARMACY, { practitionerId: 'P0001' }),
      residentId,
      pharmacyCode: PHARMACY,
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
      items: [{ drugCode: drugCode('amlodipine'), dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    });
    expect(found.statuses).toEqual(['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED', 'PICKED_UP']);
    expect(found.signature).toEqual({ signer: 'IH0007', valid: true });
    expect(found.inQueue).toBe(true);
    expect(found.review).toMatchObject({ outcome: 'APPROVED', pharmacy: { code: PHARMACY } });
    // Approved naming the server's safety snapshot, with no facts sent back.
    expect(found.review.safetySnapshot).toMatch(/^[0-9a-f]{32}$/);
    expect(found.routedTo).toBe(PHARMACY);
    expect(found.finalStatus).toBe('PICKED_UP');
    expect(found.transitions.map((transition) => transition.to)).toEqual(['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED', 'PICKED_UP']);
  });

  it('family doctor → hospital and back: contract, reserved place, accepted, arrived, completed, referred back down', async () => {
    const found = await familyDoctorReferral({
      gatewayUrl,
      familyDoctorToken: token('family_doctor', CENTRE, { practitionerId: 'F0001' }),
      communityCentreCode: CENTRE,
      residentToken: token('resident', undefined, { residentId }),
      residentId,
      hospitalDoctorToken: doctor(),
      hospitalCode: HOSPITAL,
      department: CARDIOLOGY,
      diagnosis: { code: 'I10', display: '原发性高血压' },
    });
    expect(found.contract.status).toBe('ACTIVE');
    expect(found.slot).toMatchObject({ capacity: 10, reserved: 3, bookableByYou: 10 });
    expect(found.upward.booked).toMatchObject({ department: CARDIOLOGY, share: 'RESERVED' });
    expect(found.upward.inHospitalInbox).toBe(true);
    expect(found.upward.statuses).toEqual(['REQUESTED', 'REQUESTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED']);
    expect(found.downward).toMatchObject({ status: 'REQUESTED', direction: 'DOWN' });
    expect(found.downward.inFamilyDoctorInbox).toMatchObject({ fromOrganization: { code: HOSPITAL }, dischargeSummary: expect.stringContaining('I10') });
  });

  it('resident: own record, a restricted category, and who looked; the doctor no longer sees the restricted item', async () => {
    const found = await residentConsent({
      gatewayUrl,
      residentToken: token('resident', undefined, { residentId }),
      residentId,
      restrict: ['MENTAL_HEALTH'],
      doctorToken: doctor(),
    });
    expect(found.doctorSawBefore).toEqual(['精神科 F32.9']);
    expect(found.doctorSeesAfter).toEqual([]);
    expect(found.record.idNumber).toBe(makeIdNumber('320102', BIRTH_DATE, 246));
    expect(found.record.conditions.map((condition) => condition.code.code)).toEqual(['F32.9']);
    expect(found.record.encounters.map((encounter) => encounter.department)).toEqual(['精神科']);
    expect(found.consentBefore.restrictedCategories).toEqual([]);
    expect(found.consent.restrictedCategories).toEqual(['MENTAL_HEALTH']);
    expect(found.accessLog.some((event) => event.organization?.code === HOSPITAL && event.roles.includes('doctor') && event.action === 'READ')).toBe(true);
    expect(found.lookedAtBy).toContain(`${HOSPITAL} 江苏省中医院`);

    const after = await doctorWorkstation({ gatewayUrl, doctorToken: doctor(), organizationCode: HOSPITAL, residentId, orderItemCodes: ['14749-6'] });
    expect(after.conditions).toEqual([]);
    expect(after.encounters).toEqual([]);
    expect(after.prescriptions.map((prescription) => prescription.status)).toEqual(['PICKED_UP']);
    expect(after.referrals.map((referral) => [referral.direction, referral.status])).toEqual([
      ['DOWN', 'REQUESTED'],
      ['UP', 'COMPLETED'],
    ]);
  });

  it('hospital system: a batch of visits and of dispensed prescriptions, sent twice, and its own cockpit row', async () => {
    const found = await hospitalBatchUpload({
      gatewayUrl,
      hospitalToken: token('hospital_system', HOSPITAL),
      organizationCode: HOSPITAL,
      residentId,
      batchId: 'HIS-EXAMPLE',
    });
    expect(found.encounters).toEqual({
      accepted: 1,
      unchanged: 0,
      rejected: 1,
      errors: [
        {
          line: 2,
          code: 'BAD_USER_INPUT',
          message: 'Invalid input: start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "yesterday")',
        },
      ],
    });
    expect(found.prescriptions).toEqual({ accepted: 1, unchanged: 0, rejected: 0, errors: [] });
    expect(found.resent).toEqual({ accepted: 0, unchanged: 1, rejected: 0, errors: [] });
    // The visit and the prescription arrived as scheduled uploads; the visit counts with its charges.
    const grew = (field: string) => found.after[field] - (found.before?.[field] ?? 0);
    expect([grew('scheduledUploadRecords'), grew('verifiedRecords'), grew('outpatientVisits'), grew('outpatientRevenueFen')]).toEqual([2, 2, 1, 12_800]);
  });
  it('internet nursing: ordered by the internet hospital, accepted, visited and completed by the centre', async () => {
    const found = await internetNursing({
      gatewayUrl,
      internetHospitalToken: token('internet_hospital', INTERNET_HOSPITAL),
      nurseToken: token('family_doctor', CENTRE, { practitionerId: 'N0001' }),
      nurseId: 'N0001',
      communityCentreCode: CENTRE,
      residentId,
      address: '南京市玄武区中山路 100 号 2 单元 301',
    });
    expect(found.service).toEqual({ code: 'INJECTION', display: '肌内/皮下注射', preconditions: 3 });
    expect(found.order).toMatchObject({ orderer: INTERNET_HOSPITAL, centre: CENTRE });
    expect(found.inCentreInbox).toBe(true);
    expect(found.statuses).toEqual(['ORDERED', 'ACCEPTED', 'VISITED', 'COMPLETED']);
    expect(found.nurseId).toBe('N0001');
    expect(found.visit).toEqual({ nurseId: 'N0001', performed: '腹部皮下注射低分子肝素 0.4 ml', observations: '注射部位无出血、无红肿；已告知家属观察要点' });
    expect(found.transitions.map((transition) => [transition.from, transition.to, transition.by])).toEqual([
      [null, 'ORDERED', `internet_hospital-${INTERNET_HOSPITAL}`],
      ['ORDERED', 'ACCEPTED', 'N0001'],
      ['ACCEPTED', 'VISITED', 'N0001'],
      ['VISITED', 'COMPLETED', 'N0001'],
    ]);
  });

  it('smart reminders: a critical result reaches the family doctor and is acknowledged; a duplicate medication warning at prescribing; an overdue follow-up listed', async () => {
    // Another resident of the centre, contracted, with a hypertension and no visit on record.
    const [overdueResident] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    await relate(stack, [overdueResident], CENTRE, 'CONTRACT', { endsAt: new Date(Date.now() + 365 * 86_400_000) });
    await ok(token('hospital_system', CENTRE), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
      input: {
        residentId: overdueResident,
        sourceRecordId: 'DX-HTN-1',
        code: 'I10',
        display: '原发性高血压',
        clinicalStatus: 'ACTIVE',
        verificationStatus: 'CONFIRMED',
      },
    });
    const found = await smartReminders({
      gatewayUrl,
      labSystemToken: token('lab_system', OTHER_HOSPITAL),
      orderingDoctorToken: doctor(),
      orderingOrganizationCode: HOSPITAL,
      orderingPractitionerId: 'D0001',
      familyDoctorToken: token('family_doctor', CENTRE, { practitionerId: 'F0001' }),
      residentToken: token('resident', undefined, { residentId }),
      residentId,
      otherPrescriberToken: token('doctor', INTERNET_HOSPITAL, { practitionerId: 'IH0007' }),
      activeDrugCode: drugCode('amlodipine'),
      newDrugCode: drugCode('nifedipine'),
    });
    const glucose = [{ code: { code: '14749-6', display: '葡萄糖' }, value: 25, unit: 'mmol/L', interpretation: 'HH' }];
    expect(found.criticalResult.hasCritical).toBe(true);
    expect(found.criticalResult.familyDoctorAlert).toMatchObject({
      reason: 'FAMILY_DOCTOR',
      addressedTo: null,
      state: 'OPEN',
      escalated: false,
      report: { id: found.criticalResult.reportId, organization: { code: OTHER_HOSPITAL } },
      criticalResults: glucose,
    });
    expect(found.criticalResult.acknowledged).toMatchObject({ id: found.criticalResult.familyDoctorAlert.id, state: 'ACKNOWLEDGED', acknowledgedBy: 'F0001' });
    expect(found.criticalResult.orderingDoctorAlert).toMatchObject({ reason: 'ORDERING', addressedTo: 'D0001', state: 'OPEN', criticalResults: glucose });
    expect(found.duplicateMedication.warning).toEqual({
      code: 'DUPLICATE_THERAPY:CCB',
      severity: 'MODERATE',
      message: '硝苯地平控释片 30mg duplicates 苯磺酸氨氯地平片 5mg (CCB)',
      acrossOrganizations: true,
      duplicates: {
        id: found.duplicateMedication.activePrescriptionId,
        prescriber: { code: INTERNET_HOSPITAL },
        items: [{ drug: { display: '苯磺酸氨氯地平片 5mg' } }],
      },
    });
    expect(found.overdueFollowUps).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        rule: 'HYPERTENSION_VISIT',
        resident: { id: overdueResident },
        condition: { code: { code: 'I10', display: '原发性高血压' } },
      },
    ]);
  });

  it('one-stop settlement: a consultation and a prescription settled, a retry settled once, part refunded, the day reconciled', async () => {
    const found = await oneStopSettlement({ gatewayUrl, internetHospitalToken: token('internet_hospital', INTERNET_HOSPITAL), residentId });
    expect(
      found.settlements.map(({ subject, totalFen, insuranceFen, selfPaidFen, channel }) => ({ subject, totalFen, insuranceFen, selfPaidFen, channel })),
    ).toEqual([
      { subject: 'INTERNET_CONSULTATION', totalFen: 3000, insuranceFen: 1800, selfPaidFen: 1200, channel: 'WECHAT_PAY' },
      { subject: 'PRESCRIPTION', totalFen: 6600, insuranceFen: 4200, selfPaidFen: 2400, channel: 'ALIPAY' },
    ]);
    expect(found.retrySettledOnce).toBe(true);
    expect(found.refund).toMatchObject({
      subject: 'PRESCRIPTION',
      items: [{ name: '药品配送费', quantity: 1, amountFen: -1000 }],
      totalFen: -1000,
      insuranceFen: 0,
      selfPaidFen: -1000,
      channel: 'ALIPAY',
      refundOf: found.settlements[1]!.id,
    });
    expect(found.inOwnDay.map((line) => line.totalFen)).toEqual([3000, 6600, -1000]);
    // On a fresh exchange, the hospital's ledger and the exchange agree on every day they cover.
    expect(found.reconciliations.every((day) => day.balanced && day.exchange.count === day.institution.count)).toBe(true);
    expect(found.reconciliations.reduce((sum, day) => sum + day.exchange.totalFen, 0)).toBe(8600);
    expect(found.ownMismatches).toEqual([]);
  });

  it('health check-up: a package booked and paid, two years of reports filed, the glucose trend across them', async () => {
    const found = await healthCheckup({
      gatewayUrl,
      centreSystemToken: token('hospital_system', OTHER_HOSPITAL),
      centreLabToken: token('lab_system', OTHER_HOSPITAL),
      residentToken: token('resident', undefined, { residentId }),
      residentId,
    });
    expect(found.package).toMatchObject({ code: 'CHECKUP-BASIC', priceFen: 39900, dailyCapacity: 50 });
    expect(found.booking).toMatchObject({ status: 'PAID', priceFen: 39900, settlementId: `CHECKUP-${found.booking.id}` });
    expect(found.reports.map((report) => report.checkup.conclusions)).toEqual([['空腹血糖正常'], ['空腹血糖升高']]);
    expect(found.checkupsOnRecord).toBe(2);
    const ours = new Set(found.reports.map((report) => report.id));
    const points = found.trend.points.filter((point: any) => ours.has(point.reportId));
    expect(found.trend.unit).toBe('mmol/L');
    expect(points.map((point: any) => [point.value, point.interpretation, point.organization.code, point.referenceRange])).toEqual([
      [5.6, 'N', OTHER_HOSPITAL, { low: 3.9, high: 6.1 }],
      [6.5, 'H', OTHER_HOSPITAL, { low: 3.9, high: 6.1 }],
    ]);
  });

  // Last: it files a report and an inpatient stay, which the examples above do not expect on the record.
  it('family doctor → hospital exam and virtual bed: booked from the reserved share, the report and the discharge back in the inbox', async () => {
    const models = modelsOf(stack);
    // Which hospitals open exams and beds to family doctors, like laboratories, has no API (the demo city seeds both).
    await models.labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
    await models.referrals.OpenHospitalResource.insertMany(
      (['EXAM', 'VIRTUAL_BED'] as const).map((kind) => ({ _id: `${HOSPITAL}|${kind}`, organizationCode: HOSPITAL, kind, since: new Date() })),
    );
    await insertSlotPool(stack, {
      organizationCode: HOSPITAL,
      department: '影像科',
      kind: 'EXAM',
      date: addDays(beijingDate(new Date()), 3),
      capacity: 6,
      reserved: 2,
    });
    await insertSlotPool(stack, {
      organizationCode: HOSPITAL,
      department: '老年医学科',
      kind: 'VIRTUAL_BED',
      date: addDays(beijingDate(new Date()), 3),
      capacity: 4,
      reserved: 2,
    });
    const found = await familyDoctorExamsAndBeds({
      gatewayUrl,
      familyDoctorToken: token('family_doctor', CENTRE, { practitionerId: 'F0001' }),
      residentToken: token('resident', undefined, { residentId }),
      residentId,
      hospitalCode: HOSPITAL,
      labSystemToken: token('lab_system', HOSPITAL),
      hospitalSystemToken: token('hospital_system', HOSPITAL),
      subjectSex: 'FEMALE',
      subjectBirthDate: BIRTH_DATE,
    });
    expect(found.exam.booked).toEqual({ status: 'BOOKED', share: 'RESERVED', examType: 'CT' });
    expect(found.exam.back).toMatchObject({
      kind: 'EXAM',
      status: 'COMPLETED',
      department: '影像科',
      organization: { code: HOSPITAL },
      examReport: { code: { code: '24627-2', display: '胸部CT平扫' }, conclusion: '双肺纹理增多，未见结节及肿块' },
      discharge: null,
    });
    expect(found.bed.booked).toEqual({ status: 'BOOKED', share: 'RESERVED' });
    expect(found.bed.back).toMatchObject({
      kind: 'VIRTUAL_BED',
      status: 'COMPLETED',
      examReport: null,
      discharge: { class: 'INPATIENT', status: 'FINISHED', department: '老年医学科' },
    });
  });
});
