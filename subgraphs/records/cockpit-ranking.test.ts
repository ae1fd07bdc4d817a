import fc from 'fast-check';
import { rankBy } from './cockpit-ranking';

const byValue = (value: number | null) => value;

it('ranks most first, ties sharing a rank, nothing to show last and unranked', () => {
  expect(rankBy([3, null, 7, 3, 1], byValue)).toEqual([
    { rank: 1, value: 7, row: 7 },
    { rank: 2, value: 3, row: 3 },
    { rank: 2, value: 3, row: 3 },
    { rank: 4, value: 1, row: 1 },
    { rank: null, value: null, row: null },
  ]);
  expect(rankBy([], byValue)).toEqual([]);
});

it('keeps every row once, each rank one more than the rows strictly above it', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: null })), (values) => {
      const ranked = rankBy(values, byValue);
      expect(ranked.map((entry) => entry.value).sort()).toEqual([...values].sort());
      for (const entry of ranked) {
        if (entry.value === null) expect(entry.rank).toBeNull();
        else expect(entry.rank).toBe(1 + values.filter((value) => value !== null && value > entry.value!).length);
      }
      const firstNull = ranked.findIndex((entry) => entry.value === null);
      if (firstNull >= 0) expect(ranked.slice(firstNull).every((entry) => entry.value === null)).toBe(true);
    }),
  );
});
