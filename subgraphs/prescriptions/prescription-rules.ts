/**
 * The rules of a prescription, pure: the state machine, the signed content, expiry by the
 * clock, the quantity limits, and the safety warnings computed from the resident's record.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  categoriesOf,
  type SensitiveCategory,
  sensitivitiesOfDiagnoses,
  sensitivitiesOfTexts,
  sensitivityOfDrug,
  unionOf,
} from '../../access-control/sensitivity';
import { badUserInput } from '../../platform/errors';
import { type Drug, drugByCode } from './drug-catalogue';
import type { PrescriptionDoc, PrescriptionItemDoc, PrescriptionStatus } from './models';

/** Administrations per day, by frequency code. */
export const FREQUENCIES: Readonly<Record<string, number>> = { qd: 1, bid: 2, tid: 3, qid: 4, qn: 1, q8h: 3, q12h: 2, prn: 1 };
/** Days a prescription stays valid after issue (beyond its longest item). */
const VALIDITY_DAYS = 3;
const DAY_MS = 86_400_000;

/** The legal moves of the state machine. */
const NEXT: Readonly<Record<PrescriptionStatus, readonly PrescriptionStatus[]>> = {
  DRAFT: ['SIGNED', 'CANCELLED'],
  SIGNED: ['APPROVED', 'REJECTED', 'CANCELLED'],
  APPROVED: ['ROUTED', 'CANCELLED'],
  ROUTED: ['DISPENSED', 'CANCELLED'],
  DISPENSED: ['DELIVERED', 'PICKED_UP'],
  REJECTED: [],
  DELIVERED: [],
  PICKED_UP: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function canMove(from: PrescriptionStatus, to: PrescriptionStatus): boolean {
  return NEXT[from].includes(to);
}

/** The status as of `now`: a prescription not yet dispensed expires with its validity window, no job needed. */
export function effectiveStatus(prescription: Pick<PrescriptionDoc, 'status' | 'validUntil'>, now = new Date()): PrescriptionStatus {
  const open = ['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED'].includes(prescription.status);
  return open && prescription.validUntil.getTime() < now.getTime() ? 'EXPIRED' : prescription.status;
}

/** SHA-256 of what the physician signs: any later change of it invalidates the signature. */
export function contentHash(
  prescription: Pick<PrescriptionDoc, 'residentId' | 'organizationCode' | 'diagnoses' | 'items' | 'renewal' | 'pharmacyCode'>,
): string {
  const canonical = {
    residentId: prescription.residentId,
    organizationCode: prescription.organizationCode,
    diagnoses: prescription.diagnoses.map((diagnosis) => diagnosis.code),
    items: prescription.items.map((item) => [
      item.drug.code,
      item.dose,
      item.doseUnit,
      item.route,
      item.frequency,
      item.days,
      item.quantity,
      item.instructions ?? '',
    ]),
    renewal: prescription.renewal,
    pharmacyCode: prescription.pharmacyCode,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export const itemInput = z.object({
  drugCode: z.string().min(1).max(20),
  dose: z.number().positive('must be positive').max(10_000),
  route: z.string().min(1).max(20),
  frequency: z.string().refine((value) => value in FREQUENCIES, `must be one of ${Object.keys(FREQUENCIES).join(', ')}`),
  days: z.number().int().positive('must be positive'),
  quantity: z.number().int('must be whole').positive('must be positive').max(1000),
  instructions: z.string().max(200).nullish(),
});

/** Builds the items from the catalogue, enforcing each drug's routes and day limits. */
export function itemsOf(inputs: z.infer<typeof itemInput>[], chronicMaxDays: number): PrescriptionItemDoc[] {
  if (inputs.length === 0 || inputs.length > 10) throw badUserInput('A prescription has 1 to 10 items');
  return inputs.map((input, index) => {
    const drug = drugByCode(input.drugCode);
    if (!drug) throw badUserInput(`items.${index}.drugCode ${input.drugCode} is not in the drug catalogue`);
    if (!drug.routes.includes(input.route)) throw badUserInput(`items.${index}.route must be one of ${drug.routes.join(', ')} for ${drug.name}`);
    const maxDays = drug.chronic ? Math.min(drug.maxDays, chronicMaxDays) : drug.maxDays;
    if (input.days > maxDays) throw badUserInput(`items.${index}.days: at most ${maxDays} days of ${drug.name}`);
    return {
      drug: { system: 'NMPA', code: drug.code, display: drug.name },
      inn: drug.inn,
      strength: drug.strength,
      dose: input.dose,
      doseUnit: drug.doseUnit,
      route: input.route,
      frequency: input.frequency,
      days: input.days,
      quantity: input.quantity,
      instructions: input.instructions ?? null,
    };
  });
}

/** Prescriptions are valid for three days from issue (dispensing, not taking, must happen by then). */
/**
 * What a home delivery lacks to reach the resident (the courier needs where and whom to call),
 * as the fields to name; none for a pickup or a prescription with no delivery chosen.
 */
export function missingForDelivery(delivery: PrescriptionDoc['delivery'] | undefined): ('address' | 'phone')[] {
  if (delivery?.method !== 'DELIVERY') return [];
  return (['address', 'phone'] as const).filter((field) => !delivery[field]);
}

/** BAD_USER_INPUT unless the prescription can go out for home delivery with what it carries. */
export function requireDeliveryDetails(delivery: PrescriptionDoc['delivery'], step: string): void {
  const missing = missingForDelivery(delivery);
  if (missing.length > 0)
    throw badUserInput(`delivery.${missing.join(' and delivery.')} ${missing.length > 1 ? 'are' : 'is'} required for home delivery: ${step}`);
}

export function validUntilOf(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + VALIDITY_DAYS * DAY_MS);
}

/**
 * What a prescription reveals: its drugs (by catalogue entry and by INN), its diagnoses, and
 * its free text (each item's instructions, the pharmacist's review reason, the cancellation reason).
 */
export function prescriptionSensitivities(
  prescription: Pick<PrescriptionDoc, 'items' | 'diagnoses'> & Partial<Pick<PrescriptionDoc, 'review' | 'cancellation'>>,
): SensitiveCategory[] {
  const drugs = categoriesOf(
    prescription.items.flatMap((item) => [drugByCode(item.drug.code)?.sensitivity ?? null, item.inn ? sensitivityOfDrug(item.inn) : null]),
  );
  const texts = sensitivitiesOfTexts([...prescription.items.map((item) => item.instructions), prescription.review?.reason, prescription.cancellation?.reason]);
  return unionOf(drugs, sensitivitiesOfDiagnoses(prescription.diagnoses.map((diagnosis) => diagnosis.code)), texts);
}

/**
 * The consent label on read: the stored label united with one computed now, so a prescription
 * stored before diagnoses were labelled is not under-labelled. The prescribing organization
 * and the pharmacy the resident chose see it whatever the resident restricted.
 */
export function prescriptionLabel(prescription: PrescriptionDoc): { categories: SensitiveCategory[]; organizationCode: string[] } {
  return {
    categories: unionOf(prescription.sensitivities, prescriptionSensitivities(prescription)),
    organizationCode: prescription.pharmacyCode ? [prescription.organizationCode, prescription.pharmacyCode] : [prescription.organizationCode],
  };
}

export interface SafetyFacts {
  allergyGroups: { group: string; criticality: string }[];
  diagnosisCodes: string[];
}

export interface WarningView {
  code: string;
  severity: 'HIGH' | 'MODERATE';
  message: string;
  /** Duplicate therapy: the active prescription duplicated (null within the prescription itself). */
  duplicates?: PrescriptionDoc | null;
  /** Duplicate therapy with another organization's active prescription. */
  acrossOrganizations?: boolean;
}

/**
 * Drug-allergy conflicts (from the resident's allergies, resolved by records) and duplicate
 * therapy (two active drugs of one therapeutic group). Without the record's facts the
 * check cannot be made, and says so as a high warning.
 */
export function warningsFor(prescription: PrescriptionDoc, facts: SafetyFacts | null, others: PrescriptionDoc[]): WarningView[] {
  const drugs = prescription.items.map((item) => drugByCode(item.drug.code)).filter((drug): drug is Drug => drug !== undefined);
  const warnings: WarningView[] = [];
  if (!facts) warnings.push({ code: 'SAFETY_DATA_UNAVAILABLE', severity: 'HIGH', message: 'The resident’s allergies and diagnoses could not be checked' });
  for (const drug of drugs) {
    for (const { group, severity } of drug.allergyGroups) {
      const allergy = facts?.allergyGroups.find((candidate) => candidate.group === group);
      if (!allergy) continue;
      warnings.push({
        code: `DRUG_ALLERGY:${group}:${drug.code}`,
        severity: severity === 'HIGH' || allergy.criticality === 'HIGH' ? 'HIGH' : 'MODERATE',
        message: `${drug.name}: the resident is allergic to ${group}`,
      });
    }
  }
  // Every active prescription the viewer may see counts, from any hospital. The warning names the one duplicated:
  // the latest issued by another organization (what the prescriber may not know of), else the latest of their own.
  const activeGroups = new Map<string, { name: string; prescription: PrescriptionDoc }>();
  for (const other of [...others].sort(namingOrder(prescription.organizationCode))) {
    if (other._id === prescription._id) continue;
    for (const item of other.items) {
      const drug = drugByCode(item.drug.code);
      if (drug) activeGroups.set(drug.therapeuticGroup, { name: drug.name, prescription: other });
    }
  }
  const seen = new Set<string>();
  for (const drug of drugs) {
    const active = seen.has(drug.therapeuticGroup) ? null : activeGroups.get(drug.therapeuticGroup);
    const duplicate = seen.has(drug.therapeuticGroup) ? drug.name : active?.name;
    if (duplicate && drug.therapeuticGroup !== 'OTHER') {
      warnings.push({
        code: `DUPLICATE_THERAPY:${drug.therapeuticGroup}`,
        severity: 'MODERATE',
        message: `${drug.name} duplicates ${duplicate} (${drug.therapeuticGroup})`,
        duplicates: active?.prescription ?? null,
        acrossOrganizations: !!active && active.prescription.organizationCode !== prescription.organizationCode,
      });
    }
    seen.add(drug.therapeuticGroup);
  }
  return warnings;
}

/** The order in which active prescriptions are looked at for duplicates (the last one of a group is named): own organization first, each by issue time. */
function namingOrder(organizationCode: string) {
  return (a: PrescriptionDoc, b: PrescriptionDoc) =>
    Number(a.organizationCode !== organizationCode) - Number(b.organizationCode !== organizationCode) ||
    new Date(a.issuedAt).getTime() - new Date(b.issuedAt).getTime() ||
    a._id.localeCompare(b._id);
}

/** An online renewal needs a diagnosis of the chronic condition on the resident's record. */
export function renewalCheckFor(prescription: PrescriptionDoc, facts: SafetyFacts | null): { eligible: boolean; reason: string } {
  if (!prescription.renewal) return { eligible: true, reason: 'not a renewal' };
  if (!facts) return { eligible: false, reason: 'the resident’s diagnoses could not be checked' };
  for (const item of prescription.items) {
    const drug = drugByCode(item.drug.code);
    if (!drug?.chronic) return { eligible: false, reason: `${item.drug.display} is not chronic medication` };
    const covered = drug.renewalDiagnoses.some((prefix) => facts.diagnosisCodes.some((code) => code.startsWith(prefix)));
    if (!covered) return { eligible: false, reason: `no diagnosis on record for ${drug.name} (needs ${drug.renewalDiagnoses.join(', ')})` };
  }
  return { eligible: true, reason: 'a matching diagnosis is on record' };
}
