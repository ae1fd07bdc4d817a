/**
 * FHIR $import over the real gateway: NDJSON FHIR resources filed through the batch upload
 * path (the same validation, idempotency, write policy and counts as /upload/<kind>), one
 * OperationOutcome per rejected line, and what a hospital imports comes back out of
 * $everything equal in substance. Every answer is validated as FHIR R4.
 */
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  DiagnosticReport,
  Encounter,
  MedicationDispense,
  MedicationRequest,
  Observation,
  OperationOutcome,
  Parameters,
  Resource,
} from '@medplum/fhirtypes';
import { makeIdNumber } from '../../../access-control/id-number';
import { mapResource, SUBJECT_BIRTH_DATE_EXTENSION, SUBJECT_SEX_EXTENSION } from '../../../gateway/fhir/import-mapping';
import { fhirRequest, resourcesOf } from '../../support/fhir-client';
import { expectValidFhir } from '../../support/fhir-validator';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { registerResident } from '../../support/registration';
import { useStack } from '../../support/stack-fixture';
import { ndjson } from '../../support/uploads';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const OTHER_HOSPITAL = '3201-H002';
const MAX_LINES = 20;

const { stack } = useStack({ gatewayConfig: { UPLOAD_MAX_LINES: MAX_LINES, UPLOAD_MAX_ERRORS: 5 } });
let resident: string;
let stranger: string;

beforeAll(async () => {
  await insertHospitals(stack);
  [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  [stranger] = (await insertResidents(stack, { organizationCode: OTHER_HOSPITAL, count: 1 })) as [string];
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
});

const hospitalSystem = () => stack.token({ subject: `his-${HOSPITAL}`, roles: ['hospital_system'], organizationCode: HOSPITAL });
const labSystem = () => stack.token({ subject: `lis-${HOSPITAL}`, roles: ['lab_system'], organizationCode: HOSPITAL });
const doctor = () => stack.token({ subject: 'dr-import', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const SOURCE = `urn:jinling-hie:source-record:${HOSPITAL}`;
const ICD = 'urn:jinling-hie:icd-10-cn';

const encounter = (patient: string, id: string, overrides: Partial<Encounter> = {}): Encounter => ({
  resourceType: 'Encounter',
  identifier: [{ system: SOURCE, value: id }],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  serviceType: { text: '心血管内科' },
  subject: { reference: `Patient/${patient}` },
  participant: [{ individual: { display: 'D0042' } }],
  period: { start: '2026-06-01T01:00:00.000Z', end: '2026-06-01T02:00:00.000Z' },
  reasonCode: [{ coding: [{ system: ICD, code: 'I10', display: '原发性高血压' }] }, { coding: [{ system: ICD, code: 'E11.9', display: '2型糖尿病' }] }],
  ...overrides,
});

const condition = (patient: string, id: string, code = 'I10'): Condition => ({
  resourceType: 'Condition',
  identifier: [{ system: SOURCE, value: id }],
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  code: { coding: [{ system: ICD, code, display: '原发性高血压' }] },
  subject: { reference: `Patient/${patient}` },
  onsetDateTime: '2020-03-01',
});

const allergy = (patient: string, id: string): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance',
  identifier: [{ system: SOURCE, value: id }],
  category: ['medication'],
  criticality: 'high',
  code: { coding: [{ system: 'urn:jinling-hie:code:NMPA-class', code: 'penicillins', display: '青霉素类' }] },
  patient: { reference: `Patient/${patient}` },
  reaction: [{ manifestation: [{ text: '皮疹' }, { text: '呼吸困难' }] }],
});

const report = (patient: string, id: string): DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  extension: [
    { url: SUBJECT_SEX_EXTENSION, valueCode: 'male' },
    { url: SUBJECT_BIRTH_DATE_EXTENSION, valueDate: '1960-03-15' },
  ],
  contained: [
    {
      resourceType: 'Observation',
      id: 'r1',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '14749-6' }] },
      valueQuantity: { value: 126, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    },
  ],
  identifier: [{ system: SOURCE, value: id }],
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '14749-6', display: '葡萄糖' }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: '2026-06-02T00:30:00.000Z',
  issued: '2026-06-02T02:00:00.000Z',
  result: [{ reference: '#r1' }],
  conclusion: '空腹血糖偏高',
});

/** A prescription the hospital's pharmacy dispensed: the drug and lot in a contained Medication, the order in a contained MedicationRequest. */
const dispensed = (patient: string, id: string, overrides: Partial<MedicationDispense> = {}): MedicationDispense => ({
  resourceType: 'MedicationDispense',
  identifier: [{ system: SOURCE, value: id }],
  contained: [
    {
      resourceType: 'Medication',
      id: 'med',
      code: { coding: [{ system: 'urn:jinling-hie:nmpa-drug', code: 'H20023370', display: '盐酸二甲双胍片 0.5g' }] },
      batch: { lotNumber: 'LOT-2606-F' },
    },
    {
      resourceType: 'MedicationRequest',
      id: 'order',
      status: 'completed',
      intent: 'order',
      subject: { reference: `Patient/${patient}` },
      medicationReference: { reference: '#med' },
      authoredOn: '2026-06-03T01:00:00.000Z',
      requester: { identifier: { system: 'urn:jinling-hie:practitioner', value: 'D0042' } },
      encounter: { identifier: { system: SOURCE, value: 'V-RX-1' } },
      reasonCode: [{ coding: [{ system: ICD, code: 'E11.9', display: '2型糖尿病' }] }],
      dosageInstruction: [
        {
          route: { text: 'oral' },
          timing: { code: { text: 'tid' } },
          doseAndRate: [{ doseQuantity: { value: 0.5, unit: 'g' } }],
          patientInstruction: '餐后服用',
        },
      ],
    },
  ],
  status: 'completed',
  medicationReference: { reference: '#med' },
  subject: { reference: `Patient/${patient}` },
  performer: [{ actor: { identifier: { system: 'urn:jinling-hie:practitioner', value: 'P3001' } } }],
  authorizingPrescription: [{ reference: '#order' }],
  quantity: { value: 84 },
  daysSupply: { value: 14, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
  whenHandedOver: '2026-06-03T01:30:00.000Z',
  ...overrides,
});

const importBatch = (token: string | null, body: string, contentType = 'application/fhir+ndjson') =>
  fhirRequest<Bundle>(stack, token, '/$import', { method: 'POST', headers: { 'content-type': contentType }, body });

/** The counts of a $import answer, per resource type, as { type: [lines, accepted, unchanged, rejected, failed] }. */
function countsOf(bundle: Bundle) {
  const parameters = bundle.entry![0]!.resource as Parameters;
  return Object.fromEntries(
    parameters.parameter!.map((parameter) => [
      parameter.name,
      parameter.part ? parameter.part.map((part) => part.valueInteger) : (parameter.valueBoolean ?? parameter.valueString),
    ]),
  );
}
const rejectionsOf = (bundle: Bundle) =>
  (bundle.entry ?? []).slice(1).map((entry) => {
    const issue = (entry.resource as OperationOutcome).issue[0]!;
    return [issue.diagnostics, issue.code, issue.details?.text];
  });

it('files each kind, rejects bad lines one OperationOutcome each, and a re-sent batch changes nothing', async () => {
  const batch = ndjson([
    encounter(resident, 'V-FHIR-1'),
    condition(resident, 'P-FHIR-1'),
    allergy(resident, 'A-FHIR-1'),
    '{not json',
    { resourceType: 'Procedure', subject: { reference: `Patient/${resident}` } },
    encounter(resident, 'V-FHIR-2', { identifier: [{ system: 'http://example.org/visits', value: 'X1' }] }),
    encounter(stranger, 'V-FHIR-3'),
    condition(resident, 'P-FHIR-2', 'HYPERTENSION'),
  ]);
  const first = await importBatch(hospitalSystem(), batch);
  expect(first.status).toBe(200);
  expect(first.body.type).toBe('collection');
  expect(countsOf(first.body)).toEqual({
    total: [8, 3, 0, 5, 0],
    AllergyIntolerance: [1, 1, 0, 0, 0],
    Condition: [2, 1, 0, 1, 0],
    Encounter: [3, 1, 0, 2, 0],
    unknown: [2, 0, 0, 2, 0],
    complete: true,
  });
  expect(rejectionsOf(first.body)).toEqual([
    ['line 4', 'invalid', 'Not valid JSON'],
    ['line 5', 'invalid', 'resourceType must be one of Encounter, Condition, AllergyIntolerance, DiagnosticReport, MedicationDispense'],
    ['line 6', 'invalid', `Encounter: identifier with system ${SOURCE} (your record id) is required`],
    ['line 7', 'forbidden', 'Not permitted: no care relationship with this resident'],
    ['line 8', 'invalid', 'Invalid input: code must be an ICD-10 code such as I10 or E11.9'],
  ]);

  const again = await importBatch(hospitalSystem(), batch);
  expect(countsOf(again.body)).toMatchObject({ total: [8, 0, 3, 5, 0] });
});

it("files a lab system's DiagnosticReport with its result lines, and $everything gives back what was imported", async () => {
  const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  const imported: Resource[] = [encounter(patient, 'V-RT-1'), condition(patient, 'P-RT-1'), allergy(patient, 'A-RT-1')];
  const filed = await importBatch(hospitalSystem(), ndjson(imported));
  expect(countsOf(filed.body)).toMatchObject({ total: [3, 3, 0, 0, 0] });
  const lab = await importBatch(labSystem(), ndjson([report(patient, 'L-RT-1')]));
  expect(rejectionsOf(lab.body)).toEqual([]);
  expect([lab.status, countsOf(lab.body)]).toEqual([200, { total: [1, 1, 0, 0, 0], DiagnosticReport: [1, 1, 0, 0, 0], complete: true }]);

  const { body: everything } = await fhirRequest<Bundle>(stack, doctor(), `/Patient/${patient}/$everything`);
  // In substance: what the import reads of each resource is the same read back from the export.
  const substance = (resource: Resource) => mapResource(resource, HOSPITAL);
  for (const original of imported) {
    const exported = resourcesOf(everything, original.resourceType).filter(
      (resource) => JSON.stringify((resource as Encounter).identifier) === JSON.stringify((original as Encounter).identifier),
    );
    expect(exported).toHaveLength(1);
    expect(substance(exported[0]!)).toEqual(substance(original));
  }
  const [exportedReport] = resourcesOf(everything, 'DiagnosticReport') as [DiagnosticReport];
  expect(exportedReport.identifier).toEqual([{ system: SOURCE, value: 'L-RT-1' }]);
  expect([
    exportedReport.status,
    exportedReport.code.coding![0]!.code,
    exportedReport.issued,
    exportedReport.effectiveDateTime,
    exportedReport.conclusion,
  ]).toEqual(['final', '14749-6', '2026-06-02T02:00:00.000Z', '2026-06-02T00:30:00.000Z', '空腹血糖偏高']);
  const [observation] = resourcesOf(everything, 'Observation') as [Observation];
  expect(exportedReport.result).toEqual([{ reference: `Observation/${observation.id}` }]);
  expect(observation.code.coding![0]!.code).toBe('14749-6');
  expect(observation.valueQuantity).toEqual({ value: 126, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' });
  // The lab's upload is named as its source.
  expect(resourcesOf(everything, 'Provenance').every((provenance) => JSON.stringify(provenance).includes(`"Organization/${HOSPITAL}"`))).toBe(true);
});

it('files a prescription the hospital dispensed, as a MedicationDispense; $everything gives it back', async () => {
  const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  const resource = dispensed(patient, 'RX-FHIR-1');
  expectValidFhir(resource);
  const answer = await importBatch(
    hospitalSystem(),
    ndjson([
      encounter(patient, 'V-RX-1'),
      resource,
      dispensed(patient, 'RX-FHIR-2', { status: 'in-progress' }),
      dispensed(patient, 'RX-FHIR-3', { medicationReference: { reference: '#elsewhere' } }),
      dispensed(stranger, 'RX-FHIR-4'),
    ]),
  );
  expect(countsOf(answer.body)).toEqual({ total: [5, 2, 0, 3, 0], Encounter: [1, 1, 0, 0, 0], MedicationDispense: [4, 1, 0, 3, 0], complete: true });
  expect(rejectionsOf(answer.body)).toEqual([
    ['line 3', 'invalid', 'MedicationDispense: status must be completed (a dispensed prescription)'],
    ['line 4', 'invalid', 'MedicationDispense: medicationReference references #elsewhere, which is not a contained Medication'],
    ['line 5', 'forbidden', 'Not permitted: no care relationship with this resident'],
  ]);

  const { body: everything } = await fhirRequest<Bundle>(stack, doctor(), `/Patient/${patient}/$everything`);
  const [request] = resourcesOf(everything, 'MedicationRequest') as [MedicationRequest];
  const [dispense] = resourcesOf(everything, 'MedicationDispense') as [MedicationDispense];
  expect([
    request.status,
    request.medicationCodeableConcept!.coding![0]!.code,
    request.authoredOn,
    request.reasonCode![0]!.coding![0]!.code,
    request.requester!.display,
  ]).toEqual(['completed', 'H20023370', '2026-06-03T01:00:00.000Z', 'E11.9', 'D0042']);
  expect(request.encounter!.reference).toMatch(/^Encounter\/[0-9a-f]{24}$/);
  expect(request.dosageInstruction![0]!.patientInstruction).toBe('餐后服用');
  expect([dispense.whenHandedOver, dispense.quantity, dispense.daysSupply!.value, dispense.note]).toEqual([
    '2026-06-03T01:30:00.000Z',
    { value: 84 },
    14,
    [{ text: 'lot LOT-2606-F' }],
  ]);
  expect(dispense.performer!.map((performer) => performer.actor.display)).toEqual(['P3001', '江苏省中医院']);
  // Sent again: unchanged.
  expect(countsOf((await importBatch(hospitalSystem(), ndjson([resource]))).body)).toMatchObject({ total: [1, 0, 1, 0, 0] });
});

describe('refusals', () => {
  it('refuses a role that files no records with 403, writing nothing', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const refused = await importBatch(doctor(), ndjson([encounter(patient, 'V-DR-1')]));
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as OperationOutcome).issue[0]!.code).toBe('forbidden');
    const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Patient/${patient}/$everything`);
    expect(resourcesOf(body, 'Encounter')).toEqual([]);
  });

  it('refuses a token without an organization, another content type, another method and no token', async () => {
    const noOrganization = await importBatch(stack.token({ subject: 'po', roles: ['privacy_officer'] }), ndjson([encounter(resident, 'V-PO-1')]));
    expect([noOrganization.status, (noOrganization.body as unknown as OperationOutcome).issue[0]!.details!.text]).toEqual([
      403,
      '$import files records as an organization: the token names none',
    ]);
    const json = await importBatch(hospitalSystem(), JSON.stringify(encounter(resident, 'V-JSON-1')), 'application/fhir+json');
    expect([json.status, (json.body as unknown as OperationOutcome).issue[0]!.code]).toEqual([415, 'not-supported']);
    const get = await fhirRequest<OperationOutcome>(stack, hospitalSystem(), '/$import');
    expect([get.status, get.body.issue[0]!.code]).toEqual([405, 'not-supported']);
    const anonymous = await importBatch(null, ndjson([encounter(resident, 'V-ANON-1')]));
    expect([anonymous.status, (anonymous.body as unknown as OperationOutcome).issue[0]!.code]).toEqual([401, 'login']);
  });

  it(`files the lines before the limit of ${MAX_LINES} lines, and says it stopped (413)`, async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const lines = Array.from({ length: MAX_LINES + 3 }, (_, index) => condition(patient, `P-LIMIT-${index}`));
    const answer = await importBatch(hospitalSystem(), ndjson(lines));
    expect(answer.status).toBe(413);
    expect(countsOf(answer.body)).toEqual({
      total: [MAX_LINES, MAX_LINES, 0, 0, 0],
      Condition: [MAX_LINES, MAX_LINES, 0, 0, 0],
      complete: false,
      stopped: `The batch has more than ${MAX_LINES} lines (UPLOAD_MAX_LINES); lines after ${MAX_LINES} were not read`,
    });
  });
});

it('refuses times the calendar does not have under their FHIR names, filing nothing', async () => {
  const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  const rule = 'must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00';
  const { body } = await importBatch(
    hospitalSystem(),
    ndjson([
      encounter(patient, 'V-CAL-1', { period: { start: '2026-02-30T01:00:00Z' } }),
      encounter(patient, 'V-CAL-2', { period: { start: '2026-06-01T01:00:00Z', end: '2026-06-31T02:00:00Z' } }),
      encounter(patient, 'V-CAL-3', { period: { start: '2026-06-01T01:00:00+25:00' } }),
      { ...condition(patient, 'P-CAL-1'), onsetDateTime: '2027-02-29' },
    ]),
  );
  expect(countsOf(body)).toMatchObject({ total: [4, 0, 0, 4, 0], complete: true });
  expect(rejectionsOf(body)).toEqual([
    ['line 1', 'invalid', `Encounter: period.start ${rule} (not "2026-02-30T01:00:00Z")`],
    ['line 2', 'invalid', `Encounter: period.end ${rule} (not "2026-06-31T02:00:00Z")`],
    ['line 3', 'invalid', `Encounter: period.start ${rule} (not "2026-06-01T01:00:00+25:00")`],
    [
      'line 4',
      'invalid',
      'Condition: onsetDateTime must be an ISO 8601 date or time on the calendar, e.g. 2026-03-01 or 2026-03-01T08:30:00+08:00 (not "2027-02-29")',
    ],
  ]);
  expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: patient })).toBe(0);
  expect(await modelsOf(stack).records.Condition.countDocuments({ residentId: patient })).toBe(0);
});

describe('standard systems and references within the file', () => {
  it('takes ICD-10 as HL7 names it, and UCUM units; refuses a unit in another system and a date no calendar has', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const who = { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Essential (primary) hypertension' }] };
    const otherUnits = report(patient, 'L-UNIT-1');
    (otherUnits.contained![0] as Observation).valueQuantity = { value: 126, unit: 'mg/dL', system: 'http://example.org/units', code: 'MGDL' };
    const hospital = await importBatch(
      hospitalSystem(),
      ndjson([
        { ...condition(patient, 'P-WHO-1'), code: who },
        encounter(patient, 'V-WHO-1', { reasonCode: [who] }),
        encounter(patient, 'V-DATE-1', { period: { start: '2026-13-01T01:00:00Z' } }),
        encounter(patient, 'V-DATE-2', { period: { start: '2026-02-30T01:00:00Z' } }),
      ]),
    );
    expect(countsOf(hospital.body)).toMatchObject({ Condition: [1, 1, 0, 0, 0], Encounter: [3, 1, 0, 2, 0] });
    expect(rejectionsOf(hospital.body)).toEqual([
      [
        'line 3',
        'invalid',
        'Encounter: period.start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "2026-13-01T01:00:00Z")',
      ],
      [
        'line 4',
        'invalid',
        'Encounter: period.start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "2026-02-30T01:00:00Z")',
      ],
    ]);
    const lab = await importBatch(labSystem(), ndjson([otherUnits]));
    expect(rejectionsOf(lab.body)).toEqual([['line 1', 'invalid', 'DiagnosticReport: result[0].valueQuantity must be in UCUM (http://unitsofmeasure.org)']]);
    const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Condition?patient=${patient}`);
    expect((resourcesOf(body, 'Condition') as Condition[]).map((item) => item.code!.coding)).toEqual([
      [{ system: 'urn:jinling-hie:icd-10-cn', code: 'I10', display: 'Essential (primary) hypertension' }],
    ]);
  });

  it('resolves urn:uuid and conditional references to a Patient by its identifier, never by anything else', async () => {
    const idCard = makeIdNumber('320106', '1975-05-20', 481);
    const patient = await registerResident(stack, HOSPITAL, idCard, 'MRN-FHIR-UUID');
    const uuid = '1f6c3c2e-6a0b-4f59-9a53-0c2b1d7e5a11';
    const nobody = '7d1e0b7a-2f4c-4d8e-8a51-3b9c6e0f2d22';
    const answer = await importBatch(
      hospitalSystem(),
      ndjson([
        { resourceType: 'Patient', id: uuid, identifier: [{ system: 'urn:jinling-hie:resident-id-card', value: idCard }] },
        encounter(patient, 'V-UUID-1', { subject: { reference: `urn:uuid:${uuid}` } }),
        { ...condition(patient, 'P-COND-1'), subject: { reference: `Patient?identifier=urn:jinling-hie:resident-id-card|${idCard}` } },
        // The same demographics but no identifier the index holds: not matched, and nothing is created.
        {
          resourceType: 'Patient',
          id: nobody,
          name: [{ text: '测试0' }],
          birthDate: '1960-03-15',
          identifier: [{ system: 'urn:jinling-hie:resident-id-card', value: '320106196003150000' }],
        },
        encounter(patient, 'V-UUID-2', { subject: { reference: `urn:uuid:${nobody}` } }),
        encounter(patient, 'V-UUID-3', { subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' } }),
      ]),
    );
    expect(countsOf(answer.body)).toMatchObject({ total: [6, 2, 0, 3, 0], Patient: [2, 0, 0, 1, 0], Encounter: [3, 1, 0, 2, 0], Condition: [1, 1, 0, 0, 0] });
    expect(rejectionsOf(answer.body)).toEqual([
      ['line 4', 'invalid', 'Patient: No resident is registered under urn:jinling-hie:resident-id-card|320106196003150000'],
      ['line 5', 'invalid', `Encounter: urn:uuid:${nobody}: No resident is registered under urn:jinling-hie:resident-id-card|320106196003150000`],
      ['line 6', 'invalid', 'Encounter: urn:uuid:00000000-0000-4000-8000-000000000000 names no resource of this batch'],
    ]);
    const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Encounter?patient=${patient}`);
    expect((resourcesOf(body, 'Encounter') as Encounter[]).map((item) => item.identifier![0]!.value)).toEqual(['V-UUID-1']);
  });

  it('files a DiagnosticReport whose result references Observations on other lines; an Observation no report references is refused', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const separate = {
      ...report(patient, 'L-SEP-1'),
      contained: undefined,
      result: [{ reference: 'Observation/glu' }, { reference: 'urn:uuid:5b0e8f7c-3c1a-4e2b-9d4f-6a7b8c9d0e1f' }],
    };
    const observation = (id: string, code: string, value: number, unit: string): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code }] },
      subject: { reference: `Patient/${patient}` },
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    });
    const answer = await importBatch(
      labSystem(),
      ndjson([
        observation('glu', '14749-6', 126, 'mg/dL'),
        separate,
        observation('5b0e8f7c-3c1a-4e2b-9d4f-6a7b8c9d0e1f', '4548-4', 6.8, '%'),
        observation('alone', '2345-7', 5.5, 'mmol/L'),
      ]),
    );
    expect(countsOf(answer.body)).toMatchObject({ DiagnosticReport: [1, 1, 0, 0, 0], Observation: [3, 0, 0, 1, 0] });
    expect(rejectionsOf(answer.body)).toEqual([
      ['line 4', 'invalid', 'Observation: an Observation is filed as a result of a DiagnosticReport sent with it that references it'],
    ]);
    const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Observation?patient=${patient}&category=laboratory`);
    expect((resourcesOf(body, 'Observation') as Observation[]).map((item) => [item.code.coding![0]!.code, item.valueQuantity!.value])).toEqual([
      ['14749-6', 126],
      ['4548-4', 6.8],
    ]);
  });
});
