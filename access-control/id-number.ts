/** GB 11643-1999 resident identity numbers, and the masks that hide them and phone numbers. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const ID_NUMBER = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO 7064 MOD 11-2 over the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('An ID number check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS.charAt(sum % 11);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  // Date.UTC maps years 0-99 to 1900-1999; nobody alive was born before 1800 anyway.
  if (year < 1800) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isValidIdNumber(value: string): boolean {
  const match = ID_NUMBER.exec(value);
  if (!match) return false;
  if (!isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return false;
  return idNumberCheckCharacter(value.slice(0, 17)) === value.charAt(17).toUpperCase();
}

/** `sequence` is the 3-digit order code: odd for men, even for women. */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  if (!/^[1-9]\d{5}$/.test(regionCode)) throw new Error(`Region code must be 6 digits: ${regionCode}`);
  const date = ISO_DATE.exec(birthDate);
  if (!date || !isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) throw new Error(`Birth date must be a real YYYY-MM-DD date: ${birthDate}`);
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
