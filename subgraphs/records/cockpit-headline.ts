/**
 * The headline counters of the bulletin's text, up to the end of a month: each the seeded
 * baseline (the opening balance) plus what live events added since, from the city's rollups in
 * one read. Archives and master-index entries grow as desks register residents, look-ups as
 * clinicians read records, smart reminders as reminders are served (duplicate tests at ordering,
 * critical results pushed to an inbox, duplicate medication at prescribing, overdue follow-ups
 * listed), validated records and data under management as records are accepted. The health commission only.
 */
import { requireEntry } from '../../access-control/resident-access';
import type { Viewer } from '../../access-control/viewer';
import type { ActivityStore } from '../../monitoring/activity-store';
import { monthOf } from '../runtime/input';

export interface BulletinHeadlineView {
  month: string;
  residentArchives: number;
  masterIndexEntries: number;
  archiveLookups: number;
  smartReminders: number;
  dataUnderManagement: number;
  validatedRecords: number;
}

export async function bulletinHeadline(viewer: Viewer, activity: ActivityStore, monthInput: string): Promise<BulletinHeadlineView> {
  const month = monthOf(monthInput, 'month');
  requireEntry(viewer, 'cockpit-city');
  const through = await activity.cityCumulativeThrough(month, [
    'residentArchives',
    'masterIndexEntries',
    'archiveLookups',
    'smartReminders',
    'criticalResultAlerts',
    'duplicateMedicationWarnings',
    'overdueFollowUpReminders',
    'verifiedRecords',
    'managedRecordsAdjustment',
  ]);
  const validatedRecords = through.verifiedRecords ?? 0;
  return {
    month,
    residentArchives: through.residentArchives ?? 0,
    masterIndexEntries: through.masterIndexEntries ?? 0,
    archiveLookups: through.archiveLookups ?? 0,
    smartReminders:
      (through.smartReminders ?? 0) +
      (through.criticalResultAlerts ?? 0) +
      (through.duplicateMedicationWarnings ?? 0) +
      (through.overdueFollowUpReminders ?? 0),
    dataUnderManagement: validatedRecords + (through.managedRecordsAdjustment ?? 0),
    validatedRecords,
  };
}
