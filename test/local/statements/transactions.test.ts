/**
 * Transactions across stored procedure calls, per
 * https://docs.snowflake.com/en/sql-reference/transactions#stored-procedures-and-transactions
 * and its "Scoped transactions" section (expected rows are the ones that page describes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError } from '../../../local/index.js';
import type { LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';
import { transactions } from '../../../local/statements/transactions.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session({ name: 'client' });
});
afterAll(() => sf.close());
beforeEach(() => {
  s.execute('CREATE OR REPLACE TABLE ST (V VARCHAR)');
});

function proc(name: string, statements: string[]): void {
  const body = statements.map((q) => `snowflake.execute({ sqlText: ${JSON.stringify(q)} });`).join('\n');
  s.execute(`CREATE OR REPLACE PROCEDURE ${name}() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$\n${body}\nreturn 'done';\n$$`);
}
const rows = (): string[] => s.execute('SELECT V FROM ST ORDER BY V').rows.map((r) => String(r[0]));
const failure = (sql: string): LocalSnowflakeError => failureOf(s, sql);

describe('scoped transactions', () => {
  // The page's p1()/p2() example: "The transaction that is outside any stored procedure contains
  // statements A and E. The transaction in p1() contains B and D. The transaction in p2() contains
  // C." "An enclosing ROLLBACK or COMMIT does not undo an enclosed COMMIT or ROLLBACK."
  it('keeps each procedure’s BEGIN … COMMIT separate from the enclosing transaction', () => {
    proc('P2', ['BEGIN TRANSACTION', "INSERT INTO ST VALUES ('C')", 'COMMIT']);
    proc('P1', ['BEGIN TRANSACTION', "INSERT INTO ST VALUES ('B')", 'CALL P2()', "INSERT INTO ST VALUES ('D')", 'COMMIT']);
    s.execute('BEGIN TRANSACTION');
    s.execute("INSERT INTO ST VALUES ('A')");
    s.execute('CALL P1()');
    s.execute("INSERT INTO ST VALUES ('E')");
    expect(s.inTransaction).toBe(true);
    s.execute('ROLLBACK');
    expect(rows()).toEqual(['B', 'C', 'D']);
  });

  it('lets an enclosed procedure roll back its own transaction without touching the enclosing one', () => {
    proc('UNDO_OWN', ['BEGIN', "INSERT INTO ST VALUES ('inner')", 'ROLLBACK', "INSERT INTO ST VALUES ('after inner')"]);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('outer')");
    expect(s.execute('CALL UNDO_OWN()').rows).toEqual([['done']]);
    s.execute('COMMIT');
    // The statement after the enclosed ROLLBACK belongs to the enclosing transaction again.
    expect(rows()).toEqual(['after inner', 'outer']);
  });

  // "Modifying a transaction that has started at a different scope is not allowed."
  it('refuses COMMIT, ROLLBACK or DDL of a transaction begun in another scope', () => {
    proc('ENDS_CALLERS', ['COMMIT']);
    proc('DDL_INSIDE', ['CREATE OR REPLACE TABLE ST2 (X NUMBER)']);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('kept')");
    expect(failure('CALL ENDS_CALLERS()').message).toContain('Modifying a transaction that has started at a different scope is not allowed.');
    expect(failure('CALL DDL_INSIDE()').message).toContain('Modifying a transaction that has started at a different scope is not allowed.');
    s.execute('COMMIT');
    expect(rows()).toEqual(['kept']);
  });

  // The page's outer_sp1()/inner_sp2() example: "the only value that is inserted is osp1_alpha".
  it('fails an improperly paired BEGIN and rolls back both scopes', () => {
    proc('INNER_SP2', ['BEGIN WORK;', "INSERT INTO ST VALUES ('isp2')"]);
    proc('OUTER_SP1', [
      "INSERT INTO ST VALUES ('osp1_alpha')",
      'BEGIN WORK;',
      "INSERT INTO ST VALUES ('osp1_beta')",
      'CALL INNER_SP2()',
      "INSERT INTO ST VALUES ('osp1_delta')",
      'COMMIT WORK;',
      "INSERT INTO ST VALUES ('osp1_omega')",
    ]);
    const e = failure('CALL OUTER_SP1()');
    expect([e.code, e.state]).toEqual([100132, 'P0000']);
    expect(rows()).toEqual(['osp1_alpha']);
    expect(s.inTransaction).toBe(false);
  });

  // "When a DML statement or CALL statement in a transaction fails, the changes made by that
  // failed statement are rolled back." DuckDB has no savepoints to undo only the CALL's writes,
  // so the local runtime refuses to commit the transaction instead of committing them.
  it('never commits the writes of a failed CALL', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE WRITES_THEN_THROWS() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "INSERT INTO ST VALUES ('from failed call')" });
      throw new Error('boom');
    $$`);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('before')");
    expect(failure('CALL WRITES_THEN_THROWS()').message).toContain('boom');
    const commit = failure('COMMIT');
    expect(commit.message).toMatch(/rolled back, not committed/);
    expect(rows()).not.toContain('from failed call');
    expect(s.inTransaction).toBe(false);
  });

  it('leaves the enclosing transaction alone when a failed CALL wrote nothing in it', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE READS_THEN_THROWS() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: 'SELECT COUNT(*) FROM ST' });
      throw new Error('boom');
    $$`);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('before')");
    failure('CALL READS_THEN_THROWS()');
    s.execute('COMMIT');
    expect(rows()).toEqual(['before']);
  });
});

describe('BEGIN and COMMIT with a trailing semicolon', () => {
  // The "Using transactions in stored procedures" example of
  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
  // (BEGIN WORK; … ROLLBACK WORK; with semicolons): a failure rolls back both deletes.
  it('are the same statements, tracked by the runtime (the page’s cleanup example)', () => {
    s.execute('CREATE OR REPLACE TABLE PARENT (ID NUMBER)');
    s.execute('CREATE OR REPLACE TABLE CHILD (ID NUMBER)');
    s.execute('INSERT INTO PARENT VALUES (1)');
    s.execute('INSERT INTO CHILD VALUES (1)');
    s.execute(`CREATE OR REPLACE PROCEDURE cleanup(force_failure VARCHAR)
  RETURNS VARCHAR NOT NULL
  LANGUAGE JAVASCRIPT
  AS
  $$
  var result = "";
  snowflake.execute( {sqlText: "BEGIN WORK;"} );
  try {
      snowflake.execute( {sqlText: "DELETE FROM child;"} );
      snowflake.execute( {sqlText: "DELETE FROM parent;"} );
      if (FORCE_FAILURE === "fail")  {
          // To see what happens if there is a failure/rollback,
          snowflake.execute( {sqlText: "DELETE FROM no_such_table;"} );
          }
      snowflake.execute( {sqlText: "COMMIT WORK;"} );
      result = "Succeeded";
      }
  catch (err)  {
      snowflake.execute( {sqlText: "ROLLBACK WORK;"} );
      return "Failed: " + err;   // Return a success/error indicator.
      }
  return result;
  $$
  ;`);
    expect(s.execute("CALL cleanup('fail');").rows[0]?.[0]).toBe("Failed: SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.");
    expect(s.execute('SELECT (SELECT COUNT(*) FROM PARENT), (SELECT COUNT(*) FROM CHILD)').rows[0]).toEqual([1, 1]);
    expect(s.execute("CALL cleanup('do not fail');").rows[0]?.[0]).toBe('Succeeded');
    expect(s.execute('SELECT (SELECT COUNT(*) FROM PARENT), (SELECT COUNT(*) FROM CHILD)').rows[0]).toEqual([0, 0]);
  });

  it('opens a tracked transaction from a client too', () => {
    s.execute('BEGIN;');
    expect(s.inTransaction).toBe(true);
    s.execute("INSERT INTO ST VALUES ('x')");
    s.execute('ROLLBACK;');
    expect(s.inTransaction).toBe(false);
    expect(rows()).toEqual([]);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/begin, /commit, /rollback
describe('recognition', () => {
  it('takes BEGIN [TRANSACTION|WORK], START TRANSACTION, COMMIT and ROLLBACK, with a trailing semicolon too, and leaves other statements', () => {
    expectRecognition(
      transactions,
      ['BEGIN', 'BEGIN;', 'begin work', 'BEGIN TRANSACTION NAME T1', 'START TRANSACTION', 'COMMIT', 'commit work;', 'ROLLBACK'],
      ['SELECT 1', "SELECT 'BEGIN'", "CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ BEGIN; $$", 'CREATE TABLE BEGIN_LOG (A INT)'],
    );
  });
});
