/**
 * Imported visits carry charges, over the real gateway: an Encounter's charges extension
 * (valueMoney in CNY) filed by $import or in a transaction Bundle reaches the cockpit's revenue
 * by the exact amount, once; bad charges are refused and count nothing; $everything gives the
 * charges back in the same place.
 */
import type { Bundle, Encounter, OperationOutcome } from '@medplum/fhirtypes';
import { ENCOUNTER_CHARGES_EXTENSION } from '../../../gateway/fhir/import-mapping';
import { fhirRequest, resourcesOf } from '../../support/fhir-client';
import { insertHospitals, insertResidents } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';
import { ndjson } from '../../support/uploads';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const SOURCE = `urn:jinling-hie:source-record:${HOSPITAL}`;
const MONTH = '2026-06';

const { stack, ok } = useStack();
let resident: string;
beforeAll(async () => {
  await insertHospitals(stack);
  [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
});

const hospitalSystem = () => stack.token({ subject: `his-${HOSPITAL}`, roles: ['hospital_system'], organizationCode: HOSPITAL });
const doctor = () => stack.token({ subject: 'dr-charges', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });
const commission = () => stack.token({ subject: 'hc-charges', roles: ['health_commission'] });

/** A finished visit at 10:00 Beijing time on `day` (2026-06-DD), with the charges given (as FHIR money). */
const visit = (id: string, day: string, charges?: unknown, code = 'AMB'): Encounter => ({
  resourceType: 'Encounter',
  identifier: [{ system: SOURCE, value: id }],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code },
  serviceType: { text: '心血管内科' },
  subject: { reference: `Patient/${resident}` },
  period: { start: `${day}T10:00:00+08:00`, end: `${day}T11:00:00+08:00` },
  reasonCode: [{ coding: [{ system: 'urn:jinling-hie:icd-10-cn', code: 'I10', display: '原发性高血压' }] }],
  ...(charges === undefined ? {} : { extension: [{ url: ENCOUNTER_CHARGES_EXTENSION, ...(charges as object) }] }),
});
const yuan = (value: number, currency = 'CNY') => ({ valueMoney: { value, currency } });

const importLines = (lines: unknown[]) =>
  fhirRequest<Bundle>(stack, hospitalSystem(), '/$import', { method: 'POST', headers: { 'content-type': 'application/fhir+ndjson' }, body: ndjson(lines) });
const rejectionsOf = (bundle: Bundle) => (bundle.entry ?? []).slice(1).map((entry) => (entry.resource as OperationOutcome).issue[0]!.details?.text);

/** The hospital's cockpit figures of one day of June 2026. */
async function revenueOn(day: string) {
  const data = await ok(
    commission(),
    `query($month: String!, $code: ID) { cockpitDays(month: $month, organizationCode: $code) { period outpatientVisits outpatientRevenueFen emergencyVisits emergencyRevenueFen } }`,
    { month: MONTH, code: HOSPITAL },
  );
  const row = data.cockpitDays.find((candidate: { period: string }) => candidate.period === day);
  return row ?? { period: day, outpatientVisits: 0, outpatientRevenueFen: null, emergencyVisits: 0, emergencyRevenueFen: null };
}

it('counts an imported visit’s charges in the cockpit’s revenue by the exact amount, once', async () => {
  expect(await revenueOn('2026-06-03')).toEqual({
    period: '2026-06-03',
    outpatientVisits: 0,
    outpatientRevenueFen: null,
    emergencyVisits: 0,
    emergencyRevenueFen: null,
  });
  const first = await importLines([visit('CH-1', '2026-06-03', yuan(128.5))]);
  expect(first.status).toBe(200);
  expect(rejectionsOf(first.body)).toEqual([]);
  expect(await revenueOn('2026-06-03')).toEqual({
    period: '2026-06-03',
    outpatientVisits: 1,
    outpatientRevenueFen: 12850,
    emergencyVisits: 0,
    emergencyRevenueFen: null,
  });

  // Sent again, nothing changes; a second visit adds its own charges.
  await importLines([visit('CH-1', '2026-06-03', yuan(128.5)), visit('CH-2', '2026-06-03', yuan(20))]);
  expect(await revenueOn('2026-06-03')).toMatchObject({ outpatientVisits: 2, outpatientRevenueFen: 14850 });
});

it('counts the charges of a visit filed in a transaction Bundle', async () => {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource: visit('CH-TX-1', '2026-06-04', yuan(50.05), 'EMER'), request: { method: 'POST', url: 'Encounter' } }],
  };
  const answer = await fhirRequest<Bundle>(stack, hospitalSystem(), '', {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(bundle),
  });
  expect([answer.status, answer.body.type]).toEqual([200, 'transaction-response']);
  expect(await revenueOn('2026-06-04')).toEqual({
    period: '2026-06-04',
    outpatientVisits: 0,
    outpatientRevenueFen: null,
    emergencyVisits: 1,
    emergencyRevenueFen: 5005,
  });
});

it('refuses charges in another currency, below zero, in fractions of a fen or twice, and counts nothing for them', async () => {
  const field = `extension ${ENCOUNTER_CHARGES_EXTENSION}`;
  const answer = await importLines([
    visit('CH-BAD-1', '2026-06-05', yuan(10, 'USD')),
    visit('CH-BAD-2', '2026-06-05', yuan(-1)),
    visit('CH-BAD-3', '2026-06-05', yuan(0.125)),
    visit('CH-BAD-4', '2026-06-05', { valueString: '10 元' }),
    {
      ...visit('CH-BAD-5', '2026-06-05'),
      extension: [
        { url: ENCOUNTER_CHARGES_EXTENSION, ...yuan(1) },
        { url: ENCOUNTER_CHARGES_EXTENSION, ...yuan(2) },
      ],
    },
  ]);
  expect(rejectionsOf(answer.body)).toEqual([
    `Encounter: ${field} needs valueMoney with a value and currency CNY`,
    `Encounter: ${field}: valueMoney.value must be at least 0 with at most two decimals`,
    `Encounter: ${field}: valueMoney.value must be at least 0 with at most two decimals`,
    `Encounter: ${field} needs valueMoney with a value and currency CNY`,
    `Encounter: ${field} may appear once`,
  ]);
  expect(await revenueOn('2026-06-05')).toEqual({
    period: '2026-06-05',
    outpatientVisits: 0,
    outpatientRevenueFen: null,
    emergencyVisits: 0,
    emergencyRevenueFen: null,
  });
});

it('gives the charges back in $everything in the place $import reads them, and none for a visit without', async () => {
  await importLines([visit('CH-OUT-1', '2026-06-06', yuan(99.99)), visit('CH-OUT-2', '2026-06-06')]);
  const { body } = await fhirRequest<Bundle>(stack, doctor(), `/Patient/${resident}/$everything?_count=30`);
  const byId = new Map((resourcesOf(body, 'Encounter') as Encounter[]).map((encounter) => [encounter.identifier![0]!.value, encounter.extension]));
  expect(byId.get('CH-OUT-1')).toEqual([{ url: ENCOUNTER_CHARGES_EXTENSION, valueMoney: { value: 99.99, currency: 'CNY' } }]);
  expect(byId.get('CH-OUT-2')).toBeUndefined();
});
