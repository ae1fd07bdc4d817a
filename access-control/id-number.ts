/** GB 11643-1999 resident identity numbers, and the masks that hide them and phone numbers. */
import { isCalendarDate } from '../platform/calendar';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const ID_NUMBER = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/;

/** ISO 7064 MOD 11-2 over the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('An ID number check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/** A birth date an ID number can carry: a calendar day, and nobody alive was born before 1800. */
function isBirthDate(year: string, month: string, day: string): boolean {
  return Number(year) >= 1800 && isCalendarDate(`${year}-${month}-${day}`);
}

export function isValidIdNumber(value: string): boolean {
  const match = ID_NUMBER.exec(value);
  if (!match) return false;
  if (!isBirthDate(match[1]!, match[2]!, match[3]!)) return false;
  return idNumberCheckCharacter(value.slice(0, 17)) === value.charAt(17).toUpperCase();
}

/** `sequence` is the 3-digit order code: odd for men, even for women. */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  if (!/^[1-9]\d{5}$/.test(regionCode)) throw new Error(`Region code must be 6 digits: ${regionCode}`);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!date || !isBirthDate(date[1]!, date[2]!, date[3]!)) throw new Error(`Birth date must be a real YYYY-MM-DD date: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new Error(`Sequence must be an integer 0..999: ${sequence}`);
  const first17 = `${regionCode}${date[1]}${date[2]}${date[3]}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** Keeps `head` and `tail` characters; a value too short to keep any is hidden entirely. */
function mask(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(-tail);
}

/** `320106199003071234` → `3201**********1234` */
export function maskIdNumber(value: string): string {
  return mask(value, 4, 4);
}

/** `13812345678` → `138****5678` */
export function maskPhone(value: string): string {
  return mask(value, 3, 4);
}
