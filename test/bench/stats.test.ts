import { describe, expect, it } from 'vitest';
import { median, pairRatios, percentile, rotation, summarize } from '../../scripts/bench/stats.js';
import { parseBuildOutput } from '../../scripts/bench/fig-build.js';
import { parseLag } from '../../scripts/bench/fig-runtime.js';
import { stamp } from '../../scripts/bench/fixture.js';
import { fmtMs, fmtSize } from '../../scripts/bench/context.js';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle values, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([9, 2, 7])).toEqual({ n: 3, median: 7, min: 2, max: 9 });
  });

  it('refuses an empty or non-finite sample instead of reporting NaN', () => {
    expect(() => median([])).toThrow(/zero times/);
    expect(() => summarize([1, Number.NaN])).toThrow(/not a finite number/);
  });

  it('uses nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, reversed
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(() => percentile(xs, 0)).toThrow(/\(0, 100\]/);
  });

  it('divides pair by pair, not median by median', () => {
    // Medians 20/10 would say 2; the pairs say 3, 1 and 1.5.
    const ratios = pairRatios([30, 10, 60], [10, 10, 40]);
    expect(ratios).toEqual([3, 1, 1.5]);
    expect(median(ratios)).toBe(1.5);
    expect(() => pairRatios([1, 2], [1])).toThrow(/2 numerators but 1 denominators/);
    expect(() => pairRatios([1], [0])).toThrow(/not a positive time/);
  });

  it('rotates the run order so each item goes first equally often', () => {
    const firsts = [0, 1, 2, 3, 4, 5].map((k) => rotation(['a', 'b', 'c'], k)[0]);
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(rotation(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
  });
});

describe('bench parsers and fixture', () => {
  it('reads each procedure and its body size from the build output', () => {
    const out = [
      '2 procedures from procedure/procedures.ts:',
      '  P1() RETURNS VARIANT',
      '      body 123 bytes ($$-quoted) -> dist/a.sql',
      '  P2(X OBJECT) RETURNS VARIANT',
      "      body 4567 bytes (single-quoted: body contains '$$') -> dist/b.sql",
      'wrote     dist/a.sql (999 bytes)',
    ].join('\n');
    expect(parseBuildOutput(out)).toEqual([
      { signature: 'P1() RETURNS VARIANT', bodyBytes: 123, file: 'a.sql' },
      { signature: 'P2(X OBJECT) RETURNS VARIANT', bodyBytes: 4567, file: 'b.sql' },
    ]);
  });

  it("reads the lag from the demo's progress line, and nothing from a line without one", () => {
    expect(parseLag('[  3s] changes 360 | runs 3 (failed 0) | inserted 200 updated 90 | lag 1.2s | open transactions 1')).toBe(1.2);
    expect(parseLag('[  1s] changes 120 | runs 0 (failed 0) | inserted 0 updated 0 | lag - | open transactions 0')).toBeNull();
  });

  it('writes synthetic stamps in the procedure wire format, to the microsecond', () => {
    expect(stamp(0)).toBe('2026-01-01 00:00:00.000000000');
    expect(stamp(1)).toBe('2026-01-01 00:00:00.000001000');
    expect(stamp(86_400_000_000 + 1_234_567)).toBe('2026-01-02 00:00:01.234567000');
    expect(stamp(-300_000_000)).toBe('2025-12-31 23:55:00.000000000');
  });
});

describe('bench formatting', () => {
  it('switches unit where rounding would otherwise print 1000 of the smaller one', () => {
    expect(fmtMs(999.6)).toBe('1.00 s');
    expect(fmtMs(999.4)).toBe('999 ms');
    expect(fmtMs(9.996)).toBe('10.0 ms');
    expect(fmtMs(99.96)).toBe('100 ms');
    expect(fmtMs(9_996)).toBe('10.0 s');
    expect(fmtSize(1_000_000)).toBe('1M');
    expect(fmtSize(10_000)).toBe('10k');
    expect(fmtSize(2500)).toBe('2,500');
  });
});
