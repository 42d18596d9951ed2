/**
 * The seed design's flow, written literally as a JavaScript procedure, kept only to prove the
 * simulation can fail: read MAX(WATERMARK_TO) of the SUCCESS rows, insert a RUNNING row, count
 * inserts and updates with two separate queries, MERGE every row with
 * `LAST_UPDATE_DATE > last watermark` (no lookback), then close the run with the new watermark
 * = MAX(LAST_UPDATE_DATE) of the source read at the end.
 *
 * Two holes the simulation finds: a transaction that commits a row stamped before the
 * watermark is never picked up (no lookback), and a row committed between the MERGE and the
 * final MAX is skipped (the watermark is read after the data it covers).
 */
export const NAIVE_PROC = 'NAIVE_SEED_FLOW_SYNC';

export const NAIVE_PROC_SQL = `
CREATE OR REPLACE PROCEDURE ${NAIVE_PROC}()
  RETURNS VARIANT
  LANGUAGE JAVASCRIPT
  EXECUTE AS OWNER
AS $$
var T = 'ETL_PIPELINE_RUN_HISTORY_LOG';
var FMT = 'YYYY-MM-DD HH24:MI:SS.FF9';
function one(sql, binds) {
  var rs = snowflake.execute({ sqlText: sql, binds: binds || [] });
  rs.next();
  return rs;
}
var last = one("SELECT TO_VARCHAR(COALESCE(MAX(WATERMARK_TO), TO_TIMESTAMP_NTZ('1900-01-01 00:00:00.000000000', '" + FMT + "')), '" + FMT + "') AS WM " +
  "FROM ETL_PIPELINE_SYNC_CONTROL WHERE TABLE_NAME = ? AND SYNC_STATUS = 'SUCCESS'", [T]).getColumnValue('WM');
var runId = one("SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1 AS ID FROM ETL_PIPELINE_SYNC_CONTROL").getColumnValue('ID');
snowflake.execute({ sqlText: "INSERT INTO ETL_PIPELINE_SYNC_CONTROL (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, WATERMARK_FROM, SYNC_STATUS) " +
  "VALUES (?, ?, SYSDATE(), TO_TIMESTAMP_NTZ(?, '" + FMT + "'), 'RUNNING')", binds: [runId, T, last] });
try {
  var ins = one("SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG S WHERE S.LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, '" + FMT + "') " +
    "AND NOT EXISTS (SELECT 1 FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION R WHERE R.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID)", [last]).getColumnValue('N');
  var upd = one("SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG S WHERE S.LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, '" + FMT + "') " +
    "AND EXISTS (SELECT 1 FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION R WHERE R.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID)", [last]).getColumnValue('N');
  snowflake.execute({ sqlText: "MERGE INTO ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION R " +
    "USING (SELECT * FROM ETL_PIPELINE_RUN_HISTORY_LOG WHERE LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, '" + FMT + "')) S " +
    "ON R.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID " +
    "WHEN MATCHED THEN UPDATE SET PIPELINE_NAME = S.PIPELINE_NAME, RUN_STATUS = S.RUN_STATUS, TRIGGERED_BY = S.TRIGGERED_BY, " +
    "START_TIME = S.START_TIME, END_TIME = S.END_TIME, ROWS_READ = S.ROWS_READ, ROWS_WRITTEN = S.ROWS_WRITTEN, " +
    "ERROR_MESSAGE = S.ERROR_MESSAGE, CREATED_AT = S.CREATED_AT, LAST_UPDATE_DATE = S.LAST_UPDATE_DATE " +
    "WHEN NOT MATCHED THEN INSERT (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, TRIGGERED_BY, START_TIME, END_TIME, ROWS_READ, " +
    "ROWS_WRITTEN, ERROR_MESSAGE, CREATED_AT, LAST_UPDATE_DATE) VALUES (S.PIPELINE_RUN_ID, S.PIPELINE_NAME, S.RUN_STATUS, " +
    "S.TRIGGERED_BY, S.START_TIME, S.END_TIME, S.ROWS_READ, S.ROWS_WRITTEN, S.ERROR_MESSAGE, S.CREATED_AT, S.LAST_UPDATE_DATE)", binds: [last] });
  snowflake.execute({ sqlText: "UPDATE ETL_PIPELINE_SYNC_CONTROL SET SYNC_STATUS = 'SUCCESS', SYNC_END_TIMESTAMP = SYSDATE(), " +
    "ROWS_INSERTED = ?, ROWS_UPDATED = ?, ROWS_PROCESSED = ?, " +
    "WATERMARK_TO = (SELECT COALESCE(MAX(LAST_UPDATE_DATE), TO_TIMESTAMP_NTZ(?, '" + FMT + "')) FROM ETL_PIPELINE_RUN_HISTORY_LOG) " +
    "WHERE SYNC_RUN_ID = ?", binds: [ins, upd, ins + upd, last, runId] });
  return { status: 'SUCCESS', rowsInserted: ins, rowsUpdated: upd, moreToSync: false };
} catch (err) {
  snowflake.execute({ sqlText: "UPDATE ETL_PIPELINE_SYNC_CONTROL SET SYNC_STATUS = 'FAILED', SYNC_END_TIMESTAMP = SYSDATE(), ERROR_MESSAGE = ? " +
    "WHERE SYNC_RUN_ID = ?", binds: [String(err.message).slice(0, 4000), runId] });
  throw err;
}
$$`;
