/**
 * Every operation the gateway runs against the supergraph itself, as the strings it sends:
 * `npm run generate` types their results from these (`gateway/__generated__/operations.ts`).
 */
import {
  DRUG_FACTS,
  EVERYTHING_LISTS,
  EVERYTHING_PATIENT,
  PATIENT,
  PATIENT_BY_IDENTIFIER,
  PATIENTS_BY_IDENTIFIERS,
  SUMMARY,
  SUMMARY_MEDICATIONS,
  SUMMARY_RESULTS,
  TREND,
} from './fhir/queries';
import { UPLOAD_OUTCOME_FIELDS } from './uploads';

/** The batch uploads' operations differ only in their field and input type; what each line answers is typed once. */
const UPLOAD_OUTCOME = `fragment UploadOutcomeFields on UploadOutcome { ${UPLOAD_OUTCOME_FIELDS} }`;

export const GATEWAY_OPERATIONS = [
  PATIENT,
  PATIENT_BY_IDENTIFIER,
  PATIENTS_BY_IDENTIFIERS,
  EVERYTHING_PATIENT,
  ...Object.values(EVERYTHING_LISTS),
  SUMMARY,
  SUMMARY_MEDICATIONS,
  SUMMARY_RESULTS,
  DRUG_FACTS,
  TREND,
  UPLOAD_OUTCOME,
];
