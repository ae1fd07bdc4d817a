/**
 * What the benchmark asks: a deterministic mix of 70% doctors opening a resident's full
 * record, 25% internet hospitals and cloud pharmacies fetching prescriptions, and 5% family
 * doctors booking a referral slot. Every request carries its own identity, so no contender
 * can merge identical requests. The same requests reach every contender, each with the
 * credentials that contender takes.
 */
import type { KeyObject } from 'node:crypto';
import { mintInternalToken } from '../access-control/internal-token';
import type { Viewer } from '../access-control/viewer';
import { SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { type DemoIdentity, issueDemoToken } from '../tools/demo-issuer';
import { mulberry32 } from '../tools/seed/city';

/** The records subgraph's part of the full record. */
const RECORDS_FIELDS = `
  id name gender birthDate district
  summary {
    activeProblems { code { code display } onset }
    allergies { assertion items { substance { code display } criticality } }
    lastEncounters { start department organization { code name } }
  }
  encounters(first: 20) { edges { node { id start class department diagnoses { code { code display } primary } organization { code name } } } pageInfo { hasNextPage endCursor } }
`;

/** The doctor's full record: summary, encounters, latest results, prescriptions, referrals, care relationships. */
export const FULL_RECORD = /* GraphQL */ `
  query FullRecord($id: ID!) {
    resident(id: $id) {
      ${RECORDS_FIELDS}
      latestResults(codes: ["4548-4", "14749-6", "14647-2", "718-7"]) { code { code display } observation { value unit interpretation } issuedAt organization { name } }
      labReports(first: 10) { edges { node { id issuedAt status code { display } results { code { display } value unit interpretation critical } } } }
      prescriptions(first: 20) { edges { node { id status issuedAt items { drug { code display } dose frequency days } } } }
      referrals(first: 20) { edges { node { id status reason toDepartment toOrganization { name } } } }
      careRelationships { kind since organization { code name } }
    }
  }
`;

/** What a direct call to the records subgraph serves. */
export const RECORDS_PART = /* GraphQL */ `query RecordsPart($id: ID!) { resident(id: $id) { ${RECORDS_FIELDS} } }`;

const PHARMACY_QUEUE = /* GraphQL */ `
  query PharmacyQueue { pharmacyQueue(first: 20) { edges { node { id status issuedAt resident { name } items { drug { code display } dose frequency days quantity } } } } }
`;
const ORGANIZATION_PRESCRIPTIONS = /* GraphQL */ `
  query OrganizationPrescriptions { organizationPrescriptions(first: 20) { edges { node { id status issuedAt resident { name } items { drug { code display } dose frequency days } } } } }
`;
const BOOK_SLOT = /* GraphQL */ `
  mutation Book($referralId: ID!, $poolId: ID!, $clientRequestId: String!) { bookReferralSlot(referralId: $referralId, poolId: $poolId, clientRequestId: $clientRequestId) { id status slot { date session } } }
`;
const AVAILABLE_SLOTS = /* GraphQL */ `
  query Slots($org: ID!, $department: String!, $from: String!, $to: String!) { availableSlots(organizationCode: $org, department: $department, from: $from, to: $to) { poolId date session bookableByYou } }
`;

export type RequestKind = 'full-record' | 'prescriptions' | 'booking';

/** Who may ask what in the seeded city: the facts the bench reads from the database. */
export interface WorkloadFacts {
  /** Residents with an organization that has a care relationship to them. */
  records: { residentId: string; organizationCode: string }[];
  pharmacies: string[];
  internetHospitals: string[];
  /** Referrals waiting for a slot, each with the family doctor who asked and a pool to book. */
  bookings: { referralId: string; poolId: string; organizationCode: string; practitionerId: string }[];
  /** Asked instead of a booking once the prepared referrals are used up. */
  slotSearch: { organizationCode: string; practitionerId: string; hospital: string; department: string; from: string; to: string };
}

export interface BenchRequest {
  kind: RequestKind;
  viewer: Viewer;
  clientToken: string;
  body: string;
  /** The resident of a full-record request (for the direct subgraph and the baseline). */
  residentId: string | null;
}

/** The header a contender without authentication passes on to a subgraph (bench/apollo-plain-gateway.mjs, bench/peers/hive-gateway.config.mjs). */
export const forwardedTokenHeader = (subgraph: string) => `x-bench-internal-${subgraph.toLowerCase()}`;

const INTERNAL_TOKEN_REFRESH_MS = 20_000;

/**
 * The requests, signed before the load starts so that signing does not load the generator:
 * a pool of distinct full-record and prescription requests that the mix cycles through, and
 * one booking per prepared referral, each used once.
 */
export class Workload {
  private readonly random: () => number;
  private readonly internalTokens = new Map<string, { minted: number; headers: Record<string, string> }>();
  private readonly fullRecords: BenchRequest[];
  private readonly prescriptionRequests: BenchRequest[];
  private readonly bookings: BenchRequest[];
  private readonly slotSearches: BenchRequest[];
  private counter = 0;
  private turn = 0;
  /** Requests handed out, per kind; `slot-search` counts bookings asked once the referrals ran out. */
  readonly issued: Record<RequestKind | 'slot-search', number> = { 'full-record': 0, prescriptions: 0, booking: 0, 'slot-search': 0 };

  constructor(
    facts: WorkloadFacts,
    private readonly keys: { issuer: { privateKey: KeyObject; issuer: string; audience: string }; internal: KeyObject },
    options: { seed: number; poolSize: number },
  ) {
    this.random = mulberry32(options.seed);
    const pick = <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('The seeded city has nothing to ask for here');
      return items[Math.floor(this.random() * items.length)]!;
    };
    this.fullRecords = Array.from({ length: options.poolSize }, () => {
      const target = pick(facts.records);
      return this.request('full-record', this.identity('doctor', target.organizationCode), FULL_RECORD, { id: target.residentId }, target.residentId);
    });
    this.prescriptionRequests = Array.from({ length: Math.ceil(options.poolSize / 2) }, () =>
      this.random() < 0.5
        ? this.request('prescriptions', this.identity('pharmacist', pick(facts.pharmacies)), PHARMACY_QUEUE, {})
        : this.request('prescriptions', this.identity('internet_hospital', pick(facts.internetHospitals)), ORGANIZATION_PRESCRIPTIONS, {}),
    );
    this.bookings = facts.bookings.map((booking) =>
      this.request('booking', this.identity('family_doctor', booking.organizationCode, booking.practitionerId), BOOK_SLOT, {
        referralId: booking.referralId,
        poolId: booking.poolId,
        clientRequestId: `bench-${booking.referralId}`,
      }),
    );
    const search = facts.slotSearch;
    this.slotSearches = Array.from({ length: 50 }, () =>
      this.request('booking', this.identity('family_doctor', search.organizationCode, search.practitionerId), AVAILABLE_SLOTS, {
        org: search.hospital,
        department: search.department,
        from: search.from,
        to: search.to,
      }),
    );
  }

  /** The next request of the mix: 70 / 25 / 5. */
  next(): BenchRequest {
    const roll = this.random();
    const turn = this.turn++;
    if (roll < 0.7) return this.count('full-record', this.fullRecords[turn % this.fullRecords.length]!);
    if (roll < 0.95) return this.count('prescriptions', this.prescriptionRequests[turn % this.prescriptionRequests.length]!);
    const booking = this.bookings.shift();
    return booking ? this.count('booking', booking) : this.count('slot-search', this.slotSearches[turn % this.slotSearches.length]!);
  }

  /** Full-record requests only (the latency probe, the direct subgraph and the baseline). */
  nextFullRecord(): BenchRequest {
    return this.count('full-record', this.fullRecords[this.turn++ % this.fullRecords.length]!);
  }

  nextPrescriptions(): BenchRequest {
    return this.count('prescriptions', this.prescriptionRequests[this.turn++ % this.prescriptionRequests.length]!);
  }

  private count(kind: RequestKind | 'slot-search', request: BenchRequest): BenchRequest {
    this.issued[kind]++;
    return request;
  }

  /** Headers for a contender that takes ready-made internal tokens (one per subgraph) instead of a client token. */
  forwardedTokens(viewer: Viewer): Record<string, string> {
    const now = Date.now();
    const cached = this.internalTokens.get(viewer.subject);
    if (cached && now - cached.minted < INTERNAL_TOKEN_REFRESH_MS) return cached.headers;
    const headers = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        forwardedTokenHeader(name),
        mintInternalToken({ viewer, requestId: viewer.subject.replace(/[^A-Za-z0-9-]/g, '-') }, name, this.keys.internal),
      ]),
    );
    this.internalTokens.set(viewer.subject, { minted: now, headers });
    return headers;
  }

  internalToken(viewer: Viewer, subgraph: SubgraphName): string {
    return this.forwardedTokens(viewer)[forwardedTokenHeader(subgraph)]!;
  }

  /** A practitioner of its own for every request, so every request carries a different token. */
  private identity(role: 'doctor' | 'pharmacist' | 'internet_hospital' | 'family_doctor', organizationCode: string, practitionerId?: string): DemoIdentity {
    const number = this.counter++;
    return { subject: `bench-${role}-${number}`, roles: [role], organizationCode, practitionerId: practitionerId ?? `P${number}` };
  }

  private request(
    kind: RequestKind,
    identity: DemoIdentity,
    query: string,
    variables: Record<string, unknown>,
    residentId: string | null = null,
  ): BenchRequest {
    const viewer: Viewer = {
      subject: identity.subject,
      roles: identity.roles,
      organizationCode: identity.organizationCode,
      practitionerId: identity.practitionerId,
      purposeOfUse: 'treatment',
    };
    return {
      kind,
      viewer,
      clientToken: issueDemoToken(identity, { ...this.keys.issuer, ttlSeconds: 4 * 3600 }),
      body: JSON.stringify({ query, variables }),
      residentId,
    };
  }
}
