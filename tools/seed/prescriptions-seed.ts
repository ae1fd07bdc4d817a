/**
 * The prescriptions subgraph's view of the demo city: every generated prescription with its
 * catalogue items, in every state of the machine (with the transitions, signature, review and
 * dispensing that state implies), internet-hospital renewals routed to the cloud pharmacies.
 */
import { drugByCode } from '../../subgraphs/prescriptions/drug-catalogue';
import type { PrescriptionDoc, PrescriptionStatus, TransitionDoc } from '../../subgraphs/prescriptions/models';
import { contentHash, FREQUENCIES, prescriptionSensitivities, validUntilOf } from '../../subgraphs/prescriptions/prescription-rules';
import type { City } from './city';

const PATH: PrescriptionStatus[] = ['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED'];
const HOUR_MS = 3_600_000;

export interface PrescriptionsSeed {
  prescriptions: PrescriptionDoc[];
  transitions: TransitionDoc[];
}

export function prescriptionsOf(city: City): PrescriptionsSeed {
  const levels = new Map(city.organizations.map((organization) => [organization.code, organization.level]));
  const pharmacies = city.organizations.filter((organization) => organization.level === 'PHARMACY').map((organization) => organization.code);
  const transitions: TransitionDoc[] = [];
  const prescriptions = city.prescriptions.map((seed, index): PrescriptionDoc => {
    const online = levels.get(seed.organizationCode) === 'INTERNET_HOSPITAL';
    const items = seed.items.map((item) => {
      const drug = drugByCode(item.drug.code)!;
      const dose = Number.parseFloat(item.dose) || 1;
      return {
        drug: { system: 'NMPA', code: drug.code, display: drug.name },
        inn: drug.inn,
        strength: drug.strength,
        dose,
        doseUnit: drug.doseUnit,
        route: drug.routes[0]!,
        frequency: item.frequency in FREQUENCIES ? item.frequency : 'qd',
        days: Math.min(item.days, drug.maxDays),
        quantity: Math.max(1, Math.min(item.days, drug.maxDays) * (FREQUENCIES[item.frequency] ?? 1)),
        instructions: null,
      };
    });
    const issuedAt = new Date(seed.issuedAt);
    const pharmacyCode = online ? pharmacies[index % pharmacies.length]! : null;
    const renewal = online && items.every((item) => drugByCode(item.drug.code)!.chronic);
    const base = {
      residentId: seed.residentId,
      organizationCode: seed.organizationCode,
      diagnoses: [] as PrescriptionDoc['diagnoses'],
      items,
      renewal,
      pharmacyCode,
    };
    // Every state of the machine appears: some drafts, some rejected, routed and picked up as well.
    const target: PrescriptionStatus =
      seed.status === 'CANCELLED'
        ? 'CANCELLED'
        : seed.status === 'SIGNED'
          ? index % 4 === 0
            ? 'DRAFT'
            : index % 4 === 1
              ? 'REJECTED'
              : 'SIGNED'
          : seed.status === 'APPROVED'
            ? online
              ? 'ROUTED'
              : 'APPROVED'
            : online
              ? index % 2
                ? 'DELIVERED'
                : 'PICKED_UP'
              : 'DISPENSED';
    const steps = pathTo(target);
    for (const [step, to] of steps.entries())
      transitions.push({
        _id: `${seed.id}:${step + 1}`,
        prescriptionId: seed.id,
        from: step === 0 ? null : steps[step - 1]!,
        to,
        by: step >= 2 && step <= 4 ? 'pharmacist-seed' : 'D0001',
        organizationCode: seed.organizationCode,
        at: new Date(issuedAt.getTime() + step * HOUR_MS),
      });
    const reached = (status: PrescriptionStatus) => steps.includes(status);
    const at = (step: number) => new Date(issuedAt.getTime() + step * HOUR_MS);
    return {
      _id: seed.id,
      ...base,
      prescriberPractitioner: 'D0001',
      encounterId: null,
      status: target as PrescriptionDoc['status'],
      version: steps.length,
      issuedAt,
      validUntil: validUntilOf(issuedAt),
      delivery: online ? { method: target === 'PICKED_UP' ? 'PICKUP' : 'DELIVERY', address: '南京市鼓楼区中山路100号', phone: '13800000000' } : null,
      signature: reached('SIGNED') ? { contentHash: contentHash(base), signer: 'D0001', signedAt: at(1) } : null,
      review:
        reached('APPROVED') || reached('REJECTED')
          ? {
              pharmacist: 'pharmacist-seed',
              pharmacyCode: pharmacyCode ?? seed.organizationCode,
              outcome: reached('REJECTED') ? 'REJECTED' : 'APPROVED',
              reason: reached('REJECTED') ? '剂量超出常规范围' : null,
              acknowledgedWarnings: [],
              at: at(2),
            }
          : null,
      dispensing: reached('DISPENSED')
        ? {
            pharmacist: 'pharmacist-seed',
            pharmacyCode: pharmacyCode ?? seed.organizationCode,
            at: at(4),
            lot: `LOT${seed.id.slice(0, 6).toUpperCase()}`,
            substitutions: [],
          }
        : null,
      cancellation: target === 'CANCELLED' ? { by: 'D0001', reason: '患者要求取消', at: at(1) } : null,
      clientRequestId: `seed-${seed.id}`,
      requestHash: seed.id,
      sensitivities: prescriptionSensitivities(base),
    };
  });
  return { prescriptions, transitions };
}

function pathTo(target: PrescriptionStatus): PrescriptionStatus[] {
  if (target === 'CANCELLED') return ['DRAFT', 'CANCELLED'];
  if (target === 'REJECTED') return ['DRAFT', 'SIGNED', 'REJECTED'];
  if (target === 'DELIVERED' || target === 'PICKED_UP') return [...PATH, target];
  return PATH.slice(0, PATH.indexOf(target) + 1);
}
