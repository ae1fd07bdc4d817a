/**
 * Queries and rules of the prescriptions subgraph. Every state change is a claimed
 * transition (`<id>:<version>`), so it happens once even when two pharmacists press the
 * button at the same moment; reads return only what the viewer may see.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { allowsEntry, ENTRY_RULES } from '../../access-control/entry-points';
import { dispensedEnd, type StandingRoot, type WriteKind } from '../../access-control/policy';
import type { PermittedRecords } from '../../access-control/resident-access';
import { type ResidentAccess, requireEntry, visibleRecords, withoutRestricted } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, countNothing, type RecordActivity, realtimeEntry, scheduledEntry } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { bulkWriteFailures, idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { accepted, allowedDocuments, parseBatch, refused, type UploadOutcome } from '../runtime/batch-upload';
import { CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE, organizationCodeOf, recordIdOf } from '../runtime/ids';
import { parseInput, timeOf } from '../runtime/input';
import { ICD10, residentIdRule } from '../runtime/input-rules';
import { drugByCode } from './drug-catalogue';
import { diagnosesRule, filedPrescriptionDoc, filedPrescriptionInput, LOT } from './filing';
import type { PrescriptionDoc, PrescriptionStatus, PrescriptionsModels, TransitionDoc } from './models';
import {
  canMove,
  contentHash,
  effectiveStatus,
  itemInput,
  itemsOf,
  prescriptionLabel as label,
  prescriptionSensitivities,
  renewalCheckFor,
  validUntilOf,
  warningsFor,
} from './prescription-rules';

const OPEN: PrescriptionDoc['status'][] = ['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED'];

/** A review: the safety facts the pharmacist saw (as records resolved them) and the warning codes they acknowledge. */
const reviewInput = z.object({
  safetyFacts: z
    .object({
      allergyGroups: z.array(z.object({ group: z.string().min(1).max(64), criticality: z.enum(['LOW', 'HIGH', 'UNABLE_TO_ASSESS']) })).max(100),
      diagnosisCodes: z.array(z.string().regex(ICD10, 'must be ICD-10 codes')).max(200),
    })
    .nullish(),
  acknowledgedWarnings: z.array(z.string().min(1).max(200)).max(50),
});

const issueInput = z.object({
  residentId: residentIdRule,
  clientRequestId: z.string().regex(CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE),
  encounterId: residentIdRule.nullish(),
  diagnoses: diagnosesRule,
  items: z.array(itemInput),
  renewal: z.boolean().nullish(),
  pharmacyCode: z
    .string()
    .regex(/^3201-P\d{2}$/, 'must be a cloud pharmacy code such as 3201-P01')
    .nullish(),
  delivery: z
    .object({
      method: z.enum(['DELIVERY', 'PICKUP']),
      address: z.string().min(4).max(200).nullish(),
      phone: z
        .string()
        .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number')
        .nullish(),
    })
    .nullish(),
});

export interface PrescriptionFilter {
  status?: PrescriptionStatus | null;
  since?: string | null;
}

/** What the prescriptions subgraph's real-time records feed (the forms catalogue maps them to forms). */
const PRESCRIPTION_ISSUED: RecordActivity = { counts: {}, feeds: ['prescription'] };
const PRESCRIPTION_DISPENSED: RecordActivity = { counts: {}, feeds: ['dispense'] };
/** A filed prescription is a record received in a scheduled upload (scheduled records feed no real-time form). */
const PRESCRIPTION_FILED: RecordActivity = { counts: {}, feeds: [] };

/** Where a prescription stands in a page by time. */
export const prescriptionKey = (prescription: PrescriptionDoc) => ({ at: prescription.issuedAt, id: prescription._id });

export class PrescriptionsRepository {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
    private readonly chronicMaxDays: number,
    /** Counts prescriptions, routings and dispensings at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  // ---- reads ------------------------------------------------------------------------------

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
    if (filter.since) query.issuedAt = operator({ $gte: timeOf(filter.since, 'since') });
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

  // ---- writes ----------------------------------------------------------------------------

  /** A draft. The same client request id with the same content returns the same prescription. */
  async issue(rawInput: unknown): Promise<PrescriptionDoc> {
    const input = parseInput(issueInput, rawInput);
    const { viewer } = this.access;
    const organizationCode = viewer.organizationCode;
    if (!organizationCode) throw forbidden('An organization is required to prescribe');
    const residentId = await this.access.requireWrite(input.residentId, 'prescribe');
    const items = itemsOf(input.items, this.chronicMaxDays);
    if (input.renewal && items.some((item) => !drugByCode(item.drug.code)?.chronic)) throw badUserInput('An online renewal is for chronic medication only');
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ ...input, organizationCode }))
      .digest('hex');
    const issuedAt = new Date();
    const diagnoses = input.diagnoses.map((diagnosis) => ({ system: 'ICD-10', code: diagnosis.code, display: diagnosis.display }));
    const prescription: PrescriptionDoc = {
      _id: createHash('sha256').update(`rx|${organizationCode}|${input.clientRequestId}`).digest('hex').slice(0, 24),
      residentId,
      organizationCode,
      // A physician's draft names them (signing is theirs); an internet hospital's names nobody yet.
      prescriberPractitioner: allowsEntry(viewer, 'sign-prescription') ? viewer.practitionerId! : null,
      encounterId: input.encounterId ?? null,
      diagnoses,
      items,
      status: 'DRAFT',
      version: 1,
      issuedAt,
      validUntil: validUntilOf(issuedAt),
      renewal: input.renewal ?? false,
      pharmacyCode: input.pharmacyCode ?? null,
      delivery: input.delivery ? { method: input.delivery.method, address: input.delivery.address ?? null, phone: input.delivery.phone ?? null } : null,
      signature: null,
      review: null,
      dispensing: null,
      cancellation: null,
      clientRequestId: input.clientRequestId,
      requestHash,
      sensitivities: prescriptionSensitivities({ items, diagnoses }),
    };
    if (!(await claim(this.models.Prescription, prescription))) {
      const existing = (await this.models.Prescription.findById(prescription._id).lean<PrescriptionDoc>().exec())!;
      if (existing.requestHash !== requestHash) throw appError('CONFLICT', 'This clientRequestId was used for a different prescription');
      return existing;
    }
    await claim(this.models.Transition, {
      _id: `${prescription._id}:1`,
      prescriptionId: prescription._id,
      from: null,
      to: 'DRAFT',
      by: actorOf(viewer),
      organizationCode,
      at: issuedAt,
    });
    await this.access.permitted([prescription.residentId], 'prescriptions');
    // Only the request that created it counts it; a retry returned the existing one above.
    await this.countActivity([realtimeEntry(organizationCode, issuedAt, PRESCRIPTION_ISSUED)]);
    return prescription;
  }

  async revise(id: string, rawItems: unknown): Promise<PrescriptionDoc> {
    const { items: parsedItems } = parseInput(z.object({ items: z.array(itemInput) }), { items: rawItems });
    const items = itemsOf(parsedItems, this.chronicMaxDays);
    const current = await this.load(id, 'prescribe');
    this.requireOrganization(current.organizationCode, 'Only the prescribing organization revises a prescription');
    if (effectiveStatus(current) !== 'DRAFT')
      throw appError('CONFLICT', `A ${effectiveStatus(current).toLowerCase()} prescription cannot change; cancel it and issue a new one`);
    const revised = await this.models.Prescription.findOneAndUpdate(
      { _id: current._id, version: current.version, status: 'DRAFT' },
      { $set: { items, sensitivities: prescriptionSensitivities({ items, diagnoses: current.diagnoses }) } },
      { returnDocument: 'after' },
    )
      .lean<PrescriptionDoc>()
      .exec();
    if (!revised) throw appError('CONFLICT', 'The prescription changed meanwhile; reload it');
    return revised;
  }

  async sign(id: string): Promise<PrescriptionDoc> {
    const { viewer } = this.access;
    const prescriptionId = recordIdOf(id, 'Prescription');
    requireEntry(viewer, 'sign-prescription');
    // The entry point lets in only a token that names the physician.
    const signer = viewer.practitionerId!;
    const current = await this.load(prescriptionId, (found) => (found.pharmacyCode ? 'route-to-pharmacy' : 'prescribe'));
    this.requireOrganization(current.organizationCode, 'Only a physician of the prescribing organization signs');
    if (current.prescriberPractitioner && current.prescriberPractitioner !== signer) throw forbidden('Only the treating physician signs this prescription');
    const signed = await this.move(current, 'SIGNED', {
      signature: { contentHash: contentHash(current), signer, signedAt: new Date() },
      prescriberPractitioner: signer,
    });
    // The signed order goes to the chosen pharmacy: it may see what dispensing needs until the
    // prescription ends. That rests on the prescriber's ordinary standing (the write rule).
    if (signed.pharmacyCode)
      await this.access.recordCareRelationship({ ...this.dispensingOf(signed)!, at: new Date(), endsAt: signed.validUntil, root: this.routingRoot(signed) });
    return signed;
  }

  /**
   * A pharmacist's review. An approval's safety check is made here, for this pharmacist at
   * this moment: the warnings from the safety facts they saw and the active prescriptions they
   * may see now; every HIGH one must be among the codes they acknowledge.
   */
  async review(
    id: string,
    decision: 'APPROVE' | 'REJECT',
    reason: string | null | undefined,
    acknowledged: string[],
    rawFacts: unknown,
  ): Promise<PrescriptionDoc> {
    const { safetyFacts } = parseInput(reviewInput, { safetyFacts: rawFacts, acknowledgedWarnings: acknowledged });
    const current = await this.load(id, 'dispense');
    const pharmacyCode = this.requirePharmacy(current);
    const { viewer } = this.access;
    const at = new Date();
    if (decision === 'REJECT') {
      if (!reason || reason.trim().length < 4) throw badUserInput('A rejection needs a reason (at least 4 characters)');
      return this.ending(
        await this.move(current, 'REJECTED', {
          review: { pharmacist: actorOf(viewer), pharmacyCode, outcome: 'REJECTED', reason: reason.trim(), acknowledgedWarnings: acknowledged, at },
        }),
      );
    }
    // Anything but a signed prescription: the state machine answers (CONFLICT).
    if (effectiveStatus(current) !== 'SIGNED') return this.move(current, 'APPROVED', {});
    if (current.signature?.contentHash !== contentHash(current)) throw appError('CONFLICT', 'The signature does not match the prescription’s content');
    const facts = safetyFacts ?? null;
    const warnings = warningsFor(current, facts, await this.activeOf([current.residentId]));
    const missing = warnings.filter((warning) => warning.severity === 'HIGH' && !acknowledged.includes(warning.code));
    if (missing.length > 0)
      throw appError('CONFLICT', `High-severity warnings not acknowledged: ${missing.map((warning) => `${warning.code} (${warning.message})`).join('; ')}`);
    const renewal = renewalCheckFor(current, facts);
    if (!renewal.eligible)
      throw appError('CONFLICT', `An online renewal needs a diagnosis of the chronic condition on the resident’s record: ${renewal.reason}`);
    return this.move(current, 'APPROVED', {
      review: { pharmacist: actorOf(viewer), pharmacyCode, outcome: 'APPROVED', reason: reason?.trim() || null, acknowledgedWarnings: acknowledged, at },
    });
  }

  async route(id: string): Promise<PrescriptionDoc> {
    const current = await this.load(id, () => 'route-to-pharmacy');
    this.requireOrganization(current.organizationCode, 'Only the prescribing organization routes a prescription');
    if (!current.pharmacyCode) throw appError('CONFLICT', 'No pharmacy was chosen for this prescription');
    const routed = await this.move(current, 'ROUTED', {});
    // A state change, not a new record: it counts for the prescribing organization, once (the transition is claimed).
    await this.countActivity([{ organizationCode: routed.organizationCode, at: new Date(), counts: { prescriptionsRouted: 1 } }]);
    return routed;
  }

  async dispense(id: string, lot: string, substitutions: string[]): Promise<PrescriptionDoc> {
    if (!LOT.test(lot)) throw badUserInput('lot must be 3-32 letters, digits or -');
    if (substitutions.length > 10 || substitutions.some((text) => text.length > 200)) throw badUserInput('At most 10 substitutions of 200 characters');
    const current = await this.load(id, 'dispense');
    const pharmacyCode = this.requirePharmacy(current);
    const dispensed = await this.move(current, 'DISPENSED', {
      dispensing: { pharmacist: actorOf(this.access.viewer), pharmacyCode, at: new Date(), lot, substitutions },
    });
    // Dispensed drugs no longer expire: the pharmacy keeps its standing until it completes the
    // prescription, and at most the dispensing window (every kind of standing ends).
    const at = new Date();
    await this.access.recordCareRelationship({
      ...this.dispensingOf(dispensed)!,
      at,
      endsAt: dispensedEnd(at, this.access.settings),
      root: this.routingRoot(dispensed),
    });
    await this.countActivity([realtimeEntry(pharmacyCode, new Date(), PRESCRIPTION_DISPENSED)]);
    return dispensed;
  }

  async complete(id: string, kind: 'DELIVERED' | 'PICKED_UP'): Promise<PrescriptionDoc> {
    const current = await this.load(id, 'dispense');
    this.requirePharmacy(current);
    return this.ending(await this.move(current, kind, {}));
  }

  async cancel(id: string, reason: string): Promise<PrescriptionDoc> {
    if (reason.trim().length < 4) throw badUserInput('A cancellation needs a reason (at least 4 characters)');
    const current = await this.load(id, 'prescribe');
    this.requireOrganization(current.organizationCode, 'Only the prescribing organization cancels a prescription');
    return this.ending(await this.move(current, 'CANCELLED', { cancellation: { by: actorOf(this.access.viewer), reason: reason.trim(), at: new Date() } }));
  }

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

  /**
   * One state change: legal from the status as of now (an expired prescription goes nowhere),
   * claimed as transition `<id>:<version + 1>` so that only one of concurrent changes happens.
   */
  private async move(current: PrescriptionDoc, to: PrescriptionStatus, patch: Partial<PrescriptionDoc>): Promise<PrescriptionDoc> {
    const from = effectiveStatus(current);
    if (!canMove(from, to)) throw appError('CONFLICT', `A ${from.toLowerCase()} prescription cannot become ${to.toLowerCase()}`);
    const { viewer } = this.access;
    const version = current.version + 1;
    const claimed = await claim(this.models.Transition, {
      _id: `${current._id}:${version}`,
      prescriptionId: current._id,
      from,
      to,
      by: actorOf(viewer),
      organizationCode: viewer.organizationCode ?? null,
      at: new Date(),
    });
    if (!claimed) throw appError('CONFLICT', 'The prescription was changed by another request meanwhile');
    // A review or a cancellation brings free text: the stored label takes in what it reveals.
    const sensitivities = unionOf(current.sensitivities, prescriptionSensitivities({ ...current, ...patch }));
    const updated = await this.models.Prescription.findOneAndUpdate(
      { _id: current._id, version: current.version },
      { $set: { ...patch, sensitivities, status: to, version } },
      { returnDocument: 'after' },
    )
      .lean<PrescriptionDoc>()
      .exec();
    await this.access.permitted([current.residentId], 'prescriptions');
    return updated!;
  }

  /**
   * The prescription a mutation acts on, once the policy allowed the write about its resident
   * (FORBIDDEN without standing; NOT_FOUND only for an id that names no prescription).
   */
  private async load(id: string, write: WriteKind | ((found: PrescriptionDoc) => WriteKind)): Promise<PrescriptionDoc> {
    const found = await this.models.Prescription.findById(recordIdOf(id, 'Prescription')).lean<PrescriptionDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such prescription');
    await this.access.requireWrite(found.residentId, typeof write === 'function' ? write(found) : write);
    return found;
  }

  /** What the pharmacy's standing rests on: the prescribing organization's ordinary standing. */
  private routingRoot(prescription: PrescriptionDoc): StandingRoot {
    return { kind: 'PRESCRIPTION', organizationCode: prescription.organizationCode, basis: `prescription ${prescription._id}` };
  }

  /** The pharmacy's dispensing relationship a prescription gives, if a pharmacy was chosen. */
  private dispensingOf(prescription: PrescriptionDoc) {
    if (!prescription.pharmacyCode) return null;
    return {
      residentId: prescription.residentId,
      organizationCode: prescription.pharmacyCode,
      kind: 'DISPENSING' as const,
      source: { subgraph: 'prescriptions', recordId: prescription._id },
    };
  }

  /** A prescription completed, rejected or cancelled ends the pharmacy's dispensing relationship. */
  private async ending(prescription: PrescriptionDoc): Promise<PrescriptionDoc> {
    const dispensing = this.dispensingOf(prescription);
    if (dispensing) await this.access.endCareRelationships([dispensing], new Date());
    return prescription;
  }

  private requireOrganization(organizationCode: string, message: string): void {
    if (this.access.viewer.organizationCode !== organizationCode) throw forbidden(message);
  }

  /** The pharmacist acting must work at the pharmacy the prescription was chosen for. */
  private requirePharmacy(prescription: PrescriptionDoc): string {
    const { viewer } = this.access;
    requireEntry(viewer, 'act-for-pharmacy');
    if (viewer.organizationCode !== prescription.pharmacyCode) throw forbidden(ENTRY_RULES['act-for-pharmacy'].refusal);
    return organizationCodeOf(viewer.organizationCode!);
  }
}
