/**
 * REGEXP_REPLACE, REGEXP_SUBSTR, REGEXP_INSTR, REGEXP_COUNT, REGEXP_LIKE, RLIKE
 * (local/compat/functions/regexp.ts), with the subject the function pages use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
const TIMES = `'It was the best of times, it was the worst of times'`;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];

describe('regular expressions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_replace: occurrence 0 (the
  // default) replaces every match; the replacement defaults to ''.
  it('REGEXP_REPLACE replaces every match by default', () => {
    expect(row(`SELECT REGEXP_REPLACE(${TIMES}, '( ){1,}', '')`)).toEqual(['Itwasthebestoftimes,itwastheworstoftimes']);
    expect(row("SELECT REGEXP_REPLACE('aaa', 'a', 'b'), REGEXP_REPLACE('abcb', 'b'), REGEXP_REPLACE('aaa', 'a', 'b', 2), REGEXP_REPLACE('aaa', 'a', 'b', 1, 1)")).toEqual(['bbb', 'ac', 'abb', 'baa']);
    expect(row("SELECT REGEXP_REPLACE('Aaa', 'a', 'b', 1, 0, 'i'), REGEXP_REPLACE('firstname middlename lastname', '(.*) (.*) (.*)', '\\\\3, \\\\1 \\\\2')")).toEqual(['bbb', 'lastname, firstname middlename']);
    // occurrence n > 0 replaces only the n-th match (from the position).
    expect(row("SELECT REGEXP_REPLACE('aaa', 'a', 'b', 1, 2), REGEXP_REPLACE('aaa', 'a', 'b', 1, 4), REGEXP_REPLACE('abcabcabc', 'b', 'X', 3, 2)")).toEqual(['aba', 'aaa', 'abcabcaXc']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/regexp_substr: the occurrence-th match,
  // its group with 'e', NULL when none.
  it('REGEXP_SUBSTR takes position, occurrence, parameters and group', () => {
    expect(row(`SELECT REGEXP_SUBSTR(${TIMES}, 'the\\\\W+\\\\w+'), REGEXP_SUBSTR(${TIMES}, 'the\\\\W+\\\\w+', 1, 2), REGEXP_SUBSTR(${TIMES}, 'the\\\\W+(\\\\w+)', 1, 2, 'e', 1), REGEXP_SUBSTR(${TIMES}, 'the\\\\W+(\\\\w+)', 1, 1, 'e')`)).toEqual([
      'the best',
      'the worst',
      'worst',
      'best',
    ]);
    expect(row("SELECT REGEXP_SUBSTR('abc', 'x'), REGEXP_SUBSTR('ABC', 'b', 1, 1, 'i')")).toEqual([null, 'B']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/regexp_substr_all: an ARRAY of the
  // matches from the position and occurrence on; 'i' and 'e' as for REGEXP_SUBSTR.
  it('REGEXP_SUBSTR_ALL gives an ARRAY of the matches', () => {
    const subject = "'a1_a2a3_a4A5a6'";
    expect(row(`SELECT REGEXP_SUBSTR_ALL(${subject}, 'a[[:digit:]]'), REGEXP_SUBSTR_ALL(${subject}, 'a[[:digit:]]', 2), REGEXP_SUBSTR_ALL(${subject}, 'a[[:digit:]]', 1, 3)`)).toEqual([
      ['a1', 'a2', 'a3', 'a4', 'a6'],
      ['a2', 'a3', 'a4', 'a6'],
      ['a3', 'a4', 'a6'],
    ]);
    expect(row(`SELECT REGEXP_SUBSTR_ALL(${subject}, 'a[[:digit:]]', 1, 1, 'i'), REGEXP_SUBSTR_ALL(${subject}, '(a)([[:digit:]])', 1, 1, 'ie'), REGEXP_SUBSTR_ALL('abc', 'x')`)).toEqual([
      ['a1', 'a2', 'a3', 'a4', 'A5', 'a6'],
      ['a', 'a', 'a', 'a', 'A', 'a'],
      [],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/regexp_instr: 1-based position, option 1
  // the position after the match, 0 when none.
  it('REGEXP_INSTR gives the position of the occurrence, or after it', () => {
    expect(row(`SELECT REGEXP_INSTR(${TIMES}, 'the\\\\W+\\\\w+'), REGEXP_INSTR(${TIMES}, 'the\\\\W+\\\\w+', 1, 2), REGEXP_INSTR(${TIMES}, 'the\\\\W+\\\\w+', 1, 2, 1), REGEXP_INSTR(${TIMES}, 'the\\\\W+\\\\w+', 20), REGEXP_INSTR('abc', 'x')`)).toEqual([
      8, 34, 43, 34, 0,
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/regexp_count
  it('REGEXP_COUNT counts matches from the position', () => {
    expect(row(`SELECT REGEXP_COUNT(${TIMES}, '\\\\bwas\\\\b', 1), REGEXP_COUNT('abab', 'b', 3), REGEXP_COUNT('ABab', 'b', 1, 'i')`)).toEqual([2, 1, 2]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/regexp_like: the whole subject must
  // match; 'i' case-insensitive, the last of 'c' and 'i' wins.
  it('REGEXP_LIKE and RLIKE match the whole subject', () => {
    expect(row("SELECT RLIKE('San Francisco', 'san.*', 'i'), REGEXP_LIKE('San Francisco', 'san.*'), REGEXP_LIKE('abc', 'b'), REGEXP_LIKE('abc', 'ABC', 'ic'), REGEXP_LIKE('abc', 'ABC', 'ci')")).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/rlike: `subject [NOT] RLIKE pattern`
  // (and REGEXP) are REGEXP_LIKE.
  it('RLIKE and REGEXP as operators', () => {
    s.execute("CREATE OR REPLACE TABLE CITIES (CITY VARCHAR)");
    s.execute("INSERT INTO CITIES VALUES ('San Jose'), ('Oakland'), ('san Mateo')");
    expect(s.execute("SELECT CITY FROM CITIES WHERE CITY RLIKE 'San.*' ORDER BY CITY").rows).toEqual([['San Jose']]);
    expect(s.execute("SELECT CITY FROM CITIES WHERE CITY NOT REGEXP 'San.*' ORDER BY CITY").rows).toEqual([['Oakland'], ['san Mateo']]);
    const e = failureOf(s, "SELECT 'a' || 'b' RLIKE 'ab'");
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain('the RLIKE operator with an operand that is not a name, literal, call or parenthesised expression');
    expect(row("SELECT ('a' || 'b') RLIKE 'ab'")).toEqual([true]);
  });
});

