import mongoose, { type Connection } from 'mongoose';
import { ensureIndexes } from '../platform/database';
import { ActivityStore, cityDay, registerActivityStoreModels, rollupUpdates } from './activity-store';
import { formsFedBy, REALTIME_FORMS } from './realtime-forms';

describe('activity rollups', () => {
  it('counts a day by the city’s calendar (Asia/Shanghai)', () => {
    expect(cityDay(new Date('2024-09-30T15:59:59Z'))).toBe('2024-09-30');
    expect(cityDay(new Date('2024-09-30T16:00:00Z'))).toBe('2024-10-01');
  });

  it('merges entries into one update per organization and city document, day and month', () => {
    const at = new Date('2024-10-02T02:00:00Z');
    const operations = rollupUpdates([
      {
        organizationCode: '3201-H001',
        at,
        counts: { realtimeRecords: 1, outpatientVisits: 1, outpatientRevenueFen: 1250 },
        realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'],
      },
      { organizationCode: '3201-H001', at, counts: { realtimeRecords: 1 }, realtimeForm: 'DIAGNOSIS' },
    ]);
    expect(operations.map((operation) => (operation as { updateOne: { filter: { _id: string } } }).updateOne.filter._id)).toEqual([
      '3201-H001|2024-10-02',
      '3201-H001|2024-10',
      '*|2024-10-02',
      '*|2024-10',
    ]);
    expect((operations[1] as { updateOne: { update: unknown } }).updateOne.update).toEqual({
      $setOnInsert: { organizationCode: '3201-H001', period: 'month', month: '2024-10', day: null },
      $inc: { realtimeRecords: 2, outpatientVisits: 1, outpatientRevenueFen: 1250 },
      $addToSet: { forms: { $each: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT', 'DIAGNOSIS'] }, realtimeDays: { $each: ['2024-10-02'] } },
    });
  });

  it('refuses a counter that is not a whole number', () => {
    expect(() => rollupUpdates([{ organizationCode: '3201-H001', at: new Date(), counts: { outpatientRevenueFen: 12.5 } }])).toThrow(
      'outpatientRevenueFen must be an integer',
    );
  });

  it('has the city’s 11 real-time forms, each fed by some kind of write', () => {
    expect(REALTIME_FORMS).toHaveLength(11);
    expect(formsFedBy(['encounter.outpatient', 'encounter.outpatient-charges'])).toEqual(['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT']);
  });
});

describe('against the suite’s database', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `activity_${process.pid}`, maxPoolSize: 50 }).asPromise();
    await ensureIndexes(connection);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('loses no count when 40 requests add to the same new day at once', async () => {
    const models = registerActivityStoreModels(connection);
    await ensureIndexes(connection);
    const store = new ActivityStore(models);
    const at = new Date('2026-03-04T05:00:00Z');
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        store.record([
          {
            organizationCode: '3201-H001',
            at,
            counts: { realtimeRecords: 1, outpatientVisits: 1, outpatientRevenueFen: 100 },
            realtimeForm: index % 2 ? 'DIAGNOSIS' : 'ALLERGY',
          },
        ]),
      ),
    );
    const [day] = await store.daysOf(['3201-H001'], '2026-03');
    expect(day).toMatchObject({ _id: '3201-H001|2026-03-04', day: '2026-03-04', realtimeRecords: 40, outpatientVisits: 40, outpatientRevenueFen: 4000 });
    expect([...day!.forms].sort()).toEqual(['ALLERGY', 'DIAGNOSIS']);
    const [month] = await store.monthsOf('*', '2026-03', '2026-03');
    expect(month).toMatchObject({ _id: '*|2026-03', realtimeRecords: 40, realtimeDays: ['2026-03-04'] });
  });
});
