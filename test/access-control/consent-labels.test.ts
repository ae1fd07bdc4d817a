/**
 * Consent labels on every path that can reveal a diagnosis, through the real gateway: what
 * each record is labelled with when written, what a related hospital, the receiving hospital
 * and the pharmacy see of lists, attachments, history and warnings, and that records stored
 * before a label existed are labelled on read.
 */

import { CANARY, type ConsentScenario, identities, PHARMACY, plantCanaries, RECEIVER, RELATED, SOURCE } from '../support/consent-scenario';
import { insertResidents, modelsOf, newId, prescriptionDoc, referralDoc } from '../support/fixtures';
import type { TestStack } from '../support/stack';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(120_000);

const { stack } = useStack();
let scenario: ConsentScenario;
beforeAll(async () => {
  scenario = await plantCanaries(stack);
});

async function ok(identity: Parameters<TestStack['token']>[0], query: string, variables: Record<string, unknown> = {}) {
  const { body } = await stack.query(stack.token(identity), query, { id: scenario.residentId, ...variables });
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('labels written with each record', () => {
  it('labels prescriptions by their drugs and their diagnoses', async () => {
    const { ids } = scenario;
    const stored = await modelsOf(stack).prescriptions.Prescription.find({}, { sensitivities: 1 }).lean();
    const labelOf = (id: string) => stored.find((row) => row._id === id)!.sensitivities;
    expect(labelOf(ids.omeprazole)).toEqual(['MENTAL_HEALTH']);
    expect(labelOf(ids.escitalopram)).toEqual(['MENTAL_HEALTH']);
    expect(labelOf(ids.amlodipine)).toEqual([]);
    expect(labelOf(ids.rabeprazole)).toEqual([]);
  });

  it('labels referrals by diagnosis, department and reason', async () => {
    const { ids } = scenario;
    const stored = await modelsOf(stack).referrals.Referral.find({}, { sensitivities: 1 }).lean();
    const labelOf = (id: string) => stored.find((row) => row._id === id)!.sensitivities;
    expect(labelOf(ids.referralByDiagnosis)).toEqual(['MENTAL_HEALTH']);
    expect(labelOf(ids.referralByDepartment)).toEqual(['MENTAL_HEALTH']);
    expect(labelOf(ids.referralByReason)).toEqual(['MENTAL_HEALTH']);
    expect(labelOf(ids.neutralReferral)).toEqual([]);
  });

  it('labels each archived lab report version, and encounters by department too', async () => {
    const versions = await modelsOf(stack).labs.LabReportVersion.find({ reportId: scenario.ids.correctedReport }).lean();
    expect(versions.map(({ version, code, sensitivities }) => ({ version, code: code?.code, sensitivities }))).toEqual([
      { version: 1, code: '75622-1', sensitivities: ['HIV_STI'] },
    ]);
    const report = await modelsOf(stack).labs.LabReport.findById(scenario.ids.correctedReport).lean();
    expect(report!.sensitivities).toEqual([]);
    const encounter = await modelsOf(stack).records.Encounter.findById(scenario.ids.psychiatricEncounter).lean();
    expect(encounter!.sensitivities).toEqual(['MENTAL_HEALTH']);
  });
});

describe('what another hospital sees', () => {
  const REFERRALS = `query($id: ID!) { resident(id: $id) { referrals { edges { node { id attachedEncounters { id } attachedLabReports { id } } } } } }`;

  it('lists only the neutral referral, without the withheld attachments, and never nulls the list', async () => {
    const { ids } = scenario;
    const data = await ok(identities.doctorAt(RELATED), REFERRALS);
    expect(data.resident.referrals.edges).toEqual([
      { node: { id: ids.neutralReferral, attachedEncounters: [{ id: ids.generalEncounter }], attachedLabReports: [{ id: ids.correctedReport }] } },
    ]);
  });

  it('gives the receiving hospital its referrals, and the attachments only as far as it may see them', async () => {
    const { ids } = scenario;
    const data = await ok(
      identities.doctorAt(RECEIVER),
      `{ referralInbox(first: 10) { edges { node { id reason attachedEncounters { id } attachedLabReports { id } } } } }`,
    );
    const inbox = data.referralInbox.edges.map((edge: { node: unknown }) => edge.node);
    expect(inbox).toHaveLength(4);
    expect(inbox.find((node: { id: string }) => node.id === ids.neutralReferral)).toEqual({
      id: ids.neutralReferral,
      reason: '血压控制不佳',
      attachedEncounters: [{ id: ids.generalEncounter }],
      attachedLabReports: [{ id: ids.correctedReport }],
    });
    expect(inbox.map((node: { reason: string }) => node.reason)).toContain(`${CANARY.referralReason} 重度抑郁，药物疗效欠佳`);
  });

  it('shows the source hospital every attachment', async () => {
    const { ids } = scenario;
    const data = await ok(
      identities.doctorAt(SOURCE),
      `{ referralOutbox(first: 10) { edges { node { id attachedEncounters { id } attachedLabReports { id } } } } }`,
    );
    const neutral = data.referralOutbox.edges.find((edge: { node: { id: string } }) => edge.node.id === ids.neutralReferral).node;
    expect(neutral).toEqual({
      id: ids.neutralReferral,
      attachedEncounters: [{ id: ids.psychiatricEncounter }, { id: ids.generalEncounter }],
      attachedLabReports: [{ id: ids.hivReport }, { id: ids.correctedReport }],
    });
  });

  it('keeps a corrected report’s restricted version out of its history', async () => {
    const query = `query($report: ID!) { labReport(id: $report) { version code { code } history { version code { code } conclusion } } }`;
    const related = await ok(identities.doctorAt(RELATED), query, { report: scenario.ids.correctedReport });
    expect(related.labReport).toEqual({ version: 2, code: { code: '14749-6' }, history: [] });
    const source = await ok(identities.doctorAt(SOURCE), query, { report: scenario.ids.correctedReport });
    expect(source.labReport.history).toEqual([{ version: 1, code: { code: '75622-1' }, conclusion: CANARY.labHistory }]);
  });

  it('computes duplicate-therapy warnings from the prescriptions the viewer may see', async () => {
    const query = `query($rx: ID!) { prescription(id: $rx) { warnings { code message } } }`;
    const rx = { rx: scenario.ids.rabeprazole };
    expect((await ok(identities.doctorAt(RELATED), query, rx)).prescription.warnings).toEqual([]);
    expect((await ok(identities.pharmacist(PHARMACY), query, rx)).prescription.warnings).toEqual([]);
    // The source hospital sees its own omeprazole, so the warning is there for it: the check can fail.
    expect((await ok(identities.doctorAt(SOURCE), query, rx)).prescription.warnings).toEqual([
      { code: 'DUPLICATE_THERAPY:PPI', message: '雷贝拉唑钠肠溶片 10mg duplicates 奥美拉唑肠溶胶囊 20mg (PPI)' },
    ]);
  });

  it('resolves a prescription’s encounter only for those who may see it', async () => {
    const query = `query($rx: ID!) { prescription(id: $rx) { id encounter { id } } }`;
    const rx = { rx: scenario.ids.amlodipine };
    expect((await ok(identities.doctorAt(RELATED), query, rx)).prescription).toEqual({ id: scenario.ids.amlodipine, encounter: null });
    expect((await ok(identities.doctorAt(SOURCE), query, rx)).prescription).toEqual({
      id: scenario.ids.amlodipine,
      encounter: { id: scenario.ids.psychiatricEncounter },
    });
  });

  it('shows a restricted prescription to the pharmacy it was sent to, and to no other organization', async () => {
    const issued = await ok(identities.doctorAt(SOURCE), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
      input: {
        residentId: scenario.residentId,
        clientRequestId: 'canary-rx-routed',
        diagnoses: [{ code: 'F32.9', display: '抑郁状态' }],
        items: [{ drugCode: 'H10950129', dose: 50, route: 'oral', frequency: 'qd', days: 7, quantity: 7 }],
        pharmacyCode: '3201-P02',
      },
    });
    const id = issued.issuePrescription.id;
    // The chosen pharmacy's standing starts with the physician's signature.
    await ok(identities.doctorAt(SOURCE), `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id });
    const query = `query($rx: ID!) { prescription(id: $rx) { id items { drug { display } } } }`;
    expect((await ok(identities.pharmacist('3201-P02'), query, { rx: id })).prescription).toEqual({ id, items: [{ drug: { display: '盐酸舍曲林片 50mg' } }] });
    expect((await ok(identities.doctorAt(RELATED), query, { rx: id })).prescription).toBeNull();
    expect((await ok(identities.pharmacist(PHARMACY), query, { rx: id })).prescription).toBeNull();
  });

  it('answers checkOrder from the reports it may see', async () => {
    const data = await ok(
      identities.doctorAt(RELATED),
      `mutation($id: ID!) { checkOrder(residentId: $id, itemCodes: ["75622-1"], orderingOrganizationCode: "${RELATED}") { itemCode recommendation lastReport { id } } }`,
    );
    expect(data.checkOrder).toEqual([{ itemCode: '75622-1', recommendation: 'ORDER', lastReport: null }]);
  });
});

describe('records stored before labels existed', () => {
  it('are labelled on read from their codes, department and text', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: RELATED, count: 1 })) as [string];
    const models = modelsOf(stack);
    // Written as older code stored them: no label at all.
    const legacyReferral = { ...referralDoc({ residentId, fromOrganizationCode: SOURCE, toOrganizationCode: RECEIVER }), toDepartment: '精神科' };
    expect('sensitivities' in legacyReferral).toBe(false);
    await models.referrals.Referral.collection.insertOne(legacyReferral as never);
    const legacyRx = prescriptionDoc({
      residentId,
      organizationCode: SOURCE,
      drugCodes: ['H20033285'],
      diagnoses: [{ system: 'ICD-10', code: 'F32.9', display: '抑郁状态' }],
      sensitivities: [],
      id: newId(),
    });
    await models.prescriptions.Prescription.create(legacyRx);
    const own = identities.self(residentId);
    await ok(own, `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`, {
      id: residentId,
    });

    const query = `query($id: ID!) { resident(id: $id) { referrals { edges { node { id } } } prescriptions { edges { node { id } } } } }`;
    expect((await ok(identities.doctorAt(RELATED), query, { id: residentId })).resident).toEqual({ referrals: { edges: [] }, prescriptions: { edges: [] } });
    expect((await ok(own, query, { id: residentId })).resident).toEqual({
      referrals: { edges: [{ node: { id: legacyReferral._id } }] },
      prescriptions: { edges: [{ node: { id: legacyRx._id } }] },
    });
  });
});
