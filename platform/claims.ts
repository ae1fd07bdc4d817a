/**
 * "At most once" that holds under concurrency on every MongoDB-compatible engine: an insert
 * with a chosen _id either succeeds or fails on the primary key, atomically ("at most N" is N
 * numbered ids, as the referral slot places are).
 * A filtered findOneAndUpdate is atomic on MongoDB but not on the embedded FerretDB 1.x
 * (measured: 200 concurrent guarded decrements of a counter at 30 all "succeeded"), so
 * bookings and one-way state transitions claim an _id instead.
 */
import { type AnyModel, bulkWriteFailures } from './database';
import { isDuplicateKey } from './errors';

/** Inserts the document; false when its _id is already taken (someone else claimed it first). */
export async function claim<T extends { _id: string }>(model: AnyModel, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** claim for many documents in one round trip: the positions of those whose _id was already taken. */
export function claimAll<T extends { _id: string }>(model: AnyModel, docs: readonly T[]): Promise<Set<number>> {
  return bulkWriteFailures(
    model,
    docs.map((document) => ({ insertOne: { document } })),
  );
}
