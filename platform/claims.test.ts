/** Against the suite's real database: a claim holds under 100 concurrent attempts. */
import mongoose, { type Connection, Schema } from 'mongoose';
import { claim } from './claims';

interface Place {
  _id: string;
  poolId: string;
  place: number;
  by: string;
}

let connection: Connection;
beforeAll(async () => {
  connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `claims_${process.pid}`, maxPoolSize: 50 }).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const model = () =>
  connection.models.Place ??
  connection.model<Place>('Place', new Schema<Place>({ _id: String, poolId: { type: String, index: true }, place: Number, by: String }, { versionKey: false }));

it('lets exactly one of 100 concurrent claims of one id win', async () => {
  const outcomes = await Promise.all(Array.from({ length: 100 }, (_, index) => claim(model(), { _id: 'once', poolId: 'x', place: 0, by: `caller-${index}` })));
  expect(outcomes.filter(Boolean)).toHaveLength(1);
  expect(await model().countDocuments({ _id: 'once' })).toBe(1);
});
