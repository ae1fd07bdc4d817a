/**
 * Loads the demo city into the five subgraphs' databases: the real districts and hospitals
 * of the city's bulletin, synthetic residents and their records, and the care relationships
 * the records imply. A database that already has residents is left alone.
 */
import type { Connection } from 'mongoose';
import { recordOwnerKey, registerAccessStoreModels } from '../../access-control/access-store';
import { activityDatabaseName, CITY, registerActivityStoreModels, rollupId } from '../../monitoring/activity-store';
import type { SlotSettings, SubgraphName } from '../../platform/config';
import { connectDatabase, ensureIndexes, oneOf } from '../../platform/database';
import { migrateDeployment } from '../../platform/migrations';
import { registerModels as registerLabs } from '../../subgraphs/labs/models';
import { registerModels as registerPrescriptions } from '../../subgraphs/prescriptions/models';
import { ORGANIZATION_LEVELS, registerModels as registerRecords } from '../../subgraphs/records/models';
import { registerModels as registerReferrals } from '../../subgraphs/referrals/models';
import { databaseName } from '../../subgraphs/runtime/subgraph-server';
import { BULLETIN_MONTH, HISTORY_MONTHS } from './activity-history';
import { bulletinHistoryOf } from './activity-seed';
import { generateCity, type OrganizationSeed, type VolumeProfile } from './city';
import { careRelationshipsOf, type DemoFacts, pickDemoFacts } from './demo-facts';
import { demoStoryOf } from './demo-story';
import { labsOf } from './labs-seed';
import { prescriptionsOf } from './prescriptions-seed';
import { recordsOf } from './records-seed';
import { referralsOf, slotPoolHospitalCodes } from './referrals-seed';

export const DEMO_SEED = 20240925;
/** Moderate on purpose: the embedded FerretDB scans every collection it filters on anything but _id. */
export const DEMO_RESIDENTS = 1500;
const CHUNK = 1000;

export interface SeedOptions {
  uri: string;
  dbPrefix: string;
  residents?: number;
  seed?: number;
  now?: Date;
  /** Records per resident for load tests; the demo's everyday spread when absent. */
  volume?: VolumeProfile;
  /** The configured reserved share and release time of slot pools (the defaults when absent). */
  slots?: SlotSettings;
  log?: (line: string) => void;
}

/** What the seeder leaves behind for the demo command: who to look up, and as whom. */
interface SeedRun extends DemoFacts {
  _id: 'demo-city';
  seededAt: Date;
  seed: number;
  residents: number;
}

export async function seedDemoCity(options: SeedOptions): Promise<{ seeded: boolean; facts: DemoFacts | null }> {
  const log = options.log ?? (() => {});
  // The city is written at the current schema version (on an empty database the migrations find nothing).
  for (const fileName of await migrateDeployment(options.uri, options.dbPrefix)) log(`migration applied: ${fileName}`);
  const records = await connectDatabase({ uri: options.uri, dbName: databaseName(options.dbPrefix, 'records') });
  try {
    const db = (name: SubgraphName): Connection => (name === 'records' ? records : records.useDb(databaseName(options.dbPrefix, name), { useCache: true }));
    const seedRuns = records.collection<SeedRun>('seedRuns');
    const recordsModels = registerRecords(records);
    if ((await recordsModels.Resident.estimatedDocumentCount()) > 0) {
      const run = await seedRuns.findOne({ _id: 'demo-city' });
      log('database already has residents: seeding skipped');
      // A city seeded before the platform counted activity gets its history now.
      const organizations = await recordsModels.Organization.find({ level: oneOf(ORGANIZATION_LEVELS) })
        .lean()
        .exec();
      await seedActivityHistory(
        records,
        options.dbPrefix,
        organizations.map(({ _id, ...rest }) => ({ code: _id, ...rest })),
        log,
      );
      if (!run) return { seeded: false, facts: null };
      const { _id, seededAt, seed, residents, ...facts } = run;
      return { seeded: false, facts };
    }

    const started = Date.now();
    const seed = options.seed ?? DEMO_SEED;
    const residents = options.residents ?? DEMO_RESIDENTS;
    const now = options.now ?? new Date();
    const generated = generateCity({ seed, residents, now, volume: options.volume });
    // The demo resident's story: what every client workflow of docs/getting-started.md shows on them.
    const facts = pickDemoFacts(generated, now, slotPoolHospitalCodes(generated));
    const story = demoStoryOf(generated, facts, now);
    const city = { ...generated, encounters: [...generated.encounters, ...story.encounters], labReports: [...generated.labReports, ...story.labReports] };
    const labs = registerLabs(db('labs'));
    const prescriptions = registerPrescriptions(db('prescriptions'));
    const referrals = registerReferrals(db('referrals'));
    const access = registerAccessStoreModels(db('access'));
    for (const name of ['records', 'labs', 'prescriptions', 'referrals', 'access'] as const) await ensureIndexes(db(name));

    const clinical = recordsOf(city, seed);
    await insertAll(
      recordsModels.Organization,
      city.organizations.map(({ code, ...rest }) => ({ _id: code, ...rest })),
    );
    await insertAll(recordsModels.Resident, clinical.residents);
    await insertAll(recordsModels.ResidentIdentifier, clinical.identifiers);
    await insertAll(recordsModels.MatchReview, clinical.matchReviews);
    await insertAll(recordsModels.Encounter, clinical.encounters);
    await insertAll(recordsModels.Condition, clinical.conditions);
    await insertAll(recordsModels.Allergy, clinical.allergies);
    const labResults = labsOf(city, now, new Set(story.labReports.map((report) => report.id)));
    await insertAll(labs.LabReport, labResults.reports);
    await insertAll(labs.LabReportVersion, labResults.versions);
    await insertAll(labs.Laboratory, labResults.laboratories);
    const medication = prescriptionsOf(city);
    await insertAll(prescriptions.Prescription, medication.prescriptions);
    await insertAll(prescriptions.Transition, medication.transitions);
    const referralData = withoutContractOf(referralsOf(city, now, options.slots, facts.doctorOrganizationCode), facts.residentId);
    await insertAll(referrals.Contract, referralData.contracts);
    await insertAll(referrals.ActiveContract, referralData.activeContracts);
    await insertAll(referrals.ParticipatingHospital, referralData.participatingHospitals);
    await insertAll(referrals.OpenHospitalResource, referralData.openHospitalResources);
    await insertAll(referrals.SlotPool, referralData.pools);
    await insertAll(referrals.Referral, referralData.referrals);
    await insertAll(referrals.Transition, referralData.transitions);
    await insertAll(access.CareRelationship, careRelationshipsOf(city, clinical.encounters, medication.prescriptions, referralData.contracts));
    // Whom each encounter and lab report is filed under, for the references referrals make to them.
    await insertAll(access.RecordOwner, [
      ...clinical.encounters.map((encounter) => ({ _id: recordOwnerKey('encounter', encounter._id), residentId: encounter.residentId })),
      ...labResults.reports.map((report) => ({ _id: recordOwnerKey('lab-report', report._id), residentId: report.residentId })),
    ]);
    // Merged records resolve to their survivor in every subgraph.
    await insertAll(
      access.ResidentAlias,
      clinical.residents.flatMap((resident) => (resident.mergedInto ? [{ _id: resident._id, survivorId: resident.mergedInto, at: now }] : [])),
    );

    await access.Consent.create(story.consent);
    await seedActivityHistory(records, options.dbPrefix, city.organizations, log);
    await seedRuns.insertOne({ _id: 'demo-city', seededAt: now, seed, residents, ...facts });
    log(
      `seeded the demo city in ${((Date.now() - started) / 1000).toFixed(1)} s: ${city.organizations.length} organizations, ` +
        `${clinical.residents.length} residents, ${clinical.encounters.length} encounters, ${clinical.conditions.length} conditions, ` +
        `${clinical.allergies.length} allergies, ${clinical.matchReviews.length} match reviews, ${labResults.reports.length} lab reports, ` +
        `${city.prescriptions.length} prescriptions, ${city.referrals.length} referrals, ${referralData.contracts.length} contracts, ${referralData.pools.length} slot pools`,
    );
    return { seeded: true, facts };
  } finally {
    await records.close();
  }
}

/**
 * The platform's counted history (September 2024, the bulletin's month, and the eleven months derived before it) in the monitoring
 * database, unless it is there already. Live writes add to the days they happen on.
 */
async function seedActivityHistory(
  records: Connection,
  dbPrefix: string,
  organizations: readonly OrganizationSeed[],
  log: (line: string) => void,
): Promise<void> {
  const monitoring = records.useDb(activityDatabaseName(dbPrefix), { useCache: true });
  const { ActivityRollup } = registerActivityStoreModels(monitoring);
  await ensureIndexes(monitoring);
  const history = bulletinHistoryOf(organizations);
  if (await ActivityRollup.exists({ _id: rollupId(CITY, HISTORY_MONTHS[0]!) })) return;
  const opening = history.find((doc) => doc._id === rollupId(CITY, 'opening'))!;
  if (await ActivityRollup.exists({ _id: opening._id })) {
    // Seeded before the derived months: add them, and move the opening balance before them (its
    // September, live writes included, stays as it is).
    await insertAll(
      ActivityRollup,
      history.filter((doc) => doc.seeded === 'DERIVED' && doc._id !== opening._id),
    );
    await ActivityRollup.replaceOne({ _id: opening._id }, opening);
    log(`seeded the platform's derived history: ${HISTORY_MONTHS[0]} to ${HISTORY_MONTHS.at(-1)}`);
    return;
  }
  await insertAll(ActivityRollup, history);
  log(`seeded the platform's activity history: ${history.length} rollups of ${HISTORY_MONTHS[0]} to ${BULLETIN_MONTH}`);
}

/** The demo resident has no family-doctor contract yet: the family doctor's example offers one. */
function withoutContractOf<T extends { contracts: { residentId: string }[]; activeContracts: { _id: string }[] }>(data: T, residentId: string): T {
  return {
    ...data,
    contracts: data.contracts.filter((contract) => contract.residentId !== residentId),
    activeContracts: data.activeContracts.filter((active) => active._id !== residentId),
  };
}

async function insertAll<T>(model: { insertMany(docs: T[], options: { ordered: boolean; lean: boolean }): Promise<unknown> }, docs: T[]): Promise<void> {
  for (let start = 0; start < docs.length; start += CHUNK) {
    await model.insertMany(docs.slice(start, start + CHUNK), { ordered: true, lean: true });
  }
}
