/**
 * Order statistics for the benchmark: medians with min and max, percentiles, and ratios taken
 * pair by pair (each pair measured back to back, so drift in machine load cancels within it).
 */

/** A set of timings (or ratios) reduced to what the report prints. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
}

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new Error('no samples: a benchmark step ran zero times');
  for (const x of xs) if (!Number.isFinite(x)) throw new Error(`sample ${String(x)} is not a finite number`);
  return [...xs].sort((a, b) => a - b);
}

/** The median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The nearest-rank percentile, `p` in (0, 100]: the smallest sample with at least p% at or below it. */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const s = sorted(xs);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] as number;
}

/** Median, min and max of the samples. */
export function summarize(xs: readonly number[]): Summary {
  const s = sorted(xs);
  return { n: s.length, median: median(s), min: s[0] as number, max: s[s.length - 1] as number };
}

/** `num[i] / den[i]` for each pair; both lists come from the same repeats, in the same order. */
export function pairRatios(num: readonly number[], den: readonly number[]): number[] {
  if (num.length !== den.length) throw new Error(`pairRatios: ${num.length} numerators but ${den.length} denominators`);
  return num.map((x, i) => {
    const d = den[i] as number;
    if (!(d > 0)) throw new Error(`pairRatios: denominator ${i} is ${d}, not a positive time`);
    return x / d;
  });
}

/**
 * The order of `items` for repeat `k`: rotated by k, so each item runs first, second, … equally
 * often and a slow start or a load spike does not always land on the same one.
 */
export function rotation<T>(items: readonly T[], k: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const r = ((k % n) + n) % n;
  return [...items.slice(r), ...items.slice(0, r)];
}
