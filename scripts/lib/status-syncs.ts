/**
 * `npm run status` over a config file's syncs: each sync judged by the rules of status.ts
 * against its own task, source and thresholds, one line each; the exit code is the worst.
 */
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { canonicalName, quoteTable } from '../../procedure/identifiers.js';
import type { WatermarkType } from '../../procedure/sql.js';
import { DeployError } from './errors.js';
import { col, type SqlClient } from './sql-client.js';
import { alignRows, collectStatus, dur, formatStatus, type Level, type StatusReport, type StatusThresholds } from './status.js';
import type { FileSync, SyncFile } from './sync-file.js';

/** Every sync of the file, as `--json` prints it. */
export interface SyncsStatus {
  target: string;
  file: string;
  level: Level;
  exitCode: 0 | 1 | 2;
  syncs: Array<{ sync: string; syncName: string; task: string; report: StatusReport }>;
}

const worst = (levels: Level[]): Level => (levels.includes('BROKEN') ? 'BROKEN' : levels.includes('DEGRADED') ? 'DEGRADED' : 'HEALTHY');

/** The sync named by `--sync`, matched case-insensitively; a clear error listing the others. */
export function pickSync(file: SyncFile, name: string): FileSync {
  const s = file.syncs.find((x) => x.section.toLowerCase() === name.toLowerCase() || x.syncName.toLowerCase() === name.toLowerCase());
  if (!s) throw new DeployError('input', `--sync ${name}: ${file.path} has no such sync`, `use one of: ${file.syncs.map((x) => x.section).join(', ')}`);
  return s;
}

/** Collects each sync's status (all, or those given). */
export async function collectSyncsStatus(client: SqlClient, file: SyncFile, thresholds: StatusThresholds, only: FileSync[] = file.syncs, lagFromFile = true): Promise<SyncsStatus> {
  const syncs: SyncsStatus['syncs'] = [];
  for (const s of only) {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, sourceTable: s.source, targetTable: s.target, syncName: s.syncName, watermarkColumn: s.watermark, keyColumns: s.key ?? [], columns: s.columns ?? [] };
    const report = await collectStatus(client, lagFromFile ? { ...thresholds, maxLagSeconds: s.alertLagSeconds } : thresholds, cfg, {
      taskName: s.taskName,
      watermarkType: await watermarkType(client, s),
      listOthers: false,
      repairHint: s.reconcileSchedule ? `EXECUTE TASK ${s.reconcileTaskName} repairs` : 'CALL HYBRID_SYNC_RECONCILE(<its CONFIG>, TRUE) repairs',
    });
    syncs.push({ sync: s.section, syncName: s.syncName, task: s.taskName, report });
  }
  const level = worst(syncs.map((x) => x.report.level));
  return { target: client.describe(), file: file.path, level, exitCode: level === 'BROKEN' ? 2 : level === 'DEGRADED' ? 1 : 0, syncs };
}

/** The watermark's type from DESCRIBE TABLE; TIMESTAMP_NTZ when the source cannot be read (status reports that itself). */
async function watermarkType(client: SqlClient, s: FileSync): Promise<WatermarkType> {
  try {
    const rows = (await client.query(`DESCRIBE TABLE ${quoteTable(s.source)}`)).rows;
    const row = rows.find((r) => String(col(r, 'name')) === canonicalName(s.watermark));
    const t = String(col(row, 'type') ?? '').toUpperCase();
    return t.startsWith('TIMESTAMP_LTZ') ? 'TIMESTAMP_LTZ' : t.startsWith('TIMESTAMP_TZ') ? 'TIMESTAMP_TZ' : 'TIMESTAMP_NTZ';
  } catch (e) {
    if (e instanceof DeployError && e.kind === 'missing-object') return 'TIMESTAMP_NTZ';
    throw e;
  }
}

/** One line per sync, then each unhealthy sync's reasons. */
export function formatSyncsStatus(r: SyncsStatus): string {
  const lines = [`hybrid-sync status -> ${r.target} (${r.syncs.length} sync${r.syncs.length === 1 ? '' : 's'} of ${r.file})`, `${r.level} (exit ${r.exitCode})`];
  const rows = [['SYNC', 'LEVEL', 'TASK', 'WATERMARK (UTC)', 'LAG', 'IN FLIGHT', 'LAST RUN', 'LAST OK', 'FAILED 24H', 'AHEAD', 'NULL', 'RECONCILE']];
  for (const { sync, report: x } of r.syncs) {
    const s = x.sync;
    rows.push([
      sync,
      x.level,
      x.task ? (x.task.exists ? String(x.task.state) : 'MISSING') : '-',
      s?.currentWatermark ?? '-',
      dur(s?.lagSeconds ?? null),
      s?.rowsInFlight === null || s?.rowsInFlight === undefined ? '-' : String(s.rowsInFlight),
      x.lastRuns[0]?.status ?? '-',
      s?.secondsSinceSuccess === null || s?.secondsSinceSuccess === undefined ? '-' : `${dur(s.secondsSinceSuccess)} ago`,
      String(s?.failures24h ?? 0),
      String(s?.futureRows ?? 0),
      String(s?.nullWatermarkRows ?? 0),
      x.reconcile ? x.reconcile.status : '-',
    ]);
  }
  lines.push(...alignRows(rows));
  for (const { sync, report: x } of r.syncs) {
    for (const n of x.notes) lines.push(`${sync}: note: ${n}`);
    for (const reason of x.reasons) lines.push(`${sync}: ${reason}`);
  }
  if (r.syncs.length > 0 && r.level !== 'HEALTHY') lines.push(`details: npm run status -- --sync ${r.syncs.find((x) => x.report.level !== 'HEALTHY')?.sync ?? r.syncs[0]?.sync}`);
  return lines.join('\n');
}

/** One sync in detail: the single-sync report of status.ts, headed by its sync. */
export function formatOneSync(r: SyncsStatus): string {
  return r.syncs.map((x) => `sync       ${x.sync} (${x.syncName})\n` + formatStatus(x.report)).join('\n\n');
}
