/**
 * The FHIR R4 API at /fhir/R4 over the real gateway and subgraphs: what each endpoint answers,
 * in which terminology, paged how, refused how; every answer validated against the R4
 * specification by @medplum/core's validator (support/fhir-client.ts).
 */
import type { Bundle, CapabilityStatement, Composition, Encounter, Observation, OperationOutcome, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { type ConsentScenario, identities, plantCanaries, RELATED, SOURCE, STRANGER } from '../../support/consent-scenario';
import { allPages, fhirRequest, resourcesOf, typesOf } from '../../support/fhir-client';
import { insertResidents, labReport, modelsOf, newId, prescriptionDoc, referralDoc } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const { stack } = useStack();
let scenario: ConsentScenario;
/** A resident of the fixtures with five encounters, an allergy, a dispensed prescription and glucose results from two hospitals. */
let fixtureResident: string;
const PHARMACY = '3201-P01';
/** Where the fixtures' referrals come from. */
const CENTRE = '3201-C001';

beforeAll(async () => {
  scenario = await plantCanaries(stack);
  const models = modelsOf(stack);
  await models.records.Organization.insertMany([
    { _id: PHARMACY, name: '南京医药云药房', level: 'PHARMACY', district: '秦淮区', outpatientVisits: 0, discharges: 0 },
    { _id: CENTRE, name: '玄武区红山街道社区卫生服务中心', level: 'COMMUNITY', district: '玄武区', outpatientVisits: 0, discharges: 0 },
  ]);
  [fixtureResident] = (await insertResidents(stack, {
    organizationCode: SOURCE,
    count: 1,
    encountersEach: 5,
    conditionsEach: 1,
    allergiesEach: 1,
    referralsEach: 1,
    alsoSeenAt: [RELATED],
  })) as [string];
  const dispensed = prescriptionDoc({
    residentId: fixtureResident,
    organizationCode: SOURCE,
    drugCodes: ['H20093454'],
    status: 'DISPENSED',
    pharmacyCode: PHARMACY,
  });
  await models.prescriptions.Prescription.create({
    ...dispensed,
    dispensing: { pharmacist: 'PH-0001', pharmacyCode: PHARMACY, at: new Date('2026-10-02T03:00:00.000Z'), lot: 'LOT-2026-77', substitutions: [] },
  });
  // One analyte from two hospitals, one of them reporting in mg/dL.
  await models.labs.LabReport.insertMany([
    labReport({
      residentId: fixtureResident,
      organizationCode: SOURCE,
      code: '14749-6',
      results: [{ code: '14749-6', value: 5.5, unit: 'mmol/L' }],
      issuedAt: new Date('2026-10-01T01:00:00.000Z'),
    }),
    labReport({
      residentId: fixtureResident,
      organizationCode: RELATED,
      code: '14749-6',
      results: [{ code: '14749-6', value: 126, unit: 'mg/dL' }],
      issuedAt: new Date('2026-10-05T01:00:00.000Z'),
    }),
  ]);
});

const doctorAt = (organizationCode: string) => stack.token(identities.doctorAt(organizationCode));

describe('GET /metadata', () => {
  it('lists exactly the resources, interactions and operations implemented', async () => {
    const { status, contentType, body } = await fhirRequest<CapabilityStatement>(stack, doctorAt(SOURCE), '/metadata');
    expect(status).toBe(200);
    expect(contentType).toBe('application/fhir+json; charset=utf-8');
    expect(body.fhirVersion).toBe('4.0.1');
    expect(body.rest![0]!.operation!.map((operation) => operation.name)).toEqual(['import']);
    expect(body.rest![0]!.interaction!.map((interaction) => interaction.code)).toEqual(['transaction', 'batch']);
    const resources = body.rest![0]!.resource!.map((resource) => ({
      type: resource.type,
      interactions: resource.interaction?.map((interaction) => interaction.code),
      search: resource.searchParam?.map((param) => param.name),
      operations: resource.operation?.map((operation) => operation.name),
    }));
    expect(resources).toEqual([
      { type: 'Patient', interactions: ['read', 'search-type'], search: ['identifier'], operations: ['everything', 'summary'] },
      { type: 'Observation', interactions: ['search-type'], search: ['patient', 'code', 'category', 'date'], operations: undefined },
      ...['Encounter', 'Condition', 'AllergyIntolerance', 'DiagnosticReport', 'MedicationRequest'].map((type) => ({
        type,
        interactions: ['search-type'],
        search: ['patient'],
        operations: undefined,
      })),
    ]);
  });
});

describe('GET /Patient/{id}', () => {
  it('gives the resident their own identifiers in full', async () => {
    const { status, body } = await fhirRequest<Patient>(stack, stack.token(identities.self(scenario.residentId)), `/Patient/${scenario.residentId}`);
    expect(status).toBe(200);
    expect(body.meta?.security).toBeUndefined();
    expect(body.gender).toBe('female');
    expect(body.birthDate).toBe('1981-04-12');
    expect(body.name).toEqual([{ use: 'official', text: '周静怡' }]);
    expect(body.telecom).toEqual([{ system: 'phone', value: '13655550123', use: 'mobile' }]);
    expect(body.identifier!.find((identifier) => identifier.system === 'urn:jinling-hie:resident-id-card')?.value).toMatch(/^320104198104120\d{2}[\dX]$/);
  });

  it('keeps masked identifiers masked for a doctor, and labels the resource MASKED', async () => {
    const { status, body } = await fhirRequest<Patient>(stack, doctorAt(SOURCE), `/Patient/${scenario.residentId}`);
    expect(status).toBe(200);
    expect(body.meta?.security).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'MASKED', display: 'masked' }]);
    const idCard = body.identifier!.find((identifier) => identifier.system === 'urn:jinling-hie:resident-id-card');
    expect(idCard?.value).toMatch(/^3201\*{10}\d{3}[\dX]$/);
    expect(body.telecom).toEqual([{ system: 'phone', value: '136****0123', use: 'mobile' }]);
    expect(body.identifier!.find((identifier) => identifier.system === `urn:jinling-hie:mrn:${SOURCE}`)).toEqual({
      use: 'official',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
      system: `urn:jinling-hie:mrn:${SOURCE}`,
      value: `MRN-CANARY-${SOURCE}`,
      assigner: { reference: `Organization/${SOURCE}`, display: '江苏省中医院' },
    });
  });

  it('refuses a doctor with no care relationship (403), an unknown resident (404) and a malformed id (400), as OperationOutcomes', async () => {
    const forbidden = await fhirRequest<OperationOutcome>(stack, doctorAt(STRANGER), `/Patient/${scenario.residentId}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.contentType).toBe('application/fhir+json; charset=utf-8');
    expect(forbidden.body.issue.map((issue) => [issue.severity, issue.code])).toEqual([['error', 'forbidden']]);
    expect(forbidden.text).not.toContain('周静怡');

    const unknown = await fhirRequest<OperationOutcome>(stack, stack.token({ subject: 'po', roles: ['privacy_officer'] }), `/Patient/${newId()}`);
    expect([unknown.status, unknown.body.issue[0]!.code]).toEqual([404, 'not-found']);
    const malformed = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '/Patient/not-an-id');
    expect([malformed.status, malformed.body.issue[0]!.code]).toEqual([400, 'invalid']);
  });
});

describe('GET /Patient?identifier=system|value', () => {
  it("finds the resident by the doctor's own hospital's medical record number", async () => {
    const { status, body } = await fhirRequest<Bundle>(
      stack,
      doctorAt(SOURCE),
      `/Patient?identifier=${encodeURIComponent(`urn:jinling-hie:mrn:${SOURCE}|MRN-CANARY-${SOURCE}`)}`,
    );
    expect(status).toBe(200);
    expect(body.type).toBe('searchset');
    expect(body.total).toBe(1);
    expect(resourcesOf(body).map((resource) => `${resource.resourceType}/${resource.id}`)).toEqual([`Patient/${scenario.residentId}`]);
  });

  it('finds nobody for a number no one holds', async () => {
    const { status, body } = await fhirRequest<Bundle>(
      stack,
      doctorAt(SOURCE),
      `/Patient?identifier=${encodeURIComponent(`urn:jinling-hie:mrn:${SOURCE}|MRN-NOBODY-0000`)}`,
    );
    // FHIR JSON has no empty arrays: a search without results has no entry at all.
    expect([status, body.total, body.entry]).toEqual([200, 0, undefined]);
    expect((body as { text?: unknown }).text).toBeUndefined();
  });

  it.each([
    ['no system', 'identifier=MRN-CANARY-3201-H001', 'identifier must be system|value, with one of the identifier systems of the CapabilityStatement'],
    ['an unknown system', 'identifier=http%3A%2F%2Fexample.org%7CX1234', 'Unknown identifier system http://example.org'],
    ['another parameter', 'name=%E5%91%A8', 'Patient search supports identifier only, not name'],
  ])('refuses %s with 400', async (_case, query, message) => {
    const { status, body } = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), `/Patient?${query}`);
    expect(status).toBe(400);
    expect(body.issue).toEqual([{ severity: 'error', code: 'invalid', details: { text: message } }]);
  });
});

describe('GET /Patient/{id}/$everything', () => {
  it('holds every kind of record, the organizations and practitioners they name, and a Provenance for every item', async () => {
    const { pages } = await allPages(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything`);
    expect(pages).toHaveLength(1);
    const [bundle] = pages as [Bundle];
    expect(bundle.type).toBe('searchset');
    expect(typesOf(bundle)).toEqual([
      'AllergyIntolerance',
      'Condition',
      'DiagnosticReport',
      'Encounter',
      'MedicationDispense',
      'MedicationRequest',
      'Observation',
      'Organization',
      'Patient',
      'Practitioner',
      'Provenance',
      'ServiceRequest',
    ]);
    expect(resourcesOf(bundle, 'Encounter')).toHaveLength(5);
    // Every clinical item is a target of exactly one Provenance, which names an Organization of the Bundle.
    const items = (bundle.entry ?? [])
      .filter((entry) => entry.search?.mode === 'match' && entry.resource!.resourceType !== 'Patient')
      .map((entry) => `${entry.resource!.resourceType}/${entry.resource!.id}`);
    const provenances = resourcesOf(bundle, 'Provenance') as Provenance[];
    const targets = provenances.flatMap((provenance) => provenance.target.map((target) => target.reference));
    expect([...targets].sort()).toEqual([...items].sort());
    const organizations = new Set(resourcesOf(bundle, 'Organization').map((organization) => `Organization/${organization.id}`));
    for (const provenance of provenances) expect(organizations.has(provenance.agent[0]!.who.reference!)).toBe(true);
    // Every reference to an organization or practitioner resolves inside the Bundle.
    const present = new Set(resourcesOf(bundle).map((resource) => `${resource.resourceType}/${resource.id}`));
    const references = JSON.stringify(bundle)
      .match(/"reference":"(Organization|Practitioner)\/[^"]+"/g)!
      .map((match) => match.slice(13, -1));
    expect(references.filter((reference) => !present.has(reference))).toEqual([]);
  });

  it('gives a dispensed prescription as a MedicationRequest and a MedicationDispense by the pharmacy', async () => {
    const { body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything`);
    const [request] = resourcesOf(body, 'MedicationRequest') as [Resource & Record<string, any>];
    expect(request.status).toBe('completed');
    expect(request.medicationCodeableConcept.coding).toEqual([{ system: 'urn:jinling-hie:nmpa-drug', code: 'H20093454', display: '苯磺酸氨氯地平片 5mg' }]);
    expect(request.dispenseRequest.expectedSupplyDuration).toEqual({ value: 7, system: 'http://unitsofmeasure.org', code: 'd', unit: 'd' });
    const [dispense] = resourcesOf(body, 'MedicationDispense') as [Resource & Record<string, any>];
    expect(dispense.authorizingPrescription).toEqual([{ reference: `MedicationRequest/${request.id}` }]);
    expect(dispense.whenHandedOver).toBe('2026-10-02T03:00:00.000Z');
    expect(dispense.performer[1]).toEqual({ actor: { reference: `Organization/${PHARMACY}`, display: '南京医药云药房' } });
    const provenance = (resourcesOf(body, 'Provenance') as Provenance[]).find((item) =>
      item.target.some((target) => target.reference === `MedicationDispense/${dispense.id}`),
    )!;
    expect(provenance.agent[0]!.who).toEqual({ reference: `Organization/${PHARMACY}`, display: '南京医药云药房' });
  });

  it('codes diagnoses in ICD-10 (Chinese edition) and labels sensitive items in meta.security', async () => {
    const { body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${scenario.residentId}/$everything`);
    const psychiatric = resourcesOf(body, 'Encounter').find((encounter) => encounter.id === scenario.ids.psychiatricEncounter) as Encounter;
    expect(psychiatric.meta?.security).toEqual([
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY', display: 'psychiatry disorder information sensitivity' },
      { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' },
    ]);
    expect(psychiatric.reasonCode).toEqual([
      { coding: [{ system: 'urn:jinling-hie:icd-10-cn', code: 'F32.9', display: 'CANARY-ENC-4401-抑郁发作' }], text: 'CANARY-ENC-4401-抑郁发作' },
    ]);
    const general = resourcesOf(body, 'Encounter').find((encounter) => encounter.id === scenario.ids.generalEncounter) as Encounter;
    expect(general.meta).toBeUndefined();
    const hiv = resourcesOf(body, 'DiagnosticReport').find((report) => report.id === scenario.ids.hivReport)!;
    expect(hiv.meta?.security?.map((label) => label.code)).toEqual(['HIV', 'R']);
    const glucose = resourcesOf(body, 'Observation').find((observation) => observation.id === `${scenario.ids.correctedReport}-14749-6`) as Observation;
    expect(glucose.code.coding).toEqual([{ system: 'http://loinc.org', code: '14749-6', display: '葡萄糖' }]);
    expect(glucose.valueQuantity).toEqual({ value: 5.1, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' });
  });

  it('pages by _count with next links that carry an opaque cursor; each record once, the Patient on the first page only', async () => {
    const { pages } = await allPages(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything?_count=2`);
    expect(pages.map((page) => resourcesOf(page, 'Encounter').length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => resourcesOf(page, 'Patient').length)).toEqual([1, 0, 0]);
    const encounters = pages.flatMap((page) => resourcesOf(page, 'Encounter').map((encounter) => encounter.id));
    expect(new Set(encounters).size).toBe(5);
    expect(pages[0]!.link!.find((link) => link.relation === 'next')!.url).toMatch(
      new RegExp(`/fhir/R4/Patient/${fixtureResident}/\\$everything\\?_count=2&_cursor=[A-Za-z0-9_-]+$`),
    );
  });

  it("serves the largest page within the gateway's cost limit", async () => {
    const { status, body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything?_count=30`);
    expect(status).toBe(200);
    expect(resourcesOf(body, 'Encounter')).toHaveLength(5);
  });

  it.each([
    ['_count=0', '_count must be a whole number from 1 to 30'],
    ['_count=31', '_count must be a whole number from 1 to 30'],
    ['_count=ten', '_count must be a whole number from 1 to 30'],
    ['_cursor=not-a-cursor', '_cursor is not a cursor this server gave'],
    ['_since=2026-01-01', 'This endpoint does not support the parameter _since'],
    ['_type=Encounter', 'This endpoint does not support the parameter _type'],
  ])('refuses %s with 400', async (query, message) => {
    const { status, body } = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything?${query}`);
    expect(status).toBe(400);
    expect(body.issue).toEqual([{ severity: 'error', code: 'invalid', details: { text: message } }]);
  });

  it("refuses another patient's cursor", async () => {
    const { body: first } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$everything?_count=2`);
    const next = first.link!.find((link) => link.relation === 'next')!.url.replace(fixtureResident, scenario.residentId);
    const { status, body } = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), next);
    expect(status).toBe(400);
    expect(body.issue[0]!.details!.text).toBe('_cursor is not a cursor this server gave for this patient');
  });

  it('says what it left out when a source answered incompletely, as an OperationOutcome entry', async () => {
    // A referral from an organization missing from the registry cannot be named (a data fault in the referrals
    // subgraph, masked): the gateway leaves the list out and says which.
    const [resident] = (await insertResidents(stack, { organizationCode: SOURCE, count: 1, encountersEach: 1 })) as [string];
    await modelsOf(stack).referrals.Referral.create(referralDoc({ residentId: resident, fromOrganizationCode: '3201-C999', toOrganizationCode: SOURCE }));
    const { status, body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${resident}/$everything`);
    expect(status).toBe(200);
    expect(typesOf(body)).toEqual(['Encounter', 'OperationOutcome', 'Organization', 'Patient', 'Practitioner', 'Provenance']);
    const [incomplete] = resourcesOf(body, 'OperationOutcome') as [OperationOutcome];
    expect(incomplete.issue).toEqual([{ severity: 'warning', code: 'incomplete', details: { text: 'referrals: Internal error' } }]);
    expect(body.entry!.find((entry) => entry.resource === body.entry!.at(-1)!.resource)!.search).toEqual({ mode: 'outcome' });
  });

  it('refuses a doctor with no care relationship with 403 and nothing else', async () => {
    const { status, body, text } = await fhirRequest<OperationOutcome>(stack, doctorAt(STRANGER), `/Patient/${fixtureResident}/$everything`);
    expect(status).toBe(403);
    expect(body.resourceType).toBe('OperationOutcome');
    expect(text).not.toContain('测试');
  });
});

describe('audit', () => {
  const ACCESS_LOG = `query($id: ID!) { resident(id: $id) { accessLog(first: 100) { edges { node { requestId source sources action outcome dataKinds purposeOfUse organization { code } } } } } }`;
  const AUDIT_SEARCH = `query($id: ID!) { auditEvents(filter: { residentId: $id }, first: 100) { edges { node { requestId source action outcome dataKinds purposeOfUse organization { code } } } } }`;
  const GRAPHQL_READ = `query($id: ID!) { resident(id: $id) { name allergies { assertion } encounters { edges { node { id } } } conditions { edges { node { id } } } labReports { edges { node { id } } } prescriptions { edges { node { id } } } referrals { edges { node { id } } } } }`;
  type Event = {
    requestId: string;
    source: string;
    action: string;
    outcome: string;
    dataKinds: string[];
    purposeOfUse: string;
    organization: { code: string };
  };

  /** Per subgraph: the kinds of data disclosed, and whether restricted items were left out of any of them. */
  const disclosed = (events: Event[]) =>
    Object.fromEntries(
      [...new Set(events.map((event) => event.source))].sort().map((source) => {
        const mine = events.filter((event) => event.source === source);
        return [
          source,
          {
            kinds: [...new Set(mine.flatMap((event) => event.dataKinds))].sort(),
            outcome: mine.some((event) => event.outcome === 'OMITTED') ? 'OMITTED' : 'ALLOWED',
          },
        ];
      }),
    );

  it('audits a FHIR $everything as the GraphQL read of the same record: same subgraphs, kinds of data and outcomes, under its request id', async () => {
    const token = doctorAt(RELATED);
    const fhir = await fhirRequest<Bundle>(stack, token, `/Patient/${scenario.residentId}/$everything`);
    expect(fhir.status).toBe(200);
    const graphql = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: GRAPHQL_READ, variables: { id: scenario.residentId } }),
    });
    expect(graphql.status).toBe(200);
    const graphqlRequestId = graphql.headers.get('x-request-id');

    // Each subgraph's own event, as privacy officers search them.
    const search = await stack.query(stack.token(identities.privacyOfficer()), AUDIT_SEARCH, { id: scenario.residentId });
    const events = (search.body.data!.auditEvents.edges as { node: Event }[]).map((edge) => edge.node);
    const ofFhir = events.filter((event) => event.requestId === fhir.requestId);
    const ofGraphql = events.filter((event) => event.requestId === graphqlRequestId);
    expect(ofFhir.every((event) => event.action === 'READ' && event.purposeOfUse === 'treatment' && event.organization.code === RELATED)).toBe(true);
    expect(disclosed(ofFhir)).toEqual({
      labs: { kinds: ['labs'], outcome: 'OMITTED' },
      prescriptions: { kinds: ['prescriptions'], outcome: 'OMITTED' },
      records: { kinds: ['allergies', 'conditions', 'demographics', 'encounters'], outcome: 'OMITTED' },
      referrals: { kinds: ['referrals'], outcome: 'OMITTED' },
    });
    expect(disclosed(ofFhir)).toEqual(disclosed(ofGraphql));

    // The resident reads each request as one entry.
    const log = await stack.query(stack.token(identities.self(scenario.residentId)), ACCESS_LOG, { id: scenario.residentId });
    const entries = (log.body.data!.resident.accessLog.edges as { node: Event & { sources: string[] } }[]).map((edge) => edge.node);
    const entryOf = (requestId: string | null) =>
      entries
        .filter((entry) => entry.requestId === requestId)
        .map(({ sources, dataKinds, outcome, action, purposeOfUse }) => ({ sources, dataKinds, outcome, action, purposeOfUse }));
    const expected = [
      {
        sources: ['labs', 'prescriptions', 'records', 'referrals'],
        dataKinds: ['allergies', 'conditions', 'demographics', 'encounters', 'labs', 'prescriptions', 'referrals'],
        outcome: 'OMITTED',
        action: 'READ',
        purposeOfUse: 'treatment',
      },
    ];
    expect(entryOf(fhir.requestId)).toEqual(expected);
    expect(entryOf(graphqlRequestId)).toEqual(expected);
  });

  it('audits a refused FHIR read as DENIED', async () => {
    const refused = await fhirRequest<OperationOutcome>(stack, doctorAt(STRANGER), `/Patient/${scenario.residentId}`);
    expect(refused.status).toBe(403);
    const log = await stack.query(stack.token(identities.self(scenario.residentId)), ACCESS_LOG, { id: scenario.residentId });
    const events = (log.body.data!.resident.accessLog.edges as { node: Event }[])
      .map((edge) => edge.node)
      .filter((event) => event.requestId === refused.requestId);
    expect(events.map((event) => [event.source, event.outcome, event.dataKinds, event.organization.code])).toEqual([
      ['records', 'DENIED', ['demographics'], STRANGER],
    ]);
  });
});

describe('GET /Patient/{id}/$summary', () => {
  it('is a document whose Composition has the problems, allergies, medications and results sections', async () => {
    const { status, body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}/$summary`);
    expect(status).toBe(200);
    expect(body.type).toBe('document');
    const composition = body.entry![0]!.resource as Composition;
    expect(composition.resourceType).toBe('Composition');
    expect(composition.type.coding).toEqual([{ system: 'http://loinc.org', code: '60591-5', display: 'Patient summary Document' }]);
    expect(composition.subject).toEqual({ reference: `Patient/${fixtureResident}` });
    expect(composition.section!.map((section) => [section.code!.coding![0]!.code, section.entry?.map((entry) => entry.reference!.split('/')[0])])).toEqual(
      [
        ['11450-4', ['Condition']],
        ['48765-2', ['AllergyIntolerance']],
        ['10160-0', ['MedicationRequest']],
        ['30954-2', ['DiagnosticReport', 'DiagnosticReport']],
      ].map(([code, types]) => [code, (types as string[]).length ? types : undefined]),
    );
    // Every section reference resolves inside the document.
    const present = new Set(resourcesOf(body).map((resource) => `${resource.resourceType}/${resource.id}`));
    expect(composition.section!.flatMap((section) => section.entry ?? []).filter((entry) => !present.has(entry.reference!))).toEqual([]);
  });

  it('says "no known allergies" as an assertion, and an empty section with its reason', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: SOURCE, count: 1, conditionsEach: 1 })) as [string];
    const recorded = await stack.query(
      stack.token(identities.hospitalSystem(SOURCE)),
      `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`,
      {
        input: { residentId: resident, sourceRecordId: 'NKA-0001', noKnownAllergies: true },
      },
    );
    expect(recorded.body).toEqual({ data: { recordAllergy: { assertion: 'NO_KNOWN_ALLERGIES' } } });
    const { body } = await fhirRequest<Bundle>(stack, doctorAt(SOURCE), `/Patient/${resident}/$summary`);
    const composition = body.entry![0]!.resource as Composition;
    const [, allergies, medications] = composition.section!;
    const allergy = resourcesOf(body, 'AllergyIntolerance')[0] as Resource & Record<string, any>;
    expect(allergy.code.coding).toEqual([{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }]);
    expect(allergies!.entry).toEqual([{ reference: `AllergyIntolerance/${allergy.id}` }]);
    expect(medications!.emptyReason!.coding![0]!.code).toBe('unavailable');
  });
});

describe('GET /Observation?patient=…&code=…', () => {
  it('gives one analyte from every hospital in the canonical UCUM unit', async () => {
    const { status, body } = await fhirRequest<Bundle>(
      stack,
      doctorAt(SOURCE),
      `/Observation?patient=Patient/${fixtureResident}&code=${encodeURIComponent('http://loinc.org|14749-6')}`,
    );
    expect(status).toBe(200);
    const observations = resourcesOf(body, 'Observation') as Observation[];
    expect(observations.map((observation) => [observation.performer![0]!.reference, observation.valueQuantity])).toEqual([
      [`Organization/${SOURCE}`, { value: 5.5, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' }],
      [`Organization/${RELATED}`, { value: 6.993, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' }],
    ]);
    expect(body.total).toBe(2);
  });

  it.each([
    ['code=14749-6', 'Observation search needs patient (an id or Patient/id)'],
    ['patient=PATIENT', 'Observation search needs code (a LOINC code, optionally http://loinc.org|code)'],
    ['patient=PATIENT&code=http%3A%2F%2Fsnomed.info%2Fsct%7C1234', 'code must be one LOINC code, optionally as http://loinc.org|code'],
    ['patient=PATIENT&code=14749-6&value-quantity=5', 'Observation search does not support the parameter value-quantity'],
  ])('refuses %s with 400', async (query, message) => {
    const { status, body } = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), `/Observation?${query.replace('PATIENT', fixtureResident)}`);
    expect(status).toBe(400);
    expect(body.issue).toEqual([{ severity: 'error', code: 'invalid', details: { text: message } }]);
  });
});

describe('errors', () => {
  it('refuses a request without a token, or with a bad one, with 401 as an OperationOutcome', async () => {
    const anonymous = await fhirRequest<OperationOutcome>(stack, null, `/Patient/${fixtureResident}/$everything`);
    expect([anonymous.status, anonymous.contentType, anonymous.body.issue[0]!.code]).toEqual([401, 'application/fhir+json; charset=utf-8', 'login']);
    const forged = await fhirRequest<OperationOutcome>(stack, 'not.a.jwt', `/Patient/${fixtureResident}/$everything`);
    expect([forged.status, forged.body.issue[0]!.code]).toEqual([401, 'login']);
  });

  it('answers an unknown path with 404 and another method with 405', async () => {
    const unknown = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '/Encounter/123');
    expect([unknown.status, unknown.body.issue[0]!.code, unknown.body.issue[0]!.details!.text]).toEqual([
      404,
      'not-found',
      'No FHIR endpoint at /fhir/R4/Encounter/123',
    ]);
    const deletion = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), `/Patient/${fixtureResident}`, { method: 'DELETE' });
    expect([deletion.status, deletion.body.issue[0]!.code]).toEqual([405, 'not-supported']);
  });

  it('answers every path and method under /fhir/R4 in FHIR: the base itself, a path beside it, a method no endpoint takes', async () => {
    const base = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '');
    expect([base.status, base.contentType, base.body.issue[0]!.code]).toEqual([405, 'application/fhir+json; charset=utf-8', 'not-supported']);
    const beside = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), 'x/metadata');
    expect([beside.status, beside.body.issue[0]!.details!.text]).toEqual([404, 'No FHIR endpoint at /fhir/R4x/metadata']);
    const malformed = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '/Patient/%E0%A4%A');
    expect([malformed.status, malformed.body.issue[0]!.details!.text]).toEqual([400, 'The path is not valid percent-encoded UTF-8']);
    const put = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '/metadata', { method: 'PUT', body: '{}' });
    expect([put.status, put.body.issue[0]!.code]).toEqual([405, 'not-supported']);
  });

  it('gives every resource it answers with a generated XHTML narrative, its text escaped', async () => {
    const { body: patient } = await fhirRequest<Patient>(stack, doctorAt(SOURCE), `/Patient/${scenario.residentId}`);
    expect(patient.text).toEqual({ status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Patient · 周静怡 · female · 1981-04-12</p></div>' });
    const { body: refused } = await fhirRequest<OperationOutcome>(stack, doctorAt(SOURCE), '/Patient?identifier=a%3Cb%3E%7C1');
    expect(refused.text!.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>error invalid: Unknown identifier system a&#60;b&#62;</p></div>');
  });
});
