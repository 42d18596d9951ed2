/**
 * Example: keep a run log from growing forever. A task calling a procedure every minute writes
 * 525,600 control rows a year; this procedure deletes the ones older than a retention period.
 *
 * It never deletes what a sync still needs: each sync's newest SUCCESS row (the next run starts
 * from its watermark, however old it is) and RUNNING rows (a live run, or one a later run must
 * close).
 */
import type { Snowflake } from 'hybrid-sync/snowflake-api';

export interface PurgeReport {
  /** Rows deleted (with dryRun: rows that would be). */
  deleted: number;
  /** Rows started before this UTC time were eligible: `YYYY-MM-DD HH24:MI:SS`. */
  cutoff: string;
  dryRun: boolean;
}

/**
 * Deletes control-table rows that started more than `retentionDays` days ago, keeping each sync's
 * newest SUCCESS row and every RUNNING row. Returns what it deleted.
 *
 * @procedure PURGE_OLD_RUNS
 * @sqlType retentionDays NUMBER(38,0)
 * @returnsNotNull
 * @comment hybrid-sync example: delete control rows older than the retention, keeping each sync's watermark row
 */
export function purgeOldRuns(snowflake: Snowflake, retentionDays = 30, controlTable = 'ETL_PIPELINE_SYNC_CONTROL', dryRun = false): PurgeReport {
  if (typeof retentionDays !== 'number' || !(retentionDays >= 1) || Math.floor(retentionDays) !== retentionDays) {
    throw new Error(`RETENTION_DAYS must be a whole number of days >= 1; got ${String(retentionDays)}`);
  }
  const table = quoteTable(controlTable);
  // SYSDATE() is UTC, as the control table's timestamps are.
  const rs = snowflake.execute({
    sqlText: "SELECT TO_VARCHAR(DATEADD('day', -?, SYSDATE()), 'YYYY-MM-DD HH24:MI:SS')",
    binds: [retentionDays],
  });
  rs.next();
  const cutoff = String(rs.getColumnValue(1));
  const eligible =
    `FROM ${table} WHERE SYNC_START_TIMESTAMP < TO_TIMESTAMP_NTZ(?) AND SYNC_STATUS <> 'RUNNING' ` +
    `AND SYNC_RUN_ID NOT IN (SELECT MAX(SYNC_RUN_ID) FROM ${table} WHERE SYNC_STATUS = 'SUCCESS' GROUP BY TABLE_NAME)`;
  const result = snowflake.execute({ sqlText: dryRun ? `SELECT COUNT(*) ${eligible}` : `DELETE ${eligible}`, binds: [cutoff] });
  result.next();
  // DELETE returns one row, "number of rows deleted"; the dry run's COUNT(*) has the same shape.
  return { deleted: Number(result.getColumnValue(1)), cutoff, dryRun };
}

/** `NAME`, `SCHEMA.NAME` or `DB.SCHEMA.NAME` of unquoted identifiers, each part double-quoted upper-case. */
function quoteTable(name: string): string {
  const parts = name.split('.');
  if (parts.length > 3 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p))) {
    throw new Error(`CONTROL_TABLE must be NAME, SCHEMA.NAME or DB.SCHEMA.NAME of letters, digits, _ and $; got '${name}'`);
  }
  return parts.map((p) => `"${p.toUpperCase()}"`).join('.');
}
