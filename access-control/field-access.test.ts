import fc from 'fast-check';
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, shieldRulesOf } from '../subgraphs/runtime/permissions';
import { decideEntry } from './entry-points';
import { FIELD_ACCESS, type Reach, rolesOf } from './field-access';
import { ROLES, type Viewer } from './viewer';

const reachOf = (subgraph: keyof typeof FIELD_ACCESS, path: string): Reach => {
  const [type, field] = path.split('.') as [string, string];
  return FIELD_ACCESS[subgraph][type]![field]!;
};

describe('the field table', () => {
  it('gives each gated field the roles of the policy entry or write it names', () => {
    expect(rolesOf(reachOf('prescriptions', 'Mutation.signPrescription'))).toEqual(['doctor', 'family_doctor']);
    expect(rolesOf(reachOf('prescriptions', 'Mutation.routePrescription'))).toEqual(['doctor', 'family_doctor', 'internet_hospital']);
    expect(rolesOf(reachOf('referrals', 'Mutation.bookAppointment'))).toEqual(['resident', 'hotline_operator', 'hospital_system']);
    expect(rolesOf(reachOf('referrals', 'Mutation.publishSlotPools'))).toEqual(['hospital_system']);
    expect(rolesOf(reachOf('records', 'Query.cockpitMonth'))).toEqual(['health_commission', 'doctor', 'hospital_system']);
    expect(rolesOf(reachOf('access', 'Query.auditEvents'))).toEqual(['privacy_officer']);
    expect(rolesOf(reachOf('labs', 'Resident.labReports'))).toEqual(['doctor', 'family_doctor', 'resident']);
  });

  it('builds the shield map: open fields for any signed-in caller, _entities for the gateway, the rest by role', () => {
    const map = shieldRulesOf(FIELD_ACCESS.referrals) as Record<string, Record<string, unknown>>;
    expect(map.Query!._entities).toBe(entitiesWithinLimit);
    expect(map.Query!.departments).toBe(isAuthenticated);
    expect(map.Mutation!.publishSlotPools).toBe(hasAnyRole('hospital_system'));
    expect(map.Mutation!.bookReferralSlot).toBe(hasAnyRole('doctor', 'family_doctor'));
  });

  it('never shuts out at the gate a caller an entry point it names lets in', () => {
    const gated = Object.values(FIELD_ACCESS).flatMap((table) => Object.values(table).flatMap((fields) => Object.values(fields)));
    const viewer = fc.record({
      roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
      organization: fc.boolean(),
      practitioner: fc.boolean(),
    });
    fc.assert(
      fc.property(viewer, fc.constantFrom(...gated), ({ roles, organization, practitioner }, reach) => {
        if (typeof reach === 'string' || !('entries' in reach)) return true;
        const caller: Viewer = {
          subject: 't',
          roles,
          organizationCode: organization ? '3201-H001' : undefined,
          practitionerId: practitioner ? 'P1' : undefined,
          residentId: 'r1',
          purposeOfUse: 'treatment',
        };
        const letIn = reach.entries.some((entry) => decideEntry(caller, entry).outcome === 'allowed');
        return !letIn || roles.some((role) => rolesOf(reach).includes(role));
      }),
    );
  });
});
