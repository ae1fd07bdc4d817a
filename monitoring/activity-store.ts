/**
 * What arrives at the platform, counted as it is accepted (figures of care on their day of
 * care, see monitoring/activity.ts): rollups per organization and per city, per day and per month, in
 * a database every subgraph shares (`<prefix>_monitoring`).
 * Writes add to them ($inc, one bulk write per request); the cockpit reads only them, never
 * the clinical collections. Only this file defines these collections.
 *
 * Days are calendar days in the city's time zone (Asia/Shanghai, UTC+8 all year). A document
 * is `<organization>|<YYYY-MM-DD>` (period day) or `<organization>|<YYYY-MM>` (period month);
 * the organization `*` is the whole city, so city figures are one document, not a sum at read.
 * A counter is absent until something reported it: the cockpit shows an absent revenue as
 * null ("not reported", the bulletin's '/'), an absent count as 0.
 */
import { type AnyBulkWriteOperation, type Connection, Schema } from 'mongoose';
import { oneOf, operator, RECORDS_BATCH_SIZE } from '../platform/database';
import { isDuplicateKey } from '../platform/errors';

export const ACTIVITY_COUNTERS = [
  // Data collection (the bulletin's data-collection tables).
  'scheduledUploadRecords',
  'verifiedRecords',
  'realtimeRecords',
  'outpatientVisits',
  'outpatientRevenueFen',
  'emergencyVisits',
  'emergencyRevenueFen',
  'discharges',
  'inpatientRevenueFen',
  // Inpatient stays begun (on the day of admission) and the days in hospital of the stays that
  // ended (on the day of discharge): the average stay is inpatientDays / discharges.
  'admissions',
  'inpatientDays',
  // A unit's patients in hospital when the platform began counting it: opening documents only.
  'inpatientsOpening',
  // Referrals sent and prescriptions routed to cloud pharmacies, by the sending organization.
  'referralsUp',
  'referralsDown',
  'prescriptionsRouted',
  // Home nursing orders placed with a community health centre, and its visits completed.
  'nursingOrders',
  'nursingVisits',
  // Appointments by channel, at the hospital booked.
  'appointmentsOnline12320',
  'appointmentsQuick',
  'appointmentsInClinic',
  'appointmentsThirdParty',
  // Appointments booked before the platform counted them by channel: the opening balance only.
  'appointmentsOpeningBalance',
  // Online appointments by the platform they were made on.
  'platformHealthyNanjingApp',
  'platformWechat12320',
  'platformMyNanjingApp',
  'platformQuickBooking12320',
  'platformWebsite12320',
  // Appointments booked by a 12320 operator on the phone, at the hospital booked: the hotline
  // table counts them (hotlinePhoneAppointments), the appointment table does not.
  'appointmentsPhone12320',
  // The 12320 hotline, at its centre: calls accepted by category, and work orders by source.
  'hotlineCalls',
  'hotlineConsultations',
  'hotlineMedicalComplaints',
  'hotlinePhoneAppointments',
  'hotlineHumanService',
  'hotlineCrisisInterventions',
  'hotlineSelfServiceVoice',
  'workOrdersCity12345',
  'workOrdersProvince12345',
  'workOrdersDirect',
  'workOrdersClosed',
  // The bulletin's headline counters, by the organization whose act moved them: archives the
  // master patient index opened, identifiers it holds, record look-ups by clinicians, duplicate-
  // test reminders shown. Their seeded baselines are in the opening balance.
  'residentArchives',
  'masterIndexEntries',
  'archiveLookups',
  'smartReminders',
  // Opening balance only: validated records no longer under management (versions superseded
  // before the platform counted them), so data under management = validated records + this.
  'managedRecordsAdjustment',
  // Smart reminders, at the organization they reached: critical results pushed to its inbox and
  // acknowledged there (of those, after they escalated), duplicate medication warned at prescribing.
  'criticalResultAlerts',
  'criticalResultsAcknowledged',
  'criticalResultsAcknowledgedLate',
  'duplicateMedicationWarnings',
  // Overdue follow-ups listed to a family doctor's centre: reminders served there, one per item shown.
  'overdueFollowUpReminders',
  // One-stop settlement, at the institution that settled: settlements and refunds made, and
  // their amounts in fen net of refunds (a refund's amounts are negative).
  'settlements',
  'settlementRefunds',
  'settlementTotalFen',
  'settlementInsuranceFen',
  'settlementSelfPaidFen',
  // Check-ups booked at a centre, on the day booked (a cancellation takes its booking back).
  'checkupBookings',
] as const;
export type ActivityCounter = (typeof ACTIVITY_COUNTERS)[number];
export type ActivityCounts = Partial<Record<ActivityCounter, number>>;

/** Something accepted at the platform: what it counts, for whom, when. */
export interface ActivityEntry {
  organizationCode: string;
  at: Date;
  counts?: ActivityCounts;
  /** A real-time form it fed (a code of the forms catalogue). */
  realtimeForm?: string;
  /** Several forms at once (an outpatient visit with its charges feeds registration and settlement). */
  realtimeForms?: readonly string[];
}

/** The organization code under which the whole city's totals are kept. */
export const CITY = '*';
/**
 * `opening`: the city's verified records and appointments from before the platform counted
 * them here, one document (`*|opening`) whose month is the last month it covers.
 */
export const ACTIVITY_PERIODS = ['day', 'month', 'opening'] as const;
export type ActivityPeriod = (typeof ACTIVITY_PERIODS)[number];

export type ActivityRollupDoc = {
  _id: string;
  organizationCode: string;
  period: ActivityPeriod;
  /** YYYY-MM. */
  month: string;
  /** YYYY-MM-DD for day documents, null for month documents. */
  day: string | null;
  /** Real-time form codes that arrived in the period. */
  forms: string[];
  /** Month documents: the days (YYYY-MM-DD) with at least one real-time upload. */
  realtimeDays: string[];
  /** Figures the demo city seeded rather than counted: the bulletin's month, or months derived from it. */
  seeded?: (typeof SEEDED_FROM)[number];
} & ActivityCounts;

export const SEEDED_FROM = ['BULLETIN', 'DERIVED'] as const;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The city's calendar day (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
export function cityDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export const rollupId = (organizationCode: string, period: string) => `${organizationCode}|${period}`;

const counterFields = Object.fromEntries(ACTIVITY_COUNTERS.map((counter) => [counter, { type: Number }]));
const rollupSchema = new Schema<ActivityRollupDoc>(
  {
    _id: { type: String, required: true },
    organizationCode: { type: String, required: true },
    period: { type: String, enum: ACTIVITY_PERIODS, required: true },
    month: { type: String, required: true },
    day: { type: String, default: null },
    forms: { type: [String], default: undefined },
    realtimeDays: { type: [String], default: undefined },
    seeded: { type: String, enum: SEEDED_FROM },
    ...counterFields,
  },
  { collection: 'activityRollups', versionKey: false, id: false },
);
// A month's table: every organization's month document.
rollupSchema.index({ period: 1, month: 1, organizationCode: 1 });
// One organization's (or the city's) months for a trend, or days of a month.
rollupSchema.index({ organizationCode: 1, period: 1, month: 1 });

export type ActivityStoreModels = ReturnType<typeof registerActivityStoreModels>;

export function registerActivityStoreModels(connection: Connection) {
  return { ActivityRollup: connection.model('ActivityRollup', rollupSchema) };
}

export function activityDatabaseName(prefix: string): string {
  return `${prefix}_monitoring`;
}

/** The rollup updates a batch of entries makes, merged per document. */
export function rollupUpdates(entries: readonly ActivityEntry[]): AnyBulkWriteOperation<ActivityRollupDoc>[] {
  interface Pending {
    organizationCode: string;
    period: ActivityPeriod;
    month: string;
    day: string | null;
    counts: Map<string, number>;
    forms: Set<string>;
    realtimeDays: Set<string>;
  }
  const pending = new Map<string, Pending>();
  for (const entry of entries) {
    const day = cityDay(entry.at);
    const month = day.slice(0, 7);
    const forms = [...(entry.realtimeForm ? [entry.realtimeForm] : []), ...(entry.realtimeForms ?? [])];
    const realtime = (entry.counts?.realtimeRecords ?? 0) > 0 || forms.length > 0;
    for (const organizationCode of entry.organizationCode === CITY ? [CITY] : [entry.organizationCode, CITY]) {
      for (const [period, key] of [
        ['day', day],
        ['month', month],
      ] as const) {
        const _id = rollupId(organizationCode, key);
        let doc = pending.get(_id);
        if (!doc) {
          doc = { organizationCode, period, month, day: period === 'day' ? day : null, counts: new Map(), forms: new Set(), realtimeDays: new Set() };
          pending.set(_id, doc);
        }
        for (const [counter, value] of Object.entries(entry.counts ?? {})) {
          if (!Number.isSafeInteger(value)) throw new Error(`Activity counter ${counter} must be an integer`);
          doc.counts.set(counter, (doc.counts.get(counter) ?? 0) + value);
        }
        for (const form of forms) doc.forms.add(form);
        if (realtime && period === 'month') doc.realtimeDays.add(day);
      }
    }
  }
  return [...pending].map(([_id, doc]) => {
    const update: Record<string, unknown> = { $setOnInsert: { organizationCode: doc.organizationCode, period: doc.period, month: doc.month, day: doc.day } };
    if (doc.counts.size > 0) update.$inc = Object.fromEntries(doc.counts);
    const addToSet: Record<string, unknown> = {};
    if (doc.forms.size > 0) addToSet.forms = { $each: [...doc.forms] };
    if (doc.realtimeDays.size > 0) addToSet.realtimeDays = { $each: [...doc.realtimeDays] };
    if (Object.keys(addToSet).length > 0) update.$addToSet = addToSet;
    return { updateOne: { filter: { _id }, update: update as never, upsert: true } };
  });
}

/** Counting and reading the rollups, for every subgraph's repositories. */
export class ActivityStore {
  /** Entries waiting for the write in progress to finish, with their requests' callbacks. */
  private waiting: { entries: readonly ActivityEntry[]; done: (error?: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly models: ActivityStoreModels) {}

  /**
   * Adds entries to their day and month rollups, the organization's and the city's: one bulk
   * write whatever the number of entries. Idempotency is the caller's: pass only what was
   * newly accepted (or the difference a changed record makes). Resolves once they are written.
   *
   * A process writes one bulk at a time, and requests that arrive meanwhile are merged into the
   * next one: every request of a hospital updates the same day and month documents (and every
   * request of the city the city's), and the embedded FerretDB stalls for minutes under a few
   * dozen concurrent upserts of one document (measured: 40 at once with forms had not finished
   * after 2 minutes; 20 plain increments took 0.13 s). Merging also makes a busy minute cost a
   * handful of writes.
   */
  record(entries: readonly ActivityEntry[]): Promise<void> {
    const counted = entries.filter((entry) => entry.organizationCode);
    if (counted.length === 0) return Promise.resolve();
    // A bad entry fails its own request here, not the others merged into the same write.
    try {
      rollupUpdates(counted);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ entries: counted, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0);
      try {
        await this.write(batch.flatMap((request) => request.entries));
        for (const request of batch) request.done();
      } catch (error) {
        for (const request of batch) request.done(error ?? new Error('activity write failed'));
      }
    }
    this.writing = false;
  }

  private async write(entries: readonly ActivityEntry[]): Promise<void> {
    let operations = rollupUpdates(entries);
    // Two processes' first writes to one document can race on its _id; the loser's remaining
    // updates run again and now find the document (the ones before it were applied, ordered).
    for (let attempt = 0; operations.length > 0; attempt++) {
      try {
        await this.models.ActivityRollup.bulkWrite(operations, { ordered: true });
        return;
      } catch (error) {
        const failedAt = (error as { writeErrors?: { index?: number }[] }).writeErrors?.[0]?.index;
        if (!isDuplicateKey(error) || failedAt === undefined || attempt >= 3) throw error;
        operations = operations.slice(failedAt);
      }
    }
  }

  /** Every organization's month document (the city's included) for a month. */
  monthRows(month: string): Promise<ActivityRollupDoc[]> {
    return this.models.ActivityRollup.find({ period: 'month', month }).batchSize(RECORDS_BATCH_SIZE).lean<ActivityRollupDoc[]>().exec();
  }

  /** An organization's (or the city's, CITY) month documents from `from` to `to` (YYYY-MM, inclusive). */
  monthsOf(organizationCode: string, from: string, to: string): Promise<ActivityRollupDoc[]> {
    return this.models.ActivityRollup.find({ organizationCode, period: 'month', month: operator({ $gte: from, $lte: to }) })
      .sort({ month: 1 })
      .lean<ActivityRollupDoc[]>()
      .exec();
  }

  /** The day documents of a month of some organizations (or of the city, [CITY]): one query, in one batch. */
  async daysOf(organizationCodes: readonly string[], month: string): Promise<ActivityRollupDoc[]> {
    if (organizationCodes.length === 0) return [];
    return this.models.ActivityRollup.find({ organizationCode: oneOf(organizationCodes), period: 'day', month })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ActivityRollupDoc[]>()
      .exec();
  }

  /**
   * Patients in hospital at the end of `month`, per organization (the city as CITY): its opening
   * census plus every month's admissions less discharges up to it. One query on the month and
   * opening documents, three counters each, added up here (the embedded database's $group sums
   * nothing of these documents); a document per organization and month, so the read grows with
   * the history (about 200 a month for the demo city) and a yearly opening census would bound it.
   */
  async inpatientsThrough(month: string, organizationCodes: readonly string[] | 'every'): Promise<Map<string, number>> {
    const rows = await this.models.ActivityRollup.find(
      {
        ...(organizationCodes === 'every' ? {} : { organizationCode: oneOf(organizationCodes) }),
        period: oneOf(['month', 'opening']),
        month: operator({ $lte: month }),
      },
      { organizationCode: 1, inpatientsOpening: 1, admissions: 1, discharges: 1 },
    )
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ActivityRollupDoc[]>()
      .exec();
    const census = new Map<string, number>();
    for (const row of rows)
      census.set(row.organizationCode, (census.get(row.organizationCode) ?? 0) + (row.inpatientsOpening ?? 0) + (row.admissions ?? 0) - (row.discharges ?? 0));
    return census;
  }

  /**
   * The city's counters summed over every month up to and including `month` and the opening
   * balance: the cumulative figures. One query on the city's month documents, a dozen a year.
   */
  async cityCumulativeThrough(month: string, counters: readonly ActivityCounter[]): Promise<Partial<Record<ActivityCounter, number>>> {
    const projection = Object.fromEntries([['month', 1], ...counters.map((counter) => [counter, 1])]);
    const rows = await this.models.ActivityRollup.find({ organizationCode: CITY, period: oneOf(['month', 'opening']) }, projection)
      .lean<ActivityRollupDoc[]>()
      .exec();
    const through = rows.filter((row) => row.month <= month);
    return Object.fromEntries(counters.map((counter) => [counter, through.reduce((sum, row) => sum + (row[counter] ?? 0), 0)]));
  }
}
