/** Prescriptions a hospital's system files in batches (already dispensed there, each with its one transition), through the filing pipeline. */
import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, type RecordActivity, scheduledEntry } from '../../monitoring/activity';
import { bulkWriteFailures, idIn, oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { forbidden } from '../../platform/errors';
import { accepted, decideByPolicy, refused, type UploadOutcome } from '../runtime/batch-upload';
import { type Filing, fileBatch, type WriteResult } from '../runtime/filing-pipeline';
import { sourceRecordKey } from '../runtime/ids';
import { type FiledPrescriptionInput, filedPrescriptionDoc, filedPrescriptionInput } from './filing';
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
   * A batch of prescriptions a hospital's system files (already dispensed there), through the
   * filing pipeline: each item checked as issuePrescription checks its input, the write decided
   * for all residents at once (the hospital needs standing with each), an encounter named by the
   * hospital's own id checked to be that resident's, the stored versions read in one query, and
   * what is new or changed written in bulk with its one transition.
   */
  async upload(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    const uploadedAt = new Date();
    const { outcomes } = await fileBatch(
      rawInputs,
      {
        schema: filedPrescriptionInput,
        sourceIdField: 'sourceRecordId',
        organization: async () => this.organizationOfViewer(),
        decide: async (parsed, refusals) => this.withOwnEncounters(parsed, refusals, await decideByPolicy(this.access, 'file-prescription', parsed, refusals)),
        build: (input, organizationCode, residentId) => filedPrescriptionDoc(input, organizationCode, residentId, this.chronicMaxDays, uploadedAt),
        storedVersions: (built) => this.storedVersions(built.map(({ doc }) => doc)),
        // The content hash tells a re-send from a change.
        compare: (filed, stored) => (stored.requestHash === filed.requestHash ? accepted('UNCHANGED') : null),
        write: (filings) => this.writePrescriptions(filings),
        afterWrite: (written, organizationCode) =>
          this.writeDispensings(
            written.map(({ saved }) => saved),
            organizationCode,
          ),
        countOf: (_record, organizationCode) => [scheduledEntry(organizationCode, uploadedAt, PRESCRIPTION_FILED)],
      },
      this.access,
      this.countActivity,
    );
    return outcomes;
  }

  private organizationOfViewer(): string {
    const organizationCode = this.access.viewer.organizationCode;
    if (!organizationCode) throw forbidden('An organization is required to file prescriptions');
    return organizationCode;
  }

  /** The decided items whose named encounter, if any, is one this hospital filed for the same resident. */
  private async withOwnEncounters(
    parsed: ReadonlyMap<number, FiledPrescriptionInput>,
    outcomes: (UploadOutcome | null)[],
    decided: Map<number, string>,
  ): Promise<Map<number, string>> {
    const organizationCode = this.organizationOfViewer();
    const linked = [...decided].filter(([index]) => parsed.get(index)!.encounterSourceRecordId);
    const foreign = await this.access.foreignReferences(
      'encounter',
      linked.map(([index, residentId]) => ({
        recordId: sourceRecordKey('encounter', organizationCode, parsed.get(index)!.encounterSourceRecordId!),
        residentId,
      })),
    );
    linked.forEach(([index], position) => {
      if (!foreign[position]) return;
      outcomes[index] = refused(
        'BAD_USER_INPUT',
        `encounterSourceRecordId ${parsed.get(index)!.encounterSourceRecordId} is not an encounter this hospital uploaded for this resident (upload the encounter first)`,
      );
      decided.delete(index);
    });
    return decided;
  }

  /**
   * The stored versions, by resident as well as by id, so the query goes only to those
   * residents' shards; a filing of the same source for someone else is then not found, and its
   * insert collides on _id. The content hash is all a comparison needs.
   */
  private async storedVersions(docs: readonly PrescriptionDoc[]): Promise<Map<string, PrescriptionDoc>> {
    const filedUnder = this.access.filedUnderOfWritten(new Set(docs.map((doc) => doc.residentId)));
    const stored = await this.models.Prescription.find({ residentId: oneOf(filedUnder), _id: idIn(docs.map((doc) => doc._id)) })
      .select({ _id: 1, residentId: 1, requestHash: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<PrescriptionDoc[]>()
      .exec();
    return new Map(stored.map((doc) => [doc._id, doc]));
  }

  private async writePrescriptions(filings: readonly Filing<PrescriptionDoc>[]): Promise<WriteResult<PrescriptionDoc>[]> {
    const failed = await bulkWriteFailures(
      this.models.Prescription,
      filings.map(({ doc, previous }) => {
        const { _id, residentId, ...content } = doc;
        return previous ? { updateOne: { filter: { _id, residentId }, update: { $set: content } } } : { insertOne: { document: doc } };
      }),
    );
    // As for records: a concurrent upload of the same new prescription, or one filed for another resident, collides on _id.
    return filings.map(({ doc }, position) =>
      failed.has(position) ? refused('CONFLICT', 'This source record was uploaded for another resident') : { saved: doc },
    );
  }

  /** Each written prescription's one state change: dispensed by the hospital's pharmacist, when the hospital says. */
  private async writeDispensings(written: readonly PrescriptionDoc[], organizationCode: string): Promise<void> {
    await bulkWriteFailures(
      this.models.Transition,
      written.map((doc) => ({
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
  }
}
