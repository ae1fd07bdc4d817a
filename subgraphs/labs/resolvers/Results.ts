import type {
  LabTrendResolvers,
  LatestResultResolvers,
  OrderCheckResolvers,
  ReminderStatisticsResolvers,
  TrendPointResolvers,
} from '../__generated__/resolver-types';
import { referenceRangeOf } from './LabReport';

export const LatestResult: LatestResultResolvers = {
  code: (latest) => latest.observation.code,
  issuedAt: (latest) => latest.report.issuedAt.toISOString(),
  organization: (latest) => ({ code: latest.report.organizationCode }),
  reportId: (latest) => latest.report._id,
};

export const LabTrend: LabTrendResolvers = {
  code: (trend) => ({ system: 'http://loinc.org', code: trend.item.code, display: trend.item.name }),
  unit: (trend) => trend.item.unit,
};

export const TrendPoint: TrendPointResolvers = {
  at: (point) => point.at.toISOString(),
  reportedValue: (point) => point.observation.value,
  reportedUnit: (point) => point.observation.unit,
  interpretation: (point) => point.observation.interpretation,
  organization: (point) => ({ code: point.report.organizationCode }),
  reportId: (point) => point.report._id,
  referenceRange: (point) => referenceRangeOf(point.observation),
};

export const OrderCheck: OrderCheckResolvers = {
  itemCode: (check) => check.item.code,
  name: (check) => check.item.name,
  lastReport: (check) => check.last?.report ?? null,
  lastValue: (check) => check.last?.observation ?? null,
  validUntil: (check) => check.validUntil?.toISOString() ?? null,
};

export const ReminderStatistics: ReminderStatisticsResolvers = {
  organization: (row) => ({ code: row.organizationCode }),
};
