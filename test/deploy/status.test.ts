/**
 * Status on the local runtime, with a driven clock: each rule of scripts/lib/status.ts, and the
 * commands end to end (exit codes, --json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock } from '../../local/index.js';
import { deployMain } from '../../scripts/deploy.js';
import { LocalClient } from '../../scripts/lib/local-client.js';
import { collectStatus, DEFAULT_THRESHOLDS, formatStatus } from '../../scripts/lib/status.js';
import { statusMain } from '../../scripts/status.js';
import { capture, deployInto } from './support.js';

let sf: LocalSnowflake;
let client: LocalClient;
let clock: ManualClock;
let nextId = 1;

afterEach(async () => {
  await client?.close();
  sf?.close();
});

async function deployed(): Promise<void> {
  clock = new ManualClock('2026-06-01T12:00:00Z');
  sf = LocalSnowflake.open({ clock });
  client = LocalClient.on(sf);
  await deployInto(client);
}

async function write(): Promise<void> {
  await client.query(`INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (?, 'orders', 'RUNNING')`, [nextId++]);
}

async function sync(): Promise<void> {
  await client.query('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
}

async function failingSync(): Promise<void> {
  await write(); // something to MERGE, so the MERGE runs and fails
  sf.faults.failNth(/^\s*MERGE/i, 1, { code: 100132, message: 'injected MERGE failure' });
  await expect(sync()).rejects.toThrow(/injected MERGE failure/);
}

const status = (t = DEFAULT_THRESHOLDS) => collectStatus(client, t);

describe('status rules', () => {
  it('HEALTHY after a successful run: the watermark is the source maximum and the lag is 0', async () => {
    await deployed();
    await write();
    clock.advance(1000);
    await write();
    await sync();
    const r = await status();
    expect([r.level, r.exitCode, r.reasons]).toEqual(['HEALTHY', 0, []]);
    expect(r.sync?.currentWatermark).toBe('2026-06-01 12:00:01.000000');
    expect(r.sync?.sourceMaxWatermark).toBe('2026-06-01 12:00:01.000000');
    expect([r.sync?.lagSeconds, r.sync?.successes24h, r.sync?.failures24h]).toEqual([0, 1, 0]);
    expect(r.lastRuns.map((x) => [x.status, x.rowsInserted])).toEqual([['SUCCESS', 2]]);
    expect(r.task?.state).toBe('started');
  });

  it('first run pending right after deploy is HEALTHY with a note; still no run much later is DEGRADED', async () => {
    await deployed();
    let r = await status();
    expect(r.level).toBe('HEALTHY');
    expect(r.notes[0]).toMatch(/^first run pending/);
    clock.advance(2 * 3600_000);
    r = await status();
    expect(r.level).toBe('DEGRADED');
    expect(r.reasons.join('\n')).toMatch(/no successful run yet/);
  });

  it('a suspended task is DEGRADED and says how to resume', async () => {
    await deployed();
    await sync();
    await client.query('ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SUSPEND');
    const r = await status();
    expect(r.exitCode).toBe(1);
    expect(r.reasons).toEqual(['degraded: task SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION is suspended (USER_SUSPENDED): fix the cause, then ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION RESUME (or re-run npm run deploy)']);
  });

  it('a failed run in the last 24 h is DEGRADED; once older than 24 h it no longer counts', async () => {
    await deployed();
    await failingSync();
    clock.advance(60_000);
    await sync();
    let r = await status();
    expect(r.exitCode).toBe(1);
    expect(r.sync?.failures24h).toBe(1);
    expect(r.reasons).toEqual(['degraded: 1 failed run(s) in the last 24 h (see ETL_PIPELINE_SYNC_FAILURES)']);
    expect(r.lastRuns.map((x) => x.status)).toEqual(['SUCCESS', 'FAILED']);
    clock.advance(25 * 3600_000);
    await sync();
    r = await status();
    expect([r.level, r.sync?.failures24h]).toEqual(['HEALTHY', 0]);
  });

  it('covers 24 h of a one-minute task: a failed run 23 h 59 min ago, behind 1,439 newer ones, still counts', async () => {
    await deployed();
    await sync();
    // 1,440 task runs, one a minute for 24 h, the oldest failed (TASK_HISTORY returns the newest
    // RESULT_LIMIT rows, and its default of 100 or a limit of 1000 would cut the oldest off).
    const now = Date.parse('2026-06-01T12:00:00Z');
    const values: string[] = [];
    for (let i = 1; i <= 1440; i++) {
      const at = new Date(now - i * 60_000 + 1000).toISOString();
      values.push(`('k${i}', 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', '${i === 1440 ? 'FAILED' : 'SUCCEEDED'}', '${at}', '${at}', 'SCHEDULE', ${i === 1440 ? "'boom'" : 'NULL'})`);
    }
    sf.session().execute(`INSERT INTO sf_local.task_history_log (RUN_KEY, NAME, STATE, SCHEDULED_TIME, COMPLETED_TIME, SCHEDULED_FROM, ERROR_MESSAGE) VALUES ${values.join(', ')}`);
    const r = await status();
    expect([r.taskHistory24h?.succeeded, r.taskHistory24h?.failed]).toEqual([1439, 1]);
    expect(r.reasons).toEqual(['degraded: 1 failed task run(s) in the last 24 h; last error: boom']);
  });

  it('every run of the last 24 h failed: BROKEN, with the last error', async () => {
    await deployed();
    await failingSync();
    clock.advance(60_000);
    await failingSync();
    const r = await status();
    expect([r.level, r.exitCode]).toEqual(['BROKEN', 2]);
    expect(r.reasons[0]).toMatch(/^broken: every run in the last 24 h failed \(2\); last error: .*injected MERGE failure/);
  });

  it('lag over --max-lag is DEGRADED; staleness is judged on its own', async () => {
    await deployed();
    await write();
    await sync();
    clock.advance(20 * 60_000);
    await write(); // stamped 20 minutes after the watermark, not synced yet
    let r = await status({ maxLagSeconds: 900, maxStalenessSeconds: 100_000 });
    expect(r.sync?.lagSeconds).toBe(1200);
    expect(r.reasons).toEqual(['degraded: replica lags the source by 1200 s (limit 900 s)']);
    r = await status({ maxLagSeconds: 3600, maxStalenessSeconds: 100_000 });
    expect(r.level).toBe('HEALTHY');
  });

  it('no successful run for longer than 3 intervals (at least 900 s) is DEGRADED even with no lag', async () => {
    await deployed();
    await sync();
    clock.advance(16 * 60_000);
    const r = await status();
    expect(r.thresholds.maxStalenessSeconds).toBe(900);
    expect(r.sync?.lagSeconds).toBe(null);
    expect(r.reasons).toEqual(['degraded: last successful run ended 960 s ago (limit 900 s)']);
  });

  it('a row stamped hours ahead and rows with a NULL stamp are DEGRADED, counted, with the fix', async () => {
    await deployed();
    await write();
    await client.query(`INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, LAST_UPDATE_DATE) VALUES (?, 'local-time', 'RUNNING', DATEADD('hour', 6, SYSDATE()))`, [nextId++]);
    await sync();
    const r = await status();
    expect(r.level).toBe('DEGRADED');
    expect([r.sync?.futureRows, r.sync?.futureMaxWatermark, r.sync?.futureAheadSeconds]).toEqual([1, '2026-06-01 18:00:00.000000', 6 * 3600]);
    expect(r.reasons.join('\n')).toMatch(/1 source row\(s\) stamped in the future, up to 2026-06-01 18:00:00.000000 UTC \(6.0 h ahead\).*stamp SYSDATE\(\)/);
    expect(formatStatus(r)).toMatch(/stamps {5}1 ahead of now/);
    // Six hours later it is merged and status is healthy again.
    clock.advance(6 * 3600_000 + 1000);
    await sync();
    expect((await status()).sync?.futureRows).toBe(0);
  });

  it('lists every sync of the control table, one line each, and a failing one makes the whole DEGRADED', async () => {
    await deployed();
    await write();
    await sync();
    for (const t of ['ORDERS', 'ORDERS_R']) {
      await client.query(`CREATE HYBRID TABLE ${t} (ID NUMBER(38,0) NOT NULL, UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ID))`);
    }
    const config = JSON.stringify({ sourceTable: 'ORDERS', targetTable: 'ORDERS_R', keyColumns: ['ID'], columns: ['ID', 'UPDATED_AT'], watermarkColumn: 'UPDATED_AT' });
    await client.query('INSERT INTO ORDERS VALUES (1, SYSDATE())');
    await client.query('CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', [config]);
    let r = await status();
    expect(r.level).toBe('HEALTHY');
    expect(r.syncs.map((x) => [x.name, x.lastRunStatus, x.failures24h])).toEqual([
      ['ETL_PIPELINE_RUN_HISTORY_LOG', 'SUCCESS', 0],
      ['ORDERS', 'SUCCESS', 0],
    ]);
    expect(formatStatus(r)).toMatch(/syncs\n {2}SYNC +WATERMARK \(UTC\).*\n {2}ETL_PIPELINE_RUN_HISTORY_LOG .*\n {2}ORDERS +\d{4}-/);
    // ORDERS' replica loses a column: its runs fail, and the status says so though the shipped sync is fine.
    await client.query('DROP TABLE ORDERS_R');
    await client.query('CREATE HYBRID TABLE ORDERS_R (ID NUMBER(38,0) NOT NULL, PRIMARY KEY (ID))');
    clock.advance(60_000);
    await expect(client.query('CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', [config])).rejects.toThrow(/lacks column\(s\) UPDATED_AT/);
    r = await status();
    expect(r.level).toBe('DEGRADED');
    expect(r.reasons.join('\n')).toMatch(/sync ORDERS: 1 failed run\(s\) in the last 24 h \(last run FAILED/);
  });

  it('a reconciliation MISMATCH is DEGRADED', async () => {
    await deployed();
    await write();
    await sync();
    await client.query(`INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, CREATED_AT, LAST_UPDATE_DATE) VALUES (999, 'ghost', 'X', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`);
    await client.query('CALL RECONCILE_PIPELINE_RUN_HISTORY_PROC()');
    const r = await status();
    expect(r.reconcile?.status).toBe('MISMATCH');
    expect(r.reasons.join('\n')).toMatch(/latest reconciliation MISMATCH/);
  });

  it('nothing deployed: BROKEN, naming the missing task and control table', async () => {
    sf = LocalSnowflake.open();
    client = LocalClient.on(sf);
    const r = await status();
    expect(r.exitCode).toBe(2);
    expect(r.reasons).toEqual([
      'broken: task SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION does not exist: run npm run deploy',
      'broken: control table ETL_PIPELINE_SYNC_CONTROL does not exist (or is not visible to this role): run npm run deploy',
    ]);
    expect(formatStatus(r)).toContain('BROKEN (exit 2)');
  });
});

describe('npm run deploy -- --local && npm run status -- --local', () => {
  it('deploy, run now, then status: exit 0, a table for people and JSON for machines', async () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-status-')), 'local.duckdb');
    const d = capture();
    expect(await deployMain(['--local', '--db', db, '--run-now'], d, {})).toBe(0);
    expect(d.text()).toMatch(/run 1: SUCCESS/);
    const s = capture();
    expect(await statusMain(['--local', '--db', db], s, {})).toBe(0);
    expect(s.lines[0]).toMatch(/^hybrid-sync status -> local runtime .*local\.duckdb\nHEALTHY \(exit 0\)\ntask {7}SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION {2}started/);
    const j = capture();
    expect(await statusMain(['--local', '--db', db, '--json'], j, {})).toBe(0);
    const report = JSON.parse(j.lines[0] as string) as { level: string; lastRuns: Array<{ status: string }>; taskHistory24h: { succeeded: number } };
    expect([report.level, report.lastRuns[0]?.status, report.taskHistory24h.succeeded]).toEqual(['HEALTHY', 'SUCCESS', 1]);
  });

  it('status --local without a database: exit 2, says to deploy first, creates nothing', async () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-status-')), 'none.duckdb');
    const s = capture();
    expect(await statusMain(['--local', '--db', db], s, {})).toBe(2);
    expect(s.text()).toContain('fix: deploy first: npm run deploy -- --local');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('bad flags: exit 2', async () => {
    const s = capture();
    expect(await statusMain(['--max-lag', 'soon', '--local'], s, {})).toBe(2);
    expect(s.text()).toContain('--max-lag must be a whole number of seconds');
  });
});
