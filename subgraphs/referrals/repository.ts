/**
 * The referrals subgraph's repository: its sections, each the only code that touches its
 * part of the models, wired together. The referral lifecycle books places through the slot
 * pools and asks the contracts who the resident's family doctor is; appointments and family
 * doctors' bookings of exams and virtual beds take places of the same pools.
 */

import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import type { ActivityStore } from '../../monitoring/activity-store';
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from '../../platform/config';
import { Appointments } from './appointments';
import { Checkups } from './checkups';
import { Contracts } from './contracts';
import { HospitalBookings } from './hospital-bookings';
import type { ReferralsModels } from './models';
import { NursingOrders } from './nursing';
import { ReferralLifecycle } from './referral-lifecycle';
import { ReferralReads } from './referral-reads';
import { BOOKING_HORIZON_DAYS, REFERRAL_WINDOW_DAYS } from './referral-rules';
import { Settlements } from './settlements';
import { SlotPools } from './slot-pools';

export class ReferralsRepository {
  readonly contracts: Contracts;
  readonly slotPools: SlotPools;
  readonly appointments: Appointments;
  readonly referrals: ReferralLifecycle;
  readonly referralReads: ReferralReads;
  readonly nursing: NursingOrders;
  readonly hospitalBookings: HospitalBookings;
  readonly settlements: Settlements;
  readonly checkups: Checkups;

  constructor(
    models: ReferralsModels,
    access: ResidentAccess,
    horizonDays: number = BOOKING_HORIZON_DAYS,
    /** A completed referral keeps the receiver's care relationship this long (follow-up questions, results). */
    referralWindowDays: number = REFERRAL_WINDOW_DAYS,
    slotSettings: SlotSettings = DEFAULT_SLOT_SETTINGS,
    /** Counts referrals sent and appointments booked or cancelled at the platform (monitoring rollups). */
    countActivity: CountActivity = countNothing,
    /** The rollups settlement sums are read from (none: no sums). */
    activity: ActivityStore | null = null,
  ) {
    this.contracts = new Contracts(models, access);
    this.slotPools = new SlotPools(models, access, horizonDays, slotSettings);
    this.appointments = new Appointments(models, access, this.slotPools, horizonDays, countActivity);
    this.referrals = new ReferralLifecycle(models, access, this.contracts, this.slotPools, horizonDays, referralWindowDays, countActivity);
    this.referralReads = new ReferralReads(models, access);
    this.nursing = new NursingOrders(models, access, countActivity);
    this.hospitalBookings = new HospitalBookings(models, access, this.contracts, this.slotPools, horizonDays, referralWindowDays);
    this.settlements = new Settlements(models, access, countActivity, activity);
    this.checkups = new Checkups(models, access, this.settlements, countActivity);
  }
}
