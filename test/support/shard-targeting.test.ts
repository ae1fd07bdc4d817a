/** The shard-targeting check itself: it must fail queries that would reach every shard. */
import type { CommandEvent } from '../../platform/database';
import type { ShardPlan } from '../../tools/shard-plan';
import { untargetedQueries } from './shard-targeting';

const plan = {
  records: {},
  labs: {
    labReports: {
      key: { residentId: 'hashed' },
      why: 'by resident',
      scatterGather: [{ command: 'find', fields: ['_id'], reason: 'entity fetch' }],
    },
    laboratories: { unsharded: 'reference data' },
  },
  prescriptions: {},
  referrals: {},
  access: { consents: { key: { _id: 'hashed' }, why: 'one per resident' } },
} as ShardPlan;

const event = (commandName: string, collection: string, body: Record<string, unknown>, database = 'p_labs'): CommandEvent => ({
  commandName,
  databaseName: database,
  command: { [commandName]: collection, ...body },
});
const find = (filter: Record<string, unknown>) => event('find', 'labReports', { filter });
const check = (...commands: CommandEvent[]) => untargetedQueries(commands, plan, 'p');

it('passes filters that pin the shard key by value, $eq or $in, also inside $and or every $or branch', () => {
  expect(
    check(
      find({ residentId: 'r1', status: { $nin: ['X'] } }),
      find({ residentId: { $in: ['r1', 'r2'] } }),
      find({ residentId: { $eq: 'r1' } }),
      find({ $and: [{ residentId: 'r1' }, { issuedAt: { $lt: new Date(0) } }] }),
      find({ $or: [{ residentId: 'r1', status: 'FINAL' }, { residentId: 'r2' }] }),
      event('findAndModify', 'labReports', { query: { _id: 'a', residentId: 'r1' }, upsert: true }),
      event('aggregate', 'labReports', { pipeline: [{ $match: { residentId: { $in: ['r1'] } } }, { $group: { _id: '$status', n: { $sum: 1 } } }] }),
    ),
  ).toEqual([]);
});

it('refuses a filter without the shard key, naming its fields, unless the plan lists that exact shape', () => {
  expect(check(find({ _id: 'a' }), find({ _id: { $in: ['a', 'b'] } }))).toEqual([]);
  expect(
    check(find({ _id: 'a', status: 'FINAL' }), find({ residentId: { $gte: 'r' } }), find({ $or: [{ residentId: 'r1' }, { organizationCode: 'H1' }] })),
  ).toEqual([
    'find labs.labReports: [_id, status] does not carry the shard key residentId (every shard would be asked)',
    'find labs.labReports: [residentId] does not carry the shard key residentId (every shard would be asked)',
    'find labs.labReports: [organizationCode, residentId] does not carry the shard key residentId (every shard would be asked)',
  ]);
  expect(
    check(event('findAndModify', 'labReports', { query: { _id: 'a' } }), event('delete', 'labReports', { deletes: [{ q: { _id: 'a' }, limit: 1 }] })),
  ).toEqual([
    'findAndModify labs.labReports: [_id] does not carry the shard key residentId (every shard would be asked)',
    'delete labs.labReports: [_id] does not carry the shard key residentId (every shard would be asked)',
  ]);
});

it('refuses an upsert without the whole shard key even where the shape is listed', () => {
  const upsert = event('update', 'labReports', { updates: [{ q: { _id: 'a' }, u: { $set: { status: 'FINAL' } }, upsert: true }] });
  expect(check(upsert)).toEqual(['update labs.labReports: an upsert on [_id] without the shard key residentId']);
  expect(check(event('update', 'consents', { updates: [{ q: { _id: 'r1' }, u: {}, upsert: true }] }, 'p_access'))).toEqual([]);
});

it('refuses inserted documents without the shard key, and leaves unsharded and unplanned collections alone', () => {
  expect(check(event('insert', 'labReports', { documents: [{ _id: 'a', residentId: 'r1' }, { _id: 'b' }, { _id: 'c', residentId: null }] }))).toEqual([
    'insert labs.labReports: a document without the shard key residentId',
  ]);
  expect(check(event('find', 'laboratories', { filter: { name: 'x' } }), event('find', 'elsewhere', { filter: {} }))).toEqual([]);
});
