/**
 * The project's patch to FerretDB's PostgreSQL backend (postgresql-indexes.patch) changes
 * which SQL a filter becomes, never which documents it selects: for every query shape the
 * patch pushes down (equality, `$in`, `$or`, `_id`), and for updates and deletes with them,
 * the patched engine answers exactly what stock FerretDB 1.24.2 answers, on data made to
 * catch a wrong pushdown: arrays (of documents too), nulls, missing fields, mixed number types,
 * strings that look like numbers, documents and dates.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../../tools/embedded-database';

const { MongoClient, Double, Long, ObjectId } = mongoose.mongo;
type Client = InstanceType<typeof MongoClient>;
type Filter = Record<string, unknown>;

const OID = new ObjectId('64b7f0c2a1b2c3d4e5f60718');

/** Each document is there to trip one kind of mistake; `_id`s of several types for the `_id` shapes. */
function documents(): Record<string, unknown>[] {
  return [
    { _id: 'int', a: 1, b: 'x', c: 1, tags: ['red', 'blue'], code: 'A' },
    { _id: 'double', a: new Double(1), b: 'x', c: 2, code: 'B' },
    { _id: 'long', a: Long.fromNumber(1), b: 'y', c: 3 },
    { _id: 'string', a: '1', b: 'y', tags: 'red' },
    { _id: 'null', a: null, b: null },
    { _id: 'missing', b: 'x', c: 0 },
    { _id: 'array', a: [1, 2], tags: ['green'] },
    { _id: 'documents-array', a: [{ x: 1 }, 3], tags: [{ color: 'red' }] },
    { _id: 'document', a: { x: 1 }, nested: { a: 1 } },
    { _id: 'bool', a: true, c: 5 },
    { _id: 'two', a: 2, nested: { a: 2 }, b: 'z' },
    { _id: 'array-null', a: [null], tags: [] },
    { _id: 'empty-array', a: [] },
    { _id: 'date', a: new Date(0) },
    { _id: 'zero', a: 0, b: 'x', c: -1 },
    { _id: 'large', a: 2 ** 60 },
    { _id: 7, a: 'seven' },
    { _id: 7.5, a: 'seven and a half' },
    { _id: Long.fromNumber(8), a: 'eight' },
    { _id: 'list', list: [{ v: 1 }, { v: 2 }] },
    { _id: 'list-document', list: { v: 2 } },
    { _id: OID, a: 'object id' },
  ];
}

/** Filter, and the `_id`s (sorted as strings) MongoDB selects with it. */
const SHAPES: [string, Filter, string[]][] = [
  ['equality, number', { a: 1 }, ['array', 'double', 'int', 'long']],
  ['equality, string that looks like a number', { a: '1' }, ['string']],
  ['equality, boolean', { a: true }, ['bool']],
  ['equality, number in an array only', { a: 3 }, ['documents-array']],
  ['equality, zero', { a: 0 }, ['zero']],
  ['equality, date', { a: new Date(0) }, ['date']],
  ['equality, double beyond the safe range', { a: 2 ** 60 }, ['large']],
  ['$eq', { a: { $eq: 2 } }, ['array', 'two']],
  ['equality on two fields', { a: 1, b: 'x' }, ['double', 'int']],
  ['equality with a range in Go', { b: 'x', c: { $gte: 1 } }, ['double', 'int']],
  ['null (not pushed down)', { a: null }, ['array-null', 'list', 'list-document', 'missing', 'null']],
  ['array element', { tags: 'red' }, ['int', 'string']],
  ['$in of numbers', { a: { $in: [2, 3] } }, ['array', 'documents-array', 'two']],
  ['$in of mixed types', { a: { $in: [1, '1', true] } }, ['array', 'bool', 'double', 'int', 'long', 'string']],
  ['$in with null (not pushed down)', { a: { $in: [2, null] } }, ['array', 'array-null', 'list', 'list-document', 'missing', 'null', 'two']],
  ['$in with an array (not pushed down)', { tags: { $in: [['red', 'blue'], 'green'] } }, ['array', 'int']],
  ['$in, empty', { a: { $in: [] } }, []],
  ['$in over an array field', { tags: { $in: ['blue', 'green'] } }, ['array', 'int']],
  ['_id, string', { _id: 'int' }, ['int']],
  ['_id, int', { _id: 7 }, ['7']],
  ['_id, double equal to an int', { _id: new Double(7) }, ['7']],
  ['_id, long', { _id: Long.fromNumber(8) }, ['8']],
  ['_id, double', { _id: 7.5 }, ['7.5']],
  ['_id, ObjectId', { _id: OID }, [OID.toHexString()]],
  ['_id, its hex string (not the ObjectId)', { _id: OID.toHexString() }, []],
  ['_id, $eq', { _id: { $eq: 'double' } }, ['double']],
  ['_id, $in of mixed types', { _id: { $in: ['int', 7, Long.fromNumber(8), OID, 'absent'] } }, [OID.toHexString(), '7', '8', 'int']],
  ['_id and another field', { _id: 'int', a: 2 }, []],
  ['$or of equalities', { $or: [{ a: true }, { b: 'y' }] }, ['bool', 'long', 'string']],
  ['$or with _id and $in', { $or: [{ _id: 'two' }, { a: { $in: ['1', 3] } }] }, ['documents-array', 'string', 'two']],
  ['$or beside equality', { b: 'x', $or: [{ a: 1 }, { c: 0 }] }, ['double', 'int', 'missing']],
  ['$or with a range-only branch (not pushed down)', { $or: [{ a: true }, { c: { $gt: 2 } }] }, ['bool', 'long']],
  ['$or with a dotted branch', { $or: [{ 'nested.a': 1 }, { a: 0 }] }, ['document', 'zero']],
  ['$or with a null branch', { $or: [{ a: null }, { a: 2 }] }, ['array', 'array-null', 'list', 'list-document', 'missing', 'null', 'two']],
  ['$or with an equality and a range in a branch', { $or: [{ b: 'x', c: { $lt: 1 } }, { _id: 7.5 }] }, ['7.5', 'missing', 'zero']],
];

const idsOf = (docs: { _id: unknown }[]) => docs.map((doc) => String(doc._id)).sort();

let scratch: string;
const engines: { name: string; database: EmbeddedDatabase; client: Client }[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'jinling-patch-'));
  chmodSync(scratch, 0o755); // PostgreSQL runs as nobody when root runs the tests
  for (const build of ['patched', 'stock'] as const) {
    // enable_seqscan=off: a plan shows an index whenever one can serve the filter, however small the table
    const database = await startEmbeddedDatabase({
      dataDir: path.join(scratch, build),
      engine: 'ferretdb-postgresql',
      build,
      durable: false,
      quiet: true,
      postgresSettings: ['enable_seqscan=off'],
    });
    const client = await MongoClient.connect(database.uri);
    engines.push({ name: build, database, client });
  }
});

afterAll(async () => {
  for (const { client, database } of engines) {
    await client.close();
    await database.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh collection with the same documents and indexes on both engines. */
async function seed(collection: string) {
  return Promise.all(
    engines.map(async ({ client }) => {
      const target = client.db('patch').collection(collection);
      // unique stays a btree in the patch; the others become GIN
      await target.createIndexes([{ key: { a: 1 } }, { key: { b: 1, c: -1 } }, { key: { tags: 1 } }, { key: { code: 1 }, unique: true }]);
      await target.insertMany(documents() as never[]);
      return target;
    }),
  );
}

describe('finds answer as stock FerretDB does', () => {
  let collections: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    collections = await seed('finds');
  });

  it.each(SHAPES)('%s', async (_name, filter, expected) => {
    const [patched, stock] = await Promise.all(collections.map((collection) => collection.find(filter).toArray()));
    expect(idsOf(patched!)).toEqual(expected);
    expect(idsOf(stock!)).toEqual(expected);
    // same documents, same types, byte for byte
    expect(JSON.stringify(mongoose.mongo.BSON.EJSON.serialize(patched!.sort(byId)))).toBe(
      JSON.stringify(mongoose.mongo.BSON.EJSON.serialize(stock!.sort(byId))),
    );
  });

  it.each(SHAPES)('counts: %s', async (_name, filter, expected) => {
    const counts = await Promise.all(collections.map((collection) => collection.countDocuments(filter)));
    expect(counts).toEqual([expected.length, expected.length]);
  });
});

/** The shapes the patch pushes down, and PostgreSQL's index scan for each (stock: a sequential scan for all). */
const INDEXED: [string, Filter, string][] = [
  ['equality', { a: 1 }, 'Bitmap Index Scan'],
  ['equality on an array field', { tags: 'red' }, 'Bitmap Index Scan'],
  ['equality on the first field of a compound index, with a range', { b: 'x', c: { $gte: 1 } }, 'Bitmap Index Scan'],
  ['$in', { a: { $in: [2, 3] } }, 'BitmapOr'],
  ['_id', { _id: 'int' }, 'Index Scan'],
  ['_id, $in', { _id: { $in: ['int', 7] } }, 'BitmapOr'],
  ['$or', { $or: [{ a: true }, { b: 'y' }] }, 'BitmapOr'],
];

describe('the patched engine reads through indexes where stock FerretDB scans', () => {
  let collections: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    collections = await seed('plans');
  });

  const planOf = async (collection: (typeof collections)[number], filter: Filter) => {
    const explained = await collection.find(filter).explain('queryPlanner');
    return JSON.stringify(explained.queryPlanner);
  };

  it.each(INDEXED)('%s', async (_name, filter, node) => {
    const [patched, stock] = await Promise.all(collections.map((collection) => planOf(collection, filter)));
    expect(patched).toContain(`"Node Type":"${node}"`);
    expect(patched).not.toContain('"Node Type":"Seq Scan"');
    expect(stock).toContain('"Node Type":"Seq Scan"');
  });

  it('leaves range-only and null filters to a scan on both', async () => {
    for (const filter of [{ c: { $gt: 1 } }, { a: null }]) {
      const plans = await Promise.all(collections.map((collection) => planOf(collection, filter)));
      for (const plan of plans) expect(plan).toContain('"Node Type":"Seq Scan"');
    }
  });
});

describe('dotted paths in updates and deletes: the patch leaves them to Go, where stock FerretDB misses arrays of documents', () => {
  // Stock pushes {"list.v": 2} down as _jsonb #> '{list,v}' @> '2', which is NULL for {list: [{v: 2}]}.
  for (const [name, filter] of [
    ['equality', { 'list.v': 2 }],
    ['$in', { 'list.v': { $in: [2, 5] } }],
  ] as const) {
    it(`find and count, ${name}`, async () => {
      const collections = await seed(`dotted_find_${name === '$in' ? 'in' : 'eq'}`);
      for (const collection of collections) {
        expect(idsOf(await collection.find(filter).toArray())).toEqual(['list', 'list-document']);
        expect(await collection.countDocuments(filter)).toBe(2);
      }
    });

    it(`updateMany, ${name}`, async () => {
      const [patched, stock] = await seed(`dotted_update_${name === '$in' ? 'in' : 'eq'}`);
      expect((await patched!.updateMany(filter, { $set: { touched: true } })).matchedCount).toBe(2);
      expect(idsOf(await patched!.find({ touched: true }).toArray())).toEqual(['list', 'list-document']);
      expect((await stock!.updateMany(filter, { $set: { touched: true } })).matchedCount).toBe(name === '$in' ? 2 : 1);
    });

    it(`deleteMany, ${name}`, async () => {
      const [patched, stock] = await seed(`dotted_delete_${name === '$in' ? 'in' : 'eq'}`);
      expect((await patched!.deleteMany(filter)).deletedCount).toBe(2);
      expect(await patched!.countDocuments({ _id: { $in: ['list', 'list-document'] } } as Filter)).toBe(0);
      expect((await stock!.deleteMany(filter)).deletedCount).toBe(name === '$in' ? 2 : 1);
    });
  }
});

describe('updates and deletes touch what stock FerretDB touches', () => {
  it.each(SHAPES)('updateMany: %s', async (name, filter, expected) => {
    const collections = await seed(`update_${SHAPES.findIndex(([shape]) => shape === name)}`);
    const results = await Promise.all(collections.map((collection) => collection.updateMany(filter, { $set: { touched: true } })));
    expect(results.map((result) => result.matchedCount)).toEqual([expected.length, expected.length]);
    const touched = await Promise.all(collections.map((collection) => collection.find({ touched: true }).toArray()));
    expect(touched.map(idsOf)).toEqual([expected, expected]);
  });

  it.each(SHAPES)('deleteMany and deleteOne: %s', async (name, filter, expected) => {
    const collections = await seed(`delete_${SHAPES.findIndex(([shape]) => shape === name)}`);
    const one = await Promise.all(collections.map((collection) => collection.deleteOne(filter)));
    expect(one.map((result) => result.deletedCount)).toEqual(expected.length > 0 ? [1, 1] : [0, 0]);
    const many = await Promise.all(collections.map((collection) => collection.deleteMany(filter)));
    expect(many.map((result) => result.deletedCount)).toEqual([Math.max(expected.length - 1, 0), Math.max(expected.length - 1, 0)]);
    const left = await Promise.all(collections.map((collection) => collection.find({}).toArray()));
    expect(left.map(idsOf)).toEqual([remaining(expected), remaining(expected)]);
  });
});

function remaining(deleted: string[]): string[] {
  return idsOf(documents() as { _id: unknown }[]).filter((id) => !deleted.includes(id));
}

function byId(left: { _id: unknown }, right: { _id: unknown }): number {
  return String(left._id).localeCompare(String(right._id));
}
