import { organizationName } from '../../runtime/organization-catalogue';
import type { Resolvers } from '../__generated__/resolver-types';
import { CriticalResultAlert } from './CriticalResultAlert';
import { HospitalBooking } from './HospitalBooking';
import { LabReport, LabReportVersion, LabSource, Observation } from './LabReport';
import { Mutation, Query } from './Query';
import { Referral } from './Referral';
import { Resident } from './Resident';
import { LabTrend, LatestResult, OrderCheck, ReminderStatistics, TrendPoint } from './Results';

export const resolvers: Resolvers = {
  Organization: { name: organizationName },
  Query,
  Mutation,
  Resident,
  LabReport,
  Referral,
  HospitalBooking,
  LabReportVersion,
  LabSource,
  Observation,
  LatestResult,
  LabTrend,
  TrendPoint,
  OrderCheck,
  ReminderStatistics,
  CriticalResultAlert,
};
