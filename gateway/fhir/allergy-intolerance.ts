/**
 * Allergy statement → AllergyIntolerance. "No known allergies" is an assertion of its own
 * (SNOMED CT 716186003, as the International Patient Summary records it); an unknown
 * statement yields no resource at all.
 */
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { AllergyRecord, AllergyStatementRecord } from './records';
import { patientReference } from './references';
import { concept, SYSTEMS, sourceRecordSystem } from './terminology';

const CLINICAL = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] };
const VERIFIED = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] };
const CRITICALITY = { LOW: 'low', HIGH: 'high', UNABLE_TO_ASSESS: 'unable-to-assess' } as const;

function allergyResource(residentId: string, allergy: AllergyRecord): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id: allergy.id,
    identifier: [{ system: sourceRecordSystem(allergy.source.organization.code), value: allergy.source.recordId }],
    clinicalStatus: CLINICAL,
    verificationStatus: VERIFIED,
    category: [allergy.category.toLowerCase() as 'food' | 'medication' | 'environment' | 'biologic'],
    criticality: CRITICALITY[allergy.criticality],
    code: concept(allergy.substance),
    patient: patientReference(residentId),
    recordedDate: allergy.source.uploadedAt,
    ...(allergy.reactions.length ? { reaction: [{ manifestation: allergy.reactions.map((text) => ({ text })) }] } : {}),
  };
}

export function allergyResources(residentId: string, statement: AllergyStatementRecord | null): AllergyIntolerance[] {
  if (!statement) return [];
  if (statement.assertion === 'NO_KNOWN_ALLERGIES') {
    return [
      {
        resourceType: 'AllergyIntolerance',
        id: `${residentId}-nka`,
        clinicalStatus: CLINICAL,
        verificationStatus: VERIFIED,
        code: { coding: [{ system: SYSTEMS.snomed, code: '716186003', display: 'No known allergy' }], text: '无已知过敏' },
        patient: patientReference(residentId),
      },
    ];
  }
  return statement.items.map((allergy) => allergyResource(residentId, allergy));
}
