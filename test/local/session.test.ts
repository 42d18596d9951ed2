/**
 * Sessions on the local runtime: SQL compatibility, result shapes, errors and transactions,
 * each pinned to what Snowflake documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError, ManualClock, SfDate } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;
const clock = new ManualClock('2026-03-01T12:00:00Z');

beforeAll(() => {
  sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
  s = sf.session({ name: 'main' });
  sf.executeScript(`
    CREATE HYBRID TABLE IF NOT EXISTS SRC (
      ID NUMBER(38,0) NOT NULL, NAME VARCHAR(255) NOT NULL, TS TIMESTAMP_NTZ(9),
      LAST_UPDATE_DATE TIMESTAMP_NTZ(9) NOT NULL DEFAULT SYSDATE(),
      PRIMARY KEY (ID),
      INDEX IDX_SRC_LUD (LAST_UPDATE_DATE)
    );
    CREATE HYBRID TABLE IF NOT EXISTS TGT (ID NUMBER(38,0) NOT NULL PRIMARY KEY, NAME VARCHAR(255), LAST_UPDATE_DATE TIMESTAMP_NTZ(9));
    CREATE HYBRID TABLE IF NOT EXISTS LOGT (LOG_ID NUMBER(38,0) AUTOINCREMENT START 1 INCREMENT 1 PRIMARY KEY, NOTE VARCHAR);
  `, s);
});
afterAll(() => sf.close());

describe('results', () => {
  // https://docs.snowflake.com/en/sql-reference/sql/insert, /update, /delete, /merge (Output)
  it('answers DML with Snowflake’s count columns', () => {
    const ins = s.execute("INSERT INTO SRC (ID, NAME) VALUES (?, ?), (2, 'b')", [1, 'a']);
    expect(ins.columns.map((c) => c.name)).toEqual(['number of rows inserted']);
    expect(ins.rows).toEqual([[2]]);
    expect(ins.rowsInserted).toBe(2);
    const upd = s.execute("UPDATE SRC SET NAME = 'c' WHERE ID = 99");
    expect(upd.columns.map((c) => c.name)).toEqual(['number of rows updated', 'number of multi-joined rows updated']);
    expect(upd.rows).toEqual([[0, 0]]);
    const merge = s.execute(
      `MERGE INTO "TGT" AS T USING (SELECT "ID", "NAME", "LAST_UPDATE_DATE" FROM "SRC") AS S ON T."ID" = S."ID"
       WHEN MATCHED AND (T."NAME" IS DISTINCT FROM S."NAME") THEN UPDATE SET "NAME" = S."NAME"
       WHEN NOT MATCHED THEN INSERT ("ID", "NAME", "LAST_UPDATE_DATE") VALUES (S."ID", S."NAME", S."LAST_UPDATE_DATE")`,
    );
    expect(merge.columns.map((c) => c.name)).toEqual(['number of rows inserted', 'number of rows updated']);
    expect(merge.rows).toEqual([[2, 0]]);
    s.execute("UPDATE SRC SET NAME = 'a2' WHERE ID = 1");
    const again = s.execute(
      `MERGE INTO TGT T USING SRC S ON T.ID = S.ID WHEN MATCHED AND T.NAME IS DISTINCT FROM S.NAME THEN UPDATE SET NAME = S.NAME
       WHEN NOT MATCHED THEN INSERT (ID, NAME) VALUES (S.ID, S.NAME)`,
    );
    expect([again.rowsInserted, again.rowsUpdated]).toEqual([0, 1]);
    const del = s.execute('DELETE FROM TGT WHERE ID = ?', [2]);
    expect(del.columns.map((c) => c.name)).toEqual(['number of rows deleted']);
    expect(del.rowsDeleted).toBe(1);
  });

});

describe('functions and time', () => {
  // TIMESTAMP_NTZ(9) holds nanoseconds in Snowflake; the local engine holds microseconds, so a
  // 'YYYY-MM-DD HH24:MI:SS.FF9' string round-trips exactly when its last three digits are 0.
  it('round-trips FF9 watermarks at microsecond precision', () => {
    const r = s.execute(
      "SELECT TO_VARCHAR(TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), 'YYYY-MM-DD HH24:MI:SS.FF9') AS A, TO_VARCHAR(TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), 'YYYY-MM-DD HH24:MI:SS.FF9') AS B",
      ['2026-03-01 12:00:00.123456000', '0001-01-01 00:00:00.000000000'],
    );
    expect(r.rows[0]).toEqual(['2026-03-01 12:00:00.123456000', '0001-01-01 00:00:00.000000000']);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-datetime : TIMESTAMP_NTZ(9) keeps
  // nanoseconds; the local engine keeps microseconds, so a value with non-zero digits below the
  // microsecond fails as not implemented instead of losing them.
  it('refuses timestamps with non-zero digits below the microsecond, as literals and as binds', () => {
    for (const [sql, binds] of [
      ["SELECT TO_TIMESTAMP_NTZ('2026-03-01 12:00:00.123456789') AS T", []],
      ["SELECT '2026-03-01 12:00:00.123456789'::TIMESTAMP_LTZ AS T", []],
      ["SELECT TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9') AS T", ['2026-03-01 12:00:00.123456789']],
    ] as Array<[string, unknown[]]>) {
      let error: unknown;
      try {
        s.execute(sql, binds);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LocalSnowflakeError);
      expect((error as LocalSnowflakeError).code).toBe(9999);
      expect((error as LocalSnowflakeError).message).toMatch(/below the microsecond.*not implemented|not implemented/s);
    }
  });

  // https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
  it('formats with quoted literal text and adjacent elements', () => {
    const r = s.execute(
      "SELECT TO_CHAR('2024-01-12 10:11:12'::TIMESTAMP_NTZ, 'DD \"of\" MON YYYY') AS A, TO_CHAR('2024-01-12 10:11:12'::TIMESTAMP_NTZ, 'HH24MIMMDD') AS B",
    );
    expect(r.rows[0]).toEqual(['12 of Jan 2024', '10110112']);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/update : SET may name the target's columns
  // qualified by the table or its alias.
  it('updates with qualified columns on the left of SET', () => {
    s.execute('CREATE OR REPLACE TABLE UPD (A NUMBER, B NUMBER)');
    s.execute('INSERT INTO UPD VALUES (1, 2), (2, 3)');
    s.execute('UPDATE UPD AS target SET target.B = 6 WHERE target.A = 1');
    s.execute('UPDATE UPD SET UPD.B = UPD.B + 10 WHERE UPD.A = 2');
    expect(s.execute('SELECT A, B FROM UPD ORDER BY A').rows).toEqual([
      [1, 6],
      [2, 13],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/name-resolution (test/local/statements/databases.test.ts has the rest)
  it('resolves three-part table names: a database that does not exist is Snowflake\'s error, a three-part column is refused', () => {
    expect(() => s.execute('SELECT * FROM MYDB.PUBLIC.UPD')).toThrow("SQL compilation error:\nDatabase 'MYDB' does not exist or not authorized.");
    expect(s.execute('SELECT COUNT(*) FROM LOCAL.PUBLIC.UPD').rows).toEqual([[2]]);
    expect(() => s.execute('SELECT PUBLIC.UPD.A FROM UPD')).toThrow(/the name PUBLIC\.UPD\.A .*not implemented/s);
  });

  it('returns timestamps as SfDate with nanoseconds', () => {
    const r = s.execute("SELECT TO_TIMESTAMP_NTZ('2026-03-01 12:00:00.123456000') AS T");
    const t = r.rows[0]?.[0] as SfDate;
    expect(t).toBeInstanceOf(SfDate);
    expect(t.toISOString()).toBe('2026-03-01T12:00:00.123Z');
    expect(t.getNanoSeconds()).toBe(123456000);
    expect(t.getEpochSeconds()).toBe(Date.UTC(2026, 2, 1, 12) / 1000);
  });

  // SYSDATE() is UTC wall time; CURRENT_TIMESTAMP() is TIMESTAMP_LTZ in the session's time zone.
  // https://docs.snowflake.com/en/sql-reference/functions/sysdate
  it('reads SYSDATE()/CURRENT_TIMESTAMP() from the runtime clock, moving inside a transaction', () => {
    const tokyo = sf.session({ timezone: 'Asia/Tokyo' });
    tokyo.execute('BEGIN');
    const a = tokyo.execute("SELECT TO_VARCHAR(SYSDATE(), 'YYYY-MM-DD HH24:MI:SS') AS S, TO_VARCHAR(CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, 'YYYY-MM-DD HH24:MI:SS') AS L");
    clock.advance(1500);
    const b = tokyo.execute("SELECT TO_VARCHAR(SYSDATE(), 'YYYY-MM-DD HH24:MI:SS.FF3') AS S");
    tokyo.execute('COMMIT');
    tokyo.close();
    expect(a.rows[0]).toEqual(['2026-03-01 12:00:00', '2026-03-01 21:00:00']);
    expect(b.rows[0]).toEqual(['2026-03-01 12:00:01.500']);
    clock.set('2026-03-01T12:00:00Z');
  });

  it('runs the functions the procedure uses', () => {
    const r = s.execute(
      `SELECT DATEADD('second', ?, TO_TIMESTAMP_NTZ('2026-03-01 12:00:00')) AS A,
              TIMESTAMPDIFF('second', TO_TIMESTAMP_NTZ('2026-03-01 12:00:00'), TO_TIMESTAMP_NTZ('2026-03-01 12:05:00')) AS B,
              IFF(1 > 2, 'yes', 'no') AS C, COUNT_IF(ID > 1) AS D, DATE(TO_TIMESTAMP_NTZ('2026-03-01 23:59:59')) AS E,
              HASH_AGG(ID, NAME) = HASH_AGG(ID, NAME) AS F, NVL(NULL, 3) AS G
       FROM SRC`,
      [-300],
    );
    const [a, b, c, d, e, f, g] = r.rows[0] as unknown[];
    expect((a as Date).toISOString()).toBe('2026-03-01T11:55:00.000Z');
    expect([b, c, d, f, g]).toEqual([300, 'no', 1, true, 3]);
    expect(r.text(0, 4)).toBe('2026-03-01');
    expect(e).toBeInstanceOf(Date);
  });

  it('makes HASH_AGG order-independent and sensitive to content', () => {
    const one = s.execute('SELECT HASH_AGG(ID, NAME) AS H FROM (SELECT * FROM SRC ORDER BY ID)').text(0, 0);
    const two = s.execute('SELECT HASH_AGG(ID, NAME) AS H FROM (SELECT * FROM SRC ORDER BY ID DESC)').text(0, 0);
    const other = s.execute("SELECT HASH_AGG(ID, NAME || 'x') AS H FROM SRC").text(0, 0);
    expect(one).toBe(two);
    expect(other).not.toBe(one);
    expect(s.execute('SELECT HASH_AGG(ID) AS H FROM SRC WHERE ID < 0').rows).toEqual([[0]]);
  });

  // Snowflake sorts NULL as the largest value: last ascending, first descending.
  it('orders NULLs as Snowflake does', () => {
    const r = s.execute('SELECT X FROM (SELECT 1 AS X UNION ALL SELECT NULL UNION ALL SELECT 2) ORDER BY X DESC');
    expect(r.rows).toEqual([[null], [2], [1]]);
  });

  it('takes :N binds', () => {
    expect(s.execute('SELECT :2 AS B, :1 AS A', ['a', 'b']).rows).toEqual([['b', 'a']]);
    // Client drivers (unlike procedures) also bind booleans and Dates.
    const when = new Date('2026-03-01T12:34:56.789Z');
    expect(s.execute("SELECT ? AS T, TO_VARCHAR(?::TIMESTAMP_NTZ, 'YYYY-MM-DD HH24:MI:SS.FF3') AS D", [true, when]).rows).toEqual([[true, '2026-03-01 12:34:56.789']]);
  });
});

describe('errors', () => {
  it('reports a missing object as 2003 / 42S02', () => {
    const e = catchError(() => s.execute('SELECT * FROM NO_SUCH_TABLE'));
    expect(e).toBeInstanceOf(LocalSnowflakeError);
    expect([e.code, e.state]).toEqual([2003, '42S02']);
    expect(e.message).toContain("Object 'NO_SUCH_TABLE' does not exist or not authorized.");
  });

  it('reports a syntax error as 1003 / 42000', () => {
    const e = catchError(() => s.execute('SELEC 1'));
    expect([e.code, e.state]).toEqual([1003, '42000']);
  });

  it('enforces hybrid-table primary keys', () => {
    const e = catchError(() => s.execute("INSERT INTO SRC (ID, NAME) VALUES (1, 'dup')"));
    expect(e.code).toBe(200001);
    expect(e.message).toMatch(/primary key/i);
  });

  it('enforces NOT NULL', () => {
    const e = catchError(() => s.execute('INSERT INTO SRC (ID, NAME) VALUES (50, NULL)'));
    expect([e.code, e.state]).toEqual([100072, '22000']);
  });

  // https://docs.snowflake.com/en/developer-guide/sql-api/submitting-multiple-statements : text
  // with several statements and no MULTI_STATEMENT_COUNT fails with "Actual statement count …
  // did not match the desired statement count 1." (the procedure pages do not say otherwise for
  // snowflake.execute). DuckDB would run them all and answer with one; nothing runs here.
  // https://docs.snowflake.com/en/sql-reference/bind-variables documents binding, not this error's
  // text; Snowflake reports a placeholder without a value as 002049 / 42601 "SQL compilation error:
  // error line L at position P\nBind variable ? not set." (as drivers print it). DuckDB's own
  // text reached the user.
  it('reports a placeholder without a bind value as Snowflake does, and refuses extra values by name', () => {
    const e = catchError(() => s.execute('SELECT ? AS A, ? AS B', [1]));
    expect([e.code, e.state, e.message]).toEqual([2049, '42601', 'SQL compilation error: error line 1 at position 15\nBind variable ? not set.']);
    expect(catchError(() => s.execute('SELECT :1 AS A')).message).toBe('SQL compilation error: error line 1 at position 7\nBind variable :1 not set.');
    expect(catchError(() => s.execute('SELECT 1 AS A', [1])).message).toMatch(/more bind values than the statement has placeholders .* is not implemented in the local Snowflake runtime/);
  });

  it('refuses text holding more than one statement, running none of it', () => {
    const e = catchError(() => s.execute("INSERT INTO LOGT (NOTE) VALUES ('two-a'); INSERT INTO LOGT (NOTE) VALUES ('two-b')"));
    expect([e.code, e.state, e.message]).toEqual([8, '0A000', 'Actual statement count 2 did not match the desired statement count 1.']);
    expect(s.execute("SELECT COUNT(*) AS N FROM LOGT WHERE NOTE LIKE 'two-%'").rows).toEqual([[0]]);
    // One statement with semicolons inside literals, or a trailing one, is one statement.
    expect(s.execute("SELECT 'a;b' AS X;").rows).toEqual([['a;b']]);
    s.execute("CREATE OR REPLACE PROCEDURE TWO() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ try { snowflake.execute({ sqlText: 'SELECT 1; SELECT 2' }); return 'ran'; } catch (e) { return e.code + ' ' + e.message; } $$");
    expect(s.execute('CALL TWO()').rows).toEqual([['8 Actual statement count 2 did not match the desired statement count 1.']]);
  });

});

describe('transactions', () => {
  it('keeps uncommitted writes invisible to other sessions until COMMIT', () => {
    const writer = sf.session({ name: 'writer' });
    const reader = sf.session({ name: 'reader' });
    writer.execute('BEGIN TRANSACTION');
    writer.execute("INSERT INTO SRC (ID, NAME) VALUES (100, 'late')");
    expect(reader.execute('SELECT COUNT(*) AS N FROM SRC WHERE ID = 100').rows).toEqual([[0]]);
    writer.execute('COMMIT');
    expect(reader.execute('SELECT COUNT(*) AS N FROM SRC WHERE ID = 100').rows).toEqual([[1]]);
    writer.execute('BEGIN');
    writer.execute("UPDATE SRC SET NAME = 'rolled back' WHERE ID = 100");
    writer.execute('ROLLBACK');
    expect(reader.execute('SELECT NAME FROM SRC WHERE ID = 100').rows).toEqual([['late']]);
    writer.close();
    reader.close();
  });

  // https://docs.snowflake.com/en/sql-reference/transactions#ddl: DDL commits the open transaction.
  it('commits an open transaction before DDL', () => {
    const a = sf.session();
    const b = sf.session();
    a.execute('BEGIN');
    a.execute("INSERT INTO SRC (ID, NAME) VALUES (101, 'before ddl')");
    a.execute('CREATE OR REPLACE VIEW V_SRC AS SELECT ID FROM SRC');
    expect(a.inTransaction).toBe(false);
    expect(b.execute('SELECT COUNT(*) AS N FROM V_SRC WHERE ID = 101').rows).toEqual([[1]]);
    a.close();
    b.close();
  });

  // https://docs.snowflake.com/en/sql-reference/transactions#failed-statements-within-a-transaction:
  // a failed statement rolls back alone and the transaction stays active (DuckDB aborts it; the
  // runtime replays what succeeded, statements/transactions.ts).
  it('goes on after a failed statement in a transaction', () => {
    const a = sf.session();
    a.execute('BEGIN');
    a.execute("INSERT INTO SRC (ID, NAME) VALUES (200, 'kept')");
    expect(() => a.execute("INSERT INTO SRC (ID, NAME) VALUES (1, 'duplicate')")).toThrow(/primary key/i);
    expect(a.execute('SELECT NAME FROM SRC WHERE ID = 200').rows).toEqual([['kept']]);
    a.execute('ROLLBACK');
    expect(a.execute('SELECT COUNT(*) AS N FROM SRC WHERE ID = 200').rows).toEqual([[0]]);
    a.close();
  });

  it('accepts ROLLBACK after an aborted transaction on the wall clock too (the clock moves between statements)', () => {
    const wall = LocalSnowflake.open();
    try {
      const a = wall.session();
      a.execute('CREATE TABLE W (ID NUMBER PRIMARY KEY)');
      a.execute('INSERT INTO W VALUES (1)');
      a.execute('BEGIN');
      expect(() => a.execute('INSERT INTO W VALUES (1)')).toThrow(/primary key/i);
      a.execute('ROLLBACK');
      expect(a.execute('SELECT COUNT(*) AS N FROM W').rows).toEqual([[1]]);
    } finally {
      wall.close();
    }
  });

  it('commits what succeeded when COMMIT follows a failed statement', () => {
    const a = sf.session();
    const one = a.execute('SELECT NAME FROM SRC WHERE ID = 1').rows;
    a.execute('BEGIN');
    a.execute("INSERT INTO SRC (ID, NAME) VALUES (201, 'committed')");
    expect(() => a.execute("INSERT INTO SRC (ID, NAME) VALUES (1, 'duplicate')")).toThrow(/primary key/i);
    a.execute('COMMIT');
    expect(a.inTransaction).toBe(false);
    expect(a.execute('SELECT NAME FROM SRC WHERE ID = 201').rows).toEqual([['committed']]);
    expect(a.execute('SELECT NAME FROM SRC WHERE ID = 1').rows).toEqual(one);
    a.close();
  });

  // Snowflake hybrid tables wait on row locks; DuckDB's optimistic MVCC fails the second writer.
  it('fails the second of two concurrent writers to a row with a conflict error', () => {
    const a = sf.session();
    const b = sf.session();
    a.execute('BEGIN');
    b.execute('BEGIN');
    a.execute("UPDATE SRC SET NAME = 'from a' WHERE ID = 2");
    const e = catchError(() => b.execute("UPDATE SRC SET NAME = 'from b' WHERE ID = 2"));
    expect(e.message).toMatch(/conflict/i);
    a.execute('COMMIT');
    b.execute('ROLLBACK');
    expect(s.execute('SELECT NAME FROM SRC WHERE ID = 2').rows).toEqual([['from a']]);
    a.close();
    b.close();
  });
});

function catchError(fn: () => unknown): LocalSnowflakeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LocalSnowflakeError) return e;
    throw e;
  }
  throw new Error('expected the statement to fail');
}
