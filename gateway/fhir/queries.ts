/**
 * The GraphQL operations the FHIR API runs through the gateway's pipeline: the only way it
 * reaches data, so every policy, omission and audit of the GraphQL API applies unchanged.
 * One operation per kind of record keeps each within the gateway's cost limit at the largest
 * page; each is one batched round of subgraph queries whatever the number of records.
 */

const ORGANIZATION = `code name level district`;
const SOURCE = `source { organization { ${ORGANIZATION} } recordId uploadedAt }`;
const CODING = `system code display`;
const PAGE = `pageInfo { hasNextPage endCursor }`;

export const PATIENT_FIELDS = `id name gender birthDate idNumber phone district active identifiers { system value assigner { ${ORGANIZATION} } }`;

export const PATIENT = `query FhirPatient($id: ID!) { resident(id: $id) { ${PATIENT_FIELDS} } }`;

/** A batch's Patients, all in one read (at most 100 identifiers). */
export const PATIENTS_BY_IDENTIFIERS = `query FhirPatientsByIdentifiers($identifiers: [IdentifierInput!]!) { residentsByIdentifiers(identifiers: $identifiers) { id } }`;
export const PATIENT_BY_IDENTIFIER = `query FhirPatientByIdentifier($system: IdentifierSystem!, $value: String!) { residentByIdentifier(system: $system, value: $value) { ${PATIENT_FIELDS} } }`;

const ALLERGY = `id substance { ${CODING} } category criticality reactions ${SOURCE}`;
const CONDITION = `id code { ${CODING} } clinicalStatus verificationStatus onset ${SOURCE}`;
const ENCOUNTER = `id organization { ${ORGANIZATION} } class status department start end attendingPractitioner diagnoses { code { ${CODING} } rank primary } chargesFen ${SOURCE}`;
const OBSERVATION = `code { ${CODING} } value unit valueCoded { ${CODING} } valueText referenceRange { low high text } interpretation critical method`;
const LAB_REPORT = `id organization { ${ORGANIZATION} } category code { ${CODING} } localCode status collectedAt effectiveAt issuedAt orderingPractitioner conclusion results { ${OBSERVATION} } source { organization { ${ORGANIZATION} } recordId uploadedAt }`;
const PRESCRIPTION = `id prescriber { ${ORGANIZATION} } prescriberPractitioner diagnoses { ${CODING} } items { drug { ${CODING} } strength dose doseUnit route frequency days quantity instructions } status issuedAt validUntil encounter { id } dispensing { pharmacist pharmacy { ${ORGANIZATION} } at lot }`;
const REFERRAL = `id direction fromOrganization { ${ORGANIZATION} } fromPractitioner toOrganization { ${ORGANIZATION} } toDepartment reason diagnoses { ${CODING} } urgency status requestedAt`;

/** The patient with the unpaged lists (allergies): the first page of $everything. */
export const EVERYTHING_PATIENT = `query FhirEverythingPatient($id: ID!) { resident(id: $id) { ${PATIENT_FIELDS} allergies { assertion items { ${ALLERGY} } } } }`;

/** One paged list of the record per kind, each its own operation. */
export const EVERYTHING_LISTS = {
  encounters: `query FhirEncounters($id: ID!, $first: Int!, $after: String) { resident(id: $id) { id encounters(first: $first, after: $after) { edges { node { ${ENCOUNTER} } } ${PAGE} } } }`,
  conditions: `query FhirConditions($id: ID!, $first: Int!, $after: String) { resident(id: $id) { id conditions(first: $first, after: $after) { edges { node { ${CONDITION} } } ${PAGE} } } }`,
  labReports: `query FhirLabReports($id: ID!, $first: Int!, $after: String) { resident(id: $id) { id labReports(first: $first, after: $after) { edges { node { ${LAB_REPORT} } } ${PAGE} } } }`,
  prescriptions: `query FhirPrescriptions($id: ID!, $first: Int!, $after: String) { resident(id: $id) { id prescriptions(first: $first, after: $after) { edges { node { ${PRESCRIPTION} } } ${PAGE} } } }`,
  referrals: `query FhirReferrals($id: ID!, $first: Int!, $after: String) { resident(id: $id) { id referrals(first: $first, after: $after) { edges { node { ${REFERRAL} } } ${PAGE} } } }`,
} as const;

export type ListKind = keyof typeof EVERYTHING_LISTS;
export const LIST_KINDS = Object.keys(EVERYTHING_LISTS) as ListKind[];

/** The patient summary: the doctor's first screen, current prescriptions and recent results. */
export const SUMMARY = `query FhirSummary($id: ID!) { resident(id: $id) { ${PATIENT_FIELDS} summary { activeProblems { ${CONDITION} } allergies { assertion items { ${ALLERGY} } } } } }`;
export const SUMMARY_MEDICATIONS = `query FhirSummaryMedications($id: ID!, $first: Int!) { resident(id: $id) { id prescriptions(first: $first) { edges { node { ${PRESCRIPTION} } } } } }`;
export const SUMMARY_RESULTS = `query FhirSummaryResults($id: ID!, $first: Int!) { resident(id: $id) { id labReports(first: $first) { edges { node { ${LAB_REPORT} } } } } }`;

/** The catalogue facts of the drugs a response prescribes (their INN labels what they reveal). */
export const DRUG_FACTS = `query FhirDrugFacts($codes: [String!]!) { drugs(codes: $codes, first: 100) { code inn } }`;

/** One analyte across hospitals, in the catalogue's canonical unit. */
export const TREND = `query FhirTrend($id: ID!, $code: String!, $since: String) { resident(id: $id) { id labTrend(code: $code, since: $since) { code { ${CODING} } unit points { at value reportedValue reportedUnit interpretation organization { ${ORGANIZATION} } reportId } } } }`;
