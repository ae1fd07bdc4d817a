/**
 * <Type>?patient= over the real gateway: one kind of the record, paged by next links, refused
 * and audited as the same list of $everything is. Every answer (each page, the empty search,
 * the refusals) is validated as FHIR R4 by the independent validator (support/fhir-client.ts).
 */
import type { Bundle, DiagnosticReport, OperationOutcome } from '@medplum/fhirtypes';
import { EVERYTHING_LISTS } from '../../../gateway/fhir/queries';
import { allPages, fhirRequest, resourcesOf } from '../../support/fhir-client';
import { insertHospitals, insertResidents } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const STRANGER = '3201-H002';
const { stack } = useStack();
let resident: string;
let empty: string;

beforeAll(async () => {
  await insertHospitals(stack);
  [resident] = (await insertResidents(stack, {
    organizationCode: HOSPITAL,
    count: 1,
    encountersEach: 3,
    conditionsEach: 2,
    allergiesEach: 1,
    reportsEach: 3,
    prescriptionsEach: 1,
  })) as [string];
  [empty] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
});

const doctor = (organizationCode = HOSPITAL) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: 'D1' });
/** The resources of each page that match the search (not the included ones), by type. */
const matchedPerPage = (pages: Bundle[]) =>
  pages.map((page) => (page.entry ?? []).filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource!.resourceType));

describe.each([
  ['Encounter', `patient=RESIDENT&_count=2`, [['Encounter', 'Encounter'], ['Encounter']]],
  ['Condition', `patient=Patient/RESIDENT`, [['Condition', 'Condition']]],
  ['AllergyIntolerance', `patient=RESIDENT`, [['AllergyIntolerance']]],
  ['DiagnosticReport', `patient=RESIDENT&_count=2`, [['DiagnosticReport', 'DiagnosticReport'], ['DiagnosticReport']]],
  ['MedicationRequest', `patient=RESIDENT`, [['MedicationRequest']]],
  ['Observation', `patient=RESIDENT&category=laboratory&_count=2`, [['Observation', 'Observation'], ['Observation']]],
])('GET /%s?%s', (type, query, expected) => {
  it('gives the resident’s records of that kind, page by page', async () => {
    const { pages } = await allPages(stack, doctor(), `/${type}?${query.replace('RESIDENT', resident)}`);
    expect(pages.map((page) => page.type)).toEqual(expected.map(() => 'searchset'));
    expect(matchedPerPage(pages)).toEqual(expected);
  });
});

it('includes the Observations a DiagnosticReport points at, so its results resolve in the Bundle', async () => {
  const { body } = await fhirRequest<Bundle>(stack, doctor(), `/DiagnosticReport?patient=${resident}`);
  const present = new Set(resourcesOf(body).map((resource) => `${resource.resourceType}/${resource.id}`));
  const results = (resourcesOf(body, 'DiagnosticReport') as DiagnosticReport[]).flatMap((report) => report.result!.map((result) => result.reference!));
  expect(results).toHaveLength(3);
  expect(results.filter((reference) => !present.has(reference))).toEqual([]);
  expect(body.entry!.find((entry) => entry.resource!.resourceType === 'Observation')!.search).toEqual({ mode: 'include' });
});

it('answers a search that finds nothing with a searchset without entries', async () => {
  for (const type of ['Encounter', 'Condition', 'AllergyIntolerance', 'DiagnosticReport', 'MedicationRequest']) {
    const { status, body } = await fhirRequest<Bundle>(stack, doctor(), `/${type}?patient=${empty}`);
    expect([type, status, body.type, body.entry]).toEqual([type, 200, 'searchset', undefined]);
  }
});

it('refuses a doctor without a care relationship, and a patient no one knows, with 403 as OperationOutcomes (as $everything)', async () => {
  const refused = await fhirRequest<OperationOutcome>(stack, doctor(STRANGER), `/Encounter?patient=${resident}`);
  expect([refused.status, refused.body.issue[0]!.code]).toEqual([403, 'forbidden']);
  expect(refused.text).not.toContain('测试');
  const unknown = await fhirRequest<OperationOutcome>(stack, doctor(), '/Condition?patient=0123456789abcdef01234567');
  expect([unknown.status, unknown.body.issue[0]!.code]).toEqual([403, 'forbidden']);
});

it.each([
  ['/Encounter', 'Encounter search needs patient (an id or Patient/id)'],
  ['/Encounter?patient=RESIDENT&date=ge2026-01-01', 'Encounter search does not support the parameter date'],
  ['/AllergyIntolerance?patient=RESIDENT&_count=5', 'AllergyIntolerance search does not support the parameter _count'],
  ['/Condition?patient=RESIDENT&_count=31', '_count must be a whole number from 1 to 30'],
  [
    '/Observation?patient=RESIDENT&category=vital-signs',
    'category must be laboratory or imaging, optionally as http://terminology.hl7.org/CodeSystem/observation-category|code',
  ],
])('refuses %s with 400', async (path, message) => {
  const { status, body } = await fhirRequest<OperationOutcome>(stack, doctor(), path.replace('RESIDENT', resident));
  expect(status).toBe(400);
  expect(body.issue).toEqual([{ severity: 'error', code: 'invalid', details: { text: message } }]);
});

it("refuses another search's cursor", async () => {
  const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Encounter?patient=${resident}&_count=1`);
  const next = new URL(body.link!.find((link) => link.relation === 'next')!.url);
  const { status, body: refused } = await fhirRequest<OperationOutcome>(stack, doctor(), `/Condition${next.search}`);
  expect([status, refused.issue[0]!.details!.text]).toEqual([400, '_cursor is not a cursor this server gave for a Condition search']);
});

it('audits a search as the GraphQL read $everything runs for the same list: same subgraph, kinds of data and outcome', async () => {
  const AUDIT_SEARCH = `query($id: ID!) { auditEvents(filter: { residentId: $id }, first: 100) { edges { node { requestId source action outcome dataKinds } } } }`;
  const token = doctor();
  const fhir = await fhirRequest<Bundle>(stack, token, `/Encounter?patient=${resident}&_count=2`);
  const graphql = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: EVERYTHING_LISTS.encounters, variables: { id: resident, first: 2, after: null } }),
  });
  const search = await stack.query(stack.token({ subject: 'po', roles: ['privacy_officer'] }), AUDIT_SEARCH, { id: resident });
  type Event = { requestId: string; source: string; action: string; outcome: string; dataKinds: string[] };
  const events = (search.body.data!.auditEvents.edges as { node: Event }[]).map((edge) => edge.node);
  const of = (requestId: string | null) =>
    events.filter((event) => event.requestId === requestId).map(({ source, action, outcome, dataKinds }) => ({ source, action, outcome, dataKinds }));
  expect(of(fhir.requestId)).toEqual([{ source: 'records', action: 'READ', outcome: 'ALLOWED', dataKinds: ['demographics', 'encounters'] }]);
  expect(of(fhir.requestId)).toEqual(of(graphql.headers.get('x-request-id')));
});
