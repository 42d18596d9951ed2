/**
 * A second npm client built on the driver, `snowflake-promise` (promise wrappers over
 * snowflake-sdk's connection), against the local server over 127.0.0.1: connect, execute with
 * binds, a transaction across statements of one connection, an error with Snowflake's code and
 * SQLSTATE, destroy. snowflake-promise 5 declares snowflake-sdk ^2 as its peer; package.json's
 * `overrides` gives it ours (3.x), whose callback API it wraps unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../scripts/lib/driver.js';
import snowflake from 'snowflake-sdk';
import { promisifyConnection } from 'snowflake-promise';
import { startServer, type LocalServer } from '../../local/server/index.js';

snowflake.configure({ logLevel: 'OFF' });

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ port: 0, schedule: false });
});
afterAll(async () => {
  await server?.close();
});

const open = async (): Promise<ReturnType<typeof promisifyConnection>> => {
  const conn = promisifyConnection(snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl: server.url, sfRetryMaxLoginRetries: 0 } as snowflake.ConnectionOptions));
  await conn.connect();
  return conn;
};

describe('snowflake-promise against the local server', () => {
  it('connects, runs statements with binds, keeps a transaction on its connection, and raises errors with code and SQLSTATE', async () => {
    const conn = await open();
    try {
      const rows = await conn.execute<{ N: number; S: string }>({ sqlText: 'SELECT ? * 2 AS N, UPPER(?) AS S', binds: [21, 'abc'] }).resultsPromise;
      expect(rows).toEqual([{ N: 42, S: 'ABC' }]);

      await conn.execute({ sqlText: 'CREATE OR REPLACE TABLE PROMISED (ID NUMBER, NAME VARCHAR(10))' }).resultsPromise;
      await conn.execute({ sqlText: 'BEGIN' }).resultsPromise;
      await conn.execute({ sqlText: 'INSERT INTO PROMISED VALUES (?, ?), (?, ?)', binds: [1, 'a', 2, 'b'] }).resultsPromise;
      await conn.execute({ sqlText: 'ROLLBACK' }).resultsPromise;
      await conn.execute({ sqlText: 'INSERT INTO PROMISED VALUES (?, ?)', binds: [3, 'c'] }).resultsPromise;
      expect(await conn.execute({ sqlText: 'SELECT ID, NAME FROM PROMISED ORDER BY ID' }).resultsPromise).toEqual([{ ID: 3, NAME: 'c' }]);

      const err = await conn.execute({ sqlText: 'SELECT * FROM NO_SUCH_TABLE' }).resultsPromise.then(
        () => null,
        (e: unknown) => e as { code?: unknown; sqlState?: unknown; message: string },
      );
      expect(err).not.toBeNull();
      expect([err?.code, err?.sqlState]).toEqual(['002003', '42S02']);
      expect(err?.message).toMatch(/NO_SUCH_TABLE' does not exist or not authorized/);
    } finally {
      await conn.destroy();
    }
    expect(conn.isUp()).toBe(false);
  });
});
