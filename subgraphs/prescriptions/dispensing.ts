/** A prescription routed to its cloud pharmacy, dispensed there, and delivered or picked up. */
import { dispensedEnd } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, type RecordActivity, realtimeEntry } from '../../monitoring/activity';
import { appError, badUserInput } from '../../platform/errors';
import { LOT } from './filing';
import type { PrescriptionDoc } from './models';
import { requireDeliveryDetails } from './prescription-rules';
import { dispensingOf, type PrescriptionTransitions, routingRoot } from './transitions';

const PRESCRIPTION_DISPENSED: RecordActivity = { counts: {}, feeds: ['dispense'] };

export class Dispensing {
  constructor(
    private readonly access: ResidentAccess,
    private readonly transitions: PrescriptionTransitions,
    /** Counts routings and dispensings at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  async route(id: string): Promise<PrescriptionDoc> {
    const current = await this.transitions.load(id, () => 'route-to-pharmacy');
    this.transitions.requireOrganization(current.organizationCode, 'Only the prescribing organization routes a prescription');
    if (!current.pharmacyCode) throw appError('CONFLICT', 'No pharmacy was chosen for this prescription');
    requireDeliveryDetails(current.delivery, 'give them before routing it');
    const routed = await this.transitions.move(current, 'ROUTED', {});
    // A state change, not a new record: it counts for the prescribing organization, once (the transition is claimed).
    await this.countActivity([{ organizationCode: routed.organizationCode, at: new Date(), counts: { prescriptionsRouted: 1 } }]);
    return routed;
  }

  async dispense(id: string, lot: string, substitutions: string[]): Promise<PrescriptionDoc> {
    if (!LOT.test(lot)) throw badUserInput('lot must be 3-32 letters, digits or -');
    if (substitutions.length > 10 || substitutions.some((text) => text.length > 200)) throw badUserInput('At most 10 substitutions of 200 characters');
    const current = await this.transitions.load(id, 'dispense');
    const pharmacyCode = this.transitions.requirePharmacy(current);
    const dispensed = await this.transitions.move(current, 'DISPENSED', {
      dispensing: { pharmacist: actorOf(this.access.viewer), pharmacyCode, at: new Date(), lot, substitutions },
    });
    // Dispensed drugs no longer expire: the pharmacy keeps its standing until it completes the
    // prescription, and at most the dispensing window (every kind of standing ends).
    const at = new Date();
    await this.access.recordCareRelationship({
      ...dispensingOf(dispensed)!,
      at,
      endsAt: dispensedEnd(at, this.access.settings),
      root: routingRoot(dispensed),
    });
    await this.countActivity([realtimeEntry(pharmacyCode, new Date(), PRESCRIPTION_DISPENSED)]);
    return dispensed;
  }

  async complete(id: string, kind: 'DELIVERED' | 'PICKED_UP'): Promise<PrescriptionDoc> {
    const current = await this.transitions.load(id, 'dispense');
    this.transitions.requirePharmacy(current);
    if (kind === 'DELIVERED') {
      if (current.delivery?.method !== 'DELIVERY')
        throw badUserInput('kind DELIVERED is only for a prescription chosen for home delivery: this one is picked up');
      requireDeliveryDetails(current.delivery, 'it cannot have been delivered');
    }
    return this.transitions.ending(await this.transitions.move(current, kind, {}));
  }
}
