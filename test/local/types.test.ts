/**
 * Snowflake's data types keep their meaning on the local runtime: values a test reads back are
 * the values Snowflake would give, or the statement fails as Snowflake's would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());

function failure(sql: string, binds: unknown[] = []): LocalSnowflakeError {
  try {
    s.execute(sql, binds);
  } catch (e) {
    if (e instanceof LocalSnowflakeError) return e;
    throw e;
  }
  throw new Error(`expected ${sql} to fail`);
}

// https://docs.snowflake.com/en/sql-reference/data-types-numeric#float-float4-float8
// "Snowflake uses double-precision (64 bit) IEEE 754 floating-point numbers"; FLOAT, FLOAT4,
// FLOAT8, DOUBLE, DOUBLE PRECISION and REAL are synonyms.
describe('FLOAT is a 64-bit double', () => {
  it('casts to every float synonym keep the double nearest the literal', () => {
    const r = s.execute('SELECT 5.14::FLOAT AS A, CAST(5.14 AS FLOAT4) AS B, 5.14::FLOAT8 AS C, 5.14::DOUBLE AS D, 5.14::REAL AS E, CAST(5.14 AS DOUBLE PRECISION) AS F');
    expect(r.rows[0]).toEqual([5.14, 5.14, 5.14, 5.14, 5.14, 5.14]);
    expect(r.columns.map((c) => c.type)).toEqual(['FLOAT', 'FLOAT', 'FLOAT', 'FLOAT', 'FLOAT', 'FLOAT']);
  });

  it('stores 19.99 in FLOAT and REAL columns and reads 19.99 back', () => {
    s.execute('CREATE OR REPLACE TABLE PRICES (ID NUMBER, P FLOAT, Q REAL, R FLOAT4)');
    s.execute('INSERT INTO PRICES VALUES (1, 19.99, 19.99, ?)', [19.99]);
    expect(s.execute('SELECT P, Q, R, P * 3 AS T FROM PRICES').rows[0]).toEqual([19.99, 19.99, 19.99, 19.99 * 3]);
  });

  it('leaves names that only contain the word alone', () => {
    expect(s.execute("SELECT 'FLOAT' AS \"REAL\"").rows[0]).toEqual(['FLOAT']);
  });
});

// https://docs.snowflake.com/en/sql-reference/data-types-text#varchar : the length is the
// maximum number of characters; CHAR and CHARACTER are VARCHAR with a default length of 1.
// A longer value fails the statement with 100078 / 22000 "String '…' is too long and would be
// truncated" (the text the drivers report for it).
describe('VARCHAR(n) and CHAR(n) are enforced', () => {
  beforeAll(() => {
    s.execute('CREATE OR REPLACE TABLE NAMES (ID NUMBER PRIMARY KEY, NAME VARCHAR(10), CODE CHAR(2), FLAG CHAR, FREE VARCHAR, "Quoted" STRING(3))');
  });

  it('accepts values up to the length, counted in characters', () => {
    s.execute("INSERT INTO NAMES VALUES (1, 'abcdefghij', 'ab', 'y', ?, 'äöü')", ['x'.repeat(5000)]);
    expect(s.execute('SELECT NAME, CODE, FLAG, LENGTH(FREE), "Quoted" FROM NAMES').rows[0]).toEqual(['abcdefghij', 'ab', 'y', 5000, 'äöü']);
  });

  it('fails an INSERT of 50 characters into VARCHAR(10), writing nothing', () => {
    const e = failure('INSERT INTO NAMES (ID, NAME) VALUES (2, ?)', ['x'.repeat(50)]);
    expect([e.code, e.state]).toEqual([100078, '22000']);
    expect(e.message).toBe(`String '${'x'.repeat(50)}' is too long and would be truncated`);
    expect(s.execute('SELECT COUNT(*) FROM NAMES').rows[0]).toEqual([1]);
  });

  // A cast to a shorter length fails in Snowflake too (DuckDB would return the whole string).
  it('fails a cast to VARCHAR(n) of a longer string, and keeps one that fits', () => {
    expect(s.execute("SELECT CAST('abc' AS VARCHAR(3)) AS A, 'abc'::STRING(5) AS B, CAST(NULL AS VARCHAR(1)) AS C").rows[0]).toEqual(['abc', 'abc', null]);
    const e = failure("SELECT 'abcdef'::VARCHAR(3) AS A");
    expect([e.code, e.message]).toEqual([100078, "String 'abcdef' is too long and would be truncated"]);
    expect(failure('SELECT CAST(NAME AS VARCHAR(2)) FROM NAMES').code).toBe(100078);
    // Around an inner cast to another type too (it used to be read as the inner cast's AS and pass unchecked).
    expect(failure('SELECT CAST(CAST(12345 AS INT) AS VARCHAR(3))').code).toBe(100078);
  });

  it('fails an UPDATE that makes the value too long', () => {
    expect(failure("UPDATE NAMES SET CODE = 'abc'").code).toBe(100078);
    expect(failure("UPDATE NAMES SET FLAG = 'no'").code).toBe(100078);
    expect(failure("UPDATE NAMES SET \"Quoted\" = 'four'").code).toBe(100078);
    expect(s.execute('SELECT CODE, FLAG FROM NAMES').rows[0]).toEqual(['ab', 'y']);
  });
});

// https://docs.snowflake.com/en/sql-reference/data-types-semistructured#array and the pages of
// ARRAY_CONSTRUCT, ARRAY_APPEND and TO_ARRAY: arrays hold values of any type.
describe('ARRAY', () => {
  const json = (sql: string): unknown => s.execute(sql).rows[0]?.[0];

  it('builds arrays of mixed types with ARRAY_CONSTRUCT, ARRAY_APPEND and TO_ARRAY', () => {
    expect(json('SELECT ARRAY_CONSTRUCT(10, 20, 30)')).toEqual([10, 20, 30]);
    expect(json("SELECT ARRAY_APPEND(ARRAY_CONSTRUCT(1, 2, 3), 'hello')")).toEqual([1, 2, 3, 'hello']);
    expect(json('SELECT TO_ARRAY(1)')).toEqual([1]);
    expect(json("SELECT ARRAY_CONSTRUCT(1, 'a', NULL)")).toEqual([1, 'a', null]);
  });

  it('stores them in ARRAY columns', () => {
    s.execute('CREATE OR REPLACE TABLE ARRS (ID NUMBER, A ARRAY)');
    s.execute("INSERT INTO ARRS SELECT 1, ARRAY_CONSTRUCT(1, 'two', 3.5)");
    expect(s.execute('SELECT A FROM ARRS').rows[0]).toEqual([[1, 'two', 3.5]]);
    expect(json("SELECT CAST('[1, 2]' AS ARRAY)")).toEqual([1, 2]);
  });
});

// https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction ("NULL and
// undefined values"): variant_nulls('return undefined'::VARIANT) sees V == 'return undefined', a
// VARIANT holding that string; text cast to VARIANT is not parsed as JSON (PARSE_JSON does that,
// https://docs.snowflake.com/en/sql-reference/functions/parse_json).
describe('VARIANT casts', () => {
  it('make a VARIANT string of text, and keep numbers and VARIANTs as they are', () => {
    const r = s.execute(`SELECT 'abc'::VARIANT AS A, CAST('{"a": 1}' AS VARIANT) AS B, 3::VARIANT AS C, PARSE_JSON('{"a": 1}')::VARIANT AS D, PARSE_JSON('null')::VARIANT AS E`);
    expect(r.columns.map((c) => c.type)).toEqual(['VARIANT', 'VARIANT', 'VARIANT', 'VARIANT', 'VARIANT']);
    expect(r.rows[0]).toEqual(['abc', '{"a": 1}', 3, { a: 1 }, null]);
    expect([r.text(0, 0), r.text(0, 4)]).toEqual(['"abc"', 'null']);
  });
});

// https://docs.snowflake.com/en/sql-reference/data-types-numeric : NUMBER(p,s) holds p digits,
// s after the point; a value with more integer digits fails (100039 "Numeric value '…' is out of
// range"), extra fraction digits are rounded.
describe('NUMBER(p,s) is enforced', () => {
  it('rounds the fraction and refuses integer digits past the precision', () => {
    s.execute('CREATE OR REPLACE TABLE AMOUNTS (A NUMBER(5,2))');
    s.execute('INSERT INTO AMOUNTS VALUES (123.456)');
    expect(s.execute('SELECT A FROM AMOUNTS').rows[0]).toEqual([123.46]);
    const e = failure('INSERT INTO AMOUNTS VALUES (12345.6)');
    expect([e.code, e.state, e.message]).toEqual([100039, '22003', "Numeric value '12345.6' is out of range"]);
    expect(failure("INSERT INTO AMOUNTS VALUES ('abc')").message).toBe("Numeric value 'abc' is not recognized");
  });
});

// https://docs.snowflake.com/en/sql-reference/identifiers-syntax : "abc" and ABC are different
// names. DuckDB would resolve one to the other; the runtime refuses instead of reading the wrong table.
describe('names that differ only in case', () => {
  it('a table name that matches another table only in case does not exist (Snowflake\'s 2003), never reading the other', () => {
    s.execute('CREATE OR REPLACE TABLE UPPER_T (X NUMBER)');
    s.execute('CREATE OR REPLACE TABLE "lower_t" (X NUMBER)');
    expect(s.execute('SELECT COUNT(*) FROM UPPER_T').rows).toEqual([[0]]);
    expect(s.execute('SELECT COUNT(*) FROM "UPPER_T"').rows).toEqual([[0]]);
    expect(s.execute('SELECT COUNT(*) FROM "lower_t"').rows).toEqual([[0]]);
    expect(failure('SELECT COUNT(*) FROM "upper_t"').message).toBe("SQL compilation error:\nObject 'upper_t' does not exist or not authorized.");
    expect(failure('SELECT COUNT(*) FROM lower_t').message).toBe("SQL compilation error:\nObject 'LOWER_T' does not exist or not authorized.");
    expect(failure('INSERT INTO "Upper_T" VALUES (1)').code).toBe(2003);
  });
});

// https://docs.snowflake.com/en/sql-reference/functions/dateadd : on a DATE, a part of a day or
// more returns a DATE; a smaller part returns a TIMESTAMP_NTZ starting at 00:00:00.000.
describe('DATEADD on a DATE', () => {
  it('keeps a DATE for days and longer, and gives a TIMESTAMP_NTZ for hours and shorter', () => {
    const r = s.execute(
      "SELECT DATEADD(year, 2, TO_DATE('2022-05-08')) AS A, DATEADD('month', 1, '2000-01-31'::DATE) AS B, DATEADD(hour, 2, TO_DATE('2022-05-08')) AS C, DATEADD(day, 1, '2022-05-08 10:00:00'::TIMESTAMP_NTZ) AS D",
    );
    expect(r.columns.map((c) => c.type)).toEqual(['DATE', 'DATE', 'TIMESTAMP_NTZ', 'TIMESTAMP_NTZ']);
    expect([0, 1, 2, 3].map((i) => r.text(0, i))).toEqual(['2024-05-08', '2000-02-29', '2022-05-08 02:00:00.000', '2022-05-09 10:00:00.000']);
  });
});

// https://docs.snowflake.com/en/sql-reference/data-types-datetime : "All timestamp variations,
// including the TIMESTAMP alias, support an optional precision parameter for fractional seconds
// … Timestamp precision can range from 0 (seconds) to 9 (nanoseconds). The default precision is
// 9." The local engine keeps microseconds, so a value whose fraction has non-zero digits past the
// sixth would lose them: wherever text becomes a TIMESTAMP_* of precision 9 it fails instead
// (9999, naming the construct); the same text with zeros there keeps every digit Snowflake keeps.
// DATEADD takes the date part `nanosecond` (https://docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts).
describe('TIMESTAMP_*(9): digits below the microsecond fail loudly', () => {
  const NS = '2026-03-01 12:00:00.123456789';
  const US = '2026-03-01 12:00:00.123456000';
  const FF9 = "'YYYY-MM-DD HH24:MI:SS.FF9'";

  beforeAll(() => {
    s.execute('CREATE TABLE NS_TEXT (S VARCHAR)');
    // Built at run time, so no literal holds the value: only the conversion can catch it.
    s.execute("INSERT INTO NS_TEXT VALUES (CONCAT('2026-03-01 12:00:00.123456', '789'))");
    s.execute('CREATE TABLE NS_TS (T TIMESTAMP_NTZ(9), L TIMESTAMP_LTZ(9), Z TIMESTAMP_TZ)');
  });

  const refused = (e: LocalSnowflakeError): void => {
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain('nanosecond precision (digits beyond microseconds)');
    expect(e.message).toContain('not implemented');
  };

  it('refuses such text from a column in TO_TIMESTAMP_*, with or without a format, and in casts', () => {
    for (const sql of [
      `SELECT TO_TIMESTAMP_NTZ(S, ${FF9}) FROM NS_TEXT`,
      `SELECT TO_TIMESTAMP_LTZ(S, ${FF9}) FROM NS_TEXT`,
      'SELECT TO_TIMESTAMP_NTZ(S) FROM NS_TEXT',
      'SELECT TO_TIMESTAMP_TZ(S) FROM NS_TEXT',
      'SELECT S::TIMESTAMP_NTZ FROM NS_TEXT',
      'SELECT S::TIMESTAMP_LTZ(9) FROM NS_TEXT',
      'SELECT CAST(S AS TIMESTAMP_TZ(9)) FROM NS_TEXT',
      'SELECT CAST(S AS DATETIME) FROM NS_TEXT',
      'SELECT CAST(CAST(S AS VARCHAR) AS TIMESTAMP_NTZ) FROM NS_TEXT',
      `INSERT INTO NS_TS (T) SELECT TO_TIMESTAMP_NTZ(S, ${FF9}) FROM NS_TEXT`,
      'MERGE INTO NS_TS USING NS_TEXT ON FALSE WHEN NOT MATCHED THEN INSERT (T) VALUES (TO_TIMESTAMP_NTZ(S))',
    ]) {
      refused(failure(sql));
    }
    expect(s.execute('SELECT COUNT(*) FROM NS_TS').rows[0]?.[0]).toBe(0);
    s.execute(`INSERT INTO NS_TS (L) VALUES ('${US}')`);
    refused(failure('UPDATE NS_TS SET L = S::TIMESTAMP_LTZ FROM NS_TEXT'));
    // An offset in the text (strptime would round to the microsecond there).
    refused(failure(`SELECT TO_TIMESTAMP_LTZ(S || ' +09:00', ${FF9.slice(0, -1)} TZH:TZM') FROM NS_TEXT`));
    expect(s.execute(`SELECT TO_VARCHAR(L, ${FF9}) FROM NS_TS`).rows).toEqual([[US]]);
    s.execute('DELETE FROM NS_TS');
  });

  it('refuses it as a literal and as a bind, in queries and writes', () => {
    refused(failure(`SELECT TO_TIMESTAMP_NTZ('${NS}')`));
    refused(failure(`INSERT INTO NS_TS (T) VALUES ('${NS}')`));
    refused(failure(`INSERT INTO NS_TS (T) VALUES (?)`, [NS]));
    refused(failure(`SELECT TO_TIMESTAMP_LTZ(?, ${FF9})`, [NS]));
  });

  it('refuses DATEADD of nanoseconds that are not whole microseconds', () => {
    refused(failure("SELECT DATEADD(nanosecond, 1500, '2026-03-01 00:00:00'::TIMESTAMP_NTZ)"));
    refused(failure("SELECT DATEADD('ns', 1, '2026-03-01 00:00:00'::TIMESTAMP_NTZ)"));
  });

  it('keeps working when the digits below the microsecond are zeros', () => {
    s.execute('CREATE TABLE US_TEXT (S VARCHAR)');
    s.execute(`INSERT INTO US_TEXT VALUES ('${US}')`);
    const r = s.execute(
      `SELECT TO_VARCHAR(TO_TIMESTAMP_NTZ(S, ${FF9}), ${FF9}), TO_VARCHAR(TO_TIMESTAMP_NTZ(S), ${FF9}), ` +
        `TO_VARCHAR(S::TIMESTAMP_NTZ, ${FF9}), TO_VARCHAR(CAST(S AS TIMESTAMP_LTZ(9)), ${FF9}), ` +
        `TO_VARCHAR(DATEADD(nanosecond, 2000, TO_TIMESTAMP_NTZ(S)), ${FF9}) FROM US_TEXT`,
    );
    expect(r.rows[0]).toEqual([US, US, US, US, '2026-03-01 12:00:00.123458000']);
    s.execute(`INSERT INTO NS_TS (T, L) VALUES (?, TO_TIMESTAMP_LTZ(?, ${FF9}))`, [US, US]);
    expect(s.execute(`SELECT TO_VARCHAR(T, ${FF9}), TO_VARCHAR(L, ${FF9}) FROM NS_TS`).rows).toEqual([[US, US]]);
    s.execute('DELETE FROM NS_TS');
  });
});
