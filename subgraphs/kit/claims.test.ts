/** Against the suite's real database: claims hold under 200 concurrent attempts. */
import mongoose, { Schema, type Connection } from 'mongoose';
import { claim, claimPlace } from './claims';

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

it('gives 30 places to 200 concurrent callers, each place once', async () => {
  const places = await Promise.all(Array.from({ length: 200 }, (_, index) => claimPlace(model(), 'pool-1', 30, (_id, place) => ({ _id, poolId: 'pool-1', place, by: `caller-${index}` }))));
  const taken = places.filter((place): place is number => place !== null);
  expect(taken).toHaveLength(30);
  expect(new Set(taken).size).toBe(30);
  expect(await model().countDocuments({ poolId: 'pool-1' })).toBe(30);
});
