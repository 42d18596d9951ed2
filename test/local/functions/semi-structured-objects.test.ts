/**
 * OBJECT functions (local/compat/functions/semi-structured-objects.ts), with the docs' examples.
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

describe('OBJECT functions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/object_insert
  it('OBJECT_INSERT adds a key; an existing key fails unless the update flag is TRUE', () => {
    expect(row(`SELECT OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'c', 3), OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'b', 'x', TRUE), OBJECT_INSERT(OBJECT_CONSTRUCT(), 'k', PARSE_JSON('null'))`)).toEqual([
      { a: 1, b: 2, c: 3 },
      { a: 1, b: 'x' },
      { k: null },
    ]);
    expect(failureOf(s, `SELECT OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1), 'a', 3)`).message).toContain("Duplicate field key 'a'");
    // One inside another.
    expect(row(`SELECT OBJECT_INSERT(OBJECT_PICK(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'a'), 'c', 3), OBJECT_DELETE(OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1), 'z', 2), 'a')`)).toEqual([{ a: 1, c: 3 }, { z: 2 }]);
    const e = failureOf(s, `SELECT OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1), 'b', NULL)`);
    expect([e.code, e.message.includes('OBJECT_INSERT of a SQL NULL value is not implemented')]).toEqual([9999, true]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/object_delete, object_pick
  it('OBJECT_DELETE and OBJECT_PICK take keys as arguments (PICK also as an ARRAY)', () => {
    expect(row(`SELECT OBJECT_DELETE(OBJECT_CONSTRUCT('a', 1, 'b', 2, 'c', 3), 'a', 'b'), OBJECT_PICK(OBJECT_CONSTRUCT('a', 1, 'b', 2, 'c', 3), 'a', 'b'), OBJECT_PICK(OBJECT_CONSTRUCT('a', 1, 'b', 2, 'c', 3), ARRAY_CONSTRUCT('a', 'b')), OBJECT_PICK(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'a'), OBJECT_DELETE(OBJECT_CONSTRUCT('a', 1), 'a')`)).toEqual([
      { c: 3 },
      { a: 1, b: 2 },
      { a: 1, b: 2 },
      { a: 1 },
      {},
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/object_keys (keys of the outer object only)
  // https://docs.snowflake.com/en/sql-reference/functions/object_construct_keep_null
  it('OBJECT_KEYS lists the top-level keys; OBJECT_CONSTRUCT_KEEP_NULL keeps NULL values as JSON nulls', () => {
    expect(row(`SELECT OBJECT_KEYS(PARSE_JSON('{"a": 1, "b": {"c": 2}}')), OBJECT_CONSTRUCT_KEEP_NULL('key_1', 'one', 'key_2', NULL), OBJECT_CONSTRUCT('key_1', 'one', 'key_2', NULL)`)).toEqual([
      ['a', 'b'],
      { key_1: 'one', key_2: null },
      { key_1: 'one' },
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/get_path, get_ignore_case
  it('GET_PATH reads a path constant; GET_IGNORE_CASE matches a key in any case', () => {
    expect(row(`SELECT GET_PATH(PARSE_JSON('{"a": {"b": [10, 20]}}'), 'a.b[1]'), GET_PATH(PARSE_JSON('{"a": 1}'), 'x'), GET_IGNORE_CASE(PARSE_JSON('{"Aa": 1}'), 'aA'), GET_IGNORE_CASE(PARSE_JSON('{"aa": 1, "AA": 2}'), 'AA')`)).toEqual([20, null, 1, 2]);
    const e = failureOf(s, `SELECT GET_PATH(PARSE_JSON('{}'), 'a' || 'b')`);
    expect([e.code, e.message.includes('GET_PATH with a path that is not a string constant')]).toEqual([9999, true]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/json_extract_path_text
  it('JSON_EXTRACT_PATH_TEXT reads a path of JSON text and gives text', () => {
    expect(row(`SELECT JSON_EXTRACT_PATH_TEXT('{"PATH_1": {"PATH_2": "value"}}', 'PATH_1.PATH_2'), JSON_EXTRACT_PATH_TEXT('{"a": [1, 2]}', 'a[1]'), JSON_EXTRACT_PATH_TEXT('{"a": 1}', 'b'), JSON_EXTRACT_PATH_TEXT(NULL, 'a')`)).toEqual(['value', '2', null, null]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/arrays_to_object: the docs' three examples.
  it('ARRAYS_TO_OBJECT pairs keys with values; a NULL key leaves its pair out, a NULL value is a null', () => {
    expect(row(`SELECT ARRAYS_TO_OBJECT(['key1', 'key2', 'key3'], [1, 2, 3]), ARRAYS_TO_OBJECT(['key1', NULL, 'key3'], [1, 2, 3]), ARRAYS_TO_OBJECT(['key1', 'key2', 'key3'], [1, NULL, 3])`)).toEqual([
      { key1: 1, key2: 2, key3: 3 },
      { key1: 1, key3: 3 },
      { key1: 1, key2: null, key3: 3 },
    ]);
    const e = failureOf(s, `SELECT ARRAYS_TO_OBJECT(['a'], [1, 2])`);
    expect([e.code, e.message.includes('ARRAYS_TO_OBJECT of arrays of different sizes')]).toEqual([9999, true]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/arrays_zip: the docs' examples.
  it('ARRAYS_ZIP makes one object per position, up to the longest array', () => {
    expect(row(`SELECT ARRAYS_ZIP([1, 2, 3], ['one'], ['I', 'II']) AS zipped_array`)).toEqual([
      [
        { $1: 1, $2: 'one', $3: 'I' },
        { $1: 2, $2: null, $3: 'II' },
        { $1: 3, $2: null, $3: null },
      ],
    ]);
    expect(row(`SELECT ARRAYS_ZIP([1, 2, 3]), ARRAYS_ZIP([1, 2, 3], NULL, [100, 200, 300]), ARRAYS_ZIP([], [], [])`)).toEqual([[{ $1: 1 }, { $1: 2 }, { $1: 3 }], null, [{}]]);
  });
});

