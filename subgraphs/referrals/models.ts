/**
 * The referrals subgraph's collections: family-doctor contracts (and the one-per-resident
 * claim on the active one), slot pools and the hospitals that reserve a share of them, the
 * booked places (one document per place: its _id claims the place) and how their holds
 * ended, booking requests (idempotency), referrals and their transitions, and residents'
 * appointments in the same pools (with the claims that keep one per resident and session and
 * let one cancellation happen).
 */
import { type Connection, Schema } from 'mongoose';
import { SENSITIVE_CATEGORIES } from '../../access-control/sensitivity';
import type { StoredDoc, WithMixedPaths } from '../../platform/stored-doc';
import { codingSchema } from '../runtime/coding-schema';
import { NURSING_STATUSES } from './nursing-rules';

export const SERVICE_PACKAGES = ['BASIC', 'CHRONIC_DISEASE', 'ELDERLY', 'MATERNAL', 'CHILD'] as const;
/** The states a referral is stored in: EXPIRED is computed from expiresAt when read. */
const STORED_REFERRAL_STATUSES = ['REQUESTED', 'ACCEPTED', 'REJECTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED', 'CANCELLED'] as const;
export const REFERRAL_STATUSES = [...STORED_REFERRAL_STATUSES, 'EXPIRED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const SESSIONS = ['MORNING', 'AFTERNOON'] as const;
export const SLOT_KINDS = ['SPECIALIST', 'EXAM', 'VIRTUAL_BED'] as const;
export const SHARES = ['RESERVED', 'PUBLIC'] as const;
/** How an appointment was booked, as the city's bulletin counts them. */
export const APPOINTMENT_CHANNELS = ['ONLINE_12320', 'QUICK', 'IN_CLINIC', 'THIRD_PARTY', 'PHONE_12320'] as const;
export type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];
/** The online platforms appointments are booked on (each belongs to one channel: appointment-rules.ts). */
export const APPOINTMENT_PLATFORMS = ['HEALTHY_NANJING_APP', 'WECHAT_12320', 'MY_NANJING_APP', 'QUICK_BOOKING_12320', 'WEBSITE_12320'] as const;
export type AppointmentPlatform = (typeof APPOINTMENT_PLATFORMS)[number];

const schemaOptions = (collection: string) => ({ collection, versionKey: false, id: false }) as const;

const contractDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  familyDoctor: { type: String, required: true },
  organizationCode: { type: String, required: true },
  servicePackage: { type: String, enum: SERVICE_PACKAGES, required: true },
  since: { type: Date, required: true },
  until: { type: Date, required: true },
  /** OFFERED: signed by the family doctor, not yet accepted by the resident (grants nothing). */
  status: { type: String, enum: ['OFFERED', 'ACTIVE', 'TERMINATED'] as const, required: true },
  terminationReason: { type: String, default: null },
};
export type ContractDoc = StoredDoc<typeof contractDefinition>;
const contractSchema = new Schema<ContractDoc>(contractDefinition, schemaOptions('contracts'));
contractSchema.index({ residentId: 1 });

/** The claim on a resident's one active contract: _id is the resident id. */
const activeContractDefinition = { _id: { type: String, required: true }, contractId: { type: String, required: true } };
export type ActiveContractDoc = StoredDoc<typeof activeContractDefinition>;
const activeContractSchema = new Schema<ActiveContractDoc>(activeContractDefinition, schemaOptions('activeContracts'));

const slotPoolDefinition = {
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  department: { type: String, required: true },
  /** YYYY-MM-DD (Beijing date of the session). */
  date: { type: String, required: true },
  session: { type: String, enum: SESSIONS, required: true },
  kind: { type: String, enum: SLOT_KINDS, required: true },
  capacity: { type: Number, required: true, min: 0 },
  /** Places reserved for contracted family doctors (0 where the hospital does not take part). */
  reserved: { type: Number, required: true, min: 0 },
  sessionStart: { type: Date, required: true },
  /** After this, unused reserved places may be booked by anyone. */
  releaseAt: { type: Date, required: true },
};
export type SlotPoolDoc = StoredDoc<typeof slotPoolDefinition>;
const slotPoolSchema = new Schema<SlotPoolDoc>(slotPoolDefinition, schemaOptions('slotPools'));
slotPoolSchema.index({ organizationCode: 1, department: 1, date: 1 });
// What each organization offers over the booking horizon (Organization.referralServices).
slotPoolSchema.index({ organizationCode: 1, date: 1 });

/** A hospital that reserves a share of its published slot pools for contracted family doctors: _id is its organization code. */
const participatingHospitalDefinition = { _id: { type: String, required: true }, since: { type: Date, required: true } };
export type ParticipatingHospitalDoc = StoredDoc<typeof participatingHospitalDefinition>;
const participatingHospitalSchema = new Schema<ParticipatingHospitalDoc>(participatingHospitalDefinition, schemaOptions('participatingHospitals'));

/** One booked place: `<pool id>:<R|P>:<n>`; claiming the _id is taking the place. */
const placeDefinition = {
  _id: { type: String, required: true },
  poolId: { type: String, required: true },
  share: { type: String, enum: SHARES, required: true },
  /** Who holds it: a referral, an appointment, or a family doctor's booking of an exam or virtual bed. */
  referralId: { type: String, default: null },
  appointmentId: { type: String, default: null },
  hospitalBookingId: { type: String, default: null },
  bookedBy: { type: String, required: true },
  bookedAt: { type: Date, required: true },
  /**
   * For a referral not yet accepted: when it expires. A place whose hold has lapsed is free
   * again (the expired referral gives its slot back, with no job); acceptance clears it.
   */
  holdUntil: { type: Date, default: null },
};
/** Places booked before appointments, holds and hospital bookings lack them. */
export type PlaceDoc = StoredDoc<typeof placeDefinition, 'appointmentId' | 'holdUntil' | 'hospitalBookingId'>;
const placeSchema = new Schema<PlaceDoc>(placeDefinition, schemaOptions('places'));
// A pool's places, and those held for referrals that expired unaccepted (released by the clock).
placeSchema.index({ poolId: 1, holdUntil: 1 });

/**
 * How the hold on a place booked for an unaccepted referral ended, once (_id:
 * `<place id>|<referral id>`): KEPT by acceptance, or FREED (the referral expired, or was
 * cancelled or rejected). Only the one who claims it touches the place.
 */
const holdSettlementDefinition = {
  _id: { type: String, required: true },
  outcome: { type: String, enum: ['KEPT', 'FREED'] as const, required: true },
  at: { type: Date, required: true },
};
export type HoldSettlementDoc = StoredDoc<typeof holdSettlementDefinition>;
const holdSettlementSchema = new Schema<HoldSettlementDoc>(holdSettlementDefinition, schemaOptions('holdSettlements'));

/** A referral's one booking, claimed (_id: the referral id) with the request id that made it. */
const bookingRequestDefinition = {
  _id: { type: String, required: true },
  clientRequestId: { type: String, required: true },
  poolId: { type: String, required: true },
};
export type BookingRequestDoc = StoredDoc<typeof bookingRequestDefinition>;
const bookingRequestSchema = new Schema<BookingRequestDoc>(bookingRequestDefinition, schemaOptions('bookingRequests'));

const referralDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  direction: { type: String, enum: ['UP', 'DOWN'] as const, required: true },
  fromOrganizationCode: { type: String, required: true },
  fromPractitioner: { type: String, default: null },
  toOrganizationCode: { type: String, required: true },
  toDepartment: { type: String, required: true },
  reason: { type: String, required: true },
  diagnoses: { type: [codingSchema], default: [] },
  urgency: { type: String, enum: ['ROUTINE', 'URGENT'] as const, default: 'ROUTINE' as const },
  attachedEncounterIds: { type: [String], default: [] },
  attachedLabReportIds: { type: [String], default: [] },
  slot: { type: Schema.Types.Mixed, default: null },
  status: { type: String, enum: STORED_REFERRAL_STATUSES, required: true },
  version: { type: Number, default: 1 },
  requestedAt: { type: Date, required: true },
  /** A request not accepted by then expires. */
  expiresAt: { type: Date, required: true },
  rejectionReason: { type: String, default: null },
  dischargeSummary: { type: String, default: null },
  followUpPlan: { type: String, default: null },
  /**
   * What the referral reveals (diagnoses, department, the reason and notes), derived at write
   * time; absent on referrals stored before labels, and united with a fresh label on read.
   */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: undefined, allowNull: false as const },
  /** The sending system's request id (the referral's _id derives from it) and a hash of what it sent: a retry must match. */
  clientRequestId: { type: String, default: null },
  requestHash: { type: String, default: null },
};
/**
 * Referrals stored before request ids were kept lack them. The booked slot is `Mixed` (set
 * whole when booked), so its type is written here: mongoose infers `any`.
 */
export type ReferralDoc = WithMixedPaths<
  StoredDoc<typeof referralDefinition, 'clientRequestId' | 'requestHash'>,
  { slot: { poolId: string; placeId: string; share: PlaceDoc['share']; date: string; session: SlotPoolDoc['session']; department: string } | null }
>;
const referralSchema = new Schema<ReferralDoc>(referralDefinition, schemaOptions('referrals'));
referralSchema.index({ residentId: 1, requestedAt: -1, _id: -1 });
referralSchema.index({ fromOrganizationCode: 1, requestedAt: -1, _id: -1 });
referralSchema.index({ toOrganizationCode: 1, requestedAt: -1, _id: -1 });

const transitionDefinition = {
  /** `<referral id>:<version>`: claiming it is what makes the change happen once. */
  _id: { type: String, required: true },
  referralId: { type: String, required: true },
  from: { type: String, enum: [...REFERRAL_STATUSES, null], default: null },
  to: { type: String, enum: REFERRAL_STATUSES, required: true },
  by: { type: String, required: true },
  organizationCode: { type: String, default: null },
  at: { type: Date, required: true },
};
export type ReferralTransitionDoc = StoredDoc<typeof transitionDefinition>;
const transitionSchema = new Schema<ReferralTransitionDoc>(transitionDefinition, schemaOptions('referralTransitions'));
transitionSchema.index({ referralId: 1 });

/** A resident's appointment: one place of a pool's public share (its placeId), booked through a channel. */
const appointmentDefinition = {
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
  status: { type: String, enum: ['BOOKED', 'CANCELLED'] as const, required: true },
  bookedAt: { type: Date, required: true },
  /** The person or system that booked: the resident, an operator, a hospital system. */
  bookedBy: { type: String, required: true },
  bookedByOrganization: { type: String, default: null },
  cancelledAt: { type: Date, default: null },
  cancelledBy: { type: String, default: null },
  cancellationReason: { type: String, default: null },
};
export type AppointmentDoc = StoredDoc<typeof appointmentDefinition>;
const appointmentSchema = new Schema<AppointmentDoc>(appointmentDefinition, schemaOptions('appointments'));
// A resident's appointments, soonest session first (myAppointments).
appointmentSchema.index({ residentId: 1, date: 1 });

/** A resident's one appointment in a session (_id `<resident id>|<pool id>`), claimed by the booking and freed by its cancellation. */
const appointmentSessionDefinition = { _id: { type: String, required: true }, appointmentId: { type: String, required: true } };
export type AppointmentSessionDoc = StoredDoc<typeof appointmentSessionDefinition>;
const appointmentSessionSchema = new Schema<AppointmentSessionDoc>(appointmentSessionDefinition, schemaOptions('appointmentSessions'));

/** An appointment's cancellation, claimed once (_id: the appointment id): only its claimant gives the place back. */
const appointmentCancellationDefinition = { _id: { type: String, required: true }, at: { type: Date, required: true } };
export type AppointmentCancellationDoc = StoredDoc<typeof appointmentCancellationDefinition>;
const appointmentCancellationSchema = new Schema<AppointmentCancellationDoc>(appointmentCancellationDefinition, schemaOptions('appointmentCancellations'));

/** A home nursing order (互联网护理) placed with a community health centre; EXPIRED is computed from expiresAt when read. */
const nursingOrderDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  /** The community health centre the order is placed with. */
  organizationCode: { type: String, required: true },
  ordererKind: { type: String, enum: ['RESIDENT', 'INTERNET_HOSPITAL'] as const, required: true },
  /** The internet hospital that placed it; null when the resident did. */
  ordererOrganizationCode: { type: String, default: null },
  serviceCode: { type: String, required: true },
  preconditions: { type: [String], default: [] },
  preferredDate: { type: String, required: true },
  address: { type: String, required: true },
  notes: { type: String, default: null },
  status: { type: String, enum: NURSING_STATUSES.filter((status) => status !== 'EXPIRED'), required: true },
  version: { type: Number, default: 1 },
  orderedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  /** The nurse (practitioner id) the centre assigned on acceptance. */
  nurseId: { type: String, default: null },
  /** The refusal's or cancellation's reason. */
  reason: { type: String, default: null },
  visit: { type: Schema.Types.Mixed, default: null },
  /** What the order's free text reveals, derived at write time. */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
};
/** The visit is `Mixed` (set whole when recorded), so its type is written here. */
export type NursingOrderDoc = WithMixedPaths<
  StoredDoc<typeof nursingOrderDefinition>,
  { visit: { at: Date; nurseId: string; performed: string; observations: string | null } | null }
>;
const nursingOrderSchema = new Schema<NursingOrderDoc>(nursingOrderDefinition, schemaOptions('nursingOrders'));
nursingOrderSchema.index({ residentId: 1, orderedAt: -1, _id: -1 });
// A centre's inbox, newest first.
nursingOrderSchema.index({ organizationCode: 1, orderedAt: -1, _id: -1 });

const nursingTransitionDefinition = {
  /** `<order id>:<version>`: claiming it is what makes the change happen once. */
  _id: { type: String, required: true },
  orderId: { type: String, required: true },
  from: { type: String, enum: [...NURSING_STATUSES, null], default: null },
  to: { type: String, enum: NURSING_STATUSES, required: true },
  by: { type: String, required: true },
  organizationCode: { type: String, default: null },
  at: { type: Date, required: true },
};
export type NursingTransitionDoc = StoredDoc<typeof nursingTransitionDefinition>;
const nursingTransitionSchema = new Schema<NursingTransitionDoc>(nursingTransitionDefinition, schemaOptions('nursingTransitions'));
nursingTransitionSchema.index({ orderId: 1 });
/** The hospital resources a family doctor books directly (no referral): an exam place or a virtual inpatient bed. */
export const HOSPITAL_RESOURCE_KINDS = ['EXAM', 'VIRTUAL_BED'] as const;
export type HospitalResourceKind = (typeof HOSPITAL_RESOURCE_KINDS)[number];
/** What an exam place is booked for. */
export const EXAM_TYPES = ['CT', 'MRI', 'ULTRASOUND', 'ENDOSCOPY', 'X_RAY', 'ECG'] as const;
export const HOSPITAL_BOOKING_STATUSES = ['BOOKED', 'COMPLETED', 'CANCELLED'] as const;

/** A hospital that opens one kind of resource to family doctors (_id `<organization code>|<kind>`). */
const openHospitalResourceDefinition = {
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  kind: { type: String, enum: HOSPITAL_RESOURCE_KINDS, required: true },
  since: { type: Date, required: true },
};
export type OpenHospitalResourceDoc = StoredDoc<typeof openHospitalResourceDefinition>;
const openHospitalResourceSchema = new Schema<OpenHospitalResourceDoc>(openHospitalResourceDefinition, schemaOptions('openHospitalResources'));

/**
 * A family doctor's booking of one exam place or virtual bed at a hospital for a contracted
 * resident (_id derived from the centre and its request id). The hospital files the result
 * back: the exam's lab report, or the discharge encounter.
 */
const hospitalBookingDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  kind: { type: String, enum: HOSPITAL_RESOURCE_KINDS, required: true },
  examType: { type: String, enum: [...EXAM_TYPES, null], default: null },
  reason: { type: String, required: true },
  poolId: { type: String, required: true },
  placeId: { type: String, required: true },
  share: { type: String, enum: SHARES, required: true },
  organizationCode: { type: String, required: true },
  department: { type: String, required: true },
  date: { type: String, required: true },
  session: { type: String, enum: SESSIONS, required: true },
  fromOrganizationCode: { type: String, required: true },
  familyDoctor: { type: String, required: true },
  status: { type: String, enum: HOSPITAL_BOOKING_STATUSES, required: true },
  bookedAt: { type: Date, required: true },
  clientRequestId: { type: String, required: true },
  requestHash: { type: String, required: true },
  /** For an exam: the labs report the hospital filed back. */
  resultReportId: { type: String, default: null },
  /** For a virtual bed: the records encounter of the stay, filed back at discharge. */
  dischargeEncounterId: { type: String, default: null },
  completedAt: { type: Date, default: null },
  cancelledAt: { type: Date, default: null },
  cancellationReason: { type: String, default: null },
  /** What the booking reveals (its department and reason), derived at write time. */
  sensitivities: { type: [{ type: String, enum: SENSITIVE_CATEGORIES }], default: [] },
};
export type HospitalBookingDoc = StoredDoc<typeof hospitalBookingDefinition>;
const hospitalBookingSchema = new Schema<HospitalBookingDoc>(hospitalBookingDefinition, schemaOptions('hospitalBookings'));
// The family doctor's inbox and the hospital's worklist, newest first.
hospitalBookingSchema.index({ fromOrganizationCode: 1, bookedAt: -1, _id: -1 });
hospitalBookingSchema.index({ organizationCode: 1, bookedAt: -1, _id: -1 });

/** A booking's request, claimed (_id: the booking id) before a place is: a retry finds it, concurrent retries make one booking. */
const hospitalBookingRequestDefinition = { _id: { type: String, required: true }, requestHash: { type: String, required: true } };
export type HospitalBookingRequestDoc = StoredDoc<typeof hospitalBookingRequestDefinition>;
const hospitalBookingRequestSchema = new Schema<HospitalBookingRequestDoc>(hospitalBookingRequestDefinition, schemaOptions('hospitalBookingRequests'));

/** How a booking ended, once (_id: the booking id): COMPLETED by the hospital's result, or CANCELLED by the family doctor. */
const hospitalBookingOutcomeDefinition = {
  _id: { type: String, required: true },
  outcome: { type: String, enum: ['COMPLETED', 'CANCELLED'] as const, required: true },
  at: { type: Date, required: true },
};
export type HospitalBookingOutcomeDoc = StoredDoc<typeof hospitalBookingOutcomeDefinition>;
const hospitalBookingOutcomeSchema = new Schema<HospitalBookingOutcomeDoc>(hospitalBookingOutcomeDefinition, schemaOptions('hospitalBookingOutcomes'));
/** What a settlement pays for. */
export const SETTLEMENT_SUBJECTS = ['VISIT', 'INTERNET_CONSULTATION', 'PRESCRIPTION', 'CHECKUP'] as const;
export type SettlementSubject = (typeof SETTLEMENT_SUBJECTS)[number];
/** How the self-paid part was paid (the insurance part is always the medical-insurance fund's). */
export const SETTLEMENT_CHANNELS = ['MEDICAL_INSURANCE_ACCOUNT', 'WECHAT_PAY', 'ALIPAY', 'UNIONPAY', 'CASH'] as const;

const settlementItemDefinition = {
  name: { type: String, required: true },
  quantity: { type: Number, required: true },
  amountFen: { type: Number, required: true },
};

/**
 * One settlement an institution made through the platform, or a refund of one (negative
 * amounts, naming the original). _id derives from the institution and its own settlement id:
 * claiming it is what makes a retry settle once.
 */
const settlementDefinition = {
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  institutionSettlementId: { type: String, required: true },
  residentId: { type: String, required: true },
  subject: { type: String, enum: SETTLEMENT_SUBJECTS, required: true },
  /** The institution's id of the visit, consultation, prescription or check-up booking. */
  subjectId: { type: String, required: true },
  items: { type: [new Schema(settlementItemDefinition, { _id: false })], default: [] },
  totalFen: { type: Number, required: true },
  insuranceFen: { type: Number, required: true },
  selfPaidFen: { type: Number, required: true },
  channel: { type: String, enum: SETTLEMENT_CHANNELS, required: true },
  /** A refund: the institution's id of the settlement it refunds. */
  refundOf: { type: String, default: null },
  settledAt: { type: Date, required: true },
  /** The city's calendar day of settledAt (YYYY-MM-DD): what reconciliation is by. */
  day: { type: String, required: true },
  /** A hash of what the institution sent: a retry under the same id must match it. */
  requestHash: { type: String, required: true },
};
export type SettlementDoc = StoredDoc<typeof settlementDefinition>;
const settlementSchema = new Schema<SettlementDoc>(settlementDefinition, schemaOptions('settlements'));
// An institution's day (reconciliation, its own list) and a resident's settlements (mySettlements).
settlementSchema.index({ organizationCode: 1, day: 1 });
settlementSchema.index({ residentId: 1, settledAt: -1 });

/**
 * The n-th refund of a settlement (_id `<settlement _id>|<n>`), with its amounts: refunds of one
 * settlement are claimed one number at a time, so together they never exceed it however many
 * arrive at once.
 */
const refundClaimDefinition = {
  _id: { type: String, required: true },
  settlementId: { type: String, required: true },
  refundId: { type: String, required: true },
  totalFen: { type: Number, required: true },
  insuranceFen: { type: Number, required: true },
  selfPaidFen: { type: Number, required: true },
};
export type RefundClaimDoc = StoredDoc<typeof refundClaimDefinition>;
const refundClaimSchema = new Schema<RefundClaimDoc>(refundClaimDefinition, schemaOptions('refundClaims'));
refundClaimSchema.index({ settlementId: 1 });

/** One item a check-up package includes: a code of the lab catalogue where it has one, and its name. */
const checkupItemDefinition = { code: { type: String, default: null }, name: { type: String, required: true } };

/**
 * A check-up package a centre publishes (_id from the centre and its package code): what it
 * includes, its price and how many residents it takes a day.
 */
const checkupPackageDefinition = {
  _id: { type: String, required: true },
  organizationCode: { type: String, required: true },
  code: { type: String, required: true },
  name: { type: String, required: true },
  items: { type: [new Schema(checkupItemDefinition, { _id: false })], default: [] },
  priceFen: { type: Number, required: true },
  dailyCapacity: { type: Number, required: true },
  publishedAt: { type: Date, required: true },
};
export type CheckupPackageDoc = StoredDoc<typeof checkupPackageDefinition>;
const checkupPackageSchema = new Schema<CheckupPackageDoc>(checkupPackageDefinition, schemaOptions('checkupPackages'));
// A centre's packages (Organization.checkupPackages).
checkupPackageSchema.index({ organizationCode: 1 });

/** One place of a package's day (_id `<package id>|<date>|<n>`): claiming it is taking it. */
const checkupPlaceDefinition = {
  _id: { type: String, required: true },
  packageId: { type: String, required: true },
  date: { type: String, required: true },
  bookingId: { type: String, required: true },
};
export type CheckupPlaceDoc = StoredDoc<typeof checkupPlaceDefinition>;
const checkupPlaceSchema = new Schema<CheckupPlaceDoc>(checkupPlaceDefinition, schemaOptions('checkupPlaces'));
// A package's places over some days (availability, and the places left to claim).
checkupPlaceSchema.index({ packageId: 1, date: 1 });

export const CHECKUP_STATUSES = ['BOOKED', 'PAID', 'CANCELLED'] as const;
/** A resident's booking of a check-up package for a day, paid through one-stop settlement. */
const checkupBookingDefinition = {
  _id: { type: String, required: true },
  residentId: { type: String, required: true },
  packageId: { type: String, required: true },
  organizationCode: { type: String, required: true },
  /** The Beijing date of the check-up, YYYY-MM-DD. */
  date: { type: String, required: true },
  placeId: { type: String, required: true },
  priceFen: { type: Number, required: true },
  status: { type: String, enum: CHECKUP_STATUSES, required: true },
  bookedAt: { type: Date, required: true },
  /** The institution settlement id of its payment, and of the refund of a cancelled paid booking. */
  settlementId: { type: String, default: null },
  refundSettlementId: { type: String, default: null },
  paidAt: { type: Date, default: null },
  cancelledAt: { type: Date, default: null },
  cancellationReason: { type: String, default: null },
};
export type CheckupBookingDoc = StoredDoc<typeof checkupBookingDefinition>;
const checkupBookingSchema = new Schema<CheckupBookingDoc>(checkupBookingDefinition, schemaOptions('checkupBookings'));
// A resident's bookings, latest day first (myCheckups).
checkupBookingSchema.index({ residentId: 1, date: -1 });

/** Claims of check-up bookings: one per resident, package and day (`<resident>|<package>|<date>`), and a booking's one cancellation (its id). */
const checkupClaimDefinition = { _id: { type: String, required: true }, bookingId: { type: String, required: true } };
export type CheckupClaimDoc = StoredDoc<typeof checkupClaimDefinition>;
const checkupClaimSchema = new Schema<CheckupClaimDoc>(checkupClaimDefinition, schemaOptions('checkupClaims'));

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
    NursingOrder: connection.model('NursingOrder', nursingOrderSchema),
    NursingTransition: connection.model('NursingTransition', nursingTransitionSchema),
    OpenHospitalResource: connection.model('OpenHospitalResource', openHospitalResourceSchema),
    HospitalBooking: connection.model('HospitalBooking', hospitalBookingSchema),
    HospitalBookingRequest: connection.model('HospitalBookingRequest', hospitalBookingRequestSchema),
    HospitalBookingOutcome: connection.model('HospitalBookingOutcome', hospitalBookingOutcomeSchema),
    Settlement: connection.model('Settlement', settlementSchema),
    RefundClaim: connection.model('RefundClaim', refundClaimSchema),
    CheckupPackage: connection.model('CheckupPackage', checkupPackageSchema),
    CheckupPlace: connection.model('CheckupPlace', checkupPlaceSchema),
    CheckupBooking: connection.model('CheckupBooking', checkupBookingSchema),
    CheckupClaim: connection.model('CheckupClaim', checkupClaimSchema),
  };
}
export type ReferralsModels = ReturnType<typeof registerModels>;
