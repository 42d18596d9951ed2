/**
 * The procedure sandbox against Snowflake's JavaScript stored-procedure API
 * (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api) and
 * its execution model (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError, ManualClock } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ clock: new ManualClock('2026-04-01T08:00:00Z'), timezone: 'UTC', procedureTimeoutMs: 500 });
  s = sf.session({ name: 'caller' });
  sf.executeScript(`
    CREATE HYBRID TABLE IF NOT EXISTS ITEMS (ID NUMBER(38,0) PRIMARY KEY, NAME VARCHAR, TS TIMESTAMP_NTZ(9));
    INSERT INTO ITEMS VALUES (1, 'one', '2026-04-01 08:00:00.123456'), (9007199254740993, 'big', NULL);
  `, s);
});
afterAll(() => sf.close());

/** Creates a procedure from a JavaScript body and CALLs it; returns the single value. */
function call(body: string, opts: { args?: string; callArgs?: string; returns?: string; binds?: unknown[] } = {}): unknown {
  const name = `P_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  s.execute(`CREATE OR REPLACE PROCEDURE ${name}(${opts.args ?? ''}) RETURNS ${opts.returns ?? 'VARIANT'} LANGUAGE JAVASCRIPT AS $$${body}$$`);
  const r = s.execute(`CALL ${name}(${opts.callArgs ?? ''})`, opts.binds ?? []);
  expect(r.columns.map((c) => c.name)).toEqual([name]);
  return r.rows[0]?.[0];
}

function callError(body: string): LocalSnowflakeError {
  try {
    call(body);
  } catch (e) {
    if (e instanceof LocalSnowflakeError) return e;
    throw e;
  }
  throw new Error('expected the CALL to fail');
}

describe('the body', () => {
  it('sees its arguments as UPPERCASE names and returns with a top-level return', () => {
    expect(call('return { a: A, b: B, c: typeof C };', { args: 'a FLOAT, b VARCHAR, c BOOLEAN DEFAULT NULL', callArgs: "?, 'x'", binds: [2.5] })).toEqual({
      a: 2.5,
      b: 'x',
      c: 'object',
    });
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-semistructured#object-constants
  it('passes OBJECT and ARRAY constants and PARSE_JSON as JavaScript objects', () => {
    expect(
      call('return [C, A, V, typeof C, Array.isArray(A)];', {
        args: 'c OBJECT, a ARRAY, v VARIANT',
        callArgs: "{'x': 1, 'y': [1, 2]}, [1, 2.5], PARSE_JSON(?)",
        binds: ['{"k": [true, null]}'],
      }),
    ).toEqual([{ x: 1, y: [1, 2] }, [1, 2.5], { k: [true, null] }, 'object', true]);
  });

  it('has no require, process, timers, eval or Function from strings', () => {
    expect(
      call(`return [typeof require, typeof process, typeof setTimeout, typeof module, typeof globalThis.snowflake];`),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'object']);
    expect(callError('return eval("1 + 1");').message).toMatch(/Code generation from strings disallowed/);
  });

  it('converts the return value to the declared type', () => {
    expect(call('return 42;', { returns: 'VARCHAR' })).toBe('42');
    expect(call('return "3.5";', { returns: 'FLOAT' })).toBe(3.5);
    expect(call('return undefined;', { returns: 'VARCHAR' })).toBe(null);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-numeric : NUMBER is NUMBER(38,0); a
  // value with more decimals than the scale is rounded. Arguments and return values are of their
  // declared types.
  it('rounds NUMBER arguments and return values to their declared scale', () => {
    expect(call('return A;', { args: 'a NUMBER', callArgs: '2.7', returns: 'FLOAT' })).toBe(3);
    expect(call('return A;', { args: 'a NUMBER(10,1)', callArgs: '2.75', returns: 'FLOAT' })).toBe(2.8);
    expect(call('return 2.5;', { returns: 'NUMBER' })).toBe(3);
    expect(call('return -2.5;', { returns: 'INTEGER' })).toBe(-3);
    expect(call('return 1.236;', { returns: 'NUMBER(10,2)' })).toBe(1.24);
    expect(call('return 2.5;', { returns: 'FLOAT' })).toBe(2.5);
  });

  it('stops a body that runs past the time limit', () => {
    const e = callError('while (true) {}');
    expect([e.code, e.state]).toEqual([630, '57014']);
  });

  // A time limit that strikes while a statement runs must not leave that statement's rows to be
  // taken for the next statement's (they were, one reply late, for every later statement).
  it('gives the next statements their own results after a CALL stopped inside a statement', () => {
    const local = LocalSnowflake.open({ timezone: 'UTC', procedureTimeoutMs: 100 });
    try {
      const t = local.session();
      t.execute(`CREATE PROCEDURE SLOW() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
        var rs = snowflake.execute({ sqlText: 'SELECT COUNT(*) AS N FROM range(50000000) t(x) WHERE x % 7 = 3' }); rs.next(); return 'done';
      $$`);
      expect(() => t.execute('CALL SLOW()')).toThrow(/timeout/);
      expect(t.execute("SELECT 'first' AS A").rows).toEqual([['first']]);
      expect(t.execute('SELECT 2 AS B').rows).toEqual([[2]]);
      expect(t.execute("SELECT 'third' AS C").rows).toEqual([['third']]);
    } finally {
      local.close();
    }
  });
});

describe('snowflake.execute and ResultSet', () => {
  it('reads values by 1-based index, by name and as properties; names are UPPERCASE', () => {
    const out = call(`
      var rs = snowflake.execute({ sqlText: 'SELECT id, name AS "lower" FROM ITEMS WHERE ID = ?', binds: [1] });
      var before = rs.getRowCount();
      rs.next();
      return [rs.getColumnValue(1), rs.getColumnValue('ID'), rs.ID, rs.getColumnValue('lower'), rs.getColumnName ? rs.getColumnName(1) : null, before, rs.getColumnCount()];
    `);
    expect(out).toEqual([1, 1, 1, 'one', 'ID', 1, 2]);
  });

  it('refuses a column that does not exist and reading before next()', () => {
    expect(callError("var rs = snowflake.execute({ sqlText: 'SELECT 1 AS X' }); rs.next(); return rs.getColumnValue('x');").message).toMatch(
      /Given column name\/index does not exist: x/,
    );
    expect(callError("var rs = snowflake.execute({ sqlText: 'SELECT 1 AS X' }); return rs.getColumnValue(1);").message).toMatch(/call next\(\) first/);
  });

  it('gives numbers as doubles and exact text through getColumnValueAsString', () => {
    const out = call(`
      var rs = snowflake.execute({ sqlText: 'SELECT ID FROM ITEMS WHERE NAME = ?', binds: ['big'] });
      rs.next();
      return [typeof rs.getColumnValue(1), rs.getColumnValueAsString(1)];
    `);
    expect(out).toEqual(['number', '9007199254740993']);
  });

  it('returns timestamps as SfDate (a Date of the sandbox realm) keeping nanoseconds', () => {
    const out = call(`
      var rs = snowflake.execute({ sqlText: 'SELECT TS FROM ITEMS WHERE ID = 1' });
      rs.next();
      var t = rs.getColumnValue('TS');
      return [t instanceof Date, t.toISOString(), t.getNanoSeconds(), t.getEpochSeconds(), t.getScale(), t.getTimezone(), rs.getColumnSqlType(1), rs.getColumnType(1)];
    `);
    expect(out).toEqual([true, '2026-04-01T08:00:00.123Z', 123456000, Date.UTC(2026, 3, 1, 8) / 1000, 9, 0, 'TIMESTAMP_NTZ', 'date']);
  });

  it('binds an SfDate exactly', () => {
    const out = call(`
      var rs = snowflake.execute({ sqlText: 'SELECT TS FROM ITEMS WHERE ID = 1' });
      rs.next();
      var back = snowflake.execute({ sqlText: "SELECT TO_VARCHAR(?::TIMESTAMP_NTZ, 'YYYY-MM-DD HH24:MI:SS.FF9') AS S", binds: [rs.getColumnValue(1)] });
      back.next();
      return back.getColumnValue(1);
    `);
    expect(out).toBe('2026-04-01 08:00:00.123456000');
  });

  // Binds are limited to number, string, SfDate and null.
  it.each([
    ['true', 'boolean'],
    ['undefined', 'undefined'],
    ['{ a: 1 }', 'object'],
    ['[1]', 'array'],
    ['new Date(0)', 'date'],
  ])('rejects a %s bind', (value, kind) => {
    const e = callError(`snowflake.execute({ sqlText: 'SELECT ? AS X', binds: [${value}] });`);
    expect(e.message).toContain(`Unsupported type for binding argument 1: ${kind}`);
  });

  it('refuses an empty statement at createStatement', () => {
    expect(callError("snowflake.createStatement({ sqlText: '  ' }); return 1;").message).toMatch(/sqlText is missing or contains an empty query text/);
  });

  it('answers MERGE with its count columns and the Statement row-count getters', () => {
    s.execute('CREATE OR REPLACE TABLE COPY_ITEMS (ID NUMBER(38,0) PRIMARY KEY, NAME VARCHAR)');
    const out = call(`
      var st = snowflake.createStatement({ sqlText: 'MERGE INTO COPY_ITEMS T USING ITEMS S ON T.ID = S.ID WHEN MATCHED THEN UPDATE SET NAME = S.NAME WHEN NOT MATCHED THEN INSERT (ID, NAME) VALUES (S.ID, S.NAME)' });
      var rs = st.execute();
      rs.next();
      var first = [st.getColumnName(1), st.getColumnName(2), rs.getColumnValue('number of rows inserted'), rs.getColumnValue('number of rows updated'),
                   st.getNumRowsInserted(), st.getNumRowsUpdated(), st.getNumRowsAffected(), st.getNumRowsDeleted()];
      var del = snowflake.createStatement({ sqlText: 'DELETE FROM COPY_ITEMS WHERE ID = ?', binds: [1] });
      del.execute();
      var upd = snowflake.createStatement({ sqlText: "UPDATE COPY_ITEMS SET NAME = 'x'" });
      upd.execute();
      return first.concat([del.getNumRowsDeleted(), del.getNumRowsAffected(), upd.getNumRowsUpdated(), upd.getColumnName(2)]);
    `);
    expect(out).toEqual([
      'number of rows inserted',
      'number of rows updated',
      2,
      0,
      2,
      0,
      2,
      0,
      1,
      1,
      1,
      'number of multi-joined rows updated',
    ]);
  });

  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api#getQueryId :
  // "If no query has been executed yet by this statement, the method throws the error 'Statement is not executed yet.'"
  it('exposes query id and SQL text; getQueryId before execute() throws', () => {
    const out = call(`
      var st = snowflake.createStatement({ sqlText: 'SELECT 1 AS X' });
      var before;
      try { st.getQueryId(); before = 'no error'; } catch (e) { before = e.message; }
      var rs = st.execute();
      return [before, typeof st.getQueryId(), st.getQueryId() === rs.getQueryId(), st.getSqlText(), rs.getSqlText()];
    `) as unknown[];
    expect(out).toEqual(['Statement is not executed yet.', 'string', true, 'SELECT 1 AS X', 'SELECT 1 AS X']);
  });
});

describe('errors', () => {
  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#catching-an-error-using-try-catch
  // The page's procedure and output, verbatim (its body's first line is the empty one after $$).
  it('gives code, state, Snowflake syntax-error text and stackTraceTxt as the try/catch example prints them', () => {
    s.execute(`create or replace procedure broken()
      returns varchar not null
      language javascript
      as
      $$
      var result = "";
      try {
          snowflake.execute( {sqlText: "Invalid Command!;"} );
          result = "Succeeded";
          }
      catch (err)  {
          result =  "Failed: Code: " + err.code + "\\n  State: " + err.state;
          result += "\\n  Message: " + err.message;
          result += "\\nStack Trace:\\n" + err.stackTraceTxt; 
          }
      return result;
      $$
      ;`);
    expect(s.execute('call broken();').rows[0]?.[0]).toBe(
      'Failed: Code: 1003\n  State: 42000\n  Message: SQL compilation error:\nsyntax error line 1 at position 0 unexpected \'Invalid\'.\nStack Trace:\nSnowflake.execute, line 4 position 20',
    );
  });

  // The transactions example of the same page returns "Failed: " + err: a statement error
  // converts to its message alone (no "Error: " prefix); a thrown string converts to itself.
  it('converts a statement error to its message alone, as "Failed: " + err shows', () => {
    expect(call("try { snowflake.execute({ sqlText: 'DELETE FROM no_such_table' }); } catch (err) { return 'Failed: ' + err; }", { returns: 'VARCHAR' })).toBe(
      "Failed: SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.",
    );
    expect(call('try { throw "Age cannot be negative!"; } catch (err) { return "Error: " + err; }', { returns: 'VARCHAR' })).toBe('Error: Age cannot be negative!');
  });

  it('throws statement errors with code, state and message, catchable as Error', () => {
    const out = call(`
      try { snowflake.execute({ sqlText: 'SELECT * FROM NOT_THERE' }); return 'no error'; }
      catch (err) { return [err instanceof Error, err.code, err.state, err.message]; }
    `);
    expect(out).toEqual([true, 2003, '42S02', "SQL compilation error:\nObject 'NOT_THERE' does not exist or not authorized."]);
  });

  // The uncaught-error sentences as Snowflake prints them (100132 / P0000).
  it('fails the CALL with the thrown error, its source line and where it was thrown', () => {
    const e = callError("var x = 1;\n  throw new Error('boom: ' + x);");
    expect([e.code, e.state]).toEqual([100132, 'P0000']);
    expect(e.message).toMatch(/^JavaScript execution error: Uncaught Error: boom: 1 in P_\w+ at '  throw new Error\('boom: ' \+ x\);' position 2\nstackstrace: \nP_\w+ line: 2$/);
    expect(callError("throw 'plain text';").message).toMatch(/^JavaScript execution error: Uncaught plain text in P_\w+ at/);
  });

  it('reports an uncaught statement error as an execution error at the API call', () => {
    const e = callError("\nsnowflake.execute({ sqlText: 'SELECT * FROM NOT_THERE' });");
    expect(e.message).toMatch(/^Execution error in store procedure P_\w+:\nSQL compilation error:\nObject 'NOT_THERE' does not exist or not authorized\.\nAt Snowflake\.execute, line 2 position \d+$/);
    const viaStatement = callError("var st = snowflake.createStatement({ sqlText: 'SELECT * FROM NOT_THERE' });\nst.execute();");
    expect(viaStatement.message).toMatch(/\nAt Statement\.execute, line 2 position \d+$/);
  });

  it('logs every statement a procedure issues, one call level deeper', () => {
    sf.log.clear();
    call("snowflake.execute({ sqlText: 'SELECT 1 AS X' }); return 1;");
    const depths = sf.log.entries.map((e) => [e.callDepth, e.sql.split(' ')[0]]);
    expect(depths).toEqual([
      [0, 'CREATE'],
      [1, 'SELECT'],
      [0, 'CALL'],
    ]);
  });
});

describe('transactions in procedures', () => {
  // https://docs.snowflake.com/en/sql-reference/transactions#stored-procedures-and-transactions
  // https://docs.snowflake.com/en/sql-reference/transactions#stored-procedures-and-transactions :
  // "If a transaction is started inside a stored procedure and is still active when the stored
  // procedure finishes, an error occurs and the transaction is rolled back."
  it('rolls back a transaction the procedure began and left open, and fails the CALL', () => {
    s.execute('CREATE OR REPLACE TABLE TX (ID NUMBER)');
    const e = callError("snowflake.execute({ sqlText: 'BEGIN' }); snowflake.execute({ sqlText: 'INSERT INTO TX VALUES (1)' }); return 1;");
    expect(e.message).toMatch(/still open when it returned; it has been rolled back/);
    expect(s.inTransaction).toBe(false);
    expect(s.execute('SELECT COUNT(*) AS N FROM TX').rows).toEqual([[0]]);
  });

  it('keeps what the procedure committed', () => {
    call("snowflake.execute({ sqlText: 'BEGIN' }); snowflake.execute({ sqlText: 'INSERT INTO TX VALUES (2)' }); snowflake.execute({ sqlText: 'COMMIT' }); return 1;");
    expect(s.execute('SELECT ID FROM TX').rows).toEqual([[2]]);
  });

  it('may not end a transaction begun by its caller', () => {
    s.execute("CREATE OR REPLACE PROCEDURE ENDS_CALLERS() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ snowflake.execute({ sqlText: 'COMMIT' }); return 'ended'; $$");
    s.execute('BEGIN');
    try {
      expect(() => s.execute('CALL ENDS_CALLERS()')).toThrow('Modifying a transaction that has started at a different scope is not allowed.');
      expect(s.inTransaction).toBe(true);
    } finally {
      s.execute('ROLLBACK');
    }
  });

  it('cannot ALTER SESSION when it executes as owner', () => {
    const e = callError("snowflake.execute({ sqlText: \"ALTER SESSION SET TIMEZONE = 'UTC'\" });");
    expect(e.message).toMatch(/Unsupported statement type 'ALTER_SESSION'/);
  });
});
