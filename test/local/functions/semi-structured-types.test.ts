/**
 * VARIANT types (local/compat/functions/semi-structured-types.ts): casts to VARIANT, TYPEOF,
 * the IS_ predicates, the AS_ accessors and the conversions.
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
const refused = (sql: string, construct: string): void => {
  const e = failureOf(s, sql);
  expect([e.code, e.state], sql).toEqual([9999, '0A000']);
  expect(e.message, sql).toContain(construct);
};

describe('casts to VARIANT', () => {
  // https://docs.snowflake.com/en/sql-reference/data-types-semistructured ("Converting values"):
  // a VARCHAR cast to VARIANT is a VARIANT holding that string; PARSE_JSON parses.
  it('::VARIANT, CAST(… AS VARIANT) and TO_VARIANT keep text as a string', () => {
    expect(row(`SELECT 'hello'::VARIANT, CAST('{"a":1}' AS VARIANT), TO_VARIANT(1.5), 2::VARIANT, TRUE::VARIANT`)).toEqual(['hello', '{"a":1}', 1.5, 2, true]);
    expect(row(`SELECT TYPEOF('{"a":1}'::VARIANT), TYPEOF(PARSE_JSON('{"a":1}'))`)).toEqual(['VARCHAR', 'OBJECT']);
    // https://docs.snowflake.com/en/sql-reference/functions/try_cast lists no VARIANT target.
    refused(`SELECT TRY_CAST('x' AS VARIANT)`, 'TRY_CAST to VARIANT');
    // https://docs.snowflake.com/en/sql-reference/data-types-structured: not emulated.
    refused('SELECT [1, 2, 3]::ARRAY(NUMBER)', 'structured types (ARRAY(…)');
    refused(`SELECT CAST({'a': 'b'} AS MAP(VARCHAR, VARCHAR))`, 'structured types (MAP(…)');
    // A VARIANT cast to VARIANT stays what it is.
    expect(row(`SELECT PARSE_JSON('[1]')::VARIANT`)).toEqual([[1]]);
  });
});

describe('type predicates and accessors', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/typeof
  it("TYPEOF names the VARIANT's type as Snowflake does", () => {
    expect(row(`SELECT TYPEOF(PARSE_JSON('1')), TYPEOF(PARSE_JSON('1.5')), TYPEOF(PARSE_JSON('1e5')), TYPEOF(PARSE_JSON('"a"')), TYPEOF(PARSE_JSON('null')), TYPEOF(PARSE_JSON('[1]')), TYPEOF(PARSE_JSON('{}')), TYPEOF(PARSE_JSON('true')), TYPEOF(NULL)`)).toEqual([
      'INTEGER', 'DECIMAL', 'DOUBLE', 'VARCHAR', 'NULL_VALUE', 'ARRAY', 'OBJECT', 'BOOLEAN', null,
    ]);
    expect(row(`SELECT TYPEOF(10), TYPEOF('x'), TYPEOF(1.5), TYPEOF(1.5::FLOAT), TYPEOF(CURRENT_DATE)`)).toEqual(['INTEGER', 'VARCHAR', 'DECIMAL', 'DOUBLE', 'DATE']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/is_integer, is_decimal, is_double,
  // is_varchar, is_null_value, is_array, is_object, is_boolean
  it('IS_ predicates: IS_DECIMAL counts integers, IS_DOUBLE every number; NULL for SQL NULL', () => {
    expect(row(`SELECT IS_INTEGER(PARSE_JSON('1')), IS_INTEGER(PARSE_JSON('1.5')), IS_DECIMAL(PARSE_JSON('1')), IS_DECIMAL(PARSE_JSON('1e2')), IS_DOUBLE(PARSE_JSON('1')), IS_DOUBLE(PARSE_JSON('1e2'))`)).toEqual([true, false, true, false, true, true]);
    expect(row(`SELECT IS_VARCHAR(PARSE_JSON('"a"')), IS_BOOLEAN(PARSE_JSON('false')), IS_ARRAY(ARRAY_CONSTRUCT()), IS_OBJECT(OBJECT_CONSTRUCT()), IS_ARRAY(OBJECT_CONSTRUCT())`)).toEqual([true, true, true, true, false]);
    // https://docs.snowflake.com/en/user-guide/semistructured-considerations (JSON null vs SQL NULL)
    expect(row(`SELECT IS_NULL_VALUE(PARSE_JSON('{"a": null}'):a), IS_NULL_VALUE(PARSE_JSON('{"a": null}'):b), IS_NULL_VALUE(PARSE_JSON('{"a": 1}'):a)`)).toEqual([true, null, false]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/as
  it('AS_ accessors give the value when it is of that type, else NULL', () => {
    expect(row(`SELECT AS_INTEGER(PARSE_JSON('7')), AS_INTEGER(PARSE_JSON('"7"')), AS_VARCHAR(PARSE_JSON('"abc"')), AS_VARCHAR(PARSE_JSON('1')), AS_DOUBLE(PARSE_JSON('1.5')), AS_BOOLEAN(PARSE_JSON('true'))`)).toEqual([7, null, 'abc', null, 1.5, true]);
    expect(row(`SELECT AS_ARRAY(PARSE_JSON('[1]')), AS_OBJECT(PARSE_JSON('[1]')), AS_OBJECT(PARSE_JSON('{"k": 1}')), AS_DECIMAL(PARSE_JSON('12'))`)).toEqual([[1], null, { k: 1 }, 12]);
    // https://docs.snowflake.com/en/sql-reference/functions/as: the docs' AS_DECIMAL(decimal1, 6, 3) prints 1.230.
    const dec = s.execute('SELECT AS_DECIMAL(TO_VARIANT(1.23::DECIMAL(6, 3)), 6, 3)');
    expect([dec.rows[0]?.[0], dec.text(0, 0), dec.columns[0]?.scale]).toEqual([1.23, '1.230', 3]);
    refused(`SELECT AS_DECIMAL(PARSE_JSON('1.23'), 6, x) FROM (SELECT 3 AS x)`, 'AS_DECIMAL with a precision or scale that is not an integer constant');
  });
});

describe('conversions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/strip_null_value, to_object, to_json
  it('STRIP_NULL_VALUE, TO_OBJECT, TO_JSON', () => {
    expect(row(`SELECT STRIP_NULL_VALUE(PARSE_JSON('{"a": null}'):a), STRIP_NULL_VALUE(PARSE_JSON('{"a": 2}'):a), TO_OBJECT(PARSE_JSON('{"a": 1}'))`)).toEqual([null, 2, { a: 1 }]);
    expect(row(`SELECT TO_JSON(PARSE_JSON(' [1, "x", null] ')), TO_JSON(NULL), TO_JSON(PARSE_JSON('null'))`)).toEqual(['[1,"x",null]', null, 'null']);
    refused('SELECT TO_OBJECT(PARSE_JSON(\'[1]\'))', 'TO_OBJECT of a value that is not an OBJECT');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/check_json, try_parse_json
  it('CHECK_JSON is NULL for valid JSON; TRY_PARSE_JSON is NULL for text that is not JSON', () => {
    expect(row(`SELECT CHECK_JSON('{"a": 1}'), CHECK_JSON(NULL), TRY_PARSE_JSON('{"a": 1}'), TRY_PARSE_JSON('not json'), TRY_PARSE_JSON(NULL)`)).toEqual([null, null, { a: 1 }, null, null]);
    // Snowflake's error text for invalid JSON is not reproduced; looser JSON forms its parser
    // takes (unquoted keys) are not parsed locally: both refused rather than answered differently.
    refused(`SELECT CHECK_JSON('{"a": ')`, 'CHECK_JSON of text that is not strict JSON');
    refused(`SELECT TRY_PARSE_JSON('{a: 1}')`, 'TRY_PARSE_JSON of text in a looser form');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/parse_json: invalid JSON fails with
  // 100069 "Error parsing JSON".
  it('PARSE_JSON of text that is not JSON fails as Snowflake words it', () => {
    const e = failureOf(s, `SELECT PARSE_JSON('{"a": ')`);
    expect(e.code).toBe(100069);
    expect(e.message).toMatch(/^Error parsing JSON/);
  });
});
