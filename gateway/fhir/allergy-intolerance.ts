/**
 * Allergy statement → AllergyIntolerance. "No known allergies" is an assertion of its own
 * (SNOMED CT 716186003, as the International Patient Summary records it); an unknown
 * statement yields no resource at all. Reactions withheld from the viewer are left out (FHIR
 * reads a missing reaction as not known, never as none); reactions shown label the resource.
 */
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { sensitivitiesOfTexts } from '../../access-control/sensitivity';
import type { AllergyRecord, AllergyStatementRecord } from './records';
import { patientReference } from './references';
import { concept, SYSTEMS, securityLabels, sourceRecordSystem } from './terminology';

const CLINICAL = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] };
const VERIFIED = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] };
const CRITICALITY = { LOW: 'low', HIGH: 'high', UNABLE_TO_ASSESS: 'unable-to-assess' } as const;

function allergyResource(residentId: string, allergy: AllergyRecord): AllergyIntolerance {
  const reactions = allergy.reactions ?? [];
  const labels = securityLabels(sensitivitiesOfTexts(reactions));
  return {
    resourceType: 'AllergyIntolerance',
    id: allergy.id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    identifier: [{ system: sourceRecordSystem(allergy.source.organization.code), value: allergy.source.recordId }],
    clinicalStatus: CLINICAL,
    verificationStatus: VERIFIED,
    category: [allergy.category.toLowerCase() as 'food' | 'medication' | 'environment' | 'biologic'],
    criticality: CRITICALITY[allergy.criticality],
    code: concept(allergy.substance),
    patient: patientReference(residentId),
    recordedDate: allergy.source.uploadedAt,
    ...(reactions.length ? { reaction: [{ manifestation: reactions.map((text) => ({ text })) }] } : {}),
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
