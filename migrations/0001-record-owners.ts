/**
 * Notes whom every encounter and lab report is filed under (the access store's recordOwners),
 * for records written before records and labs noted it: without the note, a referral cannot
 * attach them. Idempotent: each note is set to the record's own resident again.
 */
import type { mongo } from 'mongoose';
import { type RecordKind, type RecordOwnerDoc, recordOwnerKey } from '../access-control/access-store';
import { deploymentDatabase } from '../platform/migrations';

const BATCH = 1000;

export async function up(db: mongo.Db, client: mongo.MongoClient): Promise<void> {
  const owners = db.collection<RecordOwnerDoc>('recordOwners');
  await noteOwners(owners, 'encounter', deploymentDatabase(db, client, 'records').collection('encounters'));
  await noteOwners(owners, 'lab-report', deploymentDatabase(db, client, 'labs').collection('labReports'));
}

async function noteOwners(owners: mongo.Collection<RecordOwnerDoc>, kind: RecordKind, records: mongo.Collection): Promise<void> {
  let batch: mongo.AnyBulkWriteOperation<RecordOwnerDoc>[] = [];
  const write = async () => {
    if (batch.length > 0) await owners.bulkWrite(batch, { ordered: false });
    batch = [];
  };
  // Every record, once: a backfill reads the whole collection by nature.
  for await (const record of records.find({}, { projection: { residentId: 1 }, batchSize: BATCH })) {
    const _id = recordOwnerKey(kind, String(record._id));
    batch.push({ updateOne: { filter: { _id }, update: { $set: { residentId: record.residentId } }, upsert: true } });
    if (batch.length === BATCH) await write();
  }
  await write();
}
