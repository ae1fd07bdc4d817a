/**
 * The platform's history, as the activity rollups the cockpit reads: the bulletin's month
 * (September 2024), every figure of its data-collection and appointment tables spread over the
 * month's days, so the cockpit reproduces the bulletin exactly; and the eleven months before it
 * (October 2023 – August 2024), derived from September by the rule of activity-history.ts, so
 * trends have a shape. Millions of raw records cannot be seeded; what is seeded is what the
 * platform would have counted. Pure and deterministic.
 *
 * - The hospital table's rows belong to the city-level hospitals of the same name.
 * - A district's row belongs to the units that upload through its platform: it is split over
 *   the district's community health centres (each with the district's real-time days and forms).
 * - Real-time upload days are the first N days of the month; the forms are the first N of the
 *   catalogue. Each real-time day carries one real-time record per visit and discharge.
 * - Admissions and days in hospital, which the bulletin does not give, are derived (see
 *   activity-history.ts), in September too.
 * - Verified records are the month's scheduled and real-time records; what the city verified
 *   before the twelve months is one opening balance, so the cumulative total through September
 *   matches the bulletin's headline. Appointments are counted by channel from September 2024
 *   only: the opening balance is the bulletin's cumulative minus the month's appointment table,
 *   so the month's bookings bring it to the bulletin's 34,185,584.
 * - Online platforms are city totals only (the bulletin does not split them by hospital).
 * - The headline counters (archives, master-index entries, look-ups, reminders, data under
 *   management) are the opening balance: the bulletin gives them up to its month only.
 * - The hotline table belongs to the 12320 hotline centre: calls by category (phone
 *   appointments among them) and work orders by source, spread over the month's days.
 * - Each unit with stays has an opening census (its patients in hospital before October 2023),
 *   and the city the sum of them, in opening documents (activity-history.ts).
 * - Every seeded document says where its figures come from (`seeded`: BULLETIN or DERIVED).
 */

import { type ActivityCounter, type ActivityRollupDoc, CITY, rollupId } from '../../monitoring/activity-store';
import { REALTIME_FORMS } from '../../monitoring/realtime-forms';
import { admissionsAndStaysOf, BULLETIN_MONTH, daysIn, HISTORY_MONTHS, openingCensusOf, scaledCounts } from './activity-history';
import type { OrganizationSeed } from './city';
import bulletin from './nanjing-2024-09.json';

const BILLION = 1_000_000_000;

/** Thousand yuan with two decimals, as the bulletin prints it, in fen. */
export const fenOfThousandYuan = (value: number) => Math.round(value * 100) * 1000;

/** `total` in `parts` whole shares that add up to it exactly (the first ones one larger). */
export function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => base + (index < total - base * parts ? 1 : 0));
}

interface UnitMonth {
  organizationCode: string;
  cityLevel: boolean;
  counts: Partial<Record<ActivityCounter, number>>;
  realtimeDays: number;
  forms: number;
}

type BulletinUnit = (typeof bulletin.dataCollectionByHospital)[number];

function countsOf(unit: BulletinUnit): Partial<Record<ActivityCounter, number>> {
  return {
    scheduledUploadRecords: unit.scheduledUploadRecords,
    outpatientVisits: unit.outpatientVisits,
    discharges: unit.discharges,
    ...(unit.outpatientRevenueThousandYuan === null ? {} : { outpatientRevenueFen: fenOfThousandYuan(unit.outpatientRevenueThousandYuan) }),
    ...(unit.inpatientRevenueThousandYuan === null ? {} : { inpatientRevenueFen: fenOfThousandYuan(unit.inpatientRevenueThousandYuan) }),
  };
}

/** Every unit's month as the bulletin gives it. */
function unitMonths(organizations: readonly OrganizationSeed[]): UnitMonth[] {
  const byName = new Map(organizations.map((organization) => [organization.name, organization]));
  const codeOf = (name: string) => {
    const organization = byName.get(name);
    if (!organization) throw new Error(`The bulletin's ${name} is not a seeded organization`);
    return organization.code;
  };
  const units: UnitMonth[] = bulletin.dataCollectionByHospital.map((hospital) => ({
    organizationCode: codeOf(hospital.name),
    cityLevel: true,
    counts: countsOf(hospital),
    realtimeDays: hospital.realtimeUploadDays,
    forms: hospital.realtimeFormsUploaded,
  }));
  for (const district of bulletin.dataCollectionByDistrict) {
    const centres = organizations.filter((organization) => organization.level === 'COMMUNITY' && organization.district === district.name);
    if (centres.length === 0) throw new Error(`No community centre in ${district.name}`);
    const shares = Object.entries(countsOf(district)).map(([counter, value]) => [counter, split(value, centres.length)] as const);
    for (const [index, centre] of centres.entries()) {
      units.push({
        organizationCode: centre.code,
        cityLevel: false,
        counts: Object.fromEntries(shares.map(([counter, values]) => [counter, values[index]!])),
        realtimeDays: district.realtimeUploadDays,
        forms: district.realtimeFormsUploaded,
      });
    }
  }
  const appointments = new Map(
    bulletin.appointmentsByHospital.map((hospital) => [
      codeOf(hospital.name),
      {
        appointmentsOnline12320: hospital.online12320,
        appointmentsQuick: hospital.quick,
        appointmentsInClinic: hospital.inClinic,
        appointmentsThirdParty: hospital.thirdParty,
      },
    ]),
  );
  for (const unit of units) Object.assign(unit.counts, appointments.get(unit.organizationCode) ?? {});
  for (const [organizationCode, counts] of appointments) {
    if (!units.some((unit) => unit.organizationCode === organizationCode))
      units.push({ organizationCode, cityLevel: false, counts: { ...counts }, realtimeDays: 0, forms: 0 });
  }
  units.push(hotlineMonthOf(organizations));
  for (const unit of units) {
    const realtime = unit.realtimeDays > 0 ? Math.max(unit.realtimeDays, (unit.counts.outpatientVisits ?? 0) + (unit.counts.discharges ?? 0)) : 0;
    unit.counts.realtimeRecords = realtime;
    unit.counts.verifiedRecords = (unit.counts.scheduledUploadRecords ?? 0) + realtime;
    Object.assign(unit.counts, admissionsAndStaysOf(unit.counts.discharges ?? 0, unit.cityLevel));
  }
  return units;
}

/** The hotline centre's month: the bulletin's hotline table, cell by cell. */
function hotlineMonthOf(organizations: readonly OrganizationSeed[]): UnitMonth {
  const centre = organizations.find((organization) => organization.level === 'HOTLINE');
  if (!centre) throw new Error('The 12320 hotline centre is not a seeded organization');
  const hotline = bulletin.hotline12320;
  return {
    organizationCode: centre.code,
    cityLevel: false,
    counts: {
      hotlineCalls: hotline.calls,
      hotlineConsultations: hotline.consultations,
      hotlineMedicalComplaints: hotline.medicalComplaints,
      hotlinePhoneAppointments: hotline.phoneAppointments,
      hotlineHumanService: hotline.humanService,
      hotlineCrisisInterventions: hotline.psychologicalCrisisIntervention,
      hotlineSelfServiceVoice: hotline.selfServiceVoiceQA,
      workOrdersCity12345: hotline.city12345Tickets,
      workOrdersProvince12345: hotline.province12345Tickets,
      workOrdersDirect: hotline.ownTickets,
    },
    realtimeDays: 0,
    forms: 0,
  };
}

/** A unit's month derived from its September: figures of care and uploads scaled, no appointments (not counted by channel then). */
function derivedUnit(unit: UnitMonth, month: string): UnitMonth {
  const counts = scaledCounts(unit.counts, month);
  const realtimeDays = Math.min(unit.realtimeDays, daysIn(month));
  const realtime = realtimeDays > 0 ? Math.max(realtimeDays, (counts.outpatientVisits ?? 0) + (counts.discharges ?? 0)) : 0;
  if (realtime > 0) counts.realtimeRecords = realtime;
  else delete counts.realtimeRecords;
  counts.verifiedRecords = (counts.scheduledUploadRecords ?? 0) + realtime;
  return { ...unit, counts, realtimeDays };
}

const dayOf = (month: string, index: number) => `${month}-${String(index + 1).padStart(2, '0')}`;
type Seeded = NonNullable<ActivityRollupDoc['seeded']>;

/** One unit's day documents: each counter split over the month's days (real-time records over its real-time days). */
function dayDocsOf(unit: UnitMonth, month: string, seeded: Seeded): ActivityRollupDoc[] {
  const docs: ActivityRollupDoc[] = [];
  const days = daysIn(month);
  const forms = REALTIME_FORMS.slice(0, unit.forms).map((form) => form.code);
  const perDay = Object.entries(unit.counts).map(
    ([counter, value]) => [counter, counter === 'realtimeRecords' ? split(value, unit.realtimeDays || 1) : split(value, days)] as const,
  );
  for (let index = 0; index < days; index++) {
    const counts = Object.fromEntries(perDay.flatMap(([counter, values]) => (values[index] === undefined ? [] : [[counter, values[index]!]])));
    const realtime = index < unit.realtimeDays;
    if (!realtime) delete counts.realtimeRecords;
    docs.push({
      _id: rollupId(unit.organizationCode, dayOf(month, index)),
      organizationCode: unit.organizationCode,
      period: 'day',
      month,
      day: dayOf(month, index),
      seeded,
      // Every form arrives on the first day; each real-time day brings the first one again.
      forms: realtime ? (index === 0 ? forms : forms.slice(0, 1)) : [],
      realtimeDays: [],
      ...counts,
    });
  }
  return docs;
}

function monthDocOf(
  organizationCode: string,
  month: string,
  seeded: Seeded,
  counts: Partial<Record<ActivityCounter, number>>,
  realtimeDays: string[],
  forms: string[],
): ActivityRollupDoc {
  return {
    _id: rollupId(organizationCode, month),
    organizationCode,
    period: 'month',
    month,
    day: null,
    seeded,
    forms,
    realtimeDays,
    ...counts,
  };
}

/** Adds up documents' counters (absent stays absent). */
function sumCounts(docs: readonly Partial<Record<ActivityCounter, number>>[]): Partial<Record<ActivityCounter, number>> {
  const total: Partial<Record<ActivityCounter, number>> = {};
  for (const doc of docs) for (const [counter, value] of Object.entries(doc) as [ActivityCounter, number][]) total[counter] = (total[counter] ?? 0) + value;
  return total;
}

const countsIn = (doc: ActivityRollupDoc): Partial<Record<ActivityCounter, number>> => {
  const { _id, organizationCode, period, month, day, forms, realtimeDays, seeded, ...counts } = doc;
  return counts as Partial<Record<ActivityCounter, number>>;
};

/** Appointments booked before the bulletin's month: its cumulative less the month's appointment table. */
const APPOINTMENTS_BEFORE_BULLETIN_MONTH =
  bulletin.headline.appointmentsCumulative - bulletin.appointmentsByHospital.reduce((sum, hospital) => sum + hospital.total, 0);

/** The opening balance: what the city verified and booked before the seeded months, given what they verified. */
function openingBalanceOf(monthsVerifiedRecords: number, inpatients: number): ActivityRollupDoc {
  return {
    _id: rollupId(CITY, 'opening'),
    organizationCode: CITY,
    period: 'opening',
    month: OPENING_MONTH,
    day: null,
    forms: [],
    realtimeDays: [],
    seeded: 'DERIVED',
    verifiedRecords: Math.round(bulletin.headline.validatedRecordsBillionsCumulative * BILLION) - monthsVerifiedRecords,
    appointmentsOpeningBalance: APPOINTMENTS_BEFORE_BULLETIN_MONTH,
    // The headline counters up to the bulletin's month; live events add to them from there.
    residentArchives: bulletin.headline.residentHealthArchives,
    masterIndexEntries: bulletin.headline.masterPatientIndexEntries,
    archiveLookups: bulletin.headline.healthArchiveLookupsCumulative,
    smartReminders: bulletin.headline.smartRemindersCumulative,
    managedRecordsAdjustment: Math.round((bulletin.headline.platformRecordsBillions - bulletin.headline.validatedRecordsBillionsCumulative) * BILLION),
    inpatientsOpening: inpatients,
  };
}

/** A unit's opening document: its patients in hospital before the seeded months. */
function openingCensusDocOf(unit: UnitMonth): ActivityRollupDoc {
  return {
    _id: rollupId(unit.organizationCode, 'opening'),
    organizationCode: unit.organizationCode,
    period: 'opening',
    month: OPENING_MONTH,
    day: null,
    forms: [],
    realtimeDays: [],
    seeded: 'DERIVED',
    inpatientsOpening: openingCensusOf(unit.counts.inpatientDays ?? 0),
  };
}

/** The last month the opening balance covers: the one before the first seeded month. */
const OPENING_MONTH = '2023-09';

/** One month's documents: every unit's days and month, and the city's. */
function monthDocsOf(units: readonly UnitMonth[], month: string, seeded: Seeded, cityExtra: Partial<Record<ActivityCounter, number>>): ActivityRollupDoc[] {
  const docs: ActivityRollupDoc[] = [];
  const cityDays = new Map<string, ActivityRollupDoc[]>();
  for (const unit of units) {
    const days = dayDocsOf(unit, month, seeded);
    docs.push(...days);
    for (const day of days) cityDays.set(day.day!, [...(cityDays.get(day.day!) ?? []), day]);
    const forms = REALTIME_FORMS.slice(0, unit.forms).map((form) => form.code);
    docs.push(
      monthDocOf(
        unit.organizationCode,
        month,
        seeded,
        sumCounts(days.map(countsIn)),
        Array.from({ length: unit.realtimeDays }, (_, index) => dayOf(month, index)),
        forms,
      ),
    );
  }
  const cityDayDocs = [...cityDays].map(([day, dayDocs]): ActivityRollupDoc => {
    const forms = [...new Set(dayDocs.flatMap((doc) => doc.forms))];
    return {
      _id: rollupId(CITY, day),
      organizationCode: CITY,
      period: 'day',
      month,
      day,
      seeded,
      forms,
      realtimeDays: [],
      ...sumCounts(dayDocs.map(countsIn)),
    };
  });
  const cityCounts = { ...sumCounts(cityDayDocs.map(countsIn)), ...cityExtra };
  const cityDaysWithRealtime = cityDayDocs.filter((doc) => (doc.realtimeRecords ?? 0) > 0).map((doc) => doc.day!);
  const cityMonth = monthDocOf(CITY, month, seeded, cityCounts, cityDaysWithRealtime, [...new Set(cityDayDocs.flatMap((doc) => doc.forms))]);
  return [...docs, ...cityDayDocs, cityMonth];
}

/** The rollup documents of the twelve seeded months (the bulletin's and the eleven derived before it), and the opening balance before them. */
export function bulletinHistoryOf(organizations: readonly OrganizationSeed[]): ActivityRollupDoc[] {
  const units = unitMonths(organizations);
  const platforms = Object.fromEntries(
    bulletin.onlineAppointmentChannels.map((channel, index) => [
      (['platformHealthyNanjingApp', 'platformWechat12320', 'platformMyNanjingApp', 'platformQuickBooking12320', 'platformWebsite12320'] as const)[index]!,
      channel.appointments,
    ]),
  );
  const docs = [
    ...HISTORY_MONTHS.flatMap((month) =>
      monthDocsOf(
        units.map((unit) => derivedUnit(unit, month)),
        month,
        'DERIVED',
        {},
      ),
    ),
    ...monthDocsOf(units, BULLETIN_MONTH, 'BULLETIN', platforms),
  ];
  const verified = docs.filter((doc) => doc.organizationCode === CITY && doc.period === 'month').reduce((sum, doc) => sum + (doc.verifiedRecords ?? 0), 0);
  const openings = units.filter((unit) => (unit.counts.inpatientDays ?? 0) > 0).map(openingCensusDocOf);
  const inpatients = openings.reduce((sum, doc) => sum + (doc.inpatientsOpening ?? 0), 0);
  return [...docs, ...openings, openingBalanceOf(verified, inpatients)];
}
