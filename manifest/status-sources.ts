/**
 * The status view's per-sync source read, shared by the build (the shipped pair) and deploy (the
 * syncs of a config file fill the view's M part with one of these each).
 */
import { quoteName, quoteTable } from '../procedure/identifiers.js';
import type { WatermarkType } from '../procedure/sql.js';

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

/** A sync whose source the status view reads for its lag: the newest stamp not after now. */
export interface StatusSource {
  syncName: string;
  sourceTable: string;
  watermarkColumn: string;
  watermarkType: WatermarkType;
}

/**
 * One sync's row of the status view's M: its source's newest stamp of the past 7 days that is
 * not in the future, as UTC TIMESTAMP_NTZ like the control table. A TIMESTAMP_LTZ/TZ stamp is
 * compared with CURRENT_TIMESTAMP() (an instant) and converted, so the session's time zone
 * changes nothing.
 */
export function sourceMaxSelect(x: StatusSource): string {
  const src = quoteTable(x.sourceTable);
  const wm = quoteName(x.watermarkColumn);
  const name = sqlString(x.syncName);
  if (x.watermarkType === 'TIMESTAMP_NTZ') {
    return `SELECT ${name} AS SYNC_NAME, MAX(${wm}) AS SOURCE_MAX_WATERMARK FROM ${src} WHERE ${wm} >= DATEADD('day', -7, SYSDATE()) AND ${wm} <= SYSDATE()`;
  }
  return `SELECT ${name} AS SYNC_NAME, CONVERT_TIMEZONE('UTC', MAX(${wm}))::TIMESTAMP_NTZ AS SOURCE_MAX_WATERMARK FROM ${src} WHERE ${wm} >= DATEADD('day', -7, CURRENT_TIMESTAMP()) AND ${wm} <= CURRENT_TIMESTAMP()`;
}

