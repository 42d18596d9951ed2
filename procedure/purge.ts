/**
 * Retention: the control table grows by one row per run (525,600 a year for a minute schedule
 * and one sync). A daily task deletes rows older than the retention, found through the index on
 * SYNC_START_TIMESTAMP; each sync's latest claimed run is kept, since its row carries the
 * watermark the next run starts from.
 */
import type { SyncConfig } from './config.js';
import { quoteTable } from './identifiers.js';
import type { Snowflake } from './snowflake-api.js';
import { ConfigError, purgeStatement } from './sql.js';

/** What a purge returns. */
export interface PurgeSummary {
  retainDays: number;
  controlRowsDeleted: number;
  reconcileRowsDeleted: number;
}

/** Deletes history older than `retainDays` days (at least 1). */
export function purgeHistory(snowflake: Snowflake, cfg: SyncConfig, reconcileLog: string, retainDays: number): PurgeSummary {
  if (typeof retainDays !== 'number' || !(retainDays >= 1) || retainDays !== Math.floor(retainDays)) {
    throw new ConfigError(`RETAIN_DAYS must be a whole number of days >= 1, got ${String(retainDays)}`);
  }
  const control = quoteTable(cfg.controlTable, 'control table');
  const state = quoteTable(cfg.stateTable, 'state table');
  const purge = purgeStatement(control, state, retainDays);
  const c = snowflake.createStatement({ sqlText: purge.sqlText, binds: purge.binds });
  c.execute();
  const r = snowflake.createStatement({
    sqlText: `DELETE FROM ${quoteTable(reconcileLog, 'reconciliation log')} WHERE CHECK_TIMESTAMP < DATEADD('day', ?, SYSDATE())`,
    binds: [-retainDays],
  });
  r.execute();
  return { retainDays, controlRowsDeleted: c.getNumRowsDeleted(), reconcileRowsDeleted: r.getNumRowsDeleted() };
}
