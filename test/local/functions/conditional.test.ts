/**
 * GREATEST, LEAST, CONCAT, DECODE, NVL2, EQUAL_NULL, NULLIFZERO (local/compat/functions/conditional.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];

describe('functions where NULL decides', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/greatest: "If any of the argument values
  // is NULL, the result is NULL" (Snowpark's example: (1, 2, 3) → 3, (2, 4, -1) → 4, (3, 6, NULL) → NULL;
  // https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.greatest).
  it('GREATEST and LEAST are NULL when any argument is NULL', () => {
    s.execute('CREATE OR REPLACE TABLE GL (A NUMBER, B NUMBER, C NUMBER)');
    s.execute('INSERT INTO GL VALUES (1, 2, 3), (2, 4, -1), (3, 6, NULL)');
    expect(s.execute('SELECT GREATEST(A, B, C), LEAST(A, B, C) FROM GL ORDER BY A').rows).toEqual([
      [3, 1],
      [4, -1],
      [null, null],
    ]);
    expect(row("SELECT GREATEST('apples', 'oranges'), LEAST('b', NULL)")).toEqual(['oranges', null]);
    // https://docs.snowflake.com/en/sql-reference/functions/greatest_ignore_nulls: NULLs skipped.
    expect(row('SELECT GREATEST_IGNORE_NULLS(1, NULL, 3), LEAST_IGNORE_NULLS(NULL, 2, 5), GREATEST_IGNORE_NULLS(NULL, NULL)')).toEqual([3, 2, null]);
    // The NULL test repeats each argument: a ? bind is still one value.
    expect(s.execute("SELECT GREATEST(?, 2), LEAST(?, NULL), CONCAT(?, ?), DECODE(?, 1, ?, 'zero')", [5, 1, 'a', 'b', 1, 'one']).rows).toEqual([[5, null, 'ab', 'one']]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/concat: "If any of the values is null,
  // the result is also null."
  it('CONCAT is NULL when any argument is NULL', () => {
    expect(row("SELECT CONCAT('Snowflake', ' ', 'is', ' ', 'great'), CONCAT('a', NULL), CONCAT('a', 1)")).toEqual(['Snowflake is great', null, 'a1']);
    expect(s.execute("SELECT CONCAT('a', NULL)").columns[0]?.type).toBe('TEXT');
    expect(row("SELECT CONCAT_WS(',', 'one', 'two', 'three'), CONCAT_WS(',', 'one', NULL, 'two'), CONCAT_WS(NULL, 'a')")).toEqual(['one,two,three', null, null]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/decode: the result of the first search
  // equal to the expression, where NULL matches NULL; the default, else NULL.
  it('DECODE returns the result of the first matching search, NULL matching NULL', () => {
    s.execute('CREATE OR REPLACE TABLE DEC (COLUMN1 NUMBER)');
    s.execute('INSERT INTO DEC VALUES (1), (2), (NULL), (4)');
    expect(s.execute(`SELECT DECODE(COLUMN1, 1, 'one', 2, 'two', NULL, '-NULL-', 'other') FROM DEC ORDER BY COLUMN1`).rows.map((r) => r[0])).toEqual([
      'one',
      'two',
      'other',
      '-NULL-',
    ]);
    expect(row("SELECT DECODE(3, 1, 'one', 2, 'two')")).toEqual([null]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/nvl2,
  // https://docs.snowflake.com/en/sql-reference/functions/equal_null,
  // https://docs.snowflake.com/en/sql-reference/functions/nullifzero
  it('NVL2, EQUAL_NULL and NULLIFZERO', () => {
    expect(row('SELECT NVL2(NULL, 1, 2), NVL2(0, 1, 2), EQUAL_NULL(NULL, NULL), EQUAL_NULL(1, NULL), EQUAL_NULL(1, 1)')).toEqual([2, 1, true, false, true]);
    expect(row('SELECT NULLIFZERO(0), NULLIFZERO(5), IFNULL(NULL, 3), NULLIF(1, 1), COALESCE(NULL, NULL, 7)')).toEqual([null, 5, 3, null, 7]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/count: with several arguments, the rows
  // (DISTINCT: the combinations) where none of them is NULL.
  it('COUNT of several arguments counts the rows where none is NULL', () => {
    s.execute('CREATE OR REPLACE TABLE CNT (A NUMBER, B NUMBER)');
    s.execute('INSERT INTO CNT VALUES (1, 2), (1, 2), (1, NULL), (2, 2)');
    expect(row('SELECT COUNT(DISTINCT A, B), COUNT(A, B), COUNT(*), COUNT(B) FROM CNT')).toEqual([2, 3, 4, 3]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/booland_agg,
  // https://docs.snowflake.com/en/sql-reference/functions/boolor_agg: numbers count as booleans.
  it('BOOLAND_AGG and BOOLOR_AGG; BITAND_AGG, BITOR_AGG and BITXOR_AGG', () => {
    // https://docs.snowflake.com/en/sql-reference/functions/bitand_agg (and BITOR_AGG, BITXOR_AGG)
    expect(row('SELECT BITAND_AGG(X), BITOR_AGG(X), BITXOR_AGG(X) FROM (SELECT 6 AS X UNION ALL SELECT 3)')).toEqual([2, 7, 5]);
    expect(row('SELECT BOOLAND_AGG(X), BOOLOR_AGG(X), BOOLAND_AGG(X > -1) FROM (SELECT 1 AS X UNION ALL SELECT 0)')).toEqual([false, true, true]);
  });
});
