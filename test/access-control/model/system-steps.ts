/**
 * The steps of the system-level model test: who is in the city (four hospitals, one of which
 * registers people with ID numbers it made up, a community health centre whose doctors are
 * family doctors, a cloud pharmacy), what a random step may be, and sequences written out that
 * reach every kind of step and answer. The model (system-model.ts) says what each step does.
 */
import fc from 'fast-check';

/** Organizations with a desk, a system and two doctors each; the last is the community health centre. */
export const ORGANIZATIONS = ['3201-H001', '3201-H002', '3201-H101', '3201-H105', '3201-C001'] as const;
/** The hospital that registers people under invented ID numbers. */
export const IMPOSTOR = 3;
/** The community health centre: its doctors are family doctors, who offer contracts. */
export const CENTRE = 4;
/** The cloud pharmacy prescriptions are routed to; in the model's facts it stands after the organizations. */
export const PHARMACY = ORGANIZATIONS.length;
export const PHARMACY_CODE = '3201-P01';
/** The code of an organization of the model's facts: one of ORGANIZATIONS, or the pharmacy. */
export const organizationCodeOf = (index: number): string => (index === PHARMACY ? PHARMACY_CODE : ORGANIZATIONS[index]!);
export const PEOPLE = 2;
/** Person 0 carries an ID card to every desk; person 1 has none and is known by medical record numbers. */
export const carriesIdCard = (person: number) => person === 0;

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Clock moves: whole days plus 61 minutes, so that no sum of moves ever lands within a minute of
 * a window's end (every window is a whole number of hours): the comparison never depends on
 * how fast a request ran.
 */
export const CLOCK_DAYS = [0, 1, 6, 29, 31, 179, 200, 365, 731] as const;
export const clockMove = (days: number) => days * DAY + 61 * 60_000;

export type Step =
  | { op: 'register'; person: number; hospital: number }
  | { op: 'visit'; person: number; pick: number; hospital: number; sensitive: boolean }
  | { op: 'breakGlass'; person: number; pick: number; hospital: number; doctor: number }
  | { op: 'refer'; person: number; pick: number; hospital: number; doctor: number; to: number }
  | { op: 'accept'; pick: number; doctor: number }
  | { op: 'consent'; person: number; pick: number; restrict: boolean; block: number | null }
  | { op: 'merge'; person: number }
  | { op: 'unmerge'; person: number; pick: number }
  | { op: 'clock'; days: number }
  /** The centre's family doctor offers a contract (signContract). */
  | { op: 'offerContract'; person: number; pick: number; doctor: number }
  /** The resident accepts the offer, or the family doctor tries to accept it on their behalf. */
  | { op: 'acceptContract'; pick: number; byFamilyDoctor: boolean }
  | { op: 'renewContract'; pick: number }
  | { op: 'terminateContract'; pick: number }
  /** A doctor issues and signs a prescription routed to the pharmacy, or the pharmacist tries to issue one for their own pharmacy. */
  | { op: 'prescribe'; person: number; pick: number; hospital: number; doctor: number; byPharmacist: boolean }
  /** The next move of a signed prescription: approved, routed and dispensed; or, once dispensed, completed. */
  | { op: 'dispense'; pick: number };

const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const hospital = fc.integer({ min: 0, max: ORGANIZATIONS.length - 1 });
const pick = fc.nat({ max: 7 });
/** What a resident may block: a hospital, the centre or the pharmacy. */
const blockable = fc.integer({ min: 0, max: PHARMACY });
const doctor = fc.integer({ min: 0, max: 1 });
const rarely = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true));

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('register' as const), person, hospital }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('visit' as const), person, pick, hospital, sensitive: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('breakGlass' as const), person, pick, hospital, doctor }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('refer' as const), person, pick, hospital, doctor, to: hospital }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('accept' as const), pick, doctor }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('consent' as const), person, pick, restrict: fc.boolean(), block: fc.option(blockable, { nil: null, freq: 3 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('merge' as const), person }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unmerge' as const), person, pick }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('offerContract' as const), person, pick, doctor }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('acceptContract' as const), pick, byFamilyDoctor: rarely }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renewContract' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('terminateContract' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('prescribe' as const), person, pick, hospital, doctor, byPharmacist: rarely }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('dispense' as const), pick }) },
  // Mostly short moves: a long one ends most standing, and little happens after it.
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('clock' as const),
      days: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1, 6) }, fc.constantFrom(...CLOCK_DAYS)),
    }),
  },
);

/**
 * A sequence written out that reaches every kind of step and answer: duplicates by an honest
 * desk and by the impostor, a merge that carries standing and consent across and an unmerge,
 * a referral on merged standing, one refused on an emergency grant alone, and care that keeps
 * one registration while another lapses. The random sequences run after it.
 */
export const WRITTEN_SEQUENCE: Step[] = [
  { op: 'register', person: 1, hospital: 0 },
  { op: 'register', person: 1, hospital: 1 },
  { op: 'register', person: 1, hospital: IMPOSTOR },
  { op: 'visit', person: 1, pick: 0, hospital: 0, sensitive: true },
  { op: 'consent', person: 1, pick: 0, restrict: true, block: null },
  { op: 'merge', person: 1 },
  { op: 'refer', person: 1, pick: 0, hospital: 1, doctor: 0, to: 2 },
  { op: 'accept', pick: 0, doctor: 0 },
  { op: 'unmerge', person: 1, pick: 1 },
  { op: 'visit', person: 1, pick: 2, hospital: 0, sensitive: false },
  { op: 'register', person: 0, hospital: 0 },
  { op: 'register', person: 0, hospital: 2 },
  { op: 'breakGlass', person: 0, pick: 0, hospital: 1, doctor: 1 },
  { op: 'refer', person: 0, pick: 0, hospital: 1, doctor: 1, to: 2 },
  { op: 'refer', person: 0, pick: 0, hospital: 0, doctor: 0, to: 0 },
  { op: 'clock', days: 1 },
  { op: 'visit', person: 0, pick: 0, hospital: 2, sensitive: false },
  { op: 'clock', days: 29 },
  { op: 'consent', person: 0, pick: 0, restrict: false, block: 2 },
  { op: 'accept', pick: 0, doctor: 1 },
];

/**
 * Contracts and prescriptions written out: a contract that outlasts the registration it was
 * offered on, renewed and terminated; an offer and a prescription refused without standing; a
 * family doctor trying to accept for the resident and a pharmacist trying to prescribe for
 * their own pharmacy; a prescription dispensed and completed, one signed on an emergency
 * grant alone (refused), and one that expires undispensed.
 */
export const CARE_SEQUENCE: Step[] = [
  { op: 'register', person: 0, hospital: CENTRE },
  { op: 'offerContract', person: 0, pick: 0, doctor: 0 },
  { op: 'acceptContract', pick: 0, byFamilyDoctor: true },
  { op: 'acceptContract', pick: 0, byFamilyDoctor: false },
  { op: 'clock', days: 31 },
  { op: 'renewContract', pick: 0 },
  { op: 'register', person: 1, hospital: 0 },
  { op: 'prescribe', person: 0, pick: 0, hospital: 2, doctor: 0, byPharmacist: false },
  { op: 'prescribe', person: 1, pick: 0, hospital: 0, doctor: 0, byPharmacist: true },
  { op: 'prescribe', person: 1, pick: 0, hospital: 0, doctor: 0, byPharmacist: false },
  { op: 'dispense', pick: 0 },
  { op: 'clock', days: 6 },
  { op: 'dispense', pick: 0 },
  { op: 'breakGlass', person: 1, pick: 0, hospital: 1, doctor: 0 },
  { op: 'prescribe', person: 1, pick: 0, hospital: 1, doctor: 0, byPharmacist: false },
  { op: 'prescribe', person: 1, pick: 0, hospital: 0, doctor: 1, byPharmacist: false },
  { op: 'clock', days: 6 },
  { op: 'dispense', pick: 0 },
  { op: 'terminateContract', pick: 0 },
  { op: 'offerContract', person: 0, pick: 0, doctor: 0 },
];

/**
 * The pharmacy's standing after dispensing, on both sides of `DISPENSING_RELATIONSHIP_DAYS`
 * (30): read a day before its end, gone after it, and a completion then refused.
 */
export const DISPENSING_SEQUENCE: Step[] = [
  { op: 'register', person: 1, hospital: 0 },
  { op: 'prescribe', person: 1, pick: 0, hospital: 0, doctor: 0, byPharmacist: false },
  { op: 'dispense', pick: 0 },
  { op: 'clock', days: 29 },
  { op: 'clock', days: 1 },
  { op: 'dispense', pick: 0 },
];

/**
 * A pharmacy the resident blocks: it reads nothing of a prescription routed to it and may not
 * review it while the block holds, and both again once the block is lifted.
 */
export const BLOCKED_PHARMACY_SEQUENCE: Step[] = [
  { op: 'register', person: 1, hospital: 0 },
  { op: 'prescribe', person: 1, pick: 0, hospital: 0, doctor: 0, byPharmacist: false },
  { op: 'consent', person: 1, pick: 0, restrict: false, block: PHARMACY },
  { op: 'dispense', pick: 0 },
  { op: 'consent', person: 1, pick: 0, restrict: false, block: null },
  { op: 'dispense', pick: 0 },
];

/** The written sequences, run before the random ones. */
export const WRITTEN_SEQUENCES: Step[][] = [WRITTEN_SEQUENCE, CARE_SEQUENCE, DISPENSING_SEQUENCE, BLOCKED_PHARMACY_SEQUENCE];
