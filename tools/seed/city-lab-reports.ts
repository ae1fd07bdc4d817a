/**
 * The city's lab and imaging reports: which of a resident's encounters get which panel, when
 * the report is issued and in what status, and each result's value, drawn out of range more
 * often for the diagnoses that push it there.
 */

import { DAY, iso, MINUTE } from './city-calendar';
import { ageAt, type Generation, type Person } from './city-generation';
import {
  ABNORMAL_BIASES,
  ANALYTES,
  abnormalFlagOf,
  BASE_ABNORMAL_CHANCE,
  DEFAULT_PANELS,
  PANELS,
  PANELS_FOR,
  type PanelKey,
  referenceTextOf,
} from './city-lab-tests';
import { at, type Random } from './city-random';
import type { EncounterSeed, LabReportSeed, ObservationSeed } from './city-records';
import { REPORTS_PER_VISIT } from './city-volume';

export function drawLabReports(generation: Generation, people: readonly Person[]): LabReportSeed[] {
  const labReports: LabReportSeed[] = [];
  for (const person of people) labReports.push(...labReportsOf(generation, person));
  return labReports;
}

/** A handful per resident (more with chronic conditions), each a panel not yet reported for its encounter. */
function labReportsOf(generation: Generation, person: Person): LabReportSeed[] {
  const { random } = generation;
  const reports: LabReportSeed[] = [];
  const candidates = (generation.encountersOf.get(person) ?? []).filter((encounter) => encounter.encounterClass !== 'VIRTUAL');
  const wanted =
    person.visits !== null ? Math.round(person.visits * REPORTS_PER_VISIT) : person.chronic.length ? random.int(1, 6) : random.index([35, 30, 18, 10, 4, 2, 1]);
  const done = new Set<string>();
  for (let i = 0; i < wanted && candidates.length; i++) {
    const encounter = random.pick(candidates);
    const child = ageAt(person, Date.parse(encounter.start)) < 14;
    const panelKey: PanelKey = child
      ? 'CBC'
      : random.pick(
          encounter.encounterClass === 'INPATIENT' ? DEFAULT_PANELS.concat('LIPIDS') : (PANELS_FOR[at(encounter.diagnoses, 0).code] ?? DEFAULT_PANELS),
        );
    if (done.has(`${encounter.id}:${panelKey}`)) continue;
    done.add(`${encounter.id}:${panelKey}`);
    reports.push(labReportFor(generation, person, encounter, panelKey));
  }
  return reports;
}

function labReportFor(generation: Generation, person: Person, encounter: EncounterSeed, panelKey: PanelKey): LabReportSeed {
  const { random, now } = generation;
  const codes = encounter.diagnoses.map((diagnosis) => diagnosis.code);
  const start = Date.parse(encounter.start);
  const panel = PANELS[panelKey];
  // Inpatients' results come during the stay; imaging reports take up to a day.
  const issuedAt =
    encounter.encounterClass === 'INPATIENT'
      ? start + random.int(2 * 60, Math.max(2 * 60, Math.round((Date.parse(encounter.end) - start) / MINUTE))) * MINUTE
      : start + random.int(40, panel.category === 'IMAGING' ? 24 * 60 : 240) * MINUTE;
  const issued = Math.min(issuedAt, now);
  const statusRoll = random.float();
  const status: LabReportSeed['status'] =
    now - issued < 7 * DAY && statusRoll < 0.4 ? 'PRELIMINARY' : statusRoll < 0.015 ? 'PRELIMINARY' : statusRoll < 0.045 ? 'AMENDED' : 'FINAL';
  const diagnoses = [...codes, ...person.chronic];
  return {
    id: generation.newId(),
    residentId: person.seed.id,
    organizationCode: encounter.organizationCode,
    category: panel.category,
    code: panel.coding,
    issuedAt: iso(issued),
    status,
    results: panel.analytes.map((loinc) => observe(random, person, loinc, diagnoses)),
  };
}

/** One result: in range, or (by chance, or for a diagnosis that biases it) beyond a bound, never on one. */
function observe(random: Random, person: Person, loinc: string, diagnoses: readonly string[]): ObservationSeed {
  const analyte = ANALYTES.get(loinc);
  if (!analyte) throw new Error(`Unknown analyte ${loinc}`);
  const [low, high] = analyte.range[person.seed.gender];
  const [min, max] = analyte.plausible;
  const bias = ABNORMAL_BIASES.find(([diagnosis, biased]) => biased === loinc && diagnoses.includes(diagnosis));
  const abnormal = random.chance(bias ? bias[2] : BASE_ABNORMAL_CHANCE);
  const goesHigh = bias ? analyte.highShareOfAbnormal > 0 : random.chance(analyte.highShareOfAbnormal);
  const step = 10 ** -analyte.decimals;
  const round = (value: number) => Number(value.toFixed(analyte.decimals));
  let value = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const u = random.float();
    if (abnormal && goesHigh && high !== null) value = high + step + (max - high) * u ** 2;
    else if (abnormal && low !== null) value = low - step - (low - min) * u ** 2;
    else {
      // One-sided ranges: healthy values still cluster well inside the plausible span.
      const normalLow = low ?? min + ((high ?? max) - min) * 0.15;
      const normalHigh = high ?? max - (max - (low ?? min)) * 0.3;
      value = normalLow + (normalHigh - normalLow) * ((u + random.float()) / 2);
    }
    value = round(Math.min(max, Math.max(min, value)));
    // A value on a bound would contradict a text like "<5.2".
    if (value !== low && value !== high) break;
  }
  return {
    code: analyte.coding,
    value,
    unit: analyte.unit,
    referenceLow: low,
    referenceHigh: high,
    referenceText: referenceTextOf(low, high, analyte.referenceDecimals),
    abnormalFlag: abnormalFlagOf(value, low, high),
  };
}
