import { organizationName } from '../../runtime/organization-catalogue';
import type { Resolvers } from '../__generated__/resolver-types';
import { Prescription, Transition } from './Prescription';
import { Mutation, Query } from './Query';
import { Resident } from './Resident';
import { Warning } from './Warning';

export const resolvers: Resolvers = { Organization: { name: organizationName }, Query, Mutation, Resident, Prescription, Transition, Warning };
