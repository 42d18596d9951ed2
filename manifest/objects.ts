/**
 * The one list of every object hybrid-sync installs: its name, kind and the `dist/` file whose
 * SQL creates it. Pure data. `npm run build:proc` checks that `dist/` creates exactly these
 * objects and writes them, with each statement's place and hash, into `dist/manifest.json`;
 * deploy, status, `--print-grants` and the demo read names from here (or from that file) instead
 * of repeating them.
 *
 * To add an object (a table, a sequence, a view, a task, …): make build/objects.ts (or a
 * procedure's `@output`) write its SQL into a dist file, then add one entry below. The build
 * fails, naming the statement, while dist/ and this list disagree.
 */
import { NOTIFY_TABLES } from '../procedure/alert.js';
import { PIPELINE_RUN_HISTORY } from '../procedure/config.js';

/** What Snowflake calls the object in `CREATE <kind>`. */
export type ObjectKind = 'table' | 'sequence' | 'procedure' | 'view' | 'task' | 'alert';

/** Installed by every deploy, or only with a deploy option. */
export type Installed = 'always' | 'with --reconcile' | 'with --alert-integration';

/** One object of the deployment. */
export interface ManifestObject {
  /** Upper-case name, unqualified (deploy works in the connection's or `--database/--schema`'s schema). */
  readonly name: string;
  readonly kind: ObjectKind;
  /** The `dist/` file that creates it. */
  readonly file: string;
  readonly installed: Installed;
  /** What it is for, one line (printed by deploy). */
  readonly purpose: string;
}

/** The files of `dist/`, in the order a hand install runs them. */
export const DIST_FILES = {
  tables: 'run_history_log.sql',
  sync: 'sync_pipeline_run_history.sql',
  reconcile: 'reconcile_pipeline_run_history.sql',
  alerts: 'alerts.sql',
} as const;

/** The machine-readable manifest `npm run build:proc` writes next to the SQL. */
export const MANIFEST_FILE = 'manifest.json';

const unqualified = (name: string): string => (name.split('.').pop() as string).replace(/^"|"$/g, '').toUpperCase();

/** Every name, once. */
export const NAMES = {
  source: unqualified(PIPELINE_RUN_HISTORY.sourceTable),
  replica: unqualified(PIPELINE_RUN_HISTORY.targetTable),
  control: unqualified(PIPELINE_RUN_HISTORY.controlTable),
  state: unqualified(PIPELINE_RUN_HISTORY.stateTable),
  runIdSequence: unqualified(PIPELINE_RUN_HISTORY.runIdSequence),
  reconcileLog: 'ETL_PIPELINE_RECONCILE_LOG',
  syncProcedure: 'SYNC_PIPELINE_RUN_HISTORY_PROC',
  resyncProcedure: 'RESYNC_PIPELINE_RUN_HISTORY_PROC',
  genericProcedure: 'HYBRID_SYNC_TABLE',
  genericResyncProcedure: 'HYBRID_SYNC_RESYNC',
  purgeProcedure: 'PURGE_SYNC_HISTORY_PROC',
  reconcileProcedure: 'RECONCILE_PIPELINE_RUN_HISTORY_PROC',
  genericReconcileProcedure: 'HYBRID_SYNC_RECONCILE',
  syncTask: 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION',
  purgeTask: 'PURGE_SYNC_HISTORY_DAILY',
  reconcileTask: 'RECONCILE_PIPELINE_RUN_HISTORY_DAILY',
  alert: 'ETL_PIPELINE_SYNC_ALERT',
  alertState: NOTIFY_TABLES.alertState,
  notifyProcedure: 'HYBRID_SYNC_ALERT_NOTIFY',
  recentRunsView: 'ETL_PIPELINE_SYNC_RECENT_RUNS',
  failuresView: NOTIFY_TABLES.failuresView,
  dailyStatsView: 'ETL_PIPELINE_SYNC_DAILY_STATS',
  statusView: NOTIFY_TABLES.statusView,
} as const;

/** Every object, in install order within its kind. */
export const OBJECTS: readonly ManifestObject[] = [
  { name: NAMES.source, kind: 'table', file: DIST_FILES.tables, installed: 'always', purpose: 'source: writers insert and update here' },
  { name: NAMES.replica, kind: 'table', file: DIST_FILES.tables, installed: 'always', purpose: 'replica: written only by the sync' },
  { name: NAMES.control, kind: 'table', file: DIST_FILES.tables, installed: 'always', purpose: 'run log: one row per run; holds the watermark' },
  { name: NAMES.state, kind: 'table', file: DIST_FILES.tables, installed: 'always', purpose: 'state: one row per sync (watermark, lease, schema checked)' },
  { name: NAMES.runIdSequence, kind: 'sequence', file: DIST_FILES.tables, installed: 'always', purpose: 'run ids, unique across every sync' },
  { name: NAMES.reconcileLog, kind: 'table', file: DIST_FILES.tables, installed: 'always', purpose: 'reconciliation log: one row per check' },
  { name: NAMES.syncProcedure, kind: 'procedure', file: DIST_FILES.sync, installed: 'always', purpose: 'the sync the task calls' },
  { name: NAMES.resyncProcedure, kind: 'procedure', file: DIST_FILES.sync, installed: 'always', purpose: 're-merges a range (or all) in place' },
  { name: NAMES.genericProcedure, kind: 'procedure', file: DIST_FILES.sync, installed: 'always', purpose: 'the sync of any configured pair' },
  { name: NAMES.genericResyncProcedure, kind: 'procedure', file: DIST_FILES.sync, installed: 'always', purpose: 'the resync of any configured pair' },
  { name: NAMES.purgeProcedure, kind: 'procedure', file: DIST_FILES.sync, installed: 'always', purpose: 'deletes run history older than 90 days' },
  { name: NAMES.reconcileProcedure, kind: 'procedure', file: DIST_FILES.reconcile, installed: 'always', purpose: 'compares (and repairs) source and replica' },
  { name: NAMES.genericReconcileProcedure, kind: 'procedure', file: DIST_FILES.reconcile, installed: 'always', purpose: 'the reconciliation of any configured pair' },
  { name: NAMES.recentRunsView, kind: 'view', file: DIST_FILES.sync, installed: 'always', purpose: 'monitoring: the last runs' },
  { name: NAMES.failuresView, kind: 'view', file: DIST_FILES.sync, installed: 'always', purpose: 'monitoring: failed runs' },
  { name: NAMES.dailyStatsView, kind: 'view', file: DIST_FILES.sync, installed: 'always', purpose: 'monitoring: daily statistics' },
  { name: NAMES.statusView, kind: 'view', file: DIST_FILES.sync, installed: 'always', purpose: 'monitoring: watermark, lag, last run per sync' },
  { name: NAMES.syncTask, kind: 'task', file: DIST_FILES.sync, installed: 'always', purpose: `calls ${NAMES.syncProcedure} on schedule` },
  { name: NAMES.purgeTask, kind: 'task', file: DIST_FILES.sync, installed: 'always', purpose: `calls ${NAMES.purgeProcedure} daily (retention)` },
  { name: NAMES.reconcileTask, kind: 'task', file: DIST_FILES.reconcile, installed: 'with --reconcile', purpose: `calls ${NAMES.reconcileProcedure} daily` },
  { name: NAMES.alertState, kind: 'table', file: DIST_FILES.alerts, installed: 'with --alert-integration', purpose: 'the syncs the alert has reported (one email per incident)' },
  { name: NAMES.notifyProcedure, kind: 'procedure', file: DIST_FILES.alerts, installed: 'with --alert-integration', purpose: "the alert's action: emails the syncs that need attention" },
  { name: NAMES.alert, kind: 'alert', file: DIST_FILES.alerts, installed: 'with --alert-integration', purpose: 'emails when a sync fails or lags, naming it, once per incident' },
];
