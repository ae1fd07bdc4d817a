/** Encounter → Encounter: diagnoses as ranked reason codes, the department as the service type. */
import type { Encounter } from '@medplum/fhirtypes';
import { categoriesOf, sensitivitiesOfDiagnosis, sensitivityOfDepartment, unionOf } from '../../access-control/sensitivity';
import { ENCOUNTER_CHARGES_EXTENSION } from './import-mapping';
import type { EncounterRecord } from './records';
import { organizationReference, patientReference, practitionerReference } from './references';
import { concept, SYSTEMS, securityLabels, sourceRecordSystem } from './terminology';

const CLASSES = {
  OUTPATIENT: { code: 'AMB', display: 'ambulatory' },
  EMERGENCY: { code: 'EMER', display: 'emergency' },
  INPATIENT: { code: 'IMP', display: 'inpatient encounter' },
  VIRTUAL: { code: 'VR', display: 'virtual' },
} as const;

const STATUSES: Readonly<Record<string, Encounter['status']>> = {
  PLANNED: 'planned',
  IN_PROGRESS: 'in-progress',
  FINISHED: 'finished',
  CANCELLED: 'cancelled',
  ENTERED_IN_ERROR: 'entered-in-error',
};

export function encounterResource(residentId: string, encounter: EncounterRecord): Encounter {
  const labels = securityLabels(
    unionOf(...encounter.diagnoses.map((diagnosis) => sensitivitiesOfDiagnosis(diagnosis.code)), categoriesOf([sensitivityOfDepartment(encounter.department)])),
  );
  const diagnoses = [...encounter.diagnoses].sort((a, b) => a.rank - b.rank);
  return {
    resourceType: 'Encounter',
    id: encounter.id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    identifier: [{ system: sourceRecordSystem(encounter.source.organization.code), value: encounter.source.recordId }],
    status: STATUSES[encounter.status] ?? 'unknown',
    class: { system: SYSTEMS.v3ActCode, ...CLASSES[encounter.class] },
    serviceType: { text: encounter.department },
    subject: patientReference(residentId),
    ...(encounter.attendingPractitioner ? { participant: [{ individual: practitionerReference(encounter.attendingPractitioner) }] } : {}),
    period: { start: encounter.start, ...(encounter.end ? { end: encounter.end } : {}) },
    ...(diagnoses.length ? { reasonCode: diagnoses.map((diagnosis) => concept(diagnosis.code)) } : {}),
    serviceProvider: organizationReference(encounter.organization),
    // The charges as $import takes them: yuan in CNY (stored in fen).
    ...(typeof encounter.chargesFen === 'number'
      ? { extension: [{ url: ENCOUNTER_CHARGES_EXTENSION, valueMoney: { value: encounter.chargesFen / 100, currency: 'CNY' } }] }
      : {}),
  };
}
