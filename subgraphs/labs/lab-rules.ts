/**
 * The clinical rules of the labs subgraph, pure: how a submitted result line becomes an
 * interpreted observation, what "the latest result" and "the trend" of an analyte are, and
 * what the duplicate-test reminder recommends.
 */
import { badUserInput } from '../../platform/errors';
import { acceptedUnit, type CatalogueItem, catalogueItem, interpretQuantity, rangeText, referenceBand, toCanonical } from './catalogue';
import type { LaboratoryDoc, LabReportDoc, ObservationDoc } from './models';

const LOINC = 'http://loinc.org';
const DAY_MS = 86_400_000;
/** Statuses whose values count as results (not registered, preliminary, cancelled or withdrawn). */
export const RESULT_STATUSES: ReadonlySet<LabReportDoc['status']> = new Set(['FINAL', 'AMENDED', 'CORRECTED']);

export interface ObservationInput {
  code: string;
  value?: number | null;
  unit?: string | null;
  valueCode?: string | null;
  valueText?: string | null;
  method?: string | null;
}

export function requireItem(code: string, field: string): CatalogueItem {
  const item = catalogueItem(code);
  if (!item) throw badUserInput(`${field} ${code} is not in the lab catalogue`);
  return item;
}

/** A submitted result line, checked against the catalogue and interpreted for the patient's sex and age. */
export function observationOf(input: ObservationInput, sex: 'MALE' | 'FEMALE' | 'UNKNOWN', ageYears: number): ObservationDoc {
  const item = requireItem(input.code, 'result code');
  if (item.kind !== 'ANALYTE') throw badUserInput(`result code ${input.code} is a ${item.kind.toLowerCase()}, not an analyte`);
  const base = { code: { system: LOINC, code: item.code, display: item.name }, method: input.method ?? null, recognizable: item.recognition !== null };
  if (item.valueKind === 'QUANTITY') {
    const { value, unit } = input;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e7)
      throw badUserInput(`result ${item.code} needs a numeric value between 0 and 10,000,000`);
    if (!unit) throw badUserInput(`result ${item.code} needs a UCUM unit`);
    // Stored in the catalogue's spelling, so every later lookup by unit is exact.
    const reportedUnit = acceptedUnit(item, unit);
    if (reportedUnit === null) throw badUserInput(`unit ${unit} is not valid for ${item.code} (use ${Object.keys(item.units).join(', ')})`);
    const canonical = toCanonical(item, value, reportedUnit)!;
    const band = referenceBand(item, sex, ageYears);
    const { interpretation, critical } = interpretQuantity(item, canonical, band);
    const factor = item.units[reportedUnit]!;
    const inReported = (limit: number | null) => (limit === null ? null : round(limit / factor));
    return {
      ...base,
      value,
      unit: reportedUnit,
      valueCoded: null,
      valueText: null,
      referenceLow: inReported(band?.low ?? null),
      referenceHigh: inReported(band?.high ?? null),
      referenceText: rangeText(band),
      interpretation,
      critical,
    };
  }
  if (item.valueKind === 'CODED') {
    if (!input.valueCode || !/^[A-Z0-9_-]{1,20}$/.test(input.valueCode)) throw badUserInput(`result ${item.code} needs a valueCode such as NEG or POS`);
    const normal = input.valueCode === item.normalCoded;
    return {
      ...base,
      value: null,
      unit: null,
      valueCoded: { system: 'result', code: input.valueCode, display: input.valueCode },
      valueText: null,
      referenceLow: null,
      referenceHigh: null,
      referenceText: item.normalCoded ?? '',
      interpretation: normal ? 'N' : 'A',
      critical: false,
    };
  }
  const text = input.valueText?.trim();
  if (!text || text.length > 2000) throw badUserInput(`result ${item.code} needs a text value of at most 2,000 characters`);
  return {
    ...base,
    value: null,
    unit: null,
    valueCoded: null,
    valueText: text,
    referenceLow: null,
    referenceHigh: null,
    referenceText: '',
    interpretation: 'N',
    critical: false,
  };
}

export interface LatestResultView {
  code: string;
  observation: ObservationDoc;
  report: LabReportDoc;
}

/** Newest result per code, from reports given newest first. */
export function latestResults(reports: LabReportDoc[], codes: string[]): LatestResultView[] {
  const wanted = new Set(codes);
  const found = new Map<string, LatestResultView>();
  for (const report of reports) {
    if (!RESULT_STATUSES.has(report.status)) continue;
    for (const observation of report.results) {
      const code = observation.code.code;
      if (wanted.has(code) && !found.has(code)) found.set(code, { code, observation, report });
    }
  }
  return codes.flatMap((code) => found.get(code) ?? []);
}

export interface TrendPointView {
  at: Date;
  value: number | null;
  observation: ObservationDoc;
  report: LabReportDoc;
}

export interface TrendView {
  item: CatalogueItem;
  points: TrendPointView[];
}

/** One analyte over time, oldest first, converted to the catalogue's unit where the reported unit converts. */
export function trendOf(reports: LabReportDoc[], code: string): TrendView {
  const item = requireItem(code, 'code');
  const points = reports
    .filter((report) => RESULT_STATUSES.has(report.status))
    .flatMap((report) =>
      report.results
        .filter((observation) => observation.code.code === code)
        .map((observation) => ({
          at: report.effectiveAt ?? report.collectedAt ?? report.issuedAt,
          value: observation.value !== null && observation.unit ? toCanonical(item, observation.value, observation.unit) : null,
          observation,
          report,
        })),
    );
  return { item, points: points.sort((a, b) => a.at.getTime() - b.at.getTime()) };
}

export interface OrderCheckView {
  item: CatalogueItem;
  last: { observation: ObservationDoc | null; report: LabReportDoc } | null;
  ageDays: number | null;
  recognized: boolean;
  validUntil: Date | null;
  recommendation: 'REUSE' | 'CONSIDER' | 'ORDER';
  reason: string;
}

/**
 * The duplicate-test reminder. REUSE: a recognition item from a certified lab, still within
 * its validity window. CONSIDER: such a result within the window, but from a lab not
 * certified (for this scope): worth a look before ordering. ORDER: nothing comparable, too
 * old, or an item outside mutual recognition (fast-changing or sensitive tests).
 */
export function checkOrderItem(item: CatalogueItem, reports: LabReportDoc[], laboratories: Map<string, LaboratoryDoc>, now: Date): OrderCheckView {
  const report = reports.find((candidate) => RESULT_STATUSES.has(candidate.status) && candidate.itemCodes.includes(item.code));
  if (!report)
    return { item, last: null, ageDays: null, recognized: false, validUntil: null, recommendation: 'ORDER', reason: 'no earlier result at any hospital' };
  const observation = report.results.find((result) => result.code.code === item.code) ?? null;
  const at = report.effectiveAt ?? report.collectedAt ?? report.issuedAt;
  const ageDays = Math.floor((now.getTime() - at.getTime()) / DAY_MS);
  const validityDays = item.recognition?.validityDays ?? null;
  const last = { observation, report };
  if (validityDays === null) {
    return { item, last, ageDays, recognized: false, validUntil: null, recommendation: 'ORDER', reason: 'not a mutual-recognition item' };
  }
  const validUntil = new Date(at.getTime() + validityDays * DAY_MS);
  if (validUntil.getTime() < now.getTime())
    return { item, last, ageDays, recognized: false, validUntil, recommendation: 'ORDER', reason: `older than its ${validityDays}-day validity` };
  const certified = laboratories.get(report.organizationCode)?.certifiedScope ?? null;
  if (!certified)
    return {
      item,
      last,
      ageDays,
      recognized: false,
      validUntil,
      recommendation: 'CONSIDER',
      reason: 'the performing lab is not certified for mutual recognition',
    };
  if (item.recognition?.scope === 'PROVINCE' && certified !== 'PROVINCE') {
    return { item, last, ageDays, recognized: false, validUntil, recommendation: 'CONSIDER', reason: 'the item needs a province-certified lab' };
  }
  return {
    item,
    last,
    ageDays,
    recognized: true,
    validUntil,
    recommendation: 'REUSE',
    reason: `recognised result, valid until ${validUntil.toISOString().slice(0, 10)}`,
  };
}

export function ageInYears(birthDate: string, at: Date): number {
  const born = new Date(`${birthDate}T00:00:00Z`);
  let years = at.getUTCFullYear() - born.getUTCFullYear();
  const birthday = new Date(Date.UTC(at.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate()));
  if (at.getTime() < birthday.getTime()) years -= 1;
  return Math.max(0, years);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
