/**
 * The stored procedures hybrid-sync ships. `npm run build:proc` compiles each exported function
 * whose first parameter is `Snowflake` into a `CREATE PROCEDURE` (see build/): the remaining
 * parameters become SQL arguments, JSDoc tags override the derived signature.
 */
import { PIPELINE_RUN_HISTORY, type SyncConfig } from './config.js';
import { ConfigError } from './sql.js';
import type { Snowflake } from './snowflake-api.js';
import { DEFAULT_RECONCILE, reconcile, type ReconcileSummary } from './reconcile.js';
import { runSync, type SyncSummary } from './sync.js';

/**
 * Syncs ETL_PIPELINE_RUN_HISTORY_LOG into ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION and logs the
 * run in ETL_PIPELINE_SYNC_CONTROL. Called every minute by SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION.
 *
 * @procedure SYNC_PIPELINE_RUN_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: watermark sync of ETL_PIPELINE_RUN_HISTORY_LOG into its replica; logs to ETL_PIPELINE_SYNC_CONTROL
 * @output sync_pipeline_run_history.sql
 */
export function syncPipelineRunHistoryProc(snowflake: Snowflake): SyncSummary {
  return runSync(snowflake, PIPELINE_RUN_HISTORY);
}

/** The fields `HYBRID_SYNC_TABLE` accepts; everything but the tables and columns has a default. */
export interface SyncTableOptions {
  sourceTable: string;
  targetTable: string;
  keyColumns: string[];
  columns: string[];
  watermarkColumn?: string;
  controlTable?: string;
  syncName?: string;
  lookbackSeconds?: number;
  batchSize?: number;
  maxBatches?: number;
  planMode?: 'combined' | 'indexed';
}

/** Fills the defaults of a `HYBRID_SYNC_TABLE` config; rejects unknown fields by name. */
export function resolveSyncConfig(options: SyncTableOptions): SyncConfig {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('CONFIG must be an OBJECT, e.g. {\'sourceTable\': \'SRC\', \'targetTable\': \'TGT\', \'keyColumns\': [\'ID\'], \'columns\': [...]}');
  }
  const known = ['sourceTable', 'targetTable', 'keyColumns', 'columns', 'watermarkColumn', 'controlTable', 'syncName', 'lookbackSeconds', 'batchSize', 'maxBatches', 'planMode'];
  for (const k of Object.keys(options)) {
    if (known.indexOf(k) < 0) throw new ConfigError(`unknown CONFIG field '${k}'; known fields: ${known.join(', ')}`);
  }
  for (const k of ['sourceTable', 'targetTable'] as const) {
    if (typeof options[k] !== 'string') throw new ConfigError(`CONFIG.${k} is required (a table name)`);
  }
  const d = PIPELINE_RUN_HISTORY;
  return {
    sourceTable: options.sourceTable,
    targetTable: options.targetTable,
    keyColumns: options.keyColumns,
    columns: options.columns,
    watermarkColumn: options.watermarkColumn ?? d.watermarkColumn,
    controlTable: options.controlTable ?? d.controlTable,
    syncName: options.syncName ?? options.sourceTable,
    lookbackSeconds: options.lookbackSeconds ?? d.lookbackSeconds,
    batchSize: options.batchSize ?? d.batchSize,
    maxBatches: options.maxBatches ?? d.maxBatches,
    planMode: options.planMode ?? d.planMode,
  };
}

/**
 * Syncs any source/replica pair described by CONFIG, logging into the same control table.
 *
 * @procedure HYBRID_SYNC_TABLE
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: watermark sync of any table pair; CONFIG names tables, key, columns, watermark
 * @output sync_pipeline_run_history.sql
 */
export function hybridSyncTable(snowflake: Snowflake, config: SyncTableOptions): SyncSummary {
  return runSync(snowflake, resolveSyncConfig(config));
}

/**
 * Compares ETL_PIPELINE_RUN_HISTORY_LOG with its replica bucket by bucket (COUNT and HASH_AGG),
 * logs the check in ETL_PIPELINE_RECONCILE_LOG and returns the mismatched buckets and keys.
 * With REPAIR, re-merges the mismatched buckets from the source; with DELETE_EXTRA as well,
 * deletes replica rows whose key is gone from the source.
 *
 * @procedure RECONCILE_PIPELINE_RUN_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: reconcile ETL_PIPELINE_RUN_HISTORY_LOG with its replica; REPAIR and DELETE_EXTRA are opt-in
 * @output reconcile_pipeline_run_history.sql
 */
export function reconcilePipelineRunHistoryProc(snowflake: Snowflake, repair?: boolean, deleteExtra?: boolean): ReconcileSummary {
  return reconcile(snowflake, PIPELINE_RUN_HISTORY, {
    ...DEFAULT_RECONCILE,
    repair: repair === true,
    deleteExtra: repair === true && deleteExtra === true,
  });
}
