/**
 * Transaction and batch Bundles at POST /fhir/R4, written as the FHIR specification lays them
 * out (fullUrl urn:uuid entries, request.method and url, conditional references), over the real
 * gateway: filed through the upload mutations, idempotent, a transaction refused whole with
 * an OperationOutcome when one entry is bad. Every answer is validated as FHIR R4.
 */
import type { Bundle, BundleEntry, DiagnosticReport, Encounter, Observation, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { makeIdNumber } from '../../../access-control/id-number';
import { fhirRequest, resourcesOf } from '../../support/fhir-client';
import { insertHospitals, modelsOf } from '../../support/fixtures';
import { registerResident } from '../../support/registration';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const MRN_SYSTEM = `urn:jinling-hie:mrn:${HOSPITAL}`;
const SOURCE = `urn:jinling-hie:source-record:${HOSPITAL}`;
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const { stack } = useStack();

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
});

/** The hospital's integration engine: it files the HIS's records and the LIS's reports. */
const engine = () => stack.token({ subject: `engine-${HOSPITAL}`, roles: ['hospital_system', 'lab_system'], organizationCode: HOSPITAL });
const doctor = () => stack.token({ subject: 'dr-tx', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

let sequence = 300;
/** A resident registered at the hospital under a medical record number. */
async function registered(mrn: string): Promise<string> {
  return registerResident(stack, HOSPITAL, makeIdNumber('320106', '1975-05-20', (sequence++ % 500) * 2 + 1), mrn);
}

/** A visit, its diagnosis, and an HbA1c report whose result is a separate Observation, for the Patient with `mrn`. */
function visitBundle(type: 'transaction' | 'batch', mrn: string, id: string, encounterStart = '2026-06-01T01:00:00+08:00'): Bundle {
  const patient = 'urn:uuid:0c3e9a52-7d1f-4b8e-9f0a-1a2b3c4d5e61';
  const visit = 'urn:uuid:0c3e9a52-7d1f-4b8e-9f0a-1a2b3c4d5e62';
  const result = 'urn:uuid:0c3e9a52-7d1f-4b8e-9f0a-1a2b3c4d5e63';
  const post = (url: string) => ({ method: 'POST' as const, url });
  return {
    resourceType: 'Bundle',
    type,
    entry: [
      {
        fullUrl: patient,
        resource: { resourceType: 'Patient', identifier: [{ system: MRN_SYSTEM, value: mrn }], gender: 'male', birthDate: '1975-05-20' },
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${MRN_SYSTEM}|${mrn}` },
      },
      {
        fullUrl: visit,
        resource: {
          resourceType: 'Encounter',
          identifier: [{ system: SOURCE, value: `V-${id}` }],
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
          serviceType: { text: '内分泌科' },
          subject: { reference: patient },
          period: { start: encounterStart },
          reasonCode: [{ coding: [{ system: ICD10, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }] }],
        },
        request: post('Encounter'),
      },
      {
        resource: {
          resourceType: 'Condition',
          identifier: [{ system: SOURCE, value: `P-${id}` }],
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
          code: { coding: [{ system: ICD10, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }] },
          subject: { reference: `Patient?identifier=${MRN_SYSTEM}|${mrn}` },
          encounter: { reference: visit },
          onsetDateTime: '2026-06-01',
        },
        request: post('Condition'),
      },
      {
        fullUrl: result,
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' }] },
          subject: { reference: patient },
          valueQuantity: { value: 6.8, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
        },
        request: post('Observation'),
      },
      {
        resource: {
          resourceType: 'DiagnosticReport',
          identifier: [{ system: SOURCE, value: `L-${id}` }],
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
          subject: { reference: patient },
          encounter: { reference: visit },
          effectiveDateTime: '2026-06-01T01:30:00+08:00',
          issued: '2026-06-01T03:00:00+08:00',
          result: [{ reference: result }],
        },
        request: post('DiagnosticReport'),
      },
    ] as BundleEntry[],
  };
}

const post = (token: string | null, body: unknown, contentType = 'application/fhir+json') =>
  fhirRequest<Bundle>(stack, token, '', { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });

/** What $everything holds of the resident: the record ids of visits, diagnoses and reports, and the result values. */
async function filed(residentId: string) {
  const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Patient/${residentId}/$everything`);
  const ids = (type: string) => resourcesOf(body, type).map((resource) => (resource as Encounter).identifier![0]!.value);
  return {
    Encounter: ids('Encounter'),
    Condition: ids('Condition'),
    DiagnosticReport: ids('DiagnosticReport'),
    Observation: (resourcesOf(body, 'Observation') as Observation[]).map((item) => [item.code.coding![0]!.code, item.valueQuantity!.value]),
  };
}

const NOTHING = { Encounter: [], Condition: [], DiagnosticReport: [], Observation: [] };

it('files a visit, its diagnosis and a lab report with its Observation; sent again, it changes nothing', async () => {
  const residentId = await registered('MRN-TX-1');
  const first = await post(engine(), visitBundle('transaction', 'MRN-TX-1', 'TX-1'));
  expect([first.status, first.body.type, first.body.entry!.map((entry) => entry.response!.status)]).toEqual([
    200,
    'transaction-response',
    ['200 OK', '200 OK', '200 OK', '200 OK', '200 OK'],
  ]);
  const expected = { Encounter: ['V-TX-1'], Condition: ['P-TX-1'], DiagnosticReport: ['L-TX-1'], Observation: [['4548-4', 6.8]] };
  expect(await filed(residentId)).toEqual(expected);
  const { body } = await fhirRequest<Bundle>(stack, doctor(), `/DiagnosticReport?patient=${residentId}`);
  const [report] = resourcesOf(body, 'DiagnosticReport') as [DiagnosticReport];
  expect(report.result).toHaveLength(1);

  const again = await post(engine(), visitBundle('transaction', 'MRN-TX-1', 'TX-1'));
  expect(again.status).toBe(200);
  expect(await filed(residentId)).toEqual(expected);
});

it('finishes what an interrupted sending left: the entries filed before come back unchanged, the rest are filed', async () => {
  const residentId = await registered('MRN-TX-2');
  const whole = visitBundle('transaction', 'MRN-TX-2', 'TX-2');
  // As if the connection broke after the visit was filed.
  const visitOnly = await post(engine(), { ...whole, entry: whole.entry!.slice(0, 2) });
  expect(visitOnly.status).toBe(200);
  expect(await filed(residentId)).toEqual({ ...NOTHING, Encounter: ['V-TX-2'] });
  expect((await post(engine(), whole)).status).toBe(200);
  expect(await filed(residentId)).toEqual({ Encounter: ['V-TX-2'], Condition: ['P-TX-2'], DiagnosticReport: ['L-TX-2'], Observation: [['4548-4', 6.8]] });
});

it.each([
  ['a month that does not exist', '2026-13-01T01:00:00+08:00'],
  ['a day the month does not have', '2026-02-30T01:00:00+08:00'],
])('refuses a transaction with %s whole, with an OperationOutcome, and writes nothing', async (_case, start) => {
  const mrn = `MRN-TX-DATE-${start.slice(5, 7)}`;
  const residentId = await registered(mrn);
  const refused = await post(engine(), visitBundle('transaction', mrn, `TX-DATE-${start.slice(5, 7)}`, start));
  const outcome = refused.body as unknown as OperationOutcome;
  expect([refused.status, outcome.resourceType]).toEqual([400, 'OperationOutcome']);
  expect(outcome.issue).toEqual([
    {
      severity: 'error',
      code: 'invalid',
      details: { text: `Encounter: period.start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "${start}")` },
      expression: ['Bundle.entry[1]'],
    },
  ]);
  expect(await filed(residentId)).toEqual(NOTHING);
});

it('refuses a transaction whose Patient the index does not hold under its identifier: matched by identifier only, nothing registered', async () => {
  const residentId = await registered('MRN-TX-3');
  const bundle = visitBundle('transaction', 'MRN-TX-3', 'TX-3');
  // The same person's demographics under a number the hospital never registered.
  (bundle.entry![0]!.resource as Resource & { identifier: unknown }).identifier = [{ system: MRN_SYSTEM, value: 'MRN-TX-NOBODY' }];
  const refused = await post(engine(), bundle);
  expect(refused.status).toBe(400);
  expect((refused.body as unknown as OperationOutcome).issue.map((issue) => [issue.expression, issue.details!.text])).toEqual([
    [['Bundle.entry[0]'], `Patient: No resident is registered under ${MRN_SYSTEM}|MRN-TX-NOBODY`],
    [['Bundle.entry[1]'], `Encounter: urn:uuid:0c3e9a52-7d1f-4b8e-9f0a-1a2b3c4d5e61: No resident is registered under ${MRN_SYSTEM}|MRN-TX-NOBODY`],
    [['Bundle.entry[4]'], `DiagnosticReport: urn:uuid:0c3e9a52-7d1f-4b8e-9f0a-1a2b3c4d5e61: No resident is registered under ${MRN_SYSTEM}|MRN-TX-NOBODY`],
  ]);
  expect(await filed(residentId)).toEqual(NOTHING);
  const search = await fhirRequest<Bundle>(stack, doctor(), `/Patient?identifier=${encodeURIComponent(`${MRN_SYSTEM}|MRN-TX-NOBODY`)}`);
  expect(search.body.total).toBe(0);
});

it('files a batch entry by entry: a batch-response with each entry’s own outcome', async () => {
  const residentId = await registered('MRN-TX-4');
  const bundle = visitBundle('batch', 'MRN-TX-4', 'TX-4');
  (bundle.entry![2]!.resource as Resource & { code: unknown }).code = { coding: [{ system: 'http://example.org/diagnoses', code: 'DM2' }] };
  const answer = await post(engine(), bundle);
  expect([answer.status, answer.body.type]).toEqual([200, 'batch-response']);
  expect(
    answer.body.entry!.map((entry) => [entry.response!.status, (entry.response!.outcome as OperationOutcome | undefined)?.issue[0]?.details?.text]),
  ).toEqual([
    ['200 OK', undefined],
    ['200 OK', undefined],
    ['400', `Condition: code needs a coding with system urn:jinling-hie:icd-10-cn or ${ICD10}`],
    ['200 OK', undefined],
    ['200 OK', undefined],
  ]);
  expect(await filed(residentId)).toEqual({ Encounter: ['V-TX-4'], Condition: [], DiagnosticReport: ['L-TX-4'], Observation: [['4548-4', 6.8]] });
});

it('refuses a role that files no records (403) and writes nothing', async () => {
  const residentId = await registered('MRN-TX-5');
  const refused = await post(doctor(), visitBundle('transaction', 'MRN-TX-5', 'TX-5'));
  expect([refused.status, (refused.body as unknown as OperationOutcome).issue[0]!.code]).toEqual([403, 'forbidden']);
  expect(await filed(residentId)).toEqual(NOTHING);
});

it.each([
  ['a resource that is not a Bundle', { resourceType: 'Patient' }, 'application/fhir+json', 400, 'POST a Bundle of type transaction or batch'],
  [
    'a collection Bundle',
    { resourceType: 'Bundle', type: 'collection', entry: [] },
    'application/fhir+json',
    400,
    'POST a Bundle of type transaction or batch',
  ],
  [
    'another content type',
    { resourceType: 'Bundle', type: 'batch' },
    'text/plain',
    415,
    'Content-Type must be application/fhir+json (a transaction or batch Bundle)',
  ],
])('refuses %s', async (_case, body, contentType, status, message) => {
  const refused = await post(engine(), body, contentType);
  expect([refused.status, (refused.body as unknown as OperationOutcome).issue[0]!.details!.text]).toEqual([status, message]);
});
