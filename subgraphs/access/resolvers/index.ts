import type { Resolvers } from '../resolver-types';
import { AuditEvent } from './AuditEvent';
import { CareRelationship } from './CareRelationship';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Resident, AuditEvent, CareRelationship };
