/**
 * --dry-run prints the SQL and connects to nothing; every input is validated before anything
 * is sent; --print-grants prints the role setup.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../local/index.js';
import { deployMain } from '../../scripts/deploy.js';
import { capture, freshLocal, snowflakeHome } from './support.js';

/** A TCP listener standing in for the account: it counts every connection attempt. */
let server: net.Server;
let connections = 0;
let port = 0;
beforeAll(async () => {
  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function home(): string {
  return snowflakeHome({
    'connections.toml': { text: `[prod]\naccount = "myorg-prod"\nuser = "ETL"\npassword = "Dry-Run-Secret-77"\nwarehouse = "ETL_WH"\nhost = "127.0.0.1"\nport = ${port}\nprotocol = "http"\n` },
  });
}

describe('--dry-run', () => {
  it('prints every statement deploy would send and opens no connection', async () => {
    const io = capture();
    const code = await deployMain(['--connection', 'prod', '--schedule', '5 MINUTE', '--dry-run'], io, { SNOWFLAKE_HOME: home() });
    expect(code).toBe(0);
    expect(connections).toBe(0);
    const out = io.text();
    expect(out).toContain('CREATE HYBRID TABLE IF NOT EXISTS "ETL_PIPELINE_SYNC_CONTROL"');
    expect(out).toContain('CREATE OR REPLACE PROCEDURE SYNC_PIPELINE_RUN_HISTORY_PROC()\n  COPY GRANTS\n');
    expect(out).toMatch(/CREATE OR ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION"\n {2}WAREHOUSE = "ETL_WH"\n {2}SCHEDULE = '5 MINUTE'\n {2}OVERLAP_POLICY = NO_OVERLAP\n/);
    expect(out).not.toContain('ALLOW_OVERLAPPING_EXECUTION');
    expect(out).toContain('ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION" RESUME;');
    expect(out).not.toContain('Dry-Run-Secret-77');
  });

  it('prints SQL that, run statement by statement, deploys: the local runtime ends with the task started', async () => {
    const io = capture();
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-dry-')), 'local.duckdb');
    expect(await deployMain(['--local', '--db', db, '--dry-run', '--serverless'], io, {})).toBe(0);
    expect(fs.existsSync(db)).toBe(false); // --local --dry-run does not even create the database file
    const { sf, client } = freshLocal();
    try {
      for (const sql of splitStatements(io.text())) await client.query(sql);
      const task = (await client.query("SHOW TASKS LIKE 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION'")).rows[0];
      expect([task?.state, task?.warehouse]).toEqual(['started', null]);
    } finally {
      await client.close();
      sf.close();
    }
  });
});

describe('input validation happens before anything is sent', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--warehouse', 'WH', '--serverless'], /--warehouse and --serverless cannot be combined/],
    [['--schedule', 'every minute'], /--schedule: invalid task schedule/],
    [['--schedule', 'USING CRON 0 3 * * * Mars/Olympus'], /unknown time zone 'Mars\/Olympus'/],
    [['--schedule', '20000 MINUTES'], /longer than Snowflake's largest task interval/],
    [['--warehouse', 'WH"; DROP TABLE X; --'], /--warehouse: invalid warehouse name/],
    [['--database', 'a.b'], /--database: invalid database name/],
    [['--suspend-after-failures', '1.5'], /--suspend-after-failures must be a whole number/],
    [['--alert-email', 'ops@example.com'], /--alert-email needs --alert-integration/],
    [['--alert-integration', 'MAIL', '--alert-email', 'not-an-address'], /is not an email address/],
    [['--local', '--connection', 'prod'], /--local and --connection cannot be combined/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} → exit 2, nothing sent`, async () => {
      const io = capture();
      const before = connections;
      expect(await deployMain(['--connection', 'prod', ...argv.filter((a) => a !== '--connection' && a !== 'prod'), ...(argv.includes('--local') ? ['--connection', 'prod'] : [])], io, { SNOWFLAKE_HOME: home() })).toBe(2);
      expect(io.text()).toMatch(message);
      expect(io.text()).toMatch(/deploy failed \[input\]/);
      expect(connections).toBe(before);
    });
  }

  it('--config FILE.json supplies defaults; flags win; unknown keys are rejected', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-cfg-'));
    const good = path.join(dir, 'deploy.json');
    fs.writeFileSync(good, JSON.stringify({ warehouse: 'CFG_WH', schedule: '10 MINUTES', suspendAfterFailures: 4 }));
    const io = capture();
    expect(await deployMain(['--config', good, '--schedule', '2 MINUTES', '--dry-run'], io, { SNOWFLAKE_HOME: home(), SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod' })).toBe(0);
    expect(io.text()).toMatch(/WAREHOUSE = "CFG_WH"\n {2}SCHEDULE = '2 MINUTES'\n[\s\S]*SUSPEND_TASK_AFTER_NUM_FAILURES = 4/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ warehose: 'X' }));
    const io2 = capture();
    expect(await deployMain(['--config', bad, '--dry-run'], io2, { SNOWFLAKE_HOME: home() })).toBe(2);
    expect(io2.text()).toContain("unknown option 'warehose'");
  });

  it('no warehouse anywhere: a deploy asks for --warehouse or --serverless (exit 2); a dry run prints a placeholder and says so', async () => {
    const h = snowflakeHome({ 'connections.toml': { text: `[prod]\naccount = "a"\nuser = "u"\npassword = "p-Secret-123"\nhost = "127.0.0.1"\nport = ${port}\nprotocol = "http"\n` } });
    const io = capture();
    const before = connections;
    expect(await deployMain(['--connection', 'prod'], io, { SNOWFLAKE_HOME: h })).toBe(2);
    expect(io.text()).toMatch(/No warehouse for the task[\s\S]*--warehouse NAME .* or --serverless/);
    expect(connections).toBe(before);
    const dry = capture();
    expect(await deployMain(['--connection', 'prod', '--dry-run'], dry, { SNOWFLAKE_HOME: h })).toBe(0);
    expect(dry.text()).toContain('-- placeholders for what only the connection would tell: <warehouse>');
    expect(dry.text()).toContain('  WAREHOUSE = <warehouse>\n');
    expect(dry.text()).toContain('USE WAREHOUSE <warehouse>;');
  });

  it('a serverless task with no warehouse for deploy itself: exit 2, CREATE HYBRID TABLE needs one; --session-warehouse gives it', async () => {
    const h = snowflakeHome({ 'connections.toml': { text: `[prod]\naccount = "a"\nuser = "u"\npassword = "p-Secret-123"\nhost = "127.0.0.1"\nport = ${port}\nprotocol = "http"\n` } });
    const io = capture();
    const before = connections;
    expect(await deployMain(['--connection', 'prod', '--serverless'], io, { SNOWFLAKE_HOME: h })).toBe(2);
    expect(io.text()).toContain('CREATE HYBRID TABLE runs on the session\'s warehouse');
    expect(io.text()).toContain('--session-warehouse NAME');
    expect(connections).toBe(before);
    const dry = capture();
    expect(await deployMain(['--connection', 'prod', '--serverless', '--session-warehouse', 'LOAD_WH', '--dry-run'], dry, { SNOWFLAKE_HOME: h })).toBe(0);
    const out = dry.text();
    expect(out.indexOf('USE WAREHOUSE "LOAD_WH";')).toBeGreaterThan(-1);
    expect(out.indexOf('USE WAREHOUSE "LOAD_WH";')).toBeLessThan(out.indexOf('CREATE HYBRID TABLE'));
    expect(out).toContain("  USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL'\n");
    expect(out).not.toMatch(/^ {2}WAREHOUSE = /m);
  });

  it('--error-integration naming the alert\'s email integration is refused before anything is sent', async () => {
    const io = capture();
    expect(await deployMain(['--connection', 'prod', '--warehouse', 'W', '--alert-integration', 'MAIL_INT', '--alert-email', 'a@example.com', '--error-integration', 'mail_int'], io, { SNOWFLAKE_HOME: home() })).toBe(2);
    expect(io.text()).toMatch(/ERROR_INTEGRATION must be a queue integration \(Amazon SNS, Azure Event Grid, Google Pub\/Sub\)/);
  });
});
