/**
 * How the cockpit's first row writes a headline counter: as it is below 10,000, in 万 with one
 * decimal up to 9999.9 万, in 亿 with at most two decimals (none when whole) beyond, and
 * "no data" when the API answered none. The page's own script, run here without a browser.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';

const window: { CockpitHeadline?: { inChinese(value: number | null): string } } = {};
runInNewContext(readFileSync(path.join(__dirname, 'cockpit', 'cockpit-headline.js'), 'utf8'), { window, CockpitTables: { element: () => null } });
const inChinese = window.CockpitHeadline!.inChinese;

it('writes the bulletin’s September 2024 figures as the health commission reads them', () => {
  expect([8_680_000, 28_150_000, 4_410_000, 8_920_000, 17_800_000_000, 27_508_000_000].map(inChinese)).toEqual([
    '868.0 万',
    '2815.0 万',
    '441.0 万',
    '892.0 万',
    '178 亿',
    '275.08 亿',
  ]);
  expect([0, 9_999, 10_000, 99_999_999, 100_000_000, 123_456_789].map(inChinese)).toEqual(['0', '9,999', '1.0 万', '1 亿', '1 亿', '1.23 亿']);
  expect(inChinese(null)).toBe('无数据 No data');
});

it('keeps every count within half a last digit of its exact figure, in the unit its size calls for', () => {
  fc.assert(
    fc.property(
      // The whole range, and near the units' edges, where rounding decides.
      fc.oneof(fc.integer({ min: 0, max: 10 ** 13 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 99_990_000, max: 100_010_000 })),
      (value) => {
        const written = inChinese(value);
        const match = /^(\d+(?:\.\d+)?) (万|亿)$/.exec(written);
        if (value < 10_000) return written === value.toLocaleString('en-US');
        // 万 up to 9999.9 万 (never 10000.0 万); 亿 from about where 万 would round to 10000.0.
        if (match?.[2] === '万') return value < 100_000_000 && /^\d{1,4}\.\d$/.test(match[1]!) && Math.abs(Number(match[1]) * 10_000 - value) <= 500;
        return match?.[2] === '亿' && value >= 99_999_000 && /^\d+(\.\d{1,2})?$/.test(match[1]!) && Math.abs(Number(match[1]) * 100_000_000 - value) <= 500_000;
      },
    ),
  );
});
