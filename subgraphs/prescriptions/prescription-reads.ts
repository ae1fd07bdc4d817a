/**
 * Reads of prescriptions: a resident's (paged), by id, the still-active ones (for safety
 * checks), the organization's own and a pharmacy's queue, and each prescription's
 * transitions; only what the viewer may see, and a pharmacy only what was chosen for it.
 */
import { allowsEntry } from '../../access-control/entry-points';
import type { PermittedRecords } from '../../access-control/resident-access';
import { type ResidentAccess, visibleRecords, withoutRestricted } from '../../access-control/resident-access';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { dayOrTimeOf } from '../runtime/input';
import type { PrescriptionDoc, PrescriptionStatus, PrescriptionsModels, TransitionDoc } from './models';
import { prescriptionLabel as label } from './prescription-rules';

const OPEN: PrescriptionDoc['status'][] = ['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED'];

export interface PrescriptionFilter {
  status?: PrescriptionStatus | null;
  since?: string | null;
}

/** Where a prescription stands in a page by time. */
export const prescriptionKey = (prescription: PrescriptionDoc) => ({ at: prescription.issuedAt, id: prescription._id });

export class PrescriptionReads {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
  ) {}

  async prescriptionsOfResidents(residentIds: readonly string[], filter: PrescriptionFilter = {}): Promise<PermittedRecords<PrescriptionDoc>> {
    return this.access.read(
      'prescriptions',
      residentIds,
      (filedUnder) =>
        this.models.Prescription.find(this.residentQuery(filedUnder, filter))
          .sort({ issuedAt: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<PrescriptionDoc[]>()
          .exec(),
      label,
    );
  }

  /** One resident's page of prescriptions, newest first, `first + 1` rows at a time; null when the viewer may not see them. */
  async prescriptionPage(
    residentId: string,
    filter: PrescriptionFilter,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<PrescriptionDoc> | null> {
    return this.access.readPage('prescriptions', residentId, (filedUnder) => {
      const query = this.residentQuery(filedUnder, filter);
      return timePage(
        {
          field: 'issuedAt',
          fetch: ({ keyset, sort, limit }) =>
            this.models.Prescription.find({ ...query, ...keyset })
              .sort(sort)
              .limit(limit)
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<PrescriptionDoc[]>()
              .exec(),
          keyOf: prescriptionKey,
          keep: (rows) => withoutRestricted(this.access, rows, label),
        },
        first,
        after,
      );
    });
  }

  private residentQuery(residentIds: Iterable<string>, filter: PrescriptionFilter): Record<string, unknown> {
    const query: Record<string, unknown> = { residentId: oneOf(residentIds), ...this.statusFilter(filter.status) };
    // A pharmacy sees only the prescriptions chosen for it.
    if (this.isPharmacy()) query.pharmacyCode = this.access.viewer.organizationCode;
    if (filter.since) query.issuedAt = operator({ $gte: dayOrTimeOf(filter.since, 'since') });
    return query;
  }

  async prescriptionsById(ids: readonly string[]): Promise<PrescriptionDoc[]> {
    const records = await this.models.Prescription.find({ _id: idIn(ids) })
      .lean<PrescriptionDoc[]>()
      .exec();
    const mine = this.isPharmacy() ? records.filter((record) => record.pharmacyCode === this.access.viewer.organizationCode) : records;
    return visibleRecords(this.access, mine, 'prescriptions', label);
  }

  /**
   * Still-active prescriptions of residents (duplicate-therapy checks), one query: only those
   * the viewer may see, so a warning never names a drug the resident restricted.
   */
  async activeOf(residentIds: readonly string[]): Promise<PrescriptionDoc[]> {
    // Decided (and merged ids resolved) as for the prescriptions the warnings are about.
    const { owners, records: visible } = await this.access.read(
      'prescriptions',
      residentIds,
      (filedUnder) =>
        this.models.Prescription.find({
          residentId: oneOf(filedUnder),
          status: oneOf(['SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED']),
          validUntil: operator({ $gte: new Date() }),
        })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<PrescriptionDoc[]>()
          .exec(),
      label,
    );
    // One filed under a merged id counts for every id asked that stands for it.
    return visible.flatMap((row) => (owners?.get(row.residentId) ?? [row.residentId]).map((residentId) => ({ ...row, residentId })));
  }

  async transitionsOf(prescriptionIds: readonly string[]): Promise<TransitionDoc[]> {
    return this.models.Transition.find({ prescriptionId: oneOf(prescriptionIds) })
      .sort({ at: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<TransitionDoc[]>()
      .exec();
  }

  /** The caller organization's own prescriptions (an internet hospital's, say), newest first. */
  organizationPrescriptions(status: PrescriptionStatus | null | undefined, first: number, after: string | null | undefined): Promise<Page<PrescriptionDoc>> {
    return this.page({ organizationCode: this.access.viewer.organizationCode, ...this.statusFilter(status) }, first, after);
  }

  /** A pharmacist's own pharmacy only. */
  pharmacyQueue(status: PrescriptionStatus | null | undefined, first: number, after: string | null | undefined): Promise<Page<PrescriptionDoc>> {
    return this.page({ pharmacyCode: this.access.viewer.organizationCode, ...this.statusFilter(status) }, first, after);
  }

  /** A page of the viewer's organization's (or pharmacy's) prescriptions, newest first, filled with what the viewer may see. */
  private page(query: Record<string, unknown>, first: number, after: string | null | undefined): Promise<Page<PrescriptionDoc>> {
    if (!this.access.viewer.organizationCode) throw forbidden('An organization is required');
    return timePage(
      {
        field: 'issuedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.Prescription.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<PrescriptionDoc[]>()
            .exec(),
        keyOf: (row) => ({ at: row.issuedAt, id: row._id }),
        keep: (rows) => visibleRecords(this.access, rows, 'prescriptions', label),
      },
      first,
      after,
    );
  }

  /** Stored statuses that mean `status` now: EXPIRED is open and past its validity. */
  private statusFilter(status: PrescriptionStatus | null | undefined): Record<string, unknown> {
    if (!status) return {};
    if (status === 'EXPIRED') return { status: oneOf(OPEN), validUntil: operator({ $lt: new Date() }) };
    if ((OPEN as string[]).includes(status)) return { status, validUntil: operator({ $gte: new Date() }) };
    return { status };
  }

  private isPharmacy(): boolean {
    return allowsEntry(this.access.viewer, 'pharmacy-view');
  }
}
