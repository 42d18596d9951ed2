/**
 * Opt-in: deploy → CALL → status → cleanup against a real Snowflake account.
 *
 *   HYBRID_SYNC_LIVE_CONNECTION=dev npm test -- test/live
 *
 * Needs a connection in connections.toml whose role may create a schema in its database (or in
 * HYBRID_SYNC_LIVE_DATABASE) and hybrid tables, procedures and tasks in it, with a warehouse
 * (the connection's, or HYBRID_SYNC_LIVE_WAREHOUSE). Everything is created in a new schema
 * HYBRID_SYNC_LIVE_<random> that is dropped afterwards. Without the variable the suite is
 * reported as skipped, never as passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployMain } from '../../scripts/deploy.js';
import { resolveConnection } from '../../scripts/lib/connections.js';
import { SnowflakeClient } from '../../scripts/lib/snowflake-client.js';
import { statusMain } from '../../scripts/status.js';

const CONNECTION = process.env.HYBRID_SYNC_LIVE_CONNECTION;
if (!CONNECTION) {
  console.warn(
    '\n[live] SKIPPED: test/live runs against a real Snowflake account only when HYBRID_SYNC_LIVE_CONNECTION names a connection ' +
      'in connections.toml (e.g. HYBRID_SYNC_LIVE_CONNECTION=dev npm test -- test/live). Optional: HYBRID_SYNC_LIVE_DATABASE, HYBRID_SYNC_LIVE_WAREHOUSE.\n',
  );
}

const lines: string[] = [];
const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };

describe.skipIf(!CONNECTION)('live: deploy → CALL → status → cleanup', () => {
  const schema = `HYBRID_SYNC_LIVE_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  let client: SnowflakeClient;
  let database: string;
  let args: string[];

  beforeAll(async () => {
    const conn = resolveConnection({ name: CONNECTION as string });
    database = process.env.HYBRID_SYNC_LIVE_DATABASE ?? conn.database ?? '';
    if (!database) throw new Error(`connection ${CONNECTION} sets no database: set HYBRID_SYNC_LIVE_DATABASE`);
    client = await SnowflakeClient.connect(conn);
    await client.query(`CREATE SCHEMA "${database.toUpperCase()}"."${schema}"`);
    const wh = process.env.HYBRID_SYNC_LIVE_WAREHOUSE;
    args = ['--connection', CONNECTION as string, '--database', database, '--schema', schema, ...(wh ? ['--warehouse', wh] : []), '--schedule', '11520 MINUTES'];
  }, 120_000);

  afterAll(async () => {
    if (!client) return;
    await client.query(`DROP SCHEMA IF EXISTS "${database.toUpperCase()}"."${schema}" CASCADE`);
    await client.close();
  }, 120_000);

  it('deploys, verifies, and deploys again idempotently', async () => {
    expect(await deployMain(args, io)).toBe(0);
    expect(lines.join('\n')).toMatch(/verify\n\s+ok {2}tasks SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION started/);
    expect(await deployMain(args, io)).toBe(0);
  }, 300_000);

  it('the deployed procedure syncs a row, and status reports HEALTHY', async () => {
    await client.query(`USE SCHEMA "${database.toUpperCase()}"."${schema}"`);
    await client.query(`INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (1, 'live', 'SUCCEEDED')`);
    await client.query('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    const rows = (await client.query('SELECT PIPELINE_RUN_ID FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION')).rows;
    expect(rows.map((r) => Number(r.PIPELINE_RUN_ID))).toEqual([1]);
    const out: string[] = [];
    const code = await statusMain(['--connection', CONNECTION as string, '--database', database, '--schema', schema, '--json'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    const report = JSON.parse(out[0] as string) as { level: string; reasons: string[] };
    expect(report.reasons).toEqual([]);
    expect([code, report.level]).toEqual([0, 'HEALTHY']);
  }, 300_000);
});
