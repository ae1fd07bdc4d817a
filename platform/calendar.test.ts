import fc from 'fast-check';
import { dayOrInstantOf, instantOf, isCalendarDate, isCalendarMonth } from './calendar';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const lastDay = (year: number, month: number) => (month === 2 && leap(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

describe('the calendar', () => {
  it('reads the examples a hospital system sends', () => {
    expect(instantOf('2026-03-01T00:30:00+08:00')?.toISOString()).toBe('2026-02-28T16:30:00.000Z');
    expect(instantOf('2026-03-01T08:30Z')?.toISOString()).toBe('2026-03-01T08:30:00.000Z');
    expect(instantOf('2026-03-01T08:30:15.5-05:00')?.toISOString()).toBe('2026-03-01T13:30:15.500Z');
    expect(instantOf('2026-12-31T23:59:59.123456+14:00')?.toISOString()).toBe('2026-12-31T09:59:59.123Z');
    expect(instantOf('2028-02-29T00:00:00Z')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(instantOf('2000-02-29T00:00:00Z')?.toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(dayOrInstantOf('2026-06-30')?.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(isCalendarMonth('2026-12')).toBe(true);
  });

  it('refuses impossible days, times and offsets', () => {
    for (const text of [
      '2026-02-30T08:00:00Z',
      '2026-02-29T08:00:00Z',
      '1900-02-29T08:00:00Z',
      '2026-04-31T08:00:00Z',
      '2026-06-31T08:00:00Z',
      '2026-09-31T08:00:00Z',
      '2026-11-31T08:00:00Z',
      '2026-13-01T08:00:00Z',
      '2026-00-01T08:00:00Z',
      '2026-01-00T08:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T08:60:00Z',
      '2026-03-01T08:00:60Z',
      '2026-03-01T08:00:00+25:00',
      '2026-03-01T08:00:00+08:60',
      '2026-03-01T08:00:00-13:00',
      '2026-03-01T08:00:00+0800',
      '2026-03-01T08:00:00',
      '2026-03-01 08:00:00Z',
      '2026-03-01T08:00:00Zjunk',
      '2026-03-01',
      'yesterday',
      '',
    ])
      expect([text, instantOf(text)]).toEqual([text, null]);
    for (const text of ['2026-02-30', '2026-04-31', '2026-6-01', '2026-06-1', '20260601', '2026-06-01T'])
      expect([text, isCalendarDate(text)]).toEqual([text, false]);
    for (const text of ['2026-00', '2026-13', '2026-9', '2026']) expect([text, isCalendarMonth(text)]).toEqual([text, false]);
  });

  it('accepts every day of the calendar and round-trips it exactly, and refuses the days past a month’s end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 999 }),
        (year, month, day, hour, minute, second, millisecond) => {
          const date = `${year}-${pad(month)}-${pad(day)}`;
          const text = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(millisecond, 3)}Z`;
          if (day <= lastDay(year, month)) {
            expect(isCalendarDate(date)).toBe(true);
            expect(instantOf(text)?.toISOString()).toBe(text);
            expect(dayOrInstantOf(date)?.toISOString()).toBe(`${date}T00:00:00.000Z`);
          } else {
            expect(isCalendarDate(date)).toBe(false);
            expect(instantOf(text)).toBeNull();
            expect(dayOrInstantOf(date)).toBeNull();
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads an offset as the same instant at UTC', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (at, offsetMinutes) => {
          const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
          expect(instantOf(`${local}${offset}`)?.toISOString()).toBe(at.toISOString());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
