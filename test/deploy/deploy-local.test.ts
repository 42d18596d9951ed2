/**
 * Deploy through the SqlClient interface into the local runtime (DuckDB): the end state,
 * idempotency, overload clean-up, task settings, --run-now, and errors raised mid-deploy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSnowflake } from '../../local/index.js';
import { DeployError } from '../../scripts/lib/errors.js';
import type { LocalClient } from '../../scripts/lib/local-client.js';
import { deployInto, freshLocal } from './support.js';

const TASK = 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION';
let sf: LocalSnowflake;
let client: LocalClient;

afterEach(async () => {
  await client?.close();
  sf?.close();
});

async function rows(sql: string, binds: Array<string | number> = []): Promise<Record<string, unknown>[]> {
  return (await client.query(sql, binds)).rows;
}

async function taskRow(): Promise<Record<string, unknown>> {
  const r = await rows(`SHOW TASKS LIKE '${TASK}'`);
  expect(r).toHaveLength(1);
  return r[0] as Record<string, unknown>;
}

async function addSource(id: number): Promise<void> {
  await client.query(`INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (?, 'orders', 'SUCCEEDED')`, [id]);
}

describe('deploy into the local runtime', () => {
  it('upgrades a deployment of the first version: the run-id sequence starts above its run ids, and the sync carries on from its watermark', async () => {
    ({ sf, client } = freshLocal());
    // The first version's control table, with history and a watermark, and its source and replica.
    await client.query(
      `CREATE HYBRID TABLE ETL_PIPELINE_SYNC_CONTROL (SYNC_RUN_ID NUMBER(38,0) NOT NULL, TABLE_NAME VARCHAR(255) NOT NULL, SYNC_START_TIMESTAMP TIMESTAMP_NTZ(9) NOT NULL,
        SYNC_END_TIMESTAMP TIMESTAMP_NTZ(9), WATERMARK_FROM TIMESTAMP_NTZ(9), WATERMARK_TO TIMESTAMP_NTZ(9), ROWS_INSERTED NUMBER(38,0), ROWS_UPDATED NUMBER(38,0),
        ROWS_PROCESSED NUMBER(38,0), SYNC_STATUS VARCHAR(20) NOT NULL, ERROR_MESSAGE VARCHAR(4000), BATCH_NUMBER NUMBER(38,0), PRIMARY KEY (SYNC_RUN_ID))`,
    );
    await client.query(
      `INSERT INTO ETL_PIPELINE_SYNC_CONTROL (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, WATERMARK_TO, SYNC_STATUS, BATCH_NUMBER) VALUES (500, 'ETL_PIPELINE_RUN_HISTORY_LOG', SYSDATE(), '2026-01-01 00:00:00', 'SUCCESS', 1)`,
    );
    await deployInto(client);
    // The new columns were added in place and the history kept.
    expect(await rows('SELECT SYNC_RUN_ID, NULL_WATERMARK_ROWS FROM ETL_PIPELINE_SYNC_CONTROL')).toEqual([{ SYNC_RUN_ID: 500, NULL_WATERMARK_ROWS: null }]);
    await addSource(1);
    const r = (await rows('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()'))[0] as Record<string, unknown>;
    const summary = (typeof r.SYNC_PIPELINE_RUN_HISTORY_PROC === 'string' ? JSON.parse(r.SYNC_PIPELINE_RUN_HISTORY_PROC) : r.SYNC_PIPELINE_RUN_HISTORY_PROC) as { status: string; runIds: string[]; watermarkFrom: string };
    expect(summary.status).toBe('SUCCESS');
    expect(Number(summary.runIds[0])).toBe(501);
    expect(summary.watermarkFrom).toBe('2025-12-31 23:55:00.000000000');
  });

  it('installs tables, procedures, views and a started task, and verifies them', async () => {
    ({ sf, client } = freshLocal());
    const result = await deployInto(client);
    expect((await taskRow()).state).toBe('started');
    expect((await taskRow()).schedule).toBe('1 MINUTE');
    for (const t of ['ETL_PIPELINE_RUN_HISTORY_LOG', 'ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION', 'ETL_PIPELINE_SYNC_CONTROL', 'ETL_PIPELINE_RECONCILE_LOG', 'ETL_PIPELINE_SYNC_STATUS']) {
      expect(await rows(`SELECT COUNT(*) AS N FROM ${t}`)).toHaveLength(1);
    }
    expect(sf.procedureNames().sort()).toEqual(['HYBRID_SYNC_RECONCILE', 'HYBRID_SYNC_RESYNC', 'HYBRID_SYNC_TABLE', 'PURGE_SYNC_HISTORY_PROC', 'RECONCILE_PIPELINE_RUN_HISTORY_PROC', 'RESYNC_PIPELINE_RUN_HISTORY_PROC', 'SYNC_PIPELINE_RUN_HISTORY_PROC']);
    // The sync task and the daily retention task.
    expect(result.verified?.tasks).toEqual([
      { name: TASK, state: 'started' },
      { name: 'PURGE_SYNC_HISTORY_DAILY', state: 'started' },
    ]);
    expect(result.verified?.procedures.sort()).toEqual(['HYBRID_SYNC_RECONCILE', 'HYBRID_SYNC_RESYNC', 'HYBRID_SYNC_TABLE', 'PURGE_SYNC_HISTORY_PROC', 'RECONCILE_PIPELINE_RUN_HISTORY_PROC', 'RESYNC_PIPELINE_RUN_HISTORY_PROC', 'SYNC_PIPELINE_RUN_HISTORY_PROC']);
    // The deployed procedure works: a source row reaches the replica.
    await addSource(7);
    await client.query('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    expect(await rows('SELECT PIPELINE_RUN_ID FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION')).toEqual([{ PIPELINE_RUN_ID: 7 }]);
  });

  it('suspends the task before replacing the procedures and resumes it last', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    const second = await deployInto(client);
    const s = second.report.statements;
    const suspend = s.findIndex((x) => /ALTER TASK IF EXISTS "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION" SUSPEND/.test(x));
    const firstProc = s.findIndex((x) => /^CREATE OR REPLACE PROCEDURE/.test(x));
    const resume = s.findIndex((x) => /ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION" RESUME/.test(x));
    expect(suspend).toBeGreaterThanOrEqual(0);
    expect(suspend).toBeLessThan(firstProc);
    expect(resume).toBeGreaterThan(firstProc);
  });

  it('is idempotent: a second deploy keeps the data, the replica and the control history', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    await addSource(1);
    await addSource(2);
    await client.query('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    await client.query('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    const before = await rows('SELECT SYNC_RUN_ID, SYNC_STATUS, ROWS_INSERTED FROM ETL_PIPELINE_SYNC_CONTROL ORDER BY SYNC_RUN_ID');
    expect(before).toHaveLength(2);

    const again = await deployInto(client);
    expect(again.verified?.controlRows).toBe(2);
    expect(await rows('SELECT SYNC_RUN_ID, SYNC_STATUS, ROWS_INSERTED FROM ETL_PIPELINE_SYNC_CONTROL ORDER BY SYNC_RUN_ID')).toEqual(before);
    expect(await rows('SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION')).toEqual([{ N: 2 }]);
    expect((await taskRow()).state).toBe('started');
    expect(again.droppedOverloads).toEqual([]);
    // The watermark survives: the next run continues and inserts only the new row.
    await addSource(3);
    const call = await rows('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    const summary = Object.values(call[0] as object)[0];
    expect(typeof summary === 'string' ? JSON.parse(summary) : summary).toMatchObject({ status: 'SUCCESS', rowsInserted: 1 });
  });

  it('drops an older overload of a procedure whose signature changed', async () => {
    ({ sf, client } = freshLocal());
    await client.query("CREATE OR REPLACE PROCEDURE HYBRID_SYNC_TABLE(CONFIG VARCHAR, DRY BOOLEAN) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 'old'; $$");
    const result = await deployInto(client);
    expect(result.droppedOverloads).toEqual(['HYBRID_SYNC_TABLE(VARCHAR, BOOLEAN)']);
    const shown = await rows("SHOW PROCEDURES LIKE 'HYBRID_SYNC_TABLE'");
    expect(shown.map((r) => r.arguments)).toEqual(['HYBRID_SYNC_TABLE(OBJECT) RETURN VARIANT']);
  });

  it('applies schedule, warehouse, serverless and failure settings to the task', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client, ['--warehouse', 'etl_wh', '--schedule', '5 MINUTES', '--suspend-after-failures', '3']);
    let t = await taskRow();
    expect([t.warehouse, t.schedule, t.state]).toEqual(['ETL_WH', '5 MINUTES', 'started']);
    await deployInto(client, ['--serverless', '--schedule', 'USING CRON */15 * * * * UTC']);
    t = await taskRow();
    expect([t.warehouse, t.schedule, t.state]).toEqual([null, 'USING CRON */15 * * * * UTC', 'started']);
  });

  it('installs the reconciliation task only when asked', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    expect(await rows("SHOW TASKS LIKE 'RECONCILE%'")).toEqual([]);
    const r = await deployInto(client, ['--reconcile']);
    expect(r.verified?.tasks.map((t) => t.name)).toEqual([TASK, 'PURGE_SYNC_HISTORY_DAILY', 'RECONCILE_PIPELINE_RUN_HISTORY_DAILY']);
    expect((await rows("SHOW TASKS LIKE 'RECONCILE%'")).map((x) => [x.state, x.schedule])).toEqual([['started', 'USING CRON 0 3 * * * UTC']]);
  });

  it('--run-now executes the task once and reports the run and its control row', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    await addSource(11);
    const r = await deployInto(client, ['--run-now']);
    expect(r.runNow?.state).toBe('SUCCEEDED');
    expect(r.runNow?.controlRows.map((x) => [x.SYNC_STATUS, x.ROWS_INSERTED])).toEqual([['SUCCESS', 1]]);
  });

  it('--run-now fails the deploy, with the error, when the run fails', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    await addSource(12);
    sf.faults.failNth(/^\s*MERGE/i, 1, { code: 100132, message: 'injected MERGE failure' });
    const err = await deployInto(client, ['--run-now']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect((err as DeployError).kind).toBe('verify');
    expect((err as DeployError).message).toMatch(/run now ended FAILED.*injected MERGE failure/s);
  });
});

describe('errors raised by the engine mid-deploy', () => {
  it('a task that cannot be resumed: kind task-resume, the task stays suspended, the fix is named', async () => {
    ({ sf, client } = freshLocal());
    sf.faults.failNth(/ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION" RESUME/, 1, {
      code: 3001,
      state: '42501',
      message: 'SQL access control error: Cannot execute task , EXECUTE TASK privilege must be granted to owner role',
    });
    const err = (await deployInto(client).catch((e: unknown) => e)) as DeployError;
    expect(err.kind).toBe('task-resume');
    expect(err.message).toContain("at step 7 'tasks': The task was created but could not be resumed");
    expect(err.fix).toContain('GRANT EXECUTE TASK ON ACCOUNT TO ROLE');
    expect((await taskRow()).state).toBe('suspended');
  });

  it('missing privilege: names the privilege and the GRANT', async () => {
    ({ sf, client } = freshLocal());
    sf.faults.failNth(/^CREATE OR REPLACE PROCEDURE/, 1, { code: 3001, state: '42501', message: "SQL access control error:\nInsufficient privileges to operate on schema 'PUBLIC'" });
    const err = (await deployInto(client).catch((e: unknown) => e)) as DeployError;
    expect(err.kind).toBe('privilege');
    expect(err.fix).toContain('GRANT CREATE PROCEDURE ON SCHEMA');
  });

  it('unknown database: says which and how to check it', async () => {
    ({ sf, client } = freshLocal());
    sf.faults.failNth(/^USE DATABASE/, 1, { code: 2003, state: '02000', message: "SQL compilation error:\nDatabase 'NOPE' does not exist or not authorized." });
    const err = (await deployInto(client, ['--database', 'nope']).catch((e: unknown) => e)) as DeployError;
    expect(err.kind).toBe('missing-object');
    expect(err.message).toContain('Database NOPE does not exist');
    expect(err.fix).toContain('SHOW DATABASES');
  });

  it('missing warehouse: USE WAREHOUSE failing names the warehouse and the GRANT USAGE', async () => {
    ({ sf, client } = freshLocal());
    sf.faults.failNth(/^USE WAREHOUSE/, 1, { code: 2043, state: '02000', message: 'SQL compilation error:\nObject does not exist, or operation cannot be performed.' });
    const err = (await deployInto(client, ['--warehouse', 'ghost_wh']).catch((e: unknown) => e)) as DeployError;
    expect(err.kind).toBe('missing-object');
    expect(err.message).toContain('Warehouse "GHOST_WH" does not exist');
    expect(err.fix).toContain('GRANT USAGE ON WAREHOUSE "GHOST_WH"');
  });

  it('no active warehouse (000606): says to pass --warehouse', async () => {
    ({ sf, client } = freshLocal());
    sf.faults.failNth(/^SELECT COUNT\(\*\) AS N FROM "ETL_PIPELINE_SYNC_CONTROL"/, 1, { code: 606, state: '57P03', message: "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command." });
    const err = (await deployInto(client).catch((e: unknown) => e)) as DeployError;
    expect(err.kind).toBe('no-warehouse');
    expect(err.fix).toContain('--warehouse');
  });
});
