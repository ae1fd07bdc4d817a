/**
 * Consent labels of the clinical record: what each encounter, condition and allergy reveals,
 * from its codes and the text it was written with. Encounters and conditions in a category
 * the resident restricted are left out for other organizations; an allergy stays, since
 * drug-allergy warnings are made of it, and only its labelled text is withheld.
 */
import {
  categoriesOf,
  type SensitiveCategory,
  sensitivitiesOfDiagnosis,
  sensitivitiesOfTexts,
  sensitivityOfDepartment,
  unionOf,
} from '../../access-control/sensitivity';
import type { AllergyDoc, ConditionDoc, EncounterDoc } from './models';

/** An allergy as a viewer gets it: reactions null when its text is withheld from them. */
export type AllergyView = Omit<AllergyDoc, 'reactions'> & { reactions: string[] | null };

type Coded = { code: string; display: string };

/** What an encounter reveals: its diagnoses (codes and displays) and its department. */
export function encounterSensitivities(department: string, diagnoses: readonly Coded[]): SensitiveCategory[] {
  return unionOf(...diagnoses.map(sensitivitiesOfDiagnosis), categoriesOf([sensitivityOfDepartment(department)]));
}

/** What a condition reveals: its ICD-10 code and its display. */
export const conditionSensitivities = (code: Coded): SensitiveCategory[] => sensitivitiesOfDiagnosis(code);

/**
 * What an allergy's text reveals: its reactions. The substance is not read: it is the fact
 * the warnings need and is shown whatever it reveals.
 */
export const allergySensitivities = (reactions: readonly string[]): SensitiveCategory[] => sensitivitiesOfTexts(reactions);

// Labels on read: the stored label united with a fresh one, so records stored before a label
// existed (or under older code and term lists) are never shown unlabelled.

export const encounterLabel = (encounter: EncounterDoc) => ({
  categories: unionOf(
    encounter.sensitivities,
    encounterSensitivities(
      encounter.department,
      encounter.diagnoses.map((diagnosis) => diagnosis.code),
    ),
  ),
  organizationCode: encounter.organizationCode,
});

export const conditionLabel = (condition: ConditionDoc) => ({
  categories: unionOf(condition.sensitivities, categoriesOf([condition.sensitivity ?? null]), conditionSensitivities(condition.code)),
  organizationCode: condition.source.organizationCode,
});

export const allergyLabel = (allergy: AllergyDoc) => ({
  categories: unionOf(allergy.sensitivities, allergySensitivities(allergy.reactions)),
  organizationCode: allergy.source.organizationCode,
});

/** The allergy with its text left out: substance, category and criticality stay for the warnings. */
export const withoutText = (allergy: AllergyDoc): AllergyView => ({ ...allergy, reactions: null });
