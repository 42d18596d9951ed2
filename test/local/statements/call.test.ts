/**
 * CALL and anonymous procedures (local/statements/call.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/call, https://docs.snowflake.com/en/sql-reference/sql/call-with
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { call as callKind } from '../../../local/statements/call.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session({ name: 'caller' });
});
afterAll(() => sf.close());

/** Creates a procedure from a JavaScript body and CALLs it; returns the single value. */
function call(body: string, opts: { args?: string; callArgs?: string; returns?: string } = {}): unknown {
  const name = `P_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  s.execute(`CREATE OR REPLACE PROCEDURE ${name}(${opts.args ?? ''}) RETURNS ${opts.returns ?? 'VARIANT'} LANGUAGE JAVASCRIPT AS $$${body}$$`);
  const r = s.execute(`CALL ${name}(${opts.callArgs ?? ''})`);
  expect(r.columns.map((c) => c.name)).toEqual([name]);
  return r.rows[0]?.[0];
}

describe('recognition', () => {
  it('takes CALL, CALL SYSTEM$… and WITH … AS PROCEDURE … CALL, and leaves other WITH statements and CREATE PROCEDURE', () => {
    expectRecognition(
      callKind,
      ['CALL P(1)', 'call my_proc()', "CALL SYSTEM$SEND_EMAIL('i', 'a@b.c', 's', 'b')", "WITH P AS PROCEDURE () RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 'x'; $$ CALL P()"],
      ['WITH X AS (SELECT 1) SELECT * FROM X', "SELECT 'CALL P()'", 'SELECT 1'],
    );
  });
});

describe('calling', () => {
  it('takes named arguments and fills defaults', () => {
    expect(call('return [N, M];', { args: "n FLOAT DEFAULT 7, m VARCHAR DEFAULT 'd'", callArgs: "m => 'given'" })).toEqual([7, 'given']);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/create-procedure : with RETURNS NULL ON NULL
  // INPUT (or its synonym STRICT) the procedure is not called when any input is NULL; the CALL
  // returns NULL. CALLED ON NULL INPUT (the default) runs it.
  it.each(['STRICT', 'RETURNS NULL ON NULL INPUT'])('does not run a %s body on a NULL argument and returns NULL', (option) => {
    s.execute('CREATE OR REPLACE TABLE STRICT_RUNS (N NUMBER)');
    s.execute(
      `CREATE OR REPLACE PROCEDURE STRICT_P(a FLOAT, b VARCHAR) RETURNS VARCHAR LANGUAGE JAVASCRIPT ${option} AS $$` +
        `snowflake.execute({ sqlText: 'INSERT INTO STRICT_RUNS VALUES (1)' }); return 'ran ' + A + ' ' + B;$$`,
    );
    expect(s.execute("CALL STRICT_P(NULL, 'x')").rows).toEqual([[null]]);
    expect(s.execute('CALL STRICT_P(1, ?)', [null]).rows).toEqual([[null]]);
    expect(s.execute('SELECT COUNT(*) FROM STRICT_RUNS').rows).toEqual([[0]]);
    expect(s.execute("CALL STRICT_P(1, 'x')").rows).toEqual([['ran 1 x']]);
    expect(s.execute('SELECT COUNT(*) FROM STRICT_RUNS').rows).toEqual([[1]]);
  });

  it('runs a CALLED ON NULL INPUT body on a NULL argument', () => {
    expect(call('return A === null ? "saw null" : "no";', { args: 'a VARCHAR', callArgs: 'NULL', returns: 'VARCHAR CALLED ON NULL INPUT' })).toBe('saw null');
  });

  // https://docs.snowflake.com/en/sql-reference/sql/call-with : an anonymous procedure is
  // defined for the one CALL that follows it.
  it('runs an anonymous procedure (WITH … AS PROCEDURE … CALL)', () => {
    const r = s.execute('WITH double_it AS PROCEDURE (a FLOAT) RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$ return A * 2; $$ CALL double_it(21)');
    expect(r.columns[0]?.name).toBe('DOUBLE_IT');
    expect(r.rows).toEqual([[42]]);
    expect(sf.procedureNames()).not.toContain('DOUBLE_IT');
  });
});
