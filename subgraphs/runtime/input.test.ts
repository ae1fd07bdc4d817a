import { dateOf, dayOrTimeOf, monthOf, timeOf } from './input';

describe('the calendar inputs', () => {
  it('reads times with an offset, and days or times for filters', () => {
    expect(timeOf('2026-03-01T00:30:00+08:00', 'start').toISOString()).toBe('2026-02-28T16:30:00.000Z');
    expect(timeOf('2028-02-29T12:00:00Z', 'start').toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(dayOrTimeOf('2026-12-07', 'since').toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(dayOrTimeOf('2026-12-07T08:00:00+08:00', 'since').toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(dateOf('2024-02-29', 'date')).toBe('2024-02-29');
    expect(monthOf('2024-09', 'month')).toBe('2024-09');
  });

  it('refuses what the calendar does not have as BAD_USER_INPUT naming the field and the value', () => {
    expect(() => timeOf('2026-02-30T08:00:00Z', 'start')).toThrow(
      'start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "2026-02-30T08:00:00Z")',
    );
    expect(() => timeOf('2026-12-07', 'start')).toThrow('start must be an ISO 8601 time on the calendar with an offset');
    expect(() => dayOrTimeOf('2026-02-29', 'since')).toThrow(
      'since must be an ISO 8601 date or time on the calendar, e.g. 2026-03-01 or 2026-03-01T08:30:00+08:00 (not "2026-02-29")',
    );
    expect(() => dateOf('2026-11-31', 'from')).toThrow('from must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01 (not "2026-11-31")');
    expect(() => monthOf('2026-13', 'month')).toThrow('month must be a month as YYYY-MM, e.g. 2024-09 (not "2026-13")');
    for (const value of ['yesterday', '07/12/2026', '', '2026-00-10', '2026-01-00']) expect(() => dayOrTimeOf(value, 'since')).toThrow('since must be');
  });
});
