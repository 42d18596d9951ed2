/**
 * The snowflake-sdk adapter at its boundary: the real driver, talking to a stand-in endpoint or
 * to nothing, raises its own errors; the adapter turns each into a message that says what to do,
 * and no secret is ever printed.
 */
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deployMain } from '../../scripts/deploy.js';
import { driverErrors } from '../../scripts/lib/driver.js';
import { mapSqlError } from '../../scripts/lib/errors.js';
import { statusMain } from '../../scripts/status.js';
import { capture, snowflakeHome } from './support.js';
import { fakeConnection, fakeEndpoint, type FakeEndpoint } from './fake-endpoint.js';

const SECRET = 'Pw-0f-the-Fake-Acct';
let endpoint: FakeEndpoint | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function env(port: number, extra = ''): NodeJS.ProcessEnv {
  return { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(port, extra) } }) };
}

describe('driver errors through deploy', () => {
  it('bad credentials (390100): names the connection and what to check; exit 2 (nothing sent); password never printed', async () => {
    endpoint = await fakeEndpoint({ loginError: { code: '390100', message: 'Incorrect username or password was specified.' } });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(2);
    expect(endpoint.statements).toEqual([]);
    expect(io.text()).toContain('no statement was sent: the account is unchanged');
    expect(io.text()).toMatch(/deploy failed \[auth\]: Snowflake rejected the user name or password of connection 'fake'.*\(390100\)/);
    expect(io.text()).toContain("check 'user' and 'password'");
    expect(endpoint.logins[0]).toContain(SECRET); // the driver did send it …
    expect(io.text()).not.toContain(SECRET); // … and we never print it
  });

  it('unreachable account: exit 2 (nothing sent) with what to check', async () => {
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(await closedPort()))).toBe(2);
    expect(io.text()).toMatch(/deploy failed \[unreachable\]: Could not reach Snowflake account 'myorg-fake' \(401001\): connect ECONNREFUSED/);
    expect(io.text()).toContain("check 'account'");
    expect(io.text()).not.toContain(SECRET);
  });

  it('unknown database (002003) on USE DATABASE: missing-object, with SHOW DATABASES and the GRANT', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => (/^USE DATABASE/.test(sql) ? { error: { code: '002003', sqlState: '02000', message: "SQL compilation error:\nDatabase 'NOPE' does not exist or not authorized." } } : { rows: [] }),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake', '--database', 'nope'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain("deploy failed [missing-object]: at step 1 'context': Database NOPE does not exist or is not visible to ETL_ROLE");
    expect(io.text()).toContain('state: nothing was changed.');
    expect(io.text()).toContain('GRANT USAGE ON DATABASE NOPE TO ROLE ETL_ROLE');
    expect(endpoint.statements).toEqual(['USE DATABASE "NOPE"']); // stopped at the first failure
  });

  it('insufficient privileges (003001) on CREATE TASK: names CREATE TASK and the warehouse GRANT', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => (/^CREATE OR ALTER TASK/.test(sql) ? { error: { code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on schema 'ETL'" } } : { rows: [] }),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain('deploy failed [privilege]');
    expect(io.text()).toContain('GRANT CREATE TASK ON SCHEMA <db>.<schema> TO ROLE ETL_ROLE; GRANT USAGE ON WAREHOUSE <warehouse> TO ROLE ETL_ROLE;');
  });

  it('a task that stays suspended after RESUME: verify fails with kind task-resume, exit 1', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => (/^SHOW TASKS/.test(sql) ? { rows: [{ name: 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', state: 'suspended' }] } : { rows: [] }),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain("deploy failed [task-resume]: at step 8 'verify': Task SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION is suspended after deploy, not started.");
  });

  it('status of an unreachable account: exit 2 and a BROKEN report in --json', async () => {
    const io = capture();
    expect(await statusMain(['--connection', 'fake', '--json'], io, env(await closedPort()))).toBe(2);
    const report = JSON.parse(io.lines[0] as string) as { level: string; reasons: string[] };
    expect(report.level).toBe('BROKEN');
    expect(report.reasons[0]).toMatch(/Could not reach Snowflake account 'myorg-fake'/);
  });

  it('a secret echoed back inside a server message is masked', async () => {
    endpoint = await fakeEndpoint({ answer: () => ({ error: { code: '001003', message: `syntax error near '${SECRET}' and password=${SECRET}` } }) });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain('syntax error near');
    expect(io.text()).not.toContain(SECRET);
  });

  it('driver option errors (e.g. no account) are configuration errors naming the option; exit 2', async () => {
    const home = snowflakeHome({ 'connections.toml': { text: '[noacct]\nuser = "U"\npassword = "x-Secret-99"\nwarehouse = "W"\n' } });
    const io = capture();
    expect(await deployMain(['--connection', 'noacct'], io, { SNOWFLAKE_HOME: home })).toBe(2);
    expect(io.text()).toMatch(/deploy failed \[config\]: The driver rejected the options of connection 'noacct'.*\(404007\): An account must be specified/);
  });
});

describe('mapping of the driver error shapes', () => {
  const ctx = { role: 'ETL_ROLE', account: 'myorg-prod', connection: 'prod', file: '/h/connections.toml' };
  const cases: Array<[Error, string, RegExp]> = [
    [driverErrors.createOperationFailedError('390144', {}, 'JWT token is invalid.', '08001'), 'auth', /key-pair login.*RSA_PUBLIC_KEY_FP/s],
    [driverErrors.createOperationFailedError('390318', {}, 'OAuth access token expired. [1172527951366]', '08001'), 'auth', /token.*get a new OAuth token/s],
    [driverErrors.createOperationFailedError('390189', {}, "Role 'ADMIN' specified in the connect string does not exist or not authorized.", '08004'), 'auth', /GRANT ROLE ETL_ROLE TO USER/],
    [driverErrors.createOperationFailedError('000606', {}, "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.", '57P03'), 'no-warehouse', /--warehouse NAME/],
    [driverErrors.createOperationFailedError('090105', {}, "Cannot perform CREATE TABLE. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.", '22000'), 'no-context', /--database NAME --schema NAME/],
    [driverErrors.createNetworkError(401001, Object.assign(new Error('getaddrinfo ENOTFOUND myorg-prod.snowflakecomputing.com'), { code: 'ENOTFOUND' })), 'unreachable', /Could not reach Snowflake account 'myorg-prod'/],
  ];
  for (const [err, kind, fix] of cases) {
    it(`${(err as Error & { code: unknown }).code} → ${kind}`, () => {
      const mapped = mapSqlError(err, ctx);
      expect(mapped.kind).toBe(kind);
      expect(mapped.message).toMatch(fix);
    });
  }
});

describe('a network failure after login is not a wrong account name', () => {
  it('names the statement and says re-run, without account-format advice', () => {
    const err = driverErrors.createNetworkError(401001, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const mapped = mapSqlError(err, { role: 'ETL_ROLE', account: 'myorg-prod', connection: 'prod', sql: 'CREATE OR REPLACE PROCEDURE P()\n  COPY GRANTS', phase: 'statement' });
    expect(mapped.kind).toBe('unreachable');
    expect(mapped.message).toContain("The connection to Snowflake account 'myorg-prod' failed while running: CREATE OR REPLACE PROCEDURE P() (401001)");
    expect(mapped.message).toContain('re-run the same command');
    expect(mapped.message).not.toContain("check 'account'");
    // The same error during the login is about the account.
    expect(mapSqlError(err, { account: 'myorg-prod', phase: 'login' }).message).toContain("check 'account'");
  });
});
