/**
 * The rules of home nursing (互联网护理), pure: the catalogue of services a community health
 * centre visits for, each with the preconditions the orderer confirms, the order's state
 * machine (who may move it where; no move out of a final state) and its consent label.
 */
import { NURSING_ORDER_DAYS } from '../../access-control/policy';
import { type SensitiveCategory, sensitivitiesOfTexts, unionOf } from '../../access-control/sensitivity';

export interface NursingPrecondition {
  code: string;
  /** What the orderer confirms, as shown to them. */
  description: string;
}

export interface NursingServiceEntry {
  code: string;
  display: string;
  /** How long a visit takes, for the centre's planning. */
  minutes: number;
  /** The service fee, in fen. */
  priceFen: number;
  preconditions: readonly NursingPrecondition[];
}

const PRESCRIBED: NursingPrecondition = {
  code: 'PRESCRIBED',
  description: '有医生处方或医嘱，药品/耗材已备齐 (a doctor’s order, with the drug or supplies at home)',
};
const ADULT_CARER: NursingPrecondition = { code: 'CARER_PRESENT', description: '上门时有成年家属在场 (an adult carer is present at the visit)' };

/** The services a centre may be ordered for. */
export const NURSING_SERVICES: readonly NursingServiceEntry[] = [
  {
    code: 'INJECTION',
    display: '肌内/皮下注射',
    minutes: 30,
    priceFen: 5000,
    preconditions: [
      PRESCRIBED,
      { code: 'NOT_FIRST_DOSE', description: '非首次用药，既往用药无过敏反应 (not the first dose; earlier doses caused no reaction)' },
      ADULT_CARER,
    ],
  },
  {
    code: 'WOUND_CARE',
    display: '伤口护理/换药',
    minutes: 40,
    priceFen: 8000,
    preconditions: [PRESCRIBED, { code: 'WOUND_ASSESSED', description: '伤口经医生评估，无需手术处理 (a doctor assessed the wound; it needs no surgery)' }],
  },
  {
    code: 'CATHETER_CARE',
    display: '导尿管护理/更换',
    minutes: 40,
    priceFen: 10000,
    preconditions: [PRESCRIBED, { code: 'CATHETER_IN_PLACE', description: '留置导尿管，已有置管记录 (an indwelling catheter, with its placement record)' }],
  },
  {
    code: 'PICC_MAINTENANCE',
    display: 'PICC 导管维护',
    minutes: 45,
    priceFen: 12000,
    preconditions: [
      PRESCRIBED,
      { code: 'PICC_RECORD', description: '有 PICC 置管记录及维护手册 (the PICC placement record and maintenance booklet)' },
      { code: 'NO_LINE_SIGNS', description: '无发热、穿刺点红肿渗液 (no fever, redness or discharge at the insertion site)' },
    ],
  },
];

const BY_CODE = new Map(NURSING_SERVICES.map((service) => [service.code, service]));

export function nursingServiceOf(code: string): NursingServiceEntry | undefined {
  return BY_CODE.get(code);
}

/** The problems with an order's service and confirmed preconditions (empty: none). */
export function preconditionProblems(serviceCode: string, confirmed: readonly string[]): string[] {
  const service = nursingServiceOf(serviceCode);
  if (!service) return [`serviceCode: ${serviceCode} is not a service of the catalogue (${NURSING_SERVICES.map((entry) => entry.code).join(', ')})`];
  const known = new Set(service.preconditions.map((precondition) => precondition.code));
  const unknown = confirmed.filter((code) => !known.has(code));
  const missing = service.preconditions.filter((precondition) => !confirmed.includes(precondition.code)).map((precondition) => precondition.code);
  return [
    ...(unknown.length > 0 ? [`preconditions: ${unknown.join(', ')} is not a precondition of ${service.code}`] : []),
    ...(missing.length > 0 ? [`preconditions: ${service.code} needs ${missing.join(', ')} confirmed`] : []),
  ];
}

export const NURSING_STATUSES = ['ORDERED', 'ACCEPTED', 'VISITED', 'COMPLETED', 'CANCELLED', 'REFUSED', 'EXPIRED'] as const;
export type NursingStatus = (typeof NURSING_STATUSES)[number];
/** Who moves an order: the one who placed it (the resident or the internet hospital), or the centre. */
export type NursingActor = 'orderer' | 'centre';

/** Statuses an order is still open in: the centre's standing lasts only while it is. */
export const OPEN_NURSING_STATUSES: readonly NursingStatus[] = ['ORDERED', 'ACCEPTED', 'VISITED'];

const MOVES: Readonly<Record<NursingStatus, readonly [NursingStatus, NursingActor][]>> = {
  ORDERED: [
    ['ACCEPTED', 'centre'],
    ['REFUSED', 'centre'],
    ['CANCELLED', 'orderer'],
  ],
  // The nurse may still refuse at the door when a precondition turns out not to hold.
  ACCEPTED: [
    ['VISITED', 'centre'],
    ['REFUSED', 'centre'],
    ['CANCELLED', 'orderer'],
  ],
  VISITED: [['COMPLETED', 'centre']],
  COMPLETED: [],
  CANCELLED: [],
  REFUSED: [],
  // Set by the clock (see effectiveNursingStatus), never by a move.
  EXPIRED: [],
};

export function canMoveNursing(from: NursingStatus, to: NursingStatus, actor: NursingActor): boolean {
  return MOVES[from].some(([next, by]) => next === to && by === actor);
}

export function isFinalNursingStatus(status: NursingStatus): boolean {
  return MOVES[status].length === 0;
}

/** An order left open past its end (NURSING_ORDER_DAYS after it was placed) is EXPIRED, as its centre's standing is. */
export function effectiveNursingStatus(order: { status: NursingStatus; expiresAt: Date }, now: Date = new Date()): NursingStatus {
  return OPEN_NURSING_STATUSES.includes(order.status) && order.expiresAt.getTime() < now.getTime() ? 'EXPIRED' : order.status;
}

export function nursingExpiresAt(orderedAt: Date): Date {
  return new Date(orderedAt.getTime() + NURSING_ORDER_DAYS * 86_400_000);
}

/** What an order's free text reveals: its notes, the visit's record and any reason given. */
export function nursingSensitivities(order: {
  notes: string | null;
  reason?: string | null;
  visit?: { performed: string; observations: string | null } | null;
}): SensitiveCategory[] {
  return sensitivitiesOfTexts([order.notes, order.reason, order.visit?.performed, order.visit?.observations]);
}

/** The consent label on read: the stored one united with a fresh one; the centre's and the orderer's own. */
export function nursingLabel(order: {
  sensitivities?: SensitiveCategory[];
  notes: string | null;
  reason: string | null;
  visit: { performed: string; observations: string | null } | null;
  organizationCode: string;
  ordererOrganizationCode: string | null;
}): { categories: SensitiveCategory[]; organizationCode: string[] } {
  return {
    categories: unionOf(order.sensitivities, nursingSensitivities(order)),
    organizationCode: [order.organizationCode, ...(order.ordererOrganizationCode ? [order.ordererOrganizationCode] : [])],
  };
}
