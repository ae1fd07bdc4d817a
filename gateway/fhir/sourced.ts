/** Each paged list of a resident's record as FHIR resources, with the organization each came from (for Provenance). */
import { conditionResource } from './condition';
import { labReportResources } from './diagnostic-report';
import type { DrugInns } from './drug-facts';
import { encounterResource } from './encounter';
import { medicationResources } from './medication-request';
import type { Sourced } from './provenance';
import type { ListKind } from './queries';
import type { ConditionRecord, EncounterRecord, LabReportRecord, PrescriptionRecord, ReferralRecord } from './records';
import { serviceRequestResource } from './service-request';

export interface ListNodes {
  encounters: EncounterRecord;
  conditions: ConditionRecord;
  labReports: LabReportRecord;
  prescriptions: PrescriptionRecord;
  referrals: ReferralRecord;
}

/** Each kind of record as FHIR resources, with the organization it came from. */
export const SOURCED: { [K in ListKind]: (residentId: string, node: ListNodes[K], inns: DrugInns) => Sourced[] } = {
  encounters: (residentId, node) => [{ resources: [encounterResource(residentId, node)], source: node.source.organization, at: node.source.uploadedAt }],
  conditions: (residentId, node) => [{ resources: [conditionResource(residentId, node)], source: node.source.organization, at: node.source.uploadedAt }],
  labReports: (residentId, node) => [{ resources: labReportResources(residentId, node), source: node.source.organization, at: node.source.uploadedAt }],
  prescriptions: (residentId, node, inns) => {
    const resources = medicationResources(residentId, node, inns);
    const dispensed = resources.filter((resource) => resource.resourceType === 'MedicationDispense');
    const requested = resources.filter((resource) => resource.resourceType === 'MedicationRequest');
    return [
      { resources: requested, source: node.prescriber, at: node.issuedAt },
      ...(node.dispensing && dispensed.length ? [{ resources: dispensed, source: node.dispensing.pharmacy, at: node.dispensing.at }] : []),
    ];
  },
  referrals: (residentId, node) => [{ resources: [serviceRequestResource(residentId, node)], source: node.fromOrganization, at: node.requestedAt }],
};
