/**
 * Division, AVG and MEDIAN with Snowflake's types and scales (local/compat/functions/arithmetic.ts).
 * The rule: https://docs.snowflake.com/en/sql-reference/operators-arithmetic, "Scale and precision
 * in arithmetic operations" — a quotient of fixed-point numbers has scale max(S1, min(S1 + 6, 12)),
 * S1 the numerator's; a FLOAT operand gives a FLOAT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { rewriteDivision } from '../../../local/compat/functions/arithmetic.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE OR REPLACE TABLE NUMS (G NUMBER, X NUMBER(38,0), D NUMBER(10,2), F FLOAT)');
  s.execute('INSERT INTO NUMS VALUES (1, 1, 1.25, 1.5), (1, 2, 2.50, 2.5), (1, 2, NULL, NULL), (2, 10, 0.01, 1)');
});
afterAll(() => sf.close());

/** Each column's exact text, type and scale for a one-row query. */
function typed(sql: string): Array<[string | null, string, number | undefined]> {
  const r = s.execute(sql);
  return r.columns.map((c, i) => [r.text(0, i), c.type, c.scale]);
}

describe('the division operator', () => {
  // operators-arithmetic, "Division": scale max(S1, min(S1 + 6, 12)); the values are the exact
  // quotients at that scale (the page's examples: 2/7, 10.1/2.1, 10.001/.001, .1/.0000000000001).
  it('divides fixed-point numbers into a NUMBER with the documented scale', () => {
    expect(typed('SELECT 2 n1, 7 n2, n1 / n2')[2]).toEqual(['0.285714', 'NUMBER', 6]);
    expect(typed('SELECT 10.1 / 2.1')).toEqual([['4.8095238', 'NUMBER', 7]]);
    expect(typed('SELECT 10.001 / .001')).toEqual([['10001.000000000', 'NUMBER', 9]]);
    expect(typed('SELECT .1 / .0000000000001')).toEqual([['1000000000000.0000000', 'NUMBER', 7]]);
    expect(typed('SELECT 1/3, 10/4, 5::NUMBER(10,2)/3')).toEqual([
      ['0.333333', 'NUMBER', 6],
      ['2.500000', 'NUMBER', 6],
      ['1.66666667', 'NUMBER', 8],
    ]);
    // A numerator scale past 12 is kept (S = S1).
    expect(typed('SELECT 1.1234567890123 / 3')).toEqual([['0.3744855963374', 'NUMBER', 13]]);
    // Chained: 1/2 has scale 6, so (1/2)/3 has min(6 + 6, 12) = 12.
    expect(typed('SELECT 1 / 2 / 3')).toEqual([['0.166666666667', 'NUMBER', 12]]);
  });

  // The quotient is rounded at its scale, half away from zero (2/3 is 0.666667, -2/3 -0.666667),
  // exact for large values (no detour through a double).
  it('rounds the last digit half away from zero and keeps all digits of large values', () => {
    expect(typed('SELECT 2/3, -2/3, 2/-3, 1/8000000')).toEqual([
      ['0.666667', 'NUMBER', 6],
      ['-0.666667', 'NUMBER', 6],
      ['-0.666667', 'NUMBER', 6],
      ['0.000000', 'NUMBER', 6],
    ]);
    expect(typed('SELECT 1/2000000, -1/2000000')).toEqual([
      ['0.000001', 'NUMBER', 6],
      ['-0.000001', 'NUMBER', 6],
    ]);
    expect(typed('SELECT 12345678901234567890123 / 7')).toEqual([['1763668414462081127160.428571', 'NUMBER', 6]]);
  });

  // A FLOAT operand makes the quotient a FLOAT (data-types-numeric: FLOAT arithmetic is floating point).
  it('keeps FLOAT division FLOAT', () => {
    expect(s.execute('SELECT 1::FLOAT / 4, 1 / 4::FLOAT, F / 2 FROM NUMS WHERE X = 1').rows).toEqual([[0.25, 0.25, 0.75]]);
    expect(s.execute('SELECT 1::FLOAT / 3').columns[0]?.type).toBe('FLOAT');
  });

  // operators-arithmetic: "For functions that return 0 when dividing by 0 or NULL, see DIV0 and
  // DIV0NULL" — the operator itself fails (Snowflake's error 100051, "Division by zero").
  it('fails on division by zero, fixed or floating; NULL operands give NULL', () => {
    for (const sql of ['SELECT 1/0', 'SELECT 1.5::FLOAT / 0', 'SELECT X / (G - 1) FROM NUMS']) {
      const e = failureOf(s, sql);
      expect([e.code, e.state, e.message]).toEqual([100051, '22012', 'Division by zero']);
    }
    expect(s.execute('SELECT 1/NULL, NULL/2, D/2 FROM NUMS WHERE X = 2 AND D IS NULL').rows).toEqual([[null, null, null]]);
  });

  it('works on columns, in WHERE, UPDATE and window expressions, and under a lateral alias', () => {
    expect(s.execute('SELECT X / 3 FROM NUMS WHERE X / 2 = 5').rows).toEqual([[3.333333]]);
    expect(typed('SELECT SUM(X) OVER () / COUNT(*) OVER () FROM NUMS')).toEqual([['3.750000', 'NUMBER', 6]]);
    // A later select item may name an earlier one by its alias (Snowflake's lateral column alias).
    expect(typed('SELECT 1/3 AS Q, Q * 2')).toEqual([
      ['0.333333', 'NUMBER', 6],
      ['0.666666', 'NUMBER', 6],
    ]);
    s.execute('CREATE OR REPLACE TABLE DIVS (V NUMBER(10,2))');
    s.execute('INSERT INTO DIVS VALUES (10)');
    s.execute('UPDATE DIVS SET V = V / 3');
    expect(typed('SELECT V FROM DIVS')).toEqual([['3.33', 'NUMBER', 2]]);
  });

  it('refuses operands of other types by name', () => {
    // Text is read as a number, as Snowflake converts it; text that is none fails as there (100038).
    expect(typed("SELECT '10' / 4")).toEqual([['2.500000', 'NUMBER', 6]]);
    const text = failureOf(s, "SELECT 'a' / 2");
    expect([text.code, text.message]).toEqual([100038, "Numeric value 'a' is not recognized"]);
    for (const [sql, type] of [
      ['SELECT CURRENT_DATE / 2', 'DATE'],
      ["SELECT PARSE_JSON('1') / 2", 'VARIANT'],
    ] as const) {
      const e = failureOf(s, sql);
      expect([e.code, e.state]).toEqual([9999, '0A000']);
      expect(e.message).toMatch(new RegExp(`the division (or multiplication )?operator on a ${type} operand \\(cast it to NUMBER or FLOAT\\) is not implemented`));
    }
  });

  // Operands follow Snowflake's precedence: * / % left to right, unary signs and :: casts bind tighter.
  it('finds the operands by precedence', () => {
    expect(rewriteDivision('SELECT a - b / c + d')).toBe('SELECT a - SF_DIV(b , c) + d');
    expect(rewriteDivision('SELECT a * b / c / d')).toBe('SELECT SF_DIV(SF_DIV(SF_MUL(a , b) , c) , d)');
    expect(rewriteDivision('SELECT -a / -b::NUMBER(10,2)')).toBe('SELECT SF_DIV(-a , -b::NUMBER(10,2))');
    expect(rewriteDivision('SELECT t.a / f(x, y / 2) OVER (PARTITION BY z)')).toBe('SELECT SF_DIV(t.a , f(x, SF_DIV(y , 2)) OVER (PARTITION BY z))');
    expect(rewriteDivision("SELECT CASE WHEN a THEN 1 END / (b) -- 1 / 2\n, '1/2'")).toBe("SELECT SF_DIV(CASE WHEN a THEN 1 END , (b)) -- 1 / 2\n, '1/2'");
    expect(typed('SELECT 10 / 4 * 2, 1 + 1 / 2')).toEqual([
      ['5.000000', 'NUMBER', 6],
      ['1.500000', 'NUMBER', 6],
    ]);
  });
});

describe('the multiplication operator', () => {
  // operators-arithmetic, "Multiplication": scale min(S1 + S2, max(S1, S2, 12)); the page's
  // examples 10.01 * 1.1, 10.001 * .001 and .1 * .0000000000001 (scale 13, so 1e-14 is 0).
  it('gives the product the documented scale, capped at max(S1, S2, 12)', () => {
    expect(typed('SELECT 10.01 n1, 1.1 n2, n1 * n2')[2]).toEqual(['11.011', 'NUMBER', 3]);
    expect(typed('SELECT 10.001 n1, .001 n2, n1 * n2')[2]).toEqual(['0.010001', 'NUMBER', 6]);
    expect(typed('SELECT .1 n1, .0000000000001 n2, n1 * n2')[2]).toEqual(['0.0000000000000', 'NUMBER', 13]);
    // (Whether the cap rounds or truncates is not documented: these cut only zeros or a digit below 5.)
    expect(typed('SELECT 0.0000001 * 0.0000001, 0.0000004 * 0.000001, 1.5::FLOAT * 2, 1/3 * 3')).toEqual([
      ['0.000000000000', 'NUMBER', 12],
      ['0.000000000000', 'NUMBER', 12],
      ['3', 'FLOAT', 0],
      ['0.999999', 'NUMBER', 6],
    ]);
  });

  // Integers are NUMBER(38,0) in Snowflake: products of integers do not overflow at 32 or 64 bits.
  it('multiplies integers in 38 digits', () => {
    expect(typed('SELECT 100000 * 100000, 2147483647 * 2147483647, -1.5 * 2.25')).toEqual([
      ['10000000000', 'NUMBER', 0],
      ['4611686014132420609', 'NUMBER', 0],
      ['-3.375', 'NUMBER', 3],
    ]);
  });

  it('leaves a * that is no operator alone', () => {
    expect(rewriteDivision('SELECT t.*, COUNT(*) * 2 FROM t')).toBe('SELECT t.*, SF_MUL(COUNT(*) , 2) FROM t');
    expect(rewriteDivision('SELECT * EXCLUDE (a) FROM t')).toBe('SELECT * EXCLUDE (a) FROM t');
    expect(s.execute('SELECT *, COUNT(*) OVER () * 2 FROM NUMS WHERE X = 10').rows).toEqual([[2, 10, 0.01, 1, 2]]);
  });
});

describe('integer types', () => {
  // https://docs.snowflake.com/en/sql-reference/data-types-numeric: INT, INTEGER, BIGINT, SMALLINT,
  // TINYINT and BYTEINT are synonymous with NUMBER(38,0).
  // Locally they are 64-bit integers: values past that fail loudly (see local/README.md).
  it('INT, INTEGER, BIGINT, SMALLINT, TINYINT and BYTEINT are NUMBER(38,0), in casts and columns', () => {
    expect(typed('SELECT 3000000000::INT, CAST(2.5 AS SMALLINT)')).toEqual([
      ['3000000000', 'NUMBER', 0],
      ['3', 'NUMBER', 0],
    ]);
    s.execute('CREATE OR REPLACE TABLE INTS (A INT, B INTEGER, C BIGINT, D SMALLINT, E TINYINT, F BYTEINT)');
    s.execute('INSERT INTO INTS VALUES (3000000000, 3000000000, 1, 100000, 1000, 1000)');
    expect(s.execute('DESCRIBE TABLE INTS').rows.map((r) => r[1])).toEqual(Array(6).fill('NUMBER(38,0)'));
    expect(typed('SELECT A + B FROM INTS')).toEqual([['6000000000', 'NUMBER', 0]]);
  });

  // Literals stay the engine's small integers in + and -: past them the sum is refused by name.
  it('refuses an integer-literal sum past 32 bits, naming it', () => {
    const e = failureOf(s, 'SELECT 2147483647 + 1');
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain("integer addition past 32 bits (the engine's integers; cast an operand to NUMBER) is not implemented");
    expect(typed('SELECT 2147483647::NUMBER + 1')).toEqual([['2147483648', 'NUMBER', 0]]);
  });
});

describe('DIV0 and DIV0NULL', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/div0,
  // https://docs.snowflake.com/en/sql-reference/functions/div0null: the division, 0 for a zero
  // divisor (DIV0NULL: or NULL).
  it('give 0 where the division would fail, the division otherwise', () => {
    expect(s.execute('SELECT DIV0(1, 0), DIV0NULL(1, 0), DIV0NULL(1, NULL), DIV0(1, NULL)').rows).toEqual([[0, 0, 0, null]]);
    expect(typed('SELECT DIV0(1, 3)')).toEqual([['0.333333', 'NUMBER', 6]]);
  });
});

describe('AVG and MEDIAN of numbers', () => {
  // The average of fixed-point numbers is a NUMBER (Snowpark's examples print 1.666667 and
  // 3.600000 for integers: https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.avg);
  // with a scale, the division's rule. A FLOAT average is a FLOAT.
  it('AVG of NUMBER is a NUMBER with the division scale; of FLOAT a FLOAT; NULL for no rows', () => {
    expect(typed('SELECT AVG(X), AVG(D), AVG(F), AVG(DISTINCT X) FROM NUMS WHERE G = 1')).toEqual([
      ['1.666667', 'NUMBER', 6],
      ['1.87500000', 'NUMBER', 8],
      ['2', 'FLOAT', 0],
      ['1.500000', 'NUMBER', 6],
    ]);
    expect(typed('SELECT AVG(X) FROM NUMS WHERE G = 3')).toEqual([[null, 'NUMBER', 6]]);
    // AVG's argument is read twice (SUM and COUNT): a ? bind in it is still one value.
    // (How a bound number is typed is not this test's concern: only the value is checked.)
    expect(s.execute('SELECT AVG(X + ?) FROM NUMS WHERE G = 1', [1]).rows[0]?.[0]).toBeCloseTo(8 / 3, 5);
    expect(s.execute('SELECT G, AVG(X) OVER (PARTITION BY G) FROM NUMS ORDER BY G, X').rows.map((r) => r[1])).toEqual([1.666667, 1.666667, 1.666667, 10]);
  });

  // Snowpark's MEDIAN example prints 3.000 for integers
  // (https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.median):
  // scale 3, and the middle of an even count is exact.
  it('MEDIAN of integers has scale 3 and is exact between two values', () => {
    expect(typed('SELECT MEDIAN(X) FROM NUMS WHERE G = 1')).toEqual([['2.000', 'NUMBER', 3]]);
    expect(typed('SELECT MEDIAN(X) FROM NUMS WHERE X < 10 AND D IS NOT NULL')).toEqual([['1.500', 'NUMBER', 3]]);
    expect(typed('SELECT MEDIAN(F) FROM NUMS')).toEqual([['1.5', 'FLOAT', 0]]);
  });

  // PERCENTILE_CONT, as MEDIAN: Snowpark's example (k, v) grouped by k at 0.25 gives 10.000,
  // 12.500, 17.500, 60.000 and NULL
  // (https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.percentile_cont,
  // https://docs.snowflake.com/en/sql-reference/functions/percentile_cont).
  it('PERCENTILE_CONT of integers has scale 3 and interpolates exactly', () => {
    s.execute('CREATE OR REPLACE TABLE AGGR (K NUMBER, V NUMBER)');
    s.execute('INSERT INTO AGGR VALUES (0, 0), (0, 10), (0, 20), (0, 30), (0, 40), (1, 10), (1, 20), (2, 10), (2, 20), (2, 25), (2, 30), (3, 60), (4, NULL)');
    const r = s.execute('SELECT K, PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY V) FROM AGGR GROUP BY K ORDER BY K');
    expect(r.rows.map((_row, i) => r.text(i, 1))).toEqual(['10.000', '12.500', '17.500', '60.000', null]);
    expect(r.columns[1]?.scale).toBe(3);
  });
});

