/**
 * The drug catalogue's facts a prescription's FHIR resources need, asked of the GraphQL API
 * like any client: one operation per FHIR request, for every drug its prescriptions name.
 */
import type { FhirDrugFactsQuery } from '../__generated__/operations';
import type { Ask } from './api';
import { DRUG_FACTS } from './queries';
import type { PrescriptionRecord } from './records';

/** A drug's INN by its NMPA approval number; a code the catalogue does not know is absent. */
export type DrugInns = ReadonlyMap<string, string>;

export async function drugInns(ask: Ask, prescriptions: readonly PrescriptionRecord[]): Promise<DrugInns> {
  const codes = [...new Set(prescriptions.flatMap((prescription) => prescription.items.map((item) => item.drug.code)))];
  if (codes.length === 0) return new Map();
  const answer = await ask<FhirDrugFactsQuery>(DRUG_FACTS, { codes });
  return new Map((answer.data.drugs ?? []).map((drug) => [drug.code, drug.inn]));
}
