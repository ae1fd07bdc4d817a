/**
 * The documents the clinical mutations file, single and batch alike: one place decides each
 * field. A record's id derives from the sending organization and its own source record id.
 */
import type { z } from 'zod';
import { sensitivityOfIcd10 } from '../../access-control/sensitivity';
import { sourceRecordKey } from '../runtime/ids';
import { allergySensitivities, conditionSensitivities, encounterSensitivities } from './labels';
import type { AllergyDoc, ConditionDoc, EncounterDoc } from './models';
import type { allergySchema, conditionSchema, encounterSchema } from './validation';

export type EncounterInput = z.infer<typeof encounterSchema>;
export type ConditionInput = z.infer<typeof conditionSchema>;
export type AllergyInput = z.infer<typeof allergySchema>;

export function encounterDocOf(input: EncounterInput, organizationCode: string, residentId: string): EncounterDoc {
  return {
    _id: sourceRecordKey('encounter', organizationCode, input.sourceRecordId),
    residentId,
    organizationCode,
    encounterClass: input.class,
    status: input.status,
    department: input.department,
    start: new Date(input.start),
    end: input.end ? new Date(input.end) : null,
    attendingPractitioner: input.attendingPractitioner ?? null,
    diagnoses: input.diagnoses.map((item) => ({
      code: { system: 'ICD-10', code: item.code, display: item.display },
      rank: item.rank,
      primary: item.primary,
      sensitivity: sensitivityOfIcd10(item.code),
    })),
    sensitivities: encounterSensitivities(input.department, input.diagnoses),
    chargesFen: input.chargesFen ?? null,
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}

export function conditionDocOf(input: ConditionInput, organizationCode: string, residentId: string): ConditionDoc {
  return {
    _id: sourceRecordKey('condition', organizationCode, input.sourceRecordId),
    residentId,
    code: { system: 'ICD-10', code: input.code, display: input.display },
    clinicalStatus: input.clinicalStatus,
    verificationStatus: input.verificationStatus,
    onset: input.onset ?? null,
    sensitivity: sensitivityOfIcd10(input.code),
    sensitivities: conditionSensitivities(input),
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}

export function allergyDocOf(input: AllergyInput, organizationCode: string, residentId: string): AllergyDoc {
  return {
    _id: sourceRecordKey('allergy', organizationCode, input.sourceRecordId),
    residentId,
    substance: input.substance!,
    category: input.category!,
    criticality: input.criticality!,
    reactions: input.reactions ?? [],
    sensitivities: allergySensitivities(input.reactions ?? []),
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}
