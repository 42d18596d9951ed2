/**
 * PURGE_OLD_ROWS on the local runtime, with the clock held still so "30 days ago" is exact.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/index.js';
import { localSnowflake, type TestSnowflake } from 'hybrid-sync/testing';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
/** AUDIT_LOG rows: [id, days before NOW it was logged]. */
const ROWS: Array<[number, number]> = [
  [1, 400],
  [2, 90],
  [3, 45],
  [4, 31],
  [5, 30.5],
  [6, 29.9],
  [7, 10],
  [8, 0],
];
const AUDIT_LOG = 'CREATE HYBRID TABLE AUDIT_LOG (ID NUMBER(38,0) PRIMARY KEY, LOGGED_AT TIMESTAMP_NTZ(9) NOT NULL, INDEX IDX_LOGGED_AT (LOGGED_AT))';

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The rule, stated independently of the SQL: ids a purge must delete. */
function expectedDeleted(retentionDays: number, keepLatest = 0): number[] {
  const newest = [...ROWS].sort((a, b) => a[1] - b[1]).slice(0, keepLatest).map(([id]) => id);
  return ROWS.filter(([id, age]) => age > retentionDays && !newest.includes(id)).map(([id]) => id);
}

let sf: TestSnowflake;
beforeEach(async () => {
  sf = await localSnowflake({ clock: new ManualClock(NOW), sql: AUDIT_LOG, procedures: new URL('./procedures.ts', import.meta.url) });
  for (const [id, age] of ROWS) sf.execute('INSERT INTO AUDIT_LOG VALUES (?, TO_TIMESTAMP_NTZ(?))', [id, iso(NOW - age * DAY)]);
});
afterEach(() => sf.close());

const remaining = (): number[] => sf.query('SELECT ID FROM AUDIT_LOG ORDER BY ID').map((r) => Number(r.ID));
const kept = (gone: number[]): number[] => ROWS.map(([id]) => id).filter((id) => !gone.includes(id));

describe('PURGE_OLD_ROWS', () => {
  it('deletes the rows older than the retention and reports them', () => {
    const gone = expectedDeleted(30);
    expect(gone.length).toBeGreaterThan(0);
    expect(sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT', 30)).toEqual({
      table: 'AUDIT_LOG',
      deleted: gone.length,
      cutoff: iso(NOW - 30 * DAY).slice(0, 19),
      dryRun: false,
    });
    expect(remaining()).toEqual(kept(gone));
  });

  it('takes RETENTION_DAYS 30 from the SQL DEFAULT, and deletes nothing the second time', () => {
    expect(sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT')).toMatchObject({ deleted: expectedDeleted(30).length });
    expect(sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT')).toMatchObject({ deleted: 0 });
  });

  it('keeps the KEEP_LATEST newest rows whatever their age', () => {
    const gone = expectedDeleted(1, 5);
    expect(gone).not.toEqual(expectedDeleted(1));
    expect(sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT', 1, 5)).toMatchObject({ deleted: gone.length });
    expect(remaining()).toEqual(kept(gone));
  });

  it('with DRY_RUN counts what it would delete and deletes nothing', () => {
    expect(sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT', 30, 0, true)).toMatchObject({ deleted: expectedDeleted(30).length, dryRun: true });
    expect(remaining()).toEqual(ROWS.map(([id]) => id));
    expect(sf.log.insideProcedures().filter((e) => /^\s*DELETE/i.test(e.sql))).toEqual([]);
  });

  it('sends two statements: the cutoff, then one DELETE on the quoted names with the cutoff bound', () => {
    sf.log.clear();
    sf.call('PURGE_OLD_ROWS', 'audit_log', 'logged_at', 30);
    const inside = sf.log.insideProcedures();
    expect(inside).toHaveLength(2);
    expect(inside[1]?.sql).toBe('DELETE FROM "AUDIT_LOG" WHERE "LOGGED_AT" < TO_TIMESTAMP_NTZ(?)');
    expect(inside[1]?.binds).toEqual([iso(NOW - 30 * DAY).slice(0, 19)]);
  });

  it('refuses a bad retention and names that are not identifiers, before sending anything', () => {
    sf.log.clear();
    expect(() => sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT', 0)).toThrow(/RETENTION_DAYS must be a whole number of days >= 1; got 0/);
    expect(() => sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG; DROP TABLE X', 'LOGGED_AT')).toThrow(/TABLE_NAME: 'AUDIT_LOG; DROP TABLE X' is not a table name/);
    expect(() => sf.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT) OR (1=1')).toThrow(/TIMESTAMP_COLUMN: .* is not a column name/);
    expect(sf.log.insideProcedures()).toEqual([]);
    expect(remaining()).toHaveLength(ROWS.length);
  });

  it('runs the same from the committed SQL (dist/purge_old_rows.sql) as from the source', async () => {
    const committed = await localSnowflake({ clock: new ManualClock(NOW), sql: AUDIT_LOG, sqlFiles: [new URL('./dist/purge_old_rows.sql', import.meta.url)] });
    try {
      committed.execute('INSERT INTO AUDIT_LOG VALUES (1, TO_TIMESTAMP_NTZ(?)), (2, TO_TIMESTAMP_NTZ(?))', [iso(NOW - 40 * DAY), iso(NOW)]);
      expect(committed.call('PURGE_OLD_ROWS', 'AUDIT_LOG', 'LOGGED_AT', 30)).toMatchObject({ deleted: 1 });
    } finally {
      committed.close();
    }
  });
});
