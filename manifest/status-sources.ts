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
 * not in the future, as UTC TIMESTAMP_NTZ like the control table, and how many of those rows are
 * past the sync's current watermark (in flight: what its next run takes). A TIMESTAMP_LTZ/TZ
 * stamp is compared with CURRENT_TIMESTAMP() (an instant) and converted, so the session's time
 * zone changes nothing. `S` is the view's state part (one row per sync, CURRENT_WATERMARK in UTC).
 */
export function sourceMaxSelect(x: StatusSource): string {
  const src = quoteTable(x.sourceTable);
  const wm = `X.${quoteName(x.watermarkColumn)}`;
  const name = sqlString(x.syncName);
  const ntz = x.watermarkType === 'TIMESTAMP_NTZ';
  const utc = ntz ? wm : `CONVERT_TIMEZONE('UTC', ${wm})::TIMESTAMP_NTZ`;
  const now = ntz ? 'SYSDATE()' : 'CURRENT_TIMESTAMP()';
  return (
    `SELECT ${name} AS SYNC_NAME, MAX(${utc}) AS SOURCE_MAX_WATERMARK, COUNT_IF(${utc} > W.CURRENT_WATERMARK) AS ROWS_IN_FLIGHT ` +
    `FROM ${src} AS X CROSS JOIN (SELECT MAX(CURRENT_WATERMARK) AS CURRENT_WATERMARK FROM S WHERE SYNC_NAME = ${name}) AS W ` +
    `WHERE ${wm} >= DATEADD('day', -7, ${now}) AND ${wm} <= ${now}`
  );
}
