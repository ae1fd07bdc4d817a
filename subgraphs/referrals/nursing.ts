/**
 * Home nursing orders (互联网护理): a resident, or an internet hospital for its patient, orders a
 * service of the catalogue from a community health centre; the centre accepts and assigns a
 * nurse, or refuses; the nurse records the visit and the centre completes the order; the
 * orderer may cancel it while it is open. Every change is a claimed transition
 * (`<id>:<version>`). The centre's standing with the resident (NURSING) is recorded when the
 * order is placed, rests on it, and ends when it is completed, cancelled or refused.
 */

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { holdsRoleFor, type StandingRoot, type WriteKind } from '../../access-control/policy';
import { type ResidentAccess, visibleRecords } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import type { CountActivity } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { recordIdOf } from '../runtime/ids';
import { dateOf, parseInput } from '../runtime/input';
import type { NursingOrderDoc, NursingTransitionDoc, ReferralsModels } from './models';
import {
  canMoveNursing,
  effectiveNursingStatus,
  NURSING_SERVICES,
  type NursingActor,
  type NursingStatus,
  nursingExpiresAt,
  nursingLabel,
  nursingSensitivities,
  preconditionProblems,
} from './nursing-rules';
import { beijingDate, hexIdOf, withinHorizon } from './referral-rules';
import { requireOrganization } from './repository-helpers';

/** How far ahead a visit may be asked for. */
export const NURSING_AHEAD_DAYS = 14;

const orderInput = z.object({
  residentId: z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'),
  // A community health centre's code: the order gives its clinicians standing, never a hospital's.
  organizationCode: z.string().regex(/^3201-C\d{3,4}$/, "must be a community health centre's code, such as 3201-C001"),
  serviceCode: z.string().min(1).max(40),
  preconditions: z.array(z.string().max(40)).max(10),
  preferredDate: z.string(),
  address: z.string().trim().min(4).max(200),
  notes: z.string().trim().max(1000).nullish(),
});
const visitInput = z.object({
  performed: z.string().trim().min(4).max(2000),
  observations: z.string().trim().max(2000).nullish(),
});
const reasonOf = (reason: string, what: string) => {
  const trimmed = reason.trim();
  if (trimmed.length < 4 || trimmed.length > 500) throw badUserInput(`A ${what} needs a reason (4-500 characters)`);
  return trimmed;
};

export const nursingOrderKey = (order: NursingOrderDoc) => ({ at: order.orderedAt, id: order._id });

export class NursingOrders {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    /** Counts orders placed and visits completed for the centre (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  services() {
    return NURSING_SERVICES;
  }

  /**
   * Places an order. The resident orders for themselves; an internet hospital orders for a
   * patient it has ordinary standing with. The order gives the centre standing, never the orderer.
   */
  async order(rawInput: unknown): Promise<NursingOrderDoc> {
    const input = parseInput(orderInput, rawInput);
    const preferredDate = dateOf(input.preferredDate, 'preferredDate');
    const now = new Date();
    if (!withinHorizon(preferredDate, now, NURSING_AHEAD_DAYS))
      throw badUserInput(`preferredDate must be from today (${beijingDate(now)}) to ${NURSING_AHEAD_DAYS} days ahead, Beijing time`);
    const problems = preconditionProblems(input.serviceCode, input.preconditions);
    if (problems.length > 0) throw badUserInput(`Invalid input: ${problems.join('; ')}`);
    const byResident = holdsRoleFor(this.access.viewer, 'order-nursing');
    const ordererOrganizationCode = byResident ? null : requireOrganization(this.access);
    const residentId = await this.access.requireWrite(input.residentId, byResident ? 'order-nursing' : 'order-nursing-for-patient');
    const order: NursingOrderDoc = {
      _id: hexIdOf(`nursing|${randomUUID()}`),
      residentId,
      organizationCode: input.organizationCode,
      ordererKind: byResident ? 'RESIDENT' : 'INTERNET_HOSPITAL',
      ordererOrganizationCode,
      serviceCode: input.serviceCode,
      preconditions: [...new Set(input.preconditions)],
      preferredDate,
      address: input.address,
      notes: input.notes || null,
      status: 'ORDERED',
      version: 1,
      orderedAt: now,
      expiresAt: nursingExpiresAt(now),
      nurseId: null,
      reason: null,
      visit: null,
      sensitivities: [],
    };
    order.sensitivities = nursingSensitivities(order);
    await this.models.NursingOrder.create(order);
    await this.models.NursingTransition.create(this.transition(order, null, 'ORDERED', 1, now));
    const standing = this.access.writeBasisOf(residentId);
    const root: StandingRoot = {
      kind: 'NURSING_ORDER',
      organizationCode: ordererOrganizationCode,
      basis: `nursing order ${order._id} placed by ${byResident ? 'the resident' : `${ordererOrganizationCode}${standing ? ` under ${standing.toLowerCase()}` : ''}`}`,
    };
    await this.access.recordCareRelationship({ ...nursingSource(order), at: now, endsAt: order.expiresAt, root });
    await this.access.permitted([residentId], 'nursing');
    await this.countActivity([{ organizationCode: order.organizationCode, at: now, counts: { nursingOrders: 1 } }]);
    return order;
  }

  /** The centre accepts the order and assigns the nurse who will visit. */
  async accept(id: string, nurseId: string): Promise<NursingOrderDoc> {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(nurseId)) throw badUserInput('nurseId must be a practitioner id of 1-40 letters, digits or . _ -');
    return this.move(await this.asCentre(id), 'ACCEPTED', 'centre', { nurseId });
  }

  async refuse(id: string, reason: string): Promise<NursingOrderDoc> {
    const why = reasonOf(reason, 'refusal');
    return this.close(await this.asCentre(id), 'REFUSED', 'centre', why);
  }

  /** The assigned nurse records what was done at the visit. */
  async recordVisit(id: string, rawInput: unknown): Promise<NursingOrderDoc> {
    const input = parseInput(visitInput, rawInput);
    const order = await this.asCentre(id);
    if (!order.nurseId || this.access.viewer.practitionerId !== order.nurseId) throw forbidden('Only the assigned nurse records the visit');
    const visit = { at: new Date(), nurseId: order.nurseId, performed: input.performed, observations: input.observations || null };
    return this.move(order, 'VISITED', 'centre', { visit });
  }

  async complete(id: string): Promise<NursingOrderDoc> {
    const completed = await this.close(await this.asCentre(id), 'COMPLETED', 'centre', null);
    await this.countActivity([{ organizationCode: completed.organizationCode, at: new Date(), counts: { nursingVisits: 1 } }]);
    return completed;
  }

  /** The one who placed the order cancels it: the resident their own, the internet hospital its own. */
  async cancel(id: string, reason: string): Promise<NursingOrderDoc> {
    const why = reasonOf(reason, 'cancellation');
    const order = await this.load(id, (found) => (found.ordererKind === 'RESIDENT' ? 'order-nursing' : 'order-nursing-for-patient'));
    if (order.ordererKind === 'INTERNET_HOSPITAL' && this.access.viewer.organizationCode !== order.ordererOrganizationCode)
      throw forbidden('Only who placed the order cancels it');
    return this.close(order, 'CANCELLED', 'orderer', why);
  }

  /** A final move: the centre's standing from the order ends with it, at once. */
  private async close(order: NursingOrderDoc, to: NursingStatus, actor: NursingActor, reason: string | null): Promise<NursingOrderDoc> {
    const closed = await this.move(order, to, actor, reason ? { reason } : {});
    await this.access.endCareRelationships([nursingSource(order)], new Date());
    return closed;
  }

  private async move(current: NursingOrderDoc, to: NursingStatus, actor: NursingActor, patch: Partial<NursingOrderDoc>): Promise<NursingOrderDoc> {
    const from = effectiveNursingStatus(current);
    if (!canMoveNursing(from, to, actor)) throw appError('CONFLICT', `A ${from.toLowerCase()} nursing order cannot become ${to.toLowerCase()}`);
    const version = current.version + 1;
    if (!(await claim(this.models.NursingTransition, this.transition(current, from, to, version, new Date()))))
      throw appError('CONFLICT', 'The nursing order was changed by another request meanwhile');
    // A reason or a visit brings free text: the stored label takes in what it reveals.
    const sensitivities = unionOf(current.sensitivities, nursingSensitivities({ ...current, ...patch }));
    const updated = await this.models.NursingOrder.findOneAndUpdate(
      { _id: current._id, version: current.version },
      { $set: { ...patch, sensitivities, status: to, version } },
      { returnDocument: 'after' },
    )
      .lean<NursingOrderDoc>()
      .exec();
    await this.access.permitted([current.residentId], 'nursing');
    return updated!;
  }

  private transition(order: NursingOrderDoc, from: NursingStatus | null, to: NursingStatus, version: number, at: Date): NursingTransitionDoc {
    const { viewer } = this.access;
    return { _id: `${order._id}:${version}`, orderId: order._id, from, to, by: actorOf(viewer), organizationCode: viewer.organizationCode ?? null, at };
  }

  /** The order a mutation acts on, once the policy allowed the write (FORBIDDEN without standing; NOT_FOUND only for an id that names no order). */
  private async load(id: string, writeOf: (order: NursingOrderDoc) => WriteKind): Promise<NursingOrderDoc> {
    const found = await this.models.NursingOrder.findById(recordIdOf(id, 'NursingOrder')).lean<NursingOrderDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such nursing order');
    await this.access.requireWrite(found.residentId, writeOf(found));
    return found;
  }

  private async asCentre(id: string): Promise<NursingOrderDoc> {
    const order = await this.load(id, () => 'provide-nursing');
    if (this.access.viewer.organizationCode !== order.organizationCode) throw forbidden('Only the centre the order is placed with does this');
    return order;
  }

  // Reads: each through the policy (kind `nursing`), and an order whose text reveals a category
  // the resident restricted is left out for all but the resident, the centre and the orderer.

  async ordersById(ids: readonly string[]): Promise<NursingOrderDoc[]> {
    const rows = await this.models.NursingOrder.find({ _id: oneOf(ids) })
      .lean<NursingOrderDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'nursing', nursingLabel);
  }

  async ordersOfResidents(residentIds: readonly string[]) {
    return this.access.read<NursingOrderDoc>(
      'nursing',
      residentIds,
      (filedUnder) =>
        this.models.NursingOrder.find({ residentId: oneOf(filedUnder) })
          .sort({ orderedAt: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<NursingOrderDoc[]>()
          .exec(),
      nursingLabel,
    );
  }

  /** The caller's centre's orders, newest first; only those it still has standing for (open orders) show. */
  inbox(status: NursingStatus | null | undefined, first: number, after: string | null | undefined): Promise<Page<NursingOrderDoc>> {
    const query: Record<string, unknown> = { organizationCode: requireOrganization(this.access) };
    return timePage(
      {
        field: 'orderedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.NursingOrder.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<NursingOrderDoc[]>()
            .exec(),
        keyOf: nursingOrderKey,
        keep: async (rows) => {
          const visible = await visibleRecords(this.access, rows, 'nursing', nursingLabel);
          return status ? visible.filter((row) => effectiveNursingStatus(row) === status) : visible;
        },
      },
      first,
      after,
    );
  }

  async transitionsOf(orderIds: readonly string[]): Promise<NursingTransitionDoc[]> {
    return this.models.NursingTransition.find({ orderId: oneOf(orderIds) })
      .sort({ at: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<NursingTransitionDoc[]>()
      .exec();
  }
}

/** The centre's relationship an order gives. */
function nursingSource(order: NursingOrderDoc) {
  return {
    residentId: order.residentId,
    organizationCode: order.organizationCode,
    kind: 'NURSING' as const,
    source: { subgraph: 'referrals', recordId: order._id },
  };
}
