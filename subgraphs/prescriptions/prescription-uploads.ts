/** Prescriptions a hospital's system files in batches: already dispensed there, each with its one transition. */
import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, type RecordActivity, scheduledEntry } from '../../monitoring/activity';
import { bulkWriteFailures, idIn, oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { forbidden } from '../../platform/errors';
import { accepted, allowedDocuments, parseBatch, refused, type UploadOutcome } from '../runtime/batch-upload';
import { filedPrescriptionDoc, filedPrescriptionInput } from './filing';
import type { PrescriptionDoc, PrescriptionsModels } from './models';

/** A filed prescription is a record received in a scheduled upload (scheduled records feed no real-time form). */
const PRESCRIPTION_FILED: RecordActivity = { counts: {}, feeds: [] };

export class PrescriptionUploads {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
    private readonly chronicMaxDays: number,
    /** Counts the prescriptions filed at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  /**
   * A batch of prescriptions a hospital's system files (already dispensed there): each item
   * checked as issuePrescription checks its input, the write decided for all residents at
   * once (the hospital needs standing with each), an encounter named by the hospital's own id
   * checked to be that resident's, the stored versions read in one query, and what is new or
   * changed written in bulk with its one transition. A refused item changes nothing and does
   * not stop the others; round trips do not grow with the number of items.
   */
  async upload(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    const organizationCode = this.access.viewer.organizationCode;
    if (!organizationCode) throw forbidden('An organization is required to file prescriptions');
    const { parsed, outcomes } = parseBatch(rawInputs, filedPrescriptionInput, 'sourceRecordId');
    const uploadedAt = new Date();
    const targets = await allowedDocuments(this.access, 'file-prescription', parsed, outcomes, (input, residentId) =>
      filedPrescriptionDoc(input, organizationCode, residentId, this.chronicMaxDays, uploadedAt),
    );
    // An encounter is named by the hospital's own id: it must be one it filed for the same resident.
    const linked = [...targets].filter(([, doc]) => doc.encounterId !== null);
    const foreign = await this.access.foreignReferences(
      'encounter',
      linked.map(([, doc]) => ({ recordId: doc.encounterId!, residentId: doc.residentId })),
    );
    linked.forEach(([index], position) => {
      if (!foreign[position]) return;
      outcomes[index] = refused(
        'BAD_USER_INPUT',
        `encounterSourceRecordId ${parsed.get(index)!.encounterSourceRecordId} is not an encounter this hospital uploaded for this resident (upload the encounter first)`,
      );
      targets.delete(index);
    });
    // By resident as well as by id, so the query goes only to those residents' shards; a filing
    // of the same source for someone else is then not found, and its insert collides on _id.
    const filedUnder = this.access.filedUnderOfWritten(new Set([...targets.values()].map((doc) => doc.residentId)));
    const stored = new Map(
      targets.size
        ? (
            await this.models.Prescription.find({ residentId: oneOf(filedUnder), _id: idIn([...targets.values()].map((doc) => doc._id)) })
              // The content hash tells a re-send from a change: the rest of the stored prescription is not needed.
              .select({ _id: 1, residentId: 1, requestHash: 1 })
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<Pick<PrescriptionDoc, '_id' | 'residentId' | 'requestHash'>[]>()
              .exec()
          ).map((doc) => [doc._id, doc] as const)
        : [],
    );
    const writes: { index: number; doc: PrescriptionDoc; status: 'CREATED' | 'CHANGED'; operation: object }[] = [];
    for (const [index, doc] of targets) {
      const existing = stored.get(doc._id);
      if (existing?.requestHash === doc.requestHash) outcomes[index] = accepted('UNCHANGED');
      else {
        const { _id, residentId, ...content } = doc;
        const operation = existing
          ? { updateOne: { filter: { _id, residentId: existing.residentId }, update: { $set: content } } }
          : { insertOne: { document: doc } };
        writes.push({ index, doc, status: existing ? 'CHANGED' : 'CREATED', operation });
      }
    }
    const failed = await bulkWriteFailures(
      this.models.Prescription,
      writes.map((write) => write.operation),
    );
    const written = writes.filter((write, position) => {
      // As for records: a concurrent upload of the same new prescription, or one filed for another resident, collides on _id.
      if (failed.has(position)) outcomes[write.index] = refused('CONFLICT', 'This source record was uploaded for another resident');
      else outcomes[write.index] = accepted(write.status);
      return !failed.has(position);
    });
    if (written.length === 0) return outcomes.map((outcome) => outcome!);
    // Its one state change: dispensed by the hospital's pharmacist, when the hospital says.
    await bulkWriteFailures(
      this.models.Transition,
      written.map(({ doc }) => ({
        replaceOne: {
          filter: { _id: `${doc._id}:1`, prescriptionId: doc._id },
          replacement: {
            _id: `${doc._id}:1`,
            prescriptionId: doc._id,
            from: null,
            to: 'DISPENSED',
            by: doc.dispensing!.pharmacist,
            organizationCode,
            at: doc.dispensing!.at,
          },
          upsert: true,
        },
      })),
    );
    await this.countActivity(written.map(() => scheduledEntry(organizationCode, uploadedAt, PRESCRIPTION_FILED)));
    return outcomes.map((outcome) => outcome!);
  }
}
