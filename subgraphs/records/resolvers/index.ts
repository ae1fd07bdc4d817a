import type { Resolvers } from '../__generated__/resolver-types';
import { ActivityRow, CockpitHospitalAppointments } from './ActivityRow';
import { AllergyIntolerance } from './AllergyIntolerance';
import { Condition } from './Condition';
import { Encounter, Source } from './Encounter';
import { HospitalBooking } from './HospitalBooking';
import { HotlineCall, WorkOrder, WorkOrderStep } from './Hotline';
import { Identifier, MergeEvent } from './Identifier';
import { MatchedRecord, MatchReview } from './MatchReview';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { OverdueFollowUp } from './OverdueFollowUp';
import { Prescription } from './Prescription';
import { Query } from './Query';
import { Referral } from './Referral';
import { Resident } from './Resident';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Resident,
  Organization,
  Encounter,
  Source,
  Condition,
  OverdueFollowUp,
  AllergyIntolerance,
  Identifier,
  MergeEvent,
  MatchReview,
  MatchedRecord,
  Prescription,
  Referral,
  HospitalBooking,
  ActivityRow,
  CockpitHospitalAppointments,
  HotlineCall,
  WorkOrder,
  WorkOrderStep,
};
