/**
 * The canary sweep of test/access-control/canaries.test.ts, over FHIR: the same planted restricted records,
 * the same viewers, every FHIR endpoint (every page of $everything, $summary, Patient read and
 * search, Observation search of the restricted and the neutral analyte, the searches by patient). What a viewer may
 * not see appears in no FHIR response or log line; the resident and the parties do see it,
 * so the sweep can fail. Every answer is validated as FHIR R4 on the way.
 */
import type { DemoIdentity } from '../../../tools/demo-issuer';
import { CANARY, CANARY_VIEWERS, type ConsentScenario, plantCanaries, referralSecrets, SOURCE, sourceSecrets } from '../../support/consent-scenario';
import { allPages, fhirRequest } from '../../support/fhir-client';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const logLines: string[] = [];
const { stack } = useStack({ logLines });
let scenario: ConsentScenario;

beforeAll(async () => {
  scenario = await plantCanaries(stack);
});

// FHIR serves no lab-report history, so the canary that survives only there is not asked for.
const fhirSourceSecrets = () => sourceSecrets(scenario).filter((secret) => secret !== CANARY.labHistory);

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
    ...['Encounter', 'Condition', 'AllergyIntolerance', 'DiagnosticReport', 'MedicationRequest'].map((type) => `/${type}?patient=${id}&_count=30`),
    `/Observation?patient=${id}&category=laboratory&_count=30`,
  ]) {
    texts.push((await fhirRequest(stack, token, path)).text);
  }
  return texts.join('\n');
}

describe.each(Object.keys(CANARY_VIEWERS))('as %s', (name) => {
  it('sees exactly the canaries it is a party to, on every FHIR endpoint', async () => {
    const { identity, sees } = CANARY_VIEWERS[name]!;
    const seen = await everythingSeenBy(identity(scenario));
    const leaked = (secrets: string[]) => secrets.filter((secret) => seen.includes(secret));
    expect(leaked(fhirSourceSecrets())).toEqual(sees === 'all' ? fhirSourceSecrets() : []);
    expect(leaked(referralSecrets(scenario))).toEqual(sees === 'nothing' ? [] : referralSecrets(scenario));
  });
});

it('writes no canary, and no id of a withheld record, into any log line', () => {
  expect(logLines.length).toBeGreaterThan(0);
  const all = logLines.join('\n');
  expect([...fhirSourceSecrets(), ...referralSecrets(scenario)].filter((secret) => all.includes(secret))).toEqual([]);
});
