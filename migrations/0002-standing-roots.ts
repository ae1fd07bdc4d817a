/**
 * Care relationships written before standing had provenance (ADR 0011): each gets the root its
 * kind implies, resting on its own organization ("recorded before roots"); an accepted referral
 * or a dispensing left open gets the end the policy now gives one (REFERRAL_OPEN_DAYS,
 * DISPENSING_RELATIONSHIP_DAYS after it began); a registration gets the latest care its
 * organization recorded for the resident (records' encounters), or none. Only documents
 * without a root are touched, and each gets its root in the same update: a second run finds
 * nothing to do.
 */
import type { mongo } from 'mongoose';
import type { CareRelationshipDoc } from '../access-control/access-store';
import { acceptedReferralEnd, dispensedEnd, type PolicySettings, rootRecordedBeforeRoots } from '../access-control/policy';
import { loadConfig } from '../platform/config';
import { deploymentDatabase } from '../platform/migrations';
import { type EncounterDoc, HIDDEN_ENCOUNTER_STATUS } from '../subgraphs/records/models';

const BATCH = 500;

/** A relationship as the code before roots wrote it. */
type OldRelationship = Omit<CareRelationshipDoc, 'root' | 'careSeenAt'> & { careSeenAt?: Date | null };

export async function up(db: mongo.Db, client: mongo.MongoClient): Promise<void> {
  const config = loadConfig();
  const settings: PolicySettings = {
    encounterWindowDays: config.CARE_RELATIONSHIP_WINDOW_DAYS,
    referralOpenDays: config.REFERRAL_OPEN_DAYS,
    dispensingDays: config.DISPENSING_RELATIONSHIP_DAYS,
  };
  const relationships = db.collection<OldRelationship>('careRelationships');
  const encounters = deploymentDatabase(db, client, 'records').collection<EncounterDoc>('encounters');
  let batch: OldRelationship[] = [];
  const write = async () => {
    if (batch.length === 0) return;
    const care = await latestCare(encounters, batch.filter(needsCareSeen));
    const updates = batch.map((doc) => ({
      updateOne: { filter: { _id: doc._id, root: { $exists: false } }, update: { $set: backfill(doc, care, settings) } },
    }));
    await relationships.bulkWrite(updates, { ordered: false });
    batch = [];
  };
  for await (const doc of relationships.find({ root: { $exists: false } }, { batchSize: BATCH })) {
    batch.push(doc);
    if (batch.length === BATCH) await write();
  }
  await write();
}

const needsCareSeen = (doc: OldRelationship) => doc.kind === 'REGISTRATION' && doc.careSeenAt === undefined;
const careKey = (organizationCode: string, residentId: string) => `${organizationCode}|${residentId}`;

function backfill(doc: OldRelationship, care: Map<string, Date>, settings: PolicySettings): Partial<CareRelationshipDoc> {
  const fields: Partial<CareRelationshipDoc> = { root: rootRecordedBeforeRoots(doc.kind, doc.organizationCode) };
  if (doc.kind === 'REFERRAL' && doc.endsAt === null) fields.endsAt = acceptedReferralEnd(doc.since, null, settings);
  if (doc.kind === 'DISPENSING' && doc.endsAt === null) fields.endsAt = dispensedEnd(doc.since, settings);
  if (needsCareSeen(doc)) fields.careSeenAt = care.get(careKey(doc.organizationCode, doc.residentId)) ?? null;
  return fields;
}

/**
 * The latest visit each registration's organization recorded for its resident, as the write
 * path counts care: not an encounter entered in error, and one dated in the future counts as
 * today. One query per batch, by resident (the encounters' index).
 */
async function latestCare(encounters: mongo.Collection<EncounterDoc>, registrations: OldRelationship[]): Promise<Map<string, Date>> {
  const latest = new Map<string, Date>();
  if (registrations.length === 0) return latest;
  const wanted = new Set(registrations.map((doc) => careKey(doc.organizationCode, doc.residentId)));
  const now = Date.now();
  const visits = encounters.find(
    { residentId: { $in: [...new Set(registrations.map((doc) => doc.residentId))] }, status: { $ne: HIDDEN_ENCOUNTER_STATUS } },
    { projection: { residentId: 1, organizationCode: 1, start: 1 } },
  );
  for await (const visit of visits) {
    const key = careKey(visit.organizationCode, visit.residentId);
    const at = new Date(Math.min(visit.start.getTime(), now));
    const known = latest.get(key);
    if (wanted.has(key) && (!known || known < at)) latest.set(key, at);
  }
  return latest;
}
