import type { Resolvers } from '../resolver-types';
import { Organization } from './Organization';
import { Query } from './Query';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Query, Resident, Organization };
