import { slotPoolOf } from './referral-rules';

describe('slotPoolOf', () => {
  const entry = { department: '心血管内科', date: '2026-12-10', session: 'AFTERNOON', kind: 'SPECIALIST', capacity: 7 } as const;

  it('reserves the configured share rounded up to whole places, until the configured hours before the 14:00 session', () => {
    expect(slotPoolOf('3201-H001', entry, true, { reservedSharePercent: 45, releaseHoursBefore: 48 })).toMatchObject({
      capacity: 7,
      reserved: 4,
      sessionStart: new Date('2026-12-10T06:00:00.000Z'),
      releaseAt: new Date('2026-12-08T06:00:00.000Z'),
    });
    expect(slotPoolOf('3201-H001', { ...entry, capacity: 20 }, true, { reservedSharePercent: 30, releaseHoursBefore: 0 })).toMatchObject({
      reserved: 6,
      releaseAt: new Date('2026-12-10T06:00:00.000Z'),
    });
    expect(slotPoolOf('3201-H001', { ...entry, capacity: 1 }, true, { reservedSharePercent: 1, releaseHoursBefore: 24 }).reserved).toBe(1);
    expect(slotPoolOf('3201-H001', entry, true, { reservedSharePercent: 0, releaseHoursBefore: 24 }).reserved).toBe(0);
  });

  it('reserves nothing at a hospital that does not take part, and names the session with one id whatever its capacity', () => {
    expect(slotPoolOf('3201-H001', entry, false).reserved).toBe(0);
    expect(slotPoolOf('3201-H001', { ...entry, capacity: 300 }, true)._id).toBe(slotPoolOf('3201-H001', entry, false)._id);
    expect(slotPoolOf('3201-H002', entry, true)._id).not.toBe(slotPoolOf('3201-H001', entry, true)._id);
    expect(slotPoolOf('3201-H001', { ...entry, session: 'MORNING' }, true).sessionStart).toEqual(new Date('2026-12-10T00:00:00.000Z'));
  });
});
