/**
 * The original design's flow, literally, as a JavaScript procedure: read the watermark, insert
 * the RUNNING row, count inserts, count updates, MERGE everything past the watermark, close the
 * row with the new watermark read from the source after the MERGE. No lookback, separate count
 * queries. The benchmark's baseline (statements per run, cost), and the simulation's proof that
 * it can fail: a row committed late with a stamp behind the watermark, or committed between the
 * MERGE and the final MAX, is never picked up.
 *
 * It logs in a control table of its own, with the seed's columns: its run ids are MAX + 1, which
 * would collide with the run-id sequence of ours if the two shared one table.
 */
export const SEED_FLOW_PROC = 'SEED_FLOW_SYNC_PROC';

/** The seed flow's run log (the seed's control-table columns). */
export const SEED_FLOW_CONTROL = 'SEED_FLOW_SYNC_CONTROL';

/** Creates the seed flow's control table (run with the procedure's SQL before calling it). */
export const SEED_FLOW_TABLE_SQL = `CREATE HYBRID TABLE IF NOT EXISTS ${SEED_FLOW_CONTROL} (
  SYNC_RUN_ID NUMBER(38,0) NOT NULL, TABLE_NAME VARCHAR(255) NOT NULL, SYNC_START_TIMESTAMP TIMESTAMP_NTZ(9) NOT NULL,
  SYNC_END_TIMESTAMP TIMESTAMP_NTZ(9), WATERMARK_FROM TIMESTAMP_NTZ(9), WATERMARK_TO TIMESTAMP_NTZ(9), ROWS_INSERTED NUMBER(38,0),
  ROWS_UPDATED NUMBER(38,0), ROWS_PROCESSED NUMBER(38,0), SYNC_STATUS VARCHAR(20) NOT NULL, ERROR_MESSAGE VARCHAR(4000),
  PRIMARY KEY (SYNC_RUN_ID))`;

export const SEED_FLOW_SQL = `
CREATE OR REPLACE PROCEDURE ${SEED_FLOW_PROC}()
  RETURNS VARIANT
  LANGUAGE JAVASCRIPT
  EXECUTE AS OWNER
AS $$
var table = 'ETL_PIPELINE_RUN_HISTORY_LOG';
function one(sql, binds) {
  var rs = snowflake.execute({ sqlText: sql, binds: binds || [] });
  rs.next();
  return rs;
}
// 1. last successful watermark
var wm = one("SELECT TO_VARCHAR(COALESCE(MAX(WATERMARK_TO), '1900-01-01 00:00:00'::TIMESTAMP_NTZ), 'YYYY-MM-DD HH24:MI:SS.FF9') AS WM FROM SEED_FLOW_SYNC_CONTROL WHERE TABLE_NAME = ? AND SYNC_STATUS = 'SUCCESS'", [table]).getColumnValue('WM');
// 2. RUNNING row
snowflake.execute({ sqlText: "INSERT INTO SEED_FLOW_SYNC_CONTROL (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, WATERMARK_FROM, SYNC_STATUS) SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1, ?, SYSDATE(), TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), 'RUNNING' FROM SEED_FLOW_SYNC_CONTROL", binds: [table, wm] });
try {
  // 3. count inserts and updates separately
  var ins = one("SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG S WHERE S.LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9') AND NOT EXISTS (SELECT 1 FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION T WHERE T.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID)", [wm]).getColumnValue('N');
  var upd = one("SELECT COUNT(*) AS N FROM ETL_PIPELINE_RUN_HISTORY_LOG S WHERE S.LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9') AND EXISTS (SELECT 1 FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION T WHERE T.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID)", [wm]).getColumnValue('N');
  // 4. MERGE
  snowflake.execute({ sqlText: "MERGE INTO ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION T USING (SELECT * FROM ETL_PIPELINE_RUN_HISTORY_LOG WHERE LAST_UPDATE_DATE > TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9')) S ON T.PIPELINE_RUN_ID = S.PIPELINE_RUN_ID " +
    "WHEN MATCHED THEN UPDATE SET PIPELINE_NAME = S.PIPELINE_NAME, RUN_STATUS = S.RUN_STATUS, TRIGGERED_BY = S.TRIGGERED_BY, START_TIME = S.START_TIME, END_TIME = S.END_TIME, ROWS_READ = S.ROWS_READ, ROWS_WRITTEN = S.ROWS_WRITTEN, ERROR_MESSAGE = S.ERROR_MESSAGE, CREATED_AT = S.CREATED_AT, LAST_UPDATE_DATE = S.LAST_UPDATE_DATE " +
    "WHEN NOT MATCHED THEN INSERT (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, TRIGGERED_BY, START_TIME, END_TIME, ROWS_READ, ROWS_WRITTEN, ERROR_MESSAGE, CREATED_AT, LAST_UPDATE_DATE) " +
    "VALUES (S.PIPELINE_RUN_ID, S.PIPELINE_NAME, S.RUN_STATUS, S.TRIGGERED_BY, S.START_TIME, S.END_TIME, S.ROWS_READ, S.ROWS_WRITTEN, S.ERROR_MESSAGE, S.CREATED_AT, S.LAST_UPDATE_DATE)", binds: [wm] });
  // 5. SUCCESS, with the new watermark read from the source after the MERGE
  snowflake.execute({ sqlText: "UPDATE SEED_FLOW_SYNC_CONTROL SET SYNC_STATUS = 'SUCCESS', SYNC_END_TIMESTAMP = SYSDATE(), ROWS_INSERTED = ?, ROWS_UPDATED = ?, ROWS_PROCESSED = ?, WATERMARK_TO = (SELECT COALESCE(MAX(LAST_UPDATE_DATE), TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9')) FROM ETL_PIPELINE_RUN_HISTORY_LOG) WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING'", binds: [ins, upd, ins + upd, wm, table] });
  return { status: 'SUCCESS', rowsInserted: ins, rowsUpdated: upd, moreToSync: false };
} catch (err) {
  snowflake.execute({ sqlText: "UPDATE SEED_FLOW_SYNC_CONTROL SET SYNC_STATUS = 'FAILED', SYNC_END_TIMESTAMP = SYSDATE(), ERROR_MESSAGE = ? WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING'", binds: [String(err.message).slice(0, 4000), table] });
  throw err;
}
$$;
`;
