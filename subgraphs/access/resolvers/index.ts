import type { Resolvers } from '../__generated__/resolver-types';
import { AuditEvent } from './AuditEvent';
import { CareRelationship } from './CareRelationship';
import { BreakGlassReview, Consent } from './Consent';
import { Mutation, Query } from './Query';
import { Resident } from './Resident';

export const resolvers: Resolvers = { Query, Mutation, Resident, AuditEvent, CareRelationship, Consent, BreakGlassReview };
