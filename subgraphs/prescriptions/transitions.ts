/**
 * What every change of a prescription shares: the prescription a mutation acts on (once the
 * policy allowed the write), the one claimed state change (`<id>:<version>`, so it happens
 * once even when two pharmacists press the button at the same moment), who may act, and the
 * chosen pharmacy's dispensing relationship.
 */
import { ENTRY_RULES } from '../../access-control/entry-points';
import type { StandingRoot, WriteKind } from '../../access-control/policy';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import { claim } from '../../platform/claims';
import { appError, forbidden } from '../../platform/errors';
import { organizationCodeOf, recordIdOf } from '../runtime/ids';
import type { PrescriptionDoc, PrescriptionStatus, PrescriptionsModels } from './models';
import { canMove, effectiveStatus, prescriptionSensitivities } from './prescription-rules';

export class PrescriptionTransitions {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
  ) {}

  /**
   * One state change: legal from the status as of now (an expired prescription goes nowhere),
   * claimed as transition `<id>:<version + 1>` so that only one of concurrent changes happens.
   */
  async move(current: PrescriptionDoc, to: PrescriptionStatus, patch: Partial<PrescriptionDoc>): Promise<PrescriptionDoc> {
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
  async load(id: string, write: WriteKind | ((found: PrescriptionDoc) => WriteKind)): Promise<PrescriptionDoc> {
    const found = await this.models.Prescription.findById(recordIdOf(id, 'Prescription')).lean<PrescriptionDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such prescription');
    await this.access.requireWrite(found.residentId, typeof write === 'function' ? write(found) : write);
    return found;
  }

  /** A prescription completed, rejected or cancelled ends the pharmacy's dispensing relationship. */
  async ending(prescription: PrescriptionDoc): Promise<PrescriptionDoc> {
    const dispensing = dispensingOf(prescription);
    if (dispensing) await this.access.endCareRelationships([dispensing], new Date());
    return prescription;
  }

  requireOrganization(organizationCode: string, message: string): void {
    if (this.access.viewer.organizationCode !== organizationCode) throw forbidden(message);
  }

  /** The pharmacist acting must work at the pharmacy the prescription was chosen for. */
  requirePharmacy(prescription: PrescriptionDoc): string {
    const { viewer } = this.access;
    requireEntry(viewer, 'act-for-pharmacy');
    if (viewer.organizationCode !== prescription.pharmacyCode) throw forbidden(ENTRY_RULES['act-for-pharmacy'].refusal);
    return organizationCodeOf(viewer.organizationCode!);
  }
}

/** What the pharmacy's standing rests on: the prescribing organization's ordinary standing. */
export function routingRoot(prescription: PrescriptionDoc): StandingRoot {
  return { kind: 'PRESCRIPTION', organizationCode: prescription.organizationCode, basis: `prescription ${prescription._id}` };
}

/** The pharmacy's dispensing relationship a prescription gives, if a pharmacy was chosen. */
export function dispensingOf(prescription: PrescriptionDoc) {
  if (!prescription.pharmacyCode) return null;
  return {
    residentId: prescription.residentId,
    organizationCode: prescription.pharmacyCode,
    kind: 'DISPENSING' as const,
    source: { subgraph: 'prescriptions', recordId: prescription._id },
  };
}
