import type { Resolvers } from '../resolver-types';
import { LabReport, Observation } from './LabReport';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Resident, LabReport, Observation };
