/**
 * The authorization matrix's write side: every mutation with valid input, through the real
 * gateway. A caller with standing succeeds; callers without it (another organization, another
 * practitioner, a wrong role, a merged-away id) get FORBIDDEN and change nothing, read back
 * from every database; and after a write attempted by an organization without standing, its
 * doctors still cannot read the resident.
 */
import { entryPoints } from '../support/entry-points';
import { insertHospitals, modelsOf, newId } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { hospitalBookingWriteCases } from './hospital-booking-write-cases';
import { writeCases } from './write-cases';
import { HOSPITAL, NAME, STRANGER, writeScenarios } from './write-scenarios';

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

it('covers every mutation of the supergraph', () => {
  // The hospital bookings' cases run on a stack of their own (authorization-writes-hospital-bookings.test.ts), keeping this one's access store small.
  expect([...Object.keys(WRITES), ...Object.keys(hospitalBookingWriteCases(scenarios))].sort()).toEqual(entryPoints().mutations);
});

describe('valid input: the caller with standing succeeds; callers without it are refused and change nothing', () => {
  it.each(Object.keys(WRITES))('%s', async (name) => {
    const { query, prepare } = WRITES[name]!;
    const prepared = await prepare();
    for (const [label, attempt] of Object.entries(prepared.denied)) {
      const before = await snapshot();
      const { body, text } = await stack.query(attempt.token, query, attempt.variables);
      expect([label, codesOf(body)]).toEqual([label, ['FORBIDDEN']]);
      expect(text).not.toContain(NAME);
      expect([label, await snapshot()]).toEqual([label, before]);
    }
    const { body } = await stack.query(prepared.allowed.token, query, prepared.allowed.variables);
    expect(body.errors).toBeUndefined();
    expect(codesOf(body)).toEqual([]);
  });
});

describe('after a write attempted by an organization without standing, its doctors still cannot read the resident', () => {
  // The batch uploads decide as the single mutations do and never record a relationship
  // (test/gateway/uploads/uploads.test.ts reads after an outsider's upload): left out here to keep the access
  // store of this file under the size at which the suite's index-use check counts its snapshots.
  // The centre's acts on an order are left out for the same reason; their outsider, another
  // centre, is refused by the valid-input cases above, and orderNursing's outsider is kept.
  const NURSING_ACTS = ['acceptNursingOrder', 'refuseNursingOrder', 'recordNursingVisit', 'completeNursingOrder', 'cancelNursingOrder'];
  const withOutsider = Object.keys(WRITES).filter(
    (name) =>
      !['registerResident', 'closeBreakGlassReview', 'publishSlotPools', 'publishCheckupPackages'].includes(name) &&
      !name.startsWith('upload') &&
      !NURSING_ACTS.includes(name),
  );
  it.each(withOutsider)('%s', async (name) => {
    const { query, prepare } = WRITES[name]!;
    const { residentId, outsider } = await prepare();
    await stack.query(outsider!.attempt.token, query, outsider!.attempt.variables);
    const read = await stack.query(
      doctor(outsider!.organizationCode, 'D-READ'),
      `query($id: ID!) { resident(id: $id) { name encounters { edges { node { id } } } } }`,
      { id: residentId },
    );
    expect(codesOf(read.body)).toEqual(['FORBIDDEN']);
    expect(read.text).not.toContain(NAME);
  });
});

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
