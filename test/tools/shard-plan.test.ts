/**
 * The shard plan covers every collection the models define, names fields they have, and
 * `npm run shard` turns it into exactly these commands (printed with --dry-run).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { SUBGRAPH_NAMES } from '../../platform/config';
import { registerModels as registerAccess } from '../../subgraphs/access/models';
import { registerModels as registerLabs } from '../../subgraphs/labs/models';
import { registerModels as registerPrescriptions } from '../../subgraphs/prescriptions/models';
import { registerModels as registerRecords } from '../../subgraphs/records/models';
import { registerModels as registerReferrals } from '../../subgraphs/referrals/models';
import { describeStep, shardingSteps } from '../../tools/shard-commands';
import { SHARD_PLAN, type ShardPlan } from '../../tools/shard-plan';

const REGISTER = { records: registerRecords, labs: registerLabs, prescriptions: registerPrescriptions, referrals: registerReferrals, access: registerAccess };
// Models only: the connection is never opened.
const modelsOf = (name: keyof typeof REGISTER) => Object.values(REGISTER[name](mongoose.createConnection()) as unknown as Record<string, mongoose.Model<any>>);

const shard = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../tools/shard.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MONGODB_DB_PREFIX: '' },
  });

it('has one entry for every collection of every subgraph database, and no other', () => {
  for (const name of SUBGRAPH_NAMES) {
    const collections = modelsOf(name).map((model) => model.collection.collectionName);
    expect({ [name]: Object.keys(SHARD_PLAN[name]).sort() }).toEqual({ [name]: collections.sort() });
  }
});

it('shards on fields the models require, and the models themselves declare no hashed index', () => {
  for (const name of SUBGRAPH_NAMES) {
    for (const model of modelsOf(name)) {
      const entry = SHARD_PLAN[name][model.collection.collectionName]!;
      if ('key' in entry) {
        for (const field of Object.keys(entry.key))
          expect(`${model.collection.collectionName}.${field}: ${model.schema.path(field)?.isRequired ?? field === '_id'}`).toBe(
            `${model.collection.collectionName}.${field}: true`,
          );
      }
      const hashed = model.schema.indexes().filter(([keys]) => Object.values(keys).includes('hashed'));
      expect(hashed).toEqual([]);
    }
  }
});

it('shards the clinical collections on the resident and gives every exception a reason', () => {
  const byResident = SUBGRAPH_NAMES.flatMap((name) =>
    Object.entries(SHARD_PLAN[name])
      .filter(([, entry]) => 'key' in entry && entry.key.residentId === 'hashed')
      .map(([collection]) => `${name}.${collection}`),
  );
  expect(byResident).toEqual([
    'records.encounters',
    'records.conditions',
    'records.allergies',
    'labs.labReports',
    'prescriptions.prescriptions',
    'referrals.referrals',
    'referrals.contracts',
    'referrals.appointments',
    'referrals.nursingOrders',
    'referrals.hospitalBookings',
    'referrals.checkupBookings',
    'access.auditEvents',
    'access.safetyChanges',
  ]);
  for (const name of SUBGRAPH_NAMES) {
    for (const entry of Object.values(SHARD_PLAN[name])) {
      const reasons = 'key' in entry ? [entry.why, ...(entry.scatterGather ?? []).map((allowed) => allowed.reason)] : [entry.unsharded];
      for (const reason of reasons) expect(reason.length).toBeGreaterThan(20);
    }
  }
});

it('is the table in docs/operations/sharding.md', () => {
  const page = readFileSync(path.join(__dirname, '../../docs/operations/sharding.md'), 'utf8');
  const lines = page.slice(page.indexOf('<!-- shard-plan -->')).split('\n').slice(3);
  const rows = lines
    .slice(
      0,
      lines.findIndex((line) => !line.startsWith('|')),
    )
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const fromPage = rows.flatMap(([database, key, collections]) => collections!.split(', ').map((collection) => `${database}.${collection}: ${key}`));
  const fromPlan = SUBGRAPH_NAMES.flatMap((name) =>
    Object.entries(SHARD_PLAN[name]).map(
      ([collection, entry]) =>
        `${name}.${collection}: ${
          'key' in entry
            ? Object.entries(entry.key)
                .map(([field, kind]) => `\`${field}\` ${kind === 'hashed' ? 'hashed' : 'ranged'}`)
                .join(', ')
            : 'unsharded'
        }`,
    ),
  );
  expect(fromPage.sort()).toEqual(fromPlan.sort());
});

it('lays a plan out as admin commands: zones first, then each database and its sharded collections', () => {
  const plan: ShardPlan = {
    records: { residents: { unsharded: 'the master patient index' } },
    labs: {
      labReports: {
        key: { districtCode: 1, residentId: 1 },
        why: 'by district, then resident',
        zones: [{ zone: 'north', min: { districtCode: '320111', residentId: { $minKey: 1 } }, max: { districtCode: '320112', residentId: { $minKey: 1 } } }],
      },
    },
    prescriptions: {},
    referrals: {},
    access: { consents: { key: { _id: 'hashed' }, why: 'one per resident' } },
  };
  expect(shardingSteps(plan, { dbPrefix: 'city', zoneShards: { north: ['shard-a', 'shard-b'] } }).map(describeStep)).toEqual([
    'admin: {"addShardToZone":"shard-a","zone":"north"}',
    'admin: {"addShardToZone":"shard-b","zone":"north"}',
    'admin: {"enableSharding":"city_labs"}',
    'city_labs: {"createIndexes":"labReports","indexes":[{"key":{"districtCode":1,"residentId":1},"name":"districtCode_1_residentId_1"}]}',
    'admin: {"shardCollection":"city_labs.labReports","key":{"districtCode":1,"residentId":1}}',
    'admin: {"updateZoneKeyRange":"city_labs.labReports","min":{"districtCode":"320111","residentId":{"$minKey":1}},"max":{"districtCode":"320112","residentId":{"$minKey":1}},"zone":"north"}',
    'admin: {"enableSharding":"city_access"}',
    'city_access: {"createIndexes":"consents","indexes":[{"key":{"_id":"hashed"},"name":"_id_hashed"}]}',
    'admin: {"shardCollection":"city_access.consents","key":{"_id":"hashed"}}',
  ]);
  expect(() => shardingSteps(plan, { dbPrefix: 'city' })).toThrow('Zone north has no shard: name one with --zone north=<shard>');
});

it('prints the project plan with --dry-run', () => {
  const run = shard('--dry-run', '--prefix', 'jinling');
  expect(run.stderr).toBe('');
  expect(run.stdout.split('\n').filter(Boolean)).toEqual([
    'admin: {"enableSharding":"jinling_records"}',
    'jinling_records: {"createIndexes":"encounters","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_records.encounters","key":{"residentId":"hashed"}}',
    'jinling_records: {"createIndexes":"conditions","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_records.conditions","key":{"residentId":"hashed"}}',
    'jinling_records: {"createIndexes":"allergies","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_records.allergies","key":{"residentId":"hashed"}}',
    'admin: {"enableSharding":"jinling_labs"}',
    'jinling_labs: {"createIndexes":"labReports","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_labs.labReports","key":{"residentId":"hashed"}}',
    'admin: {"enableSharding":"jinling_prescriptions"}',
    'jinling_prescriptions: {"createIndexes":"prescriptions","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_prescriptions.prescriptions","key":{"residentId":"hashed"}}',
    'jinling_prescriptions: {"createIndexes":"prescriptionTransitions","indexes":[{"key":{"prescriptionId":"hashed"},"name":"prescriptionId_hashed"}]}',
    'admin: {"shardCollection":"jinling_prescriptions.prescriptionTransitions","key":{"prescriptionId":"hashed"}}',
    'jinling_prescriptions: {"createIndexes":"prescriptionSafetySnapshots","indexes":[{"key":{"_id":"hashed"},"name":"_id_hashed"}]}',
    'admin: {"shardCollection":"jinling_prescriptions.prescriptionSafetySnapshots","key":{"_id":"hashed"}}',
    'admin: {"enableSharding":"jinling_referrals"}',
    'jinling_referrals: {"createIndexes":"referrals","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.referrals","key":{"residentId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"referralTransitions","indexes":[{"key":{"referralId":"hashed"},"name":"referralId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.referralTransitions","key":{"referralId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"contracts","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.contracts","key":{"residentId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"appointments","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.appointments","key":{"residentId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"nursingOrders","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.nursingOrders","key":{"residentId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"nursingTransitions","indexes":[{"key":{"orderId":"hashed"},"name":"orderId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.nursingTransitions","key":{"orderId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"hospitalBookings","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.hospitalBookings","key":{"residentId":"hashed"}}',
    'jinling_referrals: {"createIndexes":"settlements","indexes":[{"key":{"_id":"hashed"},"name":"_id_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.settlements","key":{"_id":"hashed"}}',
    'jinling_referrals: {"createIndexes":"checkupBookings","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_referrals.checkupBookings","key":{"residentId":"hashed"}}',
    'admin: {"enableSharding":"jinling_access"}',
    'jinling_access: {"createIndexes":"auditEvents","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_access.auditEvents","key":{"residentId":"hashed"}}',
    'jinling_access: {"createIndexes":"consents","indexes":[{"key":{"_id":"hashed"},"name":"_id_hashed"}]}',
    'admin: {"shardCollection":"jinling_access.consents","key":{"_id":"hashed"}}',
    'jinling_access: {"createIndexes":"recordOwners","indexes":[{"key":{"_id":"hashed"},"name":"_id_hashed"}]}',
    'admin: {"shardCollection":"jinling_access.recordOwners","key":{"_id":"hashed"}}',
    'jinling_access: {"createIndexes":"safetyChanges","indexes":[{"key":{"residentId":"hashed"},"name":"residentId_hashed"}]}',
    'admin: {"shardCollection":"jinling_access.safetyChanges","key":{"residentId":"hashed"}}',
  ]);
  expect(shard('--dry-run', '--prefix', 'city').stdout.split('\n')[0]).toBe('admin: {"enableSharding":"city_records"}');
});

it('refuses to run without a URI, and refuses a server that is not a mongos', () => {
  const bare = shard();
  expect([bare.status, bare.stderr.trim()]).toEqual([1, 'Usage: npm run shard -- <mongos-uri> [--prefix <db prefix>] [--zone <zone>=<shard> …] [--dry-run]']);
  const replica = shard(process.env.MONGODB_URI!);
  expect([replica.status, replica.stdout, replica.stderr.trim()]).toEqual([1, '', 'This is not a mongos: sharding commands go through the cluster router']);
});
