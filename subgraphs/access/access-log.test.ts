/**
 * The access log's paging, on an in-memory log in the database's order: whatever the events
 * (ties in time, requests interleaved, a request's events far apart, two residents of a merged
 * record), paging with any page size shows each (request, resident) once, newest first, whole.
 */
import fc from 'fast-check';
import type { TimeKey } from '../../platform/pagination';
import { type AccessLogSource, accessLogPage } from './access-log';
import type { AuditEventDoc } from './models';

const KINDS = ['allergies', 'conditions', 'demographics', 'encounters', 'labs', 'prescriptions', 'referrals'] as const;
const T0 = Date.parse('2026-11-30T08:00:00.000Z');

function event(fields: Partial<AuditEventDoc> & Pick<AuditEventDoc, '_id' | 'at' | 'requestId'>): AuditEventDoc {
  return {
    correlationId: null,
    action: 'read',
    subgraph: 'records',
    subject: 'dr-1',
    roles: ['doctor'],
    organizationCode: '3201-H001',
    purposeOfUse: 'treatment',
    residentId: 'resident-a',
    dataKinds: ['demographics'],
    outcome: 'allowed',
    alert: false,
    ...fields,
  };
}

/** The log as the database serves it: (at, _id) descending, after a position, limited; and by request. */
function memorySource(events: readonly AuditEventDoc[]) {
  const calls = { scan: 0, eventsOf: 0 };
  const order = [...events].sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : -1));
  const isAfter = (row: AuditEventDoc, position: TimeKey) => row.at < position.at || (row.at.getTime() === position.at.getTime() && row._id < position.id);
  const source: AccessLogSource = {
    scan: async (position, limit) => {
      calls.scan++;
      return order
        .filter((row) => !position || isAfter(row, position))
        .slice(0, limit)
        .map(({ _id, at, requestId, residentId }) => ({ _id, at, requestId, residentId }));
    },
    eventsOf: async (requestIds) => {
      calls.eventsOf++;
      return events.filter((row) => requestIds.includes(row.requestId));
    },
  };
  return { source, calls };
}

async function walk(source: AccessLogSource, first: number) {
  const pages: { requestId: string; residentId: string; dataKinds: string[]; outcome: string; alert: boolean; subgraphs: string[] }[][] = [];
  let after: string | null = null;
  do {
    const page = await accessLogPage(source, first, after);
    pages.push(
      page.edges.map(({ node }) => ({
        requestId: node.requestId,
        residentId: node.residentId,
        dataKinds: node.dataKinds,
        outcome: node.outcome,
        alert: node.alert,
        subgraphs: node.subgraphs,
      })),
    );
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (pages.length > 10_000) throw new Error('paging does not end');
  } while (after);
  return pages;
}

describe('accessLogPage', () => {
  it('unites a request’s events from every subgraph into one entry', async () => {
    const at = (ms: number) => new Date(T0 + ms);
    const { source, calls } = memorySource([
      event({ _id: 'e1', at: at(0), requestId: 'req-1', subgraph: 'records', dataKinds: ['allergies', 'demographics'] }),
      event({ _id: 'e2', at: at(3), requestId: 'req-1', subgraph: 'labs', dataKinds: ['labs'], outcome: 'omitted' }),
      event({ _id: 'e3', at: at(5), requestId: 'req-1', subgraph: 'prescriptions', dataKinds: ['prescriptions'] }),
      event({ _id: 'e4', at: at(9), requestId: 'req-2', subgraph: 'records', dataKinds: ['demographics'], outcome: 'denied' }),
      event({ _id: 'e5', at: at(9), requestId: 'req-2', subgraph: 'labs', dataKinds: ['labs'], purposeOfUse: 'emergency', alert: true }),
    ]);
    const page = await accessLogPage(source, 20, null);
    expect(
      page.edges.map(({ node }) => [node._id, node.requestId, node.dataKinds, node.outcome, node.purposeOfUse, node.alert, node.subgraphs, node.subgraph]),
    ).toEqual([
      ['e5', 'req-2', ['demographics', 'labs'], 'denied', 'emergency', true, ['labs', 'records'], 'labs'],
      [
        'e3',
        'req-1',
        ['allergies', 'demographics', 'labs', 'prescriptions'],
        'omitted',
        'treatment',
        false,
        ['labs', 'prescriptions', 'records'],
        'prescriptions',
      ],
    ]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    // The scan, then the requests' events: one query more than a page of raw events.
    expect(calls).toEqual({ scan: 1, eventsOf: 1 });
  });

  it('leaves out the request that reads the log: only part of it is written yet', async () => {
    const at = (ms: number) => new Date(T0 + ms);
    const { source } = memorySource([
      event({ _id: 'a', at: at(0), requestId: 'doctor-read', subgraph: 'labs', dataKinds: ['labs'] }),
      event({ _id: 'b', at: at(5), requestId: 'reading', subgraph: 'records', roles: ['resident'], purposeOfUse: 'self' }),
    ]);
    const page = await accessLogPage(source, 1, null, 'reading');
    expect(page.edges.map(({ node }) => node.requestId)).toEqual(['doctor-read']);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('shows a request whose events lie on both sides of a cursor once, whole, on the page of its newest event', async () => {
    const at = (ms: number) => new Date(T0 + ms);
    // req-1 began first and finished last; req-2 ran in between.
    const events = [
      event({ _id: 'a', at: at(0), requestId: 'req-1', subgraph: 'records', dataKinds: ['demographics'] }),
      event({ _id: 'b', at: at(1), requestId: 'req-2', subgraph: 'records', dataKinds: ['demographics'] }),
      event({ _id: 'c', at: at(2), requestId: 'req-2', subgraph: 'labs', dataKinds: ['labs'] }),
      event({ _id: 'd', at: at(3), requestId: 'req-1', subgraph: 'referrals', dataKinds: ['referrals'] }),
    ];
    expect(await walk(memorySource(events).source, 1)).toEqual([
      [
        {
          requestId: 'req-1',
          residentId: 'resident-a',
          dataKinds: ['demographics', 'referrals'],
          outcome: 'allowed',
          alert: false,
          subgraphs: ['records', 'referrals'],
        },
      ],
      [{ requestId: 'req-2', residentId: 'resident-a', dataKinds: ['demographics', 'labs'], outcome: 'allowed', alert: false, subgraphs: ['labs', 'records'] }],
    ]);
  });

  it('goes on from the last event looked at when one request has more events than a page scans', async () => {
    const at = (ms: number) => new Date(T0 + ms);
    const upload = Array.from({ length: 300 }, (_, index) =>
      event({ _id: `u${String(index).padStart(3, '0')}`, at: at(10 + index), requestId: 'upload', subgraph: 'labs', dataKinds: ['labs'] }),
    );
    const events = [event({ _id: 'old', at: at(0), requestId: 'before' }), ...upload, event({ _id: 'new', at: at(1000), requestId: 'after' })];
    const pages = await walk(memorySource(events).source, 1);
    expect(pages.flat().map((entry) => entry.requestId)).toEqual(['after', 'upload', 'before']);
    // The upload's entry is whole: every one of its 300 events is in it.
    expect(pages.flat()[1]).toEqual({
      requestId: 'upload',
      residentId: 'resident-a',
      dataKinds: ['labs'],
      outcome: 'allowed',
      alert: false,
      subgraphs: ['labs'],
    });
  });

  it('pages any log exactly: each (request, resident) once, newest first, with the union of its kinds and its worst outcome', async () => {
    // Requests of one to nineteen events each, at random times: ties, interleaving, long entries.
    const eventArbitrary = fc.record({
      ms: fc.integer({ min: 0, max: 30 }),
      subgraph: fc.constantFrom('records', 'labs', 'prescriptions', 'referrals', 'access'),
      kinds: fc.subarray([...KINDS], { minLength: 1 }),
      outcome: fc.constantFrom('allowed' as const, 'omitted' as const, 'denied' as const),
      alert: fc.boolean(),
    });
    const requestArbitrary = fc.record({
      request: fc.integer({ min: 0, max: 5 }),
      resident: fc.constantFrom('resident-a', 'resident-b'),
      events: fc.array(eventArbitrary, { minLength: 1, maxLength: 19 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(requestArbitrary, { maxLength: 6 }), fc.integer({ min: 1, max: 7 }), async (requests, first) => {
        const events = requests
          .flatMap(({ request, resident, events }) => events.map((row) => ({ ...row, request, resident })))
          .map((row, index) =>
            event({
              _id: `id-${String(index).padStart(3, '0')}`,
              at: new Date(T0 + row.ms),
              requestId: `req-${row.request}`,
              residentId: row.resident,
              subgraph: row.subgraph,
              dataKinds: row.kinds,
              outcome: row.outcome,
              alert: row.alert,
            }),
          );
        // The reference: group by (request, resident); an entry stands at its newest event.
        const groups = new Map<string, AuditEventDoc[]>();
        for (const row of events) groups.set(`${row.requestId}/${row.residentId}`, [...(groups.get(`${row.requestId}/${row.residentId}`) ?? []), row]);
        const newest = (rows: AuditEventDoc[]) =>
          rows.reduce((best, row) => (row.at > best.at || (row.at.getTime() === best.at.getTime() && row._id > best._id) ? row : best));
        const expected = [...groups.values()]
          .sort((a, b) => newest(b).at.getTime() - newest(a).at.getTime() || (newest(a)._id < newest(b)._id ? 1 : -1))
          .map((rows) => ({
            requestId: rows[0]!.requestId,
            residentId: rows[0]!.residentId,
            dataKinds: KINDS.filter((kind) => rows.some((row) => row.dataKinds.includes(kind))),
            outcome: rows.some((row) => row.outcome === 'denied') ? 'denied' : rows.some((row) => row.outcome === 'omitted') ? 'omitted' : 'allowed',
            alert: rows.some((row) => row.alert),
            subgraphs: [...new Set(rows.map((row) => row.subgraph))].sort(),
          }));
        const pages = await walk(memorySource(events).source, first);
        expect(pages.flat()).toEqual(expected);
        // Full pages until the last (no entry is long enough to leave a page short here).
        expect(pages.slice(0, -1).every((page) => page.length === first)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
