import { organizationName } from '../../runtime/organization-catalogue';
import type { Resolvers } from '../__generated__/resolver-types';
import { AuditEvent } from './AuditEvent';
import { CareRelationship } from './CareRelationship';
import { BreakGlassReview, Consent } from './Consent';
import { Mutation, Query } from './Query';
import { Resident } from './Resident';

export const resolvers: Resolvers = {
  Organization: { name: organizationName },
  Query,
  Mutation,
  Resident,
  AuditEvent,
  CareRelationship,
  Consent,
  BreakGlassReview,
};
