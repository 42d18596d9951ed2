import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { ERROR_MESSAGE_LIMIT } from '../../procedure/sql.js';
import { runSync, SyncRunError } from '../../procedure/sync.js';
import { FakeSnowflake, type Row, type Rule } from '../support/fake-snowflake.js';

const PLAN = /^WITH LAST_OK AS/;
const NEXT = /^WITH BATCH AS/;
const OPEN = /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL" \(SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, WATERMARK_FROM, SYNC_STATUS/;
const IDLE = /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL" .*'SUCCESS', 1\)$/s;
const MERGE = /^MERGE INTO/;
const FINISH = /^UPDATE .* SET SYNC_STATUS = 'SUCCESS'/s;
const FAIL = /^UPDATE .* SET SYNC_STATUS = 'FAILED'.*WHERE SYNC_RUN_ID = \?$/s;
const FAIL_INSERT = /^INSERT INTO .*'FAILED'/s;
const STALE = /^UPDATE .*WHERE TABLE_NAME = \? AND SYNC_STATUS = 'RUNNING'/s;

function plan(p: Partial<Row>): Rule {
  return {
    match: PLAN,
    times: 1,
    rows: [{ LAST_WM: null, LOW_WM: null, HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 0, RUNNING_ROWS: 0, NEXT_RUN_ID: 1, SOURCE_COLUMNS: 11, TARGET_COLUMNS: 11, ...p }],
  };
}
const merged = (inserted: number, updated: number): Rule => ({
  match: MERGE,
  times: 1,
  rows: [{ 'number of rows inserted': inserted, 'number of rows updated': updated }],
});
const ok = (match: RegExp): Rule => ({ match, rows: [{ 'number of rows inserted': 1 }] });

describe('a steady-state run with changes', () => {
  const last = '2026-11-25 10:00:00.123456789';
  const low = '2026-11-25 09:55:00.123456789';
  const high = '2026-11-25 10:00:30.000000001';
  const sf = new FakeSnowflake([
    plan({ LAST_WM: last, LOW_WM: low, HIGH_WM: high, BATCH_ROWS: 7, NEXT_RUN_ID: 42 }),
    ok(OPEN),
    merged(3, 4),
    ok(FINISH),
  ]);
  const summary = runSync(sf, PIPELINE_RUN_HISTORY);

  it('issues exactly four statements: plan, open, MERGE, finish', () => {
    expect(sf.kinds()).toEqual(['WITH', 'INSERT', 'MERGE', 'UPDATE']);
    expect(summary.statements).toBe(4);
  });

  it('takes the counts from the MERGE result, not from separate count queries', () => {
    expect(summary.rowsInserted).toBe(3);
    expect(summary.rowsUpdated).toBe(4);
    const finish = sf.executed[3];
    // binds: watermark_to, inserted, updated, processed, run id
    expect(finish?.binds).toEqual([high, 3, 4, 7, 42]);
  });

  it('merges the window (low, high] as exact strings, never through a Date', () => {
    expect(sf.executed[2]?.binds).toEqual([low, high]);
    expect(summary.watermarkTo).toBe(high);
    expect(summary.watermarkFrom).toBe(low);
  });

  it('opens the control row RUNNING with the window start and the planned run id', () => {
    expect(sf.executed[1]?.binds).toEqual([42, 'ETL_PIPELINE_RUN_HISTORY_LOG', low, 1]);
  });
});

describe('the watermark never goes back', () => {
  it('merges the lookback window up to the last watermark and keeps it when nothing is newer', () => {
    const last = '2026-11-25 10:00:00.500000000';
    const low = '2026-11-25 09:55:00.500000000';
    // Only rows inside the lookback (e.g. a late commit stamped 09:59:59): nothing past LAST_WM.
    const sf = new FakeSnowflake([
      plan({ LAST_WM: last, LOW_WM: low, HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 1, NEXT_RUN_ID: 5 }),
      ok(OPEN),
      merged(1, 0),
      ok(FINISH),
    ]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(sf.kinds()).toEqual(['WITH', 'INSERT', 'MERGE', 'UPDATE']);
    expect(sf.executed[2]?.binds).toEqual([low, last]);
    expect(s.watermarkTo).toBe(last);
    expect(sf.executed[3]?.binds[0]).toBe(last);
  });

  it('compares sub-millisecond watermarks exactly', () => {
    const last = '2026-11-25 10:00:00.000000900';
    const high = '2026-11-25 10:00:00.000001000';
    const sf = new FakeSnowflake([
      plan({ LAST_WM: last, LOW_WM: '2026-11-25 09:55:00.000000900', HIGH_WM: high, BATCH_ROWS: 1, NEXT_RUN_ID: 2 }),
      ok(OPEN),
      merged(0, 1),
      ok(FINISH),
    ]);
    expect(runSync(sf, PIPELINE_RUN_HISTORY).watermarkTo).toBe(high);
  });
});

describe('a run with nothing in its window', () => {
  it('writes one finished SUCCESS row and nothing else: two statements', () => {
    const last = '2026-11-25 10:00:00.000000000';
    const sf = new FakeSnowflake([plan({ LAST_WM: last, LOW_WM: '2026-11-25 09:55:00.000000000', NEXT_RUN_ID: 9 }), ok(IDLE)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(sf.kinds()).toEqual(['WITH', 'INSERT']);
    expect(s).toMatchObject({ statements: 2, rowsInserted: 0, rowsUpdated: 0, watermarkTo: last, runIds: [9] });
    expect(sf.executed[1]?.binds).toEqual([9, 'ETL_PIPELINE_RUN_HISTORY_LOG', '2026-11-25 09:55:00.000000000', last]);
  });
});

describe('a first run', () => {
  it('merges everything up to the batch high mark with no low bound', () => {
    const high = '2026-11-25 10:00:00.000000000';
    const sf = new FakeSnowflake([plan({ HIGH_WM: high, BATCH_ROWS: 3 }), ok(OPEN), merged(3, 0), ok(FINISH)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(sf.executed[2]?.binds).toEqual([high]);
    expect(sf.executed[2]?.sqlText).not.toMatch(/"LAST_UPDATE_DATE" > /);
  });
});

describe('stale RUNNING rows', () => {
  it('closes rows left RUNNING by a killed run as FAILED before merging', () => {
    const sf = new FakeSnowflake([
      plan({ RUNNING_ROWS: 1, NEXT_RUN_ID: 12 }),
      { match: STALE, rows: [], counts: { updated: 1 } },
      ok(IDLE),
    ]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(s.staleRunsClosed).toBe(1);
    expect(sf.kinds()).toEqual(['WITH', 'UPDATE', 'INSERT']);
    const stale = sf.executed[1];
    expect(stale?.binds.slice(1)).toEqual(['ETL_PIPELINE_RUN_HISTORY_LOG', 12]);
    expect(String(stale?.binds[0])).toMatch(/did not finish.*closed by run 12/);
  });
});

describe('failures', () => {
  const failingMerge = (): FakeSnowflake =>
    new FakeSnowflake([
      plan({ LAST_WM: '2026-01-01 00:00:00.000000000', LOW_WM: '2025-12-31 23:55:00.000000000', HIGH_WM: '2026-01-01 00:01:00.000000000', BATCH_ROWS: 2, NEXT_RUN_ID: 77 }),
      ok(OPEN),
      { match: MERGE, error: { message: 'Duplicate key value violates unique constraint', code: 200001, state: '23505' } },
      ok(FAIL),
    ]);

  it('closes the batch FAILED with code, state and message, then rethrows', () => {
    const sf = failingMerge();
    let thrown: unknown;
    try {
      runSync(sf, PIPELINE_RUN_HISTORY);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SyncRunError);
    expect((thrown as SyncRunError).code).toBe(200001);
    expect((thrown as SyncRunError).message).toMatch(/merge batch 1.*200001.*23505.*Duplicate key/);
    expect(sf.kinds()).toEqual(['WITH', 'INSERT', 'MERGE', 'UPDATE']);
    const fail = sf.executed[3];
    expect(fail?.sqlText).toMatch(FAIL);
    expect(fail?.binds).toEqual(['[merge batch 1] code 200001, state 23505: Duplicate key value violates unique constraint', 77]);
    // no SUCCESS row: the watermark did not move
    expect(sf.executed.some((e) => FINISH.test(e.sqlText))).toBe(false);
  });

  it('inserts a FAILED row when the run fails before opening one', () => {
    const sf = new FakeSnowflake([
      { match: PLAN, error: { message: "Object 'ETL_PIPELINE_RUN_HISTORY_LOG' does not exist or not authorized.", code: 2003, state: '42S02' } },
      ok(FAIL_INSERT),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/does not exist/);
    expect(sf.executed[1]?.sqlText).toMatch(FAIL_INSERT);
    expect(sf.executed[1]?.binds[1]).toMatch(/^\[plan\] code 2003, state 42S02: Object/);
  });

  it('truncates an error message to fit ERROR_MESSAGE', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: '2026-01-01 00:00:00.000000000', BATCH_ROWS: 1 }),
      ok(OPEN),
      { match: MERGE, error: { message: 'x'.repeat(10000) } },
      ok(FAIL),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow();
    const logged = String(sf.executed[3]?.binds[0]);
    expect(logged.length).toBe(ERROR_MESSAGE_LIMIT);
    expect(logged.endsWith('...')).toBe(true);
  });

  it('still rethrows the original error when logging the failure fails too', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: '2026-01-01 00:00:00.000000000', BATCH_ROWS: 1 }),
      ok(OPEN),
      { match: MERGE, error: { message: 'merge broke' } },
      { match: FAIL, error: { message: 'control table gone' } },
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/merge broke.*logging the failure also failed.*control table gone/);
  });
});

describe('batches', () => {
  const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, batchSize: 2, maxBatches: 3 };
  const t = (s: number): string => `2026-11-25 10:00:0${s}.000000000`;

  it('merges a backlog in batches, one control row each, each window starting where the last ended', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: t(1), BATCH_ROWS: 2, NEXT_RUN_ID: 10 }),
      { match: NEXT, times: 1, rows: [{ HIGH_WM: t(3), BATCH_ROWS: 2 }] },
      { match: NEXT, times: 1, rows: [{ HIGH_WM: t(4), BATCH_ROWS: 1 }] },
      ok(OPEN),
      merged(2, 0),
      merged(2, 0),
      merged(1, 0),
      ok(FINISH),
    ]);
    const s = runSync(sf, cfg);
    expect(s).toMatchObject({ batches: 3, runIds: [10, 11, 12], rowsInserted: 5, watermarkTo: t(4), moreToSync: false });
    const merges = sf.executed.filter((e) => MERGE.test(e.sqlText)).map((e) => e.binds);
    expect(merges).toEqual([[t(1)], [t(1), t(3)], [t(3), t(4)]]);
    const nexts = sf.executed.filter((e) => NEXT.test(e.sqlText)).map((e) => e.binds);
    expect(nexts).toEqual([[t(1)], [t(3)]]);
  });

  it('stops at maxBatches and reports more to sync', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: t(1), BATCH_ROWS: 2, NEXT_RUN_ID: 1 }),
      { match: NEXT, rows: [{ HIGH_WM: t(2), BATCH_ROWS: 2 }] },
      ok(OPEN),
      { match: MERGE, rows: [{ 'number of rows inserted': 2, 'number of rows updated': 0 }] },
      ok(FINISH),
    ]);
    const s = runSync(sf, { ...cfg, maxBatches: 2 });
    expect(s.batches).toBe(2);
    expect(s.moreToSync).toBe(true);
  });

  it('keeps the batches already merged when a later batch fails', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: t(1), BATCH_ROWS: 2, NEXT_RUN_ID: 20 }),
      { match: NEXT, rows: [{ HIGH_WM: t(3), BATCH_ROWS: 2 }] },
      ok(OPEN),
      merged(2, 0),
      { match: MERGE, error: { message: 'warehouse suspended', code: 606 } },
      ok(FINISH),
      ok(FAIL),
    ]);
    expect(() => runSync(sf, cfg)).toThrow(/merge batch 2/);
    const finishes = sf.executed.filter((e) => FINISH.test(e.sqlText));
    expect(finishes.map((e) => e.binds[0])).toEqual([t(1)]); // batch 1 advanced the watermark
    const fail = sf.executed.filter((e) => FAIL.test(e.sqlText));
    expect(fail.map((e) => e.binds[1])).toEqual([21]); // batch 2's row closed FAILED
  });
});

describe('overlapping runs', () => {
  it('explains a run-id collision as two overlapping runs', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: '2026-01-01 00:00:00.000000000', BATCH_ROWS: 1, NEXT_RUN_ID: 3 }),
      { match: OPEN, error: { message: 'Duplicate key value violates unique constraint "SYS_INDEX"', code: 200001 } },
      ok(FAIL_INSERT),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/another run took run id 3/);
    expect(sf.kinds()).not.toContain('MERGE');
  });
});

describe('schema drift', () => {
  it('fails before writing anything, naming the column the replica lacks', () => {
    const sf = new FakeSnowflake([
      plan({ HIGH_WM: '2026-01-01 00:00:00.000000000', BATCH_ROWS: 1, SOURCE_COLUMNS: 12 }),
      {
        match: /^SELECT 'SOURCE' AS SIDE/,
        rows: [
          ...PIPELINE_RUN_HISTORY.columns.map((c) => ({ SIDE: 'SOURCE', COLUMN_NAME: c })),
          { SIDE: 'SOURCE', COLUMN_NAME: 'RETRY_COUNT' },
          ...PIPELINE_RUN_HISTORY.columns.map((c) => ({ SIDE: 'TARGET', COLUMN_NAME: c })),
        ],
      },
      ok(FAIL_INSERT),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/has column\(s\) RETRY_COUNT that the sync does not replicate/);
    expect(sf.kinds()).not.toContain('MERGE');
    expect(sf.executed.some((e) => OPEN.test(e.sqlText))).toBe(false);
    expect(String(sf.executed[2]?.binds[1])).toMatch(/^\[check schema\].*RETRY_COUNT/);
  });

  it('reports a dropped replica as missing', () => {
    const sf = new FakeSnowflake([
      plan({ TARGET_COLUMNS: 0 }),
      { match: /^SELECT 'SOURCE' AS SIDE/, rows: PIPELINE_RUN_HISTORY.columns.map((c) => ({ SIDE: 'SOURCE', COLUMN_NAME: c })) },
      ok(FAIL_INSERT),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/target table "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" does not exist/);
  });
});

describe("planMode 'indexed'", () => {
  const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, planMode: 'indexed' };
  const last = '2026-11-25 10:00:00.000000000';
  const low = '2026-11-25 09:55:00.000000000';
  const high = '2026-11-25 10:00:30.000000000';
  const control = (p: Partial<Row> = {}): Rule => ({
    match: /^WITH LAST_OK AS .*FROM LAST_OK$/s,
    times: 1,
    rows: [{ LAST_WM: last, LOW_WM: low, RUNNING_ROWS: 0, NEXT_RUN_ID: 8, SOURCE_COLUMNS: 11, TARGET_COLUMNS: 11, ...p }],
  });

  it('reads the control table, then the source with the watermark bound as constants: five statements', () => {
    const sf = new FakeSnowflake([control(), { match: NEXT, rows: [{ HIGH_WM: high, BATCH_ROWS: 3, LOOKBACK_ROWS: 1 }] }, ok(OPEN), merged(2, 1), ok(FINISH)]);
    const s = runSync(sf, cfg);
    expect(sf.kinds()).toEqual(['WITH', 'WITH', 'INSERT', 'MERGE', 'UPDATE']);
    expect(s.statements).toBe(5);
    // the control query never reads the source; the source query gets every bound as a bind
    expect(sf.executed[0]?.sqlText).not.toContain('"ETL_PIPELINE_RUN_HISTORY_LOG" AS S');
    expect(sf.executed[1]?.binds).toEqual([last, low, last]);
    expect(sf.executed[1]?.sqlText).not.toMatch(/SELECT LAST_WM|FROM WIN/);
    expect(sf.executed[3]?.binds).toEqual([low, high]);
    expect(s.watermarkTo).toBe(high);
  });

  it('checks the schema before reading the source', () => {
    const sf = new FakeSnowflake([
      control({ TARGET_COLUMNS: 10 }),
      { match: /^SELECT 'SOURCE' AS SIDE/, rows: PIPELINE_RUN_HISTORY.columns.map((c) => ({ SIDE: 'SOURCE', COLUMN_NAME: c })) },
      ok(FAIL_INSERT),
    ]);
    expect(() => runSync(sf, cfg)).toThrow(/target table .* does not exist/);
    expect(sf.executed.some((e) => NEXT.test(e.sqlText))).toBe(false);
  });

  it('on a first run probes from the floor and finds no lookback window', () => {
    const sf = new FakeSnowflake([control({ LAST_WM: null, LOW_WM: null }), { match: NEXT, rows: [{ HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 0 }] }, ok(IDLE)]);
    const s = runSync(sf, cfg);
    expect(sf.executed[1]?.binds).toEqual(['0001-01-01 00:00:00.000000000', '0001-01-01 00:00:00.000000000', '0001-01-01 00:00:00.000000000']);
    expect(s.statements).toBe(3);
  });
});
