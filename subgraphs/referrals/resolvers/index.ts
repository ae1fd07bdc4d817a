import type { Resolvers } from '../__generated__/resolver-types';
import { Appointment } from './Appointment';
import { CheckupBooking, CheckupPackage } from './Checkup';
import { HospitalBooking } from './HospitalBooking';
import { NursingOrder, NursingTransition, NursingVisit } from './NursingOrder';
import { Organization } from './Organization';
import { Mutation, Query } from './Query';
import { FamilyDoctorContract, Referral, ReferralTransition, SlotAvailability } from './Referral';
import { Resident } from './Resident';
import { Settlement } from './Settlement';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Resident,
  Organization,
  Referral,
  ReferralTransition,
  FamilyDoctorContract,
  SlotAvailability,
  Appointment,
  NursingOrder,
  NursingTransition,
  NursingVisit,
  HospitalBooking,
  Settlement,
  CheckupPackage,
  CheckupBooking,
};
