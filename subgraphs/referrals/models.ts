/**
 * The referrals subgraph's collections: family-doctor contracts (and the one-per-resident
 * claim on the active one), slot pools and the hospitals that reserve a share of them, the
 * booked places (one document per place: its _id claims the place) and how their holds
 * ended, booking requests (idempotency), referrals and their transitions, and residents'
 * appointments in the same pools (with the claims that keep one per resident and session and
 * let one cancellation happen).
 */
import { type Connection, Schema } from 'mongoose';
import { SENSITIVE_CATEGORIES, type SensitiveCategory } from '../../access-control/sensitivity';
import { codingSchema } from '../runtime/coding-schema';
import type { CodingValue } from '../runtime/entity-refs';

export const SERVICE_PACKAGES = ['BASIC', 'CHRONIC_DISEASE', 'ELDERLY', 'MATERNAL', 'CHILD'] as const;
export const REFERRAL_STATUSES = ['REQUESTED', 'ACCEPTED', 'REJECTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED', 'CANCELLED', 'EXPIRED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const SESSIONS = ['MORNING', 'AFTERNOON'] as const;
export const SLOT_KINDS = ['SPECIALIST', 'EXAM', 'VIRTUAL_BED'] as const;
export const SHARES = ['RESERVED', 'PUBLIC'] as const;
/** How an appointment was booked, as the city's bulletin counts them. */
export const APPOINTMENT_CHANNELS = ['ONLINE_12320', 'QUICK', 'IN_CLINIC', 'THIRD_PARTY'] as const;
export type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];
/** The online platforms of the 12320 channel. */
export const APPOINTMENT_PLATFORMS = ['HEALTHY_NANJING_APP', 'WECHAT_12320', 'MY_NANJING_APP', 'QUICK_BOOKING_12320', 'WEBSITE_12320'] as const;
export type AppointmentPlatform = (typeof APPOINTMENT_PLATFORMS)[number];

export interface ContractDoc {
  _id: string;
  residentId: string;
  familyDoctor: string;
  organizationCode: string;
  servicePackage: (typeof SERVICE_PACKAGES)[number];
  since: Date;
  until: Date;
  /** OFFERED: signed by the family doctor, not yet accepted by the resident (grants nothing). */
  status: 'OFFERED' | 'ACTIVE' | 'TERMINATED';
  terminationReason: string | null;
}

/** The claim on a resident's one active contract: _id is the resident id. */
export interface ActiveContractDoc {
  _id: string;
  contractId: string;
}

export interface SlotPoolDoc {
  _id: string;
  organizationCode: string;
  department: string;
  /** YYYY-MM-DD (Beijing date of the session). */
  date: string;
  session: (typeof SESSIONS)[number];
  kind: (typeof SLOT_KINDS)[number];
  capacity: number;
  /** Places reserved for contracted family doctors (0 where the hospital does not take part). */
  reserved: number;
  sessionStart: Date;
  /** After this, unused reserved places may be booked by anyone. */
  releaseAt: Date;
}

/** A hospital that reserves a share of its published slot pools for contracted family doctors: _id is its organization code. */
export interface ParticipatingHospitalDoc {
  _id: string;
  since: Date;
}

/** One booked place: `<pool id>:<R|P>:<n>`; claiming the _id is taking the place. */
export interface PlaceDoc {
  _id: string;
  poolId: string;
  share: (typeof SHARES)[number];
  /** Who holds it: a referral, or (referralId null) an appointment. */
  referralId: string | null;
  appointmentId?: string | null;
  bookedBy: string;
  bookedAt: Date;
  /**
   * For a referral not yet accepted: when it expires. A place whose hold has lapsed is free
   * again (the expired referral gives its slot back, with no job); acceptance clears it.
   */
  holdUntil?: Date | null;
}

/**
 * How the hold on a place booked for an unaccepted referral ended, once (_id:
 * `<place id>|<referral id>`): KEPT by acceptance, or FREED (the referral expired, or was
 * cancelled or rejected). Only the one who claims it touches the place.
 */
export interface HoldSettlementDoc {
  _id: string;
  outcome: 'KEPT' | 'FREED';
  at: Date;
}

/** A referral's one booking, claimed (_id: the referral id) with the request id that made it. */
export interface BookingRequestDoc {
  _id: string;
  clientRequestId: string;
  poolId: string;
}

export interface ReferralDoc {
  _id: string;
  residentId: string;
  direction: 'UP' | 'DOWN';
  fromOrganizationCode: string;
  fromPractitioner: string | null;
  toOrganizationCode: string;
  toDepartment: string;
  reason: string;
  diagnoses: CodingValue[];
  urgency: 'ROUTINE' | 'URGENT';
  attachedEncounterIds: string[];
  attachedLabReportIds: string[];
  slot: { poolId: string; placeId: string; share: PlaceDoc['share']; date: string; session: SlotPoolDoc['session']; department: string } | null;
  /** Stored states only: EXPIRED is computed from expiresAt. */
  status: Exclude<ReferralStatus, 'EXPIRED'>;
  version: number;
  requestedAt: Date;
  /** A request not accepted by then expires. */
  expiresAt: Date;
  rejectionReason: string | null;
  dischargeSummary: string | null;
  followUpPlan: string | null;
  /**
   * What the referral reveals (diagnoses, department, the reason and notes), derived at write
   * time; absent on referrals stored before labels, and united with a fresh label on read.
   */
  sensitivities?: SensitiveCategory[];
  /** The sending system's request id (the referral's _id derives from it) and a hash of what it sent: a retry must match. */
  clientRequestId?: string | null;
  requestHash?: string | null;
}

/** A resident's appointment: one place of a pool's public share (its placeId), booked through a channel. */
export interface AppointmentDoc {
  _id: string;
  residentId: string;
  poolId: string;
  placeId: string;
  organizationCode: string;
  department: string;
  date: string;
  session: SlotPoolDoc['session'];
  kind: SlotPoolDoc['kind'];
  share: PlaceDoc['share'];
  channel: AppointmentChannel;
  platform: AppointmentPlatform | null;
  status: 'BOOKED' | 'CANCELLED';
  bookedAt: Date;
  /** The person or system that booked: the resident, an operator, a hospital system. */
  bookedBy: string;
  bookedByOrganization: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancellationReason: string | null;
}

/** A resident's one appointment in a session (_id `<resident id>|<pool id>`), claimed by the booking and freed by its cancellation. */
export interface AppointmentSessionDoc {
  _id: string;
  appointmentId: string;
}

/** An appointment's cancellation, claimed once (_id: the appointment id): only its claimant gives the place back. */
export interface AppointmentCancellationDoc {
  _id: string;
  at: Date;
}

export interface ReferralTransitionDoc {
  /** `<referral id>:<version>`: claiming it is what makes the change happen once. */
  _id: string;
  referralId: string;
  from: ReferralStatus | null;
  to: ReferralStatus;
  by: string;
  organizationCode: string | null;
  at: Date;
}

const schemaOptions = (collection: string) => ({ collection, versionKey: false, id: false }) as const;

const contractSchema = new Schema<ContractDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    familyDoctor: { type: String, required: true },
    organizationCode: { type: String, required: true },
    servicePackage: { type: String, enum: SERVICE_PACKAGES, required: true },
    since: { type: Date, required: true },
    until: { type: Date, required: true },
    status: { type: String, enum: ['OFFERED', 'ACTIVE', 'TERMINATED'], required: true },
    terminationReason: { type: String, default: null },
  },
  schemaOptions('contracts'),
);
contractSchema.index({ residentId: 1 });

const activeContractSchema = new Schema<ActiveContractDoc>(
  { _id: { type: String, required: true }, contractId: { type: String, required: true } },
  schemaOptions('activeContracts'),
);

const slotPoolSchema = new Schema<SlotPoolDoc>(
  {
    _id: { type: String, required: true },
    organizationCode: { type: String, required: true },
    department: { type: String, required: true },
    date: { type: String, required: true },
    session: { type: String, enum: SESSIONS, required: true },
    kind: { type: String, enum: SLOT_KINDS, required: true },
    capacity: { type: Number, required: true, min: 0 },
    reserved: { type: Number, required: true, min: 0 },
    sessionStart: { type: Date, required: true },
    releaseAt: { type: Date, required: true },
  },
  schemaOptions('slotPools'),
);
slotPoolSchema.index({ organizationCode: 1, department: 1, date: 1 });
// What each organization offers over the booking horizon (Organization.referralServices).
slotPoolSchema.index({ organizationCode: 1, date: 1 });

const participatingHospitalSchema = new Schema<ParticipatingHospitalDoc>(
  { _id: { type: String, required: true }, since: { type: Date, required: true } },
  schemaOptions('participatingHospitals'),
);

const placeSchema = new Schema<PlaceDoc>(
  {
    _id: { type: String, required: true },
    poolId: { type: String, required: true },
    share: { type: String, enum: SHARES, required: true },
    referralId: { type: String, default: null },
    appointmentId: { type: String, default: null },
    bookedBy: { type: String, required: true },
    bookedAt: { type: Date, required: true },
    holdUntil: { type: Date, default: null },
  },
  schemaOptions('places'),
);
// A pool's places, and those held for referrals that expired unaccepted (released by the clock).
placeSchema.index({ poolId: 1, holdUntil: 1 });

const holdSettlementSchema = new Schema<HoldSettlementDoc>(
  { _id: { type: String, required: true }, outcome: { type: String, enum: ['KEPT', 'FREED'], required: true }, at: { type: Date, required: true } },
  schemaOptions('holdSettlements'),
);

const bookingRequestSchema = new Schema<BookingRequestDoc>(
  { _id: { type: String, required: true }, clientRequestId: { type: String, required: true }, poolId: { type: String, required: true } },
  schemaOptions('bookingRequests'),
);

const referralSchema = new Schema<ReferralDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    direction: { type: String, enum: ['UP', 'DOWN'], required: true },
    fromOrganizationCode: { type: String, required: true },
    fromPractitioner: { type: String, default: null },
    toOrganizationCode: { type: String, required: true },
    toDepartment: { type: String, required: true },
    reason: { type: String, required: true },
    diagnoses: { type: [codingSchema], default: [] },
    urgency: { type: String, enum: ['ROUTINE', 'URGENT'], default: 'ROUTINE' },
    attachedEncounterIds: { type: [String], default: [] },
    attachedLabReportIds: { type: [String], default: [] },
    slot: { type: Schema.Types.Mixed, default: null },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    version: { type: Number, default: 1 },
    requestedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    rejectionReason: { type: String, default: null },
    dischargeSummary: { type: String, default: null },
    followUpPlan: { type: String, default: null },
    sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: undefined },
    clientRequestId: { type: String, default: null },
    requestHash: { type: String, default: null },
  },
  schemaOptions('referrals'),
);
referralSchema.index({ residentId: 1, requestedAt: -1, _id: -1 });
referralSchema.index({ fromOrganizationCode: 1, requestedAt: -1, _id: -1 });
referralSchema.index({ toOrganizationCode: 1, requestedAt: -1, _id: -1 });

const transitionSchema = new Schema<ReferralTransitionDoc>(
  {
    _id: { type: String, required: true },
    referralId: { type: String, required: true },
    from: { type: String, enum: [...REFERRAL_STATUSES, null], default: null },
    to: { type: String, enum: REFERRAL_STATUSES, required: true },
    by: { type: String, required: true },
    organizationCode: { type: String, default: null },
    at: { type: Date, required: true },
  },
  schemaOptions('referralTransitions'),
);
transitionSchema.index({ referralId: 1 });

const appointmentSchema = new Schema<AppointmentDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    poolId: { type: String, required: true },
    placeId: { type: String, required: true },
    organizationCode: { type: String, required: true },
    department: { type: String, required: true },
    date: { type: String, required: true },
    session: { type: String, enum: SESSIONS, required: true },
    kind: { type: String, enum: SLOT_KINDS, required: true },
    share: { type: String, enum: SHARES, required: true },
    channel: { type: String, enum: APPOINTMENT_CHANNELS, required: true },
    platform: { type: String, enum: [...APPOINTMENT_PLATFORMS, null], default: null },
    status: { type: String, enum: ['BOOKED', 'CANCELLED'], required: true },
    bookedAt: { type: Date, required: true },
    bookedBy: { type: String, required: true },
    bookedByOrganization: { type: String, default: null },
    cancelledAt: { type: Date, default: null },
    cancelledBy: { type: String, default: null },
    cancellationReason: { type: String, default: null },
  },
  schemaOptions('appointments'),
);
// A resident's appointments, soonest session first (myAppointments).
appointmentSchema.index({ residentId: 1, date: 1 });

const appointmentSessionSchema = new Schema<AppointmentSessionDoc>(
  { _id: { type: String, required: true }, appointmentId: { type: String, required: true } },
  schemaOptions('appointmentSessions'),
);
const appointmentCancellationSchema = new Schema<AppointmentCancellationDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  schemaOptions('appointmentCancellations'),
);

export function registerModels(connection: Connection) {
  return {
    Contract: connection.model('Contract', contractSchema),
    ActiveContract: connection.model('ActiveContract', activeContractSchema),
    SlotPool: connection.model('SlotPool', slotPoolSchema),
    ParticipatingHospital: connection.model('ParticipatingHospital', participatingHospitalSchema),
    Place: connection.model('Place', placeSchema),
    HoldSettlement: connection.model('HoldSettlement', holdSettlementSchema),
    BookingRequest: connection.model('BookingRequest', bookingRequestSchema),
    Referral: connection.model('Referral', referralSchema),
    Transition: connection.model('ReferralTransition', transitionSchema),
    Appointment: connection.model('Appointment', appointmentSchema),
    AppointmentSession: connection.model('AppointmentSession', appointmentSessionSchema),
    AppointmentCancellation: connection.model('AppointmentCancellation', appointmentCancellationSchema),
  };
}
export type ReferralsModels = ReturnType<typeof registerModels>;
