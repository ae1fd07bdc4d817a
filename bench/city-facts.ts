/**
 * Reads from the seeded databases what the workload needs: who may open whose record, the
 * pharmacies and internet hospitals, and contracted residents with open slot pools for the
 * bookings; prepares the referrals to book through the gateway, as family doctors do; and
 * measures the record counts per resident the city actually holds.
 */
import type { Connection } from 'mongoose';
import { registerAccessStoreModels } from '../access-control/access-store';
import type { SubgraphName } from '../platform/config';
import { operator } from '../platform/database';
import { registerModels as registerLabs } from '../subgraphs/labs/models';
import { registerModels as registerPrescriptions } from '../subgraphs/prescriptions/models';
import { registerModels as registerRecords } from '../subgraphs/records/models';
import { registerModels as registerReferrals } from '../subgraphs/referrals/models';
import { addDays, beijingDate } from '../subgraphs/referrals/referral-rules';
import { databaseName } from '../subgraphs/runtime/subgraph-server';
import type { WorkloadFacts } from './workload';

const DAY_MS = 86_400_000;
const RECENT_DAYS = 365;

type Ask = (viewer: { organizationCode: string; practitionerId: string }, query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>;

const databaseOf = (connection: Connection, prefix: string) => (name: SubgraphName) => connection.useDb(databaseName(prefix, name), { useCache: true });

export async function readWorkloadFacts(
  connection: Connection,
  prefix: string,
  bookings: number,
  ask: Ask,
  log: (line: string) => void,
): Promise<WorkloadFacts> {
  const db = databaseOf(connection, prefix);
  const records = registerRecords(db('records'));
  const access = registerAccessStoreModels(db('access'));
  const referrals = registerReferrals(db('referrals'));
  const now = Date.now();

  const organizations = await records.Organization.find({}, { level: 1 }).lean<{ _id: string; level: string }[]>().exec();
  const ofLevel = (level: string) => organizations.filter((organization) => organization.level === level).map((organization) => organization._id);
  const hospitals = new Set([...ofLevel('TERTIARY'), ...ofLevel('SECONDARY')]);

  // The hospital each resident was seen at most recently: a doctor there may open the record.
  const latestVisit = new Map<string, { organizationCode: string; at: number }>();
  for (const relationship of await access.CareRelationship.find({}, { residentId: 1, organizationCode: 1, kind: 1, lastSeenAt: 1 }).lean().exec()) {
    const seen = relationship.kind === 'REGISTRATION' ? relationship.lastSeenAt.getTime() : 0;
    if (!hospitals.has(relationship.organizationCode) || now - seen > RECENT_DAYS * DAY_MS) continue;
    if ((latestVisit.get(relationship.residentId)?.at ?? 0) < seen)
      latestVisit.set(relationship.residentId, { organizationCode: relationship.organizationCode, at: seen });
  }

  const today = beijingDate(new Date());
  const from = addDays(today, 1);
  const to = addDays(today, 13);
  const pools = await referrals.SlotPool.find({ kind: 'SPECIALIST', reserved: operator({ $gt: 0 }), date: operator({ $gte: from, $lte: to }) })
    .lean()
    .exec();
  const contracts = (
    await referrals.Contract.find({ status: 'ACTIVE', until: operator({ $gt: new Date(now) }) })
      .lean()
      .exec()
  ).slice(0, bookings);
  if (pools.length === 0 || contracts.length === 0) throw new Error('The seeded city has no open slot pools or active contracts');

  const prepared: WorkloadFacts['bookings'] = [];
  for (const [index, contract] of contracts.entries()) {
    const pool = pools[index % pools.length]!;
    const familyDoctor = { organizationCode: contract.organizationCode, practitionerId: contract.familyDoctor };
    try {
      const data = await ask(familyDoctor, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
        input: {
          residentId: contract.residentId,
          direction: 'UP',
          toOrganizationCode: pool.organizationCode,
          toDepartment: pool.department,
          reason: '病情需专科评估',
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        },
      });
      prepared.push({ referralId: data.requestReferral.id, poolId: pool._id, ...familyDoctor });
    } catch (error) {
      log(`could not prepare a referral for contract ${contract._id}: ${error instanceof Error ? error.message : error}`);
    }
  }
  const first = contracts[0]!;
  return {
    records: [...latestVisit].map(([residentId, visit]) => ({ residentId, organizationCode: visit.organizationCode })),
    pharmacies: ofLevel('PHARMACY'),
    internetHospitals: ofLevel('INTERNET_HOSPITAL'),
    bookings: prepared,
    slotSearch: {
      organizationCode: first.organizationCode,
      practitionerId: first.familyDoctor,
      hospital: pools[0]!.organizationCode,
      department: pools[0]!.department,
      from,
      to,
    },
  };
}

/** Records per resident across the clinical collections: median, 99th percentile, maximum, total. */
export async function recordsPerResident(connection: Connection, prefix: string) {
  const db = databaseOf(connection, prefix);
  const records = registerRecords(db('records'));
  const collections = [
    records.Encounter,
    records.Condition,
    records.Allergy,
    registerLabs(db('labs')).LabReport,
    registerPrescriptions(db('prescriptions')).Prescription,
    registerReferrals(db('referrals')).Referral,
  ];
  const counts = new Map<string, number>();
  for (const model of collections) {
    const rows = await model.collection.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$residentId', n: { $sum: 1 } } }]).toArray();
    for (const row of rows) counts.set(row._id, (counts.get(row._id) ?? 0) + row.n);
  }
  const sorted = [...counts.values()].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  return {
    residents: sorted.length,
    median: at(0.5),
    p99: at(0.99),
    max: at(1),
    heavy: sorted.filter((n) => n >= 1000).length,
    total: sorted.reduce((sum, n) => sum + n, 0),
  };
}
