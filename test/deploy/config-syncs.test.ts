/**
 * Every pair first class, end to end on the local runtime: a config file with three pairs (a
 * composite key, quoted mixed-case names, a TIMESTAMP_LTZ watermark written from several time
 * zones) deploys, its tasks keep each replica equal to its source, status judges each sync on
 * its own, the alert names only the failing one and emails once, deletes follow each sync's
 * mode, a commit later than the lookback is repaired by the sync's reconciliation task, and a
 * re-deploy of the same file touches no task.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock, type LocalSession } from '../../local/index.js';
import { LocalClient } from '../../scripts/lib/local-client.js';
import { collectSyncsStatus } from '../../scripts/lib/status-syncs.js';
import { DEFAULT_THRESHOLDS } from '../../scripts/lib/status.js';
import { readSyncFile } from '../../scripts/lib/sync-file.js';
import { deployMain } from '../../scripts/deploy.js';
import { capture, deployInto, snowflakeHome } from './support.js';

const MINUTE = 60_000;

const CONFIG = `[defaults]
schedule = "1 MINUTE"
lookback_seconds = 300
alert_integration = "OPS_EMAIL"
alert_emails = ["oncall@example.com"]

[sync.orders]
source = "ORDERS"
target = "ORDERS_REPLICA"
watermark = "UPDATED_AT"
deletes = "none"

[sync.customers]
source = '"Customers"'
target = '"Customers_Replica"'
watermark = '"LastUpdate"'
deletes = "soft:IS_DELETED"

[sync.events]
source = "EVENTS"
target = "EVENTS_REPLICA"
watermark = "TS"
deletes = "reconcile"
`;

const SOURCES = [
  'CREATE HYBRID TABLE ORDERS (ORDER_ID NUMBER(38,0) NOT NULL, LINE_NO NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ORDER_ID, LINE_NO), INDEX IDX_ORDERS_UPDATED_AT (UPDATED_AT))',
  'CREATE HYBRID TABLE "Customers" ("CustomerId" NUMBER(38,0) NOT NULL PRIMARY KEY, "Name" VARCHAR(100), IS_DELETED BOOLEAN, "LastUpdate" TIMESTAMP_NTZ(9) NOT NULL, INDEX IDX_CUSTOMERS_LAST ("LastUpdate"))',
  'CREATE HYBRID TABLE EVENTS (EVENT_ID NUMBER(38,0) NOT NULL PRIMARY KEY, KIND VARCHAR(20), TS TIMESTAMP_LTZ(9) NOT NULL, INDEX IDX_EVENTS_TS (TS))',
];

const PAIRS = [
  { source: 'ORDERS', target: 'ORDERS_REPLICA', key: 'ORDER_ID, LINE_NO' },
  { source: '"Customers"', target: '"Customers_Replica"', key: '"CustomerId"' },
  { source: 'EVENTS', target: 'EVENTS_REPLICA', key: 'EVENT_ID' },
];

let dir: string;
let file: string;
let sf: LocalSnowflake;
let client: LocalClient;
let clock: ManualClock;
let admin: LocalSession;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-config-'));
  file = path.join(dir, 'hybrid-sync.toml');
  fs.writeFileSync(file, CONFIG);
  clock = new ManualClock('2026-03-01T00:00:00Z');
  sf = LocalSnowflake.open({ clock });
  client = LocalClient.on(sf);
  admin = sf.session({ name: 'admin', timezone: 'UTC' });
  for (const ddl of SOURCES) admin.execute(ddl);
});

afterEach(async () => {
  await client?.close();
  sf?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rowsOf = (s: LocalSession, sql: string): string[] => s.execute(sql).rows.map((r) => JSON.stringify(r));
/** Every row of a table, in key order, as text: the replica must equal the source. */
const contents = (table: string, key: string): string[] => rowsOf(admin, `SELECT * FROM ${table} ORDER BY ${key}`);
const expectReplicasEqual = (): void => {
  for (const p of PAIRS) expect(contents(p.target, p.key), `${p.target} = ${p.source}`).toEqual(contents(p.source, p.key));
};

/** Writers in three time zones: NTZ columns stamp UTC (SYSDATE()), the LTZ column the instant. */
function write(round: number): void {
  const la = sf.session({ name: `la-${round}`, timezone: 'America/Los_Angeles' });
  const tokyo = sf.session({ name: `tokyo-${round}`, timezone: 'Asia/Tokyo' });
  try {
    for (let i = 1; i <= 3; i++) {
      la.execute('MERGE INTO ORDERS T USING (SELECT ? AS ID, ? AS LN) S ON T.ORDER_ID = S.ID AND T.LINE_NO = S.LN WHEN MATCHED THEN UPDATE SET AMOUNT = AMOUNT + 1, UPDATED_AT = SYSDATE() WHEN NOT MATCHED THEN INSERT (ORDER_ID, LINE_NO, AMOUNT, UPDATED_AT) VALUES (S.ID, S.LN, 10, SYSDATE())', [round, i]);
    }
    tokyo.execute('INSERT INTO "Customers" ("CustomerId", "Name", IS_DELETED, "LastUpdate") VALUES (?, ?, FALSE, SYSDATE())', [round, `customer ${round}`]);
    if (round > 1) tokyo.execute('UPDATE "Customers" SET "Name" = "Name" || \'!\', "LastUpdate" = SYSDATE() WHERE "CustomerId" = 1');
    la.execute('INSERT INTO EVENTS (EVENT_ID, KIND, TS) VALUES (?, ?, CURRENT_TIMESTAMP())', [round, 'la']);
    tokyo.execute('INSERT INTO EVENTS (EVENT_ID, KIND, TS) VALUES (?, ?, CURRENT_TIMESTAMP())', [100 + round, 'tokyo']);
  } finally {
    la.close();
    tokyo.close();
  }
}

/** One scheduled minute: the sync tasks run, then (every 5 minutes) the alert. */
function minute(n = 1): void {
  for (let i = 0; i < n; i++) {
    clock.advance(MINUTE);
    sf.tasks.tick();
  }
}

const status = async (): Promise<Record<string, string>> => {
  const r = await collectSyncsStatus(client, readSyncFile(file), DEFAULT_THRESHOLDS);
  return Object.fromEntries(r.syncs.map((x) => [x.sync, x.report.level]));
};

describe('a config file with three pairs, deployed on the local runtime', () => {
  it('creates the replicas from the sources, syncs all three from writers in three zones, and status shows three healthy syncs', async () => {
    const result = await deployInto(client, ['--config', file]);
    expect(result.report.infos.filter((l) => /does not exist: creating it/.test(l))).toHaveLength(3);
    // The replica has the source's columns, types and key (DESCRIBE: name, type, null?, primary key).
    const described = (t: string): string[] => admin.execute(`DESCRIBE TABLE ${t}`).objects().map((r) => [r.name, r.type, r['null?'], r['primary key']].join(' '));
    for (const p of PAIRS) expect(described(p.target)).toEqual(described(p.source));
    const tasks = admin.execute("SHOW TASKS LIKE 'HYBRID_SYNC_%'").objects().map((r) => `${String(r.name)} ${String(r.state)}`).sort();
    expect(tasks).toEqual(['HYBRID_SYNC_CUSTOMERS started', 'HYBRID_SYNC_CUSTOMERS_RECONCILE started', 'HYBRID_SYNC_EVENTS started', 'HYBRID_SYNC_EVENTS_RECONCILE started', 'HYBRID_SYNC_ORDERS started', 'HYBRID_SYNC_ORDERS_RECONCILE started']);

    for (let round = 1; round <= 3; round++) {
      write(round);
      if (round === 2) {
        // Written, not yet synced: status counts each sync's rows in flight.
        const r = await collectSyncsStatus(client, readSyncFile(file), DEFAULT_THRESHOLDS);
        expect(Object.fromEntries(r.syncs.map((x) => [x.sync, x.report.sync?.rowsInFlight]))).toEqual({ orders: 3, customers: 2, events: 2 });
        // The status view counts them too, each source read in UTC whatever its watermark type.
        const view = admin.execute('SELECT TABLE_NAME, ROWS_IN_FLIGHT FROM ETL_PIPELINE_SYNC_STATUS ORDER BY TABLE_NAME').rows;
        expect(view).toEqual([['customers', 2], ['events', 2], ['orders', 3]]);
      }
      minute();
    }
    minute();
    expectReplicasEqual();
    expect(contents('ORDERS_REPLICA', 'ORDER_ID, LINE_NO')).toHaveLength(9);
    expect(contents('EVENTS_REPLICA', 'EVENT_ID')).toHaveLength(6);
    expect(await status()).toEqual({ orders: 'HEALTHY', customers: 'HEALTHY', events: 'HEALTHY' });
    // Each sync keeps its own watermark in the state table, under its section's name.
    expect(admin.execute('SELECT SYNC_NAME FROM ETL_PIPELINE_SYNC_STATE ORDER BY SYNC_NAME').rows.map((r) => r[0])).toEqual(['customers', 'events', 'orders']);
  });

  it('a failing sync is the only unhealthy one, and the alert names it in one email however long it fails', async () => {
    await deployInto(client, ['--config', file]);
    write(1);
    minute(5);
    expect(sf.emails).toEqual([]);

    // Every MERGE into the orders replica fails from now on; the others carry on.
    sf.faults.failNth(/^MERGE INTO "ORDERS_REPLICA"/, 1, { message: 'Injected: orders replica unavailable' }, 1000);
    for (let round = 2; round <= 4; round++) {
      write(round);
      minute(5);
    }
    expect(await status()).toEqual({ orders: 'DEGRADED', customers: 'HEALTHY', events: 'HEALTHY' });
    const failing = await collectSyncsStatus(client, readSyncFile(file), DEFAULT_THRESHOLDS);
    expect(failing.exitCode).toBe(1);
    expect(failing.syncs.find((x) => x.sync === 'orders')?.report.reasons.join('\n')).toMatch(/failed run/);
    expect(sf.emails).toHaveLength(1);
    expect(sf.emails[0]).toMatchObject({ integration: 'OPS_EMAIL', recipients: ['oncall@example.com'], subject: 'hybrid-sync: 1 sync needs attention: orders' });
    expect(sf.emails[0]?.body).toContain('Injected: orders replica unavailable');
    for (const p of PAIRS.slice(1)) expect(contents(p.target, p.key)).toEqual(contents(p.source, p.key));

    // Ten failures in a row suspended its task (SUSPEND_TASK_AFTER_NUM_FAILURES); status says so and how to resume.
    expect(failing.syncs.find((x) => x.sync === 'orders')?.report.reasons.join('\n')).toMatch(/task HYBRID_SYNC_ORDERS is suspended.*ALTER TASK HYBRID_SYNC_ORDERS RESUME/);
    sf.faults.clear();
    admin.execute('ALTER TASK HYBRID_SYNC_ORDERS RESUME');
    minute(10);
    expectReplicasEqual();
    expect(sf.emails).toHaveLength(1);
  });

  it('deletes follow each sync: soft marks travel, "reconcile" removes the replica row, "none" keeps it', async () => {
    await deployInto(client, ['--config', file]);
    write(1);
    write(2);
    minute();
    admin.execute('UPDATE "Customers" SET IS_DELETED = TRUE, "LastUpdate" = SYSDATE() WHERE "CustomerId" = 2');
    admin.execute('DELETE FROM EVENTS WHERE EVENT_ID = 1');
    admin.execute('DELETE FROM ORDERS WHERE ORDER_ID = 1 AND LINE_NO = 1');
    minute();
    expect(rowsOf(admin, 'SELECT IS_DELETED FROM "Customers_Replica" WHERE "CustomerId" = 2')).toEqual(['[true]']);
    admin.execute('EXECUTE TASK HYBRID_SYNC_EVENTS_RECONCILE');
    admin.execute('EXECUTE TASK HYBRID_SYNC_ORDERS_RECONCILE');
    expect(contents('EVENTS_REPLICA', 'EVENT_ID')).toEqual(contents('EVENTS', 'EVENT_ID'));
    expect(rowsOf(admin, 'SELECT COUNT(*) FROM ORDERS_REPLICA WHERE ORDER_ID = 1 AND LINE_NO = 1')).toEqual(['[1]']);
  });

  it("a commit later than the lookback is lost by the watermark and repaired by the sync's reconciliation task", async () => {
    await deployInto(client, ['--config', file]);
    write(1);
    minute();
    // Half an hour with nothing to sync (the scheduler runs a task once after a jump, as Snowflake skips missed runs).
    clock.advance(28 * MINUTE);
    write(2);
    minute();
    // Stamped 20 minutes ago, committed only now: behind the watermark minus the 300 s lookback.
    admin.execute("INSERT INTO ORDERS (ORDER_ID, LINE_NO, AMOUNT, UPDATED_AT) VALUES (77, 1, 5, DATEADD('minute', -20, SYSDATE()))");
    minute(2);
    expect(rowsOf(admin, 'SELECT COUNT(*) FROM ORDERS_REPLICA WHERE ORDER_ID = 77')).toEqual(['[0]']);
    admin.execute('EXECUTE TASK HYBRID_SYNC_ORDERS_RECONCILE');
    expectReplicasEqual();
    expect(rowsOf(admin, "SELECT STATUS FROM ETL_PIPELINE_RECONCILE_LOG WHERE TABLE_NAME = 'orders' ORDER BY CHECK_ID DESC LIMIT 1")).toEqual(['["REPAIRED"]']);
  });

  it('re-deploying the same file touches no sync task; --prune drops the tasks of a sync removed from it, never its tables', async () => {
    await deployInto(client, ['--config', file]);
    const again = await deployInto(client, ['--config', file]);
    expect(again.report.statements.filter((s) => /HYBRID_SYNC_(ORDERS|CUSTOMERS|EVENTS)/.test(s) && /^(CREATE OR ALTER TASK|ALTER TASK)/.test(s))).toEqual([]);

    fs.writeFileSync(file, CONFIG.replace(/\[sync\.events\][\s\S]*$/, ''));
    const kept = await deployInto(client, ['--config', file]);
    expect(kept.report.infos.join('\n')).toMatch(/no longer in .*HYBRID_SYNC_EVENTS, HYBRID_SYNC_EVENTS_RECONCILE.*--prune drops them/);
    expect(admin.execute("SHOW TASKS LIKE 'HYBRID_SYNC_EVENTS%'").rows).toHaveLength(2);

    await deployInto(client, ['--config', file, '--prune']);
    expect(admin.execute("SHOW TASKS LIKE 'HYBRID_SYNC_EVENTS%'").rows).toHaveLength(0);
    expect(admin.execute("SHOW TASKS LIKE 'HYBRID_SYNC_%'").rows).toHaveLength(4);
    expect(rowsOf(admin, 'SELECT COUNT(*) FROM EVENTS_REPLICA')).toEqual(['[0]']);
  });

  it('refuses, before changing anything, a sync whose source lacks what the file names, listing every problem', async () => {
    fs.writeFileSync(file, CONFIG.replace('watermark = "TS"', 'watermark = "CREATED"').replace('source = "ORDERS"', 'source = "NO_SUCH_TABLE"'));
    await expect(deployInto(client, ['--config', file])).rejects.toThrow(/2 syncs of .* cannot be deployed[\s\S]*source NO_SUCH_TABLE does not exist[\s\S]*watermark column CREATED is not a column of EVENTS/);
    expect(admin.execute("SHOW TASKS LIKE 'HYBRID_SYNC_%'").rows).toHaveLength(0);
  });

  // The local runtime's default database is LOCAL (local/README.md); a table named with it is in
  // the deployment's database, so the sync deploys and runs with three-part names throughout.
  it('deploys a sync whose tables name the deployment\'s database (CURRENT_DATABASE().PUBLIC.ORDERS) and keeps it in sync', async () => {
    const database = String(admin.execute('SELECT CURRENT_DATABASE()').rows[0]?.[0]);
    fs.writeFileSync(file, CONFIG.replace('source = "ORDERS"', `source = "${database}.PUBLIC.ORDERS"`).replace('target = "ORDERS_REPLICA"', `target = "${database}.PUBLIC.ORDERS_REPLICA"`));
    const result = await deployInto(client, ['--config', file]);
    expect(result.report.infos.filter((l) => /does not exist: creating it/.test(l))).toHaveLength(3);
    write(1);
    minute();
    write(2);
    minute();
    expectReplicasEqual();
    expect(contents(`${database}.PUBLIC.ORDERS_REPLICA`, 'ORDER_ID, LINE_NO')).toHaveLength(6);
    // The sync's own statements named the tables with all three parts.
    expect(sf.log.matching(new RegExp(`^MERGE INTO "${database}"\\."PUBLIC"\\."ORDERS_REPLICA"`)).filter((e) => !e.error).length).toBeGreaterThan(0);
    expect(await status()).toEqual({ orders: 'HEALTHY', customers: 'HEALTHY', events: 'HEALTHY' });
  });

  it('refuses a sync whose tables are in another database than the deployment, naming the fix', async () => {
    fs.writeFileSync(file, CONFIG.replace('source = "ORDERS"', 'source = "OTHER_DB.ETL.ORDERS"'));
    await expect(deployInto(client, ['--config', file])).rejects.toThrow(/OTHER_DB\.ETL\.ORDERS is not in the deployment's database[\s\S]*--database OTHER_DB/);
  });

  it('prints, in a dry run, each sync\'s tasks with placeholders for what only the tables would tell', async () => {
    const io = capture();
    // No connections file at all: a dry run connects to nothing.
    expect(await deployMain(['--config', file, '--connection', 'prod', '--warehouse', 'ETL_WH', '--dry-run'], io, { SNOWFLAKE_HOME: snowflakeHome({}) })).toBe(0);
    const text = io.text();
    expect(text).toContain(`CALL "HYBRID_SYNC_TABLE"({'syncName': 'events', 'sourceTable': 'EVENTS', 'targetTable': 'EVENTS_REPLICA', 'keyColumns': ['<primary key of EVENTS>'], 'columns': ['<columns of EVENTS>'], 'watermarkColumn': 'TS'});`);
    expect(text).toMatch(/CREATE OR ALTER TASK "HYBRID_SYNC_EVENTS_RECONCILE"\n[\s\S]*?, TRUE, TRUE\);/);
    expect(text).toMatch(/CREATE OR ALTER TASK "HYBRID_SYNC_ORDERS_RECONCILE"\n[\s\S]*?, TRUE, FALSE\);/);
    expect(text).toContain('Nothing was sent.');
  });

  it('a column added to a source stops its sync, naming the fix; a re-deploy adds it to the replica and the sync, and the reconciliation task fills it', async () => {
    await deployInto(client, ['--config', file]);
    write(1);
    minute();
    admin.execute('ALTER TABLE ORDERS ADD COLUMN NOTE VARCHAR(20)');
    admin.execute("UPDATE ORDERS SET NOTE = 'gift', UPDATED_AT = SYSDATE() WHERE LINE_NO = 1");
    minute();
    // Every column of the source is synced (no columns listed): the new one stops the sync, nothing is written, and the error says to deploy again.
    expect(await status()).toEqual({ orders: 'DEGRADED', customers: 'HEALTHY', events: 'HEALTHY' });
    expect(rowsOf(admin, "SELECT ERROR_MESSAGE FROM ETL_PIPELINE_SYNC_CONTROL WHERE TABLE_NAME = 'orders' ORDER BY SYNC_RUN_ID DESC LIMIT 1")[0]).toMatch(/has column\(s\) NOTE that the sync does not replicate.*run its deploy again/);
    const redeploy = await deployInto(client, ['--config', file]);
    expect(redeploy.report.infos.join('\n')).toMatch(/orders: the source has 1 column\(s\) the replica lacks: adding them to ORDERS_REPLICA/);
    admin.execute("UPDATE ORDERS SET NOTE = 'rush', UPDATED_AT = SYSDATE() WHERE LINE_NO = 2");
    minute();
    admin.execute('EXECUTE TASK HYBRID_SYNC_ORDERS_RECONCILE');
    expectReplicasEqual();
    expect(rowsOf(admin, 'SELECT NOTE FROM ORDERS_REPLICA ORDER BY LINE_NO')).toEqual(['["gift"]', '["rush"]', '[null]']);
  });

  it('a column widened in a source: the run meeting a longer value names the fix, and a re-deploy widens the replica so the sync goes on', async () => {
    await deployInto(client, ['--config', file]);
    write(1);
    minute();
    admin.execute('ALTER TABLE ORDERS ALTER COLUMN AMOUNT SET DATA TYPE NUMBER(20,2)');
    admin.execute('UPDATE ORDERS SET AMOUNT = 123456789012345.25, UPDATED_AT = SYSDATE() WHERE LINE_NO = 1');
    minute();
    expect(await status()).toEqual({ orders: 'DEGRADED', customers: 'HEALTHY', events: 'HEALTHY' });
    expect(rowsOf(admin, "SELECT ERROR_MESSAGE FROM ETL_PIPELINE_SYNC_CONTROL WHERE TABLE_NAME = 'orders' ORDER BY SYNC_RUN_ID DESC LIMIT 1")[0]).toMatch(
      /column AMOUNT is NUMBER\(20,2\) in the source but NUMBER\(12,2\) in the replica.*fix: ALTER TABLE \W+ORDERS_REPLICA\W+ ALTER COLUMN \W+AMOUNT\W+ SET DATA TYPE NUMBER\(20,2\);/,
    );
    const redeploy = await deployInto(client, ['--config', file]);
    expect(redeploy.report.infos.join('\n')).toMatch(/orders: 1 column\(s\) of the source were widened: widening them in ORDERS_REPLICA/);
    expect(admin.execute('DESCRIBE TABLE ORDERS_REPLICA').rows.find((r) => r[0] === 'AMOUNT')?.[1]).toBe('NUMBER(20,2)');
    minute();
    // The failed run stays in the day's count (DEGRADED for 24 h); the sync itself is back.
    expect(rowsOf(admin, "SELECT SYNC_STATUS FROM ETL_PIPELINE_SYNC_CONTROL WHERE TABLE_NAME = 'orders' ORDER BY SYNC_RUN_ID DESC LIMIT 1")).toEqual(['["SUCCESS"]']);
    expectReplicasEqual();
  });

  it('a sync that lists its columns copies only those, and a column added to the source later changes nothing', async () => {
    fs.writeFileSync(file, CONFIG.replace('watermark = "UPDATED_AT"', 'watermark = "UPDATED_AT"\ncolumns = ["ORDER_ID", "LINE_NO", "UPDATED_AT"]'));
    await deployInto(client, ['--config', file]);
    write(1);
    admin.execute('ALTER TABLE ORDERS ADD COLUMN NOTE VARCHAR(20)');
    admin.execute("UPDATE ORDERS SET NOTE = 'gift', UPDATED_AT = SYSDATE() WHERE LINE_NO = 1");
    minute();
    expect(await status()).toEqual({ orders: 'HEALTHY', customers: 'HEALTHY', events: 'HEALTHY' });
    expect(admin.execute('DESCRIBE TABLE ORDERS_REPLICA').rows.map((r) => r[0])).toEqual(['ORDER_ID', 'LINE_NO', 'UPDATED_AT']);
    expect(contents('ORDERS_REPLICA', 'ORDER_ID, LINE_NO')).toEqual(contents('(SELECT ORDER_ID, LINE_NO, UPDATED_AT FROM ORDERS)', 'ORDER_ID, LINE_NO'));
  });

  it("the alert judges each sync's lag by its own alert_lag_seconds", async () => {
    fs.writeFileSync(file, CONFIG.replace('deletes = "reconcile"', 'deletes = "reconcile"\nalert_lag_seconds = 120'));
    await deployInto(client, ['--config', file]);
    write(1);
    minute(5);
    // Both tasks stop; writes go on. Four minutes later events (limit 120 s) lags, orders (900 s) does not yet.
    admin.execute('ALTER TASK HYBRID_SYNC_EVENTS SUSPEND');
    admin.execute('ALTER TASK HYBRID_SYNC_ORDERS SUSPEND');
    write(2);
    minute(5);
    expect(sf.emails.map((e) => e.subject)).toEqual(['hybrid-sync: 1 sync needs attention: events']);
    expect(sf.emails[0]?.body).toMatch(/^events: replica lags the source by \d+ s \(limit 120 s\)/);
  });

  it('puts the shared tables in the database every sync names, when the connection is in another (dry run)', async () => {
    fs.writeFileSync(file, CONFIG.replace(/source = "(\w+)"/g, 'source = "ANALYTICS.ETL.$1"').replace(/target = "(\w+)"/g, 'target = "ANALYTICS.ETL.$1"').replace(/source = '"/g, "source = 'ANALYTICS.CRM.\"").replace(/target = '"/g, "target = 'ANALYTICS.CRM.\""));
    const home = snowflakeHome({ 'connections.toml': { text: '[prod]\naccount = "myorg-acct"\nuser = "deployer"\npassword = "pw-not-printed"\ndatabase = "OTHER_DB"\nschema = "PUBLIC"\nwarehouse = "ETL_WH"\n' } });
    const io = capture();
    expect(await deployMain(['--config', file, '--connection', 'prod', '--dry-run'], io, { SNOWFLAKE_HOME: home }), io.text()).toBe(0);
    expect(io.text()).toContain('note: every sync of');
    expect(io.text()).toMatch(/^USE DATABASE "ANALYTICS";$/m);
    expect(io.text()).toContain(`'sourceTable': 'ANALYTICS.CRM."Customers"'`);
    expect(io.text()).not.toContain('pw-not-printed');
  });

  it('names the shipped pair\'s task when it still runs next to a config file\'s syncs', async () => {
    const alone = await deployInto(client, ['--config', file]);
    expect(alone.report.infos.join('\n')).not.toMatch(/shipped pair/);
    await deployInto(client);
    const next = await deployInto(client, ['--config', file]);
    expect(next.report.infos.join('\n')).toMatch(/the shipped pair's task SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION is still started .*ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SUSPEND;/);
  });
});
