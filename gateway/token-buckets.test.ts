import { TokenBuckets } from './token-buckets';

it('lets a burst of the capacity through, then refills at the rate', () => {
  let now = 0;
  const buckets = new TokenBuckets(6, 2, () => now);
  for (let request = 0; request < 2; request++) {
    expect(buckets.secondsUntilToken('a')).toBe(0);
    buckets.take('a');
  }
  // 6 a minute: one every 10 s.
  expect(buckets.secondsUntilToken('a')).toBe(10);
  expect(buckets.secondsUntilToken('b')).toBe(0);
  now = 4_500;
  expect(buckets.secondsUntilToken('a')).toBe(6);
  now = 10_000;
  expect(buckets.secondsUntilToken('a')).toBe(0);
});

it('never holds more than its capacity, however long a caller was quiet', () => {
  let now = 0;
  const buckets = new TokenBuckets(60, 3, () => now);
  buckets.take('a');
  now = 3_600_000;
  for (let request = 0; request < 3; request++) buckets.take('a');
  expect(buckets.secondsUntilToken('a')).toBe(1);
});

it('forgets callers whose bucket has filled up again', () => {
  let now = 0;
  const buckets = new TokenBuckets(60, 2, () => now);
  buckets.take('a');
  buckets.take('b');
  expect(buckets.size).toBe(2);
  // A full refill (2 s at one a second) later, the next take sweeps both away and keeps only c.
  now = 2_000;
  buckets.take('c');
  expect(buckets.size).toBe(1);
});
