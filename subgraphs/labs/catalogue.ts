/**
 * The lab and exam item catalogue: LOINC items with their canonical UCUM units, reference intervals,
 * critical limits and whether other hospitals must accept the result (mutual recognition of
 * examination and test results, 2022 rules). Adult intervals follow WS/T 404/405 where they exist;
 * children's bands approximate WS/T 779/780. Pure data and functions.
 */

import { searchMatcher } from '../runtime/input';

export type LabCategory = 'LABORATORY' | 'IMAGING' | 'PATHOLOGY' | 'ELECTROPHYSIOLOGY';
export type ValueKind = 'QUANTITY' | 'CODED' | 'TEXT';
export type Interpretation = 'N' | 'H' | 'L' | 'HH' | 'LL' | 'A';
/** A reference interval in the item's canonical unit, for one sex (null = both) and an age band [minAgeYears, maxAgeYears). */
export interface ReferenceBand {
  sex: 'MALE' | 'FEMALE' | null;
  minAgeYears: number;
  maxAgeYears: number;
  low: number | null;
  high: number | null;
}
export interface Recognition {
  scope: 'CITY' | 'PROVINCE';
  validityDays: number;
}
export interface CatalogueItem {
  code: string; // LOINC code
  name: string; // Chinese display name as used in Chinese hospitals
  category: LabCategory;
  kind: 'PANEL' | 'ANALYTE' | 'STUDY'; // PANEL groups analytes; STUDY is imaging/ECG/pathology with a text conclusion
  members: string[]; // analyte codes of a PANEL, [] otherwise
  valueKind: ValueKind | null; // for ANALYTE; null for PANEL and STUDY
  unit: string | null; // canonical UCUM unit for QUANTITY analytes
  units: Readonly<Record<string, number>>; // accepted units -> factor to the canonical unit (canonical maps to 1); {} when not QUANTITY
  ranges: ReferenceBand[]; // [] when none; otherwise covering ages 0..150 for both sexes
  criticalLow: number | null; // canonical unit; values below are critical (LL)
  criticalHigh: number | null; // canonical unit; values above are critical (HH)
  normalCoded: string | null; // for CODED analytes: the code of the normal answer; others are 'A'
  recognition: Recognition | null; // null = not a mutual-recognition item
}

// ---------------------------------------------------------------- building blocks

const MAX_AGE = 150;

/** [sex ('*' = both), fromAge, toAge, low, high]: one reference band, ages in years, [from, to). */
type BandRow = readonly [sex: 'M' | 'F' | '*', from: number, to: number, low: number | null, high: number | null];

/** The same interval for everyone. */
const all = (low: number | null, high: number | null): BandRow[] => [['*', 0, MAX_AGE, low, high]];
/** Sex-specific intervals from `from` years on. */
const bySex = (mLow: number | null, mHigh: number | null, fLow: number | null, fHigh: number | null, from = 0): BandRow[] => [
  ['M', from, MAX_AGE, mLow, mHigh],
  ['F', from, MAX_AGE, fLow, fHigh],
];

const city = (validityDays: number): Recognition => ({ scope: 'CITY', validityDays });
const province = (validityDays: number): Recognition => ({ scope: 'PROVINCE', validityDays });
/** Changes within hours (or is sensitive): every hospital repeats it. */
const NOT_RECOGNISED = null;

const SEX = { M: 'MALE', F: 'FEMALE', '*': null } as const;

/** The fields an item leaves empty unless its kind fills them (fresh arrays: no sharing between items). */
function blank(): Pick<CatalogueItem, 'members' | 'valueKind' | 'unit' | 'units' | 'ranges' | 'criticalLow' | 'criticalHigh' | 'normalCoded'> {
  return { members: [], valueKind: null, unit: null, units: {}, ranges: [], criticalLow: null, criticalHigh: null, normalCoded: null };
}

function quantity(
  code: string,
  name: string,
  unit: string,
  ranges: readonly BandRow[],
  recognition: Recognition | null,
  extra: { alt?: Readonly<Record<string, number>>; critical?: readonly [low: number | null, high: number | null] } = {},
): CatalogueItem {
  return {
    ...blank(),
    code,
    name,
    category: 'LABORATORY',
    kind: 'ANALYTE',
    valueKind: 'QUANTITY',
    unit,
    units: { [unit]: 1, ...extra.alt },
    ranges: ranges.map(([sex, minAgeYears, maxAgeYears, low, high]) => ({ sex: SEX[sex], minAgeYears, maxAgeYears, low, high })),
    criticalLow: extra.critical?.[0] ?? null,
    criticalHigh: extra.critical?.[1] ?? null,
    recognition,
  };
}

function coded(code: string, name: string, normalCoded: string, recognition: Recognition | null): CatalogueItem {
  return { ...blank(), code, name, category: 'LABORATORY', kind: 'ANALYTE', valueKind: 'CODED', normalCoded, recognition };
}

function study(code: string, name: string, category: LabCategory, recognition: Recognition | null): CatalogueItem {
  return { ...blank(), code, name, category, kind: 'STUDY', recognition };
}

/** Recognition is derived from the members once they are all known. */
function panel(code: string, name: string, members: string[]): CatalogueItem {
  return { ...blank(), code, name, category: 'LABORATORY', kind: 'PANEL', members, recognition: null };
}

// ---------------------------------------------------------------- the table

const MG_DL_CHOLESTEROL = { 'mg/dL': 0.02586 };
const G_DL = { 'g/dL': 10 };
const IU_PER_L = { 'mIU/L': 1, 'u[IU]/mL': 1, 'uIU/mL': 1 };

const ROWS: readonly CatalogueItem[] = [
  // Blood count (WS/T 405-2012 adults; children approximately WS/T 779-2021).
  panel('58410-2', '血常规', ['6690-2', '789-8', '718-7', '777-3']),
  quantity(
    '6690-2',
    '白细胞计数',
    '10*9/L',
    [
      ['*', 0, 2, 4.8, 14.6],
      ['*', 2, 6, 4.4, 11.9],
      ['*', 6, 18, 4.3, 11.3],
      ['*', 18, MAX_AGE, 3.5, 9.5],
    ],
    city(7),
    { alt: { '10*3/uL': 1 }, critical: [1.0, 30] },
  ),
  quantity(
    '789-8',
    '红细胞计数',
    '10*12/L',
    [['*', 0, 6, 4.0, 5.5], ['*', 6, 13, 4.2, 5.7], ['M', 13, 18, 4.5, 5.9], ['F', 13, 18, 4.1, 5.3], ...bySex(4.3, 5.8, 3.8, 5.1, 18)],
    city(7),
    { alt: { '10*6/uL': 1 } },
  ),
  quantity(
    '718-7',
    '血红蛋白',
    'g/L',
    [['*', 0, 2, 97, 141], ['*', 2, 6, 112, 149], ['*', 6, 13, 118, 156], ['M', 13, 18, 129, 172], ['F', 13, 18, 114, 154], ...bySex(130, 175, 115, 150, 18)],
    city(7),
    { alt: G_DL, critical: [60, null] },
  ),
  quantity(
    '777-3',
    '血小板计数',
    '10*9/L',
    [
      ['*', 0, 6, 188, 472],
      ['*', 6, 13, 167, 453],
      ['*', 13, 18, 150, 407],
      ['*', 18, MAX_AGE, 125, 350],
    ],
    city(7),
    { alt: { '10*3/uL': 1 }, critical: [30, null] },
  ),
  quantity('4537-7', '红细胞沉降率', 'mm/h', bySex(0, 15, 0, 20), city(7)),

  // Glucose metabolism. HbA1c in mmol/mol (IFCC) is not a constant multiple of %, so only % is accepted.
  quantity('14749-6', '葡萄糖', 'mmol/L', all(3.9, 6.1), city(7), { alt: { 'mg/dL': 0.0555 }, critical: [2.8, 22.2] }),
  quantity('4548-4', '糖化血红蛋白', '%', all(4.0, 6.0), city(90)),

  // Lipids: desirable levels (Chinese lipid guideline), the same at every age here.
  panel('57698-3', '血脂四项', ['14647-2', '14927-8', '22748-8', '14646-4']),
  quantity('14647-2', '总胆固醇', 'mmol/L', all(null, 5.2), city(30), { alt: MG_DL_CHOLESTEROL }),
  quantity('14927-8', '甘油三酯', 'mmol/L', all(null, 1.7), city(30), { alt: { 'mg/dL': 0.01129 } }),
  quantity('22748-8', '低密度脂蛋白胆固醇', 'mmol/L', all(null, 3.4), city(30), { alt: MG_DL_CHOLESTEROL }),
  quantity('14646-4', '高密度脂蛋白胆固醇', 'mmol/L', all(1.04, null), city(30), { alt: MG_DL_CHOLESTEROL }),

  // Liver (WS/T 404.1/404.2/404.4). ALP is markedly higher while bones grow.
  panel('24325-3', '肝功能', ['1742-6', '1920-8', '14631-6', '1751-7', '6768-6', '2324-2']),
  quantity('1742-6', '丙氨酸氨基转移酶', 'U/L', bySex(9, 50, 7, 40), city(14)),
  quantity('1920-8', '天门冬氨酸氨基转移酶', 'U/L', bySex(15, 40, 13, 35), city(14)),
  quantity('14631-6', '总胆红素', 'umol/L', bySex(null, 26, null, 21), city(14), { alt: { 'mg/dL': 17.1 } }),
  quantity(
    '1751-7',
    '白蛋白',
    'g/L',
    [
      ['*', 0, 18, 38, 54],
      ['*', 18, MAX_AGE, 40, 55],
    ],
    city(14),
    { alt: G_DL },
  ),
  quantity(
    '6768-6',
    '碱性磷酸酶',
    'U/L',
    [
      ['*', 0, 12, 120, 500],
      ['M', 12, 18, 80, 550],
      ['F', 12, 18, 50, 350],
      ['M', 18, MAX_AGE, 45, 125],
      ['F', 18, 50, 35, 100],
      ['F', 50, MAX_AGE, 50, 135],
    ],
    city(14),
  ),
  quantity('2324-2', 'γ-谷氨酰转移酶', 'U/L', bySex(10, 60, 7, 45), city(14)),

  // Kidney (WS/T 404.5). Urea is the molar code: BUN in mg/dL is another analyte (3094-0), so no mg/dL here.
  panel('24362-6', '肾功能', ['14682-9', '22664-7', '14933-6']),
  quantity(
    '14682-9',
    '肌酐',
    'umol/L',
    [['*', 0, 2, 13, 33], ['*', 2, 6, 19, 44], ['*', 6, 13, 27, 66], ['M', 13, 18, 37, 93], ['F', 13, 18, 33, 75], ...bySex(57, 111, 41, 81, 18)],
    city(14),
    { alt: { 'mg/dL': 88.4 }, critical: [null, 707] },
  ),
  quantity('22664-7', '尿素', 'mmol/L', [['*', 0, 18, 1.8, 6.5], ['M', 18, 60, 3.1, 8.0], ['F', 18, 60, 2.6, 7.5], ...bySex(3.6, 9.5, 3.1, 8.8, 60)], city(14)),
  quantity('14933-6', '尿酸', 'umol/L', [['*', 0, 13, 120, 330], ...bySex(208, 428, 155, 357, 13)], city(14), { alt: { 'mg/dL': 59.48 } }),

  // Electrolytes (WS/T 404.3/404.6) shift within days.
  panel('24326-1', '电解质', ['2823-3', '2951-2', '2075-0']),
  quantity('2823-3', '钾', 'mmol/L', all(3.5, 5.3), city(3), { alt: { 'meq/L': 1 }, critical: [2.8, 6.2] }),
  quantity('2951-2', '钠', 'mmol/L', all(137, 147), city(3), { alt: { 'meq/L': 1 }, critical: [120, 160] }),
  quantity('2075-0', '氯', 'mmol/L', all(99, 110), city(3), { alt: { 'meq/L': 1 } }),
  quantity('2000-8', '钙', 'mmol/L', all(2.11, 2.52), city(7), { alt: { 'mg/dL': 0.2495 }, critical: [1.6, 3.5] }),

  // Acute markers: they change within hours, so no other hospital's result stands in for them.
  // hs-TnI: sex-specific 99th percentiles of the common assay; the critical limit is a local convention.
  quantity('89579-7', '高敏肌钙蛋白I', 'ng/L', bySex(null, 34.2, null, 15.6), NOT_RECOGNISED, {
    alt: { 'pg/mL': 1, 'ng/mL': 1000, 'ug/L': 1000 },
    critical: [null, 500],
  }),
  quantity(
    '33762-6',
    'N末端B型利钠肽前体',
    'pg/mL',
    [
      ['*', 0, 75, null, 125],
      ['*', 75, MAX_AGE, null, 450],
    ],
    NOT_RECOGNISED,
    { alt: { 'ng/L': 1, 'ng/mL': 1000 } },
  ),
  quantity('1988-5', 'C反应蛋白', 'mg/L', all(null, 10), NOT_RECOGNISED, { alt: { 'mg/dL': 10 } }),
  quantity('33959-8', '降钙素原', 'ng/mL', all(null, 0.05), NOT_RECOGNISED, { alt: { 'ug/L': 1 } }),
  quantity('48065-7', 'D-二聚体', 'mg/L', all(null, 0.5), NOT_RECOGNISED, {
    alt: { 'mg{FEU}/L': 1, 'ug/mL': 1, 'ug{FEU}/mL': 1, 'ng/mL': 0.001, 'ug/L': 0.001 },
  }),
  quantity('5902-2', '凝血酶原时间', 's', all(10, 14), NOT_RECOGNISED, { critical: [null, 30] }),
  quantity('6301-6', '国际标准化比值', '{INR}', all(0.8, 1.2), NOT_RECOGNISED, { alt: { '1': 1 }, critical: [null, 4] }),

  // Thyroid (manufacturer intervals in common use; no national standard).
  quantity('3016-3', '促甲状腺激素', 'm[IU]/L', all(0.27, 4.2), city(90), { alt: IU_PER_L }),
  quantity('14920-3', '游离甲状腺素', 'pmol/L', all(12, 22), city(90), { alt: { 'ng/dL': 12.87 } }),

  // Serology and urine. HIV and hCG reveal sensitive conditions and are never shared as recognised results.
  coded('5196-1', '乙型肝炎病毒表面抗原', 'NEG', city(180)),
  coded('75622-1', 'HIV抗原抗体联合检测', 'NEG', NOT_RECOGNISED),
  quantity('19080-1', '人绒毛膜促性腺激素', 'm[IU]/mL', all(null, 5), NOT_RECOGNISED, { alt: { '[IU]/L': 1, 'mIU/mL': 1, 'IU/L': 1 } }),
  coded('20454-5', '尿蛋白', 'NEG', city(7)),

  // Studies. Ultrasound and ECG are real-time, operator- or state-dependent: repeated rather than recognised.
  study('24627-2', '胸部CT平扫', 'IMAGING', province(180)),
  study('24558-9', '腹部超声', 'IMAGING', NOT_RECOGNISED),
  study('11524-6', '心电图', 'ELECTROPHYSIOLOGY', NOT_RECOGNISED),
  study('11529-5', '组织病理学检查', 'PATHOLOGY', NOT_RECOGNISED),
];

/** A panel is recognised only when all its members are: the narrowest scope and the shortest validity. */
function panelRecognition(members: readonly (CatalogueItem | undefined)[]): Recognition | null {
  const recognitions = members.map((member) => member?.recognition ?? null);
  if (recognitions.length === 0 || recognitions.some((recognition) => recognition === null)) return null;
  const known = recognitions as Recognition[];
  return {
    scope: known.some((recognition) => recognition.scope === 'CITY') ? 'CITY' : 'PROVINCE',
    validityDays: Math.min(...known.map((recognition) => recognition.validityDays)),
  };
}

function buildCatalogue(rows: readonly CatalogueItem[]): ReadonlyMap<string, CatalogueItem> {
  const byCode = new Map(rows.map((row) => [row.code, row]));
  if (byCode.size !== rows.length) throw new Error('catalogue: duplicate LOINC code');
  return new Map(
    rows.map((row) => {
      const item = row.kind === 'PANEL' ? { ...row, recognition: panelRecognition(row.members.map((code) => byCode.get(code))) } : row;
      return [item.code, Object.freeze(item)];
    }),
  );
}

export const CATALOGUE: ReadonlyMap<string, CatalogueItem> = buildCatalogue(ROWS);

// ---------------------------------------------------------------- look-ups

export function catalogueItem(code: string): CatalogueItem | undefined {
  return CATALOGUE.get(code);
}

/** An item as the labItems query shows it. */
export interface LabItemView {
  code: string;
  name: string;
  category: LabCategory;
  kind: CatalogueItem['kind'];
  unit: string | null;
  acceptedUnits: string[];
  members: string[];
  recognitionDays: number | null;
}

/** The catalogue by code: of one category, and whose code, name or a member's code contain the search (ignoring case). */
export function searchLabItems(category: LabCategory | null | undefined, search: string | null | undefined): LabItemView[] {
  const matches = searchMatcher(search);
  return [...CATALOGUE.values()]
    .filter((item) => (!category || item.category === category) && matches(item.code, item.name, ...item.members))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((item) => ({
      code: item.code,
      name: item.name,
      category: item.category,
      kind: item.kind,
      unit: item.unit,
      acceptedUnits: Object.keys(item.units).filter((unit) => unit !== item.unit),
      members: item.members,
      recognitionDays: item.recognition?.validityDays ?? null,
    }));
}

/** Four significant digits, but never rounding away integer digits (12345 ng/L stays 12345). */
function tidy(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const integerDigits = Math.floor(Math.log10(Math.abs(value))) + 1;
  return Number(value.toPrecision(Math.min(100, Math.max(4, integerDigits))));
}

/**
 * The item's own spelling of a unit as sent: exact UCUM first, then ignoring case ('mmol/l'),
 * since only this item's units compete. Null when the item does not accept the unit.
 */
export function acceptedUnit(item: CatalogueItem, unit: string): string | null {
  const wanted = unit.trim();
  if (item.units[wanted] !== undefined) return wanted;
  return Object.keys(item.units).find((accepted) => accepted.toLowerCase() === wanted.toLowerCase()) ?? null;
}

/** value in `unit` converted to the canonical unit, or null when the unit is not accepted for the item. */
export function toCanonical(item: CatalogueItem, value: number, unit: string): number | null {
  const accepted = acceptedUnit(item, unit);
  if (accepted === null) return null;
  const factor = item.units[accepted]!;
  return factor === 1 ? value : tidy(value * factor);
}

/** The band for this sex and age (sex-specific band first, then sex-neutral), or null. */
export function referenceBand(item: CatalogueItem, sex: 'MALE' | 'FEMALE' | 'UNKNOWN', ageYears: number): ReferenceBand | null {
  if (!Number.isFinite(ageYears) || ageYears < 0) return null;
  const fits = (band: ReferenceBand) => ageYears >= band.minAgeYears && ageYears < band.maxAgeYears;
  const own = sex === 'UNKNOWN' ? undefined : item.ranges.find((band) => band.sex === sex && fits(band));
  return own ?? item.ranges.find((band) => band.sex === null && fits(band)) ?? null;
}

/**
 * Interpretation of a canonical value: HH/LL beyond critical limits, H/L outside the band, N inside
 * (N when no band). A value equal to a bound counts as inside, as the seeded reports flag it.
 */
export function interpretQuantity(
  item: CatalogueItem,
  canonicalValue: number,
  band: ReferenceBand | null,
): { interpretation: Interpretation; critical: boolean } {
  if (item.criticalHigh !== null && canonicalValue > item.criticalHigh) return { interpretation: 'HH', critical: true };
  if (item.criticalLow !== null && canonicalValue < item.criticalLow) return { interpretation: 'LL', critical: true };
  if (band && band.high !== null && canonicalValue > band.high) return { interpretation: 'H', critical: false };
  if (band && band.low !== null && canonicalValue < band.low) return { interpretation: 'L', critical: false };
  return { interpretation: 'N', critical: false };
}

/** 'N' for the normal answer of a CODED analyte, 'A' for any other. */
export function interpretCoded(item: CatalogueItem, answer: string): 'N' | 'A' {
  return item.normalCoded !== null && answer.trim().toUpperCase() === item.normalCoded ? 'N' : 'A';
}

/** Text form of a band for display, e.g. '3.9-6.1', '<5.2', '>1.04'; '' when there is nothing to show. */
export function rangeText(band: ReferenceBand | null): string {
  if (!band) return '';
  const { low, high } = band;
  if (low !== null && high !== null) return `${low}-${high}`;
  if (high !== null) return `<${high}`;
  if (low !== null) return `>${low}`;
  return '';
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a result issued at `issuedAt` stops being recognised by other hospitals, or null when it never is. */
export function recognitionExpiresAt(item: CatalogueItem, issuedAt: Date): Date | null {
  return item.recognition ? new Date(issuedAt.getTime() + item.recognition.validityDays * DAY_MS) : null;
}
