/**
 * ROUND's mode, TRUNCATE, CEIL/FLOOR with a scale, RANDOM, SQUARE, CBRT, HAVERSINE, WIDTH_BUCKET
 * (local/compat/functions/math.ts, CEIL/FLOOR in arithmetic.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];
const texts = (sql: string): Array<string | null> => {
  const r = s.execute(sql);
  return r.columns.map((_c, i) => r.text(0, i));
};

describe('numeric functions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/round: half away from zero by default,
  // for NUMBER and FLOAT; a negative scale rounds to tens, hundreds, …; 'HALF_TO_EVEN' sends an
  // exact half to the even neighbour (2.5 → 2, -2.5 → -2, 3.5 → 4).
  it('ROUND rounds half away from zero, or half to even when asked', () => {
    expect(row('SELECT ROUND(135.135, -2), ROUND(-975.975, 1), ROUND(2.5), ROUND(-2.5), ROUND(2.5::FLOAT), ROUND(-2.5::FLOAT)')).toEqual([100, -976, 3, -3, 3, -3]);
    expect(row("SELECT ROUND(2.5, 0, 'HALF_AWAY_FROM_ZERO'), ROUND(2.5, 0, 'HALF_TO_EVEN'), ROUND(-2.5, 0, 'HALF_TO_EVEN'), ROUND(3.5, 0, 'HALF_TO_EVEN')")).toEqual([3, 2, -2, 4]);
    expect(texts("SELECT ROUND(2.25, 1, 'HALF_TO_EVEN'), ROUND(2.35, 1, 'HALF_TO_EVEN'), ROUND(2.351, 1, 'HALF_TO_EVEN')")).toEqual(['2.2', '2.4', '2.4']);
    const e = failureOf(s, "SELECT ROUND(25, -1, 'HALF_TO_EVEN')");
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain("ROUND with the rounding mode 'HALF_TO_EVEN' and scale -1");
  });

  // https://docs.snowflake.com/en/sql-reference/functions/trunc,
  // https://docs.snowflake.com/en/sql-reference/functions/ceil,
  // https://docs.snowflake.com/en/sql-reference/functions/floor: the scale may be negative.
  it('TRUNCATE, CEIL and FLOOR take a scale', () => {
    expect(texts('SELECT TRUNCATE(135.135, 1), TRUNCATE(-975.975, -1), TRUNC(135.135, 2)')).toEqual(['135.1', '-970', '135.13']);
    expect(texts('SELECT CEIL(135.135, 1), CEIL(-975.975, 1), CEIL(135.135, -2), FLOOR(135.135, 1), FLOOR(-975.975, 1), FLOOR(135.135, -2)')).toEqual([
      '135.2',
      '-975.9',
      '200',
      '135.1',
      '-976.0',
      '100',
    ]);
    expect(row('SELECT CEIL(1.20, 1), FLOOR(-1.5), CEIL(-1.5), FLOOR(127.5::FLOAT, 0)')).toEqual([1.2, -2, -1, 127]);
    // A NUMBER's result is typed by the scale, which must then be a constant.
    const e = failureOf(s, 'SELECT ROUND(1.234, D) FROM (SELECT 2 AS D)');
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain('ROUND of a NUMBER to a scale that is not a constant is not implemented');
  });

  // The pages' own example (ceil, floor, round, trunc): a FLOAT column rounded to a scale taken
  // from an INTEGER column, NULL scale giving NULL.
  it('CEIL, FLOOR, ROUND and TRUNC of a FLOAT to a scale from a column (the pages\' example)', () => {
    s.execute('CREATE OR REPLACE TABLE TEST_CEILING (N FLOAT, SCALE INTEGER)');
    s.execute('INSERT INTO TEST_CEILING (N, SCALE) VALUES (-975.975, -1), (-975.975, 0), (-975.975, 2), (135.135, -2), (135.135, 0), (135.135, 1), (135.135, 3), (135.135, 50), (135.135, NULL)');
    expect(s.execute('SELECT CEIL(N, SCALE), FLOOR(N, SCALE), ROUND(N, SCALE), TRUNC(N, SCALE) FROM TEST_CEILING ORDER BY N, SCALE').rows).toEqual([
      [-970, -980, -980, -970],
      [-975, -976, -976, -975],
      [-975.97, -975.98, -975.98, -975.97],
      [200, 100, 100, 100],
      [136, 135, 135, 135],
      [135.2, 135.1, 135.1, 135.1],
      [135.135, 135.135, 135.135, 135.135],
      [135.135, 135.135, 135.135, 135.135],
      [null, null, null, null],
    ]);
    // A NUMBER's result is typed by its scale, which must then be a literal.
    expect(failureOf(s, 'SELECT CEIL(1.234, D) FROM (SELECT 2 AS D)').message).toContain('CEIL or FLOOR of a NUMBER to a scale that is not a literal');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/random: a 64-bit integer; with a seed the
  // sequence is Snowflake's own, which is not reproduced.
  it('RANDOM() is a random 64-bit integer; RANDOM(seed) is refused', () => {
    const r = s.execute('SELECT RANDOM(), RANDOM()');
    expect(r.columns.map((c) => [c.type, c.scale])).toEqual([
      ['NUMBER', 0],
      ['NUMBER', 0],
    ]);
    const [a, b] = [r.text(0, 0), r.text(0, 1)];
    expect(a).toMatch(/^-?\d+$/);
    expect(a).not.toBe(b);
    expect(failureOf(s, 'SELECT RANDOM(42)').message).toContain('RANDOM with a seed is not implemented');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/square, /cbrt, /haversine (the page's
  // New York – Los Angeles example, 3936.385096389 km), /width_bucket (prices into 4 buckets from
  // 200000 to 600000: below is 0, at or above the top 5).
  it('SQUARE, CBRT, HAVERSINE and WIDTH_BUCKET', () => {
    expect(row('SELECT SQUARE(3), SQUARE(-1.5), CBRT(27), CBRT(-8), FACTORIAL(5)')).toEqual([9, 2.25, 3, -2, 120]);
    expect(row('SELECT HAVERSINE(40.7127, -74.0059, 34.0500, -118.2500)')[0]).toBeCloseTo(3936.385096389, 6);
    expect(row('SELECT WIDTH_BUCKET(290000, 200000, 600000, 4), WIDTH_BUCKET(599999, 200000, 600000, 4), WIDTH_BUCKET(100, 200000, 600000, 4), WIDTH_BUCKET(600000, 200000, 600000, 4)')).toEqual([1, 4, 0, 5]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/bitand (and BITOR, BITXOR, BITNOT,
  // BITSHIFTLEFT, BITSHIFTRIGHT)
  it('bitwise functions', () => {
    expect(row('SELECT BITAND(6, 3), BITOR(6, 3), BITXOR(6, 3), BITNOT(6), BITSHIFTLEFT(1, 4), BITSHIFTRIGHT(16, 2)')).toEqual([2, 7, 5, -7, 16, 4]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/mod: truncation-based, so the sign is the
  // dividend's; the page's example MOD(3, 2) = 1, MOD(4.5, 1.2) = 0.9.
  it('MOD and % keep the sign of the dividend', () => {
    expect(row('SELECT MOD(3, 2), MOD(4.5, 1.2), MOD(-7, 3), -7 % 3, 7 % -3')).toEqual([1, 0.9, -1, -1, 1]);
  });
});

