/**
 * The doctor's full record: the costliest operation a client runs, with every list field of a
 * resident's record (summary, encounters, lab reports, prescriptions, referrals, care
 * relationships). Limit, round-trip and fetch tests share it, so they judge what clients send.
 */
export const FULL_RECORD_FIELDS = `name gender birthDate idNumber district summary { activeProblems { code { display } } allergies { assertion items { substance { display } } } lastEncounters { start department organization { name } } } encounters(first: 20) { edges { node { start class department diagnoses { code { code display } primary } source { recordId organization { name } } } } pageInfo { hasNextPage endCursor } } labReports(first: 20) { edges { node { code { display } issuedAt organization { name } results { code { display } value unit referenceRange { low high text } interpretation critical } } } } prescriptions(first: 20) { edges { node { status prescriber { name } items { drug { display } dose frequency days } } } } referrals { edges { node { status reason toOrganization { name } toDepartment } } } careRelationships { kind since organization { name } }`;

export const FULL_RECORD = `query FullRecord($id: ID!) { resident(id: $id) { ${FULL_RECORD_FIELDS} } }`;

/** A ward list of full records: the batch form of the same selection. */
export const FULL_RECORDS = `query FullRecords($ids: [ID!]!) { residents(ids: $ids) { id ${FULL_RECORD_FIELDS} } }`;
