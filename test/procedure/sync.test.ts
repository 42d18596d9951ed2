/**
 * The sync flow against a scripted `snowflake` object: which statements a run sends in each
 * situation, what it binds, what it decides from the answers, and what it logs. The statements'
 * text is pinned separately in sql.test.ts; their behaviour on a real engine in test/faults,
 * test/simulation and test/local.
 */
import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { ERROR_MESSAGE_LIMIT, EPOCH_FLOOR } from '../../procedure/sql.js';
import { runSync, SyncRunError, type SyncSummary } from '../../procedure/sync.js';
import { FakeSnowflake, type Rule } from '../support/fake-snowflake.js';
import {
  STATE,
  WINDOW,
  NEXT,
  CLAIM,
  INSERT_STATE,
  MERGE,
  LOG,
  FAILED_NO_ID,
  HOLDER,
  LEGACY,
  CLOSE_LEGACY,
  LATE,
  NOW,
  LAST,
  STATE_WM,
  LOW,
  HIGH,
  Spec,
  SPEC,
  stateRule,
  windowRule,
  describeRules,
  claim,
  merged,
  ok,
  known,
  kindsOf,
  bindsOf,
  logged,
} from '../support/sync-script.js';

describe('a steady-state run with changes', () => {
  const sf = new FakeSnowflake([known(), windowRule(), claim(), merged(3, 4), ok(LOG)]);
  const summary = runSync(sf, PIPELINE_RUN_HISTORY);

  it('sends five statements: state, window, claim, MERGE, log', () => {
    expect(kindsOf(sf)).toEqual(['state', 'window', 'claim', 'merge', 'log']);
    expect(summary.statements).toBe(5);
    expect(summary.status).toBe('SUCCESS');
  });

  it("plans the window from the previous run's row, where that run was to end, and the run's clock", () => {
    // -lookback, state watermark, prev run id, batch low bound, now, lookback low bound, now, future bound, LIMIT 0 bounds
    expect(bindsOf(sf, WINDOW)).toEqual([-300, STATE_WM, '41', LAST, NOW, LOW, NOW, NOW, NOW, NOW]);
    expect(bindsOf(sf, STATE)).toEqual([-300, -300, 'ETL_PIPELINE_RUN_HISTORY_LOG']);
  });

  it('claims the sync only if the state still names the run it read, with its lease, its start and where it will end', () => {
    expect(bindsOf(sf, CLAIM)).toEqual(['42', 900, LAST, HIGH, 'ETL_PIPELINE_RUN_HISTORY_LOG', '41']);
  });

  it('merges the window (low, high] as exact strings and takes the counts from the MERGE statement', () => {
    expect(bindsOf(sf, MERGE)).toEqual([LOW, HIGH]);
    expect([summary.rowsInserted, summary.rowsUpdated]).toEqual([3, 4]);
  });

  it('logs one SUCCESS row with the counts and the new watermark', () => {
    expect(logged(sf)).toEqual({ runId: '42', from: LOW, to: HIGH, inserted: 3, updated: 4, status: 'SUCCESS', error: null, batch: 1 });
    expect(bindsOf(sf, LOG)[1]).toBe('ETL_PIPELINE_RUN_HISTORY_LOG');
    expect(bindsOf(sf, LOG)[2]).toBe(NOW);
    expect(summary).toMatchObject({ watermarkFrom: LOW, watermarkTo: HIGH, runIds: ['42'], batches: 1, moreToSync: false });
  });
});

describe('a run with nothing new', () => {
  it('re-merges the lookback and keeps the watermark when only rows inside it exist', () => {
    const sf = new FakeSnowflake([known(), windowRule({ HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 1 }), claim(), merged(1, 0), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(bindsOf(sf, MERGE)).toEqual([LOW, LAST]);
    expect(s.watermarkTo).toBe(LAST);
    expect(logged(sf).to).toBe(LAST);
  });

  it('with no row in the window at all, logs one SUCCESS row and claims nothing (3 statements)', () => {
    const sf = new FakeSnowflake([known(), windowRule({ HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 0 }), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'log']);
    expect(logged(sf)).toMatchObject({ status: 'SUCCESS', inserted: 0, updated: 0, to: LAST });
    expect(s.statements).toBe(3);
  });

  it('never moves the watermark back when the batch ends before it', () => {
    const older = '2026-11-25 09:59:59.000000000';
    const sf = new FakeSnowflake([known(), windowRule({ HIGH_WM: older, BATCH_ROWS: 1 }), claim(), merged(0, 0), ok(LOG)]);
    expect(runSync(sf, PIPELINE_RUN_HISTORY).watermarkTo).toBe(LAST);
  });
});

describe('runs that overlap', () => {
  it('a previous run without a control row whose lease holds is alive: SKIPPED naming it, nothing claimed or merged', () => {
    const sf = new FakeSnowflake([known(), windowRule({ PREV_STATUS: null }), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'log']);
    expect(s.status).toBe('SKIPPED');
    expect(s.reason).toContain('run 41 ');
    expect(s.reason).toContain('2026-11-25 11:00:00');
    expect(logged(sf)).toMatchObject({ runId: '42', status: 'SKIPPED', inserted: 0, updated: 0 });
    expect(String(logged(sf).error)).toMatch(/^Skipped: run 41 .*merged nothing/);
  });

  it('once its lease has passed it is dead: logged FAILED (rows may have been merged), then this run merges from where the dead run started', () => {
    const sf = new FakeSnowflake([
      known({ LEASE_EXPIRED: 1 }),
      windowRule({ PREV_STATUS: null, LAST_WM: STATE_WM }),
      windowRule({ PREV_STATUS: null, LAST_WM: STATE_WM }),
      ok(LOG),
      claim(),
      merged(2, 0),
      ok(LOG),
    ]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'window', 'log', 'claim', 'merge', 'log']);
    // Planned again from the state's watermark: the dead run's window is read again.
    expect(bindsOf(sf, WINDOW, 0).slice(3, 6)).toEqual([LAST, NOW, LOW]);
    expect(bindsOf(sf, WINDOW, 1).slice(3, 6)).toEqual([STATE_WM, NOW, '2026-11-25 09:54:00.000000000']);
    expect(s.staleRunsClosed).toBe(1);
    const dead = logged(sf, 0);
    expect(dead).toMatchObject({ runId: '41', status: 'FAILED' });
    expect(String(dead.error)).toMatch(/did not finish.*may have been merged.*Closed by run 42/s);
    expect(String(dead.error)).toContain(`rows of its window after ${STATE_WM} may have been merged`);
    expect(logged(sf, 1)).toMatchObject({ runId: '42', status: 'SUCCESS' });
  });

  it('after a FAILED previous run the window is planned again from where that run started', () => {
    const sf = new FakeSnowflake([known(), windowRule({ PREV_STATUS: 'FAILED', LAST_WM: STATE_WM }), windowRule({ PREV_STATUS: 'FAILED', LAST_WM: STATE_WM }), claim(), merged(1, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'window', 'claim', 'merge', 'log']);
    expect(bindsOf(sf, WINDOW, 1)[3]).toBe(STATE_WM);
    expect(bindsOf(sf, CLAIM)[2]).toBe(STATE_WM);
  });

  it('a live previous run is skipped without planning again', () => {
    const sf = new FakeSnowflake([known(), windowRule({ PREV_STATUS: null }), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'log']);
  });

  it('a dead-looking run that writes its row meanwhile was alive: this run stands aside', () => {
    const dup: Rule = { match: LOG, times: 1, error: { message: 'Duplicate key value violates unique constraint "PK"', code: 200001 } };
    const sf = new FakeSnowflake([known({ LEASE_EXPIRED: 1 }), windowRule({ PREV_STATUS: null }), windowRule({ PREV_STATUS: null }), dup, ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(s.status).toBe('SKIPPED');
    expect(kindsOf(sf)).not.toContain('merge');
  });

  it('a lost claim (another run claimed first) merges nothing and logs SKIPPED naming the winner', () => {
    const holder: Rule = { match: HOLDER, rows: [{ RUN_ID: '43', RUN_STARTED: NOW }] };
    const sf = new FakeSnowflake([known(), windowRule(), claim(0), holder, ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'claim', 'holder', 'log']);
    expect(s.status).toBe('SKIPPED');
    expect(s.reason).toContain('run 43');
    expect(logged(sf).status).toBe('SKIPPED');
  });

  it('a duplicate key inside the MERGE is a failure of this run, not a lost race', () => {
    const bad: Rule = { match: MERGE, error: { message: 'Duplicate key value violates unique constraint', code: 200001 } };
    const sf = new FakeSnowflake([known(), windowRule(), claim(), bad, ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/\[merge batch 1\]/);
    expect(logged(sf)).toMatchObject({ runId: '42', status: 'FAILED' });
  });

  it('declared dead while it merged, its own log hits the FAILED row: the row is corrected to SUCCESS and the run stops', () => {
    const dup: Rule = { match: LOG, times: 1, error: { message: 'Duplicate key value violates unique constraint', code: 200001 } };
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), dup, { match: LATE, counts: { updated: 1 } }]);
    const s = runSync(sf, { ...PIPELINE_RUN_HISTORY, batchSize: 5 });
    expect(kindsOf(sf)).toEqual(['state', 'window', 'claim', 'merge', 'log', 'late']);
    expect(s).toMatchObject({ status: 'SUCCESS', rowsInserted: 5, moreToSync: true });
    expect(bindsOf(sf, LATE)).toEqual([HIGH, 5, 0, 5, expect.stringContaining('declared it dead'), '42', 'ETL_PIPELINE_RUN_HISTORY_LOG']);
  });

  it('a log that collides with a row that is not its own FAILED row is an error naming the sequence', () => {
    const dup: Rule = { match: LOG, times: 1, error: { message: 'Duplicate key value violates unique constraint', code: 200001 } };
    const sf = new FakeSnowflake([known(), windowRule(), claim(), merged(1, 0), dup, { match: LATE, counts: { updated: 0 } }, ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/run id 42 is already taken .*must start above every existing SYNC_RUN_ID/);
  });
});

describe('the first run of a sync (no state row yet)', () => {
  it('continues from the watermark of the control table, closes RUNNING rows of the earlier version, checks the schema and creates the state as its claim', () => {
    const legacy: Rule = { match: LEGACY, rows: [{ WM: STATE_WM, LOW: '2026-11-25 09:54:00.000000000', MAX_ID: '17' }] };
    const closed: Rule = { match: CLOSE_LEGACY, rows: [{ 'number of rows updated': 1 }], counts: { updated: 1 } };
    const sf = new FakeSnowflake([
      stateRule({ FOUND: 0, WATERMARK: null, STATE_LOW: null, RUN_ID: null, LEASE_UNTIL: null, WATERMARK_TYPE: null, SCHEMA_AGE: null }),
      legacy,
      closed,
      ...describeRules(),
      windowRule({ PREV_STATUS: null, LAST_WM: STATE_WM }),
      ok(INSERT_STATE),
      merged(1, 0),
      ok(LOG),
    ]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).toEqual(['state', 'legacy', 'close-legacy', 'describe', 'describe', 'window', 'insert-state', 'merge', 'log']);
    expect(s.staleRunsClosed).toBe(1);
    // No previous run: -1 matches no control row; the legacy watermark is where it starts, and
    // the lookback's lower bound comes from it too.
    expect(bindsOf(sf, WINDOW).slice(1, 3)).toEqual([STATE_WM, -1]);
    expect(bindsOf(sf, WINDOW)[5]).toBe('2026-11-25 09:54:00.000000000');
    expect(bindsOf(sf, INSERT_STATE).slice(0, 4)).toEqual(['ETL_PIPELINE_RUN_HISTORY_LOG', STATE_WM, HIGH, '42']);
    expect(bindsOf(sf, INSERT_STATE)).toContain('TIMESTAMP_NTZ');
  });

  it('a sequence that starts below the ids of the old control table is refused before anything is written, with the fix', () => {
    const sf = new FakeSnowflake([
      stateRule({ FOUND: 0, RUN_ID: null, WATERMARK_TYPE: null, SCHEMA_AGE: null, NEW_RUN_ID: '3' }),
      { match: LEGACY, rows: [{ WM: STATE_WM, LOW: null, MAX_ID: '950' }] },
      ok(FAILED_NO_ID),
    ]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/gave 3, but "ETL_PIPELINE_SYNC_CONTROL" already holds run ids up to 950.*CREATE OR REPLACE SEQUENCE "ETL_PIPELINE_SYNC_RUN_SEQ" START = 951 ORDER/s);
    expect(kindsOf(sf)).toEqual(['state', 'legacy', 'failed-no-id']);
    // The sequence giving the old maximum itself collides too.
    const same = new FakeSnowflake([
      stateRule({ FOUND: 0, RUN_ID: null, WATERMARK_TYPE: null, SCHEMA_AGE: null, NEW_RUN_ID: '950' }),
      { match: LEGACY, rows: [{ WM: STATE_WM, LOW: null, MAX_ID: '950' }] },
      ok(FAILED_NO_ID),
    ]);
    expect(() => runSync(same, PIPELINE_RUN_HISTORY)).toThrow(/START = 951 ORDER/);
  });

  it('two first runs at once: the second fails on the state primary key and stands aside', () => {
    const dup: Rule = { match: INSERT_STATE, error: { message: 'Duplicate key value violates unique constraint', code: 200001 } };
    const holder: Rule = { match: HOLDER, rows: [{ RUN_ID: '40', RUN_STARTED: NOW }] };
    const sf = new FakeSnowflake([
      stateRule({ FOUND: 0, RUN_ID: null, WATERMARK_TYPE: null, SCHEMA_AGE: null }),
      { match: LEGACY, rows: [{ WM: null, LOW: null, MAX_ID: null }] },
      { match: CLOSE_LEGACY, counts: { updated: 0 } },
      ...describeRules(),
      windowRule({ PREV_STATUS: null, LAST_WM: null, LOW_WM: null, LOOKBACK_ROWS: 0 }),
      dup,
      holder,
      ok(LOG),
    ]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(s.status).toBe('SKIPPED');
    expect(kindsOf(sf)).not.toContain('merge');
  });

  it('an empty source: records the checked schema in a new state row without claiming, and logs SUCCESS', () => {
    const sf = new FakeSnowflake([
      stateRule({ FOUND: 0, RUN_ID: null, WATERMARK: null, WATERMARK_TYPE: null, SCHEMA_AGE: null }),
      { match: LEGACY, rows: [{ WM: null, LOW: null, MAX_ID: null }] },
      { match: CLOSE_LEGACY, counts: { updated: 0 } },
      ...describeRules(),
      windowRule({ PREV_STATUS: null, LAST_WM: null, LOW_WM: null, HIGH_WM: null, BATCH_ROWS: 0, LOOKBACK_ROWS: 0 }),
      ok(INSERT_STATE),
      ok(LOG),
    ]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf).slice(-2)).toEqual(['insert-state', 'log']);
    // No run id in the state row: nobody holds the sync.
    expect(bindsOf(sf, INSERT_STATE)[3]).toBeNull();
  });
});

describe('schema drift', () => {
  const amount = (scale: number): Spec[] => [...SPEC.slice(0, -1), { name: 'AMOUNT', type: `NUMBER(12,${scale})` }, SPEC[SPEC.length - 1] as Spec];
  const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, columns: amount(2).map((c) => c.name) };

  it('an unchanged fingerprint checked within the hour sends no DESCRIBE', () => {
    const sf = new FakeSnowflake([known(), windowRule(), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf)).not.toContain('describe');
  });

  it('a full check older than an hour is repeated (a length change leaves the fingerprint alone)', () => {
    const sf = new FakeSnowflake([known({ SCHEMA_AGE: 3600 }), windowRule(), ...describeRules(), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf).filter((k) => k === 'describe')).toHaveLength(2);
  });

  it('a scale change in the source (NUMBER(12,2) -> (12,4)) fails before anything is written, naming the column, both types and the resync', () => {
    const sf = new FakeSnowflake([
      known(),
      windowRule({}, amount(4), amount(2)),
      ...describeRules(amount(4), amount(2)),
      ok(LOG),
    ]);
    let error: unknown;
    try {
      runSync(sf, cfg, { resyncHint: 'CALL RESYNC_X()' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncRunError);
    const msg = (error as Error).message;
    expect(msg).toContain('[check schema]');
    expect(msg).toContain('AMOUNT is NUMBER(12,4) in the source but NUMBER(12,2) in the replica');
    expect(msg).toContain('Nothing was written');
    expect(msg).toContain('CALL RESYNC_X()');
    expect(kindsOf(sf)).toEqual(['state', 'window', 'describe', 'describe', 'log']);
    expect(logged(sf)).toMatchObject({ runId: '42', status: 'FAILED' });
  });

  it('a replica column longer than the source is fine; shorter is drift', () => {
    const wide = SPEC.map((c) => (c.name === 'PIPELINE_NAME' ? { ...c, type: 'VARCHAR(500)' } : c));
    const narrow = SPEC.map((c) => (c.name === 'PIPELINE_NAME' ? { ...c, type: 'VARCHAR(10)' } : c));
    const run = (target: Spec[]): FakeSnowflake => {
      const sf = new FakeSnowflake([known({ SCHEMA_AGE: null }), windowRule(), ...describeRules(SPEC, target), claim(), merged(0, 0), ok(LOG)]);
      try {
        runSync(sf, PIPELINE_RUN_HISTORY);
      } catch {
        // inspected below
      }
      return sf;
    };
    expect(logged(run(wide)).status).toBe('SUCCESS');
    const failed = run(narrow);
    expect(logged(failed).status).toBe('FAILED');
    expect(String(logged(failed).error)).toContain('PIPELINE_NAME is VARCHAR(255) in the source but VARCHAR(10) in the replica');
  });

  it('a column the replica lacks is named as lacking', () => {
    const lacking = SPEC.filter((c) => c.name !== 'ROWS_READ');
    const sf = new FakeSnowflake([known(), windowRule({}, SPEC, lacking), ...describeRules(SPEC, lacking), ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/replica table "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" lacks column\(s\) ROWS_READ/);
  });

  it('a column only the source has is named as not replicated', () => {
    const extra = [...SPEC, { name: 'NOTE', type: 'VARCHAR(10)' }];
    const sf = new FakeSnowflake([known(), windowRule({}, extra), ...describeRules(extra), ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/source table "ETL_PIPELINE_RUN_HISTORY_LOG" has column\(s\) NOTE that the sync does not replicate/);
  });

  it('a VARCHAR or NUMBER watermark is refused before anything is written, naming the column, its type and the fix', () => {
    for (const type of ['VARCHAR(30)', 'NUMBER(38,0)']) {
      const spec = SPEC.map((c) => (c.name === 'LAST_UPDATE_DATE' ? { ...c, type } : c));
      const sf = new FakeSnowflake([stateRule({ WATERMARK_TYPE: null }), ...describeRules(spec), ok(LOG)]);
      let msg = '';
      try {
        runSync(sf, PIPELINE_RUN_HISTORY);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toContain(`watermark column LAST_UPDATE_DATE of "ETL_PIPELINE_RUN_HISTORY_LOG" is ${type}`);
      expect(msg).toContain('TIMESTAMP_NTZ (holding UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ');
      expect(kindsOf(sf)).toEqual(['state', 'describe', 'describe', 'log']);
    }
  });
});

describe('watermark types and odd stamps', () => {
  it('an LTZ watermark is bound as an instant with a +00:00 offset and read back in UTC', () => {
    const sf = new FakeSnowflake([known({ WATERMARK_TYPE: 'TIMESTAMP_LTZ' }), windowRule(), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    const window = sf.executed.find((e) => WINDOW.test(e.sqlText))?.sqlText ?? '';
    expect(window).toContain(`"LAST_UPDATE_DATE" > TO_TIMESTAMP_LTZ(? || ' +00:00', 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')`);
    expect(window).toContain(`TO_VARCHAR(CONVERT_TIMEZONE('UTC', MAX(WM)), 'YYYY-MM-DD HH24:MI:SS.FF9')`);
    const merge = sf.executed.find((e) => MERGE.test(e.sqlText))?.sqlText ?? '';
    expect(merge).toContain(`"LAST_UPDATE_DATE" <= TO_TIMESTAMP_LTZ(? || ' +00:00'`);
  });

  it('a nullable watermark column: NULL stamps are counted, returned and logged', () => {
    const sf = new FakeSnowflake([known({ WATERMARK_NULLABLE: 1 }), windowRule({ NULL_ROWS: 3 }), claim(), merged(0, 0), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect(s.nullWatermarkRows).toBe(3);
    expect(sf.executed.find((e) => WINDOW.test(e.sqlText))?.sqlText).toContain('WHERE "LAST_UPDATE_DATE" IS NULL');
    expect(bindsOf(sf, LOG).slice(-3)).toEqual([3, 0, null]);
  });

  it('a NOT NULL watermark column is not scanned for NULLs', () => {
    const sf = new FakeSnowflake([known(), windowRule(), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(sf.executed.find((e) => WINDOW.test(e.sqlText))?.sqlText).not.toContain('IS NULL');
  });

  it('rows stamped after the run clock are reported, not merged', () => {
    const ahead = '2026-11-25 16:00:00.000000000';
    const sf = new FakeSnowflake([known(), windowRule({ FUTURE_ROWS: 2, FUTURE_MAX: ahead }), claim(), merged(0, 0), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY);
    expect([s.futureRows, s.futureMaxWatermark]).toEqual([2, ahead]);
    expect(bindsOf(sf, LOG).slice(-2)).toEqual([2, ahead]);
    expect(s.watermarkTo).toBe(HIGH);
  });
});

describe('a backlog in batches', () => {
  const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, batchSize: 5, maxBatches: 3 };
  const h2 = '2026-11-25 10:00:40.000000000';
  const h3 = '2026-11-25 10:00:50.000000000';
  const next = (rows: number, high: string | null, id: string, elapsed = 1): Rule => ({
    match: NEXT,
    times: 1,
    rows: [{ HIGH_WM: high, BATCH_ROWS: rows, NEW_RUN_ID: id, NOW, ELAPSED: elapsed }],
  });

  it('a full batch plans the next from its high end; each batch claims, merges and logs under its own id', () => {
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG), next(3, h2, '50'), claim(), merged(3, 0), ok(LOG)]);
    const s = runSync(sf, cfg);
    expect(kindsOf(sf)).toEqual(['state', 'window', 'claim', 'merge', 'log', 'next', 'claim', 'merge', 'log']);
    expect(bindsOf(sf, NEXT)).toEqual([HIGH, NOW, NOW]);
    // Batch 2 claims from batch 1's id with batch 1's end as its watermark; it has no lookback.
    expect(bindsOf(sf, CLAIM, 1)).toEqual(['50', 900, HIGH, h2, 'ETL_PIPELINE_RUN_HISTORY_LOG', '42']);
    expect(bindsOf(sf, MERGE, 1)).toEqual([HIGH, h2]);
    expect(logged(sf, 1)).toMatchObject({ runId: '50', batch: 2, from: HIGH, to: h2 });
    expect(s).toMatchObject({ batches: 2, rowsInserted: 8, runIds: ['42', '50'], watermarkTo: h2, moreToSync: false });
  });

  it('a backlog that is an exact multiple of the batch size stops when the next batch is empty', () => {
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG), next(0, null, '50')]);
    const s = runSync(sf, cfg);
    expect(kindsOf(sf).filter((k) => k === 'merge')).toHaveLength(1);
    expect(s.moreToSync).toBe(false);
  });

  it('stops at maxBatches and says more is left', () => {
    const sf = new FakeSnowflake([
      known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG),
      next(5, h2, '50'), claim(), merged(5, 0), ok(LOG),
      next(5, h3, '51'), claim(), merged(5, 0), ok(LOG),
    ]);
    const s = runSync(sf, cfg);
    expect(s).toMatchObject({ batches: 3, moreToSync: true, watermarkTo: h3 });
    expect(kindsOf(sf).at(-1)).toBe('log');
  });

  it('stops starting batches after half its lease, leaving the rest to the next run', () => {
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG), next(5, h2, '50', 451)]);
    const s = runSync(sf, cfg);
    expect(s).toMatchObject({ batches: 1, moreToSync: true });
  });

  it('a failure in batch 2 logs batch 2 FAILED and keeps batch 1', () => {
    const bad: Rule = { match: MERGE, error: { message: 'boom', code: 100, state: 'XX000' } };
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG), next(3, h2, '50'), claim(), bad, ok(LOG)]);
    expect(() => runSync(sf, cfg)).toThrow(/\[merge batch 2\] code 100, state XX000: boom/);
    expect(logged(sf, 0)).toMatchObject({ runId: '42', status: 'SUCCESS' });
    expect(logged(sf, 1)).toMatchObject({ runId: '50', status: 'FAILED', batch: 2, from: HIGH });
  });
});

describe('failures', () => {
  it('a failed state read is logged with an id of its own, and rethrown with code and state', () => {
    const sf = new FakeSnowflake([{ match: STATE, error: { message: "Object 'ETL_PIPELINE_SYNC_STATE' does not exist", code: 2003, state: '42S02' } }, ok(FAILED_NO_ID)]);
    let error: unknown;
    try {
      runSync(sf, PIPELINE_RUN_HISTORY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncRunError);
    expect(error).toMatchObject({ code: 2003, state: '42S02' });
    expect(kindsOf(sf)).toEqual(['state', 'failed-no-id']);
    expect(bindsOf(sf, FAILED_NO_ID)).toEqual(['ETL_PIPELINE_RUN_HISTORY_LOG', "[read state] code 2003, state 42S02: Object 'ETL_PIPELINE_SYNC_STATE' does not exist"]);
  });

  it('when logging the failure fails too, the error says so', () => {
    const sf = new FakeSnowflake([known(), windowRule(), claim(), { match: MERGE, error: { message: 'first' } }, { match: LOG, error: { message: 'second' } }]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/first.*logging the failure also failed.*second/s);
  });

  it('an error message longer than the column is cut to ERROR_MESSAGE_LIMIT', () => {
    const sf = new FakeSnowflake([known(), windowRule(), claim(), { match: MERGE, error: { message: 'x'.repeat(9000) } }, ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(SyncRunError);
    const error = String(logged(sf).error);
    expect(error.length).toBe(ERROR_MESSAGE_LIMIT);
    expect(error.endsWith('...')).toBe(true);
  });
});

describe('a resync', () => {
  it('re-merges from the given point in batches, from a window of its own, and records that point as its start', () => {
    const from = '2026-01-01 00:00:00.000000000';
    const next: Rule = { match: NEXT, times: 1, rows: [{ HIGH_WM: HIGH, BATCH_ROWS: 4, NEW_RUN_ID: '99', NOW, ELAPSED: 0 }] };
    const sf = new FakeSnowflake([known(), windowRule(), next, claim(), merged(0, 4), ok(LOG)]);
    const s: SyncSummary = runSync(sf, PIPELINE_RUN_HISTORY, { resyncFrom: from });
    expect(bindsOf(sf, NEXT)).toEqual([from, NOW, NOW]);
    expect(bindsOf(sf, CLAIM)[2]).toBe(from);
    expect(bindsOf(sf, MERGE)).toEqual([from, HIGH]);
    expect(s).toMatchObject({ resyncFrom: from, rowsUpdated: 4, watermarkTo: HIGH });
  });

  it('from the start: no low bound at all', () => {
    const next: Rule = { match: NEXT, times: 1, rows: [{ HIGH_WM: HIGH, BATCH_ROWS: 4, NEW_RUN_ID: '99', NOW, ELAPSED: 0 }] };
    const sf = new FakeSnowflake([known(), windowRule(), next, claim(), merged(0, 4), ok(LOG)]);
    const s = runSync(sf, PIPELINE_RUN_HISTORY, { resyncFrom: null });
    expect(bindsOf(sf, NEXT)[0]).toBe(EPOCH_FLOOR);
    expect(bindsOf(sf, MERGE)).toEqual([HIGH]);
    expect(s.resyncFrom).toBe(EPOCH_FLOOR);
  });
});

describe('decisions at their boundaries', () => {
  it('new rows with nothing in the lookback are merged (a first batch needs no lookback row)', () => {
    const sf = new FakeSnowflake([known(), windowRule({ LOOKBACK_ROWS: 0, BATCH_ROWS: 2 }), claim(), merged(2, 0), ok(LOG)]);
    expect(runSync(sf, PIPELINE_RUN_HISTORY).rowsInserted).toBe(2);
    expect(kindsOf(sf)).toContain('merge');
  });

  it('updates of every batch are added up, and the log carries each batch own counts', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, batchSize: 5, maxBatches: 3 };
    const h2 = '2026-11-25 10:00:40.000000000';
    const next: Rule = { match: NEXT, times: 1, rows: [{ HIGH_WM: h2, BATCH_ROWS: 3, NEW_RUN_ID: '50', NOW, ELAPSED: 1 }] };
    const sf = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(1, 4), ok(LOG), next, claim(), merged(1, 2), ok(LOG)]);
    const s = runSync(sf, cfg);
    expect([s.rowsInserted, s.rowsUpdated]).toEqual([2, 6]);
    expect([logged(sf, 0).inserted, logged(sf, 0).updated, logged(sf, 1).updated]).toEqual([1, 4, 2]);
  });

  it('half the lease exactly still starts the next batch; one second more does not', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, batchSize: 5, maxBatches: 3 };
    const h2 = '2026-11-25 10:00:40.000000000';
    const run = (elapsed: number): SyncSummary => {
      const next: Rule = { match: NEXT, times: 1, rows: [{ HIGH_WM: h2, BATCH_ROWS: 3, NEW_RUN_ID: '50', NOW, ELAPSED: elapsed }] };
      return runSync(new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 5 }), claim(), merged(5, 0), ok(LOG), next, claim(), merged(3, 0), ok(LOG)]), cfg);
    };
    expect(run(450).batches).toBe(2);
    expect(run(451)).toMatchObject({ batches: 1, moreToSync: true });
  });

  it('a watermark column that became TIMESTAMP_LTZ (fingerprint changed) is planned again with instants', () => {
    const ltz = SPEC.map((c) => (c.name === 'LAST_UPDATE_DATE' ? { ...c, type: 'TIMESTAMP_LTZ(9)' } : c));
    const sf = new FakeSnowflake([known(), windowRule({}, ltz, ltz), ...describeRules(ltz, ltz), windowRule({}, ltz, ltz), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    const windows = sf.executed.filter((e) => WINDOW.test(e.sqlText)).map((e) => e.sqlText);
    expect(windows).toHaveLength(2);
    expect(windows[0]).not.toContain('TO_TIMESTAMP_LTZ');
    expect(windows[1]).toContain('TO_TIMESTAMP_LTZ');
    expect(bindsOf(sf, CLAIM)).toContain('TIMESTAMP_LTZ');
  });

  it('a watermark column that became nullable is planned again, counting its NULL stamps', () => {
    const nullable = SPEC.map((c) => (c.name === 'LAST_UPDATE_DATE' ? { ...c, notNull: false } : c));
    const sf = new FakeSnowflake([known({ SCHEMA_AGE: 4000 }), windowRule(), ...describeRules(nullable, nullable), windowRule({ NULL_ROWS: 1 }), claim(), merged(0, 0), ok(LOG)]);
    expect(runSync(sf, PIPELINE_RUN_HISTORY).nullWatermarkRows).toBe(1);
    const windows = sf.executed.filter((e) => WINDOW.test(e.sqlText)).map((e) => e.sqlText);
    expect(windows.map((w) => w.includes('IS NULL'))).toEqual([false, true]);
  });

  it('an unchanged full check plans once', () => {
    const sf = new FakeSnowflake([known({ SCHEMA_AGE: 4000 }), windowRule(), ...describeRules(), claim(), merged(0, 0), ok(LOG)]);
    runSync(sf, PIPELINE_RUN_HISTORY);
    expect(kindsOf(sf).filter((k) => k === 'window')).toHaveLength(1);
  });

  it('a first batch exactly the batch size plans a next batch; one row short does not', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, batchSize: 5 };
    const short = new FakeSnowflake([known(), windowRule({ BATCH_ROWS: 4 }), claim(), merged(4, 0), ok(LOG)]);
    runSync(short, cfg);
    expect(kindsOf(short)).not.toContain('next');
  });
});

describe('a window statement that fails', () => {
  it('because a column is gone: the full check names it, with its fix', () => {
    const lacking = SPEC.filter((c) => c.name !== 'LAST_UPDATE_DATE');
    const sf = new FakeSnowflake([known(), { match: WINDOW, error: { message: "invalid identifier 'LAST_UPDATE_DATE'", code: 904 } }, ...describeRules(SPEC, lacking), ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/\[check schema\].*replica table .* lacks column\(s\) LAST_UPDATE_DATE/s);
  });

  it('for another reason, with the schema as configured: its own error stands, under its own step', () => {
    const sf = new FakeSnowflake([known(), { match: WINDOW, error: { message: 'Warehouse suspended', code: 606 } }, ...describeRules(), ok(LOG)]);
    expect(() => runSync(sf, PIPELINE_RUN_HISTORY)).toThrow(/\[plan window\] code 606: Warehouse suspended/);
  });
});
