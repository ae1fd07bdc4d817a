/**
 * The project's patch to FerretDB's update command (update-connections.patch): each
 * statement gives its pooled connection back before the next, so a bulk write of more
 * statements than the pool has connections ends. Stock 1.24.2 never answers one of 50 or
 * more (measured: 49 answer, 50 wait forever), and batch uploads replace up to a whole chunk
 * of records in one command.
 */
import mongoose from 'mongoose';

const { MongoClient } = mongoose.mongo;

it('answers an update command of 200 statements, replacements and $set alike', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the global test setup did not run');
  const client = await MongoClient.connect(uri);
  const database = client.db(`update_connections_${process.pid}`);
  try {
    const collection = database.collection<{ _id: string; residentId: string; version: number }>('reports');
    const ids = Array.from({ length: 200 }, (_, index) => `report-${index}`);
    await collection.insertMany(ids.map((_id, index) => ({ _id, residentId: `resident-${index % 7}`, version: 1 })));
    const replaced = await collection.bulkWrite(
      ids.map((_id, index) => ({
        replaceOne: { filter: { _id, residentId: `resident-${index % 7}`, version: 1 }, replacement: { residentId: `resident-${index % 7}`, version: 2 } },
      })),
      { ordered: false },
    );
    expect(replaced.matchedCount).toBe(200);
    const updated = await collection.bulkWrite(
      ids.map((_id) => ({ updateOne: { filter: { _id, version: 2 }, update: { $set: { version: 3 } } } })),
      { ordered: false },
    );
    expect(updated.modifiedCount).toBe(200);
  } finally {
    await database.dropDatabase();
    await client.close();
  }
});
