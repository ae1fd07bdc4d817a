/**
 * Seeded randomness for the city generator (mulberry32, weighted picks) and the small helpers
 * the generator's tables share. The same seed gives the same sequence of draws.
 */

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`No item at index ${index} of ${items.length}`);
  return item;
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }
  /** `weights[i]` is the relative weight of outcome i. */
  index(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] ?? 0;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
    }
    return copy;
  }
  hex(length: number): string {
    let text = '';
    while (text.length < length)
      text += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
    return text.slice(0, length);
  }
}

/** Repeated weighted picks from a fixed list, by binary search over cumulative weights. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    for (const item of items) {
      this.total += Math.max(0, weightOf(item));
      this.cumulative.push(this.total);
    }
    if (!(this.total > 0)) throw new Error('A weighted table needs a positive total weight');
  }
  pick(random: Random): T {
    const target = random.float() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (at(this.cumulative, middle) > target) high = middle;
      else low = middle + 1;
    }
    return at(this.items, low);
  }
}

/** FNV-1a: a stable hash of a name, for choices that must not depend on the seed. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? at(sorted, middle) : Math.round((at(sorted, middle - 1) + at(sorted, middle)) / 2);
}

export const words = (text: string): string[] => text.split(' ');
