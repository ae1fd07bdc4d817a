/** Referral → ServiceRequest for a referral to the receiving organization. */
import type { ServiceRequest } from '@medplum/fhirtypes';
import { categoriesOf, sensitivitiesOfDiagnoses, sensitivitiesOfText, sensitivityOfDepartment, unionOf } from '../../access-control/sensitivity';
import type { ReferralRecord } from './records';
import { organizationReference, patientReference, practitionerReference } from './references';
import { concept, SYSTEMS, securityLabels } from './terminology';

const STATUSES: Readonly<Record<string, ServiceRequest['status']>> = {
  REQUESTED: 'active',
  ACCEPTED: 'active',
  SCHEDULED: 'active',
  ARRIVED: 'active',
  COMPLETED: 'completed',
  REJECTED: 'revoked',
  CANCELLED: 'revoked',
  EXPIRED: 'revoked',
};

export function serviceRequestResource(residentId: string, referral: ReferralRecord): ServiceRequest {
  const labels = securityLabels(
    unionOf(
      sensitivitiesOfDiagnoses(referral.diagnoses.map((diagnosis) => diagnosis.code)),
      sensitivitiesOfText(referral.reason),
      categoriesOf([sensitivityOfDepartment(referral.toDepartment)]),
    ),
  );
  return {
    resourceType: 'ServiceRequest',
    id: referral.id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    status: STATUSES[referral.status] ?? 'unknown',
    intent: 'order',
    category: [{ text: referral.direction === 'UP' ? 'upward referral' : 'downward referral' }],
    priority: referral.urgency === 'URGENT' ? 'urgent' : 'routine',
    code: { coding: [{ system: SYSTEMS.snomed, code: '3457005', display: 'Patient referral' }], text: referral.toDepartment },
    subject: patientReference(residentId),
    authoredOn: referral.requestedAt,
    requester: referral.fromPractitioner ? practitionerReference(referral.fromPractitioner) : organizationReference(referral.fromOrganization),
    performer: [organizationReference(referral.toOrganization)],
    ...(referral.diagnoses.length ? { reasonCode: referral.diagnoses.map(concept) } : {}),
    note: [{ text: referral.reason }],
  };
}
