/** Who may call each resolver of the prescriptions subgraph (the kit's field table); which residents they see is the policy's call. */
import { FIELD_ACCESS } from '../../access-control/field-access';
import { type PermissionMap, shieldRulesOf } from '../runtime/permissions';

export const permissions: PermissionMap = shieldRulesOf(FIELD_ACCESS.prescriptions);
