/**
 * Session variables, per https://docs.snowflake.com/en/sql-reference/session-variables
 * (SET / UNSET, `$name`, IDENTIFIER($name)) and the caller's/owner's rights rules of
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError } from '../../../local/index.js';
import type { LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';
import { sessionVariables } from '../../../local/statements/variables.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session({ timezone: 'UTC' });
});
afterAll(() => sf.close());

const failure = (sql: string): LocalSnowflakeError => failureOf(s, sql);

describe('SET, UNSET and $name', () => {
  it('sets one or several variables and reads them back with their types', () => {
    s.execute('SET var1 = 10');
    s.execute("SET (var2, var3) = ('hello', 20.5);");
    expect(s.execute('SELECT $var1 + 1 AS A, $var2 AS B, $VAR3 * 2 AS C').rows[0]).toEqual([11, 'hello', 41]);
  });

  it('computes the value once, when SET runs', () => {
    s.execute('CREATE OR REPLACE TABLE COUNTS (N NUMBER)');
    s.execute('INSERT INTO COUNTS VALUES (1), (2)');
    s.execute('SET before_insert = (SELECT COUNT(*) FROM COUNTS)');
    s.execute('INSERT INTO COUNTS VALUES (3)');
    expect(s.execute('SELECT $before_insert AS N').rows[0]).toEqual([2]);
  });

  it('names a table through IDENTIFIER($name)', () => {
    s.execute("SET my_table_name = 'COUNTS'");
    expect(s.execute('SELECT COUNT(*) FROM IDENTIFIER($my_table_name)').rows[0]).toEqual([3]);
  });

  it("says Session variable '$NAME' does not exist after UNSET, or for a name never set", () => {
    s.execute('UNSET var1');
    expect(failure('SELECT $var1').message).toContain("Session variable '$VAR1' does not exist");
    expect(failure('SELECT $never_set').message).toContain("Session variable '$NEVER_SET' does not exist");
  });

  // SET defines a variable; the TIMEZONE parameter changes only through ALTER SESSION.
  it('does not change the session time zone when the variable is called TIMEZONE', () => {
    s.execute("SET TIMEZONE = 'Asia/Tokyo'");
    expect(s.execute("SELECT $TIMEZONE AS Z, TO_VARCHAR('2024-01-01 00:00:00+00'::TIMESTAMP_LTZ, 'HH24:MI') AS H").rows[0]).toEqual(['Asia/Tokyo', '00:00']);
    expect(s.timezone).toBe('UTC');
  });

  it('keeps variables per session', () => {
    s.execute("SET only_here = 'x'");
    const other = sf.session();
    try {
      other.execute('SELECT $only_here');
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as LocalSnowflakeError).message).toContain("Session variable '$ONLY_HERE' does not exist");
    }
  });

  it('leaves $$ bodies, literals and SYSTEM$ names alone', () => {
    expect(s.execute("SELECT '$var2' AS A, $$ $var2 $$ AS B").rows[0]).toEqual(['$var2', ' $var2 ']);
  });
});

describe("procedures and the caller's variables", () => {
  // A caller's-rights procedure sees the caller's session variables; an owner's-rights one
  // cannot access them.
  it("are visible to EXECUTE AS CALLER and not to EXECUTE AS OWNER", () => {
    s.execute("SET greeting = 'hi'");
    s.execute(`CREATE OR REPLACE PROCEDURE READ_AS_CALLER() RETURNS VARCHAR LANGUAGE JAVASCRIPT EXECUTE AS CALLER AS $$
      var rs = snowflake.execute({ sqlText: 'SELECT $greeting' }); rs.next(); return rs.getColumnValue(1);
    $$`);
    s.execute(`CREATE OR REPLACE PROCEDURE READ_AS_OWNER() RETURNS VARCHAR LANGUAGE JAVASCRIPT EXECUTE AS OWNER AS $$
      try { var rs = snowflake.execute({ sqlText: 'SELECT $greeting' }); rs.next(); return rs.getColumnValue(1); } catch (e) { return e.message; }
    $$`);
    expect(s.execute('CALL READ_AS_CALLER()').rows[0]).toEqual(['hi']);
    expect(s.execute('CALL READ_AS_OWNER()').rows[0]?.[0]).toContain("Session variable '$GREETING' does not exist");
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/set, /unset: SET and UNSET are session
// variables' statements whatever follows (SET TIMEZONE = … too); ALTER SESSION SET is not theirs.
describe('recognition', () => {
  it('takes SET and UNSET in their forms, and leaves ALTER SESSION SET and UPDATE … SET', () => {
    expectRecognition(
      sessionVariables,
      ["SET X = 'a'", 'set (a, b) = (1, 2);', 'UNSET X', "/* c */ SET TIMEZONE = 'UTC'"],
      ["ALTER SESSION SET TIMEZONE = 'UTC'", 'UPDATE T SET A = 1', "SELECT 'SET X = 1'"],
    );
  });
});
