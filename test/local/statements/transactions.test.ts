/**
 * Transactions (local/statements/transactions.ts), per https://docs.snowflake.com/en/sql-reference/transactions:
 * across stored procedure calls ("Stored procedures and transactions", "Scoped transactions"), a
 * failed statement rolling back alone ("Failed statements within a transaction"), explicit
 * transactions, DDL, AUTOCOMMIT, TRANSACTION_ABORT_ON_ERROR and SHOW TRANSACTIONS. Expected rows
 * are the ones those pages describe or print; each describe cites its page.
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
  // failed statement are rolled back. However, the transaction stays active until the entire
  // transaction is committed or rolled back."
  // https://docs.snowflake.com/en/sql-reference/transactions#failed-statements-within-a-transaction
  it('rolls back only what a failed CALL wrote, and the transaction goes on', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE WRITES_THEN_THROWS() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "INSERT INTO ST VALUES ('from failed call')" });
      throw new Error('boom');
    $$`);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('before')");
    expect(failure('CALL WRITES_THEN_THROWS()').message).toContain('boom');
    expect(s.inTransaction).toBe(true);
    expect(rows()).toEqual(['before']);
    s.execute("INSERT INTO ST VALUES ('after')");
    s.execute('COMMIT');
    expect(rows()).toEqual(['after', 'before']);
  });

  it('rolls back only what a CALL wrote when a statement in it fails uncaught', () => {
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY)');
    s.execute(`CREATE OR REPLACE PROCEDURE FAILS_UNCAUGHT() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (2)" });
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (1)" });
      return 'not reached';
    $$`);
    s.execute('BEGIN');
    s.execute('INSERT INTO KEYED VALUES (1)');
    expect(failure('CALL FAILS_UNCAUGHT()').code).toBe(100132);
    s.execute('INSERT INTO KEYED VALUES (3)');
    s.execute('COMMIT');
    expect(s.execute('SELECT K FROM KEYED ORDER BY K').rows).toEqual([[1], [3]]);
  });

  // The same rule inside the procedure: a statement it catches rolls back alone, the procedure's
  // other writes stay in the caller's transaction (the docs' cleanup example below catches too).
  it('keeps what a procedure wrote around a failed statement it caught', () => {
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY)');
    s.execute(`CREATE OR REPLACE PROCEDURE CATCHES() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (1)" });
      try { snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (2), (1)" }); } catch (e) { }
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (3)" });
      return 'done';
    $$`);
    s.execute('BEGIN');
    expect(s.execute('CALL CATCHES()').rows).toEqual([['done']]);
    s.execute('COMMIT');
    expect(s.execute('SELECT K FROM KEYED ORDER BY K').rows).toEqual([[1], [3]]);
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
      ['BEGIN', 'BEGIN;', 'begin work', 'BEGIN TRANSACTION NAME T1', 'START TRANSACTION', 'COMMIT', 'commit work;', 'ROLLBACK', 'SHOW TRANSACTIONS', 'show transactions in account'],
      ['SELECT 1', "SELECT 'BEGIN'", "CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ BEGIN; $$", 'CREATE TABLE BEGIN_LOG (A INT)'],
    );
  });
});

// https://docs.snowflake.com/en/sql-reference/transactions#failed-statements-within-a-transaction:
// "If a statement fails within a transaction, you can still commit, rather than roll back, the
// transaction. When a DML statement or CALL statement in a transaction fails, the changes made by
// that failed statement are rolled back. However, the transaction stays active until the entire
// transaction is committed or rolled back. If the transaction is committed, the changes by the
// successful statements are applied." DuckDB aborts the whole transaction; the runtime replays
// the statements that succeeded (statements/transactions.ts).
describe('a failed statement inside a transaction', () => {
  // The page's example: table1's transaction is committed after its failed INSERT and keeps 1
  // and 2; table2's is rolled back and keeps nothing.
  it('rolls back alone, and COMMIT applies the statements that succeeded (the page’s example)', () => {
    s.execute('CREATE OR REPLACE TABLE table1 (i int)');
    s.execute('CREATE OR REPLACE TABLE table2 (i int)');
    s.execute('BEGIN TRANSACTION');
    s.execute('INSERT INTO table1 (i) VALUES (1)');
    // Snowflake's 100038 for text that is no number.
    const e = failure("INSERT INTO table1 (i) VALUES ('This is not a valid integer.')");
    expect([e.code, e.message]).toEqual([100038, "Numeric value 'This is not a valid integer.' is not recognized"]);
    s.execute('INSERT INTO table1 (i) VALUES (2)');
    s.execute('COMMIT');
    s.execute('BEGIN TRANSACTION');
    s.execute('INSERT INTO table2 (i) VALUES (1)');
    failure("INSERT INTO table2 (i) VALUES ('This is not a valid integer.')");
    s.execute('INSERT INTO table2 (i) VALUES (2)');
    s.execute('ROLLBACK');
    expect(s.execute('SELECT i FROM table1 ORDER BY i').rows).toEqual([[1], [2]]);
    expect(s.execute('SELECT i FROM table2 ORDER BY i').rows).toEqual([]);
  });

  it('loses all of its own rows and none of the earlier ones (a multi-row INSERT, an UPDATE)', () => {
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY, V VARCHAR)');
    s.execute('BEGIN');
    s.execute("INSERT INTO KEYED VALUES (1, '10'), (2, 'x')");
    s.execute("UPDATE KEYED SET V = '11' WHERE K = 1");
    // The second row of this INSERT is a duplicate: neither row stays.
    expect(failure("INSERT INTO KEYED VALUES (3, '30'), (1, 'dup')").code).toBe(200001);
    // Converting 'x' fails after '11' converted: the whole UPDATE rolls back.
    failure('UPDATE KEYED SET V = CAST(CAST(V AS NUMBER) + 1 AS VARCHAR)');
    expect(s.execute('SELECT K, V FROM KEYED ORDER BY K').rows).toEqual([
      [1, '11'],
      [2, 'x'],
    ]);
    s.execute('COMMIT');
    expect(s.execute('SELECT K, V FROM KEYED ORDER BY K').rows).toEqual([
      [1, '11'],
      [2, 'x'],
    ]);
  });

  it('keeps what MERGE, TRUNCATE and DELETE did before each failure', () => {
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY, V VARCHAR)');
    s.execute('CREATE OR REPLACE TABLE FEED (K NUMBER, V VARCHAR)');
    s.execute("INSERT INTO FEED VALUES (1, 'a'), (2, 'b')");
    s.execute('BEGIN');
    const merged = s.execute('MERGE INTO KEYED USING FEED ON KEYED.K = FEED.K WHEN MATCHED THEN UPDATE SET V = FEED.V WHEN NOT MATCHED THEN INSERT (K, V) VALUES (FEED.K, FEED.V)');
    expect(merged.rows).toEqual([[2, 0]]);
    failure("INSERT INTO KEYED VALUES (1, 'duplicate')");
    s.execute('TRUNCATE TABLE FEED');
    failure("INSERT INTO KEYED VALUES (1, 'duplicate')");
    s.execute('DELETE FROM KEYED WHERE K = 2');
    failure("INSERT INTO KEYED VALUES (1, 'duplicate')");
    s.execute('COMMIT');
    expect(s.execute('SELECT K, V FROM KEYED ORDER BY K').rows).toEqual([[1, 'a']]);
    expect(s.execute('SELECT COUNT(*) FROM FEED').rows).toEqual([[0]]);
  });

  it('keeps the values the earlier statements wrote, SYSDATE() included', () => {
    s.execute('CREATE OR REPLACE TABLE STAMPED (TS TIMESTAMP_NTZ)');
    s.execute('BEGIN');
    s.execute('INSERT INTO STAMPED SELECT SYSDATE()');
    const written = s.execute('SELECT TS FROM STAMPED').rows;
    failure("INSERT INTO STAMPED SELECT CAST('not a time' AS TIMESTAMP_NTZ)");
    expect(s.execute('SELECT TS FROM STAMPED').rows).toEqual(written);
    s.execute('COMMIT');
    expect(s.execute('SELECT TS FROM STAMPED').rows).toEqual(written);
  });

  it('leaves the transaction as it was after an error found before running (no such table)', () => {
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('kept')");
    expect(failure('SELECT * FROM NO_SUCH_TABLE').code).toBe(2003);
    s.execute('COMMIT');
    expect(rows()).toEqual(['kept']);
  });

  it('rolls back alone inside a procedure’s scoped transaction, leaving the enclosing one untouched', () => {
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY)');
    s.execute(`CREATE OR REPLACE PROCEDURE SCOPED_FAILURE() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "BEGIN" });
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (1)" });
      try { snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (1)" }); } catch (e) { }
      snowflake.execute({ sqlText: "INSERT INTO KEYED VALUES (2)" });
      snowflake.execute({ sqlText: "COMMIT" });
      return 'done';
    $$`);
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('outer')");
    expect(s.execute('CALL SCOPED_FAILURE()').rows).toEqual([['done']]);
    s.execute('ROLLBACK');
    expect(s.execute('SELECT K FROM KEYED ORDER BY K').rows).toEqual([[1], [2]]);
    expect(rows()).toEqual([]);
  });

  it('goes on after another session’s commit when nothing before the failure wrote (nothing to replay)', () => {
    const other = sf.session({ name: 'other' });
    s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY)');
    s.execute('BEGIN');
    s.execute('SELECT COUNT(*) FROM ST');
    other.execute("INSERT INTO ST VALUES ('theirs')");
    failure('INSERT INTO KEYED VALUES (1), (1)');
    s.execute("INSERT INTO ST VALUES ('mine')");
    s.execute('COMMIT');
    other.close();
    expect(rows()).toEqual(['mine', 'theirs']);
  });

  // Where the statements that succeeded cannot be replayed exactly, the runtime refuses to go on
  // (the rule: fail loudly rather than give a different answer), and COMMIT rolls back.
  describe('where the runtime cannot undo it alone', () => {
    const abortedAfter = (setup: () => void, reason: RegExp): void => {
      s.execute('CREATE OR REPLACE TABLE KEYED (K NUMBER PRIMARY KEY)');
      s.execute('BEGIN');
      setup();
      failure('INSERT INTO KEYED VALUES (1), (1)');
      const next = failure("INSERT INTO ST VALUES ('next')");
      expect([next.code, next.state]).toEqual([9999, '25P02']);
      expect(next.message).toMatch(/is not implemented in the local Snowflake runtime/);
      expect(next.message).toMatch(reason);
      expect(failure('COMMIT').message).toMatch(/rolled back, not committed/);
      expect(s.inTransaction).toBe(false);
    };

    it('refuses after a write that took a sequence value (AUTOINCREMENT), which a replay would not take again', () => {
      s.execute('CREATE OR REPLACE TABLE AUTO_IDS (ID NUMBER AUTOINCREMENT, V VARCHAR)');
      abortedAfter(() => s.execute("INSERT INTO AUTO_IDS (V) VALUES ('a')"), /table AUTO_IDS/);
      expect(s.execute('SELECT COUNT(*) FROM AUTO_IDS').rows).toEqual([[0]]);
    });

    it('refuses after a write of a random value', () => {
      s.execute('CREATE OR REPLACE TABLE RANDOMS (R FLOAT)');
      abortedAfter(() => s.execute('INSERT INTO RANDOMS SELECT RANDOM()'), /RANDOM\(\)/);
      expect(s.execute('SELECT COUNT(*) FROM RANDOMS').rows).toEqual([[0]]);
    });

    it('refuses once a procedure’s scoped transaction has committed since the transaction began', () => {
      proc('COMMITS_SCOPED', ['BEGIN', "INSERT INTO ST VALUES ('scoped')", 'COMMIT']);
      abortedAfter(() => {
        s.execute("INSERT INTO ST VALUES ('mine')");
        s.execute('CALL COMMITS_SCOPED()');
      }, /another transaction has committed/);
      expect(rows()).toEqual(['scoped']);
    });

    it('refuses once another session has committed since the transaction began', () => {
      const other = sf.session({ name: 'other' });
      abortedAfter(() => {
        s.execute("INSERT INTO ST VALUES ('mine')");
        other.execute("INSERT INTO ST VALUES ('theirs')");
      }, /another transaction has committed/);
      other.close();
      expect(rows()).toEqual(['theirs']);
    });
  });
});

// https://docs.snowflake.com/en/sql-reference/transactions#explicit-transactions: "if a
// transaction is already active, then any BEGIN TRANSACTION statements are ignored"; COMMIT and
// ROLLBACK with no transaction open do nothing (the page does not say; they succeed, as the
// BEGIN-less cleanup example's ROLLBACK WORK does).
describe('explicit transactions', () => {
  it('ignores a BEGIN inside an open transaction: one ROLLBACK undoes both inserts', () => {
    s.execute('BEGIN TRANSACTION');
    s.execute("INSERT INTO ST VALUES ('a')");
    s.execute('BEGIN TRANSACTION');
    s.execute("INSERT INTO ST VALUES ('b')");
    s.execute('ROLLBACK');
    expect(s.inTransaction).toBe(false);
    expect(rows()).toEqual([]);
  });

  it('takes COMMIT and ROLLBACK with no open transaction', () => {
    expect(s.execute('COMMIT').rows).toEqual([['Statement executed successfully.']]);
    expect(s.execute('ROLLBACK').rows).toEqual([['Statement executed successfully.']]);
  });

  // https://docs.snowflake.com/en/sql-reference/transactions#ddl: "If a DDL statement is executed
  // while a transaction is active, the DDL statement: implicitly commits the active transaction;
  // executes the DDL statement as a separate transaction."
  it('commits the open transaction at DDL; a later ROLLBACK undoes nothing of it', () => {
    s.execute('BEGIN');
    s.execute("INSERT INTO ST VALUES ('before ddl')");
    s.execute('CREATE OR REPLACE TABLE DDL_INSIDE (X NUMBER)');
    expect(s.inTransaction).toBe(false);
    s.execute("INSERT INTO ST VALUES ('after ddl')");
    s.execute('ROLLBACK');
    expect(rows()).toEqual(['after ddl', 'before ddl']);
  });

  // "If a session with an open transaction is closed, then the open transaction is rolled back."
  // (https://docs.snowflake.com/en/sql-reference/transactions.html, "Scope of a Snowflake Transaction")
  it('rolls back a transaction left open when its session closes', () => {
    const other = sf.session({ name: 'closing' });
    other.execute('BEGIN');
    other.execute("INSERT INTO ST VALUES ('never committed')");
    other.close();
    expect(rows()).toEqual([]);
  });
});

// https://docs.snowflake.com/en/sql-reference/transactions#autocommit: "While AUTOCOMMIT is
// disabled: An implicit BEGIN TRANSACTION is executed at the first DML statement or query
// statement after a transaction ends … An implicit COMMIT is executed at … the execution of a DDL
// statement [and] the execution of an ALTER SESSION SET AUTOCOMMIT statement, regardless of
// whether the new value is TRUE or FALSE … An implicit ROLLBACK is executed at the end of a
// session." ("query statement" is SELECT and CALL, per the page's terminology.) An earlier
// version of the page (the one whose text could be re-checked here) said the same of DML: "After AUTOCOMMIT has been turned off, the next DML
// statement (if any) implicitly starts a transaction … if the AUTOCOMMIT state changed (from false
// to true or vice versa), the currently executing transaction will COMMIT."
describe('AUTOCOMMIT = FALSE', () => {
  it('opens a transaction at the first DML statement, which ROLLBACK undoes and COMMIT keeps', () => {
    const a = sf.session({ name: 'manual' });
    a.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    expect(a.inTransaction).toBe(false);
    a.execute("INSERT INTO ST VALUES ('rolled back')");
    expect(a.inTransaction).toBe(true);
    a.execute('ROLLBACK');
    expect(a.inTransaction).toBe(false);
    a.execute("INSERT INTO ST VALUES ('committed')");
    // Another session does not see it before COMMIT.
    expect(rows()).toEqual([]);
    a.execute('COMMIT');
    expect(rows()).toEqual(['committed']);
    a.close();
  });

  it('opens one at a query too, and commits it at DDL and at ALTER SESSION SET AUTOCOMMIT', () => {
    const a = sf.session({ name: 'manual' });
    a.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    a.execute('SELECT 1');
    expect(a.inTransaction).toBe(true);
    a.execute("INSERT INTO ST VALUES ('at ddl')");
    a.execute('CREATE OR REPLACE TABLE DDL_COMMITS (X NUMBER)');
    expect(a.inTransaction).toBe(false);
    expect(rows()).toEqual(['at ddl']);
    a.execute("INSERT INTO ST VALUES ('at alter session')");
    // Setting the value it already has commits too.
    a.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    expect(a.inTransaction).toBe(false);
    expect(rows()).toEqual(['at alter session', 'at ddl']);
    a.execute("INSERT INTO ST VALUES ('at end of session')");
    a.close();
    expect(rows()).toEqual(['at alter session', 'at ddl']);
  });

  it('goes back to one transaction per statement with AUTOCOMMIT = TRUE', () => {
    const a = sf.session({ name: 'manual' });
    a.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    a.execute("INSERT INTO ST VALUES ('a')");
    a.execute('ALTER SESSION SET AUTOCOMMIT = TRUE');
    a.execute("INSERT INTO ST VALUES ('b')");
    expect(a.inTransaction).toBe(false);
    expect(rows()).toEqual(['a', 'b']);
    a.close();
  });

  // The page's terminology makes CALL a query statement, so a CALL opens the transaction and
  // the procedure runs inside it: its own BEGIN … COMMIT is a scoped transaction, and a COMMIT
  // without BEGIN would end the caller's ("different scope"). The docs show no example of this
  // combination; this is what the rules above give.
  it('opens the transaction at a CALL; the procedure’s BEGIN … COMMIT is scoped inside it', () => {
    proc('OWN_TRANSACTION', ['BEGIN', "INSERT INTO ST VALUES ('scoped')", 'COMMIT']);
    const a = sf.session({ name: 'manual' });
    a.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    a.execute('CALL OWN_TRANSACTION()');
    expect(a.inTransaction).toBe(true);
    a.execute("INSERT INTO ST VALUES ('caller')");
    a.execute('ROLLBACK');
    expect(rows()).toEqual(['scoped']);
    a.close();
  });

  // "Do not change AUTOCOMMIT settings inside a stored procedure. You will get an error message."
  // (An owner's-rights procedure cannot ALTER SESSION at all; this one runs with caller's rights.)
  it('cannot be changed inside a stored procedure', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE SETS_AUTOCOMMIT() RETURNS VARCHAR LANGUAGE JAVASCRIPT EXECUTE AS CALLER AS $$
      snowflake.execute({ sqlText: 'ALTER SESSION SET AUTOCOMMIT = FALSE' });
      return 'done';
    $$`);
    expect(failure('CALL SETS_AUTOCOMMIT()').message).toMatch(/AUTOCOMMIT cannot be changed inside a stored procedure/);
  });
});

// https://docs.snowflake.com/en/sql-reference/parameters, TRANSACTION_ABORT_ON_ERROR: "Specifies
// the action to perform when a statement issued within a non-autocommit transaction returns with
// an error. TRUE: The non-autocommit transaction is aborted. All statements issued inside that
// transaction will fail until a commit or rollback statement is executed to close that
// transaction. FALSE (default): The non-autocommit transaction is not aborted." What a COMMIT of
// the aborted transaction answers is not documented: it rolls back and says so. (The stored copy
// of the parameters page searchable here shows only its start; the quote is from the page itself.)
describe('TRANSACTION_ABORT_ON_ERROR = TRUE', () => {
  it('aborts the transaction at a failed statement: later statements fail until COMMIT or ROLLBACK', () => {
    const a = sf.session({ name: 'aborting' });
    a.execute('ALTER SESSION SET TRANSACTION_ABORT_ON_ERROR = TRUE');
    a.execute('BEGIN');
    a.execute("INSERT INTO ST VALUES ('lost')");
    failureOf(a, 'SELECT * FROM NO_SUCH_TABLE');
    expect(failureOf(a, "INSERT INTO ST VALUES ('refused')").message).toMatch(/TRANSACTION_ABORT_ON_ERROR is TRUE/);
    a.execute('ROLLBACK');
    a.execute('BEGIN');
    a.execute("INSERT INTO ST VALUES ('lost too')");
    failureOf(a, "INSERT INTO ST VALUES ('x', 'too many values')");
    expect(failureOf(a, 'COMMIT').message).toMatch(/rolled back, not committed/);
    expect(a.inTransaction).toBe(false);
    // Outside a transaction a failed statement leaves the next one alone.
    failureOf(a, 'SELECT * FROM NO_SUCH_TABLE');
    a.execute("INSERT INTO ST VALUES ('autocommitted')");
    a.execute('ALTER SESSION UNSET TRANSACTION_ABORT_ON_ERROR');
    a.close();
    expect(rows()).toEqual(['autocommitted']);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/show-transactions: "List all running
// transactions", with the columns id ("Transaction ID (a signed 64-bit integer)"), user, session,
// name ("User-defined name or system-generated name (UUID) for the transaction"), started_on,
// state ("running") and scope ("ID of the operation that created a stored procedure in a scoped
// transaction. 0 for non-scoped transactions").
describe('SHOW TRANSACTIONS', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('lists the running transactions of every session with the page’s columns, and none once they end', () => {
    const other = sf.session({ name: 'other' });
    s.execute('BEGIN NAME T1');
    other.execute('BEGIN');
    const r = s.execute('SHOW TRANSACTIONS');
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'NUMBER'],
      ['user', 'TEXT'],
      ['session', 'NUMBER'],
      ['name', 'TEXT'],
      ['started_on', 'TIMESTAMP_LTZ'],
      ['state', 'TEXT'],
      ['scope', 'NUMBER'],
    ]);
    expect(r.rows).toHaveLength(2);
    const mine = r.rows.findIndex((row) => row[3] === 'T1');
    expect(r.text(mine, 0)).toBe(String(s.execute('SELECT CURRENT_TRANSACTION()').rows[0]?.[0]));
    expect(r.rows[mine]?.slice(5)).toEqual(['running', 0]);
    expect(String(r.rows[1 - mine]?.[3])).toMatch(UUID);
    s.execute('COMMIT');
    other.execute('ROLLBACK');
    other.close();
    expect(s.execute('SHOW TRANSACTIONS').rows).toEqual([]);
  });

  it('gives the transaction a procedure begins a scope of its own', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE SHOWS_SCOPES() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: 'BEGIN' });
      var rs = snowflake.execute({ sqlText: 'SHOW TRANSACTIONS' });
      var scopes = [];
      while (rs.next()) scopes.push(rs.getColumnValue('scope'));
      snowflake.execute({ sqlText: 'COMMIT' });
      return scopes.sort().join(',');
    $$`);
    s.execute('BEGIN');
    const scopes = String(s.execute('CALL SHOWS_SCOPES()').rows[0]?.[0]).split(',');
    s.execute('ROLLBACK');
    expect(scopes).toHaveLength(2);
    expect(scopes[0]).toBe('0');
    expect(Number(scopes[1])).toBeGreaterThan(0);
  });
});
