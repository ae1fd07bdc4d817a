/**
 * The platform cockpit: the city's monitoring tables, built from the activity rollups every
 * subgraph keeps as records arrive (monitoring/activity-store.ts), never from clinical records. The
 * records subgraph serves it because it knows organizations and their districts, which the
 * rollups do not carry: a district's row is the sum of its organizations' rows.
 *
 * Who sees what: the health commission every row; a hospital's doctors and systems only their
 * own organization's rows. Every row is an aggregate: counts and money, no person.
 */

import { allowsEntry } from '../../access-control/entry-points';
import { requireEntry } from '../../access-control/resident-access';
import type { Viewer } from '../../access-control/viewer';
import { ACTIVITY_COUNTERS, type ActivityCounter, type ActivityRollupDoc, type ActivityStore, CITY } from '../../monitoring/activity-store';
import { REALTIME_FORMS } from '../../monitoring/realtime-forms';
import { badUserInput, forbidden } from '../../platform/errors';
import { organizationCodeOf } from '../runtime/ids';
import { monthOf } from '../runtime/input';
import { INDICATORS, type Indicator, type RankedRow, rankBy } from './cockpit-ranking';
import type { OrganizationDoc } from './models';
import { DISTRICTS, type District, districtNamed } from './validation';

type Figures = Record<Exclude<ActivityCounter, 'outpatientRevenueFen' | 'emergencyRevenueFen' | 'inpatientRevenueFen'>, number>;

/** One row of the cockpit as the API shows it. */
export interface ActivityRowView extends Figures {
  period: string;
  district: string | null;
  organizationCode: string | null;
  realtimeUploadDays: number;
  realtimeForms: string[];
  realtimeFormsUploaded: number;
  realtimeFormsTotal: number;
  /** null: nothing reported a revenue in the row. */
  outpatientRevenueFen: number | null;
  emergencyRevenueFen: number | null;
  inpatientRevenueFen: number | null;
  /** The operations figures, derived from the counters; null when there is nothing to divide. */
  outpatientRevenuePerVisitFen: number | null;
  inpatientRevenuePerDischargeFen: number | null;
  averageStayDays: number | null;
  /** Patients in hospital at the end of the month: cockpitMonth's rows only, null elsewhere. */
  inpatientsAtEnd: number | null;
  /** Whether the demo city seeded the row's figures (DERIVED wins over BULLETIN); null when all were counted. */
  seeded: 'BULLETIN' | 'DERIVED' | null;
}

export interface CockpitMonthView {
  month: string;
  city: ActivityRowView | null;
  districts: ActivityRowView[];
  hospitals: ActivityRowView[];
  organizations: ActivityRowView[];
  verifiedRecordsCumulative: number | null;
}

export interface CockpitRankingView {
  month: string;
  indicator: Indicator;
  districts: RankedRow<ActivityRowView>[];
  hospitals: RankedRow<ActivityRowView>[];
}

export interface PlatformAppointmentsView {
  platform: (typeof PLATFORMS)[number]['platform'];
  name: string;
  appointments: number;
}

/** Appointments by channel, and their sum. */
export interface AppointmentChannelsView {
  online12320: number;
  quick: number;
  inClinic: number;
  thirdParty: number;
  total: number;
}

export interface HospitalAppointmentsView extends AppointmentChannelsView {
  organizationCode: string;
  /** Its online appointments per platform, in the bulletin's order. */
  platforms: PlatformAppointmentsView[];
}

export interface CockpitAppointmentsView {
  month: string;
  hospitals: HospitalAppointmentsView[];
  /** The hospitals' rows added up: the bulletin's 合计 row. */
  hospitalsTotal: AppointmentChannelsView;
  platforms: PlatformAppointmentsView[];
  /** The platforms' rows added up; null for a hospital's callers, who get no platform rows. */
  platformsTotal: number | null;
  /** Appointments booked up to the end of the month, the opening balance included; null for a hospital's callers. */
  appointmentsCumulative: number | null;
}

export interface FormCompletenessView {
  form: (typeof REALTIME_FORMS)[number];
  organizationsReporting: number;
  hospitalsReporting: number;
  hospitalsTotal: number;
}

const REVENUES = ['outpatientRevenueFen', 'emergencyRevenueFen', 'inpatientRevenueFen'] as const;
/** Online platforms, in the bulletin's order, and the counters that hold them. */
const PLATFORMS = [
  { platform: 'HEALTHY_NANJING_APP', name: '健康南京 app', counter: 'platformHealthyNanjingApp' },
  { platform: 'WECHAT_12320', name: '南京卫生12320 WeChat', counter: 'platformWechat12320' },
  { platform: 'MY_NANJING_APP', name: '我的南京 app', counter: 'platformMyNanjingApp' },
  { platform: 'QUICK_BOOKING_12320', name: '12320 quick booking', counter: 'platformQuickBooking12320' },
  { platform: 'WEBSITE_12320', name: '南京卫生12320 website', counter: 'platformWebsite12320' },
] as const;
/** The appointment counters by channel, as the API names them. */
const CHANNELS = [
  ['online12320', 'appointmentsOnline12320'],
  ['quick', 'appointmentsQuick'],
  ['inClinic', 'appointmentsInClinic'],
  ['thirdParty', 'appointmentsThirdParty'],
] as const satisfies readonly (readonly [keyof AppointmentChannelsView, ActivityCounter])[];
/** What the cumulative appointments add up: every channel, and the opening balance (booked before channels were counted). */
const APPOINTMENTS_EVER: readonly ActivityCounter[] = [...CHANNELS.map(([, counter]) => counter), 'appointmentsOpeningBalance'];
const CUMULATIVE_COUNTERS: readonly ActivityCounter[] = ['verifiedRecords', ...APPOINTMENTS_EVER];
const MAX_TREND_MONTHS = 36;
/** City-level hospitals upload to the city platform directly; every other unit through its district's platform. */
const CITY_LEVEL: OrganizationDoc['level'] = 'TERTIARY';

/** The district whose platform an organization uploads through: a district row sums exactly these units. */
function districtPlatformOf(organization: OrganizationDoc | undefined): string | null {
  return organization && organization.level !== CITY_LEVEL ? organization.district : null;
}

/** A document's (or a sum's) appointments by channel, and their total. */
function channelsOf(counts: Partial<Record<ActivityCounter, number>>): AppointmentChannelsView {
  const channels = Object.fromEntries(CHANNELS.map(([channel, counter]) => [channel, counts[counter] ?? 0])) as Omit<AppointmentChannelsView, 'total'>;
  return { ...channels, total: channels.online12320 + channels.quick + channels.inClinic + channels.thirdParty };
}

const sumOf = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function platformsOf(doc: ActivityRollupDoc | undefined): PlatformAppointmentsView[] {
  return PLATFORMS.map(({ platform, name, counter }) => ({ platform, name, appointments: doc?.[counter] ?? 0 }));
}

/** Adds up rollup documents into one row. */
export function rowOf(
  period: string,
  docs: readonly ActivityRollupDoc[],
  where: { district?: string | null; organizationCode?: string | null } = {},
): ActivityRowView {
  const sum = (counter: ActivityCounter) => docs.reduce((total, doc) => total + (doc[counter] ?? 0), 0);
  const reported = (counter: ActivityCounter) => (docs.some((doc) => typeof doc[counter] === 'number') ? sum(counter) : null);
  const figures = Object.fromEntries(
    ACTIVITY_COUNTERS.filter((counter) => !(REVENUES as readonly string[]).includes(counter)).map((counter) => [counter, sum(counter)]),
  ) as Figures;
  const received = new Set(docs.flatMap((doc) => doc.forms ?? []));
  const forms = REALTIME_FORMS.map((form) => form.code).filter((code) => received.has(code));
  const days = new Set(
    docs.flatMap((doc) =>
      doc.period === 'month' ? (doc.realtimeDays ?? []) : (doc.realtimeRecords ?? 0) > 0 || (doc.forms ?? []).length > 0 ? [doc.day!] : [],
    ),
  );
  const outpatientRevenue = reported('outpatientRevenueFen');
  const emergencyRevenue = reported('emergencyRevenueFen');
  const inpatientRevenue = reported('inpatientRevenueFen');
  return {
    ...figures,
    ...operationsOf(figures, outpatientRevenue, emergencyRevenue, inpatientRevenue),
    inpatientsAtEnd: null,
    seeded: docs.some((doc) => doc.seeded === 'DERIVED') ? 'DERIVED' : docs.some((doc) => doc.seeded === 'BULLETIN') ? 'BULLETIN' : null,
    period,
    district: where.district ?? null,
    organizationCode: where.organizationCode ?? null,
    realtimeUploadDays: days.size,
    realtimeForms: forms,
    realtimeFormsUploaded: forms.length,
    realtimeFormsTotal: REALTIME_FORMS.length,
    outpatientRevenueFen: outpatientRevenue,
    emergencyRevenueFen: emergencyRevenue,
    inpatientRevenueFen: inpatientRevenue,
  };
}

const ratio = (numerator: number | null, denominator: number) => (numerator === null || denominator === 0 ? null : numerator / denominator);

/**
 * The operations figures of a row: outpatient revenue per visit as the bulletin counts visits
 * (outpatient and emergency together), inpatient revenue per discharge, and the average stay
 * (days in hospital of the discharged stays per discharge).
 */
function operationsOf(figures: Figures, outpatientRevenue: number | null, emergencyRevenue: number | null, inpatientRevenue: number | null) {
  const visitsRevenue = outpatientRevenue === null && emergencyRevenue === null ? null : (outpatientRevenue ?? 0) + (emergencyRevenue ?? 0);
  return {
    outpatientRevenuePerVisitFen: ratio(visitsRevenue, figures.outpatientVisits + figures.emergencyVisits),
    inpatientRevenuePerDischargeFen: ratio(inpatientRevenue, figures.discharges),
    averageStayDays: ratio(figures.inpatientDays, figures.discharges),
  };
}

function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let key = monthKey(year, month); key <= to; key = monthKey(year, month)) {
    months.push(key);
    if (month === 12) [year, month] = [year + 1, 1];
    else month += 1;
  }
  return months;
}

function daysOfMonth(month: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return Array.from({ length: count }, (_, index) => `${month}-${String(index + 1).padStart(2, '0')}`);
}

/** One row per calendar day of the month, each the sum of that day's documents. */
function rowsPerDay(
  month: string,
  dayDocs: readonly ActivityRollupDoc[],
  where: { district?: string | null; organizationCode?: string | null },
): ActivityRowView[] {
  const byDay = Map.groupBy(dayDocs, (doc) => doc.day!);
  return daysOfMonth(month).map((day) => rowOf(day, byDay.get(day) ?? [], where));
}

/** What the cockpit needs of the records subgraph: organizations, batched per request. */
export interface OrganizationLookup {
  byCode(codes: readonly string[]): Promise<Map<string, OrganizationDoc>>;
  atLevel(level: OrganizationDoc['level']): Promise<OrganizationDoc[]>;
  /** Every organization of a district, whatever its level. */
  inDistrict(district: string): Promise<OrganizationDoc[]>;
}

export class Cockpit {
  constructor(
    private readonly viewer: Viewer,
    private readonly activity: ActivityStore,
    private readonly organizations: OrganizationLookup,
  ) {}

  /** The request's cumulative figures per month: the month table and the appointment tables share one read. */
  private readonly cumulative = new Map<string, Promise<Partial<Record<ActivityCounter, number>>>>();
  private cumulativeThrough(month: string): Promise<Partial<Record<ActivityCounter, number>>> {
    let found = this.cumulative.get(month);
    if (!found) {
      found = this.activity.cityCumulativeThrough(month, CUMULATIVE_COUNTERS);
      this.cumulative.set(month, found);
    }
    return found;
  }

  /** The city for the health commission; a hospital's own organization for its doctors and systems; nobody else. */
  private scope(): { city: true } | { city: false; organizationCode: string } {
    if (allowsEntry(this.viewer, 'cockpit-city')) return { city: true };
    requireEntry(this.viewer, 'cockpit-own-organization');
    return { city: false, organizationCode: this.viewer.organizationCode! };
  }

  /** The organization (or the city, CITY) a trend or a day view is about. */
  private subjectOf(organizationCode: string | null | undefined): string {
    const scope = this.scope();
    const requested = organizationCode === null || organizationCode === undefined ? null : organizationCodeOf(organizationCode);
    if (scope.city) return requested ?? CITY;
    if (requested && requested !== scope.organizationCode) throw forbidden('A hospital sees only its own organization’s figures');
    return scope.organizationCode;
  }

  async month(monthInput: string): Promise<CockpitMonthView> {
    const month = monthOf(monthInput, 'month');
    const scope = this.scope();
    if (!scope.city) {
      const [docs, organizations, census] = await Promise.all([
        this.activity.monthsOf(scope.organizationCode, month, month),
        this.organizations.byCode([scope.organizationCode]),
        this.activity.inpatientsThrough(month, [scope.organizationCode]),
      ]);
      const organization = organizations.get(scope.organizationCode);
      const row = {
        ...rowOf(month, docs, { district: organization?.district, organizationCode: scope.organizationCode }),
        inpatientsAtEnd: census.get(scope.organizationCode) ?? 0,
      };
      return {
        month,
        city: null,
        districts: [],
        hospitals: organization?.level === CITY_LEVEL ? [row] : [],
        organizations: [row],
        verifiedRecordsCumulative: null,
      };
    }
    const [docs, hospitals, cumulative, census] = await Promise.all([
      this.activity.monthRows(month),
      this.organizations.atLevel(CITY_LEVEL),
      this.cumulativeThrough(month),
      this.activity.inpatientsThrough(month, 'every'),
    ]);
    const byOrganization = Map.groupBy(
      docs.filter((doc) => doc.organizationCode !== CITY),
      (doc) => doc.organizationCode,
    );
    const cityLevel = new Set(hospitals.map((hospital) => hospital._id));
    // Units with patients in hospital but nothing this month still count in their district's census.
    const counted = new Set([...byOrganization.keys(), ...census.keys()].filter((code) => code !== CITY));
    const others = await this.organizations.byCode([...counted].filter((code) => !cityLevel.has(code)));
    const known = new Map([...hospitals.map((hospital) => [hospital._id, hospital] as const), ...others]);
    const inHospital = (code: string) => census.get(code) ?? 0;
    const rowOfOrganization = (code: string) => ({
      ...rowOf(month, byOrganization.get(code) ?? [], { district: known.get(code)?.district ?? null, organizationCode: code }),
      inpatientsAtEnd: inHospital(code),
    });
    return {
      month,
      city: {
        ...rowOf(
          month,
          docs.filter((doc) => doc.organizationCode === CITY),
        ),
        inpatientsAtEnd: inHospital(CITY),
      },
      districts: DISTRICTS.map((district) => ({
        ...rowOf(
          month,
          [...byOrganization].filter(([code]) => districtPlatformOf(known.get(code)) === district).flatMap(([, rows]) => rows),
          { district },
        ),
        inpatientsAtEnd: sumOf([...counted].filter((code) => districtPlatformOf(known.get(code)) === district).map(inHospital)),
      })),
      hospitals: hospitals.map((hospital) => rowOfOrganization(hospital._id)),
      organizations: [...byOrganization.keys()].sort().map(rowOfOrganization),
      verifiedRecordsCumulative: cumulative.verifiedRecords ?? 0,
    };
  }

  /** The month's districts and city-level hospitals ranked by one indicator: the health commission's view of the city. */
  async ranking(monthInput: string, indicator: Indicator): Promise<CockpitRankingView> {
    requireEntry(this.viewer, 'cockpit-city');
    const { month, districts, hospitals } = await this.month(monthInput);
    return { month, indicator, districts: rankBy(districts, INDICATORS[indicator]), hospitals: rankBy(hospitals, INDICATORS[indicator]) };
  }

  async trend(fromInput: string, toInput: string, organizationCode: string | null | undefined): Promise<ActivityRowView[]> {
    const from = monthOf(fromInput, 'from');
    const to = monthOf(toInput, 'to');
    if (from > to) throw badUserInput('from must not be after to');
    const months = monthsFrom(from, to);
    if (months.length > MAX_TREND_MONTHS) throw badUserInput(`A trend covers at most ${MAX_TREND_MONTHS} months`);
    const subject = this.subjectOf(organizationCode);
    const [docs, district] = await Promise.all([this.activity.monthsOf(subject, from, to), this.districtOf(subject)]);
    const byMonth = Map.groupBy(docs, (doc) => doc.month);
    return months.map((month) => rowOf(month, byMonth.get(month) ?? [], { district, organizationCode: subject === CITY ? null : subject }));
  }

  /** A month day by day: of the city, one organization, or one district (given at most one of them). */
  async days(monthInput: string, organizationCode: string | null | undefined, districtInput: string | null | undefined): Promise<ActivityRowView[]> {
    const month = monthOf(monthInput, 'month');
    const given = (value: string | null | undefined): value is string => value !== null && value !== undefined;
    if (given(organizationCode) && given(districtInput)) throw badUserInput('Give organizationCode or district, not both');
    if (given(districtInput)) return this.districtDays(month, districtNamed(districtInput));
    const subject = this.subjectOf(organizationCode);
    const [docs, district] = await Promise.all([this.activity.daysOf([subject], month), this.districtOf(subject)]);
    return rowsPerDay(month, docs, { district, organizationCode: subject === CITY ? null : subject });
  }

  /**
   * A district's days: the day documents of the units that upload through its platform, summed
   * here, as its month row is. Two indexed reads (the district's organizations, then their day
   * documents), whatever the number of units. The rollups are not kept per district on write:
   * most writers (labs, prescriptions, referrals) know only an organization code, and the
   * district is the registry's, here; counting it on write would add a registry read to every
   * write and leave stale documents when a unit changes district.
   */
  private async districtDays(month: string, district: District): Promise<ActivityRowView[]> {
    if (!this.scope().city) throw forbidden('District figures are for the health commission');
    const units = (await this.organizations.inDistrict(district)).filter((organization) => districtPlatformOf(organization) === district);
    const docs = await this.activity.daysOf(
      units.map((unit) => unit._id),
      month,
    );
    return rowsPerDay(month, docs, { district });
  }

  async formsCompleteness(monthInput: string): Promise<FormCompletenessView[]> {
    const month = monthOf(monthInput, 'month');
    const scope = this.scope();
    const [docs, hospitals] = scope.city
      ? await Promise.all([this.activity.monthRows(month), this.organizations.atLevel(CITY_LEVEL)])
      : await Promise.all([
          this.activity.monthsOf(scope.organizationCode, month, month),
          this.organizations.byCode([scope.organizationCode]).then((found) => [...found.values()].filter((organization) => organization.level === CITY_LEVEL)),
        ]);
    const cityLevel = new Set(hospitals.map((hospital) => hospital._id));
    const units = docs.filter((doc) => doc.organizationCode !== CITY);
    return REALTIME_FORMS.map((form) => {
      const reporting = units.filter((doc) => (doc.forms ?? []).includes(form.code));
      return {
        form,
        organizationsReporting: reporting.length,
        hospitalsReporting: reporting.filter((doc) => cityLevel.has(doc.organizationCode)).length,
        hospitalsTotal: hospitals.length,
      };
    });
  }

  async appointments(monthInput: string): Promise<CockpitAppointmentsView> {
    const month = monthOf(monthInput, 'month');
    const scope = this.scope();
    const [docs, cumulative] = scope.city
      ? await Promise.all([this.activity.monthRows(month), this.cumulativeThrough(month)])
      : [await this.activity.monthsOf(scope.organizationCode, month, month), null];
    const hospitals = docs
      .filter((doc) => doc.organizationCode !== CITY)
      .map((doc): HospitalAppointmentsView => ({ organizationCode: doc.organizationCode, ...channelsOf(doc), platforms: platformsOf(doc) }))
      .filter((row) => row.total > 0)
      .sort((a, b) => b.total - a.total || a.organizationCode.localeCompare(b.organizationCode));
    const platforms = scope.city ? platformsOf(docs.find((doc) => doc.organizationCode === CITY)) : [];
    return {
      month,
      hospitals,
      hospitalsTotal: {
        ...(Object.fromEntries(CHANNELS.map(([channel]) => [channel, sumOf(hospitals.map((row) => row[channel]))])) as Omit<AppointmentChannelsView, 'total'>),
        total: sumOf(hospitals.map((row) => row.total)),
      },
      platforms,
      platformsTotal: scope.city ? sumOf(platforms.map((row) => row.appointments)) : null,
      appointmentsCumulative: cumulative && sumOf(APPOINTMENTS_EVER.map((counter) => cumulative[counter] ?? 0)),
    };
  }

  private async districtOf(subject: string): Promise<string | null> {
    if (subject === CITY) return null;
    return (await this.organizations.byCode([subject])).get(subject)?.district ?? null;
  }
}

function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}
