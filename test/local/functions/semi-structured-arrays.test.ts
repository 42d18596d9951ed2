/**
 * ARRAY functions (local/compat/functions/semi-structured-arrays.ts): 0-based, on VARIANT values,
 * with the docs' examples and printed outputs. Where the docs print `undefined` (an array element
 * that is SQL NULL), the local runtime holds a JSON null.
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

describe('searching arrays', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/array_contains
  // https://docs.snowflake.com/en/sql-reference/functions/array_position
  it('ARRAY_CONTAINS and ARRAY_POSITION (0-based, NULL when absent) compare VARIANT values', () => {
    expect(row(`SELECT ARRAY_CONTAINS('hello'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi')), ARRAY_CONTAINS('hello'::VARIANT, ARRAY_CONSTRUCT('hola', 'bonjour'))`)).toEqual([true, false]);
    expect(row('SELECT ARRAY_CONTAINS(2::VARIANT, ARRAY_CONSTRUCT(1, 2, 3)), ARRAY_CONTAINS(2, ARRAY_CONSTRUCT(1.0, 2.0))')).toEqual([true, true]);
    expect(row(`SELECT ARRAY_POSITION('hello'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi')), ARRAY_POSITION('hi'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi')), ARRAY_POSITION('x'::VARIANT, ARRAY_CONSTRUCT('hello'))`)).toEqual([0, 1, null]);
    expect(row('SELECT ARRAY_CONTAINS(1, NULL)')).toEqual([null]);
    refused('SELECT ARRAY_CONTAINS(NULL, ARRAY_CONSTRUCT(1))', 'ARRAY_CONTAINS of a NULL value');
    refused(`SELECT ARRAY_CONTAINS(1, PARSE_JSON('{"a": 1}'))`, 'ARRAY_CONTAINS of a value that is not an ARRAY');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/arrays_overlap
  it('ARRAYS_OVERLAP', () => {
    expect(row(`SELECT ARRAYS_OVERLAP(ARRAY_CONSTRUCT('hello', 'aloha'), ARRAY_CONSTRUCT('hello', 'hi', 'hey')), ARRAYS_OVERLAP(ARRAY_CONSTRUCT('hello', 'aloha'), ARRAY_CONSTRUCT('hola', 'bonjour'))`)).toEqual([true, false]);
  });
});

describe('building arrays', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/array_slice: `to` is exclusive,
  // negative positions count from the end, a range past the end is empty.
  it('ARRAY_SLICE', () => {
    expect(row('SELECT ARRAY_SLICE(ARRAY_CONSTRUCT(0,1,2,3,4,5,6), 0, 2), ARRAY_SLICE(ARRAY_CONSTRUCT(0,1,2,3,4,5,6), 3, 20), ARRAY_SLICE(ARRAY_CONSTRUCT(0,1,2,3,4,5,6), -5, -3), ARRAY_SLICE(ARRAY_CONSTRUCT(0,1,2,3,4,5,6), 10, 12)')).toEqual([[0, 1], [3, 4, 5, 6], [2, 3], []]);
    expect(row('SELECT ARRAY_SLICE(ARRAY_CONSTRUCT(0,1,2), NULL, 2), ARRAY_SLICE(NULL, 0, 2)')).toEqual([null, null]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_cat, array_compact, array_prepend, array_flatten
  it('ARRAY_CAT, ARRAY_COMPACT, ARRAY_PREPEND, ARRAY_FLATTEN, ARRAY_REVERSE', () => {
    expect(row('SELECT ARRAY_CAT(ARRAY_CONSTRUCT(1, 2), ARRAY_CONSTRUCT(3, 4)), ARRAY_COMPACT(ARRAY_CONSTRUCT(1, NULL, 3))')).toEqual([[1, 2, 3, 4], [1, 3]]);
    expect(row(`SELECT ARRAY_PREPEND(ARRAY_CONSTRUCT(0, 1, 2, 3), 'hello'), ARRAY_FLATTEN(PARSE_JSON('[[1, 2, 3], [4], [5, 6]]')), ARRAY_REVERSE(ARRAY_CONSTRUCT(1, 2, 3))`)).toEqual([
      ['hello', 0, 1, 2, 3],
      [1, 2, 3, 4, 5, 6],
      [3, 2, 1],
    ]);
    refused(`SELECT ARRAY_FLATTEN(PARSE_JSON('[[1], 2]'))`, 'ARRAY_FLATTEN (an element) of a value that is not an ARRAY');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_insert: past the end pads with
  // undefined (null here); a negative position counts from the end.
  it('ARRAY_INSERT', () => {
    expect(row(`SELECT ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), 2, 'hello'), ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), 5, 'hello'), ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), -1, 'hello')`)).toEqual([
      [0, 1, 'hello', 2, 3],
      [0, 1, 2, 3, null, 'hello'],
      [0, 1, 2, 'hello', 3],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_remove (5, 5.00 and 5.0 are all
  // removed), array_remove_at, array_distinct (one NULL kept).
  it('ARRAY_REMOVE compares numbers by value; ARRAY_REMOVE_AT; ARRAY_DISTINCT keeps first occurrences', () => {
    expect(row('SELECT ARRAY_REMOVE(ARRAY_CONSTRUCT(1, 5, 5.00, 5.0, 2), 5), ARRAY_REMOVE_AT(ARRAY_CONSTRUCT(2, 5, 7), 0), ARRAY_REMOVE_AT(ARRAY_CONSTRUCT(2, 5, 7), -1)')).toEqual([[1, 2], [5, 7], [2, 5]]);
    expect(row(`SELECT ARRAY_DISTINCT(ARRAY_CONSTRUCT('A', 'A', 'B', NULL, NULL))`)).toEqual([['A', 'B', null]]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_intersection and array_except:
  // multisets.
  it('ARRAY_INTERSECTION and ARRAY_EXCEPT as multisets', () => {
    expect(row(`SELECT ARRAY_INTERSECTION(ARRAY_CONSTRUCT('A', 'B'), ARRAY_CONSTRUCT('B', 'C')), ARRAY_INTERSECTION(ARRAY_CONSTRUCT('A', 'B', 'B', 'B', 'C'), ARRAY_CONSTRUCT('B', 'B'))`)).toEqual([['B'], ['B', 'B']]);
    expect(row(`SELECT ARRAY_EXCEPT(ARRAY_CONSTRUCT('A', 'B'), ARRAY_CONSTRUCT('B', 'C')), ARRAY_EXCEPT(ARRAY_CONSTRUCT('A', 'B', 'B', 'B', 'C'), ARRAY_CONSTRUCT('B'))`)).toEqual([['A'], ['A', 'B', 'B', 'C']]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_generate_range
  it('ARRAY_GENERATE_RANGE', () => {
    expect(row('SELECT ARRAY_GENERATE_RANGE(2, 5), ARRAY_GENERATE_RANGE(5, 25, 10), ARRAY_GENERATE_RANGE(-1, -4, -2), ARRAY_GENERATE_RANGE(5, 2)')).toEqual([[2, 3, 4], [5, 15], [-1, -3], []]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/array_to_string: NULL elements as ''.
  it('ARRAY_TO_STRING gives strings without quotes, NULL elements as empty text', () => {
    expect(row(`SELECT ARRAY_TO_STRING(ARRAY_CONSTRUCT('a', NULL, 'b', 1), ', '), ARRAY_TO_STRING(PARSE_JSON(NULL), '')`)).toEqual(['a, , b, 1', null]);
    // The docs' example rows (the ones without elided elements, which are refused locally).
    const r = s.execute(`SELECT column1, ARRAY_TO_STRING(PARSE_JSON(column1), '') AS no_separation, ARRAY_TO_STRING(PARSE_JSON(column1), ', ') AS comma_separated
      FROM VALUES (NULL), ('[]'), ('[1]'), ('[1, 2]'), ('[true, 1, -1.2e-3, "Abc", ["x","y"], {"a":1}]')`);
    expect(r.rows.map((x) => x.slice(1))).toEqual([
      [null, null],
      ['', ''],
      ['1', '1'],
      ['12', '1, 2'],
      ['true1-0.0012Abc["x","y"]{"a":1}', 'true, 1, -0.0012, Abc, ["x","y"], {"a":1}'],
    ]);
  });
});

describe('arrays from text and from arguments', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/split, strtok_to_array,
  // array_construct_compact
  it('SPLIT, STRTOK_TO_ARRAY and ARRAY_CONSTRUCT_COMPACT give ARRAY values (0-based)', () => {
    expect(row(`SELECT SPLIT('127.0.0.1', '.'), SPLIT('a,b', ',')[1], SPLIT(NULL, ',')`)).toEqual([['127', '0', '0', '1'], 'b', null]);
    expect(row(`SELECT STRTOK_TO_ARRAY('a b  c'), STRTOK_TO_ARRAY('user@snowflake.com', '.@')`)).toEqual([['a', 'b', 'c'], ['user', 'snowflake', 'com']]);
    expect(row('SELECT ARRAY_CONSTRUCT_COMPACT(NULL, 2, 3.0, NULL), ARRAY_SIZE(ARRAY_CONSTRUCT_COMPACT(NULL, ARRAY_CONSTRUCT_COMPACT(3, NULL)))')).toEqual([[2, 3], 1]);
  });
});

describe('ordering arrays', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/array_sort: ascending with nulls last
  // by default; descending puts them first unless told.
  // https://docs.snowflake.com/en/sql-reference/functions/array_min, array_max: NULLs ignored.
  it('ARRAY_SORT, ARRAY_MIN, ARRAY_MAX on numbers or strings; mixed kinds refused', () => {
    expect(row('SELECT ARRAY_SORT(ARRAY_CONSTRUCT(20, NULL, 0, 10.5, -3)), ARRAY_SORT(ARRAY_CONSTRUCT(20, NULL, 0), FALSE), ARRAY_SORT(ARRAY_CONSTRUCT(20, NULL, 0), TRUE, TRUE)')).toEqual([
      [-3, 0, 10.5, 20, null],
      [null, 20, 0],
      [null, 0, 20],
    ]);
    expect(row(`SELECT ARRAY_SORT(ARRAY_CONSTRUCT('b', 'c', 'a')), ARRAY_MIN(ARRAY_CONSTRUCT(20, 0, NULL, 10, NULL)), ARRAY_MAX(ARRAY_CONSTRUCT(20, 0, NULL, 10, NULL)), ARRAY_MAX(ARRAY_CONSTRUCT())`)).toEqual([['a', 'b', 'c'], 0, 20, null]);
    refused(`SELECT ARRAY_SORT(ARRAY_CONSTRUCT(1, 'a'))`, 'ARRAY_SORT of an ARRAY mixing kinds of values');
    // The docs: a JSON null and a SQL NULL (undefined; a JSON null here) sort last; a NULL argument gives NULL.
    expect(row(`SELECT ARRAY_SORT([20, PARSE_JSON('null'), 0, NULL, 10]), ARRAY_SORT([3, 1], NULL)`)).toEqual([[0, 10, 20, null, null], null]);
  });

  it("DuckDB's list functions of the same names keep their names for the engine's own use", () => {
    // The runtime's catalog queries use DuckDB's array_to_string on typed lists.
    s.execute('CREATE OR REPLACE TABLE ARR_KEYED (A NUMBER PRIMARY KEY, B VARCHAR)');
    expect(s.execute('SELECT COUNT(*) FROM ARR_KEYED').rows).toEqual([[0]]);
  });
});
