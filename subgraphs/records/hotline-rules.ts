/** The rules of the hotline record, pure: what a call and a work order must carry, and their ids. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badUserInput } from '../../platform/errors';
import { isoTimeRule, residentIdRule, sourceRecordIdRule } from '../runtime/input-rules';
import { HOTLINE_CALL_CATEGORIES, HOTLINE_CHANNELS, HOTLINE_OUTCOMES, WORK_ORDER_SOURCES, WORK_ORDER_STATUSES } from './models';

const operatorIdRule = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -');

/**
 * A call as the centre reports it: its telephony's call id, when it came in, what it was about,
 * who answered and how it ended; the resident only when the caller was identified. A
 * self-service voice answer is the voice menu's, and only the voice menu answers it.
 */
export const hotlineCallInput = z
  .object({
    callId: sourceRecordIdRule,
    receivedAt: isoTimeRule,
    category: z.enum(HOTLINE_CALL_CATEGORIES, {
      message: `must be one of ${HOTLINE_CALL_CATEGORIES.join(', ')} (a phone appointment is recorded by its booking: bookAppointment with channel PHONE_12320)`,
    }),
    channel: z.enum(HOTLINE_CHANNELS),
    outcome: z.enum(HOTLINE_OUTCOMES),
    residentId: residentIdRule.nullish(),
    operatorId: operatorIdRule.nullish(),
  })
  .superRefine((input, context) => {
    if ((input.category === 'SELF_SERVICE_VOICE') !== (input.channel === 'SELF_SERVICE_VOICE'))
      context.addIssue({ code: 'custom', path: ['channel'], message: 'is SELF_SERVICE_VOICE exactly for a SELF_SERVICE_VOICE call' });
    if (input.channel === 'OPERATOR' && !input.operatorId)
      context.addIssue({ code: 'custom', path: ['operatorId'], message: 'is required for a call an operator answered' });
  });
export type HotlineCallInput = z.infer<typeof hotlineCallInput>;

/** A work order as it arrives: where from, the source's ticket number, when. */
export const workOrderInput = z.object({
  source: z.enum(WORK_ORDER_SOURCES),
  ticketNumber: sourceRecordIdRule,
  receivedAt: isoTimeRule,
});

export function workOrderStatusOf(value: string): (typeof WORK_ORDER_STATUSES)[number] {
  const status = WORK_ORDER_STATUSES.find((known) => known === value);
  if (!status || status === 'RECEIVED') throw badUserInput('status must be ASSIGNED, REPLIED or CLOSED');
  return status;
}

const hexOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);
export const hotlineCallId = (organizationCode: string, callId: string) => hexOf(`hotline-call|${organizationCode}|${callId}`);
export const workOrderId = (organizationCode: string, source: string, ticketNumber: string) =>
  hexOf(`work-order|${organizationCode}|${source}|${ticketNumber}`);
