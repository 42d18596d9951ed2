/**
 * The generated dist/*.sql run as they are, and every monitoring and troubleshooting query of
 * the seed design (seed/000_7bcd5ad2298d6c7e.txt, "Monitoring" and "Troubleshooting") run
 * verbatim against a control table the compiled procedure populated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';
import { distSql, type DistName } from '../support/dist.js';

const dist = (name: DistName): string => distSql(name);

// The seed's queries, copied verbatim (whitespace included).
const SEED = {
  recent: `SELECT * 
FROM ETL_PIPELINE_SYNC_CONTROL 
ORDER BY SYNC_RUN_ID DESC 
LIMIT 20;`,
  failed: `SELECT * 
FROM ETL_PIPELINE_SYNC_CONTROL 
WHERE SYNC_STATUS = 'FAILED'
ORDER BY SYNC_RUN_ID DESC;`,
  daily: `SELECT 
    DATE(SYNC_START_TIMESTAMP) AS SYNC_DATE,
    COUNT(*) AS TOTAL_RUNS,
    SUM(CASE WHEN SYNC_STATUS = 'SUCCESS' THEN 1 ELSE 0 END) AS SUCCESS_COUNT,
    SUM(CASE WHEN SYNC_STATUS = 'FAILED' THEN 1 ELSE 0 END) AS FAILED_COUNT,
    SUM(ROWS_INSERTED) AS TOTAL_INSERTED,
    SUM(ROWS_UPDATED) AS TOTAL_UPDATED,
    AVG(TIMESTAMPDIFF('second', SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP)) AS AVG_DURATION_SEC
FROM ETL_PIPELINE_SYNC_CONTROL
WHERE SYNC_STATUS IN ('SUCCESS', 'FAILED')
GROUP BY DATE(SYNC_START_TIMESTAMP)
ORDER BY SYNC_DATE DESC;`,
  taskHistory: `SELECT *
FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(
    TASK_NAME => 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION',
    SCHEDULED_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP())
))
ORDER BY SCHEDULED_TIME DESC;`,
  manual: `CALL SYNC_PIPELINE_RUN_HISTORY_PROC();`,
  showTasks: `SHOW TASKS LIKE 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION';`,
  resume: `ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION RESUME;`,
  suspend: `ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SUSPEND;`,
  every5: `ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SET SCHEDULE = '5 minute';`,
  hourly: `ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SET SCHEDULE = '60 minute';`,
  cron: `ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SET SCHEDULE = 'USING CRON */15 * * * * UTC';`,
  errors: `SELECT SYNC_RUN_ID, ERROR_MESSAGE 
   FROM ETL_PIPELINE_SYNC_CONTROL 
   WHERE SYNC_STATUS = 'FAILED';`,
  sourceMax: `SELECT MAX(LAST_UPDATE_DATE) FROM ETL_PIPELINE_RUN_HISTORY_LOG;`,
  watermark: `SELECT MAX(WATERMARK_TO) 
   FROM ETL_PIPELINE_SYNC_CONTROL 
   WHERE SYNC_STATUS = 'SUCCESS';`,
  pending: `SELECT COUNT(*) 
   FROM ETL_PIPELINE_RUN_HISTORY_LOG 
   WHERE LAST_UPDATE_DATE > (
       SELECT COALESCE(MAX(WATERMARK_TO), '1900-01-01') 
       FROM ETL_PIPELINE_SYNC_CONTROL 
       WHERE SYNC_STATUS = 'SUCCESS'
   );`,
};

let sf: LocalSnowflake;
let s: LocalSession;
const clock = new ManualClock('2026-06-01T10:00:00Z');

const insert = (id: number, status: string): void => {
  s.execute('INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (?, ?, ?)', [id, `pipeline-${id}`, status]);
};

beforeAll(() => {
  sf = LocalSnowflake.open({ clock });
  s = sf.session({ name: 'ops' });
  // Deploying twice must work: tables IF NOT EXISTS, procedures and tasks replaced.
  for (let i = 0; i < 2; i++) {
    sf.executeScript(dist('run_history_log'));
    sf.executeScript(dist('sync_pipeline_run_history'));
    sf.executeScript(dist('reconcile_pipeline_run_history'));
  }
});
afterAll(() => sf.close());

describe('dist/ on the local runtime', () => {
  it('installs a started task that syncs on its schedule', () => {
    expect(sf.tasks.stateOf('SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION')).toBe('started');
    insert(1, 'RUNNING');
    insert(2, 'SUCCESS');
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(1);
    expect(s.execute('SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION').rows).toEqual([[2]]);
  });

  it('syncs incrementally, then re-runs idempotently', () => {
    clock.advance(1_000);
    s.execute("UPDATE ETL_PIPELINE_RUN_HISTORY_LOG SET RUN_STATUS = 'SUCCESS', LAST_UPDATE_DATE = SYSDATE() WHERE PIPELINE_RUN_ID = 1");
    insert(3, 'RUNNING');
    clock.advance(1_000);
    const first = s.execute(SEED.manual).rows[0]?.[0] as { rowsInserted: number; rowsUpdated: number };
    expect([first.rowsInserted, first.rowsUpdated]).toEqual([1, 1]);
    clock.advance(1_000);
    const again = s.execute(SEED.manual).rows[0]?.[0] as { rowsInserted: number; rowsUpdated: number };
    expect([again.rowsInserted, again.rowsUpdated]).toEqual([0, 0]);
    const diff = s.execute(
      `SELECT COUNT(*) AS N FROM (SELECT * FROM ETL_PIPELINE_RUN_HISTORY_LOG EXCEPT SELECT * FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION)`,
    );
    expect(diff.rows).toEqual([[0]]);
  });

  it('logs a failing statement as a FAILED run and fails the CALL with its error', () => {
    insert(4, 'RUNNING');
    clock.advance(1_000);
    sf.faults.failNth(/^MERGE/i, 1, { code: 100999, state: '22000', message: 'injected merge failure' });
    expect(() => s.execute(SEED.manual)).toThrow(/injected merge failure/);
    const failed = s.execute(SEED.errors).objects();
    expect(failed).toHaveLength(1);
    expect(String(failed[0]?.ERROR_MESSAGE)).toContain('injected merge failure');
  });
});

describe('scripts', () => {
  it('names the failing statement of a script, and runs nothing after it', () => {
    const other = LocalSnowflake.open();
    try {
      expect(() => other.executeScript('CREATE TABLE A1 (X NUMBER);\n-- next\nCREATE STREAM S1 ON TABLE A1;\nCREATE TABLE A2 (X NUMBER);')).toThrow(
        /CREATE STREAM is not implemented[\s\S]*\(statement 2 of 3 in the script: CREATE STREAM S1 ON TABLE A1\)/,
      );
      expect(() => other.session().execute('SELECT * FROM A2')).toThrow(/does not exist/);
    } finally {
      other.close();
    }
  });

  it('installs dist/alerts.sql as a resumed alert; without the status view its condition fails when evaluated', () => {
    const other = LocalSnowflake.open();
    try {
      other.executeScript(dist('alerts'));
      const s = other.session();
      const row = s.execute("SHOW ALERTS LIKE 'etl_pipeline_sync_alert'").objects()[0] as Record<string, unknown>;
      expect([row.name, row.state, row.schedule, row.warehouse]).toEqual(['ETL_PIPELINE_SYNC_ALERT', 'started', '5 MINUTE', 'COMPUTE_WH']);
      s.execute('EXECUTE ALERT ETL_PIPELINE_SYNC_ALERT');
      const h = s.execute("SELECT STATE, ERROR_MESSAGE FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'ETL_PIPELINE_SYNC_ALERT'))").rows;
      expect(h).toHaveLength(1);
      expect(h[0]?.[0]).toBe('CONDITION_FAILED');
      expect(String(h[0]?.[1])).toMatch(/ETL_PIPELINE_SYNC_STATUS' does not exist/);
      expect(other.emails).toEqual([]);
    } finally {
      other.close();
    }
  });
});

describe('the seed’s monitoring queries, verbatim', () => {
  it('View Recent Sync History', () => {
    const r = s.execute(SEED.recent);
    const statuses = r.objects().map((row) => row.SYNC_STATUS);
    expect(statuses[0]).toBe('FAILED');
    expect(statuses.slice(1)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(r.columns.map((c) => c.name)).toContain('WATERMARK_TO');
  });

  it('Check for Failed Syncs', () => {
    expect(s.execute(SEED.failed).objects().map((row) => row.SYNC_STATUS)).toEqual(['FAILED']);
  });

  it('Daily Sync Statistics', () => {
    const [day] = s.execute(SEED.daily).objects();
    expect(day).toMatchObject({ TOTAL_RUNS: 4, SUCCESS_COUNT: 3, FAILED_COUNT: 1, TOTAL_INSERTED: 3, TOTAL_UPDATED: 1, AVG_DURATION_SEC: 0 });
    expect(s.execute(SEED.daily).text(0, 0)).toBe('2026-06-01');
  });

  it('Task Execution History', () => {
    const r = s.execute(SEED.taskHistory);
    expect(r.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['NAME', 'STATE', 'SCHEDULED_TIME', 'COMPLETED_TIME', 'ERROR_CODE', 'ERROR_MESSAGE', 'RETURN_VALUE']));
    expect(r.objects().map((row) => [row.NAME, row.STATE])).toEqual([['SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', 'SUCCEEDED']]);
  });

  it('Troubleshooting: Data Not Syncing', () => {
    const sourceMax = s.execute(SEED.sourceMax);
    const watermark = s.execute(SEED.watermark);
    expect(sourceMax.columns[0]?.name).toBe('MAX(LAST_UPDATE_DATE)');
    // Row 4 was inserted after the last successful watermark and its sync failed.
    expect((sourceMax.rows[0]?.[0] as Date).getTime()).toBeGreaterThan((watermark.rows[0]?.[0] as Date).getTime());
    expect(s.execute(SEED.pending).rows).toEqual([[1]]);
  });

  it('Task Not Running / Configuration: SHOW TASKS, SUSPEND, SET SCHEDULE, RESUME', () => {
    const shown = s.execute(SEED.showTasks).objects();
    expect(shown.map((t) => [t.name, t.state, t.schedule, t.warehouse])).toEqual([['SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', 'started', '1 MINUTE', 'COMPUTE_WH']]);
    s.execute(SEED.suspend);
    for (const change of [SEED.every5, SEED.hourly, SEED.cron]) s.execute(change);
    s.execute(SEED.resume);
    const after = s.execute(SEED.showTasks).objects()[0];
    expect([after?.state, after?.schedule]).toEqual(['started', 'USING CRON */15 * * * * UTC']);
  });
});
