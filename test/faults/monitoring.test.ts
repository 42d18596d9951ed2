/**
 * The monitoring views of dist/ and the alert's condition, after successful and failed runs, on
 * the local runtime with a driven clock (so lag and age are exact).
 *
 * These tests run the alert's IF (EXISTS …) condition, taken from dist/alerts.sql, as a query
 * at exact moments; test/faults/alert.test.ts runs the alert itself on its schedule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  distSql,
  insertRows,
  micros,
  openWorld,
  resetTables,
  stamp,
  syncTable,
  type SyncOptions,
  type World,
} from '../support/sim-world.js';

const OPTS: SyncOptions = { lookbackSeconds: 30, batchSize: 100 };
const T0 = micros('2026-03-01T00:00:00Z');
const at = (seconds: number): string => stamp(T0 + BigInt(seconds) * 1_000_000n);

/** The alert's IF (EXISTS (…)) condition from dist/alerts.sql, as a query returning 1 or 0. */
function alertCondition(): string {
  const m = /\bIF \((EXISTS \([\s\S]*?\))\)\s*THEN/.exec(distSql('alerts'));
  if (!m) throw new Error('dist/alerts.sql: no IF (EXISTS (...)) THEN condition found');
  return `SELECT IFF(${m[1] as string}, 1, 0) AS FIRES`;
}

describe('monitoring views and the alert condition (dist/)', () => {
  let w: World;
  beforeAll(() => {
    w = openWorld();
    // The condition also reads the alert's state table; nothing here ticks the alert itself.
    w.sf.executeScript(distSql('alerts'), w.admin);
  });
  afterAll(() => w?.sf.close());
  beforeEach(() => {
    w.sf.faults.clear();
    resetTables(w);
    w.clock.set('2026-03-01T00:10:00Z');
  });

  const status = (): Record<string, unknown> => {
    const r = w.admin.execute(
      'SELECT TO_VARCHAR(CURRENT_WATERMARK, \'YYYY-MM-DD HH24:MI:SS.FF6\') AS WM, LAST_RUN_STATUS, LAST_RUN_ERROR, FAILURES_24H, RUNNING_NOW, ' +
        'LAG_SECONDS, SECONDS_SINCE_SUCCESS FROM ETL_PIPELINE_SYNC_STATUS',
    );
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0] as unknown[];
    return Object.fromEntries(r.columns.map((c, i) => [c.name, row[i] === null ? null : typeof row[i] === 'string' ? row[i] : Number(row[i])]));
  };
  const fires = (): number => Number(w.admin.execute(alertCondition()).rows[0]?.[0]);

  it('after a successful run: watermark, SUCCESS, no failures, no lag; the alert stays quiet', () => {
    insertRows(w.admin, 1, 5, at(0), 'ok', 1_000_000);
    syncTable(w.admin, OPTS);
    expect(status()).toEqual({
      WM: '2026-03-01 00:00:04.000000',
      LAST_RUN_STATUS: 'SUCCESS',
      LAST_RUN_ERROR: null,
      FAILURES_24H: 0,
      RUNNING_NOW: 0,
      LAG_SECONDS: 0,
      SECONDS_SINCE_SUCCESS: 0,
    });
    expect(fires()).toBe(0);
  });

  it('after a failed run: FAILED with its error, counted in 24 h, lag measured; the alert fires', () => {
    insertRows(w.admin, 1, 5, at(0), 'ok', 1_000_000);
    syncTable(w.admin, OPTS);
    insertRows(w.admin, 6, 1, at(120), 'later');
    w.clock.advance(90_000);
    w.sf.faults.failNth(/^MERGE INTO/, 1, { message: 'Injected: warehouse suspended' });
    expect(() => syncTable(w.admin, OPTS)).toThrow(/warehouse suspended/);
    const s = status();
    expect(s).toMatchObject({ LAST_RUN_STATUS: 'FAILED', FAILURES_24H: 1, RUNNING_NOW: 0, LAG_SECONDS: 116, SECONDS_SINCE_SUCCESS: 90 });
    expect(String(s.LAST_RUN_ERROR)).toContain('Injected: warehouse suspended');
    expect(fires()).toBe(1);

    const failures = w.admin.execute('SELECT SYNC_STATUS, ERROR_MESSAGE FROM ETL_PIPELINE_SYNC_FAILURES').rows;
    expect(failures).toHaveLength(1);
    expect(String(failures[0]?.[1])).toContain('[merge batch 1]');

    // The next success clears the alert; the failure still counts for 24 hours, then ages out.
    syncTable(w.admin, OPTS);
    expect(status()).toMatchObject({ LAST_RUN_STATUS: 'SUCCESS', FAILURES_24H: 1, LAG_SECONDS: 0 });
    expect(fires()).toBe(0);
    w.clock.advance(25 * 3600_000);
    syncTable(w.admin, OPTS);
    expect(status()).toMatchObject({ FAILURES_24H: 0 });
  });

  it('the alert fires when the last success is too old, even without a failure', () => {
    insertRows(w.admin, 1, 1, at(0), 'ok');
    syncTable(w.admin, OPTS);
    expect(fires()).toBe(0);
    w.clock.advance(901_000);
    expect(status().SECONDS_SINCE_SUCCESS).toBe(901);
    expect(fires()).toBe(1);
  });

  it('daily statistics and recent runs count runs, outcomes and rows', () => {
    insertRows(w.admin, 1, 7, at(0), 'ok', 1_000_000);
    syncTable(w.admin, OPTS);
    w.sf.faults.failNth(/^WITH LAST_RUN AS/, 1);
    expect(() => syncTable(w.admin, OPTS)).toThrow(/Injected fault/);
    insertRows(w.admin, 8, 2, at(60), 'more', 1_000_000);
    syncTable(w.admin, OPTS);
    const daily = w.admin.execute(
      'SELECT TOTAL_RUNS, SUCCESS_COUNT, FAILED_COUNT, TOTAL_INSERTED, TOTAL_UPDATED FROM ETL_PIPELINE_SYNC_DAILY_STATS',
    ).rows;
    expect(daily.map((r) => r.map(Number))).toEqual([[3, 2, 1, 9, 0]]);
    const recent = w.admin.execute('SELECT SYNC_RUN_ID, SYNC_STATUS FROM ETL_PIPELINE_SYNC_RECENT_RUNS').rows;
    expect(recent.map((r) => String(r[1]))).toEqual(['SUCCESS', 'FAILED', 'SUCCESS']);
    // Newest first: run ids come from an ORDER sequence, so they grow with time.
    const ids = recent.map((r) => Number(r[0]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(3);
  });
});
