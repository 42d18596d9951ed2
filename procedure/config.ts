/**
 * What one sync needs to know: which tables, which key, which watermark, how far back to look.
 *
 * The seed's table pair is the shipped default (`PIPELINE_RUN_HISTORY`). Another pair is one
 * more `SyncConfig` (see README "Syncing another table"), or a call of the generic
 * `HYBRID_SYNC_TABLE(CONFIG)` procedure with the same fields as an OBJECT.
 */

/** A column of the replicated table, as the DDL declares it. */
export interface ColumnSpec {
  /** Upper-case Snowflake identifier, e.g. `PIPELINE_RUN_ID`. */
  name: string;
  /** Snowflake type, e.g. `VARCHAR(255)`, `NUMBER(38,0)`, `TIMESTAMP_NTZ(9)`. */
  type: string;
  /** `NOT NULL` in the DDL (keys and the watermark always are). */
  notNull?: boolean;
  /** A SQL default expression, e.g. `SYSDATE()`. Source table only. */
  default?: string;
}

/** Everything a sync run reads from configuration. */
export interface SyncConfig {
  /** Source table, optionally qualified: `TABLE`, `SCHEMA.TABLE` or `DB.SCHEMA.TABLE`. */
  sourceTable: string;
  /** Replica table, qualified the same way. Must be in the same database as the source. */
  targetTable: string;
  /** The run log shared by every sync: one row per run (or batch). */
  controlTable: string;
  /** One row per sync: its watermark, the run that holds it and until when, its schema check. */
  stateTable: string;
  /** The sequence run ids come from: unique across every sync sharing the control table. */
  runIdSequence: string;
  /** The value written to the control table's `TABLE_NAME` column; keys the watermark. */
  syncName: string;
  /** Primary-key columns of source and replica. */
  keyColumns: string[];
  /**
   * The change-tracking column, maintained on every insert and update: `TIMESTAMP_NTZ` holding
   * UTC, or `TIMESTAMP_LTZ` / `TIMESTAMP_TZ` (compared as instants, whatever the session's zone).
   */
  watermarkColumn: string;
  /** Every replicated column, keys and watermark included, in DDL order. */
  columns: string[];
  /**
   * How far behind the last watermark each run looks again, in seconds. Must cover the longest
   * time between a row being stamped and its transaction committing, plus writer clock skew.
   */
  lookbackSeconds: number;
  /** The most source rows one MERGE takes; a larger backlog is synced in several batches. */
  batchSize: number;
  /** Most batches one call runs before returning (the next run continues). */
  maxBatches: number;
  /**
   * How long a run's claim on the sync holds, in seconds. Another run of the same sync declares
   * it dead only after this, so set it above the task's USER_TASK_TIMEOUT_MS and the statement
   * timeout of anyone who CALLs by hand. A run stops starting new batches after half of it.
   */
  leaseSeconds: number;
  /**
   * `columns` lists a subset: columns of either table beyond it are left alone. Without it, a
   * column the source gains stops the sync until the replica and the configuration have it, so
   * nothing is left out silently.
   */
  allowExtraColumns?: boolean;
}

/** The columns of the seed's pipeline-run tables, source and replica alike. */
export const PIPELINE_RUN_COLUMNS: ColumnSpec[] = [
  { name: 'PIPELINE_RUN_ID', type: 'NUMBER(38,0)', notNull: true },
  { name: 'PIPELINE_NAME', type: 'VARCHAR(255)', notNull: true },
  { name: 'RUN_STATUS', type: 'VARCHAR(20)', notNull: true },
  { name: 'TRIGGERED_BY', type: 'VARCHAR(100)' },
  { name: 'START_TIME', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'END_TIME', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'ROWS_READ', type: 'NUMBER(38,0)' },
  { name: 'ROWS_WRITTEN', type: 'NUMBER(38,0)' },
  { name: 'ERROR_MESSAGE', type: 'VARCHAR(4000)' },
  { name: 'CREATED_AT', type: 'TIMESTAMP_NTZ(9)', notNull: true, default: 'SYSDATE()' },
  { name: 'LAST_UPDATE_DATE', type: 'TIMESTAMP_NTZ(9)', notNull: true, default: 'SYSDATE()' },
];

/** The seed's pair: `ETL_PIPELINE_RUN_HISTORY_LOG` → `ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION`. */
export const PIPELINE_RUN_HISTORY: SyncConfig = {
  sourceTable: 'ETL_PIPELINE_RUN_HISTORY_LOG',
  targetTable: 'ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION',
  controlTable: 'ETL_PIPELINE_SYNC_CONTROL',
  stateTable: 'ETL_PIPELINE_SYNC_STATE',
  runIdSequence: 'ETL_PIPELINE_SYNC_RUN_SEQ',
  syncName: 'ETL_PIPELINE_RUN_HISTORY_LOG',
  keyColumns: ['PIPELINE_RUN_ID'],
  watermarkColumn: 'LAST_UPDATE_DATE',
  columns: PIPELINE_RUN_COLUMNS.map((c) => c.name),
  lookbackSeconds: 300,
  batchSize: 100000,
  maxBatches: 50,
  leaseSeconds: 900,
};
