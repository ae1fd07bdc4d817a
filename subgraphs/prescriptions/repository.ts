/**
 * The prescriptions subgraph's repository: its sections, each the only code that touches its
 * part of the models, wired together. Issuing and dispensing change a prescription through the
 * shared transitions; a review's safety check asks the reads for the active prescriptions and
 * the snapshots for what the pharmacist was shown.
 */
import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import { Dispensing } from './dispensing';
import { Issuing } from './issuing';
import type { PrescriptionsModels } from './models';
import { PrescriptionReads } from './prescription-reads';
import { PrescriptionUploads } from './prescription-uploads';
import { SafetySnapshots } from './safety-snapshots';
import { PrescriptionTransitions } from './transitions';

export class PrescriptionsRepository {
  readonly reads: PrescriptionReads;
  readonly issuing: Issuing;
  readonly dispensing: Dispensing;
  readonly uploads: PrescriptionUploads;
  readonly snapshots: SafetySnapshots;

  constructor(
    models: PrescriptionsModels,
    access: ResidentAccess,
    chronicMaxDays: number,
    /** Counts prescriptions, routings and dispensings at the platform (monitoring rollups). */
    countActivity: CountActivity = countNothing,
  ) {
    const transitions = new PrescriptionTransitions(models, access);
    this.reads = new PrescriptionReads(models, access);
    this.snapshots = new SafetySnapshots(models, access, this.reads);
    this.issuing = new Issuing(models, access, transitions, this.reads, this.snapshots, chronicMaxDays, countActivity);
    this.dispensing = new Dispensing(access, transitions, countActivity);
    this.uploads = new PrescriptionUploads(models, access, chronicMaxDays, countActivity);
  }
}
