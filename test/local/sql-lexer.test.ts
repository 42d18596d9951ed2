/**
 * local/sql-text.ts, the lexer every rewrite of the local runtime relies on to leave literals,
 * quoted identifiers and comments alone (lexical rules:
 * https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants and
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax): exact segments, unterminated
 * literals at the end of the text, and the helpers built on it.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIdentifier, mapCode, normalized, segments, splitStatements, unquoteString } from '../../local/sql-text.js';

describe('segments', () => {
  it('cuts code from strings, quoted identifiers, $$ bodies and both kinds of comment, losing nothing', () => {
    const sql = `SELECT 'it''s', "a""b", $$x;'y$$ -- c\n/* d; */ FROM t // e`;
    expect(segments(sql)).toEqual([
      { kind: 'code', text: 'SELECT ' },
      { kind: 'string', text: "'it''s'" },
      { kind: 'code', text: ', ' },
      { kind: 'ident', text: '"a""b"' },
      { kind: 'code', text: ', ' },
      { kind: 'dollar', text: "$$x;'y$$" },
      { kind: 'code', text: ' ' },
      { kind: 'comment', text: '-- c' },
      { kind: 'code', text: '\n' },
      { kind: 'comment', text: '/* d; */' },
      { kind: 'code', text: ' FROM t ' },
      { kind: 'comment', text: '// e' },
    ]);
  });

  it('a backslash escapes the next character of a string, a quote included', () => {
    expect(segments(String.raw`'a\'b' x`)).toEqual([
      { kind: 'string', text: String.raw`'a\'b'` },
      { kind: 'code', text: ' x' },
    ]);
  });

  it('a doubled quote stays inside a quoted identifier', () => {
    expect(segments('"a""b" x')).toEqual([
      { kind: 'ident', text: '"a""b"' },
      { kind: 'code', text: ' x' },
    ]);
  });

  it('a literal or comment left open runs to the end of the text', () => {
    expect(segments("x 'abc")).toEqual([{ kind: 'code', text: 'x ' }, { kind: 'string', text: "'abc" }]);
    expect(segments('x "ab')).toEqual([{ kind: 'code', text: 'x ' }, { kind: 'ident', text: '"ab' }]);
    expect(segments('x $$ab')).toEqual([{ kind: 'code', text: 'x ' }, { kind: 'dollar', text: '$$ab' }]);
    expect(segments('x /* ab')).toEqual([{ kind: 'code', text: 'x ' }, { kind: 'comment', text: '/* ab' }]);
    expect(segments('x -- ab')).toEqual([{ kind: 'code', text: 'x ' }, { kind: 'comment', text: '-- ab' }]);
  });

  it('a block comment ends at the first */ after its opening, not inside the opening', () => {
    expect(segments('/*/ x */ y')).toEqual([
      { kind: 'comment', text: '/*/ x */' },
      { kind: 'code', text: ' y' },
    ]);
  });

  it('a slash or dash alone is code', () => {
    expect(segments('SELECT 6/3 - 1')).toEqual([{ kind: 'code', text: 'SELECT 6/3 - 1' }]);
  });
});

describe('helpers on the segments', () => {
  it('splitStatements ignores a ; inside literals and comments and drops comment-only statements', () => {
    expect(splitStatements("SELECT ';' AS A; -- only a comment;\n; SELECT \"x;\" /* ; */ FROM T;")).toEqual([
      "SELECT ';' AS A",
      // '-- only a comment;\n' ends at the ; of the next line, and holds no code: dropped.
      'SELECT "x;" /* ; */ FROM T',
    ]);
  });

  it('mapCode changes code only', () => {
    expect(mapCode(`select 'a' from "b" -- c\n$$d$$`, (c) => c.toUpperCase())).toBe(`SELECT 'a' FROM "b" -- c\n$$d$$`);
  });

  it('normalized drops comments and collapses every run of whitespace to one space', () => {
    expect(normalized("  SELECT\t 1 -- c\n /* d */ FROM\n\nT  'a  b'  ")).toBe("SELECT 1 FROM T 'a b'");
  });

  it('unquoteString undoubles quotes and reads backslash escapes', () => {
    expect(unquoteString("'it''s'")).toBe("it's");
    expect(unquoteString(String.raw`'a\nb\tc\rd\0e\bf\fg\qh\\i'`)).toBe('a\nb\tc\rd\0e\bf\fgqh\\i');
  });
});

describe('canonicalIdentifier', () => {
  it('is the last name part: unquoted parts trimmed and upper-cased, quoted parts verbatim with quotes undoubled', () => {
    expect(canonicalIdentifier(' db . sch . my_tab ')).toBe('MY_TAB');
    expect(canonicalIdentifier('"My ""T"""')).toBe('My "T"');
    expect(canonicalIdentifier('db."x.y"')).toBe('x.y');
  });

  it('skips empty parts, and is empty when there is no name', () => {
    expect(canonicalIdentifier('tab.')).toBe('TAB');
    expect(canonicalIdentifier('')).toBe('');
    expect(canonicalIdentifier(' . ')).toBe('');
  });
});
