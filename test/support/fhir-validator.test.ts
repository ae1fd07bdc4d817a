/** The suite's FHIR validator catches what it is there to catch: a check that never fails checks nothing. */
import type { Resource } from '@medplum/fhirtypes';
import { fhirProblems } from './fhir-validator';

const NARRATIVE = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Patient · 韩立新</p></div>' } as const;

describe('fhirProblems', () => {
  it('passes a valid resource with its narrative, and a searchset without entries', () => {
    expect(fhirProblems({ resourceType: 'Patient', id: 'p1', text: NARRATIVE, gender: 'male' }, { narratives: true })).toEqual([]);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'searchset', total: 0 }, { narratives: true })).toEqual([]);
  });

  it('refuses what the specification refuses: a date no calendar has, an unknown element, an empty array, an empty string', () => {
    expect(fhirProblems({ resourceType: 'Patient', birthDate: '1975-13-01', colour: 'red' } as unknown as Resource)).toHaveLength(2);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] })).toEqual(['ele-1: empty value at Bundle.entry']);
    expect(fhirProblems({ resourceType: 'Patient', name: [{ text: '' }] })).toEqual(['ele-1: empty value at Patient.name[0].text']);
  });

  it('refuses, in an answer, a DomainResource without a narrative or with one outside the XHTML namespace or unescaped', () => {
    expect(
      fhirProblems({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }] }, { narratives: true }),
    ).toEqual(['entry[0] Patient/p1: dom-6: no narrative']);
    expect(fhirProblems({ resourceType: 'Patient', text: { status: 'generated', div: '<div><p>x</p></div>' } }, { narratives: true })).toEqual([
      'Patient: txt-1/txt-2: the narrative is not an XHTML div with content',
    ]);
    expect(
      fhirProblems(
        { resourceType: 'Patient', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>' } },
        { narratives: true },
      ),
    ).toEqual(['Patient: txt-1: unexpected markup in the narrative']);
  });
});
