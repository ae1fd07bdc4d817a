/**
 * “No known allergies” lines in an allergy upload, decided in bulk as recordAllergy decides
 * one: through the real gateway over HTTP, per resident, with the audit they leave.
 */
import { cityDay, rollupId } from '../../../monitoring/activity-store';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';
import { ndjson, postBatch, uploadSummary } from '../../support/uploads';

jest.setTimeout(180_000);

const OTHER_HOSPITAL = '3201-H002';

let stranger: string;
// At most four rejected lines are listed, as the re-sent batch's answer shows.
const { stack } = useStack({ gatewayConfig: { UPLOAD_MAX_ERRORS: 4 } }, async (started) => {
  await insertHospitals(started);
  [stranger] = (await insertResidents(started, { organizationCode: OTHER_HOSPITAL, count: 1 })) as [string];
});

const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const upload = (token: string | null, kind: string, body: string, contentType?: string) => postBatch(stack, token, kind, body, contentType);

describe('“no known allergies”, decided in bulk as recordAllergy decides one', () => {
  // Hospitals of their own: their residents, rollups and audit are this test's alone.
  const hospital = '3201-H106';
  const doctorHere = () => stack.token({ subject: 'dr-h106', roles: ['doctor'], organizationCode: hospital, practitionerId: 'D106' });
  const none = (residentId: string, sourceRecordId: string) => ({ residentId, sourceRecordId, noKnownAllergies: true });
  const statement = (residentId: string, sourceRecordId: string) => ({
    residentId,
    sourceRecordId,
    substance: { system: 'allergy-group', code: 'SULFONAMIDES', display: '磺胺类' },
    category: 'MEDICATION',
    criticality: 'LOW',
    reactions: [],
  });
  const statementsOf = async (ids: Record<string, string>) => {
    const query = `query(${Object.keys(ids)
      .map((name) => `$${name}: ID!`)
      .join(', ')}) { ${Object.keys(ids)
      .map((name) => `${name}: resident(id: $${name}) { summary { allergies { assertion items { substance { code } } } } }`)
      .join(' ')} }`;
    const { body } = await stack.query(doctorHere(), query, ids);
    expect(body.errors).toBeUndefined();
    return Object.fromEntries(Object.entries(body.data!).map(([name, resident]) => [name, resident.summary.allergies]));
  };

  it('answers each line as the single mutations would one after another, and a re-sent batch changes nothing', async () => {
    const [asserted, assertedThenStated, statedFirst, untouched] = (await insertResidents(stack, { organizationCode: hospital, count: 4 })) as [
      string,
      string,
      string,
      string,
    ];
    const batch = ndjson([
      none(asserted, 'N-1'),
      none(asserted, 'N-2'),
      none(assertedThenStated, 'N-3'),
      statement(assertedThenStated, 'S-4'),
      statement(statedFirst, 'S-5'),
      none(statedFirst, 'N-6'),
      none(stranger, 'N-7'),
      { ...none(untouched, 'N-8'), substance: { system: 'allergy-group', code: 'PENICILLINS', display: '青霉素类' } },
      none('not-a-resident', 'N-9'),
    ]);
    const first = await upload(hospitalSystem(hospital), 'allergies', batch);
    expect(first.status).toBe(200);
    // Line 2 finds line 1's assertion; line 3 is accepted before line 4 states an allergy; line 6 comes after line 5's.
    expect(first.body).toEqual(
      uploadSummary('allergies', { lines: 9, accepted: 4, unchanged: 1, rejected: 4 }, [
        { line: 6, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
        { line: 7, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
        { line: 8, code: 'BAD_USER_INPUT', message: 'Invalid input: substance must be empty when asserting no known allergies' },
        { line: 9, code: 'BAD_USER_INPUT', message: 'Invalid input: residentId must be 24 lowercase hex characters' },
      ]),
    );
    const expected = {
      asserted: { assertion: 'NO_KNOWN_ALLERGIES', items: [] },
      assertedThenStated: { assertion: 'HAS_ALLERGIES', items: [{ substance: { code: 'SULFONAMIDES' } }] },
      statedFirst: { assertion: 'HAS_ALLERGIES', items: [{ substance: { code: 'SULFONAMIDES' } }] },
      untouched: { assertion: 'UNKNOWN', items: [] },
    };
    expect(await statementsOf({ asserted, assertedThenStated, statedFirst, untouched })).toEqual(expected);
    // The statement's write stands: the earlier assertion was not written over it.
    expect((await modelsOf(stack).records.Resident.findById(assertedThenStated).lean())!.allergyAssertion).toBe('HAS_ALLERGIES');

    const stored = async () =>
      JSON.stringify(
        await Promise.all([asserted, assertedThenStated, statedFirst, untouched].map((id) => modelsOf(stack).records.Resident.findById(id).lean())),
      );
    const before = await stored();
    const again = await upload(hospitalSystem(hospital), 'allergies', batch);
    // Now line 3 finds line 4's statement on record, as recordAllergy would.
    expect(again.body).toEqual(
      uploadSummary('allergies', { lines: 9, unchanged: 4, rejected: 5 }, [
        { line: 3, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
        { line: 6, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
        { line: 7, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
        { line: 8, code: 'BAD_USER_INPUT', message: 'Invalid input: substance must be empty when asserting no known allergies' },
      ]),
    );
    expect(await stored()).toBe(before);
    expect(await statementsOf({ asserted, assertedThenStated, statedFirst, untouched })).toEqual(expected);
  });

  it('refuses an assertion where a record merged into the resident holds a statement', async () => {
    const [survivor] = (await insertResidents(stack, { organizationCode: hospital, count: 1 })) as [string];
    const [duplicate] = (await insertResidents(stack, { organizationCode: hospital, count: 1, allergiesEach: 1 })) as [string];
    await modelsOf(stack).records.Resident.updateOne({ _id: duplicate }, { $set: { idNumber: null, idLast4: null } });
    const privacyOfficer = stack.token({ subject: 'po-upload', roles: ['privacy_officer'] });
    const merged = await stack.query(
      privacyOfficer,
      `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`,
      { s: survivor, m: duplicate },
    );
    expect(merged.body.errors).toBeUndefined();
    const { body } = await upload(hospitalSystem(hospital), 'allergies', ndjson([none(survivor, 'N-M1'), none(duplicate, 'N-M2')]));
    expect(body).toEqual(
      uploadSummary('allergies', { lines: 2, rejected: 2 }, [
        { line: 1, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
        { line: 2, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
      ]),
    );
    expect((await modelsOf(stack).records.Resident.findById(survivor).lean())!.allergyAssertion).toBe('UNKNOWN');
  });

  it('counts nothing for the cockpit and audits each decision as a write', async () => {
    const quiet = '3201-H107';
    const [resident] = (await insertResidents(stack, { organizationCode: quiet, count: 1 })) as [string];
    const { body, requestId } = await upload(hospitalSystem(quiet), 'allergies', ndjson([none(resident, 'N-Q1'), none(stranger, 'N-Q2')]));
    expect(body).toEqual(
      uploadSummary('allergies', { lines: 2, accepted: 1, rejected: 1 }, [
        { line: 2, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
      ]),
    );
    expect(
      await modelsOf(stack)
        .activity.ActivityRollup.findById(rollupId(quiet, cityDay(new Date())))
        .lean(),
    ).toBeNull();
    const events = await modelsOf(stack)
      .access.AuditEvent.find({ subject: `his-${quiet}`, requestId })
      .lean();
    expect(
      events
        .map(({ residentId, action, outcome, dataKinds }) => ({ residentId, action, outcome, dataKinds }))
        .sort((x, y) => x.outcome.localeCompare(y.outcome)),
    ).toEqual([
      { residentId: resident, action: 'write', outcome: 'allowed', dataKinds: ['allergies'] },
      { residentId: stranger, action: 'write', outcome: 'denied', dataKinds: ['allergies'] },
    ]);
  });
});
