/**
 * Example: retention for any append-only log table (audit logs, events, run history). A table
 * written every minute grows by 525,600 rows a year; this procedure deletes the rows whose
 * timestamp column is older than the retention, optionally keeping the newest rows whatever
 * their age, and says what it deleted.
 */
import type { Snowflake } from 'hybrid-sync/snowflake-api';

export interface PurgeReport {
  table: string;
  /** Rows deleted (with dryRun: rows that would be). */
  deleted: number;
  /** Rows older than this UTC time were eligible: `YYYY-MM-DD HH24:MI:SS`. */
  cutoff: string;
  dryRun: boolean;
}

/**
 * Deletes rows of `tableName` whose `timestampColumn` is more than `retentionDays` days before
 * now (UTC), except the `keepLatest` newest rows. Returns what it deleted.
 *
 * @procedure PURGE_OLD_ROWS
 * @sqlType retentionDays NUMBER(38,0)
 * @sqlType keepLatest NUMBER(38,0)
 * @returnsNotNull
 * @comment hybrid-sync example: delete rows older than a retention from any log table
 */
export function purgeOldRows(snowflake: Snowflake, tableName: string, timestampColumn: string, retentionDays = 30, keepLatest = 0, dryRun = false): PurgeReport {
  const table = quoteName(tableName, 'TABLE_NAME', 3);
  const column = quoteName(timestampColumn, 'TIMESTAMP_COLUMN', 1);
  if (typeof retentionDays !== 'number' || !(retentionDays >= 1) || Math.floor(retentionDays) !== retentionDays) {
    throw new Error(`RETENTION_DAYS must be a whole number of days >= 1; got ${String(retentionDays)}`);
  }
  if (typeof keepLatest !== 'number' || !(keepLatest >= 0) || Math.floor(keepLatest) !== keepLatest) {
    throw new Error(`KEEP_LATEST must be a whole number >= 0; got ${String(keepLatest)}`);
  }
  // SYSDATE() is UTC whatever the session's TIMEZONE.
  const rs = snowflake.execute({ sqlText: "SELECT TO_VARCHAR(DATEADD('day', -?, SYSDATE()), 'YYYY-MM-DD HH24:MI:SS')", binds: [retentionDays] });
  rs.next();
  const cutoff = String(rs.getColumnValue(1));
  let eligible = `FROM ${table} WHERE ${column} < TO_TIMESTAMP_NTZ(?)`;
  const binds: Array<string | number> = [cutoff];
  if (keepLatest > 0) {
    // The keepLatest-th newest stamp: rows at or after it stay.
    eligible += ` AND ${column} < (SELECT MIN(${column}) FROM (SELECT ${column} FROM ${table} ORDER BY ${column} DESC LIMIT ?))`;
    binds.push(keepLatest);
  }
  const result = snowflake.execute({ sqlText: dryRun ? `SELECT COUNT(*) ${eligible}` : `DELETE ${eligible}`, binds });
  result.next();
  // DELETE returns one row, "number of rows deleted"; the dry run's COUNT(*) has the same shape.
  return { table: tableName, deleted: Number(result.getColumnValue(1)), cutoff, dryRun };
}

/** An unquoted identifier of up to `parts` dot-separated parts, double-quoted upper-case; anything else is refused. */
function quoteName(name: string, what: string, parts: number): string {
  const split = typeof name === 'string' ? name.split('.') : [];
  if (split.length === 0 || split.length > parts || !split.every((p) => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p))) {
    throw new Error(`${what}: '${String(name)}' is not ${parts > 1 ? 'a table name (NAME, SCHEMA.NAME or DB.SCHEMA.NAME)' : 'a column name'} of letters, digits, _ and $`);
  }
  return split.map((p) => `"${p.toUpperCase()}"`).join('.');
}
