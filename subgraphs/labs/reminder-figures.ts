/**
 * The smart reminders' monthly figures per organization, as the health commission reads them:
 * the duplicate-test reminders this subgraph records, beside the counters every subgraph adds
 * to the platform's activity rollups for its own reminders (critical results pushed and
 * acknowledged here, duplicate medication warned in prescriptions, overdue follow-ups listed in
 * records). Aggregates only.
 */
import type { ActivityRollupDoc, ActivityStore } from '../../monitoring/activity-store';
import { CITY } from '../../monitoring/activity-store';
import { organizationCodeOf } from '../runtime/ids';
import { monthOf } from '../runtime/input';
import type { LabsRepository, ReminderStatisticsRow } from './repository';

const ROLLED_UP = [
  'criticalResultAlerts',
  'criticalResultsAcknowledged',
  'criticalResultsAcknowledgedLate',
  'duplicateMedicationWarnings',
  'overdueFollowUpReminders',
] as const;

export type ReminderFiguresRow = ReminderStatisticsRow & Record<(typeof ROLLED_UP)[number], number>;

export async function reminderFigures(
  repository: LabsRepository,
  activity: ActivityStore,
  month: string,
  organizationCodeInput: string | null | undefined,
): Promise<ReminderFiguresRow[]> {
  monthOf(month, 'month');
  const organizationCode = organizationCodeInput ? organizationCodeOf(organizationCodeInput) : null;
  const [duplicateTests, rollups] = await Promise.all([repository.reminderStatistics(month, organizationCode), activity.monthRows(month)]);
  const rows = new Map<string, ReminderFiguresRow>(duplicateTests.map((row) => [row.organizationCode, { ...row, ...figuresOf(null) }]));
  for (const rollup of rollups) {
    if (rollup.organizationCode === CITY || (organizationCode && rollup.organizationCode !== organizationCode)) continue;
    if (!ROLLED_UP.some((counter) => rollup[counter])) continue;
    const row = rows.get(rollup.organizationCode) ?? { organizationCode: rollup.organizationCode, month, shown: 0, reuse: 0, consider: 0, order: 0 };
    rows.set(rollup.organizationCode, { ...row, ...figuresOf(rollup) });
  }
  return [...rows.values()].sort((a, b) => a.organizationCode.localeCompare(b.organizationCode));
}

function figuresOf(rollup: ActivityRollupDoc | null): Record<(typeof ROLLED_UP)[number], number> {
  return Object.fromEntries(ROLLED_UP.map((counter) => [counter, rollup?.[counter] ?? 0])) as Record<(typeof ROLLED_UP)[number], number>;
}
