/**
 * Checks of what hospital systems send, before anything is written: each failure is a
 * BAD_USER_INPUT that names the field, and a request with any failure writes nothing.
 */
import { z } from 'zod';
import { isValidIdNumber } from '../../access-control/id-number';
import { badUserInput } from '../../platform/errors';
import {
  ICD10,
  isoDateRule,
  isoTimeRule as isoTime,
  residentIdRule as residentId,
  sourceRecordIdRule as sourceRecordId,
  textRule as text,
} from '../runtime/input-rules';
import {
  ALLERGY_CATEGORIES,
  ALLERGY_CRITICALITIES,
  CLINICAL_STATUSES,
  ENCOUNTER_CLASSES,
  ENCOUNTER_STATUSES,
  GENDERS,
  IDENTIFIER_SYSTEMS,
  VERIFICATION_STATUSES,
} from './models';

export const DISTRICTS = ['玄武区', '秦淮区', '建邺区', '鼓楼区', '浦口区', '栖霞区', '雨花台区', '江宁区', '六合区', '溧水区', '高淳区', '江北新区'] as const;
export type District = (typeof DISTRICTS)[number];

/** A district named in a query's arguments (the organizations list, the cockpit's days). */
export function districtNamed(value: string): District {
  if (!(DISTRICTS as readonly string[]).includes(value)) throw badUserInput(`district must be one of the city’s 12 districts: ${DISTRICTS.join(', ')}`);
  return value as District;
}

/** The oldest birth date or onset a record may carry. */
const EARLIEST_DATE = '1890-01-01';
const isoDate = isoDateRule.refine((value) => value >= EARLIEST_DATE, `must not be before ${EARLIEST_DATE}`);

export const registrationSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[\u3400-\u9fff·A-Za-z ]{2,30}$/, 'must be 2-30 Chinese or Latin letters'),
    gender: z.enum(GENDERS),
    birthDate: isoDate.refine((value) => value <= today(), 'must not be in the future'),
    idNumber: z
      .string()
      .transform((value) => value.toUpperCase())
      .refine(isValidIdNumber, 'is not a valid GB 11643 ID number (format, date or check digit)')
      .nullish(),
    phone: z
      .string()
      .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number')
      .nullish(),
    district: z.enum(DISTRICTS, { message: 'must be one of the city’s 12 districts' }),
    identifier: z.object({ system: z.enum(IDENTIFIER_SYSTEMS), value: z.string().regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4-32 letters, digits or -') }),
  })
  .superRefine((input, context) => {
    if (!input.idNumber) return;
    const birthDate = `${input.idNumber.slice(6, 10)}-${input.idNumber.slice(10, 12)}-${input.idNumber.slice(12, 14)}`;
    if (birthDate !== input.birthDate) context.addIssue({ code: 'custom', path: ['birthDate'], message: 'does not match the ID number' });
    const male = Number(input.idNumber[16]) % 2 === 1;
    if (input.gender !== 'UNKNOWN' && male !== (input.gender === 'MALE')) {
      context.addIssue({ code: 'custom', path: ['gender'], message: 'does not match the ID number' });
    }
    if (input.identifier.system === 'RESIDENT_ID_CARD')
      context.addIssue({ code: 'custom', path: ['identifier', 'system'], message: 'send the ID card as idNumber' });
  });
export type RegistrationInput = z.infer<typeof registrationSchema>;

const diagnosis = z.object({
  code: z.string().regex(ICD10, 'must be an ICD-10 code such as I10 or E11.9'),
  display: text(100),
  rank: z.number().int().min(1).max(50),
  primary: z.boolean(),
});

export const encounterSchema = z
  .object({
    residentId,
    sourceRecordId,
    class: z.enum(ENCOUNTER_CLASSES),
    status: z.enum(ENCOUNTER_STATUSES),
    department: text(50),
    start: isoTime,
    end: isoTime.nullish(),
    attendingPractitioner: text(64).nullish(),
    diagnoses: z.array(diagnosis).max(50),
    chargesFen: z.number().int('must be whole fen').min(0).max(1_000_000_000).nullish(),
  })
  .superRefine((input, context) => {
    if (input.end && Date.parse(input.end) < Date.parse(input.start)) context.addIssue({ code: 'custom', path: ['end'], message: 'is before start' });
    if (Date.parse(input.start) > Date.now() + 86_400_000 && input.status !== 'PLANNED') {
      context.addIssue({ code: 'custom', path: ['start'], message: 'is in the future for an encounter that is not planned' });
    }
    if (input.diagnoses.filter((item) => item.primary).length > 1)
      context.addIssue({ code: 'custom', path: ['diagnoses'], message: 'has more than one primary diagnosis' });
    if (new Set(input.diagnoses.map((item) => item.rank)).size !== input.diagnoses.length)
      context.addIssue({ code: 'custom', path: ['diagnoses'], message: 'repeats a rank' });
  });
export type EncounterInput = z.infer<typeof encounterSchema>;

export const conditionSchema = z.object({
  residentId,
  sourceRecordId,
  code: z.string().regex(ICD10, 'must be an ICD-10 code such as I10 or E11.9'),
  display: text(100),
  clinicalStatus: z.enum(CLINICAL_STATUSES),
  verificationStatus: z.enum(VERIFICATION_STATUSES),
  onset: isoDate.nullish(),
});
export type ConditionInput = z.infer<typeof conditionSchema>;

const coding = z.object({ system: text(100), code: text(40), display: text(100) });

export const allergySchema = z
  .object({
    residentId,
    sourceRecordId,
    noKnownAllergies: z.boolean().nullish(),
    substance: coding.nullish(),
    category: z.enum(ALLERGY_CATEGORIES).nullish(),
    criticality: z.enum(ALLERGY_CRITICALITIES).nullish(),
    reactions: z.array(text(100)).max(20).nullish(),
  })
  .superRefine((input, context) => {
    if (input.noKnownAllergies) {
      if (input.substance) context.addIssue({ code: 'custom', path: ['substance'], message: 'must be empty when asserting no known allergies' });
      return;
    }
    for (const field of ['substance', 'category', 'criticality'] as const) {
      if (!input[field]) context.addIssue({ code: 'custom', path: [field], message: 'is required for an allergy' });
    }
  });
export type AllergyInput = z.infer<typeof allergySchema>;

export const searchSchema = z
  .object({
    name: z.string().trim().min(2).max(30).nullish(),
    birthDate: isoDate.nullish(),
    gender: z.enum(GENDERS).nullish(),
    idNumberLast4: z
      .string()
      .regex(/^\d{3}[\dXx]$/, 'must be the last four ID characters')
      .transform((value) => value.toUpperCase())
      .nullish(),
    district: z.enum(DISTRICTS).nullish(),
  })
  .refine((criteria) => (criteria.name && criteria.birthDate) || (criteria.idNumberLast4 && criteria.district), {
    message: 'identify one person: give name and birthDate, or idNumberLast4 and district',
  });
export type SearchCriteria = z.infer<typeof searchSchema>;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
