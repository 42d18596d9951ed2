/**
 * The alert's action: one email per incident, naming the syncs that need attention.
 *
 * The alert (`ETL_PIPELINE_SYNC_ALERT`) evaluates its condition on its schedule; while a sync
 * keeps failing the condition stays true, and an action that emailed every time would send one
 * email every five minutes for the same failure. So the action remembers, in a small state table,
 * which syncs it has reported: it emails only about syncs that became unhealthy since, forgets
 * the ones that recovered (a later failure of those is a new incident), and sends nothing when
 * nothing is new. Every sync of the control table is covered, whatever its source.
 *
 * A sync needs attention when its last run FAILED, its replica lags its source by more than
 * LAG_SECONDS, or its last success is older than LAG_SECONDS (as ETL_PIPELINE_SYNC_STATUS says).
 */
import { quoteName, quoteTable } from './identifiers.js';
import type { Snowflake } from './snowflake-api.js';
import { ConfigError } from './sql.js';

/** Where the action reads and keeps its state. */
export interface NotifyTables {
  statusView: string;
  alertState: string;
  failuresView: string;
}

/** The shipped deployment's names (manifest/objects.ts takes them from here). */
export const NOTIFY_TABLES: NotifyTables = {
  statusView: 'ETL_PIPELINE_SYNC_STATUS',
  alertState: 'ETL_PIPELINE_SYNC_ALERT_STATE',
  failuresView: 'ETL_PIPELINE_SYNC_FAILURES',
};

/** What the action did (the procedure's VARIANT result). */
export interface NotifySummary {
  /** Syncs reported by this call's email. */
  notified: string[];
  /** Syncs still unhealthy, reported by an earlier email. */
  stillFailing: string[];
  /** Syncs reported earlier that are healthy again. */
  recovered: string[];
  emailed: boolean;
}

interface Unhealthy {
  name: string;
  reason: string;
}

/**
 * Evaluates every sync, emails about the new incidents, and remembers them. A sync's lag limit
 * is its entry in `lagBySync` (a config file's `alert_lag_seconds`), else `lagSeconds`.
 */
export function notifySyncs(snowflake: Snowflake, t: NotifyTables, integration: string, recipients: string, lagSeconds: number, lagBySync?: { [sync: string]: number } | null): NotifySummary {
  if (typeof integration !== 'string' || integration.trim() === '') throw new ConfigError('INTEGRATION must name a NOTIFICATION INTEGRATION of TYPE = EMAIL');
  if (typeof recipients !== 'string' || recipients.trim() === '') throw new ConfigError('RECIPIENTS must be a comma-separated list of verified email addresses');
  if (typeof lagSeconds !== 'number' || !(lagSeconds > 0)) throw new ConfigError(`LAG_SECONDS must be a number of seconds > 0, got ${String(lagSeconds)}`);
  const limits: { [sync: string]: number } = {};
  for (const k of Object.keys(lagBySync ?? {})) {
    const v = (lagBySync as { [sync: string]: unknown })[k];
    if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`LAG_BY_SYNC.${k} must be a number of seconds > 0, got ${JSON.stringify(v)}`);
    limits[k] = v;
  }
  const limitOf = (name: string): number => (Object.prototype.hasOwnProperty.call(limits, name) ? (limits[name] as number) : lagSeconds);
  const lowest = Object.keys(limits).reduce((m, k) => Math.min(m, limits[k] as number), lagSeconds);
  const view = quoteTable(t.statusView, 'status view');
  const state = quoteTable(t.alertState, 'alert state table');
  const unhealthy: Unhealthy[] = [];
  // The lowest limit reads every candidate; each row is then judged by its own.
  const rs = snowflake.execute({
    sqlText:
      `SELECT TABLE_NAME, LAST_RUN_STATUS, LAST_RUN_ERROR, LAG_SECONDS, SECONDS_SINCE_SUCCESS, FAILURES_24H FROM ${view} ` +
      "WHERE LAST_RUN_STATUS = 'FAILED' OR LAG_SECONDS > ? OR SECONDS_SINCE_SUCCESS > ? ORDER BY TABLE_NAME",
    binds: [lowest, lowest],
  });
  while (rs.next()) {
    const name = String(rs.getColumnValue(1));
    const status = rs.getColumnValue(2);
    const error = rs.getColumnValue(3);
    const lag = rs.getColumnValue(4);
    const since = rs.getColumnValue(5);
    const limit = limitOf(name);
    const reasons: string[] = [];
    if (status === 'FAILED') reasons.push(`last run FAILED${error ? `: ${String(error).slice(0, 300)}` : ''}`);
    if (typeof lag === 'number' && lag > limit) reasons.push(`replica lags the source by ${lag} s (limit ${limit} s)`);
    if (typeof since === 'number' && since > limit) reasons.push(`no successful run for ${since} s (limit ${limit} s)`);
    if (reasons.length) unhealthy.push({ name, reason: reasons.join('; ') });
  }
  const reported: string[] = [];
  const st = snowflake.execute({ sqlText: `SELECT SYNC_NAME FROM ${state}` });
  while (st.next()) reported.push(String(st.getColumnValue(1)));

  const fresh = unhealthy.filter((u) => reported.indexOf(u.name) < 0);
  const still = unhealthy.filter((u) => reported.indexOf(u.name) >= 0).map((u) => u.name);
  const recovered = reported.filter((r) => !unhealthy.some((u) => u.name === r));

  if (fresh.length > 0) {
    const subject = `hybrid-sync: ${fresh.length} sync${fresh.length === 1 ? '' : 's'} need${fresh.length === 1 ? 's' : ''} attention: ${fresh.map((u) => u.name).join(', ')}`;
    const body = [
      ...fresh.map((u) => `${u.name}: ${u.reason}`),
      ...(still.length ? ['', `Still unhealthy, reported before: ${still.join(', ')}`] : []),
      '',
      `See ${t.statusView} and ${t.failuresView}, or run: npm run status`,
      'You get one email per incident: the next one when another sync fails, or this one fails again after recovering.',
    ].join('\n');
    snowflake.execute({ sqlText: 'CALL SYSTEM$SEND_EMAIL(?, ?, ?, ?)', binds: [integration, recipients, subject.slice(0, 250), body] });
    for (const u of fresh) {
      snowflake.execute({
        sqlText: `INSERT INTO ${state} (${quoteName('SYNC_NAME')}, ${quoteName('NOTIFIED_AT')}, ${quoteName('REASON')}) VALUES (?, SYSDATE(), ?)`,
        binds: [u.name, u.reason.slice(0, 4000)],
      });
    }
  }
  for (const r of recovered) {
    snowflake.execute({ sqlText: `DELETE FROM ${state} WHERE ${quoteName('SYNC_NAME')} = ?`, binds: [r] });
  }
  return { notified: fresh.map((u) => u.name), stillFailing: still, recovered, emailed: fresh.length > 0 };
}
