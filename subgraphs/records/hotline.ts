/**
 * The 12320 health hotline's record: the calls its centre accepted (one by one from an
 * operator's desk, or in batches from its telephony system) and the work orders it handles
 * (from the city's 12345, the province's 12345, or received directly) through to closure.
 * Both count at the platform as they are accepted, under the centre, so the cockpit gives the
 * bulletin's hotline table. Phone appointments are not recorded here: the booking an operator
 * makes (bookAppointment, channel PHONE_12320) is their record and counts them.
 *
 * A call about a resident is personal data: recording one is a write the policy decides (the
 * hotline serves any caller and needs no standing; recording gives none); reading one is the
 * resident's, and their family doctor's under their consent (a crisis intervention is
 * mental-health data), audited as every disclosure is.
 */
import { holdsRoleFor, type WriteKind } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import type { SensitiveCategory } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import type { CountActivity } from '../../monitoring/activity';
import type { ActivityCounter, ActivityEntry } from '../../monitoring/activity-store';
import { instantOf } from '../../platform/calendar';
import { claim, claimAll } from '../../platform/claims';
import { oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, forbidden } from '../../platform/errors';
import { accepted, decideByPolicy, parseBatch, refused, type UploadOutcome } from '../runtime/batch-upload';
import { recordIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import { type HotlineCallInput, hotlineCallId, hotlineCallInput, workOrderId, workOrderInput, workOrderStatusOf } from './hotline-rules';
import type { HotlineCallDoc, RecordsModels, ResidentDoc, WorkOrderDoc } from './models';
import { WORK_ORDER_STATUSES } from './models';
import type { Organizations } from './organizations';
import { aliasesOf } from './resident-index';

/** The counter each category of call moves at the centre. */
const CATEGORY_COUNTERS: Record<HotlineCallDoc['category'], ActivityCounter> = {
  CONSULTATION: 'hotlineConsultations',
  MEDICAL_COMPLAINT: 'hotlineMedicalComplaints',
  HUMAN_SERVICE: 'hotlineHumanService',
  CRISIS_INTERVENTION: 'hotlineCrisisInterventions',
  SELF_SERVICE_VOICE: 'hotlineSelfServiceVoice',
};
const SOURCE_COUNTERS: Record<WorkOrderDoc['source'], ActivityCounter> = {
  CITY_12345: 'workOrdersCity12345',
  PROVINCE_12345: 'workOrdersProvince12345',
  DIRECT: 'workOrdersDirect',
};

/** What an accepted call counts at its centre, on the day it was received. */
export function callActivity(call: Pick<HotlineCallDoc, 'organizationCode' | 'receivedAt' | 'category'>): ActivityEntry {
  return { organizationCode: call.organizationCode, at: call.receivedAt, counts: { hotlineCalls: 1, [CATEGORY_COUNTERS[call.category]]: 1 } };
}

/** What a crisis intervention reveals: mental health. Other calls reveal no sensitive category of their own. */
export const callSensitivities = (category: HotlineCallDoc['category']): SensitiveCategory[] => (category === 'CRISIS_INTERVENTION' ? ['MENTAL_HEALTH'] : []);

/** A call's consent label: its category's, and the centre it came from. */
export const callLabel = (call: HotlineCallDoc) => ({
  categories: [...new Set([...call.sensitivities, ...callSensitivities(call.category)])],
  organizationCode: call.organizationCode,
});

export class Hotline {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    private readonly organizations: Organizations,
    private readonly countActivity: CountActivity,
  ) {}

  /** The caller's centre, when the caller holds the write and its organization is the registry's hotline centre. */
  private async centre(write: WriteKind): Promise<string> {
    const { viewer } = this.access;
    if (!holdsRoleFor(viewer, write)) throw forbidden('The hotline record is written by the 12320 hotline centre’s operators and telephony');
    const code = viewer.organizationCode;
    const [organization] = code ? await this.organizations.organizationsByCode([code]) : [];
    if (organization?.level !== 'HOTLINE') throw forbidden('The caller’s organization is not a hotline centre of the registry');
    return organization._id;
  }

  private callDoc(input: HotlineCallInput, organizationCode: string, residentId: string | null): HotlineCallDoc {
    return {
      _id: hotlineCallId(organizationCode, input.callId),
      organizationCode,
      callId: input.callId,
      receivedAt: instantOf(input.receivedAt)!,
      category: input.category,
      channel: input.channel,
      outcome: input.outcome,
      residentId,
      operatorId: input.operatorId ?? null,
      recordedBy: actorOf(this.access.viewer),
      sensitivities: callSensitivities(input.category),
    };
  }

  /** Records one call from an operator's desk; a re-sent call (same callId) is answered as recorded, not counted twice. */
  async recordCall(rawInput: unknown): Promise<HotlineCallDoc> {
    const input = parseInput(hotlineCallInput, rawInput);
    const centre = await this.centre('record-hotline-call');
    const residentId = input.residentId ? await this.access.requireWrite(input.residentId, 'record-hotline-call') : null;
    const call = this.callDoc(input, centre, residentId);
    if (!(await claim(this.models.HotlineCall, call))) {
      const stored = await this.models.HotlineCall.findById(call._id).lean<HotlineCallDoc>().exec();
      if (stored && sameCall(stored, call)) return stored;
      throw appError('CONFLICT', 'This callId was recorded with other content');
    }
    await this.countActivity([callActivity(call)]);
    return call;
  }

  /**
   * The telephony system's batch: each call validated and decided as recordCall does, one
   * outcome per call in order (CREATED, UNCHANGED for a re-sent one, REJECTED with the reason).
   * One decision read and one write for the whole batch.
   */
  async uploadCalls(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    const { parsed, outcomes } = parseBatch(rawInputs, hotlineCallInput, 'callId');
    const centre = await this.centre('record-hotline-call');
    const aboutResidents = new Map([...parsed].filter(([, input]) => input.residentId)) as Map<number, HotlineCallInput & { residentId: string }>;
    const survivors = await decideByPolicy(this.access, 'record-hotline-call', aboutResidents, outcomes);
    const calls = new Map<number, HotlineCallDoc>();
    for (const [index, input] of parsed) {
      if (outcomes[index]) continue;
      calls.set(index, this.callDoc(input, centre, input.residentId ? survivors.get(index)! : null));
    }
    const positions = [...calls.keys()];
    const taken = await claimAll(
      this.models.HotlineCall,
      positions.map((index) => calls.get(index)!),
    );
    const stored = new Map(
      taken.size === 0
        ? []
        : (
            await this.models.HotlineCall.find({ _id: oneOf([...taken].map((position) => calls.get(positions[position]!)!._id)) })
              .lean<HotlineCallDoc[]>()
              .exec()
          ).map((call) => [call._id, call] as const),
    );
    const counted: ActivityEntry[] = [];
    positions.forEach((index, position) => {
      const call = calls.get(index)!;
      if (!taken.has(position)) {
        outcomes[index] = accepted('CREATED');
        counted.push(callActivity(call));
        return;
      }
      const previous = stored.get(call._id);
      outcomes[index] = previous && sameCall(previous, call) ? accepted('UNCHANGED') : refused('CONFLICT', 'This callId was recorded with other content');
    });
    await this.countActivity(counted);
    return outcomes.map((outcome) => outcome!);
  }

  /** Records a work order as it arrives (a re-sent ticket is the same order); it counts under its source. */
  async receiveWorkOrder(rawInput: unknown): Promise<WorkOrderDoc> {
    const input = parseInput(workOrderInput, rawInput);
    const centre = await this.centre('handle-work-order');
    const receivedAt = instantOf(input.receivedAt)!;
    const order: WorkOrderDoc = {
      _id: workOrderId(centre, input.source, input.ticketNumber),
      organizationCode: centre,
      source: input.source,
      ticketNumber: input.ticketNumber,
      receivedAt,
      status: 'RECEIVED',
      steps: [{ status: 'RECEIVED', at: receivedAt, by: actorOf(this.access.viewer) }],
    };
    if (!(await claim(this.models.WorkOrder, order))) {
      const stored = await this.models.WorkOrder.findById(order._id).lean<WorkOrderDoc>().exec();
      if (stored && stored.receivedAt.getTime() === receivedAt.getTime()) return stored;
      throw appError('CONFLICT', 'This ticket was received before at another time');
    }
    await this.countActivity([{ organizationCode: centre, at: receivedAt, counts: { [SOURCE_COUNTERS[order.source]]: 1 } }]);
    return order;
  }

  /**
   * Moves a work order on to a later status (ASSIGNED, REPLIED, CLOSED; a step may be skipped,
   * never repeated or undone). Each step is claimed, so two operators closing at once close it
   * once; closure counts on the day it happened.
   */
  async advanceWorkOrder(idInput: string, statusInput: string): Promise<WorkOrderDoc> {
    const id = recordIdOf(idInput, 'WorkOrder');
    const status = workOrderStatusOf(statusInput);
    const centre = await this.centre('handle-work-order');
    const order = await this.models.WorkOrder.findById(id).lean<WorkOrderDoc>().exec();
    if (!order || order.organizationCode !== centre) throw appError('NOT_FOUND', 'No such work order at this centre');
    if (WORK_ORDER_STATUSES.indexOf(status) <= WORK_ORDER_STATUSES.indexOf(order.status))
      throw appError('CONFLICT', `The work order is ${order.status}: it cannot go to ${status}`);
    const now = new Date();
    if (!(await claim(this.models.WorkOrderStepClaim, { _id: `${order._id}|${status}`, at: now })))
      throw appError('CONFLICT', `The work order reached ${status} already`);
    const step = { status, at: now, by: actorOf(this.access.viewer) };
    const updated = await this.models.WorkOrder.findOneAndUpdate({ _id: order._id }, { $set: { status }, $push: { steps: step } }, { returnDocument: 'after' })
      .lean<WorkOrderDoc>()
      .exec();
    if (status === 'CLOSED') await this.countActivity([{ organizationCode: centre, at: now, counts: { workOrdersClosed: 1 } }]);
    return updated!;
  }

  /** The centre's work orders not yet closed, oldest first (at most `first`). */
  async openWorkOrders(first: number): Promise<WorkOrderDoc[]> {
    const centre = await this.centre('handle-work-order');
    return this.models.WorkOrder.find({ organizationCode: centre, status: oneOf(WORK_ORDER_STATUSES.filter((status) => status !== 'CLOSED')) })
      .sort({ receivedAt: 1 })
      .limit(first)
      .lean<WorkOrderDoc[]>()
      .exec();
  }

  /** Residents' calls (filed under a merged id included), latest first, as the viewer may see them: one query for all. */
  async callsOf(residents: readonly ResidentDoc[]): Promise<Map<string, HotlineCallDoc[]>> {
    const permitted = await this.access.permitted(
      residents.map((resident) => resident._id),
      'hotline-calls',
    );
    const visible = residents.filter((resident) => permitted.has(resident._id));
    const result = new Map<string, HotlineCallDoc[]>(visible.map((resident) => [resident._id, []]));
    if (visible.length === 0) return result;
    const ownerOf = new Map(visible.flatMap((resident) => aliasesOf(resident).map((alias) => [alias, resident._id] as const)));
    const rows = await this.models.HotlineCall.find({ residentId: oneOf([...ownerOf.keys()]) })
      .sort({ receivedAt: -1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<HotlineCallDoc[]>()
      .exec();
    for (const row of rows) result.get(ownerOf.get(row.residentId!)!)?.push(row);
    for (const [residentId, calls] of result) result.set(residentId, await this.access.visibleItems(residentId, calls, callLabel));
    return result;
  }
}

/** Whether a re-sent call is the one recorded: everything but who sent it again. */
function sameCall(stored: HotlineCallDoc, call: HotlineCallDoc): boolean {
  return (
    stored.receivedAt.getTime() === call.receivedAt.getTime() &&
    stored.category === call.category &&
    stored.channel === call.channel &&
    stored.outcome === call.outcome &&
    stored.residentId === call.residentId &&
    (stored.operatorId ?? null) === call.operatorId
  );
}
