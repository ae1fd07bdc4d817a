/**
 * The canary sweep of test/canaries.test.ts, over FHIR: the same planted restricted records,
 * the same viewers, every FHIR endpoint (every page of $everything, $summary, Patient read and
 * search, Observation search of the restricted and the neutral analyte). What a viewer may
 * not see appears in no FHIR response or log line; the resident and the parties do see it,
 * so the sweep can fail. Every answer is validated as FHIR R4 on the way.
 */
import type { DemoIdentity } from '../tools/demo-issuer';
import { CANARY, EMERGENCY, identities, INTERNET, PHARMACY, plantCanaries, RECEIVER, RELATED, SOURCE, STRANGER, type ConsentScenario } from './support/consent-scenario';
import { allPages, fhirRequest } from './support/fhir-client';
import { TestStack } from './support/stack';

jest.setTimeout(180_000);

let stack: TestStack;
let scenario: ConsentScenario;
const logLines: string[] = [];

beforeAll(async () => {
  stack = await TestStack.start({ logLines });
  scenario = await plantCanaries(stack);
});
afterAll(() => stack?.stop());

const sourceSecrets = () => [
  CANARY.encounter,
  CANARY.condition,
  CANARY.prescriptionDiagnosis,
  CANARY.prescriptionDrugDiagnosis,
  CANARY.escitalopram,
  CANARY.omeprazole,
  CANARY.labReport,
  scenario.ids.psychiatricEncounter,
  scenario.ids.psychiatricCondition,
  scenario.ids.omeprazole,
  scenario.ids.escitalopram,
  scenario.ids.hivReport,
];
const referralSecrets = () => [
  CANARY.referralDiagnosis,
  CANARY.referralReason,
  CANARY.referralDepartment,
  scenario.ids.referralByDiagnosis,
  scenario.ids.referralByDepartment,
  scenario.ids.referralByReason,
];

const VIEWERS: Record<string, { identity: () => DemoIdentity; sees: 'all' | 'referrals' | 'nothing' }> = {
  resident: { identity: () => identities.self(scenario.residentId), sees: 'all' },
  sourceDoctor: { identity: () => identities.doctorAt(SOURCE), sees: 'all' },
  receivingDoctor: { identity: () => identities.doctorAt(RECEIVER), sees: 'referrals' },
  relatedDoctor: { identity: () => identities.doctorAt(RELATED), sees: 'nothing' },
  emergencyDoctor: { identity: () => identities.doctorAt(EMERGENCY), sees: 'nothing' },
  strangerDoctor: { identity: () => identities.doctorAt(STRANGER), sees: 'nothing' },
  familyDoctor: { identity: () => identities.familyDoctor('3201-C001'), sees: 'nothing' },
  internetHospital: { identity: () => identities.internetHospital(INTERNET), sees: 'nothing' },
  pharmacist: { identity: () => identities.pharmacist(PHARMACY), sees: 'nothing' },
  relatedHospitalSystem: { identity: () => identities.hospitalSystem(RELATED), sees: 'nothing' },
  sourceLabSystem: { identity: () => identities.labSystem(SOURCE), sees: 'nothing' },
  healthCommission: { identity: () => identities.healthCommission(), sees: 'nothing' },
  privacyOfficer: { identity: () => identities.privacyOfficer(), sees: 'nothing' },
  otherResident: { identity: () => ({ subject: 'citizen-other', roles: ['resident'], residentId: 'eeeeeeeeeeeeeeeeeeeeeeee' }), sees: 'nothing' },
};

/** Everything one viewer gets back from the FHIR API, as text. */
async function everythingSeenBy(identity: DemoIdentity): Promise<string> {
  const token = stack.token(identity);
  const id = scenario.residentId;
  const texts = [(await allPages(stack, token, `/Patient/${id}/$everything?_count=1`)).text];
  for (const path of [
    `/Patient/${id}`,
    `/Patient/${id}/$summary`,
    `/Patient?identifier=${encodeURIComponent(`urn:jinling-hie:mrn:${identity.organizationCode ?? SOURCE}|MRN-CANARY-${identity.organizationCode ?? SOURCE}`)}`,
    `/Observation?patient=${id}&code=75622-1`,
    `/Observation?patient=${id}&code=14749-6`,
  ]) {
    texts.push((await fhirRequest(stack, token, path)).text);
  }
  return texts.join('\n');
}

describe.each(Object.keys(VIEWERS))('as %s', (name) => {
  it('sees exactly the canaries it is a party to, on every FHIR endpoint', async () => {
    const { identity, sees } = VIEWERS[name]!;
    const seen = await everythingSeenBy(identity());
    const leaked = (secrets: string[]) => secrets.filter((secret) => seen.includes(secret));
    expect(leaked(sourceSecrets())).toEqual(sees === 'all' ? sourceSecrets() : []);
    expect(leaked(referralSecrets())).toEqual(sees === 'nothing' ? [] : referralSecrets());
  });
});

it('writes no canary, and no id of a withheld record, into any log line', () => {
  expect(logLines.length).toBeGreaterThan(0);
  const all = logLines.join('\n');
  expect([...sourceSecrets(), ...referralSecrets()].filter((secret) => all.includes(secret))).toEqual([]);
});
