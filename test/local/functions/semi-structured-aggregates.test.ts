/**
 * ARRAY_AGG, ARRAY_UNIQUE_AGG, OBJECT_AGG and LISTAGG, with WITHIN GROUP, DISTINCT and OVER
 * (local/compat/functions/semi-structured-aggregates.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE TABLE AGG_T (G NUMBER, X NUMBER, S VARCHAR)');
  s.execute(`INSERT INTO AGG_T VALUES (1, 3, 'c'), (1, 1, 'a'), (1, NULL, NULL), (2, 2, 'b'), (1, 3, 'c')`);
});
afterAll(() => sf.close());
const rows = (sql: string): unknown[][] => s.execute(sql).rows;

describe('aggregates', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/array_agg: NULLs left out; WITHIN
  // GROUP orders the array; an empty input gives an empty array.
  it('ARRAY_AGG is an ARRAY of the non-NULL values, ordered by WITHIN GROUP, DISTINCT too', () => {
    expect(rows('SELECT ARRAY_AGG(X) WITHIN GROUP (ORDER BY X DESC) FROM AGG_T')).toEqual([[[3, 3, 2, 1]]]);
    expect(rows('SELECT ARRAY_AGG(DISTINCT X) WITHIN GROUP (ORDER BY X) FROM AGG_T')).toEqual([[[1, 2, 3]]]);
    expect(rows('SELECT ARRAY_AGG(X) FROM AGG_T WHERE FALSE')).toEqual([[[]]]);
    expect(s.execute('SELECT ARRAY_AGG(S) WITHIN GROUP (ORDER BY S) FROM AGG_T').columns[0]?.type).toBe('VARIANT');
    // An ARRAY_AGG result is an ARRAY to the other functions (0-based).
    expect(rows('SELECT (ARRAY_AGG(X) WITHIN GROUP (ORDER BY X))[0], ARRAY_SIZE(ARRAY_AGG(X)) FROM AGG_T')).toEqual([[1, 4]]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_unique_agg, object_agg
  it('ARRAY_UNIQUE_AGG and OBJECT_AGG', () => {
    expect(rows('SELECT G, ARRAY_SORT(ARRAY_UNIQUE_AGG(X)), OBJECT_AGG(S, X) FROM AGG_T WHERE X <> 3 OR G = 2 GROUP BY G ORDER BY G')).toEqual([
      [1, [1], { a: 1 }],
      [2, [2], { b: 2 }],
    ]);
    expect(failureOf(s, 'SELECT OBJECT_AGG(S, X) FROM AGG_T').message).toContain('Duplicate field key');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/listagg: non-NULL values joined by the
  // delimiter ('' when none is given), ordered by WITHIN GROUP; also as a window function.
  it('LISTAGG with WITHIN GROUP, DISTINCT and OVER', () => {
    expect(rows(`SELECT LISTAGG(S, ', ') WITHIN GROUP (ORDER BY S), LISTAGG(DISTINCT S, '|') WITHIN GROUP (ORDER BY S DESC), LISTAGG(X) WITHIN GROUP (ORDER BY X) FROM AGG_T`)).toEqual([['a, b, c, c', 'c|b|a', '1233']]);
    expect(rows(`SELECT G, X, LISTAGG(S, '-') WITHIN GROUP (ORDER BY S) OVER (PARTITION BY G), ARRAY_AGG(X) WITHIN GROUP (ORDER BY X) OVER (PARTITION BY G) FROM AGG_T WHERE X IS NOT NULL ORDER BY G, X`)).toEqual([
      [1, 1, 'a-c-c', [1, 3, 3]],
      [1, 3, 'a-c-c', [1, 3, 3]],
      [1, 3, 'a-c-c', [1, 3, 3]],
      [2, 2, 'b', [2]],
    ]);
  });
});
