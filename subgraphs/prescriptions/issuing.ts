/** Issuing prescriptions (a draft, revised, signed or cancelled by the prescribing organization) and the pharmacist's review. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { allowsEntry } from '../../access-control/entry-points';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, type RecordActivity, realtimeEntry } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE, recordIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import { ICD10, residentIdRule } from '../runtime/input-rules';
import { drugByCode } from './drug-catalogue';
import { diagnosesRule } from './filing';
import type { PrescriptionDoc, PrescriptionsModels } from './models';
import type { PrescriptionReads } from './prescription-reads';
import {
  contentHash,
  effectiveStatus,
  itemInput,
  itemsOf,
  missingForDelivery,
  prescriptionSensitivities,
  renewalCheckFor,
  validUntilOf,
  warningsFor,
} from './prescription-rules';
import type { SafetySnapshots } from './safety-snapshots';
import { dispensingOf, type PrescriptionTransitions, routingRoot } from './transitions';

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
    .superRefine((delivery, context) => {
      for (const field of missingForDelivery({ method: delivery.method, address: delivery.address ?? null, phone: delivery.phone ?? null }))
        context.addIssue({ code: 'custom', path: [field], message: 'is required for home delivery' });
    })
    .nullish(),
});

/** What the prescriptions subgraph's real-time records feed (the forms catalogue maps them to forms). */
const PRESCRIPTION_ISSUED: RecordActivity = { counts: {}, feeds: ['prescription'] };

export class Issuing {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
    private readonly transitions: PrescriptionTransitions,
    private readonly reads: PrescriptionReads,
    private readonly snapshots: SafetySnapshots,
    private readonly chronicMaxDays: number,
    /** Counts prescriptions issued at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

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
    // Duplicate medication across hospitals, as the prescriber is warned of it (from what they may see): a smart reminder shown.
    const across = warningsFor(prescription, null, await this.reads.activeOf([residentId])).filter((warning) => warning.acrossOrganizations).length;
    await this.countActivity([
      realtimeEntry(organizationCode, issuedAt, PRESCRIPTION_ISSUED),
      ...(across ? [{ organizationCode, at: issuedAt, counts: { duplicateMedicationWarnings: across } }] : []),
    ]);
    return prescription;
  }

  async revise(id: string, rawItems: unknown): Promise<PrescriptionDoc> {
    const { items: parsedItems } = parseInput(z.object({ items: z.array(itemInput) }), { items: rawItems });
    const items = itemsOf(parsedItems, this.chronicMaxDays);
    const current = await this.transitions.load(id, 'prescribe');
    this.transitions.requireOrganization(current.organizationCode, 'Only the prescribing organization revises a prescription');
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
    const current = await this.transitions.load(prescriptionId, (found) => (found.pharmacyCode ? 'route-to-pharmacy' : 'prescribe'));
    this.transitions.requireOrganization(current.organizationCode, 'Only a physician of the prescribing organization signs');
    if (current.prescriberPractitioner && current.prescriberPractitioner !== signer) throw forbidden('Only the treating physician signs this prescription');
    const signed = await this.transitions.move(current, 'SIGNED', {
      signature: { contentHash: contentHash(current), signer, signedAt: new Date() },
      prescriberPractitioner: signer,
    });
    // The signed order goes to the chosen pharmacy: it may see what dispensing needs until the
    // prescription ends. That rests on the prescriber's ordinary standing (the write rule).
    if (signed.pharmacyCode)
      await this.access.recordCareRelationship({ ...dispensingOf(signed)!, at: new Date(), endsAt: signed.validUntil, root: routingRoot(signed) });
    return signed;
  }

  /**
   * A pharmacist's review. An approval's safety check is made here, for this pharmacist at
   * this moment: the warnings from the snapshot of the safety facts they were shown (refused
   * when what they may see changed since) and the active prescriptions they may see now; every
   * HIGH one must be among the codes they acknowledge. Clients that send the facts they read
   * (`safetyFacts`, deprecated) are checked against those, as before.
   */
  async review(
    id: string,
    decision: 'APPROVE' | 'REJECT',
    reason: string | null | undefined,
    acknowledged: string[],
    evidence: { snapshotId?: string | null; facts?: unknown },
  ): Promise<PrescriptionDoc> {
    const { safetyFacts } = parseInput(reviewInput, { safetyFacts: evidence.facts, acknowledgedWarnings: acknowledged });
    if (evidence.snapshotId != null && safetyFacts) throw badUserInput('Name the safetySnapshot or send safetyFacts, not both');
    const current = await this.transitions.load(id, 'dispense');
    const pharmacyCode = this.transitions.requirePharmacy(current);
    const { viewer } = this.access;
    const at = new Date();
    if (decision === 'REJECT') {
      if (!reason || reason.trim().length < 4) throw badUserInput('A rejection needs a reason (at least 4 characters)');
      return this.transitions.ending(
        await this.transitions.move(current, 'REJECTED', {
          review: { pharmacist: actorOf(viewer), pharmacyCode, outcome: 'REJECTED', reason: reason.trim(), acknowledgedWarnings: acknowledged, at },
        }),
      );
    }
    // Anything but a signed prescription: the state machine answers (CONFLICT).
    if (effectiveStatus(current) !== 'SIGNED') return this.transitions.move(current, 'APPROVED', {});
    if (current.signature?.contentHash !== contentHash(current)) throw appError('CONFLICT', 'The signature does not match the prescription’s content');
    const { facts, active } =
      evidence.snapshotId != null
        ? await this.snapshots.factsOf(evidence.snapshotId, current)
        : { facts: safetyFacts ?? null, active: await this.reads.activeOf([current.residentId]) };
    const warnings = warningsFor(current, facts, active);
    const missing = warnings.filter((warning) => warning.severity === 'HIGH' && !acknowledged.includes(warning.code));
    if (missing.length > 0)
      throw appError('CONFLICT', `High-severity warnings not acknowledged: ${missing.map((warning) => `${warning.code} (${warning.message})`).join('; ')}`);
    const renewal = renewalCheckFor(current, facts);
    if (!renewal.eligible)
      throw appError('CONFLICT', `An online renewal needs a diagnosis of the chronic condition on the resident’s record: ${renewal.reason}`);
    return this.transitions.move(current, 'APPROVED', {
      review: {
        pharmacist: actorOf(viewer),
        pharmacyCode,
        outcome: 'APPROVED',
        reason: reason?.trim() || null,
        acknowledgedWarnings: acknowledged,
        at,
        safetySnapshot: evidence.snapshotId ?? null,
      },
    });
  }

  async cancel(id: string, reason: string): Promise<PrescriptionDoc> {
    if (reason.trim().length < 4) throw badUserInput('A cancellation needs a reason (at least 4 characters)');
    const current = await this.transitions.load(id, 'prescribe');
    this.transitions.requireOrganization(current.organizationCode, 'Only the prescribing organization cancels a prescription');
    return this.transitions.ending(
      await this.transitions.move(current, 'CANCELLED', { cancellation: { by: actorOf(this.access.viewer), reason: reason.trim(), at: new Date() } }),
    );
  }
}
