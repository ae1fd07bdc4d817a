import fc from 'fast-check';
import { timeOf } from './input';

describe('timeOf', () => {
  it('reads ISO 8601 dates and times', () => {
    expect(timeOf('2026-12-07', 'since').toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(timeOf('2026-03-01T00:30:00+08:00', 'since').toISOString()).toBe('2026-02-28T16:30:00.000Z');
    expect(timeOf('2028-02-29T12:00:00Z', 'since').toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('refuses days the calendar does not have, naming the field', () => {
    for (const value of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', 'yesterday', '07/12/2026', '']) {
      expect(() => timeOf(value, 'since')).toThrow('since must be an ISO 8601 time');
    }
  });

  it('accepts every real calendar day and only those', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        if (day <= daysInMonth) expect(timeOf(text, 'at').toISOString()).toBe(`${text}T00:00:00.000Z`);
        else expect(() => timeOf(text, 'at')).toThrow('at must be an ISO 8601 time');
      }),
    );
  });
});
