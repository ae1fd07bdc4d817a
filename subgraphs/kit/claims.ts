/**
 * "At most once" and "at most N" that hold under concurrency on every MongoDB-compatible
 * engine: an insert with a chosen _id either succeeds or fails on the primary key, atomically.
 * A filtered findOneAndUpdate is atomic on MongoDB but not on the embedded FerretDB 1.x
 * (measured: 200 concurrent guarded decrements of a counter at 30 all "succeeded"), so
 * bookings and one-way state transitions claim an _id instead.
 */
import type { Model } from 'mongoose';
import { isDuplicateKey } from './errors';

// Any model: the documents are built by the caller, so their exact schema type does not matter here.
type AnyModel = Model<any, any, any, any>;

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

/**
 * Takes one of `capacity` numbered places in a pool (`<poolId>:<n>`), or returns null when all
 * are taken. Each attempt is one insert; a lost race moves on to the next free place.
 */
export async function claimPlace<T extends { _id: string; poolId: string }>(
  model: AnyModel,
  poolId: string,
  capacity: number,
  make: (id: string, place: number) => T,
): Promise<number | null> {
  for (let round = 0; round < 3; round++) {
    const rows: { _id: string }[] = await model.find({ poolId }, { _id: 1 }).lean().exec();
    const taken = new Set(rows.map((row) => row._id));
    const free = Array.from({ length: capacity }, (_, index) => index + 1).filter((place) => !taken.has(`${poolId}:${place}`));
    if (free.length === 0) return null;
    for (const place of free) {
      if (await claim(model, make(`${poolId}:${place}`, place))) return place;
    }
  }
  return null;
}
