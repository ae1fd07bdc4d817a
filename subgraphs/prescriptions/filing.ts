/**
 * Prescriptions a hospital already signed and dispensed from its own pharmacy, filed from its
 * information system (POST /upload/prescriptions): checked as issuePrescription checks its
 * input, and filed as a finished record of the hospital, DISPENSED by its own pharmacy. No
 * pharmacy of the platform is chosen, so no state change can follow and no standing is given.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sourceRecordKey } from '../runtime/ids';
import { ICD10, isoTimeRule, residentIdRule, sourceRecordIdRule, textRule } from '../runtime/input-rules';
import type { PrescriptionDoc } from './models';
import { itemInput, itemsOf, prescriptionSensitivities, validUntilOf } from './prescription-rules';

/** A dispensed batch number: 3-32 letters, digits or -. */
export const LOT = /^[A-Za-z0-9-]{3,32}$/;

export const diagnosesRule = z
  .array(z.object({ code: z.string().regex(ICD10, 'must be an ICD-10 code'), display: z.string().min(1).max(100) }))
  .min(1, 'needs at least one diagnosis')
  .max(10);

export const filedPrescriptionInput = z
  .object({
    residentId: residentIdRule,
    sourceRecordId: sourceRecordIdRule,
    encounterSourceRecordId: sourceRecordIdRule.nullish(),
    prescriberPractitioner: textRule(64),
    issuedAt: isoTimeRule,
    diagnoses: diagnosesRule,
    items: z.array(itemInput),
    dispensing: z.object({
      at: isoTimeRule,
      pharmacist: textRule(64),
      lot: z.string().regex(LOT, 'must be 3-32 letters, digits or -'),
      substitutions: z.array(z.string().max(200, 'must be at most 200 characters')).max(10).nullish(),
    }),
  })
  .superRefine((input, context) => {
    // A minute of leeway for the hospital's clock.
    const latest = Date.now() + 60_000;
    if (Date.parse(input.issuedAt) > latest) context.addIssue({ code: 'custom', path: ['issuedAt'], message: 'is in the future' });
    if (Date.parse(input.dispensing.at) > latest) context.addIssue({ code: 'custom', path: ['dispensing', 'at'], message: 'is in the future' });
    if (Date.parse(input.dispensing.at) < Date.parse(input.issuedAt))
      context.addIssue({ code: 'custom', path: ['dispensing', 'at'], message: 'is before issuedAt' });
  });
export type FiledPrescriptionInput = z.infer<typeof filedPrescriptionInput>;

/** The id a hospital's filed prescription always lands on. */
export const filedPrescriptionId = (organizationCode: string, sourceRecordId: string) => sourceRecordKey('prescription', organizationCode, sourceRecordId);

/**
 * The document a filed prescription is, for the resident it lands on (the survivor of a
 * merge). Its requestHash is the content as sent: an identical re-send changes nothing.
 */
export function filedPrescriptionDoc(
  input: FiledPrescriptionInput,
  organizationCode: string,
  residentId: string,
  chronicMaxDays: number,
  uploadedAt: Date,
): PrescriptionDoc {
  const items = itemsOf(input.items, chronicMaxDays);
  const diagnoses = input.diagnoses.map((diagnosis) => ({ system: 'ICD-10', code: diagnosis.code, display: diagnosis.display }));
  const issuedAt = new Date(input.issuedAt);
  return {
    _id: filedPrescriptionId(organizationCode, input.sourceRecordId),
    residentId,
    organizationCode,
    prescriberPractitioner: input.prescriberPractitioner,
    encounterId: input.encounterSourceRecordId ? sourceRecordKey('encounter', organizationCode, input.encounterSourceRecordId) : null,
    diagnoses,
    items,
    status: 'DISPENSED',
    version: 1,
    issuedAt,
    validUntil: validUntilOf(issuedAt),
    renewal: false,
    pharmacyCode: null,
    delivery: null,
    signature: null,
    review: null,
    dispensing: {
      pharmacist: input.dispensing.pharmacist,
      pharmacyCode: organizationCode,
      at: new Date(input.dispensing.at),
      lot: input.dispensing.lot,
      substitutions: input.dispensing.substitutions ?? [],
    },
    cancellation: null,
    clientRequestId: input.sourceRecordId,
    requestHash: createHash('sha256')
      .update(JSON.stringify({ ...input, residentId, organizationCode }))
      .digest('hex'),
    sensitivities: prescriptionSensitivities({ items, diagnoses }),
    filed: { sourceRecordId: input.sourceRecordId, uploadedAt },
  };
}
