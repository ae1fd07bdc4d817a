/**
 * The shapes the FHIR API's GraphQL operations (queries.ts) return: the API's, not FHIR's.
 * Each is a part of an operation's result type, generated from the operation itself
 * (`npm run generate`, gateway/__generated__/operations.ts).
 */
import type {
  FhirConditionsQuery,
  FhirEncountersQuery,
  FhirEverythingPatientQuery,
  FhirLabReportsQuery,
  FhirPatientQuery,
  FhirPrescriptionsQuery,
  FhirReferralsQuery,
  FhirTrendQuery,
} from '../__generated__/operations';

/** The resident an operation asks about, when it is visible. */
type ResidentOf<Answer extends { resident: unknown }> = NonNullable<Answer['resident']>;
/** The records of one of the resident's paged lists. */
type NodeOf<Answer extends { resident: unknown }, List extends keyof ResidentOf<Answer>> =
  NonNullable<ResidentOf<Answer>[List]> extends { edges: { node: infer Node }[] } ? Node : never;

export type ResidentRecord = ResidentOf<FhirPatientQuery>;
export type AllergyStatementRecord = NonNullable<ResidentOf<FhirEverythingPatientQuery>['allergies']>;
/** `reactions` is null when withheld from the viewer (a restricted category, another organization's allergy). */
export type AllergyRecord = AllergyStatementRecord['items'][number];
export type ConditionRecord = NodeOf<FhirConditionsQuery, 'conditions'>;
export type EncounterRecord = NodeOf<FhirEncountersQuery, 'encounters'>;
export type LabReportRecord = NodeOf<FhirLabReportsQuery, 'labReports'>;
export type ObservationRecord = LabReportRecord['results'][number];
export type PrescriptionRecord = NodeOf<FhirPrescriptionsQuery, 'prescriptions'>;
export type ReferralRecord = NodeOf<FhirReferralsQuery, 'referrals'>;
export type TrendRecord = NonNullable<ResidentOf<FhirTrendQuery>['labTrend']>;

export type Code = LabReportRecord['code'];
export type Org = LabReportRecord['organization'];
export type SourceOf = LabReportRecord['source'];

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
