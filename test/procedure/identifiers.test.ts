/**
 * procedure/identifiers.ts: every table and column name reaches SQL text through quoteName or
 * quoteTable, so whatever they accept is pasted into a statement. These tests pin what is
 * accepted and how it is quoted, following Snowflake's identifier rules
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax), with attention to parts that
 * begin or end like a quoted identifier but carry more (README "How a run works": identifiers
 * are validated and quoted; values are always bound).
 */
import { describe, expect, it } from 'vitest';
import { IdentifierError, canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';

/** Runs `f`, which must throw an IdentifierError; returns it. */
function rejection(f: () => unknown): IdentifierError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IdentifierError);
    return e as IdentifierError;
  }
  throw new Error('expected an IdentifierError, but nothing was thrown');
}

const FIX = 'Use letters, digits, _ and $ (starting with a letter or _), or a double-quoted name with inner quotes doubled.';

describe('the error', () => {
  it('names what was invalid, the whole value as JSON, the reason and the fix', () => {
    const e = rejection(() => quoteTable('A.B.C.D', 'source table'));
    expect(e.message).toBe(`invalid source table "A.B.C.D": it has more than three parts (DATABASE.SCHEMA.TABLE). ${FIX}`);
    expect(e.name).toBe('IdentifierError');
    expect(e).toBeInstanceOf(Error);
  });

  it("defaults to 'column name' for quoteName and 'table name' for quoteTable", () => {
    expect(rejection(() => quoteName('a b')).message).toMatch(/^invalid column name "a b": /);
    expect(rejection(() => quoteTable('a b')).message).toMatch(/^invalid table name "a b": /);
    expect(rejection(() => quoteName('a b', 'key column')).message).toMatch(/^invalid key column "a b": /);
  });

  it('names the whole qualified value, not only the bad part', () => {
    expect(rejection(() => quoteTable('DB.SCH.a-b')).message).toMatch(/^invalid table name "DB.SCH.a-b": it contains characters that are not allowed in an unquoted name\./);
  });
});

describe('unquoted names', () => {
  it.each([
    ['last_update_date', '"LAST_UPDATE_DATE"'],
    ['_x', '"_X"'],
    ['a1', '"A1"'],
    ['T$X', '"T$X"'],
    ['Z', '"Z"'],
    ['abc_DEF_09$', '"ABC_DEF_09$"'],
  ])('%s is upper-cased and quoted as %s', (name, quoted) => {
    expect(quoteName(name)).toBe(quoted);
  });

  it.each([
    ['1ABC', 'starts with a digit'],
    ['$X', 'starts with $'],
    ['ABC-1', 'holds a -'],
    ['a b', 'holds a space'],
    ['X;', 'ends with ;'],
    [';X', 'starts with ;'],
    ['X; DROP TABLE Y', 'holds a statement'],
    ['É', 'is not ASCII'],
    ["X'", 'holds a single quote'],
  ])('%j is rejected (%s)', (name) => {
    expect(rejection(() => quoteName(name)).message).toContain('it contains characters that are not allowed in an unquoted name');
  });
});

describe('quoted names', () => {
  it.each([
    ['"Mixed Case"', '"Mixed Case"'],
    ['"a"', '"a"'],
    ['"with ""inner"" quotes"', '"with ""inner"" quotes"'],
    ['""""', '""""'],
    ['"a.b"', '"a.b"'],
    ['"select"', '"select"'],
    ["\"it's\"", "\"it's\""],
  ])('%s keeps its case and its doubled quotes: %s', (name, quoted) => {
    expect(quoteName(name)).toBe(quoted);
  });

  it.each([
    ['"A"; DROP TABLE X; --', 'a quoted name followed by a statement'],
    ['"A" OR 1=1', 'a quoted name followed by more SQL'],
    ['"A"B', 'a quoted name followed by unquoted characters'],
    ['"A""', 'an embedded quote that is not doubled before the end'],
    ['"A"B"', 'an embedded single quote'],
    ['X"A"', 'unquoted characters before a quoted name'],
    ['DROP TABLE Y; --"A"', 'a statement before a quoted name'],
    ['"A', 'no closing quote'],
    ['A"', 'no opening quote'],
    ['"', 'a lone quote'],
    ['""', 'an empty quoted name'],
  ])('%j is rejected (%s)', (name) => {
    expect(rejection(() => quoteName(name)).message).toContain('it contains characters that are not allowed');
    expect(() => quoteTable(name)).toThrow(IdentifierError);
  });

  it('rejects an injected quoted part anywhere in a qualified name', () => {
    for (const bad of ['DB."A"; DROP TABLE X; --', '"A"; DROP TABLE X; --.S.T', 'DB.X"A".T', 'DB.S."T"X']) {
      expect(rejection(() => quoteTable(bad)).message).toContain(JSON.stringify(bad));
    }
  });
});

describe('qualified table names', () => {
  it('quotes each of one to three parts', () => {
    expect(quoteTable('t')).toBe('"T"');
    expect(quoteTable('s.t')).toBe('"S"."T"');
    expect(quoteTable('db.s.t')).toBe('"DB"."S"."T"');
    expect(quoteTable('"My DB".s."Runs ""v2"""')).toBe('"My DB"."S"."Runs ""v2"""');
  });

  it('splits only on dots outside quotes', () => {
    expect(quoteTable('"a.b"."c.d"."e.f"')).toBe('"a.b"."c.d"."e.f"');
    expect(quoteTable('db."x.y"')).toBe('"DB"."x.y"');
    // A doubled quote inside a quoted part does not end it: the dot after it is still inside.
    expect(quoteTable('"a"".b"')).toBe('"a"".b"');
  });

  it.each(['A.B.C.D', '"a".b.c.d', 'a.b.c."d"', 'a.b.c.d.e'])('rejects %j: more than three parts', (name) => {
    expect(rejection(() => quoteTable(name)).message).toContain('it has more than three parts (DATABASE.SCHEMA.TABLE)');
  });

  it.each(['', '.', 'A.', '.A', 'A..B', 'A.B.'])('rejects %j: an empty part', (name) => {
    expect(rejection(() => quoteTable(name)).message).toContain('it has an empty part');
  });

  it('rejects a qualified column name, however it is qualified', () => {
    for (const name of ['T.COL', '"T".COL', 'A.B.C', '.COL', 'COL.']) {
      expect(rejection(() => quoteName(name)).message).toContain('it must not be qualified');
    }
    expect(quoteName('"T.COL"')).toBe('"T.COL"');
  });
});

describe('length', () => {
  const name = (n: number): string => 'A'.repeat(n);

  it('accepts a part of 255 characters and rejects one of 256, in a column or any part of a table name', () => {
    expect(quoteName(name(255))).toBe(`"${name(255)}"`);
    expect(quoteTable(`db.${name(255)}.t`)).toBe(`"DB"."${name(255)}"."T"`);
    expect(rejection(() => quoteName(name(256))).message).toContain('a part is longer than 255 characters');
    expect(rejection(() => quoteTable(`db.s.${name(256)}`)).message).toContain('a part is longer than 255 characters');
  });

  it('counts a quoted part with its quotes', () => {
    expect(quoteName(`"${name(253)}"`)).toBe(`"${name(253)}"`);
    expect(rejection(() => quoteName(`"${name(254)}"`)).message).toContain('a part is longer than 255 characters');
  });
});

describe('values that are not strings', () => {
  it.each([[123], [null], [undefined], [['A']]])('rejects %j as not a string', (v) => {
    expect(rejection(() => quoteName(v as never)).message).toContain('it is not a string');
    expect(rejection(() => quoteTable(v as never)).message).toContain('it is not a string');
  });
});

describe('canonicalName', () => {
  it('is the name Snowflake stores: upper-cased unless quoted, outer quotes removed, inner quotes undoubled', () => {
    expect(canonicalName('my_col')).toBe('MY_COL');
    expect(canonicalName('"my col"')).toBe('my col');
    expect(canonicalName('"Runs ""v2"""')).toBe('Runs "v2"');
    expect(canonicalName('""""')).toBe('"');
  });

  it('validates like quoteName', () => {
    expect(() => canonicalName('a.b')).toThrow(/must not be qualified/);
    expect(() => canonicalName('"A"; DROP TABLE X; --')).toThrow(IdentifierError);
  });
});
