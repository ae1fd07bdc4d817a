/**
 * The master patient index's invariants, through the real gateway: an identifier never links
 * two ID numbers; unmerging restores both records exactly; records filed before a merge can be
 * re-uploaded afterwards; and of concurrent decisions on one review exactly one wins.
 */

import { makeIdNumber } from '../../../access-control/id-number';
import { oneOf } from '../../../platform/database';
import { insertHospitals, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(120_000);

const { stack, ok, codes } = useStack({}, async () => {
  await insertHospitals(stack);
});

const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const labSystem = (organizationCode: string) => stack.token({ subject: `lis-${organizationCode}`, roles: ['lab_system'], organizationCode });
const privacyOfficer = () => stack.token({ subject: 'po-1', roles: ['privacy_officer'] });
const doctorAt = (organizationCode: string) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode });
const residentToken = (residentId: string) => stack.token({ subject: `citizen-${residentId}`, roles: ['resident'], residentId });
const models = () => modelsOf(stack);

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterResidentInput!) {
    registerResident(input: $input) {
      outcome
      resident { id }
      review { id status score reasons candidate { residentId } registered { residentId } }
    }
  }
`;
const register = async (organizationCode: string, input: Record<string, unknown>) =>
  (await ok(hospitalSystem(organizationCode), REGISTER, { input })).registerResident;

function registration(overrides: Record<string, unknown>) {
  return { name: '孙立新', gender: 'MALE', birthDate: '1962-04-18', phone: '13905160001', district: '玄武区', ...overrides };
}
const mrn = (value: string) => ({ system: 'MEDICAL_RECORD_NUMBER', value });
const insuranceCard = (value: string) => ({ system: 'MEDICAL_INSURANCE_CARD', value });

const MERGE = `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`;
const UNMERGE = `mutation($m: ID!) { unmergeResident(mergedId: $m, reason: "不是同一人，撤销合并") { id } }`;
const RESOLVE = `mutation($id: ID!, $decision: MatchDecision!) { resolveMatchReview(id: $id, decision: $decision, reason: "核对身份证后决定") { id status } }`;

describe('identifiers link only where ID numbers agree', () => {
  const X = makeIdNumber('320102', '1962-04-18', 31);
  const Y = makeIdNumber('320102', '1962-04-18', 33);

  it('opens a review instead of linking a known medical record number to a registration with another ID number', async () => {
    const first = await register('3201-H001', registration({ idNumber: X, identifier: mrn('MRN-CONFLICT-1') }));
    const second = await register('3201-H001', registration({ idNumber: Y, identifier: mrn('MRN-CONFLICT-1') }));

    expect(second.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    expect(second.resident.id).not.toBe(first.resident.id);
    expect(second.review).toEqual({
      id: expect.any(String),
      status: 'OPEN',
      score: 0,
      reasons: ['same medical record number', 'different ID numbers'],
      candidate: { residentId: first.resident.id },
      registered: { residentId: second.resident.id },
    });
    // Nothing linked: the number stays with the first record, which keeps its ID number.
    expect(await models().records.ResidentIdentifier.findById('MEDICAL_RECORD_NUMBER|3201-H001|MRN-CONFLICT-1').lean()).toMatchObject({
      residentId: first.resident.id,
    });
    expect(await models().records.ResidentIdentifier.findById(`RESIDENT_ID_CARD||${Y}`).lean()).toMatchObject({ residentId: second.resident.id });
    expect(await models().records.Resident.findById(first.resident.id).lean()).toMatchObject({ idNumber: X, mergedIds: [] });

    // The same registration again is the same person and the same review, not a new one.
    const again = await register('3201-H001', registration({ idNumber: Y, identifier: mrn('MRN-CONFLICT-1') }));
    expect(again).toMatchObject({ outcome: 'MATCHED', resident: { id: second.resident.id }, review: { id: second.review.id } });
    expect(await models().records.MatchReview.countDocuments({ 'candidate.residentId': first.resident.id })).toBe(1);

    // Different ID numbers are never the same person: linking is refused and the review stays open.
    expect(await codes(privacyOfficer(), RESOLVE, { id: second.review.id, decision: 'LINK' })).toEqual(['CONFLICT']);
    expect(await models().records.MatchReview.findById(second.review.id).lean()).toMatchObject({ status: 'OPEN' });
    expect(await models().records.Resident.findById(second.resident.id).lean()).toMatchObject({ active: true, mergedInto: null });
    expect((await ok(privacyOfficer(), RESOLVE, { id: second.review.id, decision: 'SEPARATE' })).resolveMatchReview).toEqual({
      id: second.review.id,
      status: 'SEPARATED',
    });
  });

  it('opens a review when a known insurance card arrives with an ID number that belongs to another record', async () => {
    const P = makeIdNumber('320102', '1962-04-18', 35);
    const Q = makeIdNumber('320102', '1962-04-18', 37);
    const holder = await register('3201-H001', registration({ idNumber: P, identifier: insuranceCard('INS-CONFLICT-1') }));
    const other = await register('3201-H002', registration({ name: '孙立军', idNumber: Q, identifier: mrn('MRN-Q-1') }));

    const desk = await register('3201-H101', registration({ name: '孙立军', idNumber: Q, identifier: insuranceCard('INS-CONFLICT-1') }));
    expect(desk.outcome).toBe('MATCHED');
    expect(desk.resident.id).toBe(other.resident.id);
    expect(desk.review).toMatchObject({
      reasons: ['same medical insurance card', 'different ID numbers'],
      candidate: { residentId: holder.resident.id },
      registered: { residentId: other.resident.id },
    });
    // The desk's hospital got standing with the person its ID card proved, not the card's holder.
    expect(await codes(doctorAt('3201-H101'), `query($id: ID!) { resident(id: $id) { id } }`, { id: holder.resident.id })).toEqual(['FORBIDDEN']);
    expect(await models().records.ResidentIdentifier.findById('MEDICAL_INSURANCE_CARD||INS-CONFLICT-1').lean()).toMatchObject({
      residentId: holder.resident.id,
    });
  });

  it('links a registration found by its identifier without ever giving the record the ID number typed at the desk', async () => {
    const R = makeIdNumber('320102', '1962-04-18', 39);
    const unproofed = await register('3201-H001', registration({ name: '孙立华', phone: '13905160009', idNumber: null, identifier: mrn('MRN-LATE-ID') }));
    const proofed = await register('3201-H001', registration({ name: '孙立华', phone: '13905160009', idNumber: R, identifier: mrn('MRN-LATE-ID') }));
    expect(proofed).toMatchObject({ outcome: 'MATCHED', resident: { id: unproofed.resident.id }, review: null });
    expect(await models().records.Resident.findById(unproofed.resident.id).lean()).toMatchObject({ idNumber: null, idLast4: null });
    expect(await models().records.ResidentIdentifier.find({ residentId: unproofed.resident.id, system: 'RESIDENT_ID_CARD' }).lean()).toEqual([]);

    // The same ID number at another desk, with the same demographics: the record never had it,
    // so it is not proof: a new record and a review, and nothing of the first record opens.
    const elsewhere = await register('3201-H002', registration({ name: '孙立华', phone: '13905160009', idNumber: R, identifier: mrn('MRN-H2-LATE') }));
    expect(elsewhere.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    expect(elsewhere.resident.id).not.toBe(unproofed.resident.id);
    expect(elsewhere.review).toMatchObject({ status: 'OPEN', candidate: { residentId: unproofed.resident.id } });
    expect(await codes(doctorAt('3201-H002'), `query($id: ID!) { resident(id: $id) { id } }`, { id: unproofed.resident.id })).toEqual(['FORBIDDEN']);
  });
});

describe('unmerge restores both records exactly', () => {
  it('gives back identifiers, the ID number, care relationships and consent', async () => {
    const T = makeIdNumber('320105', '1955-08-30', 52);
    const survivor = await register(
      '3201-H001',
      registration({ name: '冯秀英', gender: 'FEMALE', birthDate: '1955-08-30', phone: '13905160101', idNumber: null, identifier: mrn('MRN-S-1') }),
    );
    const merged = await register(
      '3201-H002',
      registration({ name: '冯秀英', gender: 'FEMALE', birthDate: '1955-08-30', phone: '13905160102', idNumber: T, identifier: insuranceCard('INS-M-1') }),
    );
    const [s, m] = [survivor.resident.id, merged.resident.id];
    await ok(
      residentToken(m),
      `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: ["3201-H105"]) { updatedAt } }`,
      { id: m },
    );

    const IDENTIFIERS = `query($id: ID!) { resident(id: $id) { id identifiers { system value } } }`;
    const identifiersOf = async (id: string) => (await ok(privacyOfficer(), IDENTIFIERS, { id })).resident;
    const store = async () => ({
      residents: await models()
        .records.Resident.find({ _id: oneOf([s, m]) }, { _id: 1, idNumber: 1, idLast4: 1, active: 1, mergedInto: 1, mergedIds: 1 })
        .sort({ _id: 1 })
        .lean(),
      identifiers: await models()
        .records.ResidentIdentifier.find({ residentId: oneOf([s, m]) }, { _id: 1, residentId: 1 })
        .sort({ _id: 1 })
        .lean(),
      relationships: await models()
        .access.CareRelationship.find({ residentId: oneOf([s, m]) }, { _id: 1, residentId: 1, endsAt: 1 })
        .sort({ _id: 1 })
        .lean(),
      consents: await models()
        .access.Consent.find({ _id: oneOf([s, m]) }, { updatedAt: 0 })
        .sort({ _id: 1 })
        .lean(),
      aliases: await models()
        .access.ResidentAlias.find({ _id: oneOf([s, m]) })
        .lean(),
    });
    expect(await identifiersOf(s)).toEqual({ id: s, identifiers: [{ system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-S-1' }] });
    const before = await store();

    await ok(privacyOfficer(), MERGE, { s, m });
    expect(await models().records.Resident.findById(s).lean()).toMatchObject({ idNumber: T, idLast4: T.slice(-4), mergedIds: [m] });
    const whileMerged = await identifiersOf(m);
    expect(whileMerged.id).toBe(s);
    expect(whileMerged.identifiers.map((identifier: any) => identifier.system).sort()).toEqual([
      'MEDICAL_INSURANCE_CARD',
      'MEDICAL_RECORD_NUMBER',
      'RESIDENT_ID_CARD',
    ]);
    expect((await ok(doctorAt('3201-H002'), `query($id: ID!) { resident(id: $id) { id } }`, { id: s })).resident.id).toBe(s);

    await ok(privacyOfficer(), UNMERGE, { m });
    expect(await store()).toEqual(before);
    expect(before.residents).toEqual(
      [
        { _id: s, idNumber: null, idLast4: null, active: true, mergedInto: null, mergedIds: [] },
        { _id: m, idNumber: T, idLast4: T.slice(-4), active: true, mergedInto: null, mergedIds: [] },
      ].sort((a, b) => a._id.localeCompare(b._id)),
    );
    expect(before.consents).toEqual([{ _id: m, restrictedCategories: ['MENTAL_HEALTH'], blockedOrganizations: ['3201-H105'] }]);
    expect(await identifiersOf(s)).toEqual({ id: s, identifiers: [{ system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-S-1' }] });
    expect((await identifiersOf(m)).identifiers.map((identifier: any) => identifier.system).sort()).toEqual(['MEDICAL_INSURANCE_CARD', 'RESIDENT_ID_CARD']);
    // Each hospital reaches only the record it registered again.
    expect(await codes(doctorAt('3201-H002'), `query($id: ID!) { resident(id: $id) { id } }`, { id: s })).toEqual(['FORBIDDEN']);
    expect(await codes(doctorAt('3201-H001'), `query($id: ID!) { resident(id: $id) { id } }`, { id: m })).toEqual(['FORBIDDEN']);
    // Only the record that owns the ID number answers for it: the survivor's hospital finds nothing by it.
    const SEARCH = `query($tail: String!) { searchResidents(criteria: { idNumberLast4: $tail, district: "玄武区" }) { edges { node { id } } } }`;
    expect((await ok(doctorAt('3201-H001'), SEARCH, { tail: T.slice(-4) })).searchResidents.edges).toEqual([]);
    expect((await ok(doctorAt('3201-H002'), SEARCH, { tail: T.slice(-4) })).searchResidents.edges).toEqual([{ node: { id: m } }]);
  });
});

describe('records filed before a merge', () => {
  const ENCOUNTER = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id status } }`;
  const CONDITION = `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id clinicalStatus } }`;
  const ALLERGY = `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion items { id criticality } } }`;
  const LAB = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id version results { value } } }`;
  const encounter = (residentId: string, status: string) => ({
    residentId,
    sourceRecordId: 'V-PREMERGE-1',
    class: 'OUTPATIENT',
    status,
    department: '内分泌科',
    start: '2026-10-02T01:00:00.000Z',
    diagnoses: [{ code: 'E11.9', display: '2型糖尿病', rank: 1, primary: true }],
  });
  const condition = (residentId: string, clinicalStatus: string) => ({
    residentId,
    sourceRecordId: 'C-PREMERGE-1',
    code: 'E11.9',
    display: '2型糖尿病',
    clinicalStatus,
    verificationStatus: 'CONFIRMED',
  });
  const allergy = (residentId: string, criticality: string) => ({
    residentId,
    sourceRecordId: 'A-PREMERGE-1',
    substance: { system: 'allergy-group', code: 'PENICILLINS', display: '青霉素类' },
    category: 'MEDICATION',
    criticality,
  });
  const lab = (residentId: string, value: number) => ({
    residentId,
    sourceReportId: 'R-PREMERGE-1',
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: '2026-10-02T03:00:00.000Z',
    subjectSex: 'MALE',
    subjectBirthDate: '1970-01-15',
    results: [{ code: '14749-6', value, unit: 'mmol/L' }],
  });

  it('are re-uploaded onto the survivor, under either id, idempotently and in place', async () => {
    const survivor = await register(
      '3201-H001',
      registration({
        name: '蒋志强',
        birthDate: '1970-01-15',
        phone: '13905160201',
        idNumber: makeIdNumber('320111', '1970-01-15', 61),
        identifier: mrn('MRN-S-2'),
      }),
    );
    const merged = await register(
      '3201-H002',
      registration({ name: '蒋志强', birthDate: '1970-01-15', phone: '13905160202', idNumber: null, identifier: mrn('MRN-M-2') }),
    );
    const stranger = await register(
      '3201-H002',
      registration({
        name: '韩梅',
        gender: 'FEMALE',
        birthDate: '1988-02-02',
        phone: '13905160203',
        idNumber: makeIdNumber('320111', '1988-02-02', 62),
        identifier: mrn('MRN-X-2'),
      }),
    );
    const [s, m] = [survivor.resident.id, merged.resident.id];
    await models().labs.Laboratory.create({ _id: '3201-H002', certifiedScope: 'CITY' });
    const his = hospitalSystem('3201-H002');
    const lis = labSystem('3201-H002');

    const first = {
      encounter: (await ok(his, ENCOUNTER, { input: encounter(m, 'IN_PROGRESS') })).recordEncounter,
      condition: (await ok(his, CONDITION, { input: condition(m, 'ACTIVE') })).recordCondition,
      allergy: (await ok(his, ALLERGY, { input: allergy(m, 'LOW') })).recordAllergy.items[0],
      report: (await ok(lis, LAB, { input: lab(m, 5.4) })).submitLabReport,
    };
    await ok(privacyOfficer(), MERGE, { s, m });

    for (const residentId of [m, s, s]) {
      expect((await ok(his, ENCOUNTER, { input: encounter(residentId, 'FINISHED') })).recordEncounter).toEqual({ id: first.encounter.id, status: 'FINISHED' });
      expect((await ok(his, CONDITION, { input: condition(residentId, 'RESOLVED') })).recordCondition).toEqual({
        id: first.condition.id,
        clinicalStatus: 'RESOLVED',
      });
      expect((await ok(his, ALLERGY, { input: allergy(residentId, 'HIGH') })).recordAllergy).toEqual({
        assertion: 'HAS_ALLERGIES',
        items: [{ id: first.allergy.id, criticality: 'HIGH' }],
      });
      expect((await ok(lis, LAB, { input: lab(residentId, 6.2) })).submitLabReport).toEqual({ id: first.report.id, version: 2, results: [{ value: 6.2 }] });
    }
    // One document each, still filed under the merged id (an unmerge gives it back), read as the survivor's.
    expect(await models().records.Encounter.find({ 'source.recordId': 'V-PREMERGE-1' }, { residentId: 1, status: 1 }).lean()).toEqual([
      { _id: first.encounter.id, residentId: m, status: 'FINISHED' },
    ]);
    expect(await models().records.Condition.find({ 'source.recordId': 'C-PREMERGE-1' }, { residentId: 1, clinicalStatus: 1 }).lean()).toEqual([
      { _id: first.condition.id, residentId: m, clinicalStatus: 'RESOLVED' },
    ]);
    expect(await models().records.Allergy.find({ 'source.recordId': 'A-PREMERGE-1' }, { residentId: 1, criticality: 1 }).lean()).toEqual([
      { _id: first.allergy.id, residentId: m, criticality: 'HIGH' },
    ]);
    expect(await models().labs.LabReport.find({ 'source.recordId': 'R-PREMERGE-1' }, { residentId: 1, version: 1 }).lean()).toEqual([
      { _id: first.report.id, residentId: m, version: 2 },
    ]);
    // A record first uploaded while merged is filed under the survivor.
    const fresh = (await ok(his, ENCOUNTER, { input: { ...encounter(m, 'FINISHED'), sourceRecordId: 'V-WHILE-MERGED' } })).recordEncounter;
    expect(await models().records.Encounter.find({ 'source.recordId': 'V-WHILE-MERGED' }, { residentId: 1 }).lean()).toEqual([
      { _id: fresh.id, residentId: s },
    ]);
    const record = await ok(
      doctorAt('3201-H001'),
      `query($id: ID!) { resident(id: $id) { encounters { edges { node { id } } } labReports { edges { node { id } } } } }`,
      { id: s },
    );
    expect(record.resident.encounters.edges.map((edge: any) => edge.node.id).sort()).toEqual([first.encounter.id, fresh.id].sort());
    expect(record.resident.labReports.edges.map((edge: any) => edge.node.id)).toEqual([first.report.id]);

    // Another resident still cannot take them over.
    await ok(privacyOfficer(), UNMERGE, { m });
    for (const [query, input] of [
      [ENCOUNTER, encounter(stranger.resident.id, 'FINISHED')],
      [CONDITION, condition(stranger.resident.id, 'RESOLVED')],
      [ALLERGY, allergy(stranger.resident.id, 'HIGH')],
    ] as const) {
      expect(await codes(his, query, { input })).toEqual(['CONFLICT']);
    }
    expect(await codes(lis, LAB, { input: lab(stranger.resident.id, 6.2) })).toEqual(['CONFLICT']);
    expect(await models().records.Encounter.find({ 'source.recordId': 'V-PREMERGE-1' }, { residentId: 1 }).lean()).toEqual([
      { _id: first.encounter.id, residentId: m },
    ]);
  });
});

describe('match review decisions under concurrency', () => {
  async function openReview(tag: number) {
    const phone = `1390516${String(300 + tag).padStart(4, '0')}`;
    const original = await register(
      '3201-H001',
      registration({ name: '王晓明', birthDate: `1975-06-0${tag}`, idNumber: null, phone, identifier: mrn(`MRN-RACE-A${tag}`) }),
    );
    const typo = await register(
      '3201-H002',
      registration({ name: '王小明', birthDate: `1975-06-0${tag}`, idNumber: null, phone, identifier: mrn(`MRN-RACE-B${tag}`) }),
    );
    expect(typo.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    return { reviewId: typo.review.id as string, candidate: original.resident.id as string, registered: typo.resident.id as string };
  }

  it.each([1, 2, 3])('round %i: of 10 concurrent LINK and SEPARATE decisions exactly one wins, and the records match it', async (tag) => {
    const { reviewId, candidate, registered } = await openReview(tag);
    const decisions = Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 'LINK' : 'SEPARATE'));
    const answers = await Promise.all(decisions.map((decision) => stack.query(privacyOfficer(), RESOLVE, { id: reviewId, decision })));

    const winners = answers.flatMap(({ body }, index) =>
      body.errors ? [] : [{ decision: decisions[index]!, status: body.data!.resolveMatchReview.status as string }],
    );
    expect(winners).toHaveLength(1);
    expect(answers.flatMap(({ body }) => (body.errors ?? []).map((error) => error.extensions?.code))).toEqual(Array(9).fill('CONFLICT'));
    const [winner] = winners;
    expect(winner!.status).toBe(winner!.decision === 'LINK' ? 'LINKED' : 'SEPARATED');
    expect(await models().records.MatchReview.findById(reviewId).lean()).toMatchObject({ status: winner!.status, resolvedBy: 'po-1' });

    const [candidateDoc, registeredDoc] = await Promise.all([candidate, registered].map((id) => models().records.Resident.findById(id).lean()));
    if (winner!.decision === 'LINK') {
      expect(candidateDoc).toMatchObject({ active: true, mergedIds: [registered] });
      expect(registeredDoc).toMatchObject({ active: false, mergedInto: candidate });
      expect(candidateDoc!.mergeHistory.map((event: any) => event.action)).toEqual(['MERGED']);
      expect(await models().access.ResidentAlias.find({ _id: registered }, { survivorId: 1 }).lean()).toEqual([{ _id: registered, survivorId: candidate }]);
    } else {
      expect(candidateDoc).toMatchObject({ active: true, mergedInto: null, mergedIds: [], mergeHistory: [] });
      expect(registeredDoc).toMatchObject({ active: true, mergedInto: null, mergedIds: [], mergeHistory: [] });
      expect(await models().access.ResidentAlias.countDocuments({ _id: registered })).toBe(0);
    }
  });
});

describe('merges and unmerges under concurrency', () => {
  it('of 10 concurrent merges of one pair, then 10 concurrent unmerges, exactly one of each happens', async () => {
    const first = await register(
      '3201-H001',
      registration({ name: '杨桂兰', gender: 'FEMALE', birthDate: '1951-09-09', phone: '13905160401', idNumber: null, identifier: mrn('MRN-RACE-M1') }),
    );
    const second = await register(
      '3201-H002',
      registration({ name: '杨桂兰', gender: 'FEMALE', birthDate: '1951-09-09', phone: '13905160402', idNumber: null, identifier: mrn('MRN-RACE-M2') }),
    );
    const [s, m] = [first.resident.id, second.resident.id];
    const outcomes = async (query: string, variables: Record<string, unknown>) => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => stack.query(privacyOfficer(), query, variables)));
      return answers.map(({ body }) => (body.errors ? body.errors.map((error) => error.extensions?.code).join() : 'OK')).sort();
    };
    const history = async (id: string) =>
      ((await models().records.Resident.findById(id).lean()) as any).mergeHistory.map((event: any) => `${event.action} ${event.otherResidentId}`);

    expect(await outcomes(MERGE, { s, m })).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'OK',
    ]);
    expect(await history(s)).toEqual([`MERGED ${m}`]);
    expect(await history(m)).toEqual([`MERGED_INTO ${s}`]);
    expect(await models().records.Resident.findById(s).lean()).toMatchObject({ active: true, mergedIds: [m] });

    expect(await outcomes(UNMERGE, { m })).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'OK',
    ]);
    expect(await history(s)).toEqual([`MERGED ${m}`, `UNMERGED ${m}`]);
    expect(await history(m)).toEqual([`MERGED_INTO ${s}`, `UNMERGED_FROM ${s}`]);
    expect(
      await models()
        .records.Resident.find({ _id: oneOf([s, m]) }, { active: 1, mergedInto: 1, mergedIds: 1 })
        .sort({ _id: 1 })
        .lean(),
    ).toEqual([s, m].sort().map((_id) => ({ _id, active: true, mergedInto: null, mergedIds: [] })));
    expect(await models().access.ResidentAlias.countDocuments({ _id: m })).toBe(0);
  });
});
