/**
 * PURGE_OLD_RUNS on the local runtime, against the real control table of dist/run_history_log.sql,
 * with the clock held still so "30 days ago" is exact.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/index.js';
import { localSnowflake, type TestSnowflake } from 'hybrid-sync/testing';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

/** Control rows: [run id, sync, status, days before NOW it started]. */
const RUNS: Array<[number, string, string, number]> = [
  [1, 'ORDERS', 'SUCCESS', 100],
  [2, 'ORDERS', 'FAILED', 90],
  [3, 'ORDERS', 'SUCCESS', 60],
  [4, 'ORDERS', 'RUNNING', 45], // a run that died: a later run closes it, so it stays
  [5, 'ORDERS', 'SUCCESS', 40], // ORDERS' newest SUCCESS: its watermark is where the next run starts
  [6, 'CUSTOMERS', 'SUCCESS', 200],
  [7, 'CUSTOMERS', 'SUCCESS', 31],
  [8, 'CUSTOMERS', 'SUCCESS', 2], // CUSTOMERS' newest SUCCESS, recent
  [9, 'CUSTOMERS', 'FAILED', 1],
  [10, 'CUSTOMERS', 'SKIPPED', 29.9],
];

/** The rule, stated independently of the SQL: what a purge with this retention must delete. */
function expectedDeleted(retentionDays: number): number[] {
  const newestSuccess = new Map<string, number>();
  for (const [id, sync, status] of RUNS) if (status === 'SUCCESS') newestSuccess.set(sync, Math.max(id, newestSuccess.get(sync) ?? 0));
  return RUNS.filter(([id, sync, status, age]) => age > retentionDays && status !== 'RUNNING' && newestSuccess.get(sync) !== id).map(([id]) => id);
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

let sf: TestSnowflake;
beforeEach(async () => {
  sf = await localSnowflake({
    clock: new ManualClock(NOW),
    sqlFiles: ['dist/run_history_log.sql'],
    procedures: new URL('./procedures.ts', import.meta.url),
  });
  for (const [id, sync, status, age] of RUNS) {
    sf.execute('INSERT INTO ETL_PIPELINE_SYNC_CONTROL (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_STATUS) VALUES (?, ?, TO_TIMESTAMP_NTZ(?), ?)', [
      id,
      sync,
      iso(NOW - age * DAY),
      status,
    ]);
  }
});
afterEach(() => sf.close());

const remaining = (): number[] => sf.query('SELECT SYNC_RUN_ID FROM ETL_PIPELINE_SYNC_CONTROL ORDER BY SYNC_RUN_ID').map((r) => Number(r.SYNC_RUN_ID));

describe('PURGE_OLD_RUNS', () => {
  it('deletes rows older than the retention, but never a sync\'s newest SUCCESS row or a RUNNING row', () => {
    const gone = expectedDeleted(30);
    expect(gone.length).toBeGreaterThan(0);
    expect(sf.call('PURGE_OLD_RUNS', 30)).toEqual({ deleted: gone.length, cutoff: iso(NOW - 30 * DAY).slice(0, 19), dryRun: false });
    expect(remaining()).toEqual(RUNS.map(([id]) => id).filter((id) => !gone.includes(id)));
    expect(remaining()).toEqual(expect.arrayContaining([4, 5]));
  });

  it('takes its defaults from the SQL signature (30 days, the shipped control table)', () => {
    expect(sf.call('PURGE_OLD_RUNS')).toMatchObject({ deleted: expectedDeleted(30).length });
  });

  it('deletes more with a shorter retention, and nothing the second time', () => {
    expect(sf.call('PURGE_OLD_RUNS', 1)).toMatchObject({ deleted: expectedDeleted(1).length });
    expect(expectedDeleted(1).length).toBeGreaterThan(expectedDeleted(30).length);
    expect(sf.call('PURGE_OLD_RUNS', 1)).toMatchObject({ deleted: 0 });
  });

  it('with dryRun counts what it would delete and deletes nothing', () => {
    const before = remaining();
    expect(sf.call('PURGE_OLD_RUNS', 30, 'ETL_PIPELINE_SYNC_CONTROL', true)).toMatchObject({ deleted: expectedDeleted(30).length, dryRun: true });
    expect(remaining()).toEqual(before);
    expect(sf.log.insideProcedures().filter((e) => /^\s*DELETE/i.test(e.sql))).toEqual([]);
  });

  it('issues two statements: the cutoff, then one DELETE with the cutoff bound', () => {
    sf.log.clear();
    sf.call('PURGE_OLD_RUNS', 30);
    const inside = sf.log.insideProcedures();
    expect(inside).toHaveLength(2);
    expect(inside[1]?.sql).toMatch(/^DELETE FROM "ETL_PIPELINE_SYNC_CONTROL"/);
    expect(inside[1]?.binds).toEqual([iso(NOW - 30 * DAY).slice(0, 19)]);
  });

  it('refuses a retention below one day and a table name that is not an identifier, before touching the table', () => {
    sf.log.clear();
    expect(() => sf.call('PURGE_OLD_RUNS', 0)).toThrow(/RETENTION_DAYS must be a whole number of days >= 1; got 0/);
    expect(() => sf.call('PURGE_OLD_RUNS', 30, 'X; DROP TABLE Y')).toThrow(/CONTROL_TABLE must be NAME/);
    expect(sf.log.insideProcedures()).toEqual([]);
    expect(remaining()).toHaveLength(RUNS.length);
  });

  it('runs the same from the committed SQL (examples/purge-old-runs/dist) as from the source', async () => {
    const committed = await localSnowflake({
      clock: new ManualClock(NOW),
      sqlFiles: ['dist/run_history_log.sql', new URL('./dist/purge_old_runs.sql', import.meta.url)],
    });
    try {
      committed.execute("INSERT INTO ETL_PIPELINE_SYNC_CONTROL (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_STATUS) VALUES (1, 'A', TO_TIMESTAMP_NTZ(?), 'FAILED')", [iso(NOW - 40 * DAY)]);
      expect(committed.call('PURGE_OLD_RUNS', 30)).toMatchObject({ deleted: 1 });
    } finally {
      committed.close();
    }
  });
});
