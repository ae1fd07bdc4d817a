/**
 * What a clinical record of the records subgraph counts at the platform (pure). Shared by the
 * real-time mutations and batch uploads so both count the same way.
 */
import type { RecordActivity } from '../../monitoring/activity';
import type { EncounterDoc } from './models';

/** Only encounters that happened (in progress or finished) are visits or discharges. */
const TOOK_PLACE = new Set<EncounterDoc['status']>(['IN_PROGRESS', 'FINISHED']);

/**
 * An outpatient or virtual visit counts an outpatient visit and its charges as outpatient
 * revenue, on the day it started; an emergency visit counts the same as emergency; an
 * inpatient stay with a discharge date (`end`) counts a discharge and its charges as inpatient
 * revenue on the day of discharge (a stay still open counts as an admission, no revenue yet).
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
    case 'INPATIENT':
      if (!encounter.end) return { counts: {}, feeds: ['encounter.inpatient'] };
      return {
        counts: { discharges: 1, ...(charged ? { inpatientRevenueFen: encounter.chargesFen! } : {}) },
        feeds: ['encounter.inpatient', 'encounter.discharge', ...(charged ? (['encounter.inpatient-charges'] as const) : [])],
        on: encounter.end,
      };
  }
}

export const activityOfCondition = (): RecordActivity => ({ counts: {}, feeds: ['condition'] });
export const activityOfAllergy = (): RecordActivity => ({ counts: {}, feeds: ['allergy'] });
