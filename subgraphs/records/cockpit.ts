/**
 * The platform cockpit: the city's monitoring tables, built from the activity rollups every
 * subgraph keeps as records arrive (kit/activity-store.ts), never from clinical records. The
 * records subgraph serves it because it knows organizations and their districts, which the
 * rollups do not carry: a district's row is the sum of its organizations' rows.
 *
 * Who sees what: the health commission every row; a hospital's doctors and systems only their
 * own organization's rows. Every row is an aggregate: counts and money, no person.
 */
import { ACTIVITY_COUNTERS, CITY, type ActivityCounter, type ActivityRollupDoc, type ActivityStore } from '../kit/activity-store';
import { badUserInput, forbidden } from '../kit/errors';
import { organizationCodeOf } from '../kit/ids';
import { REALTIME_FORMS } from '../kit/realtime-forms';
import { hasRole, type Viewer } from '../kit/viewer';
import type { OrganizationDoc } from './models';
import { DISTRICTS } from './validation';

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
}

export interface CockpitMonthView {
  month: string;
  city: ActivityRowView | null;
  districts: ActivityRowView[];
  hospitals: ActivityRowView[];
  organizations: ActivityRowView[];
  verifiedRecordsCumulative: number | null;
}

export interface HospitalAppointmentsView {
  organizationCode: string;
  online12320: number;
  quick: number;
  inClinic: number;
  thirdParty: number;
  total: number;
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
const MAX_TREND_MONTHS = 36;
/** City-level hospitals upload to the city platform directly; every other unit through its district's platform. */
const CITY_LEVEL: OrganizationDoc['level'] = 'TERTIARY';

/** Adds up rollup documents into one row. */
export function rowOf(period: string, docs: readonly ActivityRollupDoc[], where: { district?: string | null; organizationCode?: string | null } = {}): ActivityRowView {
  const sum = (counter: ActivityCounter) => docs.reduce((total, doc) => total + (doc[counter] ?? 0), 0);
  const reported = (counter: ActivityCounter) => (docs.some((doc) => typeof doc[counter] === 'number') ? sum(counter) : null);
  const figures = Object.fromEntries(ACTIVITY_COUNTERS.filter((counter) => !(REVENUES as readonly string[]).includes(counter)).map((counter) => [counter, sum(counter)])) as Figures;
  const received = new Set(docs.flatMap((doc) => doc.forms ?? []));
  const forms = REALTIME_FORMS.map((form) => form.code).filter((code) => received.has(code));
  const days = new Set(docs.flatMap((doc) => (doc.period === 'month' ? (doc.realtimeDays ?? []) : (doc.realtimeRecords ?? 0) > 0 || (doc.forms ?? []).length > 0 ? [doc.day!] : [])));
  return {
    ...figures,
    period,
    district: where.district ?? null,
    organizationCode: where.organizationCode ?? null,
    realtimeUploadDays: days.size,
    realtimeForms: forms,
    realtimeFormsUploaded: forms.length,
    realtimeFormsTotal: REALTIME_FORMS.length,
    outpatientRevenueFen: reported('outpatientRevenueFen'),
    emergencyRevenueFen: reported('emergencyRevenueFen'),
    inpatientRevenueFen: reported('inpatientRevenueFen'),
  };
}

export function monthOf(value: string, name = 'month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw badUserInput(`${name} must be a month as YYYY-MM, e.g. 2024-09`);
  return value;
}

function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let [year, month] = from.split('-').map(Number) as [number, number]; `${year}-${String(month).padStart(2, '0')}` <= to; month === 12 ? ((month = 1), year++) : month++) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
  }
  return months;
}

function daysOfMonth(month: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return Array.from({ length: count }, (_, index) => `${month}-${String(index + 1).padStart(2, '0')}`);
}

/** What the cockpit needs of the records subgraph: organizations, batched per request. */
export interface OrganizationLookup {
  byCode(codes: readonly string[]): Promise<Map<string, OrganizationDoc>>;
  atLevel(level: OrganizationDoc['level']): Promise<OrganizationDoc[]>;
}

export class Cockpit {
  constructor(
    private readonly viewer: Viewer,
    private readonly activity: ActivityStore,
    private readonly organizations: OrganizationLookup,
  ) {}

  /** The city for the health commission; a hospital's own organization for its doctors and systems; nobody else. */
  private scope(): { city: true } | { city: false; organizationCode: string } {
    if (hasRole(this.viewer, 'health_commission')) return { city: true };
    if (hasRole(this.viewer, 'doctor', 'hospital_system') && this.viewer.organizationCode) return { city: false, organizationCode: this.viewer.organizationCode };
    throw forbidden('The cockpit is for the health commission and for hospitals (their own rows)');
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
    const month = monthOf(monthInput);
    const scope = this.scope();
    if (!scope.city) {
      const [docs, organizations] = await Promise.all([this.activity.monthsOf(scope.organizationCode, month, month), this.organizations.byCode([scope.organizationCode])]);
      const organization = organizations.get(scope.organizationCode);
      const row = rowOf(month, docs, { district: organization?.district, organizationCode: scope.organizationCode });
      return { month, city: null, districts: [], hospitals: organization?.level === CITY_LEVEL ? [row] : [], organizations: [row], verifiedRecordsCumulative: null };
    }
    const [docs, hospitals, cumulative] = await Promise.all([this.activity.monthRows(month), this.organizations.atLevel(CITY_LEVEL), this.activity.cityVerifiedThrough(month)]);
    const byOrganization = Map.groupBy(
      docs.filter((doc) => doc.organizationCode !== CITY),
      (doc) => doc.organizationCode,
    );
    const cityLevel = new Set(hospitals.map((hospital) => hospital._id));
    const others = await this.organizations.byCode([...byOrganization.keys()].filter((code) => !cityLevel.has(code)));
    const known = new Map([...hospitals.map((hospital) => [hospital._id, hospital] as const), ...others]);
    const districtOf = (code: string) => known.get(code)?.district ?? null;
    const rowOfOrganization = (code: string) => rowOf(month, byOrganization.get(code) ?? [], { district: districtOf(code), organizationCode: code });
    return {
      month,
      city: rowOf(month, docs.filter((doc) => doc.organizationCode === CITY)),
      districts: DISTRICTS.map((district) =>
        rowOf(
          month,
          [...byOrganization].filter(([code]) => !cityLevel.has(code) && districtOf(code) === district).flatMap(([, rows]) => rows),
          { district },
        ),
      ),
      hospitals: hospitals.map((hospital) => rowOfOrganization(hospital._id)),
      organizations: [...byOrganization.keys()].sort().map(rowOfOrganization),
      verifiedRecordsCumulative: cumulative,
    };
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

  async days(monthInput: string, organizationCode: string | null | undefined): Promise<ActivityRowView[]> {
    const month = monthOf(monthInput);
    const subject = this.subjectOf(organizationCode);
    const [docs, district] = await Promise.all([this.activity.daysOf(subject, month), this.districtOf(subject)]);
    const byDay = Map.groupBy(docs, (doc) => doc.day!);
    return daysOfMonth(month).map((day) => rowOf(day, byDay.get(day) ?? [], { district, organizationCode: subject === CITY ? null : subject }));
  }

  async formsCompleteness(monthInput: string): Promise<FormCompletenessView[]> {
    const month = monthOf(monthInput);
    const scope = this.scope();
    const [docs, hospitals] = scope.city
      ? await Promise.all([this.activity.monthRows(month), this.organizations.atLevel(CITY_LEVEL)])
      : await Promise.all([this.activity.monthsOf(scope.organizationCode, month, month), this.organizations.byCode([scope.organizationCode]).then((found) => [...found.values()].filter((organization) => organization.level === CITY_LEVEL))]);
    const cityLevel = new Set(hospitals.map((hospital) => hospital._id));
    const units = docs.filter((doc) => doc.organizationCode !== CITY);
    return REALTIME_FORMS.map((form) => {
      const reporting = units.filter((doc) => (doc.forms ?? []).includes(form.code));
      return { form, organizationsReporting: reporting.length, hospitalsReporting: reporting.filter((doc) => cityLevel.has(doc.organizationCode)).length, hospitalsTotal: hospitals.length };
    });
  }

  async appointments(monthInput: string): Promise<{ month: string; hospitals: HospitalAppointmentsView[]; platforms: { platform: (typeof PLATFORMS)[number]['platform']; name: string; appointments: number }[] }> {
    const month = monthOf(monthInput);
    const scope = this.scope();
    const docs = scope.city ? await this.activity.monthRows(month) : await this.activity.monthsOf(scope.organizationCode, month, month);
    const hospitals = docs
      .filter((doc) => doc.organizationCode !== CITY)
      .map((doc) => {
        const channels = { online12320: doc.appointmentsOnline12320 ?? 0, quick: doc.appointmentsQuick ?? 0, inClinic: doc.appointmentsInClinic ?? 0, thirdParty: doc.appointmentsThirdParty ?? 0 };
        return { organizationCode: doc.organizationCode, ...channels, total: channels.online12320 + channels.quick + channels.inClinic + channels.thirdParty };
      })
      .filter((row) => row.total > 0)
      .sort((a, b) => b.total - a.total || a.organizationCode.localeCompare(b.organizationCode));
    const city = docs.find((doc) => doc.organizationCode === CITY);
    const platforms = scope.city ? PLATFORMS.map(({ platform, name, counter }) => ({ platform, name, appointments: city?.[counter] ?? 0 })) : [];
    return { month, hospitals, platforms };
  }

  private async districtOf(subject: string): Promise<string | null> {
    if (subject === CITY) return null;
    return (await this.organizations.byCode([subject])).get(subject)?.district ?? null;
  }
}

