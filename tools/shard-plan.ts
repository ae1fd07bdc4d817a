/**
 * How each collection is laid out on a sharded MongoDB cluster: sharded on the field every
 * query of it carries (the resident for clinical data), or left unsharded with the reason.
 * `npm run shard` applies it; the test suite checks every query the subgraphs send against it
 * (test/support/shard-targeting.ts), so a query that would be broadcast to every shard fails
 * unless it is listed here under `scatterGather` with its reason.
 */
import type { SubgraphName } from '../platform/config';

/** A hashed key spreads residents evenly; a ranged one (1) keeps neighbouring values together. */
export type ShardKey = Record<string, 'hashed' | 1>;

/** A query shape allowed to reach every shard: its command and the exact fields its filter names. */
export interface ScatterGather {
  command: 'find' | 'findAndModify' | 'update' | 'delete' | 'count' | 'distinct' | 'aggregate';
  fields: string[];
  reason: string;
}

/** A range of shard-key values kept on the shards of one zone. */
export interface ZoneRange {
  zone: string;
  min: Record<string, unknown>;
  max: Record<string, unknown>;
}

export type CollectionPlan = { key: ShardKey; why: string; scatterGather?: ScatterGather[]; zones?: ZoneRange[] } | { unsharded: string };

export type ShardPlan = Record<SubgraphName, Record<string, CollectionPlan>>;

const BY_RESIDENT: ShardKey = { residentId: 'hashed' };
const CLINICAL = 'clinical data, read by resident (one resident, or a page of them with $in)';
const CLAIMS = 'claim documents: their _id is unique across the cluster only on an unsharded collection (or one sharded on _id), and claims rely on it';
const REFERENCE = 'reference data, small and read by everyone';
const BY_ID = 'an entity fetched by id (a federated reference or a write that names it): one _id index probe per shard';
const UPDATE_BY_ID = 'a state change of one document by id: MongoDB 7.1+ routes a single-document write without the shard key (two-phase)';

export const SHARD_PLAN: ShardPlan = {
  records: {
    residents: {
      unsharded:
        'the master patient index: registration matches by blocking keys (birth, pinyin, phone, name, district), never by resident id, so a sharded index would broadcast every match; one small document per resident fits a replica set',
    },
    residentIdentifiers: { unsharded: 'looked up by identifier to find the resident: part of the master patient index, beside residents' },
    matchReviews: { unsharded: 'the duplicate-review worklist, read by status: few documents' },
    matchReviewDecisions: { unsharded: CLAIMS },
    residentVersionClaims: { unsharded: CLAIMS },
    organizations: { unsharded: REFERENCE },
    encounters: {
      key: BY_RESIDENT,
      why: CLINICAL,
      scatterGather: [{ command: 'find', fields: ['_id', 'status'], reason: BY_ID }],
    },
    conditions: { key: BY_RESIDENT, why: CLINICAL },
    allergies: { key: BY_RESIDENT, why: CLINICAL },
    hotlineCalls: { unsharded: "the 12320 hotline's calls (about 27,000 a month, one centre), read by call id or by the resident asked about" },
    hotlineWorkOrders: { unsharded: "the hotline centre's work orders (about 6,000 a month), read by ticket and by status" },
    hotlineWorkOrderSteps: { unsharded: CLAIMS },
  },
  labs: {
    labReports: {
      key: BY_RESIDENT,
      why: CLINICAL,
      scatterGather: [{ command: 'find', fields: ['_id'], reason: BY_ID }],
    },
    labReportVersions: { unsharded: 'earlier versions of amended reports only: rare, read by report id' },
    laboratories: { unsharded: REFERENCE },
    reminderEvents: { unsharded: 'monthly counts for the health commission, aggregated across residents by month' },
    criticalAlerts: { unsharded: 'critical-result inboxes, read by the recipient organization, never by resident: few documents (critical results only)' },
    criticalAlertAcks: { unsharded: CLAIMS },
    checkupFindings: { unsharded: 'the conclusions of check-up reports only (about one a resident a year), read by report id' },
  },
  prescriptions: {
    prescriptions: {
      key: BY_RESIDENT,
      why: CLINICAL,
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id', 'version'], reason: UPDATE_BY_ID },
        { command: 'findAndModify', fields: ['_id', 'status', 'version'], reason: UPDATE_BY_ID },
        {
          command: 'find',
          fields: ['organizationCode'],
          reason: "a hospital's worklist spans its residents: paged, each shard answers from its organization index",
        },
        { command: 'find', fields: ['_id', 'issuedAt', 'organizationCode'], reason: "the next page of a hospital's worklist" },
        { command: 'find', fields: ['pharmacyCode'], reason: "a pharmacy's worklist spans residents: paged, each shard answers from its pharmacy index" },
        { command: 'find', fields: ['_id', 'issuedAt', 'pharmacyCode'], reason: "the next page of a pharmacy's worklist" },
      ],
    },
    prescriptionTransitions: { key: { prescriptionId: 'hashed' }, why: 'grows with prescriptions and is read only by prescription id' },
    prescriptionSafetySnapshots: { key: { _id: 'hashed' }, why: 'one document per safety snapshot shown to a pharmacist, written once and read by its _id' },
  },
  referrals: {
    referrals: {
      key: BY_RESIDENT,
      why: CLINICAL,
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id'], reason: UPDATE_BY_ID },
        { command: 'findAndModify', fields: ['_id', 'version'], reason: UPDATE_BY_ID },
        { command: 'find', fields: ['fromOrganizationCode'], reason: "a sending organization's worklist spans residents: paged, from its index on each shard" },
        { command: 'find', fields: ['_id', 'fromOrganizationCode', 'requestedAt'], reason: "the next page of a sending organization's worklist" },
        { command: 'find', fields: ['toOrganizationCode'], reason: "a receiving hospital's worklist spans residents: paged, from its index on each shard" },
        { command: 'find', fields: ['_id', 'requestedAt', 'toOrganizationCode'], reason: "the next page of a receiving hospital's worklist" },
      ],
    },
    referralTransitions: { key: { referralId: 'hashed' }, why: 'grows with referrals and is read only by referral id' },
    contracts: {
      key: BY_RESIDENT,
      why: 'family-doctor contracts, read by resident',
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id', 'status'], reason: UPDATE_BY_ID },
      ],
    },
    appointments: {
      key: BY_RESIDENT,
      why: "residents' bookings of the public share, read by resident",
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id'], reason: UPDATE_BY_ID },
      ],
    },
    nursingOrders: {
      key: BY_RESIDENT,
      why: 'home nursing orders, read by resident',
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id', 'version'], reason: UPDATE_BY_ID },
        {
          command: 'find',
          fields: ['organizationCode'],
          reason: "a community health centre's nursing inbox spans residents: paged, from its index on each shard",
        },
        { command: 'find', fields: ['_id', 'orderedAt', 'organizationCode'], reason: "the next page of a centre's nursing inbox" },
      ],
    },
    nursingTransitions: { key: { orderId: 'hashed' }, why: 'grows with nursing orders and is read only by order id' },
    hospitalBookings: {
      key: BY_RESIDENT,
      why: "family doctors' bookings of hospital exams and virtual beds, about one resident each",
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id'], reason: UPDATE_BY_ID },
        { command: 'find', fields: ['fromOrganizationCode'], reason: "a family doctor's centre's inbox spans residents: paged, from its index on each shard" },
        { command: 'find', fields: ['_id', 'bookedAt', 'fromOrganizationCode'], reason: "the next page of a centre's inbox" },
        { command: 'find', fields: ['organizationCode'], reason: "a hospital's worklist spans residents: paged, from its index on each shard" },
        { command: 'find', fields: ['_id', 'bookedAt', 'organizationCode'], reason: "the next page of a hospital's worklist" },
      ],
    },
    hospitalBookingRequests: { unsharded: CLAIMS },
    hospitalBookingOutcomes: { unsharded: CLAIMS },
    openHospitalResources: { unsharded: REFERENCE },
    settlements: {
      key: { _id: 'hashed' },
      why: 'grows with every settlement; its _id (from the institution and its settlement id) is claimed, so it is sharded on _id',
      scatterGather: [
        { command: 'find', fields: ['residentId'], reason: "a resident's own settlements: at most 100, from the residentId index on each shard" },
        {
          command: 'find',
          fields: ['day', 'organizationCode'],
          reason: "an institution's day (its list and its reconciliation), from its index on each shard, once a day",
        },
      ],
    },
    refundClaims: { unsharded: CLAIMS },
    checkupBookings: {
      key: BY_RESIDENT,
      why: "residents' check-up bookings, read by resident",
      scatterGather: [
        { command: 'find', fields: ['_id'], reason: BY_ID },
        { command: 'findAndModify', fields: ['_id'], reason: UPDATE_BY_ID },
        { command: 'findAndModify', fields: ['_id', 'status'], reason: UPDATE_BY_ID },
      ],
    },
    checkupClaims: { unsharded: CLAIMS },
    checkupPackages: { unsharded: 'check-up centres’ packages, read by centre: bounded by centres × packages' },
    checkupPlaces: { unsharded: 'the booked places of check-up days, read by package and day: bounded by capacity × the booking horizon' },
    appointmentSessions: { unsharded: CLAIMS },
    appointmentCancellations: { unsharded: CLAIMS },
    activeContracts: { unsharded: CLAIMS },
    bookingRequests: { unsharded: CLAIMS },
    holdSettlements: { unsharded: CLAIMS },
    slotPools: { unsharded: "hospitals' published capacity, read by hospital and date: bounded by hospitals × departments × the booking horizon" },
    places: { unsharded: 'the places of the slot pools, read by pool: bounded like the pools' },
    participatingHospitals: { unsharded: REFERENCE },
  },
  access: {
    auditEvents: {
      key: BY_RESIDENT,
      why: 'the largest collection (one event per disclosure); residents read who viewed their record',
      scatterGather: [
        { command: 'find', fields: ['subject'], reason: "a privacy officer's audit of one user across residents: rare and paged" },
        { command: 'find', fields: ['_id', 'at', 'subject'], reason: "the next page of a privacy officer's audit of one user" },
        {
          command: 'find',
          fields: ['organizationCode', 'purposeOfUse'],
          reason: "a privacy officer's audit of one organization's purpose of use: rare and paged",
        },
      ],
    },
    consents: { key: { _id: 'hashed' }, why: 'one document per resident whose _id is the resident id: read and upserted by it' },
    recordOwners: { key: { _id: 'hashed' }, why: 'one document per record (kind and record id as _id), read and upserted by _id' },
    safetyChanges: { key: BY_RESIDENT, why: 'change notes of residents’ safety facts, read by resident and upserted by _id with the resident in the filter' },
    careRelationships: {
      unsharded:
        'upserted by its source key (kind, organization, record), which does not carry the resident, and a sharded upsert needs the whole shard key in its filter; to shard it on residentId, add residentId to that upsert filter first',
    },
    residentAliases: { unsharded: 'merged resident ids: rare, read by either side of a merge ($or of _id and survivorId)' },
    breakGlassReviews: { unsharded: 'the emergency-access review worklist, read by status: one per emergency access' },
  },
};
