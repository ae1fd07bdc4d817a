/**
 * The platform's history for September 2024, as the activity rollups the cockpit reads: every
 * figure of the bulletin's data-collection and appointment tables, spread over the month's
 * days, so the cockpit reproduces the bulletin exactly. Millions of raw records cannot be
 * seeded; what is seeded is what the platform would have counted. Pure and deterministic.
 *
 * - The hospital table's rows belong to the city-level hospitals of the same name.
 * - A district's row belongs to the units that upload through its platform: it is split over
 *   the district's community health centres (each with the district's real-time days and forms).
 * - Real-time upload days are the first N days of the month; the forms are the first N of the
 *   catalogue. Each real-time day carries one real-time record per visit and discharge.
 * - Verified records are the month's scheduled and real-time records; what the city verified
 *   before is one opening balance, so the cumulative total matches the bulletin's headline.
 *   Appointments likewise: the opening balance is the bulletin's cumulative minus the month's
 *   appointment table, so the month's bookings bring it to the bulletin's 34,185,584.
 * - Online platforms are city totals only (the bulletin does not split them by hospital).
 * - The headline counters (archives, master-index entries, look-ups, reminders, data under
 *   management) are the opening balance: the bulletin gives them up to its month only.
 * - The hotline table belongs to the 12320 hotline centre: calls by category (phone
 *   appointments among them) and work orders by source, spread over the month's days.
 */

import { type ActivityCounter, type ActivityRollupDoc, CITY, rollupId } from '../../monitoring/activity-store';
import { REALTIME_FORMS } from '../../monitoring/realtime-forms';
import type { OrganizationSeed } from './city';
import bulletin from './nanjing-2024-09.json';

export const BULLETIN_MONTH = '2024-09';
const DAYS_IN_MONTH = 30;
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
    if (!units.some((unit) => unit.organizationCode === organizationCode)) units.push({ organizationCode, counts: { ...counts }, realtimeDays: 0, forms: 0 });
  }
  units.push(hotlineMonthOf(organizations));
  for (const unit of units) {
    const realtime = unit.realtimeDays > 0 ? Math.max(unit.realtimeDays, (unit.counts.outpatientVisits ?? 0) + (unit.counts.discharges ?? 0)) : 0;
    unit.counts.realtimeRecords = realtime;
    unit.counts.verifiedRecords = (unit.counts.scheduledUploadRecords ?? 0) + realtime;
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

const dayOf = (index: number) => `${BULLETIN_MONTH}-${String(index + 1).padStart(2, '0')}`;

/** One unit's day documents: each counter split over the month's days (real-time records over its real-time days). */
function dayDocsOf(unit: UnitMonth): ActivityRollupDoc[] {
  const docs: ActivityRollupDoc[] = [];
  const forms = REALTIME_FORMS.slice(0, unit.forms).map((form) => form.code);
  const perDay = Object.entries(unit.counts).map(
    ([counter, value]) => [counter, counter === 'realtimeRecords' ? split(value, unit.realtimeDays || 1) : split(value, DAYS_IN_MONTH)] as const,
  );
  for (let index = 0; index < DAYS_IN_MONTH; index++) {
    const counts = Object.fromEntries(perDay.flatMap(([counter, values]) => (values[index] === undefined ? [] : [[counter, values[index]!]])));
    const realtime = index < unit.realtimeDays;
    if (!realtime) delete counts.realtimeRecords;
    docs.push({
      _id: rollupId(unit.organizationCode, dayOf(index)),
      organizationCode: unit.organizationCode,
      period: 'day',
      month: BULLETIN_MONTH,
      day: dayOf(index),
      // Every form arrives on the first day; each real-time day brings the first one again.
      forms: realtime ? (index === 0 ? forms : forms.slice(0, 1)) : [],
      realtimeDays: [],
      ...counts,
    });
  }
  return docs;
}

function monthDocOf(organizationCode: string, counts: Partial<Record<ActivityCounter, number>>, realtimeDays: string[], forms: string[]): ActivityRollupDoc {
  return {
    _id: rollupId(organizationCode, BULLETIN_MONTH),
    organizationCode,
    period: 'month',
    month: BULLETIN_MONTH,
    day: null,
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
  const { _id, organizationCode, period, month, day, forms, realtimeDays, ...counts } = doc;
  return counts as Partial<Record<ActivityCounter, number>>;
};

/** Appointments booked before the bulletin's month: its cumulative less the month's appointment table. */
const APPOINTMENTS_BEFORE_BULLETIN_MONTH =
  bulletin.headline.appointmentsCumulative - bulletin.appointmentsByHospital.reduce((sum, hospital) => sum + hospital.total, 0);

/** The opening balance: what the city verified and booked before the bulletin's month, given what the month verified. */
function openingBalanceOf(monthVerifiedRecords: number): ActivityRollupDoc {
  return {
    _id: rollupId(CITY, 'opening'),
    organizationCode: CITY,
    period: 'opening',
    month: '2024-08',
    day: null,
    forms: [],
    realtimeDays: [],
    verifiedRecords: Math.round(bulletin.headline.validatedRecordsBillionsCumulative * BILLION) - monthVerifiedRecords,
    appointmentsOpeningBalance: APPOINTMENTS_BEFORE_BULLETIN_MONTH,
    // The headline counters up to the bulletin's month; live events add to them from there.
    residentArchives: bulletin.headline.residentHealthArchives,
    masterIndexEntries: bulletin.headline.masterPatientIndexEntries,
    archiveLookups: bulletin.headline.healthArchiveLookupsCumulative,
    smartReminders: bulletin.headline.smartRemindersCumulative,
    managedRecordsAdjustment: Math.round((bulletin.headline.platformRecordsBillions - bulletin.headline.validatedRecordsBillionsCumulative) * BILLION),
  };
}

/** The rollup documents of the bulletin's month, and the opening balance before it. */
export function bulletinHistoryOf(organizations: readonly OrganizationSeed[]): ActivityRollupDoc[] {
  const docs: ActivityRollupDoc[] = [];
  const cityDays = new Map<string, ActivityRollupDoc[]>();
  for (const unit of unitMonths(organizations)) {
    const days = dayDocsOf(unit);
    docs.push(...days);
    for (const day of days) cityDays.set(day.day!, [...(cityDays.get(day.day!) ?? []), day]);
    const forms = REALTIME_FORMS.slice(0, unit.forms).map((form) => form.code);
    docs.push(
      monthDocOf(
        unit.organizationCode,
        sumCounts(days.map(countsIn)),
        Array.from({ length: unit.realtimeDays }, (_, index) => dayOf(index)),
        forms,
      ),
    );
  }
  const platforms = Object.fromEntries(
    bulletin.onlineAppointmentChannels.map((channel, index) => [
      (['platformHealthyNanjingApp', 'platformWechat12320', 'platformMyNanjingApp', 'platformQuickBooking12320', 'platformWebsite12320'] as const)[index]!,
      channel.appointments,
    ]),
  );
  const cityDayDocs = [...cityDays].map(([day, dayDocs]): ActivityRollupDoc => {
    const forms = [...new Set(dayDocs.flatMap((doc) => doc.forms))];
    return {
      _id: rollupId(CITY, day),
      organizationCode: CITY,
      period: 'day',
      month: BULLETIN_MONTH,
      day,
      forms,
      realtimeDays: [],
      ...sumCounts(dayDocs.map(countsIn)),
    };
  });
  const cityCounts = { ...sumCounts(cityDayDocs.map(countsIn)), ...platforms };
  const cityDaysWithRealtime = cityDayDocs.filter((doc) => (doc.realtimeRecords ?? 0) > 0).map((doc) => doc.day!);
  const cityMonth = monthDocOf(CITY, cityCounts, cityDaysWithRealtime, [...new Set(cityDayDocs.flatMap((doc) => doc.forms))]);
  return [...docs, ...cityDayDocs, cityMonth, openingBalanceOf(cityCounts.verifiedRecords ?? 0)];
}
