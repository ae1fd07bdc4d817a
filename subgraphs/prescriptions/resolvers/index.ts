import type { Resolvers } from '../resolver-types';
import { Prescription } from './Prescription';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Resident, Prescription };
