import type { Resolvers } from '../resolver-types';
import { Referral } from './Referral';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Resident, Referral };
