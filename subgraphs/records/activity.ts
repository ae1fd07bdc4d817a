/**
 * What a clinical record of the records subgraph counts at the platform (pure). Shared by the
 * real-time mutations and batch uploads so both count the same way.
 */
import type { RecordActivity } from '../../monitoring/activity';
import { cityDay } from '../../monitoring/activity-store';
import type { EncounterDoc } from './models';

/** Only encounters that happened (in progress or finished) are visits, admissions or discharges. */
const TOOK_PLACE = new Set<EncounterDoc['status']>(['IN_PROGRESS', 'FINISHED']);

/**
 * An outpatient or virtual visit counts an outpatient visit and its charges as outpatient
 * revenue, on the day it started; an emergency visit counts the same as emergency; an
 * inpatient stay counts an admission on the day it began and, once it has a discharge date
 * (`end`), a discharge, its days in hospital and its charges as inpatient revenue on the day of
 * discharge.
 */
export function activityOfEncounter(encounter: Pick<EncounterDoc, 'encounterClass' | 'status' | 'start' | 'end' | 'chargesFen'>): RecordActivity {
  if (!TOOK_PLACE.has(encounter.status)) return { counts: {}, feeds: [] };
  const charged = encounter.chargesFen !== null && encounter.chargesFen !== undefined;
  switch (encounter.encounterClass) {
    case 'OUTPATIENT':
    case 'VIRTUAL':
      return {
        counts: { outpatientVisits: 1, ...(charged ? { outpatientRevenueFen: encounter.chargesFen! } : {}) },
        feeds: [
          encounter.encounterClass === 'VIRTUAL' ? 'encounter.virtual' : 'encounter.outpatient',
          ...(charged ? (['encounter.outpatient-charges'] as const) : []),
        ],
        on: encounter.start,
      };
    case 'EMERGENCY':
      return {
        counts: { emergencyVisits: 1, ...(charged ? { emergencyRevenueFen: encounter.chargesFen! } : {}) },
        feeds: ['encounter.emergency', ...(charged ? (['encounter.outpatient-charges'] as const) : [])],
        on: encounter.start,
      };
    case 'INPATIENT': {
      const admission = { on: encounter.start, counts: { admissions: 1 } };
      if (!encounter.end) return { counts: {}, feeds: ['encounter.inpatient'], alsoOn: [admission] };
      return {
        counts: {
          discharges: 1,
          inpatientDays: daysInHospital(encounter.start, encounter.end),
          ...(charged ? { inpatientRevenueFen: encounter.chargesFen! } : {}),
        },
        feeds: ['encounter.inpatient', 'encounter.discharge', ...(charged ? (['encounter.inpatient-charges'] as const) : [])],
        on: encounter.end,
        alsoOn: [admission],
      };
    }
  }
}

const DAY_MS = 86_400_000;

/**
 * A stay's days in hospital as the statistics count bed-days of discharged patients: city
 * calendar days from admission to discharge, a stay admitted and discharged on the same day
 * counting one.
 */
export function daysInHospital(start: Date, end: Date): number {
  const days = (Date.parse(cityDay(end)) - Date.parse(cityDay(start))) / DAY_MS;
  return Math.max(1, days);
}

export const activityOfCondition = (): RecordActivity => ({ counts: {}, feeds: ['condition'] });
export const activityOfAllergy = (): RecordActivity => ({ counts: {}, feeds: ['allergy'] });
