/**
 * The script splitter and the text rewrites, as strings, with no database (fakesnow's
 * translation-test tier). Lexical rules: https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants
 * and https://docs.snowflake.com/en/sql-reference/sql-format-models (formats).
 */
import { describe, expect, it } from 'vitest';
import { splitStatements, canonicalIdentifier } from '../../local/sql-text.js';
import { createView } from '../../local/compat/ddl.js';
import {
  convertFormat,
  rewriteVarcharCasts,
  quoteDateParts,
  rewriteCurrentTime,
  rewriteFormatLiterals,
  rewriteNumberedBinds,
  rewriteStringEscapes,
  rewriteTypeModifiers,
  specialiseDateAdd,
  unwrapTableFunction,
} from '../../local/compat/functions.js';
import { rewriteTaskHistory, transform } from '../../local/compat/transform.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, $$ bodies and comments', () => {
    const script = [
      "SELECT 'a;b' AS X;",
      '-- a comment; with a semicolon',
      'CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ var a = 1; return "x;y"; $$;',
      '/* block; comment */ SELECT "we;ird" FROM T;',
      "SELECT 'it''s; fine';",
      'SELECT 1 // line comment; here',
      ';;',
    ].join('\n');
    const parts = splitStatements(script);
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe("SELECT 'a;b' AS X");
    expect(parts[1]).toContain('return "x;y"; $$');
    expect(parts[1]?.startsWith('-- a comment; with a semicolon')).toBe(true);
    expect(parts[2]).toBe('/* block; comment */ SELECT "we;ird" FROM T');
    expect(parts[3]).toBe("SELECT 'it''s; fine'");
    expect(parts[4]).toBe('SELECT 1 // line comment; here');
  });

  it('drops statements made only of comments', () => {
    expect(splitStatements('-- only a comment\n;\n/* and this */;')).toEqual([]);
  });

  it('keeps a single-quoted procedure body with escaped quotes whole', () => {
    const parts = splitStatements("CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS 'return ''a;b'';'; SELECT 2");
    expect(parts).toEqual(["CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS 'return ''a;b'';'", 'SELECT 2']);
  });
});

describe('identifiers', () => {
  it('upper-cases unquoted names and keeps quoted ones', () => {
    expect(canonicalIdentifier('db.sch.my_table')).toBe('MY_TABLE');
    expect(canonicalIdentifier('"Mixed"')).toBe('Mixed');
    expect(canonicalIdentifier('"DB"."S"."T"')).toBe('T');
  });
});

describe('DDL rewrites', () => {
  it('drops COMMENT and SECURE from views', () => {
    expect(createView("CREATE OR REPLACE SECURE VIEW V COMMENT = 'c' AS SELECT 1 AS X")).toBe('CREATE OR REPLACE VIEW "V" AS SELECT 1 AS X');
  });

  it('maps parameterised Snowflake types and leaves literals alone', () => {
    expect(rewriteTypeModifiers("CAST(x AS NUMBER(38, 0)) || 'NUMBER(1,2)' || CAST(y AS TIMESTAMP_NTZ(9))")).toBe(
      "CAST(x AS DECIMAL(38,0)) || 'NUMBER(1,2)' || CAST(y AS TIMESTAMP_NTZ)",
    );
  });
});

describe('function rewrites', () => {
  it('converts Snowflake formats', () => {
    expect(convertFormat('YYYY-MM-DD HH24:MI:SS.FF9')).toBe('%Y-%m-%d %H:%M:%S.%n');
    expect(convertFormat('yyyy-mm-dd hh24:mi:ss.ff3')).toBe('%Y-%m-%d %H:%M:%S.%g');
  });

  // https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions :
  // text in double quotes is printed as written; elements are read left to right.
  it('converts a format in one pass, keeping quoted text and escaping %', () => {
    expect(convertFormat('DD "of" MON YYYY')).toBe('%d of %b %Y');
    expect(convertFormat('HH24MIMMDD')).toBe('%H%M%m%d');
    expect(convertFormat('YYYY-MM-DD"T"HH24:MI:SS')).toBe('%Y-%m-%dT%H:%M:%S');
    expect(convertFormat('DD"%"')).toBe('%d%%');
    expect(() => convertFormat('HH24:MI:SS.FF2')).toThrow(/FF2.*not implemented/s);
  });

  it('checks the length of casts to VARCHAR(n), innermost first, and prints casts to VARCHAR through SF_TEXT', () => {
    expect(rewriteVarcharCasts("SELECT CAST(CAST(x AS VARCHAR(5)) AS VARCHAR(2)), f(a, b)::STRING(2), (a || 'x')::VARCHAR(4), y::VARCHAR")).toBe(
      "SELECT SF_VARCHAR_CHECK(SF_VARCHAR_CHECK(x, 5), 2), SF_VARCHAR_CHECK(f(a, b), 2), SF_VARCHAR_CHECK((a || 'x'), 4), SF_TEXT(y)",
    );
  });

  it('refuses formats that are not literals, and numeric formats', () => {
    expect(() => rewriteFormatLiterals('TO_VARCHAR(x, fmt_col)')).toThrow(/not implemented/);
    expect(() => rewriteFormatLiterals("TO_VARCHAR(1234.5, '999,999.00')")).toThrow(/numeric format.*not implemented/s);
  });

  // ISO formats parse by the format-less macros (a CAST that refuses digits below the microsecond).
  it('parses ISO formats by the format-less conversions and formats by strftime', () => {
    expect(rewriteFormatLiterals("TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9')")).toBe('SF_ISO_NTZ(?)');
    expect(rewriteFormatLiterals("TO_TIMESTAMP_LTZ(?, 'YYYY-MM-DD HH24:MI:SS')")).toBe('SF_ISO_LTZ(?)');
    expect(rewriteFormatLiterals("TO_DATE(?, 'YYYY-MM-DD')")).toBe('CAST(? AS DATE)');
    expect(rewriteFormatLiterals("TO_VARCHAR(MAX(f(a, b)), 'YYYY-MM-DD HH24:MI:SS.FF9')")).toBe("SF_FORMAT_TS(MAX(f(a, b)), '%Y-%m-%d %H:%M:%S.%n')");
    expect(rewriteFormatLiterals("TO_TIMESTAMP_NTZ(x, 'DD/MM/YYYY')")).toBe("SF_PARSE_NTZ(x, '%d/%m/%Y')");
    expect(rewriteFormatLiterals('TO_VARCHAR(x)')).toBe('TO_VARCHAR(x)');
    expect(() => rewriteFormatLiterals('TO_TIMESTAMP_NTZ(x, fmt_col)')).toThrow(/not implemented/);
  });

  it('routes clock keywords to the runtime clock and quotes bare date parts', () => {
    expect(rewriteCurrentTime('SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(), CURRENT_DATE')).toBe(
      'SELECT CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP(), SF_CURRENT_DATE()',
    );
    expect(quoteDateParts('DATEADD(hour, -24, x) + TIMESTAMPDIFF(SECOND, a, b)')).toBe("DATEADD('hour', -24, x) + TIMESTAMPDIFF('second', a, b)");
  });

  it('sends DATEADD with a literal part to its one-unit macro', () => {
    expect(specialiseDateAdd("DATEADD('second', ?, MAX(WM)) + DATEADD('HRS', 1, x) + DATEADD(p, 1, x) + DATEADD('fortnight', 1, x)")).toBe(
      "SF_DATEADD_SECOND( ?, MAX(WM)) + SF_DATEADD_HOUR( 1, x) + DATEADD(p, 1, x) + DATEADD('fortnight', 1, x)",
    );
  });

  it('re-quotes literals with backslash escapes in standard form', () => {
    expect(rewriteStringEscapes("SELECT 'a\\\\b', 'it\\'s', 'x\\ny', 'plain' FROM \"q\\\\\"")).toBe("SELECT 'a\\b', 'it''s', 'x\ny', 'plain' FROM \"q\\\\\"");
  });

  it('maps :N binds and leaves :: casts', () => {
    expect(rewriteNumberedBinds("SELECT :1, x::INT, ':2' FROM T WHERE a = :2")).toBe("SELECT $1, x::INT, ':2' FROM T WHERE a = $2");
  });

  it('turns TABLE(INFORMATION_SCHEMA.TASK_HISTORY(...)) into the local table macro', () => {
    const seed = "SELECT * FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'X', SCHEDULED_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP()))) ORDER BY SCHEDULED_TIME DESC";
    expect(unwrapTableFunction(rewriteTaskHistory(seed))).toBe(
      "SELECT * FROM sf_local.task_history(TASK_NAME => 'X', SCHEDULED_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP())) ORDER BY SCHEDULED_TIME DESC",
    );
  });

  it('refuses constructs it does not emulate, naming them', () => {
    expect(() => transform("SELECT F.VALUE FROM T, LATERAL FLATTEN(input => T.V, MODE => 'ALL') F")).toThrow(/FLATTEN's MODE => 'ALL' is not implemented/);
    expect(() => transform('SELECT HASH_AGG(*) FROM T')).toThrow(/HASH_AGG\(\*\)/);
    // INT is NUMBER(38,0) in Snowflake: the cast's type becomes the engine's 64-bit BIGINT.
    // An OBJECT constant is OBJECT_CONSTRUCT (https://docs.snowflake.com/en/sql-reference/data-types-semistructured).
    expect(transform("SELECT x::INT, {'k': 'v'} AS O FROM T WHERE a = :1")).toBe("SELECT x::BIGINT, SF_OBJECT_FROM([{'k': CAST(('k') AS VARCHAR), 'v': SF_TO_VARIANT('v')}]) AS O FROM T WHERE a = $1");
  });
});
