/**
 * The migrations on a deployment the previous code wrote: records without owner notes, care
 * relationships without roots or careSeenAt and open referrals. A service refuses it until
 * `npm run migrate`; the migrations then give the documents written out below, and a second
 * run changes nothing. A deployment that holds nothing is served at once.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { CARE_RELATIONSHIP_KINDS, ROOT_OF_KIND } from '../access-control/policy';
import * as recordOwners from '../migrations/0001-record-owners';
import * as standingRoots from '../migrations/0002-standing-roots';
import type { SubgraphName } from '../platform/config';
import { connectDatabase, databaseName } from '../platform/database';
import { CHANGELOG_COLLECTION, deploymentMigrationStatus, migrateDeployment } from '../platform/migrations';
import { SUBGRAPHS } from '../subgraphs';
import { createSubgraphServer } from '../subgraphs/runtime/subgraph-server';

const R1 = 'resident-1';
const R2 = 'resident-2';
const at = (iso: string) => new Date(iso);

/** A subgraph server of the deployment `dbPrefix`, as the test stack starts one. */
function startSubgraph(name: SubgraphName, dbPrefix: string) {
  return createSubgraphServer(SUBGRAPHS[name], {
    mongoUri: process.env.MONGODB_URI!,
    dbPrefix,
    host: '127.0.0.1',
    port: 0,
    internalPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    policy: { encounterWindowDays: 730 },
    auditFailClosed: true,
    maxBodyBytes: 100_000,
    logLevel: 'silent',
  });
}

/** An encounter as records files it (its shape did not change). */
function encounter(_id: string, residentId: string, organizationCode: string, start: string, status = 'FINISHED') {
  return {
    _id,
    residentId,
    organizationCode,
    encounterClass: 'OUTPATIENT',
    status,
    department: 'General medicine',
    start: at(start),
    end: null,
    attendingPractitioner: null,
    diagnoses: [],
    sensitivities: [],
    chargesFen: null,
    source: { organizationCode, recordId: _id, uploadedAt: at(start) },
  };
}

function labReport(_id: string, residentId: string, issuedAt: string) {
  return {
    _id,
    residentId,
    organizationCode: '3201-H001',
    category: 'LABORATORY',
    code: { system: 'http://loinc.org', code: '2345-7', display: 'Glucose' },
    localCode: null,
    status: 'FINAL',
    specimen: null,
    collectedAt: null,
    effectiveAt: null,
    issuedAt: at(issuedAt),
    orderingPractitioner: null,
    orderingOrganizationCode: null,
    conclusion: null,
    subjectSex: 'UNKNOWN',
    subjectAgeYears: null,
    results: [],
    itemCodes: ['2345-7'],
    hasCritical: false,
    sensitivities: [],
    version: 1,
    source: { organizationCode: '3201-H001', recordId: _id, uploadedAt: at(issuedAt) },
  };
}

/** A care relationship as the code before roots wrote it: no root, no careSeenAt. */
function oldRelationship(_id: string, residentId: string, since: string, endsAt: string | null, practitionerId: string | null = null) {
  const [kind, organizationCode, origin] = _id.split('|') as [string, string, string];
  const [subgraph, recordId] = origin.split('/') as [string, string];
  return {
    _id,
    residentId,
    organizationCode,
    kind,
    practitionerId,
    since: at(since),
    lastSeenAt: at(since),
    endsAt: endsAt === null ? null : at(endsAt),
    source: { subgraph, recordId },
  };
}

const BEFORE_ROOTS = 'recorded before roots';

/** Written by the current code: it has its root, and an open dispensing (routed, not dispensed yet). */
const CURRENT_DISPENSING = {
  ...oldRelationship('DISPENSING|3201-P002|prescriptions/rx-2', R2, '2025-06-01T00:00:00Z', null),
  careSeenAt: null,
  root: { kind: 'PRESCRIPTION', organizationCode: '3201-H001', basis: 'REGISTRATION' },
};
/** Written by the current code: no care followed (it noted none), so the old visit at H002 must not be backfilled. */
const CURRENT_REGISTRATION = {
  ...oldRelationship('REGISTRATION|3201-H002|records/reg-3', R1, '2025-08-01T00:00:00Z', null),
  careSeenAt: null,
  root: { kind: 'REGISTRATION', organizationCode: '3201-H002', basis: 'NEW_RECORD' },
};

const EXPECTED_RELATIONSHIPS = [
  {
    ...oldRelationship('BREAK_GLASS|3201-H003|access/bg-1', R1, '2025-04-01T10:00:00Z', '2025-04-01T14:00:00Z', 'P-77'),
    root: { kind: 'EMERGENCY', organizationCode: '3201-H003', basis: BEFORE_ROOTS },
  },
  {
    ...oldRelationship('CONTRACT|3201-C001|referrals/contract-1', R2, '2024-12-01T00:00:00Z', '2025-12-01T00:00:00Z'),
    root: { kind: 'RESIDENT', organizationCode: '3201-C001', basis: BEFORE_ROOTS },
  },
  {
    ...oldRelationship('DISPENSING|3201-P001|prescriptions/rx-1', R1, '2025-03-10T09:30:00Z', null),
    endsAt: at('2025-04-09T09:30:00Z'),
    root: { kind: 'PRESCRIPTION', organizationCode: '3201-P001', basis: BEFORE_ROOTS },
  },
  CURRENT_DISPENSING,
  {
    ...oldRelationship('REFERRAL_OFFER|3201-H001|referrals/ref-3', R1, '2025-05-01T00:00:00Z', '2025-05-15T00:00:00Z'),
    root: { kind: 'REFERRAL', organizationCode: '3201-H001', basis: BEFORE_ROOTS },
  },
  {
    ...oldRelationship('REFERRAL|3201-H001|referrals/ref-2', R2, '2025-01-05T00:00:00Z', '2025-05-01T00:00:00Z'),
    root: { kind: 'REFERRAL', organizationCode: '3201-H001', basis: BEFORE_ROOTS },
  },
  {
    ...oldRelationship('REFERRAL|3201-H002|referrals/ref-1', R1, '2025-02-01T08:00:00Z', null),
    endsAt: at('2025-07-31T08:00:00Z'),
    root: { kind: 'REFERRAL', organizationCode: '3201-H002', basis: BEFORE_ROOTS },
  },
  {
    // The latest visit at H001: not the one entered in error, nor the one at H002.
    ...oldRelationship('REGISTRATION|3201-H001|records/reg-1', R1, '2025-01-10T00:00:00Z', null),
    careSeenAt: at('2025-06-01T02:00:00Z'),
    root: { kind: 'REGISTRATION', organizationCode: '3201-H001', basis: BEFORE_ROOTS },
  },
  {
    // No visit of this resident at H002.
    ...oldRelationship('REGISTRATION|3201-H002|records/reg-2', R2, '2025-01-12T00:00:00Z', null),
    careSeenAt: null,
    root: { kind: 'REGISTRATION', organizationCode: '3201-H002', basis: BEFORE_ROOTS },
  },
  CURRENT_REGISTRATION,
];

const EXPECTED_OWNERS = [
  { _id: 'encounter:enc-1', residentId: R1 },
  { _id: 'encounter:enc-2', residentId: R1 },
  { _id: 'encounter:enc-3', residentId: R1 },
  { _id: 'encounter:enc-4', residentId: R1 },
  { _id: 'encounter:enc-5', residentId: R2 },
  { _id: 'lab-report:lab-1', residentId: R1 },
  { _id: 'lab-report:lab-2', residentId: R2 },
];

let client: Connection;
const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `tm${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};
const db = (prefix: string, name: SubgraphName) => client.useDb(databaseName(prefix, name), { useCache: true }).db!;
const sortedById = async (prefix: string, collection: string) =>
  (await db(prefix, 'access').collection<{ _id: string }>(collection).find().toArray()).sort((a, b) => a._id.localeCompare(b._id));

beforeAll(async () => {
  client = await connectDatabase({ uri: process.env.MONGODB_URI!, dbName: 'migrations_test' });
});

afterAll(async () => {
  const names: SubgraphName[] = ['records', 'labs', 'access'];
  if (!process.env.JINLING_TEST_EMBEDDED) for (const prefix of prefixes) for (const name of names) await db(prefix, name).dropDatabase();
  await client.close();
});

describe('a deployment the previous code wrote', () => {
  const prefix = newPrefix();

  beforeAll(async () => {
    await db(prefix, 'records')
      .collection('encounters')
      .insertMany([
        encounter('enc-1', R1, '3201-H001', '2025-03-01T01:00:00Z'),
        encounter('enc-2', R1, '3201-H001', '2025-06-01T02:00:00Z'),
        encounter('enc-3', R1, '3201-H001', '2025-09-01T03:00:00Z', 'ENTERED_IN_ERROR'),
        encounter('enc-4', R1, '3201-H002', '2025-07-01T00:00:00Z'),
        encounter('enc-5', R2, '3201-H001', '2025-08-01T00:00:00Z'),
      ] as never[]);
    await db(prefix, 'labs')
      .collection('labReports')
      .insertMany([labReport('lab-1', R1, '2025-03-02T00:00:00Z'), labReport('lab-2', R2, '2025-03-03T00:00:00Z')] as never[]);
    const access = db(prefix, 'access');
    // One record already noted by the current code.
    await access.collection('recordOwners').insertOne({ _id: 'encounter:enc-1', residentId: R1 } as never);
    await access
      .collection('careRelationships')
      .insertMany([
        oldRelationship('REGISTRATION|3201-H001|records/reg-1', R1, '2025-01-10T00:00:00Z', null),
        oldRelationship('REGISTRATION|3201-H002|records/reg-2', R2, '2025-01-12T00:00:00Z', null),
        oldRelationship('REFERRAL|3201-H002|referrals/ref-1', R1, '2025-02-01T08:00:00Z', null),
        oldRelationship('REFERRAL|3201-H001|referrals/ref-2', R2, '2025-01-05T00:00:00Z', '2025-05-01T00:00:00Z'),
        oldRelationship('DISPENSING|3201-P001|prescriptions/rx-1', R1, '2025-03-10T09:30:00Z', null),
        oldRelationship('CONTRACT|3201-C001|referrals/contract-1', R2, '2024-12-01T00:00:00Z', '2025-12-01T00:00:00Z'),
        oldRelationship('BREAK_GLASS|3201-H003|access/bg-1', R1, '2025-04-01T10:00:00Z', '2025-04-01T14:00:00Z', 'P-77'),
        oldRelationship('REFERRAL_OFFER|3201-H001|referrals/ref-3', R1, '2025-05-01T00:00:00Z', '2025-05-15T00:00:00Z'),
        CURRENT_DISPENSING,
        CURRENT_REGISTRATION,
      ] as never[]);
  });

  it('is refused by a service until it is migrated, and the refusal changes nothing', async () => {
    const before = await sortedById(prefix, 'careRelationships');
    await expect(startSubgraph('records', prefix)).rejects.toThrow(`database ${prefix}_access is 2 migrations behind: run \`npm run migrate\``);
    await expect(startSubgraph('access', prefix)).rejects.toThrow(`database ${prefix}_access is 2 migrations behind: run \`npm run migrate\``);
    expect(await deploymentMigrationStatus(process.env.MONGODB_URI!, prefix)).toEqual([
      { fileName: '0001-record-owners.ts', appliedAt: null },
      { fileName: '0002-standing-roots.ts', appliedAt: null },
    ]);
    expect(await sortedById(prefix, 'careRelationships')).toEqual(before);
    const collections = (await db(prefix, 'access').listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name).sort();
    expect(collections).toEqual(['careRelationships', 'recordOwners']);
  });

  it('gets owner notes, roots, ends and care from the migrations', async () => {
    expect(await migrateDeployment(process.env.MONGODB_URI!, prefix)).toEqual(['0001-record-owners.ts', '0002-standing-roots.ts']);
    expect(await sortedById(prefix, 'recordOwners')).toEqual(EXPECTED_OWNERS);
    expect(await sortedById(prefix, 'careRelationships')).toEqual(EXPECTED_RELATIONSHIPS);
    const status = await deploymentMigrationStatus(process.env.MONGODB_URI!, prefix);
    expect(status.map((migration) => [migration.fileName, migration.appliedAt instanceof Date])).toEqual([
      ['0001-record-owners.ts', true],
      ['0002-standing-roots.ts', true],
    ]);
  });

  it('changes nothing when migrated again, or when the migrations themselves run again', async () => {
    expect(await migrateDeployment(process.env.MONGODB_URI!, prefix)).toEqual([]);
    const access = db(prefix, 'access');
    await recordOwners.up(access, client.getClient());
    await standingRoots.up(access, client.getClient());
    expect(await sortedById(prefix, 'recordOwners')).toEqual(EXPECTED_OWNERS);
    expect(await sortedById(prefix, 'careRelationships')).toEqual(EXPECTED_RELATIONSHIPS);
  });

  it('names one migration behind, and the runner applies only that one', async () => {
    await db(prefix, 'access').collection(CHANGELOG_COLLECTION).deleteOne({ fileName: '0002-standing-roots.ts' });
    await expect(startSubgraph('labs', prefix)).rejects.toThrow(`database ${prefix}_access is 1 migration behind: run \`npm run migrate\``);
    expect(await migrateDeployment(process.env.MONGODB_URI!, prefix)).toEqual(['0002-standing-roots.ts']);
    expect(await sortedById(prefix, 'careRelationships')).toEqual(EXPECTED_RELATIONSHIPS);
  });

  it('is served once migrated', async () => {
    const records = await startSubgraph('records', prefix);
    await records.stop();
  });
});

it('serves a deployment that holds nothing at once, marking its migrations applied', async () => {
  const prefix = newPrefix();
  const access = await startSubgraph('access', prefix);
  const records = await startSubgraph('records', prefix);
  await records.stop();
  await access.stop();
  const status = await deploymentMigrationStatus(process.env.MONGODB_URI!, prefix);
  expect(status.map((migration) => [migration.fileName, migration.appliedAt instanceof Date])).toEqual([
    ['0001-record-owners.ts', true],
    ['0002-standing-roots.ts', true],
  ]);
  expect(await migrateDeployment(process.env.MONGODB_URI!, prefix)).toEqual([]);
});

describe('the standing roots migration, for any relationships the previous code wrote', () => {
  const organizations = ['3201-H001', '3201-H002'];
  const residents = [R1, R2];
  const day = fc.integer({ min: 0, max: 400 }).map((offset) => new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000));
  const relationships = fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom(...CARE_RELATIONSHIP_KINDS),
      organizationCode: fc.constantFrom(...organizations),
      residentId: fc.constantFrom(...residents),
      since: day,
      endsAt: fc.option(day),
      recordId: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', '1') }),
    }),
    { selector: (fact) => `${fact.kind}|${fact.organizationCode}|${fact.recordId}`, maxLength: 8 },
  );
  const visits = fc.array(fc.record({ residentId: fc.constantFrom(...residents), organizationCode: fc.constantFrom(...organizations), start: day }), {
    maxLength: 6,
  });

  it('gives every one its kind’s root, ends every accepted referral and dispensing, and a second run changes nothing', async () => {
    const prefix = newPrefix();
    const access = db(prefix, 'access');
    const facts = access.collection('careRelationships');
    const encounters = db(prefix, 'records').collection('encounters');
    await fc.assert(
      fc.asyncProperty(relationships, visits, async (written, seen) => {
        await facts.deleteMany({});
        await encounters.deleteMany({});
        if (seen.length > 0)
          await encounters.insertMany(
            seen.map((visit, index) => encounter(`enc-${index}`, visit.residentId, visit.organizationCode, visit.start.toISOString())) as never[],
          );
        if (written.length > 0) {
          const docs = written.map((fact) =>
            oldRelationship(
              `${fact.kind}|${fact.organizationCode}|x/${fact.recordId}`,
              fact.residentId,
              fact.since.toISOString(),
              fact.endsAt?.toISOString() ?? null,
            ),
          );
          await facts.insertMany(docs as never[]);
        }
        await standingRoots.up(access, client.getClient());
        const once = await sortedById(prefix, 'careRelationships');
        for (const doc of once as unknown as { kind: keyof typeof ROOT_OF_KIND; organizationCode: string; endsAt: Date | null; root: unknown }[]) {
          expect(doc.root).toEqual({ kind: ROOT_OF_KIND[doc.kind], organizationCode: doc.organizationCode, basis: BEFORE_ROOTS });
          if (doc.kind === 'REFERRAL' || doc.kind === 'DISPENSING') expect(doc.endsAt).toBeInstanceOf(Date);
        }
        await standingRoots.up(access, client.getClient());
        expect(await sortedById(prefix, 'careRelationships')).toEqual(once);
      }),
      { numRuns: 15 },
    );
  });
});
