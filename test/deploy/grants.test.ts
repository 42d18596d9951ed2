/**
 * --print-grants against the privileges the documentation lists, each with its page: every
 * required privilege is granted, on the right object, by a role that may grant it (account
 * privileges only by ACCOUNTADMIN).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../local/index.js';
import { deployMain } from '../../scripts/deploy.js';
import { capture } from './support.js';

/** A privilege the docs require: what, on which object (a pattern), granted by whom. */
interface Required {
  privilege: string;
  on: RegExp;
  grantor: 'ACCOUNTADMIN' | 'SECURITYADMIN';
  doc: string;
}

const SCHEMA = /^SCHEMA "ANALYTICS"\."ETL"$/;
const ACCOUNT = /^ACCOUNT$/;

/** Taken from the pages cited; the grantor of account privileges from the task-security page. */
const ALWAYS: Required[] = [
  { privilege: 'USAGE', on: /^DATABASE "ANALYTICS"$/, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/user-guide/security-access-control-privileges#database-privileges' },
  { privilege: 'USAGE', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/user-guide/security-access-control-privileges#schema-privileges' },
  { privilege: 'CREATE HYBRID TABLE', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_02/bcr-2157' },
  { privilege: 'CREATE TABLE', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table (before the 2026_02 bundle)' },
  { privilege: 'CREATE PROCEDURE', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-procedure#access-control-requirements' },
  { privilege: 'CREATE VIEW', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-view#access-control-requirements' },
  { privilege: 'CREATE TASK', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-task#access-control-requirements' },
  // The run-id sequence the manifest lists.
  { privilege: 'CREATE SEQUENCE', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-sequence#access-control-requirements' },
  { privilege: 'EXECUTE TASK', on: ACCOUNT, grantor: 'ACCOUNTADMIN', doc: 'https://docs.snowflake.com/en/user-guide/tasks-intro#task-security' },
  { privilege: 'MONITOR', on: /^TASK "ANALYTICS"\."ETL"\."SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION"$/, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/release-notes/bcr-bundles/2025_01/bcr-1799' },
];
const WAREHOUSE_TASK: Required[] = [{ privilege: 'USAGE', on: /^WAREHOUSE "ETL_WH"$/, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-task#access-control-requirements' }];
const SERVERLESS_TASK: Required[] = [{ privilege: 'EXECUTE MANAGED TASK', on: ACCOUNT, grantor: 'ACCOUNTADMIN', doc: 'https://docs.snowflake.com/en/user-guide/tasks-intro#task-security' }];
const ALERT: Required[] = [
  { privilege: 'CREATE ALERT', on: SCHEMA, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/create-alert#access-control-requirements' },
  { privilege: 'EXECUTE ALERT', on: ACCOUNT, grantor: 'ACCOUNTADMIN', doc: 'https://docs.snowflake.com/en/sql-reference/sql/execute-alert#access-control-requirements' },
  { privilege: 'USAGE', on: /^INTEGRATION "MAIL_INT"$/, grantor: 'SECURITYADMIN', doc: 'https://docs.snowflake.com/en/user-guide/alerts' },
];
const SERVERLESS_ALERT: Required[] = [{ privilege: 'EXECUTE MANAGED ALERT', on: ACCOUNT, grantor: 'ACCOUNTADMIN', doc: 'https://docs.snowflake.com/en/user-guide/alerts (serverless alerts)' }];

/** Every GRANT of the script as (privilege, object, role in effect), USE ROLE tracked. */
function grants(script: string, toRole: string): Array<{ privilege: string; on: string; as: string }> {
  let role = '';
  const out: Array<{ privilege: string; on: string; as: string }> = [];
  for (const raw of splitStatements(script)) {
    const s = raw.replace(/^(?:\s*--[^\n]*\n)+/, '').trim();
    const use = /^USE ROLE (\w+)$/.exec(s);
    if (use) role = use[1] as string;
    const g = new RegExp(`^GRANT (.+?) ON (.+) TO ROLE "${toRole}"$`).exec(s);
    if (g) for (const p of (g[1] as string).split(',')) out.push({ privilege: p.trim(), on: g[2] as string, as: role });
  }
  return out;
}

async function printGrants(extra: string[]): Promise<string> {
  const io = capture();
  expect(await deployMain(['--print-grants', '--database', 'ANALYTICS', '--schema', 'ETL', '--grant-role', 'SYNC_ROLE', ...extra], io, { HOME: '/nonexistent' })).toBe(0);
  return io.lines.filter((l) => !l.startsWith('note:')).join('\n');
}

function expectAll(script: string, required: Required[], role = 'SYNC_ROLE'): void {
  const got = grants(script, role);
  for (const r of required) {
    const match = got.find((g) => g.privilege === r.privilege && r.on.test(g.on));
    expect(match, `${r.privilege} ON ${r.on} (${r.doc})`).toBeDefined();
    expect(match?.as, `${r.privilege} must be granted as ${r.grantor} (${r.doc})`).toBe(r.grantor);
  }
}

describe('--print-grants against the documentation', () => {
  it('a warehouse task: CREATE HYBRID TABLE, the schema privileges, EXECUTE TASK granted as ACCOUNTADMIN, USAGE on the warehouse', async () => {
    const script = await printGrants(['--warehouse', 'ETL_WH', '--grant-user', 'ETL']);
    expectAll(script, [...ALWAYS.filter((r) => r.privilege !== 'MONITOR'), ...WAREHOUSE_TASK]);
    expectAll(script, ALWAYS.filter((r) => r.privilege === 'MONITOR'), 'SYNC_ROLE_MONITOR');
    expect(script).toContain('GRANT ROLE "SYNC_ROLE" TO USER "ETL";');
    expect(grants(script, 'SYNC_ROLE').filter((g) => g.on === 'ACCOUNT').map((g) => g.privilege)).toEqual(['EXECUTE TASK']);
  });

  it('no account privilege is granted by SECURITYADMIN (only ACCOUNTADMIN can grant them)', async () => {
    const script = await printGrants(['--serverless', '--alert-integration', 'MAIL_INT', '--alert-email', 'a@example.com']);
    const account = grants(script, 'SYNC_ROLE').filter((g) => g.on === 'ACCOUNT');
    expect(account.map((g) => g.privilege).sort()).toEqual(['EXECUTE ALERT', 'EXECUTE MANAGED ALERT', 'EXECUTE MANAGED TASK', 'EXECUTE TASK']);
    for (const g of account) expect(g.as).toBe('ACCOUNTADMIN');
  });

  it('serverless task and alert: EXECUTE MANAGED TASK and EXECUTE MANAGED ALERT, no task warehouse, a session warehouse for CREATE HYBRID TABLE', async () => {
    const script = await printGrants(['--serverless', '--alert-integration', 'MAIL_INT', '--alert-email', 'a@example.com']);
    expectAll(script, [...SERVERLESS_TASK, ...ALERT, ...SERVERLESS_ALERT]);
    expect(script).toContain('GRANT USAGE ON WAREHOUSE <session warehouse> TO ROLE "SYNC_ROLE";');
  });

  it('a warehouse alert needs EXECUTE ALERT but not EXECUTE MANAGED ALERT', async () => {
    const script = await printGrants(['--warehouse', 'ETL_WH', '--alert-integration', 'MAIL_INT', '--alert-email', 'a@example.com']);
    expectAll(script, ALERT);
    expect(script).not.toContain('EXECUTE MANAGED');
  });

  it('the reconciliation task is watched too, only when installed', async () => {
    expect(await printGrants(['--warehouse', 'W'])).not.toContain('RECONCILE_PIPELINE_RUN_HISTORY_DAILY');
    expect(await printGrants(['--warehouse', 'W', '--reconcile'])).toContain('GRANT MONITOR ON TASK "ANALYTICS"."ETL"."RECONCILE_PIPELINE_RUN_HISTORY_DAILY" TO ROLE "SYNC_ROLE_MONITOR";');
  });

  it('works with no connections file at all (placeholders for what it cannot know)', async () => {
    const io = capture();
    expect(await deployMain(['--print-grants', '--connection', 'prod'], io, { HOME: '/nonexistent' })).toBe(0);
    expect(io.text()).toContain('GRANT USAGE ON SCHEMA <database>.<schema> TO ROLE "HYBRID_SYNC_DEPLOYER";');
    expect(io.text()).toContain('GRANT USAGE ON WAREHOUSE <warehouse> TO ROLE "HYBRID_SYNC_DEPLOYER";');
  });
});

describe('--print-grants with a config file', () => {
  it('grants each sync its tables (and their schemas, when elsewhere) and the monitor role each sync task, instead of the shipped pair', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-grants-')), 'hybrid-sync.toml');
    fs.writeFileSync(
      file,
      `[sync.orders]\nsource = "ORDERS"\ntarget = "ORDERS_REPLICA"\nwatermark = "UPDATED_AT"\n\n[sync.customers]\nsource = 'CRM."Customers"'\ntarget = 'CRM."Customers_Replica"'\nwatermark = "TS"\nreconcile_schedule = "off"\n`,
    );
    const script = await printGrants(['--warehouse', 'ETL_WH', '--config', file]);
    const role = grants(script, 'SYNC_ROLE');
    const monitor = grants(script, 'SYNC_ROLE_MONITOR');
    const has = (list: typeof role, privilege: string, on: string): boolean => list.some((g) => g.privilege === privilege && g.on === on && g.as === 'SECURITYADMIN');
    // https://docs.snowflake.com/en/user-guide/security-access-control-privileges: reading a table needs USAGE on its database and schema and SELECT on it.
    expect(has(role, 'SELECT', 'TABLE "ANALYTICS"."ETL"."ORDERS"')).toBe(true);
    expect(has(role, 'DELETE', 'TABLE "ANALYTICS"."ETL"."ORDERS_REPLICA"')).toBe(true);
    expect(has(role, 'USAGE', 'SCHEMA "ANALYTICS"."CRM"')).toBe(true);
    expect(has(role, 'SELECT', 'TABLE "ANALYTICS"."CRM"."Customers"')).toBe(true);
    expect(has(role, 'INSERT', 'TABLE "ANALYTICS"."CRM"."Customers_Replica"')).toBe(true);
    expect(has(monitor, 'USAGE', 'SCHEMA "ANALYTICS"."CRM"')).toBe(true);
    expect(monitor.filter((g) => g.privilege === 'MONITOR').map((g) => g.on)).toEqual([
      'TASK "ANALYTICS"."ETL"."PURGE_SYNC_HISTORY_DAILY"',
      'TASK "ANALYTICS"."ETL"."HYBRID_SYNC_ORDERS"',
      'TASK "ANALYTICS"."ETL"."HYBRID_SYNC_ORDERS_RECONCILE"',
      'TASK "ANALYTICS"."ETL"."HYBRID_SYNC_CUSTOMERS"',
    ]);
    expect(script).not.toContain('ETL_PIPELINE_RUN_HISTORY_LOG"');
  });
});
