/**
 * A FHIR $everything page costs the database what it costs for a resident with one record of
 * each kind, whatever the resident's number of records: each list is one batched operation
 * through the gateway. Counted by the commands the subgraphs send, not by timing.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { fhirRequest, resourcesOf } from '../../support/fhir-client';
import { insertHospitals, insertResidents, modelsOf, ONE_OF_EACH, type ResidentFixture, TEST_HOSPITALS } from '../../support/fixtures';
import { roundTripsOf } from '../../support/round-trips';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(300_000);

const HOSPITAL = '3201-H001';
const OTHER_HOSPITALS = TEST_HOSPITALS.map((hospital) => hospital._id).filter((code) => code !== HOSPITAL);
/** 2,000 records: 1,988 clinical ones and care relationships with all 12 test hospitals. */
const TWO_THOUSAND = {
  encountersEach: 500,
  conditionsEach: 300,
  allergiesEach: 100,
  reportsEach: 400,
  prescriptionsEach: 400,
  referralsEach: 288,
  alsoSeenAt: OTHER_HOSPITALS,
} satisfies Partial<ResidentFixture>;

const { stack } = useStack();
let light: string;
let heavy: string;
beforeAll(async () => {
  await insertHospitals(stack);
  // The community health centre the fixtures' referrals come from.
  await modelsOf(stack).records.Organization.create({
    _id: '3201-C001',
    name: '玄武区红山街道社区卫生服务中心',
    level: 'COMMUNITY',
    district: '玄武区',
    outpatientVisits: 0,
    discharges: 0,
  });
  [light] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...ONE_OF_EACH })) as [string];
  [heavy] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...TWO_THOUSAND })) as [string];
});

const countsOf = (bundle: Bundle) =>
  Object.fromEntries(
    ['Encounter', 'Condition', 'AllergyIntolerance', 'DiagnosticReport', 'MedicationRequest', 'ServiceRequest'].map((type) => [
      type,
      resourcesOf(bundle, type).length,
    ]),
  );

it.each([
  ['a doctor at a hospital that cares for them', (_residentId: string) => ({ subject: 'dr-qian', roles: ['doctor' as const], organizationCode: HOSPITAL })],
  ['the resident themself', (residentId: string) => ({ subject: `citizen-${residentId}`, roles: ['resident' as const], residentId })],
])('$everything for 2,000 records costs the round trips of one record of each kind, read by %s', async (_viewer, identity) => {
  let lightPage = {} as Bundle;
  let heavyPage = {} as Bundle;
  // Every subgraph reads the organization registry whole on first use (organization-catalogue.ts): read it before counting.
  await fhirRequest<Bundle>(stack, stack.token(identity(light)), `/Patient/${light}/$everything?_count=30`);
  const forLight = await stack.commandsDuring(async () => {
    lightPage = (await fhirRequest<Bundle>(stack, stack.token(identity(light)), `/Patient/${light}/$everything?_count=30`)).body;
  });
  const forHeavy = await stack.commandsDuring(async () => {
    heavyPage = (await fhirRequest<Bundle>(stack, stack.token(identity(heavy)), `/Patient/${heavy}/$everything?_count=30`)).body;
  });

  expect(countsOf(lightPage)).toEqual({ Encounter: 1, Condition: 1, AllergyIntolerance: 1, DiagnosticReport: 1, MedicationRequest: 1, ServiceRequest: 1 });
  // Not vacuous: the heavy page is full (allergies are not paged) and has a next page.
  expect(countsOf(heavyPage)).toEqual({
    Encounter: 30,
    Condition: 30,
    AllergyIntolerance: 100,
    DiagnosticReport: 30,
    MedicationRequest: 30,
    ServiceRequest: 30,
  });
  expect(lightPage.link!.map((link) => link.relation)).toEqual(['self']);
  expect(heavyPage.link!.map((link) => link.relation)).toEqual(['self', 'next']);
  expect(roundTripsOf(forHeavy)).toEqual(roundTripsOf(forLight));
});

it('the next page of 2,000 records costs the round trips of the next page of 31 of each kind', async () => {
  const [medium] = (await insertResidents(stack, {
    organizationCode: HOSPITAL,
    count: 1,
    encountersEach: 31,
    conditionsEach: 31,
    allergiesEach: 1,
    reportsEach: 31,
    prescriptionsEach: 31,
    referralsEach: 31,
  })) as [string];
  const token = stack.token({ subject: 'dr-qian', roles: ['doctor'], organizationCode: HOSPITAL });
  const secondPage = async (residentId: string) => {
    const { body: first } = await fhirRequest<Bundle>(stack, token, `/Patient/${residentId}/$everything?_count=30`);
    const next = first.link!.find((link) => link.relation === 'next')!.url;
    let page = {} as Bundle;
    const commands = await stack.commandsDuring(async () => {
      page = (await fhirRequest<Bundle>(stack, token, next)).body;
    });
    return { page, commands };
  };
  const ofMedium = await secondPage(medium);
  const ofHeavy = await secondPage(heavy);
  expect(countsOf(ofMedium.page)).toEqual({ Encounter: 1, Condition: 1, AllergyIntolerance: 0, DiagnosticReport: 1, MedicationRequest: 1, ServiceRequest: 1 });
  expect(countsOf(ofHeavy.page)).toEqual({
    Encounter: 30,
    Condition: 30,
    AllergyIntolerance: 0,
    DiagnosticReport: 30,
    MedicationRequest: 30,
    ServiceRequest: 30,
  });
  expect(resourcesOf(ofHeavy.page, 'Patient')).toEqual([]);
  expect(roundTripsOf(ofHeavy.commands)).toEqual(roundTripsOf(ofMedium.commands));
});
