/**
 * The master patient index and the cross-hospital record, through the real gateway:
 * hospital systems register residents and upload encounters; matching links the same
 * person across hospitals and keeps different people apart; merges are reversible.
 */
import { makeIdNumber } from '../../../access-control/id-number';
import { insertHospitals, modelsOf } from '../../support/fixtures';
import { roundTripsOf } from '../../support/round-trips';
import { useStack } from '../../support/stack-fixture';

// The stack checks at stop that every filter the subgraphs sent is served by a declared index.
const { stack, ok } = useStack(
  {},
  async () => {
    await insertHospitals(stack);
  },
  {
    beforeStop: () => {
      expect(stack.commandsSent.filter((command) => command.commandName === 'find' && command.command.find === 'residents').length).toBeGreaterThan(10);
    },
  },
);

const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const privacyOfficer = () => stack.token({ subject: 'po-1', roles: ['privacy_officer'] });
const doctorAt = (organizationCode: string) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode });

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterResidentInput!) {
    registerResident(input: $input) {
      outcome
      resident { id name identifiers { system value assigner { code } } }
      review { id score reasons candidate { residentId } registered { residentId } }
    }
  }
`;

let mrn = 1000;
function registration(overrides: Record<string, unknown> = {}) {
  return {
    name: '周建国',
    gender: 'MALE',
    birthDate: '1958-07-21',
    idNumber: makeIdNumber('320106', '1958-07-21', 131),
    phone: '13905161234',
    district: '鼓楼区',
    identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN${mrn++}` },
    ...overrides,
  };
}

const register = async (organizationCode: string, input: Record<string, unknown>) =>
  (await ok(hospitalSystem(organizationCode), REGISTER, { input })).registerResident;

describe('registration and matching', () => {
  it('links the same ID number registered at two hospitals to one golden record', async () => {
    const first = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 133) }));
    const second = await register('3201-H002', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 133), phone: '13700000000' }));

    expect(first.outcome).toBe('CREATED');
    expect(second.outcome).toBe('MATCHED');
    expect(second.resident.id).toBe(first.resident.id);
    const assigners = second.resident.identifiers
      .filter((identifier: any) => identifier.system === 'MEDICAL_RECORD_NUMBER')
      .map((identifier: any) => identifier.assigner.code);
    expect(assigners.sort()).toEqual(['3201-H001', '3201-H002']);
  });

  it('opens a review, not a link, for a typo in the name with the same birth date and phone', async () => {
    const original = await register('3201-H001', registration({ name: '王晓明', birthDate: '1971-03-09', idNumber: null, phone: '13812340001' }));
    const typo = await register('3201-H002', registration({ name: '王小明', birthDate: '1971-03-09', idNumber: null, phone: '13812340001' }));

    expect(typo.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    expect(typo.resident.id).not.toBe(original.resident.id);
    expect(typo.review).toMatchObject({ candidate: { residentId: original.resident.id }, registered: { residentId: typo.resident.id } });
    expect(typo.review.reasons).toEqual(expect.arrayContaining(['name sounds the same', 'same birth date', 'same phone']));

    const queue = await ok(privacyOfficer(), `{ matchReviews(first: 50) { edges { node { id status registered { name idNumber } candidate { name } } } } }`);
    expect(queue.matchReviews.edges.map((edge: any) => edge.node.id)).toContain(typo.review.id);
  });

  it('does not hand a desk someone else’s record on a certain score without proof: it opens a review and grants nothing', async () => {
    const person = { name: '钱德明', birthDate: '1966-11-02', phone: '13811110002' };
    const original = await register('3201-H001', registration({ ...person, idNumber: makeIdNumber('320106', '1966-11-02', 71) }));
    const unproofed = await register('3201-H002', registration({ ...person, idNumber: null }));
    expect(unproofed.outcome).toBe('CREATED_POSSIBLE_DUPLICATE');
    expect(unproofed.resident.id).not.toBe(original.resident.id);
    const doctor = stack.token({ subject: 'dr-h002', roles: ['doctor'], organizationCode: '3201-H002' });
    const { body } = await stack.query(doctor, `query($id: ID!) { resident(id: $id) { name } }`, { id: original.resident.id });
    expect(body.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN']);
  });

  it('keeps twins with different ID numbers apart', async () => {
    const twinA = await register(
      '3201-H001',
      registration({ name: '李文', birthDate: '1990-05-05', idNumber: makeIdNumber('320115', '1990-05-05', 11), phone: '13612345678' }),
    );
    const twinB = await register(
      '3201-H001',
      registration({ name: '李武', birthDate: '1990-05-05', idNumber: makeIdNumber('320115', '1990-05-05', 13), phone: '13612345678' }),
    );
    expect(twinB.outcome).toBe('CREATED');
    expect(twinB.review).toBeNull();
    expect(twinB.resident.id).not.toBe(twinA.resident.id);
  });

  it('finds the resident again by the hospital’s own medical record number', async () => {
    const input = registration({ idNumber: makeIdNumber('320106', '1958-07-21', 135) });
    const created = await register('3201-H001', input);
    const { residentByIdentifier } = await ok(
      hospitalSystem('3201-H001'),
      `query($v: String!) { residentByIdentifier(system: MEDICAL_RECORD_NUMBER, value: $v) { id } }`,
      {
        v: (input.identifier as { value: string }).value,
      },
    );
    expect(residentByIdentifier.id).toBe(created.resident.id);
    // Another hospital's numbers are its own: the same value means nothing there.
    const elsewhere = await ok(hospitalSystem('3201-H002'), `query($v: String!) { residentByIdentifier(system: MEDICAL_RECORD_NUMBER, value: $v) { id } }`, {
      v: (input.identifier as { value: string }).value,
    });
    expect(elsewhere.residentByIdentifier).toBeNull();
  });
});

describe('bad input is refused and writes nothing', () => {
  const count = async () => ({
    residents: await modelsOf(stack).records.Resident.countDocuments(),
    identifiers: await modelsOf(stack).records.ResidentIdentifier.countDocuments(),
    encounters: await modelsOf(stack).records.Encounter.countDocuments(),
  });

  it.each([
    [
      'an ID number with a wrong check digit',
      { idNumber: `${makeIdNumber('320106', '1958-07-21', 137).slice(0, 17)}0` },
      /idNumber is not a valid GB 11643 ID number/,
    ],
    [
      'a birth date that does not exist',
      { birthDate: '1958-02-30', idNumber: null },
      /birthDate must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01 \(not "1958-02-30"\)/,
    ],
    [
      'a birth date in another format',
      { birthDate: '21/07/1958', idNumber: null },
      /birthDate must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01 \(not "21\/07\/1958"\)/,
    ],
    ['a birth date that contradicts the ID number', { birthDate: '1958-07-22' }, /birthDate does not match the ID number/],
    ['an unknown district', { district: '火星区' }, /district must be one of/],
  ])('rejects %s', async (_label, overrides, message) => {
    const before = await count();
    const { body } = await stack.query(hospitalSystem('3201-H001'), REGISTER, { input: registration(overrides) });
    expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.message).toMatch(message);
    expect(await count()).toEqual(before);
  });

  it('rejects a hospital system whose organization is not in the registry', async () => {
    const before = await count();
    const { body } = await stack.query(hospitalSystem('3201-H999'), REGISTER, { input: registration() });
    expect(body.errors![0]).toMatchObject({
      message: 'Unknown organization: the caller’s organization is not in the registry',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await count()).toEqual(before);
  });

  it('rejects a malformed encounter time and an unknown ICD-10 code shape', async () => {
    const { resident } = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 139) }));
    const before = await count();
    for (const bad of [{ start: 'yesterday' }, { diagnoses: [{ code: 'hypertension', display: '高血压', rank: 1, primary: true }] }, { chargesFen: 12.5 }]) {
      const { body } = await stack.query(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, { input: encounterInput(resident.id, 'V-BAD', bad) });
      expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
    expect(await count()).toEqual(before);
  });

  it('refuses a visit that starts on a day the calendar does not have, instead of moving it to the next month', async () => {
    const { resident } = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 141) }));
    const before = await count();
    const { body } = await stack.query(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, {
      input: encounterInput(resident.id, 'V-JUNE-31', { start: '2025-06-31T01:00:00Z' }),
    });
    expect(body.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'Invalid input: start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "2025-06-31T01:00:00Z")',
      ],
    ]);
    expect(await count()).toEqual(before);
  });

  it('refuses a search too broad to identify one person', async () => {
    const { body } = await stack.query(doctorAt('3201-H001'), `{ searchResidents(criteria: { district: "鼓楼区" }) { edges { node { id } } } }`);
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors![0]!.message).toContain('identify one person');
    expect(body.data!.searchResidents).toBeNull();
  });
});

const RECORD_ENCOUNTER = /* GraphQL */ `
  mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id department diagnoses { code { code } primary } source { recordId organization { code } } } }
`;

function encounterInput(residentId: string, sourceRecordId: string, overrides: Record<string, unknown> = {}) {
  return {
    residentId,
    sourceRecordId,
    class: 'OUTPATIENT',
    status: 'FINISHED',
    department: '心血管内科',
    start: '2026-10-01T01:00:00.000Z',
    end: '2026-10-01T01:30:00.000Z',
    diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
    chargesFen: 4500,
    ...overrides,
  };
}

describe('the clinical record', () => {
  it('updates instead of duplicating when a hospital uploads the same encounter again', async () => {
    const { resident } = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 141) }));
    const first = await ok(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, { input: encounterInput(resident.id, 'V20261001-7') });
    const again = await ok(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, {
      input: encounterInput(resident.id, 'V20261001-7', { diagnoses: [{ code: 'I11.9', display: '高血压性心脏病', rank: 1, primary: true }] }),
    });
    expect(again.recordEncounter.id).toBe(first.recordEncounter.id);
    expect(again.recordEncounter.source).toEqual({ recordId: 'V20261001-7', organization: { code: '3201-H001' } });
    const stored = await modelsOf(stack).records.Encounter.find({ residentId: resident.id }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.diagnoses[0]!.code.code).toBe('I11.9');
  });

  it('gives the uploading hospital’s doctors the record, with the source of every fact', async () => {
    const { resident } = await register('3201-H002', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 143) }));
    await ok(hospitalSystem('3201-H002'), RECORD_ENCOUNTER, { input: encounterInput(resident.id, 'V-900') });
    await ok(hospitalSystem('3201-H002'), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
      input: {
        residentId: resident.id,
        sourceRecordId: 'P-1',
        code: 'I10',
        display: '原发性高血压',
        clinicalStatus: 'ACTIVE',
        verificationStatus: 'CONFIRMED',
        onset: '2019-04-01',
      },
    });
    await ok(hospitalSystem('3201-H002'), `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, {
      input: { residentId: resident.id, sourceRecordId: 'A-1', noKnownAllergies: true },
    });

    const { resident: record } = await ok(
      doctorAt('3201-H002'),
      `query($id: ID!) { resident(id: $id) { summary { activeProblems { code { code } source { organization { name } } } allergies { assertion items { id } } lastEncounters { department organization { code } } } } }`,
      { id: resident.id },
    );
    expect(record.summary).toEqual({
      activeProblems: [{ code: { code: 'I10' }, source: { organization: { name: '南京鼓楼医院' } } }],
      allergies: { assertion: 'NO_KNOWN_ALLERGIES', items: [] },
      lastEncounters: [{ department: '心血管内科', organization: { code: '3201-H002' } }],
    });
    // A doctor at a hospital that never saw the resident gets nothing.
    const { body } = await stack.query(doctorAt('3201-H001'), `query($id: ID!) { resident(id: $id) { name } }`, { id: resident.id });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('refuses “no known allergies” while allergies are on record, though the hospital system may not read them, and changes nothing', async () => {
    const { resident } = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 147) }));
    const RECORD_ALLERGY = `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion items { substance { code } } } }`;
    const recorded = await ok(hospitalSystem('3201-H001'), RECORD_ALLERGY, {
      input: {
        residentId: resident.id,
        sourceRecordId: 'A-PEN',
        substance: { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' },
        category: 'MEDICATION',
        criticality: 'HIGH',
        reactions: ['皮疹'],
      },
    });
    expect(recorded.recordAllergy).toEqual({ assertion: 'HAS_ALLERGIES', items: [{ substance: { code: 'penicillins' } }] });

    const { body } = await stack.query(hospitalSystem('3201-H001'), RECORD_ALLERGY, {
      input: { residentId: resident.id, sourceRecordId: 'A-NKA', noKnownAllergies: true },
    });
    expect(body.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['CONFLICT', 'Allergies are on record; they must be refuted before asserting none'],
    ]);
    const models = modelsOf(stack).records;
    expect((await models.Resident.findById(resident.id).lean())!.allergyAssertion).toBe('HAS_ALLERGIES');
    expect((await models.Allergy.find({ residentId: resident.id }).lean()).map((allergy) => allergy.substance.code)).toEqual(['penicillins']);
  });

  it('pages through encounters with a cursor', async () => {
    const { resident } = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 145) }));
    for (let day = 1; day <= 5; day++) {
      await ok(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, {
        input: encounterInput(resident.id, `V-P${day}`, { start: `2026-09-0${day}T01:00:00.000Z`, end: `2026-09-0${day}T02:00:00.000Z` }),
      });
    }
    const page = `query($id: ID!, $after: String) { resident(id: $id) { encounters(first: 2, after: $after) { edges { node { start } } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const data = await ok(doctorAt('3201-H001'), page, { id: resident.id, after });
      const { edges, pageInfo } = data.resident.encounters;
      seen.push(...edges.map((edge: any) => edge.node.start.slice(0, 10)));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(['2026-09-05', '2026-09-04', '2026-09-03', '2026-09-02', '2026-09-01']);
  });
});

describe('merge and unmerge', () => {
  it('answers for the merged id and identifier with the survivor and both records, and unmerge restores both', async () => {
    const survivor = await register(
      '3201-H001',
      registration({ name: '赵淑芬', gender: 'FEMALE', birthDate: '1949-12-01', idNumber: makeIdNumber('320104', '1949-12-01', 22), phone: '13951000001' }),
    );
    const duplicateInput = registration({
      name: '赵淑芳',
      gender: 'FEMALE',
      birthDate: '1949-12-01',
      idNumber: null,
      phone: '13951000002',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-DUP-1' },
    });
    const duplicate = await register('3201-H002', duplicateInput);
    await ok(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, { input: encounterInput(survivor.resident.id, 'V-S1') });
    await ok(hospitalSystem('3201-H002'), RECORD_ENCOUNTER, { input: encounterInput(duplicate.resident.id, 'V-D1', { department: '内分泌科' }) });

    const merged = await ok(
      privacyOfficer(),
      `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id mergeHistory { action otherResidentId by reason } } }`,
      {
        s: survivor.resident.id,
        m: duplicate.resident.id,
      },
    );
    expect(merged.mergeResidents.mergeHistory).toEqual([{ action: 'MERGED', otherResidentId: duplicate.resident.id, by: 'po-1', reason: '同一人重复建档' }]);

    const departments = `query($id: ID!) { resident(id: $id) { id encounters { edges { node { department } } } } }`;
    for (const token of [doctorAt('3201-H001'), doctorAt('3201-H002')]) {
      const byMergedId = await ok(token, departments, { id: duplicate.resident.id });
      expect(byMergedId.resident.id).toBe(survivor.resident.id);
      expect(byMergedId.resident.encounters.edges.map((edge: any) => edge.node.department).sort()).toEqual(['内分泌科', '心血管内科']);
    }
    const byIdentifier = await ok(hospitalSystem('3201-H002'), `{ residentByIdentifier(system: MEDICAL_RECORD_NUMBER, value: "MRN-DUP-1") { id } }`);
    expect(byIdentifier.residentByIdentifier.id).toBe(survivor.resident.id);

    const { body: again } = await stack.query(
      privacyOfficer(),
      `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "again") { id } }`,
      { s: survivor.resident.id, m: duplicate.resident.id },
    );
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');

    await ok(privacyOfficer(), `mutation($m: ID!) { unmergeResident(mergedId: $m, reason: "不是同一人") { id active } }`, { m: duplicate.resident.id });
    const apart = await ok(doctorAt('3201-H002'), departments, { id: duplicate.resident.id });
    expect(apart.resident.id).toBe(duplicate.resident.id);
    expect(apart.resident.encounters.edges.map((edge: any) => edge.node.department)).toEqual(['内分泌科']);
    const survivorAlone = await ok(doctorAt('3201-H001'), departments, { id: survivor.resident.id });
    expect(survivorAlone.resident.encounters.edges.map((edge: any) => edge.node.department)).toEqual(['心血管内科']);
    // The survivor's hospital no longer reaches the unmerged record through the merge.
    const { body } = await stack.query(doctorAt('3201-H001'), departments, { id: duplicate.resident.id });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('round trips', () => {
  it('the doctor’s summary costs the same for 50 encounters across 10 hospitals as for 1', async () => {
    const hospitals = Array.from({ length: 10 }, (_, index) => `3201-H1${String(index).padStart(2, '0')}`);
    const light = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 147) }));
    const heavy = await register('3201-H001', registration({ idNumber: makeIdNumber('320106', '1958-07-21', 149) }));
    await ok(hospitalSystem('3201-H001'), RECORD_ENCOUNTER, { input: encounterInput(light.resident.id, 'V-L1') });
    const encounters = hospitals.flatMap((code, hospital) =>
      Array.from({ length: 5 }, (_, visit) => ({
        _id: `${String(hospital).padStart(2, '0')}${String(visit).padStart(2, '0')}${heavy.resident.id.slice(4)}`,
        residentId: heavy.resident.id,
        organizationCode: code,
        encounterClass: 'OUTPATIENT',
        status: 'FINISHED',
        department: '全科医学科',
        start: new Date(Date.UTC(2026, 0, 1 + hospital * 5 + visit)),
        end: null,
        diagnoses: [],
        source: { organizationCode: code, recordId: `V${hospital}-${visit}`, uploadedAt: new Date() },
      })),
    );
    await modelsOf(stack).records.Encounter.insertMany(encounters);

    const summary = `query($id: ID!) { resident(id: $id) { name summary { activeProblems { code { code } } allergies { assertion } lastEncounters { start organization { name } } } } }`;
    const doctor = doctorAt('3201-H001');
    const ask = (id: string, expected: number) => async () => {
      const data = await ok(doctor, summary, { id });
      expect(data.resident.summary.lastEncounters).toHaveLength(expected);
    };
    const forLight = await stack.commandsDuring(ask(light.resident.id, 1));
    const forHeavy = await stack.commandsDuring(ask(heavy.resident.id, 10));
    expect(roundTripsOf(forHeavy)).toEqual(roundTripsOf(forLight));
  });
});
