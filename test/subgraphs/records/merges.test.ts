/**
 * Merges everywhere, through the real gateway: once a duplicate record is merged, every
 * subgraph resolves its id to the survivor before it decides or queries. Records filed under
 * the merged id are the survivor's, relationships and consent follow the survivor, a resident
 * token for the merged id reads the survivor's record, and writes under it land on the survivor.
 */
import { insertHospitals, insertResidents, labReport, modelsOf, newId, prescriptionDoc, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(120_000);

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H001'; // registered the survivor
const DUPLICATE_DESK = '3201-H002'; // registered only the duplicate
const BLOCKED = '3201-H101'; // registered the duplicate; the resident blocks it on the survivor
let survivor: string;
let mergedId: string;

const doctorAt = (organizationCode: string) =>
  stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: `D-${organizationCode}` });
const privacyOfficer = () => stack.token({ subject: 'po-1', roles: ['privacy_officer'] });
const residentToken = (residentId: string) => stack.token({ subject: `citizen-${residentId}`, roles: ['resident'], residentId });

const RECORD = `query($id: ID!) { resident(id: $id) { id name labReports { edges { node { id } } } prescriptions { edges { node { id } } } } }`;
const reportIds = (data: any) => data.resident.labReports.edges.map((edge: any) => edge.node.id).sort();

let reportUnderMerged: string;
let prescriptionUnderMerged: string;

beforeAll(async () => {
  await insertHospitals(stack);
  [survivor, mergedId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
  const models = modelsOf(stack);
  await models.records.Resident.updateOne({ _id: mergedId }, { $set: { idNumber: null, idLast4: null } });
  // The duplicate's own history: relationships, a lab report and a prescription filed under its id.
  await models.access.CareRelationship.deleteMany({ residentId: mergedId });
  await relate(stack, [mergedId], DUPLICATE_DESK, 'REGISTRATION');
  await relate(stack, [mergedId], BLOCKED, 'REGISTRATION');
  reportUnderMerged = newId();
  await models.labs.LabReport.create(
    labReport({
      id: reportUnderMerged,
      residentId: mergedId,
      organizationCode: DUPLICATE_DESK,
      code: '4548-4',
      results: [{ code: '4548-4', value: 6.1, unit: '%' }],
    }),
  );
  prescriptionUnderMerged = newId();
  await models.prescriptions.Prescription.create(
    prescriptionDoc({ id: prescriptionUnderMerged, residentId: mergedId, organizationCode: DUPLICATE_DESK, drugCodes: ['H20023370'] }),
  );
  await ok(privacyOfficer(), `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`, {
    s: survivor,
    m: mergedId,
  });
  await ok(
    residentToken(survivor),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [], blockedOrganizations: ["${BLOCKED}"]) { updatedAt } }`,
    { id: survivor },
  );
});

it('shows the survivor’s doctors the records filed under the merged id, in every subgraph', async () => {
  const data = await ok(doctorAt(HOSPITAL), RECORD, { id: survivor });
  expect(reportIds(data)).toEqual([reportUnderMerged]);
  expect(data.resident.prescriptions.edges.map((edge: any) => edge.node.id)).toEqual([prescriptionUnderMerged]);
});

it('counts prescriptions filed under the merged id in the survivor’s duplicate-therapy warnings', async () => {
  const issued = await ok(doctorAt(HOSPITAL), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id warnings { code } } }`, {
    input: {
      residentId: survivor,
      clientRequestId: 'merge-duplicate-therapy',
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
      items: [{ drugCode: 'H20023370', dose: 0.5, route: 'oral', frequency: 'bid', days: 7, quantity: 14 }],
    },
  });
  expect(issued.issuePrescription.warnings).toEqual([{ code: 'DUPLICATE_THERAPY:BIGUANIDE' }]);
});

it('lets the relationships of the merged record follow the survivor, and the survivor’s consent govern them', async () => {
  const data = await ok(doctorAt(DUPLICATE_DESK), RECORD, { id: survivor });
  expect(data.resident.id).toBe(survivor);
  expect(reportIds(data)).toEqual([reportUnderMerged]);
  // Blocked on the survivor: the block covers what is filed under the merged id, in labs too.
  expect(await codes(doctorAt(BLOCKED), RECORD, { id: survivor })).toEqual(['FORBIDDEN']);
  expect((await ok(doctorAt(BLOCKED), `query($id: ID!) { labReport(id: $id) { id } }`, { id: reportUnderMerged })).labReport).toBeNull();
});

it('lets a resident token for the merged id read the survivor’s record, and set the survivor’s consent', async () => {
  const data = await ok(residentToken(mergedId), RECORD, { id: mergedId });
  expect(data.resident.id).toBe(survivor);
  expect(reportIds(data)).toEqual([reportUnderMerged]);
  await ok(
    residentToken(mergedId),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: ["${BLOCKED}"]) { updatedAt } }`,
    { id: mergedId },
  );
  expect(await modelsOf(stack).access.Consent.findById(survivor).lean()).toMatchObject({
    restrictedCategories: ['MENTAL_HEALTH'],
    blockedOrganizations: [BLOCKED],
  });
  // The same choice under the merged id: no earlier one lingers there beside it.
  expect(await modelsOf(stack).access.Consent.findById(mergedId).lean()).toMatchObject({
    restrictedCategories: ['MENTAL_HEALTH'],
    blockedOrganizations: [BLOCKED],
  });
});

it('keeps a choice the resident made on the duplicate before the merge, until the resident replaces it', async () => {
  const [kept, duplicate] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
  const models = modelsOf(stack);
  await models.records.Resident.updateOne({ _id: duplicate }, { $set: { idNumber: null, idLast4: null } });
  const hivTest = newId();
  await models.labs.LabReport.create(
    labReport({ id: hivTest, residentId: duplicate, organizationCode: DUPLICATE_DESK, code: '75622-1', results: [{ code: '75622-1', valueCode: 'NEG' }] }),
  );
  await ok(
    residentToken(duplicate),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [HIV_STI], blockedOrganizations: []) { updatedAt } }`,
    { id: duplicate },
  );
  await ok(privacyOfficer(), `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`, {
    s: kept,
    m: duplicate,
  });

  // The survivor's doctors do not see the HIV test the resident restricted on the duplicate.
  expect(reportIds(await ok(doctorAt(HOSPITAL), RECORD, { id: kept }))).toEqual([]);
  const CONSENT = `query($id: ID!) { resident(id: $id) { consent { restrictedCategories blockedOrganizations { code } } } }`;
  expect((await ok(residentToken(kept), CONSENT, { id: kept })).resident.consent).toEqual({ restrictedCategories: ['HIV_STI'], blockedOrganizations: [] });
  // Replaced by the resident, the choice is gone under both ids.
  await ok(residentToken(kept), `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [], blockedOrganizations: []) { updatedAt } }`, {
    id: kept,
  });
  expect(reportIds(await ok(doctorAt(HOSPITAL), RECORD, { id: kept }))).toEqual([hivTest]);
  expect(await models.access.Consent.findById(duplicate).lean()).toMatchObject({ restrictedCategories: [] });
});

it('files writes under the merged id on the survivor', async () => {
  await modelsOf(stack).labs.Laboratory.create({ _id: HOSPITAL, certifiedScope: 'CITY' });
  const input = {
    residentId: mergedId,
    sourceReportId: 'R-MERGED-1',
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: new Date(Date.now() - 3_600_000).toISOString(),
    subjectSex: 'FEMALE',
    subjectBirthDate: '1960-03-15',
    results: [{ code: '14749-6', value: 5.4, unit: 'mmol/L' }],
  };
  const lab = stack.token({ subject: 'lis-1', roles: ['lab_system'], organizationCode: HOSPITAL });
  const { id } = (await ok(lab, `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, { input })).submitLabReport;
  expect((await modelsOf(stack).labs.LabReport.findById(id).lean())!.residentId).toBe(survivor);
});

it('undoes all of it on unmerge: the duplicate desk no longer reaches the survivor', async () => {
  await ok(privacyOfficer(), `mutation($m: ID!) { unmergeResident(mergedId: $m, reason: "误合并，撤销") { id } }`, { m: mergedId });
  expect(await codes(doctorAt(DUPLICATE_DESK), RECORD, { id: survivor })).toEqual(['FORBIDDEN']);
  const data = await ok(doctorAt(HOSPITAL), RECORD, { id: survivor });
  expect(reportIds(data)).not.toContain(reportUnderMerged);
});
