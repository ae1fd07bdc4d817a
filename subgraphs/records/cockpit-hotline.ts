/**
 * The cockpit's 12320 hotline table: the city's month document of the activity rollups (calls
 * and work orders count there as the hotline centre accepts them, phone appointments as its
 * operators book them). The health commission only: it is the city's line, and an aggregate.
 */
import { requireEntry } from '../../access-control/resident-access';
import type { Viewer } from '../../access-control/viewer';
import { type ActivityCounter, type ActivityStore, CITY } from '../../monitoring/activity-store';
import { monthOf } from '../runtime/input';

/** The table's cells and the counters that hold them, in the bulletin's order. */
const HOTLINE_CELLS = [
  ['consultations', 'hotlineConsultations'],
  ['medicalComplaints', 'hotlineMedicalComplaints'],
  ['phoneAppointments', 'hotlinePhoneAppointments'],
  ['humanService', 'hotlineHumanService'],
  ['crisisInterventions', 'hotlineCrisisInterventions'],
  ['selfServiceVoice', 'hotlineSelfServiceVoice'],
  ['workOrdersCity12345', 'workOrdersCity12345'],
  ['workOrdersProvince12345', 'workOrdersProvince12345'],
  ['workOrdersDirect', 'workOrdersDirect'],
  ['workOrdersClosed', 'workOrdersClosed'],
] as const satisfies readonly (readonly [string, ActivityCounter])[];

export type HotlineMonthView = { month: string; calls: number } & Record<(typeof HOTLINE_CELLS)[number][0], number>;

export async function hotlineMonth(viewer: Viewer, activity: ActivityStore, monthInput: string): Promise<HotlineMonthView> {
  const month = monthOf(monthInput, 'month');
  requireEntry(viewer, 'cockpit-city');
  const [city] = await activity.monthsOf(CITY, month, month);
  const cells = Object.fromEntries(HOTLINE_CELLS.map(([cell, counter]) => [cell, city?.[counter] ?? 0])) as Record<(typeof HOTLINE_CELLS)[number][0], number>;
  return { month, calls: city?.hotlineCalls ?? 0, ...cells };
}
