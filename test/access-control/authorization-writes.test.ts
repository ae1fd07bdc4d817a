/**
 * The authorization matrix's write side for care itself (records, labs, prescriptions,
 * referrals, contracts, consent, the index): every mutation with valid input, through the real
 * gateway (describeWriteMatrix), and bad input. The services beside care run the same matrix in
 * authorization-writes-services.test.ts, on a stack of their own.
 */
import { entryPoints } from '../support/entry-points';
import { insertHospitals, modelsOf, newId } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { serviceWriteCases } from './service-write-cases';
import { writeCases } from './write-cases';
import { describeWriteMatrix } from './write-matrix';
import { HOSPITAL, STRANGER, writeScenarios } from './write-scenarios';

jest.setTimeout(180_000);

const { stack, ok } = useStack();
const scenarios = writeScenarios({ stack, ok });
const { doctor, familyDoctor, pharmacist, resident, privacyOfficer, codesOf, snapshot } = scenarios;
const WRITES = writeCases(scenarios);

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.insertMany([
    { _id: HOSPITAL, certifiedScope: 'CITY' },
    { _id: STRANGER, certifiedScope: 'CITY' },
  ]);
});

it("covers every mutation of the supergraph, between this file and the services' one", () => {
  expect([...Object.keys(WRITES), ...Object.keys(serviceWriteCases(scenarios))].sort()).toEqual(entryPoints().mutations);
});

// Registration is where standing arises and a break-glass review is oversight: no outsider. The
// batch uploads decide as the single mutations do and never record a relationship
// (test/gateway/uploads/uploads.test.ts reads after an outsider's upload).
describeWriteMatrix(
  stack,
  scenarios,
  WRITES,
  (name) => ['registerResident', 'closeBreakGlassReview', 'publishSlotPools'].includes(name) || name.startsWith('upload'),
);

describe('bad input: a clear error, nothing written, and no hint whether a resident exists', () => {
  const aboutResidents = [
    'recordEncounter',
    'recordCondition',
    'recordAllergy',
    'submitLabReport',
    'uploadEncounters',
    'uploadConditions',
    'uploadAllergies',
    'uploadLabReports',
    'uploadPrescriptions',
    'checkOrder',
    'issuePrescription',
    'requestReferral',
    'signContract',
  ];
  it.each(aboutResidents)('%s: an unknown resident gets the same answer as one the caller may not see', async (name) => {
    const { query, prepare } = WRITES[name]!;
    const { residentId, denied } = await prepare();
    const attempt = denied.otherOrganization!;
    const unknown = JSON.parse(JSON.stringify(attempt.variables).replaceAll(residentId, newId()));
    const before = await snapshot();
    const seen = await stack.query(attempt.token, query, attempt.variables);
    const unseen = await stack.query(attempt.token, query, unknown);
    expect(unseen.body).toEqual(seen.body);
    expect(codesOf(seen.body)).toEqual(['FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['signPrescription', `mutation($id: ID!) { signPrescription(id: $id) { id } }`, () => doctor()],
    ['dispensePrescription', `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-3") { id } }`, () => pharmacist()],
    ['acceptReferral', `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, () => doctor()],
    ['cancelReferral', `mutation($id: ID!) { cancelReferral(id: $id, reason: "患者已在他院就诊") { id } }`, () => familyDoctor()],
    ['renewContract', `mutation($id: ID!) { renewContract(id: $id, until: "2030-01-01") { id } }`, () => familyDoctor()],
    ['acceptContract', `mutation($id: ID!) { acceptContract(id: $id) { id } }`, () => resident(newId())],
    ['resolveMatchReview', `mutation($id: ID!) { resolveMatchReview(id: $id, decision: LINK, reason: "经核实为同一人") { id } }`, () => privacyOfficer()],
    ['unmergeResident', `mutation($id: ID!) { unmergeResident(mergedId: $id, reason: "误合并，撤销") { id } }`, () => privacyOfficer()],
  ])('%s of an unknown id is NOT_FOUND and writes nothing', async (_name, query, token) => {
    const before = await snapshot();
    const { body } = await stack.query(token(), query, { id: newId() });
    expect(codesOf(body)).toEqual(['NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [
      'a malformed resident id',
      `mutation { issuePrescription(input: { residentId: "../x", clientRequestId: "req-malformed-1", diagnoses: [], items: [] }) { id } }`,
      () => doctor(),
    ],
    ['a malformed prescription id', `mutation { signPrescription(id: "{$ne:1}") { id } }`, () => doctor()],
    ['a malformed referral id', `mutation { acceptReferral(id: "x") { id } }`, () => doctor()],
    ['a malformed contract id', `mutation { acceptContract(id: "../x") { id } }`, () => resident(newId())],
  ])('%s is BAD_USER_INPUT and writes nothing', async (_label, query, token) => {
    const before = await snapshot();
    const { body } = await stack.query(token(), query);
    expect(codesOf(body)).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot()).toEqual(before);
  });
});
