/**
 * The demo city's lab tests: analytes (LOINC, UCUM units, reference ranges by sex), the panels
 * a diagnosis leads to, the diagnoses that push results out of range, and how a result's flag
 * and reference text follow from its range.
 */

import { type Coding, type Gender, type LabReportSeed, LOINC, type ObservationSeed } from './city-records';

/** UCUM units; sex-specific ranges where the reference intervals differ (WS/T 404). `null`: no bound on that side. */
type AnalyteRow = [
  loinc: string,
  display: string,
  unit: string,
  decimals: number,
  referenceDecimals: number,
  maleLow: number | null,
  maleHigh: number | null,
  femaleLow: number | null,
  femaleHigh: number | null,
  plausibleMin: number,
  plausibleMax: number,
  highShareOfAbnormal: number,
];
const ANALYTE_ROWS: readonly AnalyteRow[] = [
  ['6690-2', '白细胞计数', '10*9/L', 2, 1, 3.5, 9.5, 3.5, 9.5, 1.8, 18, 0.6],
  ['789-8', '红细胞计数', '10*12/L', 2, 1, 4.3, 5.8, 3.8, 5.1, 2.5, 6.8, 0.25],
  ['718-7', '血红蛋白', 'g/L', 0, 0, 130, 175, 115, 150, 70, 195, 0.15],
  ['777-3', '血小板计数', '10*9/L', 0, 0, 125, 350, 125, 350, 40, 600, 0.45],
  ['14749-6', '葡萄糖', 'mmol/L', 2, 1, 3.9, 6.1, 3.9, 6.1, 2.8, 18, 0.9],
  ['4548-4', '糖化血红蛋白', '%', 1, 1, 4.0, 6.0, 4.0, 6.0, 3.5, 13, 1],
  ['14647-2', '总胆固醇', 'mmol/L', 2, 1, null, 5.2, null, 5.2, 2.8, 8.5, 1],
  ['14927-8', '甘油三酯', 'mmol/L', 2, 1, null, 1.7, null, 1.7, 0.4, 6.5, 1],
  ['22748-8', '低密度脂蛋白胆固醇', 'mmol/L', 2, 1, null, 3.4, null, 3.4, 1.2, 6, 1],
  ['14646-4', '高密度脂蛋白胆固醇', 'mmol/L', 2, 2, 1.04, null, 1.04, null, 0.6, 2.4, 0],
  ['1742-6', '丙氨酸氨基转移酶', 'U/L', 0, 0, 9, 50, 7, 40, 4, 240, 0.95],
  ['1920-8', '天门冬氨酸氨基转移酶', 'U/L', 0, 0, 15, 40, 13, 35, 8, 200, 0.9],
  ['14682-9', '肌酐', 'umol/L', 0, 0, 57, 111, 41, 81, 30, 450, 0.85],
];

interface Analyte {
  coding: Coding;
  unit: string;
  decimals: number;
  referenceDecimals: number;
  range: Record<Gender, [number | null, number | null]>;
  plausible: [number, number];
  highShareOfAbnormal: number;
}
export const ANALYTES = new Map<string, Analyte>(
  ANALYTE_ROWS.map(([loinc, display, unit, decimals, referenceDecimals, maleLow, maleHigh, femaleLow, femaleHigh, min, max, highShare]) => [
    loinc,
    {
      coding: { system: LOINC, code: loinc, display },
      unit,
      decimals,
      referenceDecimals,
      range: { MALE: [maleLow, maleHigh], FEMALE: [femaleLow, femaleHigh] },
      plausible: [min, max],
      highShareOfAbnormal: highShare,
    },
  ]),
);

export type PanelKey = 'CBC' | 'GLUCOSE' | 'HBA1C' | 'LIPIDS' | 'LIVER' | 'KIDNEY' | 'CHEST_CT';
export const PANELS: Readonly<Record<PanelKey, { category: LabReportSeed['category']; coding: Coding; analytes: readonly string[] }>> = {
  CBC: { category: 'LABORATORY', coding: { system: LOINC, code: '58410-2', display: '血常规' }, analytes: ['6690-2', '789-8', '718-7', '777-3'] },
  GLUCOSE: { category: 'LABORATORY', coding: { system: LOINC, code: '14749-6', display: '血糖' }, analytes: ['14749-6'] },
  HBA1C: { category: 'LABORATORY', coding: { system: LOINC, code: '4548-4', display: '糖化血红蛋白' }, analytes: ['4548-4'] },
  LIPIDS: { category: 'LABORATORY', coding: { system: LOINC, code: '57698-3', display: '血脂四项' }, analytes: ['14647-2', '14927-8', '22748-8', '14646-4'] },
  LIVER: { category: 'LABORATORY', coding: { system: LOINC, code: '24325-3', display: '肝功能' }, analytes: ['1742-6', '1920-8'] },
  KIDNEY: { category: 'LABORATORY', coding: { system: LOINC, code: '24362-6', display: '肾功能' }, analytes: ['14682-9'] },
  CHEST_CT: { category: 'IMAGING', coding: { system: LOINC, code: '24627-2', display: '胸部CT平扫' }, analytes: [] },
};

/** Which tests a diagnosis leads to; anything else gets the default. */
export const PANELS_FOR: Readonly<Record<string, readonly PanelKey[]>> = {
  'E11.9': ['GLUCOSE', 'HBA1C', 'GLUCOSE', 'HBA1C', 'LIPIDS', 'KIDNEY'],
  I10: ['LIPIDS', 'KIDNEY', 'GLUCOSE', 'CBC'],
  'E78.5': ['LIPIDS', 'LIPIDS', 'LIVER'],
  'I25.1': ['LIPIDS', 'CBC', 'GLUCOSE', 'KIDNEY'],
  'J44.9': ['CBC', 'CHEST_CT'],
  'J18.9': ['CBC', 'CHEST_CT'],
  'J20.9': ['CBC'],
  'J06.9': ['CBC'],
  'R50.9': ['CBC'],
  'N39.0': ['CBC'],
  'K35.8': ['CBC'],
  'R10.4': ['CBC', 'LIVER'],
  'K80.2': ['LIVER', 'CBC'],
  'C34.9': ['CHEST_CT', 'CBC', 'LIVER'],
  'A15.0': ['CHEST_CT', 'CBC', 'LIVER'],
  J47: ['CHEST_CT', 'CBC'],
  'J62.8': ['CHEST_CT'],
  'N18.9': ['KIDNEY', 'CBC'],
  'Z00.0': ['CBC', 'GLUCOSE', 'LIPIDS', 'LIVER', 'KIDNEY'],
};
export const DEFAULT_PANELS: readonly PanelKey[] = ['CBC', 'LIVER', 'KIDNEY', 'GLUCOSE'];

/** Diagnoses that push a result out of range: [diagnosis, analyte, probability of an abnormal value]. */
export const ABNORMAL_BIASES: readonly [string, string, number][] = [
  ['E11.9', '14749-6', 0.75],
  ['E11.9', '4548-4', 0.8],
  ['E78.5', '14647-2', 0.55],
  ['E78.5', '14927-8', 0.5],
  ['E78.5', '22748-8', 0.55],
  ['E78.5', '14646-4', 0.35],
  ['J18.9', '6690-2', 0.7],
  ['N18.9', '14682-9', 0.8],
  ['I25.1', '22748-8', 0.4],
];
export const BASE_ABNORMAL_CHANCE = 0.14;

export function abnormalFlagOf(value: number, low: number | null, high: number | null): ObservationSeed['abnormalFlag'] {
  if (high !== null && value > high) return 'H';
  if (low !== null && value < low) return 'L';
  return 'N';
}

export function referenceTextOf(low: number | null, high: number | null, decimals: number): string {
  const format = (bound: number) => bound.toFixed(decimals);
  if (low !== null && high !== null) return `${format(low)}-${format(high)}`;
  if (high !== null) return `<${format(high)}`;
  return low !== null ? `>${format(low)}` : '';
}
