/**
 * Every kind of answer the FHIR API gives, checked by the independent validator
 * (support/fhir-validator.ts: @medplum/core with the R4 StructureDefinitions, no empty values,
 * a narrative on every DomainResource) over a record with every kind of data, sensitive items
 * included: the CapabilityStatement, the Patient, every page of $everything, $summary, every
 * search by patient (every page), an empty search and a refusal. Zero problems.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { type ConsentScenario, identities, plantCanaries, SOURCE } from '../../support/consent-scenario';
import { fhirBase } from '../../support/fhir-client';
import { fhirProblems } from '../../support/fhir-validator';
import { insertResidents } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const { stack } = useStack();
let scenario: ConsentScenario;
let empty: string;

beforeAll(async () => {
  scenario = await plantCanaries(stack);
  [empty] = (await insertResidents(stack, { organizationCode: SOURCE, count: 1 })) as [string];
});

it('finds no problem in any answer', async () => {
  const token = stack.token(identities.doctorAt(SOURCE));
  const id = scenario.residentId;
  const problems: string[] = [];
  const statuses: Record<string, number> = {};
  /** Every page of the answer at `path`, each validated; the path's status is its first page's. */
  const sweep = async (path: string) => {
    let next: string | undefined = `${fhirBase(stack)}${path}`;
    let pages = 0;
    while (next) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as Resource;
      if (pages === 0) statuses[path] = response.status;
      problems.push(...fhirProblems(body, { narratives: true }).map((problem) => `${path} page ${pages + 1}: ${problem}`));
      pages++;
      next = response.status === 200 ? (body as Bundle).link?.find((link) => link.relation === 'next')?.url : undefined;
    }
  };
  const paths = [
    '/metadata',
    `/Patient/${id}`,
    `/Patient/${id}/$everything?_count=1`,
    `/Patient/${id}/$summary`,
    ...['Encounter', 'Condition', 'DiagnosticReport', 'MedicationRequest'].map((type) => `/${type}?patient=${id}&_count=1`),
    `/AllergyIntolerance?patient=${id}`,
    `/Observation?patient=${id}&category=laboratory&_count=1`,
    `/Observation?patient=${id}&code=14749-6`,
    `/Encounter?patient=${empty}`,
    `/Patient?identifier=${encodeURIComponent(`urn:jinling-hie:mrn:${SOURCE}|MRN-NOBODY`)}`,
    '/Encounter?patient=not-an-id',
  ];
  for (const path of paths) await sweep(path);
  expect(problems).toEqual([]);
  expect(statuses).toEqual(Object.fromEntries(paths.map((path, index) => [path, index === paths.length - 1 ? 400 : 200])));
});
