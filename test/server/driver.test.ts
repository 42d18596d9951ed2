/**
 * The official snowflake-sdk against the local server, over 127.0.0.1: login, binds, results,
 * streaming, fetchAsString, the async (333334) and in-progress (333333) flows, token renewal,
 * logout, errors with Snowflake's code and SQLSTATE, and the server's refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Silences the AWS SDK's Node-version notice the driver would print (see scripts/lib/driver.ts).
import '../../scripts/lib/driver.js';
import snowflake from 'snowflake-sdk';
import { startServer, type LocalServer } from '../../local/server/index.js';

snowflake.configure({ logLevel: 'OFF' });

type Conn = ReturnType<typeof snowflake.createConnection>;
type Row = Record<string, unknown>;

let server: LocalServer;
let conn: Conn;

function connect(extra: Record<string, unknown> = {}): Promise<Conn> {
  const c = snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl: server.url, sfRetryMaxLoginRetries: 0, ...extra } as snowflake.ConnectionOptions);
  return new Promise((resolve, reject) => c.connect((err) => (err ? reject(err) : resolve(c))));
}

function run(c: Conn, sqlText: string, binds?: snowflake.Binds, extra: Partial<snowflake.StatementOption> = {}): Promise<{ stmt: snowflake.RowStatement; rows: Row[] }> {
  return new Promise((resolve, reject) =>
    c.execute({ sqlText, ...(binds ? { binds } : {}), ...extra, complete: (err, stmt, rows) => (err ? reject(err) : resolve({ stmt, rows: (rows ?? []) as Row[] })) } as snowflake.StatementOption),
  );
}

function failure(p: Promise<unknown>): Promise<{ code?: unknown; sqlState?: unknown; message: string; data?: { queryId?: unknown } }> {
  return p.then(
    () => {
      throw new Error('expected the statement to fail');
    },
    (e: unknown) => e as { code?: unknown; sqlState?: unknown; message: string; data?: { queryId?: unknown } },
  );
}

function destroy(c: Conn): Promise<void> {
  return new Promise((resolve, reject) => c.destroy((err) => (err ? reject(err) : resolve())));
}

beforeAll(async () => {
  server = await startServer({ port: 0, schedule: false, credentials: { user: 'dev', password: 'dev' } });
  conn = await connect();
  await run(conn, 'CREATE TABLE RUNS (ID NUMBER(38,0) PRIMARY KEY, NAME VARCHAR(20), AMOUNT NUMBER(10,2), STARTED TIMESTAMP_NTZ, DAY DATE, OK BOOLEAN, RATIO FLOAT)');
});
afterAll(async () => {
  await server?.close();
});

describe('snowflake-sdk through the local server', () => {
  // The connection's database and schema are the session's current ones
  // (https://docs.snowflake.com/en/sql-reference/name-resolution); USE changes them for later statements.
  it('starts a session in the connection\'s database and schema, and follows USE', async () => {
    await run(conn, 'CREATE DATABASE DRIVER_DB');
    await run(conn, 'CREATE SCHEMA DRIVER_DB.WORK');
    await run(conn, 'CREATE TABLE DRIVER_DB.WORK.T (ID NUMBER)');
    await run(conn, 'USE DATABASE LOCAL');
    const other = await connect({ database: 'DRIVER_DB', schema: 'WORK' });
    try {
      expect((await run(other, 'SELECT CURRENT_DATABASE() AS D, CURRENT_SCHEMA() AS S')).rows).toEqual([{ D: 'DRIVER_DB', S: 'WORK' }]);
      await run(other, 'INSERT INTO T VALUES (1)');
      await run(other, 'USE SCHEMA LOCAL.PUBLIC');
      expect((await run(other, 'SELECT CURRENT_DATABASE() AS D, CURRENT_SCHEMA() AS S')).rows).toEqual([{ D: 'LOCAL', S: 'PUBLIC' }]);
      expect((await run(other, 'SELECT COUNT(*) AS N FROM RUNS')).rows).toHaveLength(1);
    } finally {
      await destroy(other);
    }
    expect((await run(conn, 'SELECT COUNT(*) AS N FROM DRIVER_DB.WORK.T')).rows).toEqual([{ N: 1 }]);
    // A database that does not exist leaves the session without one: unqualified names fail.
    const lost = await connect({ database: 'NO_SUCH_DB' });
    try {
      expect((await run(lost, 'SELECT CURRENT_DATABASE() AS D')).rows).toEqual([{ D: null }]);
      expect((await failure(run(lost, 'SELECT * FROM RUNS'))).message).toMatch(/does not have a current database/);
    } finally {
      await destroy(lost);
    }
  });

  it('runs statements with positional and numbered binds and reads typed rows and metadata', async () => {
    const ins = await run(conn, 'INSERT INTO RUNS VALUES (?, ?, ?, ?, ?, ?, ?)', [1, 'first', 12.5, '2026-01-02 03:04:05.123456', '2026-01-02', true, 0.25]);
    expect(ins.stmt.getNumUpdatedRows()).toBe(1);
    await run(conn, 'INSERT INTO RUNS (ID, NAME, OK) VALUES (:2, :1, :3)', ['second', 2, false]);
    const { stmt, rows } = await run(conn, 'SELECT ID, NAME, AMOUNT, STARTED, DAY, OK, RATIO FROM RUNS ORDER BY ID');
    expect(rows.map((r) => [r.ID, r.NAME, r.AMOUNT, r.OK, r.RATIO])).toEqual([
      [1, 'first', 12.5, true, 0.25],
      [2, 'second', null, false, null],
    ]);
    const started = rows[0]?.STARTED as Date & { getNanoSeconds(): number; getEpochSeconds(): number };
    expect(started.getEpochSeconds()).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(started.getNanoSeconds()).toBe(123_456_000);
    expect((rows[0]?.DAY as Date).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect((stmt.getColumns() ?? []).map((c) => [c.getName(), c.getType(), c.getScale()])).toEqual([
      ['ID', 'fixed', 0],
      ['NAME', 'text', null],
      ['AMOUNT', 'fixed', 2],
      ['STARTED', 'timestamp_ntz', 9],
      ['DAY', 'date', null],
      ['OK', 'boolean', null],
      ['RATIO', 'real', null],
    ]);
    expect(stmt.getQueryId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('gives values as strings with fetchAsString, in Snowflake default output formats', async () => {
    const { rows } = await run(conn, 'SELECT ID, AMOUNT, STARTED, DAY, OK FROM RUNS WHERE ID = ?', [1], { fetchAsString: ['Number', 'Date', 'Boolean'] });
    expect(rows).toEqual([{ ID: '1', AMOUNT: '12.50', STARTED: '2026-01-02 03:04:05.123', DAY: '2026-01-02', OK: 'TRUE' }]);
  });

  // https://docs.snowflake.com/en/user-guide/querying-semistructured: a path gives a VARIANT, which
  // travels as JSON text (a string inside it quoted) and the driver parses; ::VARCHAR gives the text.
  it('sends a VARIANT holding a string as JSON, so the driver reads the string back', async () => {
    const { rows } = await run(conn, `SELECT PARSE_JSON('{"name": "Frank Beasley", "n": 5}'):name AS V, PARSE_JSON('{"name": "Frank Beasley"}'):name::VARCHAR AS T, PARSE_JSON('{"n": 5}'):n AS N`);
    expect(rows).toEqual([{ V: 'Frank Beasley', T: 'Frank Beasley', N: 5 }]);
  });

  it('streams rows, a range of them when asked', async () => {
    await run(conn, 'INSERT INTO RUNS (ID, NAME) SELECT 100 + range, \'bulk\' FROM range(10)');
    const streamed = await new Promise<Row[]>((resolve, reject) => {
      const out: Row[] = [];
      const stmt = conn.execute({ sqlText: "SELECT ID FROM RUNS WHERE NAME = 'bulk' ORDER BY ID", streamResult: true });
      stmt.streamRows({ start: 2, end: 4 }).on('data', (r: Row) => out.push(r)).on('error', reject).on('end', () => resolve(out));
    });
    expect(streamed).toEqual([{ ID: 102 }, { ID: 103 }, { ID: 104 }]);
  });

  it('binds an array of rows as one INSERT', async () => {
    const { stmt } = await run(conn, 'INSERT INTO RUNS (ID, NAME) VALUES (?, ?)', [
      [201, 'a'],
      [202, 'b'],
      [203, null],
    ]);
    expect(stmt.getNumUpdatedRows()).toBe(3);
    expect((await run(conn, 'SELECT COUNT(*) AS N, COUNT(NAME) AS NAMED FROM RUNS WHERE ID > 200')).rows).toEqual([{ N: 3, NAMED: 2 }]);
  });

  it('raises Snowflake errors with their code, SQLSTATE, message and query id', async () => {
    const missing = await failure(run(conn, 'SELECT * FROM NO_SUCH_TABLE'));
    expect([missing.code, missing.sqlState]).toEqual(['002003', '42S02']);
    expect(missing.message).toBe("SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.");
    expect(String(missing.data?.queryId)).toMatch(/^[0-9a-f-]{36}$/);
    const dup = await failure(run(conn, 'INSERT INTO RUNS (ID) VALUES (1)'));
    expect([dup.code, dup.sqlState]).toEqual(['200001', '22000']);
    const two = await failure(run(conn, 'SELECT 1; SELECT 2'));
    expect([two.code, two.message]).toEqual(['000008', 'Actual statement count 2 did not match the desired statement count 1.']);
  });

  it('keeps one session per connection: a transaction is seen only by its own connection until COMMIT', async () => {
    const other = await connect();
    await run(conn, 'BEGIN');
    await run(conn, "INSERT INTO RUNS (ID, NAME) VALUES (300, 'tx')");
    expect((await run(other, 'SELECT COUNT(*) AS N FROM RUNS WHERE ID = 300')).rows).toEqual([{ N: 0 }]);
    await run(conn, 'COMMIT');
    expect((await run(other, 'SELECT COUNT(*) AS N FROM RUNS WHERE ID = 300')).rows).toEqual([{ N: 1 }]);
    await run(other, "ALTER SESSION SET TIMEZONE = 'Asia/Tokyo'");
    const ltz = "SELECT CAST('2026-01-01 00:00:00+00:00' AS TIMESTAMP_LTZ) AS T";
    expect((await run(other, ltz, undefined, { fetchAsString: ['Date'] })).rows).toEqual([{ T: '2026-01-01 09:00:00.000 +0900' }]);
    expect((await run(conn, ltz, undefined, { fetchAsString: ['Date'] })).rows).toEqual([{ T: '2025-12-31 16:00:00.000 -0800' }]);
    await destroy(other);
  });

  it('runs asyncExec statements after answering 333334, with status and result by query id', async () => {
    const { stmt } = await run(conn, "SELECT COUNT(*) AS N FROM RUNS WHERE NAME = 'bulk'", undefined, { asyncExec: true });
    const id = stmt.getQueryId();
    const rows: Row[] = [];
    const result = await conn.getResultsFromQueryId({ queryId: id, streamResult: true });
    await new Promise<void>((resolve, reject) => result.streamRows().on('data', (r: Row) => rows.push(r)).on('error', reject).on('end', () => resolve()));
    expect(rows).toEqual([{ N: 10 }]);
    expect(await conn.getQueryStatus(id)).toBe('SUCCESS');
    const { stmt: bad } = await run(conn, 'SELECT * FROM NO_SUCH_TABLE', undefined, { asyncExec: true });
    await expect(conn.getQueryStatusThrowIfError(bad.getQueryId())).rejects.toMatchObject({ message: expect.stringContaining("Object 'NO_SUCH_TABLE' does not exist") });
  });

  it('answers a CALL 333333 first and the driver fetches its result from getResultUrl', async () => {
    await run(conn, "CREATE PROCEDURE ADD_ONE(X FLOAT) RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$ return X + 1; $$");
    expect((await run(conn, 'CALL ADD_ONE(?)', [41])).rows).toEqual([{ ADD_ONE: 42 }]);
    const failed = await failure(run(conn, 'CALL ADD_ONE(1, 2)'));
    expect(failed.code).toBe('002140');
  });

  it('renews an expired session token with the master token and goes on', async () => {
    const c = await connect();
    server.expireSessionTokens();
    expect((await run(c, 'SELECT 7 AS X')).rows).toEqual([{ X: 7 }]);
    await destroy(c);
  });

  it('connects with connectAsync, answers heartbeats, and ends the session on destroy', async () => {
    const c = snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl: server.url } as snowflake.ConnectionOptions);
    await c.connectAsync(() => undefined);
    const before = server.sessionCount();
    await (c as Conn & { heartbeatAsync(): Promise<unknown> }).heartbeatAsync();
    expect(await c.isValidAsync()).toBe(true);
    await destroy(c);
    expect(server.sessionCount()).toBe(before - 1);
  });

  it('refuses a wrong password with 390100', async () => {
    const err = await failure(connect({ password: 'wrong' }));
    expect(err.code).toBe('390100');
    expect(err.message).not.toContain('wrong');
  });
});

describe('where the server listens', () => {
  it('refuses a non-loopback address unless allowRemote is set', async () => {
    await expect(startServer({ host: '0.0.0.0', schedule: false, sf: server.sf })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0.*allowRemote/s);
    const remote = await startServer({ host: '0.0.0.0', allowRemote: true, schedule: false, sf: server.sf });
    try {
      expect(remote.host).toBe('0.0.0.0');
      expect(remote.url).toBe(`http://127.0.0.1:${remote.port}`);
    } finally {
      await remote.close();
    }
  });

  it('listens on 127.0.0.1 by default', () => {
    expect([server.host, server.url]).toEqual(['127.0.0.1', `http://127.0.0.1:${server.port}`]);
  });
});
