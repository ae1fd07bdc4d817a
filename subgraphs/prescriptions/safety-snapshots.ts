/**
 * Safety snapshots: what the server showed the chosen pharmacy's pharmacist about a
 * prescription's safety (the record's facts as records resolved them for that pharmacist,
 * through the gateway, and the active prescriptions counted), kept under a random id. The
 * review names the snapshot instead of sending the facts back; an approval is refused when
 * the facts the pharmacist may see changed since (a new allergy or condition, a new or ended
 * active prescription), so they look again.
 */
import { randomBytes } from 'node:crypto';
import { allowsEntry } from '../../access-control/entry-points';
import type { ResidentAccess } from '../../access-control/resident-access';
import { safetyVersions } from '../../access-control/safety-version';
import { actorOf } from '../../access-control/viewer';
import { appError, badUserInput } from '../../platform/errors';
import type { PrescriptionDoc, PrescriptionsModels, SafetySnapshotDoc } from './models';
import type { PrescriptionReads } from './prescription-reads';
import { renewalCheckFor, type SafetyFacts, warningsFor } from './prescription-rules';

const SNAPSHOT_ID = /^[0-9a-f]{32}$/;
/** The same answer for an unknown id, another prescription's snapshot and another pharmacist's: none tells which. */
const NOT_THIS_PRESCRIPTIONS = 'safetySnapshot is not a snapshot this pharmacist took of this prescription (read Prescription.safetySnapshot)';

/** SafetyFacts as records resolves them, with the version it stated. */
export type VersionedFacts = SafetyFacts & { version?: string | null };

export class SafetySnapshots {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
    private readonly reads: PrescriptionReads,
  ) {}

  /**
   * A new snapshot of what the pharmacist sees now, with the warnings and renewal check made of
   * it. Only the pharmacist of the chosen pharmacy takes one (others get null): it is what their
   * approval will name.
   */
  async take(prescription: PrescriptionDoc, facts: VersionedFacts | null) {
    const { viewer } = this.access;
    if (!allowsEntry(viewer, 'act-for-pharmacy') || !viewer.organizationCode || viewer.organizationCode !== prescription.pharmacyCode) return null;
    const active = await this.reads.activeOf([prescription.residentId]);
    const snapshot: SafetySnapshotDoc = {
      _id: randomBytes(16).toString('hex'),
      prescriptionId: prescription._id,
      takenBy: actorOf(viewer),
      organizationCode: viewer.organizationCode,
      takenAt: new Date(),
      facts: facts && { allergyGroups: facts.allergyGroups, diagnosisCodes: facts.diagnosisCodes },
      version: facts?.version ?? null,
      activeIds: activeIdsOf(prescription, active),
    };
    await this.models.SafetySnapshot.create(snapshot);
    return {
      id: snapshot._id,
      takenAt: snapshot.takenAt.toISOString(),
      warnings: warningsFor(prescription, snapshot.facts, active),
      renewalCheck: renewalCheckFor(prescription, snapshot.facts),
    };
  }

  /**
   * The facts of the snapshot the review names, once it is checked to be this pharmacist's
   * snapshot of this prescription (BAD_USER_INPUT otherwise) and still what they may see
   * (CONFLICT otherwise), with the active prescriptions as they are now.
   */
  async factsOf(snapshotId: string, prescription: PrescriptionDoc): Promise<{ facts: SafetyFacts | null; active: PrescriptionDoc[] }> {
    if (!SNAPSHOT_ID.test(snapshotId)) throw badUserInput('safetySnapshot must be the id of a Prescription.safetySnapshot (32 hex characters)');
    const snapshot = await this.models.SafetySnapshot.findById(snapshotId).lean<SafetySnapshotDoc>().exec();
    const { viewer } = this.access;
    if (snapshot?.prescriptionId !== prescription._id || snapshot.takenBy !== actorOf(viewer) || snapshot.organizationCode !== viewer.organizationCode)
      throw badUserInput(NOT_THIS_PRESCRIPTIONS);
    const [active, versions] = await Promise.all([
      this.reads.activeOf([prescription.residentId]),
      snapshot.facts ? safetyVersions(this.access, [prescription.residentId]) : null,
    ]);
    const changed: string[] = [];
    if (versions && versions.get(prescription.residentId) !== snapshot.version) changed.push('the resident’s allergies or diagnoses');
    if (activeIdsOf(prescription, active).join() !== snapshot.activeIds.join()) changed.push('the resident’s active prescriptions');
    if (changed.length > 0)
      throw appError(
        'CONFLICT',
        `SAFETY_FACTS_CHANGED: ${changed.join(' and ')} changed since the snapshot was taken; read Prescription.safetySnapshot again and review what it shows`,
      );
    return { facts: snapshot.facts, active };
  }
}

/** The other active prescriptions the duplicate-therapy check counts, sorted. */
function activeIdsOf(prescription: PrescriptionDoc, active: readonly PrescriptionDoc[]): string[] {
  return active
    .map((other) => other._id)
    .filter((id) => id !== prescription._id)
    .sort();
}
