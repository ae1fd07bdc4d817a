/**
 * Consent on free text, through the real gateway: a referral coded as hypertension whose reason
 * names a depression code in lower case and AIDS and PrEP in words, a discharge summary with a
 * full-width code, a rejection reason, a prescription's instructions and a referral stored
 * before any label. The resident restricts MENTAL_HEALTH and HIV_STI: an uninvolved hospital's
 * doctor gets none of them, in GraphQL or in FHIR $everything; the organizations that wrote or
 * received them and the resident still do.
 */
import type { AllergyIntolerance, Bundle } from '@medplum/fhirtypes';
import { makeIdNumber } from '../../access-control/id-number';
import type { DemoIdentity } from '../../tools/demo-issuer';
import { identities, RECEIVER, RELATED, SOURCE } from '../support/consent-scenario';
import { allPages, resourcesOf } from '../support/fhir-client';
import { insertHospitals, modelsOf, referralDoc } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(180_000);

const ATTACK = 'hx of f32.9 and AIDS on PrEP';
const DISCHARGE = '住院两周，Ｆ３２．９ 好转出院，门诊随访';
const REJECTION = '本院无感染科床位，患者 b20 请转专科';
const INSTRUCTIONS = 'with food; pt on prep';
const NEUTRAL = 'I10 hypertension, follow up in 2 weeks';

const { stack } = useStack();
let residentId = '';
const ids = { attack: '', discharge: '', rejected: '', neutral: '', legacy: '', prescription: '', neutralPrescription: '' };

async function as(identity: DemoIdentity, query: string, variables: Record<string, unknown> = {}) {
  const { body } = await stack.query(stack.token(identity), query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

beforeAll(async () => {
  await insertHospitals(stack);
  const register = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`;
  for (const organizationCode of [SOURCE, RELATED]) {
    const data = await as(identities.hospitalSystem(organizationCode), register, {
      input: {
        name: '林晓雯',
        gender: 'FEMALE',
        birthDate: '1988-06-02',
        idNumber: makeIdNumber('320102', '1988-06-02', 64),
        phone: '13955550188',
        district: '玄武区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-TEXT-${organizationCode}` },
      },
    });
    residentId = data.registerResident.resident.id;
  }
  const doctor = identities.doctorAt(SOURCE);
  const refer = async (input: Record<string, unknown>) =>
    (
      await as(doctor, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
        input: {
          residentId,
          direction: 'UP',
          toOrganizationCode: RECEIVER,
          toDepartment: '心血管内科',
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
          ...input,
        },
      })
    ).requestReferral.id as string;
  ids.attack = await refer({ reason: ATTACK });
  ids.discharge = await refer({ direction: 'DOWN', reason: '下转社区康复', dischargeSummary: DISCHARGE });
  ids.rejected = await refer({ reason: '发热待查' });
  ids.neutral = await refer({ reason: NEUTRAL });
  const receiver = identities.doctorAt(RECEIVER);
  for (const id of [ids.attack, ids.discharge, ids.neutral]) await as(receiver, `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id });
  await as(receiver, `mutation($id: ID!, $reason: String!) { rejectReferral(id: $id, reason: $reason) { id } }`, { id: ids.rejected, reason: REJECTION });

  const prescribe = async (clientRequestId: string, instructions: string) =>
    (
      await as(doctor, `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
        input: {
          residentId,
          clientRequestId,
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
          items: [{ drugCode: 'H20093454', dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28, instructions }],
        },
      })
    ).issuePrescription.id as string;
  ids.prescription = await prescribe('free-text-rx-1', INSTRUCTIONS);
  ids.neutralPrescription = await prescribe('free-text-rx-2', 'with food');

  // Stored as code before these labels: a lower-case code in its reason and no label at all.
  const legacy = { ...referralDoc({ residentId, fromOrganizationCode: SOURCE, toOrganizationCode: RECEIVER }), reason: 'pt on prep, f/u 3 months' };
  await modelsOf(stack).referrals.Referral.collection.insertOne(legacy as never);
  ids.legacy = legacy._id;

  await as(
    identities.self(residentId),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH, HIV_STI], blockedOrganizations: []) { updatedAt } }`,
    { id: residentId },
  );
});

const REFERRALS = `query($id: ID!) { resident(id: $id) { referrals(first: 20) { edges { node { id reason dischargeSummary rejectionReason } } } } }`;
const PRESCRIPTIONS = `query($id: ID!) { resident(id: $id) { prescriptions(first: 20) { edges { node { id } } } } }`;
const referralIds = (data: Record<string, any>) => data.resident.referrals.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();
const prescriptionIds = (data: Record<string, any>) => data.resident.prescriptions.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();

it('labels each record from its free text when it is written, and again when the text changes', async () => {
  const stored = await modelsOf(stack).referrals.Referral.find({ residentId }, { sensitivities: 1 }).lean();
  const labelOf = (id: string) => stored.find((row) => row._id === id)!.sensitivities;
  expect(labelOf(ids.attack)).toEqual(['MENTAL_HEALTH', 'HIV_STI']);
  expect(labelOf(ids.discharge)).toEqual(['MENTAL_HEALTH']);
  expect(labelOf(ids.rejected)).toEqual(['HIV_STI']);
  expect(labelOf(ids.neutral)).toEqual([]);
  const rx = await modelsOf(stack).prescriptions.Prescription.find({ residentId }, { sensitivities: 1 }).lean();
  expect(rx.find((row) => row._id === ids.prescription)!.sensitivities).toEqual(['HIV_STI']);
  expect(rx.find((row) => row._id === ids.neutralPrescription)!.sensitivities).toEqual([]);
});

describe('an uninvolved hospital’s doctor', () => {
  it('gets only the neutral referral and prescription in resident.referrals and resident.prescriptions', async () => {
    const referrals = await as(identities.doctorAt(RELATED), REFERRALS, { id: residentId });
    expect(referrals.resident.referrals.edges).toEqual([{ node: { id: ids.neutral, reason: NEUTRAL, dischargeSummary: null, rejectionReason: null } }]);
    expect(prescriptionIds(await as(identities.doctorAt(RELATED), PRESCRIPTIONS, { id: residentId }))).toEqual([ids.neutralPrescription]);
  });

  it('gets none of the labelled text through FHIR $everything', async () => {
    const { pages, text } = await allPages(stack, stack.token(identities.doctorAt(RELATED)), `/Patient/${residentId}/$everything?_count=20`);
    const ofType = (type: string) => pages.flatMap((page: Bundle) => resourcesOf(page, type).map((resource) => resource.id!)).sort();
    expect(ofType('ServiceRequest')).toEqual([ids.neutral]);
    expect(ofType('MedicationRequest')).toEqual([`${ids.neutralPrescription}-1`]);
    for (const secret of [ATTACK, 'prep', ids.attack, ids.discharge, ids.rejected, ids.legacy, ids.prescription]) expect(text).not.toContain(secret);
  });
});

describe('the parties and the resident', () => {
  const all = () => [ids.attack, ids.discharge, ids.rejected, ids.neutral, ids.legacy].sort();

  it('the sending hospital sees every referral and prescription it wrote, the text in full', async () => {
    const data = await as(identities.doctorAt(SOURCE), REFERRALS, { id: residentId });
    expect(referralIds(data)).toEqual(all());
    const byId = new Map(data.resident.referrals.edges.map((edge: { node: { id: string } }) => [edge.node.id, edge.node]));
    expect(byId.get(ids.attack)).toEqual({ id: ids.attack, reason: ATTACK, dischargeSummary: null, rejectionReason: null });
    expect(byId.get(ids.discharge)).toEqual({ id: ids.discharge, reason: '下转社区康复', dischargeSummary: DISCHARGE, rejectionReason: null });
    expect(byId.get(ids.rejected)).toEqual({ id: ids.rejected, reason: '发热待查', dischargeSummary: null, rejectionReason: REJECTION });
    expect(prescriptionIds(await as(identities.doctorAt(SOURCE), PRESCRIPTIONS, { id: residentId }))).toEqual(
      [ids.prescription, ids.neutralPrescription].sort(),
    );
  });

  it('the receiving hospital sees the referrals sent to it, the rejected one included', async () => {
    const data = await as(identities.doctorAt(RECEIVER), `{ referralInbox(first: 20) { edges { node { id } } } }`);
    expect(data.referralInbox.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual(all());
    expect(referralIds(await as(identities.doctorAt(RECEIVER), REFERRALS, { id: residentId }))).toEqual(all());
  });

  it('the sending hospital gets the attack referral in FHIR $everything, labelled', async () => {
    const { pages } = await allPages(stack, stack.token(identities.doctorAt(SOURCE)), `/Patient/${residentId}/$everything?_count=20`);
    const attack = pages.flatMap((page: Bundle) => resourcesOf(page, 'ServiceRequest')).find((resource) => resource.id === ids.attack)!;
    expect(attack.meta?.security?.map((coding) => coding.code)).toEqual(['PSY', 'HIV', 'R']);
  });

  it('the resident sees the whole record', async () => {
    const own = identities.self(residentId);
    expect(referralIds(await as(own, REFERRALS, { id: residentId }))).toEqual(all());
    expect(prescriptionIds(await as(own, PRESCRIPTIONS, { id: residentId }))).toEqual([ids.prescription, ids.neutralPrescription].sort());
  });
});

/**
 * The clinical record and lab reports, written after the restriction by the source hospital:
 * an allergy whose reaction names anxiety and F41.1 stays for everyone (the drug-allergy
 * warning needs it) with its reactions withheld from other hospitals; a condition and an
 * encounter labelled by their diagnoses' displays, and lab reports labelled by a conclusion
 * and a result line's method, are left out for them, like any record in their category.
 */
describe('the clinical record’s and lab reports’ free text', () => {
  const REACTION = '发作后焦虑，既往 f41.1';
  const CONDITION_DISPLAY = '原发性高血压，伴抑郁状态';
  const ENCOUNTER_DISPLAY = '高血压；HIV 感染随访';
  const CONCLUSION = '空腹血糖正常，抑郁症服药期间复查';
  const METHOD = 'HIV 随访 葡萄糖氧化酶法';
  const texts = [REACTION, CONDITION_DISPLAY, ENCOUNTER_DISPLAY, CONCLUSION, METHOD];
  const rec = { condition: '', neutralCondition: '', encounter: '', neutralEncounter: '', report: '', methodReport: '', neutralReport: '', amoxicillin: '' };

  beforeAll(async () => {
    await modelsOf(stack).labs.Laboratory.create({ _id: SOURCE, certifiedScope: 'CITY' });
    const his = identities.hospitalSystem(SOURCE);
    const allergy = (sourceRecordId: string, substance: Record<string, string>, criticality: string, reactions: string[]) =>
      as(his, `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, {
        input: { residentId, sourceRecordId, substance, category: 'MEDICATION', criticality, reactions },
      });
    await allergy('A-TEXT-PEN', { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' }, 'HIGH', ['过敏性休克', REACTION]);
    await allergy('A-TEXT-SUL', { system: 'NMPA-class', code: 'sulfonamides', display: '磺胺类' }, 'LOW', ['皮疹']);
    const condition = async (sourceRecordId: string, display: string) =>
      (
        await as(his, `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
          input: { residentId, sourceRecordId, code: 'I10', display, clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED', onset: '2019-04-01' },
        })
      ).recordCondition.id as string;
    rec.condition = await condition('P-TEXT-1', CONDITION_DISPLAY);
    rec.neutralCondition = await condition('P-TEXT-2', '原发性高血压');
    const encounter = async (sourceRecordId: string, display: string) =>
      (
        await as(his, `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
          input: {
            residentId,
            sourceRecordId,
            class: 'OUTPATIENT',
            status: 'FINISHED',
            department: '心血管内科',
            start: '2026-03-02T01:00:00.000Z',
            diagnoses: [{ code: 'I10', display, rank: 1, primary: true }],
          },
        })
      ).recordEncounter.id as string;
    rec.encounter = await encounter('V-TEXT-1', ENCOUNTER_DISPLAY);
    rec.neutralEncounter = await encounter('V-TEXT-2', '原发性高血压');
    const submit = async (sourceReportId: string, conclusion: string, method: string) =>
      (
        await as(identities.labSystem(SOURCE), `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, {
          input: {
            residentId,
            sourceReportId,
            category: 'LABORATORY',
            code: '14749-6',
            status: 'FINAL',
            issuedAt: '2026-03-02T02:00:00.000Z',
            subjectSex: 'FEMALE',
            subjectBirthDate: '1988-06-02',
            conclusion,
            results: [{ code: '14749-6', value: 5.1, unit: 'mmol/L', method }],
          },
        })
      ).submitLabReport.id as string;
    rec.report = await submit('L-TEXT-1', CONCLUSION, '葡萄糖氧化酶法');
    rec.methodReport = await submit('L-TEXT-2', '空腹血糖正常', METHOD);
    rec.neutralReport = await submit('L-TEXT-3', '空腹血糖正常', '葡萄糖氧化酶法');
    // The other hospital prescribes amoxicillin: its drug-allergy warning comes from the allergy whose text it may not read.
    const issued = await as(identities.doctorAt(RELATED), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
      input: {
        residentId,
        clientRequestId: 'free-text-rx-amoxicillin',
        diagnoses: [{ code: 'J02.9', display: '急性咽炎' }],
        items: [{ drugCode: 'H20003263', dose: 0.5, route: 'oral', frequency: 'tid', days: 5, quantity: 30 }],
      },
    });
    rec.amoxicillin = issued.issuePrescription.id;
  });

  const RECORD = `query($id: ID!) { resident(id: $id) {
    allergies { assertion items { substance { code } criticality reactions } }
    summary { allergies { items { substance { code } reactions } } activeProblems { id } }
    conditions(first: 50) { edges { node { id code { display } } } }
    encounters(first: 50) { edges { node { id diagnoses { code { display } } } } }
    labReports(first: 50) { edges { node { id conclusion results { method } } } }
  } }`;
  // Allergies come in id order: sorted by substance here, so the expectations read in one order.
  const bySubstance = <T extends { substance: { code: string } }>(items: T[]) => [...items].sort((a, b) => a.substance.code.localeCompare(b.substance.code));
  const idsOf = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id).sort();
  const fhirOf = async (identity: DemoIdentity) => {
    const { pages, text } = await allPages(stack, stack.token(identity), `/Patient/${residentId}/$everything?_count=30`);
    const resources = (type: string) => pages.flatMap((page: Bundle) => resourcesOf(page, type));
    return { text, resources, allergies: () => resources('AllergyIntolerance') as AllergyIntolerance[] };
  };

  it('labels the allergy, condition and encounter from their text when they are written', async () => {
    const { records } = modelsOf(stack);
    const labelOf = async (model: typeof records.Allergy | typeof records.Condition | typeof records.Encounter, sourceRecordId: string) =>
      (
        (await (model as typeof records.Allergy).findOne({ residentId, 'source.recordId': sourceRecordId }, { sensitivities: 1 }).lean()) as {
          sensitivities?: string[];
        }
      ).sensitivities;
    expect(await labelOf(records.Allergy, 'A-TEXT-PEN')).toEqual(['MENTAL_HEALTH']);
    expect(await labelOf(records.Allergy, 'A-TEXT-SUL')).toEqual([]);
    expect(await labelOf(records.Condition, 'P-TEXT-1')).toEqual(['MENTAL_HEALTH']);
    expect(await labelOf(records.Condition, 'P-TEXT-2')).toEqual([]);
    expect(await labelOf(records.Encounter, 'V-TEXT-1')).toEqual(['HIV_STI']);
    expect(await labelOf(records.Encounter, 'V-TEXT-2')).toEqual([]);
  });

  describe('an uninvolved hospital’s doctor', () => {
    it('gets every allergy, the labelled one with its reactions null, and no labelled condition, encounter or lab report', async () => {
      const { resident } = await as(identities.doctorAt(RELATED), RECORD, { id: residentId });
      expect(resident.allergies.assertion).toBe('HAS_ALLERGIES');
      expect(bySubstance(resident.allergies.items)).toEqual([
        { substance: { code: 'penicillins' }, criticality: 'HIGH', reactions: null },
        { substance: { code: 'sulfonamides' }, criticality: 'LOW', reactions: ['皮疹'] },
      ]);
      expect(bySubstance(resident.summary.allergies.items)).toEqual([
        { substance: { code: 'penicillins' }, reactions: null },
        { substance: { code: 'sulfonamides' }, reactions: ['皮疹'] },
      ]);
      expect(resident.summary.activeProblems).toEqual([{ id: rec.neutralCondition }]);
      expect(resident.conditions.edges).toEqual([{ node: { id: rec.neutralCondition, code: { display: '原发性高血压' } } }]);
      expect(resident.encounters.edges).toEqual([{ node: { id: rec.neutralEncounter, diagnoses: [{ code: { display: '原发性高血压' } }] } }]);
      expect(resident.labReports.edges).toEqual([{ node: { id: rec.neutralReport, conclusion: '空腹血糖正常', results: [{ method: '葡萄糖氧化酶法' }] } }]);
    });

    it('is still warned of the penicillin allergy when prescribing amoxicillin', async () => {
      const data = await as(identities.doctorAt(RELATED), `query($id: ID!) { prescription(id: $id) { warnings { code severity } } }`, { id: rec.amoxicillin });
      expect(data.prescription.warnings).toEqual([{ code: 'DRUG_ALLERGY:penicillins:H20003263', severity: 'HIGH' }]);
    });

    it('gets the allergy without its reactions and none of the labelled records through FHIR $everything', async () => {
      const { text, resources, allergies: allergyResources } = await fhirOf(identities.doctorAt(RELATED));
      const allergies = allergyResources().map((resource) => ({
        substance: { code: resource.code!.coding![0]!.code! },
        security: resource.meta?.security,
        reaction: resource.reaction?.map((item) => item.manifestation.map((manifestation) => manifestation.text)),
      }));
      expect(bySubstance(allergies)).toEqual([
        { substance: { code: 'penicillins' }, security: undefined, reaction: undefined },
        { substance: { code: 'sulfonamides' }, security: undefined, reaction: [['皮疹']] },
      ]);
      expect(resources('Condition').map((resource) => resource.id)).toEqual([rec.neutralCondition]);
      expect(resources('Encounter').map((resource) => resource.id)).toEqual([rec.neutralEncounter]);
      expect(resources('DiagnosticReport').map((resource) => resource.id)).toEqual([rec.neutralReport]);
      for (const secret of [...texts, '过敏性休克', rec.condition, rec.encounter, rec.report, rec.methodReport]) expect(text).not.toContain(secret);
    });
  });

  describe('the source hospital and the resident', () => {
    for (const [who, identity] of [
      ['the source hospital', () => identities.doctorAt(SOURCE)],
      ['the resident', () => identities.self(residentId)],
    ] as const) {
      it(`${who} gets every reaction, condition, encounter and lab report, the text in full`, async () => {
        const { resident } = await as(identity(), RECORD, { id: residentId });
        expect(bySubstance(resident.allergies.items)).toEqual([
          { substance: { code: 'penicillins' }, criticality: 'HIGH', reactions: ['过敏性休克', REACTION] },
          { substance: { code: 'sulfonamides' }, criticality: 'LOW', reactions: ['皮疹'] },
        ]);
        expect(idsOf(resident.conditions)).toEqual([rec.condition, rec.neutralCondition].sort());
        expect(idsOf(resident.encounters)).toEqual([rec.encounter, rec.neutralEncounter].sort());
        expect(idsOf(resident.labReports)).toEqual([rec.report, rec.methodReport, rec.neutralReport].sort());
        const reports = new Map(resident.labReports.edges.map((edge: { node: { id: string } }) => [edge.node.id, edge.node]));
        expect(reports.get(rec.report)).toEqual({ id: rec.report, conclusion: CONCLUSION, results: [{ method: '葡萄糖氧化酶法' }] });
        expect(reports.get(rec.methodReport)).toEqual({ id: rec.methodReport, conclusion: '空腹血糖正常', results: [{ method: METHOD }] });
      });
    }

    it('the source hospital gets the reactions in FHIR $everything, and each labelled resource labelled', async () => {
      const { resources, allergies } = await fhirOf(identities.doctorAt(SOURCE));
      const penicillin = allergies().find((resource) => resource.code?.coding?.[0]?.code === 'penicillins')!;
      expect(penicillin.reaction).toEqual([{ manifestation: [{ text: '过敏性休克' }, { text: REACTION }] }]);
      const security = (type: string, id: string) =>
        resources(type)
          .find((resource) => resource.id === id)
          ?.meta?.security?.map((coding) => coding.code);
      expect(penicillin.meta?.security?.map((coding) => coding.code)).toEqual(['PSY', 'R']);
      expect(security('Condition', rec.condition)).toEqual(['PSY', 'R']);
      expect(security('Encounter', rec.encounter)).toEqual(['HIV', 'R']);
      expect(security('DiagnosticReport', rec.report)).toEqual(['PSY', 'R']);
      expect(security('DiagnosticReport', rec.methodReport)).toEqual(['HIV', 'R']);
      expect(security('DiagnosticReport', rec.neutralReport)).toBeUndefined();
    });
  });
});
