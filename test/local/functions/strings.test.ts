/**
 * SUBSTR, LEFT, RIGHT, REPLACE, POSITION, CHARINDEX, INITCAP, STRTOK, STRTOK_TO_ARRAY, INSERT,
 * EDITDISTANCE (local/compat/functions/strings.ts).
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

describe('string functions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/substr: 1-based, a negative start counts
  // from the end, a negative length gives '' (as Snowpark's page says:
  // https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.substr).
  // A start of 0 is not described there; it is taken as 1 (Oracle's rule).
  it('SUBSTR / SUBSTRING: 1-based, negative start from the end, negative length empty, start 0 as 1', () => {
    expect(row("SELECT SUBSTR('testing 1 2 3', 1, 7), SUBSTR('abcdef', 3), SUBSTR('abcdef', -2), SUBSTRING('abcdef', 2, 3)")).toEqual(['testing', 'cdef', 'ef', 'bcd']);
    expect(row("SELECT SUBSTR('abc', 2, -1), SUBSTR('abcdef', 0, 2), SUBSTR(NULL, 1)")).toEqual(['', 'ab', null]);
    expect(row("SELECT SUBSTRING('abcdef' FROM 2 FOR 3)")).toEqual(['bcd']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/left,
  // https://docs.snowflake.com/en/sql-reference/functions/right: a negative length gives ''.
  it('LEFT and RIGHT, empty for a negative length', () => {
    expect(row("SELECT LEFT('ABCDEFG', 3), RIGHT('ABCDEFG', 3), LEFT('abc', -1), RIGHT('abc', -1), LEFT('abc', 10)")).toEqual(['ABC', 'EFG', '', '', 'abc']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/replace: without a replacement, the
  // pattern is removed.
  it('REPLACE removes the pattern when no replacement is given', () => {
    expect(row("SELECT REPLACE('down', 'down', 'up'), REPLACE('Vacation in Athens', 'Athens', 'Rome'), REPLACE('abcd', 'bc')")).toEqual(['up', 'Vacation in Rome', 'ad']);
    // `SELECT * REPLACE (…)` is no call.
    expect(row("SELECT * REPLACE ('x' AS A) FROM (SELECT 1 AS A)")).toEqual(['x']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/position,
  // https://docs.snowflake.com/en/sql-reference/functions/charindex: 1-based, 0 when absent, from start.
  it('POSITION and CHARINDEX with and without a start', () => {
    expect(row("SELECT POSITION('an', 'banana', 1), POSITION('an', 'banana', 3), POSITION('an' IN 'banana'), CHARINDEX('an', 'banana'), CHARINDEX('x', 'banana'), CHARINDEX('an', 'banana', 5)")).toEqual([2, 4, 2, 2, 0, 0]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/initcap
  it('INITCAP capitalises after whitespace and punctuation, or after the given delimiters', () => {
    expect(row("SELECT INITCAP('hello world'), INITCAP('HELLO WORLD'), INITCAP('hello-world_again.x'), INITCAP('iqamah', 'q'), INITCAP('a b', '')")).toEqual([
      'Hello World',
      'Hello World',
      'Hello-World_Again.X',
      'IqAmah',
      'A b',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/strtok,
  // https://docs.snowflake.com/en/sql-reference/functions/strtok_to_array: any delimiter character
  // separates, empty tokens are skipped, a part past the last is NULL.
  it('STRTOK and STRTOK_TO_ARRAY', () => {
    expect(row("SELECT STRTOK('a.b.c', '.', 1), STRTOK('user@snowflake.com', '@.', 1), STRTOK('user@snowflake.com', '@.', 3), STRTOK('user@snowflake.com', '@.', 4), STRTOK('a  b')")).toEqual([
      'a',
      'user',
      'com',
      null,
      'a',
    ]);
    expect(row("SELECT STRTOK_TO_ARRAY('a.b.c', '.'), STRTOK_TO_ARRAY('user@snowflake.com', '.@'), STRTOK_TO_ARRAY('a  b')")).toEqual([
      ['a', 'b', 'c'],
      ['user', 'snowflake', 'com'],
      ['a', 'b'],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/insert,
  // https://docs.snowflake.com/en/sql-reference/functions/editdistance
  it('INSERT replaces len characters at pos; EDITDISTANCE is the Levenshtein distance, capped by max', () => {
    expect(row("SELECT INSERT('abc', 1, 2, 'Z'), INSERT('abcdef', 3, 2, 'zzz'), INSERT('abc', 4, 0, 'd')")).toEqual(['Zc', 'abzzzef', 'abcd']);
    expect(row("SELECT EDITDISTANCE('kitten', 'sitting'), EDITDISTANCE('', 'abc'), EDITDISTANCE('kitten', 'sitting', 2)")).toEqual([3, 3, 2]);
    // MERGE's THEN INSERT (…) is no call.
    s.execute('CREATE OR REPLACE TABLE INS (K NUMBER)');
    expect(s.execute('MERGE INTO INS USING (SELECT 1 AS K) S ON INS.K = S.K WHEN NOT MATCHED THEN INSERT (K) VALUES (S.K)').rows).toEqual([[1]]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/split_part: part 0 is the first, a
  // negative part counts from the end, out of range is ''.
  it('SPLIT_PART counts part 0 as 1 and negative parts from the end', () => {
    expect(row("SELECT SPLIT_PART('11.22.33', '.', 0), SPLIT_PART('11.22.33', '.', 1), SPLIT_PART('11.22.33', '.', -1), SPLIT_PART('11.22.33', '.', 4)")).toEqual(['11', '11', '33', '']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/lpad, /rpad, /startswith, /endswith, /space
  it('LPAD and RPAD pad with a space by default and cut to the length; STARTSWITH, ENDSWITH, SPACE', () => {
    expect(row('SELECT CHR(N), LPAD(\'a\', N / 33) FROM (SELECT 66::NUMBER AS N)')).toEqual(['B', ' a']);
    expect(row("SELECT LPAD('abc', 5), RPAD('abc', 5, 'xy'), LPAD('abc', 2, 'x'), STARTSWITH('abc', 'a'), ENDSWITH('abc', 'b'), '[' || SPACE(3) || ']'")).toEqual([
      '  abc',
      'abcxy',
      'ab',
      true,
      false,
      '[   ]',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/split: an ARRAY of the parts (its
  // examples: '127.0.0.1' on '.', '|a||' on '|'), indexed from 0 like any ARRAY.
  it('SPLIT gives an ARRAY, indexed from 0', () => {
    expect(row("SELECT SPLIT('127.0.0.1', '.'), SPLIT('|a||', '|'), SPLIT('a,b', ',')[0]::VARCHAR, ARRAY_SIZE(SPLIT('a,b,c', ','))")).toEqual([
      ['127', '0', '0', '1'],
      ['', 'a', '', ''],
      'a',
      3,
    ]);
  });
});

