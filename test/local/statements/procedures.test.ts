/**
 * CREATE / DROP PROCEDURE (local/statements/procedures.ts, parsed in local/compat/procedures.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure,
 * https://docs.snowflake.com/en/sql-reference/sql/drop-procedure
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { parseCreateProcedure } from '../../../local/compat/procedures.js';
import { procedures } from '../../../local/statements/procedures.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('takes CREATE [OR REPLACE] [SECURE] PROCEDURE and DROP PROCEDURE, and leaves CALL, anonymous procedures and functions', () => {
    expectRecognition(
      procedures,
      ['CREATE OR REPLACE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 1; $$', 'create secure procedure P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$x$$', 'DROP PROCEDURE P(NUMBER(38,0))', 'DROP PROCEDURE IF EXISTS P()'],
      ['CALL P()', "WITH P AS PROCEDURE () RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 'x'; $$ CALL P()", 'SELECT 1'],
    );
  });
});

describe('parsing CREATE PROCEDURE', () => {
  it('reads arguments (UPPERCASE unless quoted), defaults, return type, EXECUTE AS and a $$ body', () => {
    const def = parseCreateProcedure(
      `CREATE OR REPLACE PROCEDURE my_proc(a FLOAT, "b" VARCHAR DEFAULT 'x', c BOOLEAN DEFAULT NULL)
       RETURNS VARIANT NOT NULL LANGUAGE JAVASCRIPT COMMENT = 'it''s' EXECUTE AS CALLER AS $$ return A; $$`,
    );
    expect(def.name).toBe('MY_PROC');
    expect(def.args).toEqual([
      { name: 'A', type: 'FLOAT' },
      { name: 'b', type: 'VARCHAR', defaultSql: "'x'" },
      { name: 'C', type: 'BOOLEAN', defaultSql: 'NULL' },
    ]);
    expect(def.returns).toBe('VARIANT');
    expect(def.returnsNotNull).toBe(true);
    expect(def.executeAs).toBe('CALLER');
    expect(def.comment).toBe("it's");
    expect(def.body).toBe(' return A; ');
  });

  it('reads a single-quoted body', () => {
    expect(parseCreateProcedure("CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS 'return ''a'';'").body).toBe("return 'a';");
  });

  // https://docs.snowflake.com/en/sql-reference/sql/create-procedure ("JavaScript handler"):
  // RETURNS <result_data_type> [ NOT NULL ], no RETURNS TABLE; BINARY has no mapping here.
  it('refuses RETURNS TABLE and types the sandbox does not map, by name', () => {
    expect(() => parseCreateProcedure('CREATE PROCEDURE P() RETURNS TABLE (a INT) LANGUAGE JAVASCRIPT AS $$ return 1; $$')).toThrow(
      /RETURNS TABLE \(A INT\) for a JavaScript procedure is not implemented/,
    );
    expect(() => parseCreateProcedure('CREATE PROCEDURE P(b BINARY) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 1; $$')).toThrow(/a BINARY argument of a JavaScript procedure is not implemented/);
    expect(parseCreateProcedure('CREATE PROCEDURE P(a NUMBER(10, 2), b VARCHAR(20), c TIMESTAMP_NTZ(3), d TIME) RETURNS TIMESTAMP_LTZ(9) NOT NULL LANGUAGE JAVASCRIPT AS $$ return 1; $$').returns).toBe('TIMESTAMP_LTZ(9)');
  });

  it('refuses other languages', () => {
    expect(() => parseCreateProcedure("CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE PYTHON RUNTIME_VERSION = '3.11' HANDLER = 'x' AS $$x$$")).toThrow(
      /LANGUAGE PYTHON procedures is not implemented/,
    );
  });
});

describe('dropping', () => {
  // https://docs.snowflake.com/en/sql-reference/sql/drop-procedure : the argument types identify the overload.
  it('drops the overload named by argument types that have parameters', () => {
    s.execute('CREATE OR REPLACE PROCEDURE DROP_ME(a NUMBER(38,0), b VARCHAR) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$return "two";$$');
    s.execute('CREATE OR REPLACE PROCEDURE DROP_ME(a NUMBER(38,0)) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$return "one";$$');
    s.execute('DROP PROCEDURE DROP_ME(NUMBER(38,0), VARCHAR)');
    expect(s.execute('CALL DROP_ME(1)').rows).toEqual([['one']]);
    expect(() => s.execute("CALL DROP_ME(1, 'x')")).toThrow(/Unknown user-defined function DROP_ME/);
  });
});
