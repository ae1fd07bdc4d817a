/** Condition → Condition on the problem list. */
import type { Condition } from '@medplum/fhirtypes';
import { sensitivitiesOfDiagnosis } from '../../access-control/sensitivity';
import type { ConditionRecord } from './records';
import { patientReference } from './references';
import { concept, securityLabels, sourceRecordSystem } from './terminology';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

export function conditionResource(residentId: string, condition: ConditionRecord): Condition {
  const labels = securityLabels(sensitivitiesOfDiagnosis(condition.code));
  const verification = condition.verificationStatus.toLowerCase().replaceAll('_', '-');
  // FHIR forbids a clinical status on a condition entered in error (con-5).
  const enteredInError = verification === 'entered-in-error';
  return {
    resourceType: 'Condition',
    id: condition.id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    identifier: [{ system: sourceRecordSystem(condition.source.organization.code), value: condition.source.recordId }],
    ...(enteredInError ? {} : { clinicalStatus: { coding: [{ system: CLINICAL, code: condition.clinicalStatus.toLowerCase() }] } }),
    verificationStatus: { coding: [{ system: VERIFICATION, code: verification }] },
    category: [{ coding: [{ system: CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: concept(condition.code),
    subject: patientReference(residentId),
    ...(condition.onset ? { onsetDateTime: condition.onset } : {}),
    recordedDate: condition.source.uploadedAt,
  };
}
