/** The index-coverage check itself: it must fail the query shapes that scan or sort in memory. */
import type { CommandEvent } from '../../platform/database';
import { indexesByCollection, uncoveredQueries } from './index-coverage';

const model = (collectionName: string, ...indexes: Record<string, number>[]) => ({
  collection: { collectionName },
  schema: { indexes: () => indexes.map((keys) => [keys, {}] as [Record<string, unknown>, unknown]) },
});
const indexes = indexesByCollection([
  model('reports', { residentId: 1, issuedAt: -1 }),
  model('pools', { organizationCode: 1, department: 1, date: 1 }),
  model('residents', { birthKey: 1 }, { phone: 1 }),
]);
const find = (collection: string, filter: Record<string, unknown>, sort?: Record<string, number>): CommandEvent => ({
  commandName: 'find',
  databaseName: 'db',
  command: { find: collection, filter, ...(sort ? { sort } : {}) },
});
const check = (...commands: CommandEvent[]) => uncoveredQueries(commands, indexes);

it('serves equality on a leading key, with the sort right after it', () => {
  expect(check(find('reports', { residentId: { $in: ['a', 'b'] }, status: { $nin: ['X'] } }, { issuedAt: -1 }))).toEqual([]);
  expect(check(find('pools', { organizationCode: 'H1', department: 'D', kind: 'K', date: { $gte: '2026-01-01' } }))).toEqual([]);
  expect(check(find('reports', { _id: 'r1', organizationCode: 'H1' }))).toEqual([]);
});

it('refuses a filter that leads with no indexed equality field, naming its shape', () => {
  expect(check(find('reports', { status: 'FINAL', residentId: { $gte: 'a' } }))).toEqual(['find reports: {"status":"…","residentId":{"$gte":"…"}}']);
  expect(check(find('reports', { issuedAt: '2026-01-01' }))).toEqual(['find reports: {"issuedAt":"…"}']);
});

it('refuses a sort the index cannot give after the equality prefix', () => {
  expect(check(find('reports', { residentId: 'r' }, { status: 1 }))).toEqual(['find reports: {"residentId":"…"} sort status']);
});

it('refuses a range the index cannot serve after the equality prefix', () => {
  expect(check(find('reports', { residentId: 'r', validUntil: { $gte: '2026-01-01' } }))).toEqual([
    'find reports: {"residentId":"…","validUntil":{"$gte":"…"}}',
  ]);
});

it('needs every branch of an $or served', () => {
  expect(check(find('residents', { $or: [{ birthKey: 'k' }, { phone: 'p' }], active: true }))).toEqual([]);
  expect(check(find('residents', { $or: [{ birthKey: 'k' }, { name: 'n' }], active: true }))).toEqual([
    'find residents: {"$or":[{"birthKey":"…"},{"name":"…"}],"active":"…"}',
  ]);
});

it('checks aggregate, distinct, count, update and delete filters too', () => {
  const command = (commandName: string, body: Record<string, unknown>): CommandEvent => ({
    commandName,
    databaseName: 'db',
    command: { [commandName]: 'reports', ...body },
  });
  expect(
    check(
      command('aggregate', { pipeline: [{ $match: { status: 'FINAL' } }, { $group: { _id: '$status', n: { $sum: 1 } } }] }),
      command('aggregate', { pipeline: [{ $group: { _id: '$status' } }] }),
      command('distinct', { key: 'status', query: { status: 'FINAL' } }),
      command('count', { query: { status: 'FINAL' } }),
      command('update', { updates: [{ q: { status: 'FINAL' }, u: {} }] }),
      command('delete', { deletes: [{ q: { residentId: 'r' } }] }),
    ),
  ).toEqual([
    'aggregate reports: {"status":"…"}',
    'aggregate reports: {}',
    'distinct reports: {"status":"…"}',
    'count reports: {"status":"…"}',
    'update reports: {"status":"…"}',
  ]);
});
