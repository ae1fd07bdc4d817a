/**
 * A FHIR batch looks its Patients up in one read, over the real gateway: a Bundle with ten
 * Patients (and a visit for each) costs the same subgraph requests and database commands as
 * one with one Patient, and each Patient is still matched, or refused, on its own.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { makeIdNumber } from '../../../access-control/id-number';
import { fhirRequest } from '../../support/fhir-client';
import { insertHospitals } from '../../support/fixtures';
import { registerResident } from '../../support/registration';
import { roundTripsOf } from '../../support/round-trips';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const MRN_SYSTEM = `urn:jinling-hie:mrn:${HOSPITAL}`;
const SOURCE = `urn:jinling-hie:source-record:${HOSPITAL}`;

const { stack } = useStack();
const engine = () => stack.token({ subject: `engine-${HOSPITAL}`, roles: ['hospital_system'], organizationCode: HOSPITAL });

/** MRNs of residents registered at the hospital: LOOKUP-00 … LOOKUP-21. */
const mrn = (index: number) => `LOOKUP-${String(index).padStart(2, '0')}`;
beforeAll(async () => {
  await insertHospitals(stack);
  for (let index = 0; index < 22; index++) await registerResident(stack, HOSPITAL, makeIdNumber('320106', '1980-03-14', index * 2 + 1), mrn(index));
});

/** A batch Bundle: for each MRN a Patient (by identifier) and a visit pointing at it by urn:uuid. */
function batchOf(mrns: string[], tag: string): Bundle {
  const entries = mrns.flatMap((value, index): BundleEntry[] => {
    const patient = `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    return [
      { fullUrl: patient, resource: { resourceType: 'Patient', identifier: [{ system: MRN_SYSTEM, value }] }, request: { method: 'POST', url: 'Patient' } },
      {
        resource: {
          resourceType: 'Encounter',
          identifier: [{ system: SOURCE, value: `V-${tag}-${index}` }],
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
          serviceType: { text: '内分泌科' },
          subject: { reference: patient },
          period: { start: '2026-06-01T09:00:00+08:00' },
        },
        request: { method: 'POST', url: 'Encounter' },
      },
    ];
  });
  return { resourceType: 'Bundle', type: 'batch', entry: entries };
}

const post = (bundle: Bundle) =>
  fhirRequest<Bundle>(stack, engine(), '', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
const statusesOf = (bundle: Bundle) => bundle.entry!.map((entry) => entry.response!.status);

/** What a request cost: the subgraphs it called and the database round trips they made. */
async function costOf(action: () => Promise<unknown>) {
  let commands: string[] = [];
  const subgraphs = await stack.subgraphRequestsDuring(async () => {
    commands = roundTripsOf(await stack.commandsDuring(action));
  });
  return { subgraphs: subgraphs.sort(), commands };
}

it('costs the same round trips for a Bundle with 10 Patients as for one with 1', async () => {
  let one: Bundle | undefined;
  let ten: Bundle | undefined;
  const single = await costOf(async () => {
    one = (await post(batchOf([mrn(0)], 'ONE'))).body;
  });
  const many = await costOf(async () => {
    ten = (
      await post(
        batchOf(
          Array.from({ length: 10 }, (_, index) => mrn(index + 1)),
          'TEN',
        ),
      )
    ).body;
  });
  expect(statusesOf(one!)).toEqual(['200 OK', '200 OK']);
  expect(statusesOf(ten!)).toEqual(Array.from({ length: 20 }, () => '200 OK'));
  expect(many.subgraphs).toEqual(single.subgraphs);
  expect(many.commands).toEqual(single.commands);
  // The identifiers were read once, whatever the number of Patients.
  expect(many.commands.filter((command) => command.includes('residentIdentifiers'))).toEqual(['records.find residentIdentifiers']);
});

it('still matches each Patient on its own: an unknown MRN refuses only what points at it', async () => {
  const { body } = await post(batchOf([mrn(11), 'NOBODY-99', mrn(12)], 'MIXED'));
  expect(statusesOf(body)).toEqual(['200 OK', '200 OK', '400', '400', '200 OK', '200 OK']);
});

it('refuses more than 100 identifiers or a malformed one with BAD_USER_INPUT, naming it', async () => {
  const QUERY = `query($identifiers: [IdentifierInput!]!) { residentsByIdentifiers(identifiers: $identifiers) { id } }`;
  const errorsOf = async (identifiers: unknown[]) =>
    ((await stack.query(engine(), QUERY, { identifiers })).body.errors ?? []).map((error: any) => [error.extensions?.code, error.message]);
  const many = Array.from({ length: 101 }, (_, index) => ({ system: 'MEDICAL_RECORD_NUMBER', value: `MRN-${1000 + index}` }));
  expect(await errorsOf(many)).toEqual([['BAD_USER_INPUT', 'At most 100 identifiers per request']]);
  expect(
    await errorsOf([
      { system: 'MEDICAL_RECORD_NUMBER', value: mrn(0) },
      { system: 'MEDICAL_RECORD_NUMBER', value: 'no spaces' },
    ]),
  ).toEqual([['BAD_USER_INPUT', 'identifiers.1.value must be 4-32 letters, digits or -']]);
  const { body } = await stack.query(engine(), QUERY, {
    identifiers: [
      { system: 'MEDICAL_RECORD_NUMBER', value: 'NOBODY-99' },
      { system: 'MEDICAL_RECORD_NUMBER', value: mrn(0) },
    ],
  });
  expect(body.data!.residentsByIdentifiers[0]).toBeNull();
  expect(body.data!.residentsByIdentifiers[1]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) });
});
