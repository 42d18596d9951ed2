/**
 * The procedure entry points of procedure/procedures.ts against the scripted `snowflake`: which
 * configuration each runs with, how CONFIG and FROM_WATERMARK arguments are read, and the
 * retention purge.
 */
import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import {
  hybridSyncReconcile,
  hybridSyncResync,
  hybridSyncTable,
  normalizeWatermark,
  purgeSyncHistoryProc,
  reconcilePipelineRunHistoryProc,
  resolveSyncConfig,
  resyncPipelineRunHistoryProc,
  syncPipelineRunHistoryProc,
  type SyncTableOptions,
} from '../../procedure/procedures.js';
import { ConfigError } from '../../procedure/sql.js';
import { FakeSnowflake, type Rule } from '../support/fake-snowflake.js';
import { bindsOf, claim, HIGH, known, LOG, merged, NEXT, NOW, ok, STATE, windowRule } from '../support/sync-script.js';

const ORDERS: SyncTableOptions = { sourceTable: 'ORDERS', targetTable: 'ORDERS_R', keyColumns: ['ID'], columns: ['ID', 'LAST_UPDATE_DATE'] };

describe('FROM_WATERMARK of the resync procedures', () => {
  it('takes a UTC date, date and time, fractions and the ISO T/Z spellings, as the wire format', () => {
    expect(normalizeWatermark('2026-01-31')).toBe('2026-01-31 00:00:00.000000000');
    expect(normalizeWatermark('2026-01-31 10:20')).toBe('2026-01-31 10:20:00.000000000');
    expect(normalizeWatermark('2026-01-31 10:20:30')).toBe('2026-01-31 10:20:30.000000000');
    expect(normalizeWatermark('2026-01-31T10:20:30.5Z')).toBe('2026-01-31 10:20:30.500000000');
    expect(normalizeWatermark(' 2026-01-31 10:20:30.123456789 ')).toBe('2026-01-31 10:20:30.123456789');
  });

  it('NULL, undefined and an empty string mean the whole table', () => {
    expect(normalizeWatermark(undefined)).toBeNull();
    expect(normalizeWatermark(null)).toBeNull();
    expect(normalizeWatermark('')).toBeNull();
  });

  it.each(['yesterday', '26-01-31', '2026-1-31', 'x2026-01-31', '2026-01-31x', '2026-01-31 10', '2026-01-31 1:20', '2026-01-31 10:20:30.1234567891', '2026-01-31 10:20:3'])(
    'refuses %j, naming the form to use',
    (bad) => {
      expect(() => normalizeWatermark(bad)).toThrow(ConfigError);
      expect(() => normalizeWatermark(bad)).toThrow(/is not a UTC timestamp: use 'YYYY-MM-DD HH24:MI:SS'/);
    },
  );
});

describe('CONFIG of the generic procedures', () => {
  it('fills every default but the tables, keys and columns', () => {
    const d = PIPELINE_RUN_HISTORY;
    expect(resolveSyncConfig(ORDERS)).toEqual({
      sourceTable: 'ORDERS',
      targetTable: 'ORDERS_R',
      keyColumns: ['ID'],
      columns: ['ID', 'LAST_UPDATE_DATE'],
      watermarkColumn: d.watermarkColumn,
      controlTable: d.controlTable,
      stateTable: d.stateTable,
      runIdSequence: d.runIdSequence,
      syncName: 'ORDERS',
      lookbackSeconds: d.lookbackSeconds,
      batchSize: d.batchSize,
      maxBatches: d.maxBatches,
      leaseSeconds: d.leaseSeconds,
      allowExtraColumns: false,
    });
  });

  it('keeps every field given, and accepts and ignores the old planMode', () => {
    const all: SyncTableOptions = {
      ...ORDERS,
      watermarkColumn: 'TS',
      controlTable: 'C',
      stateTable: 'S',
      runIdSequence: 'Q',
      syncName: 'N',
      lookbackSeconds: 1,
      batchSize: 2,
      maxBatches: 3,
      leaseSeconds: 600,
      allowExtraColumns: true,
      planMode: 'indexed',
    };
    const { planMode: _ignored, ...expected } = all;
    expect(resolveSyncConfig(all)).toEqual(expected);
  });

  it('refuses what is not an OBJECT, an unknown field and a missing table, naming them', () => {
    for (const bad of [null, 'ORDERS', ['ORDERS'], 5]) expect(() => resolveSyncConfig(bad as never)).toThrow(/CONFIG must be an OBJECT/);
    expect(() => resolveSyncConfig({ ...ORDERS, lookback: 5 } as never)).toThrow(/unknown CONFIG field 'lookback'; known fields: sourceTable, targetTable/);
    expect(() => resolveSyncConfig({ ...ORDERS, sourceTable: undefined } as never)).toThrow(/CONFIG.sourceTable is required/);
    expect(() => resolveSyncConfig({ ...ORDERS, targetTable: 5 } as never)).toThrow(/CONFIG.targetTable is required/);
  });
});

/** A run that fails at its first statement: enough to see which configuration it ran with. */
function firstStatement(run: (sf: FakeSnowflake) => unknown): unknown[] {
  const sf = new FakeSnowflake([{ match: STATE, error: { message: 'stop here' } }, { match: /NEXTVAL/ }]);
  expect(() => run(sf)).toThrow(/stop here/);
  return bindsOf(sf, STATE);
}

describe('the entry points', () => {
  it('the shipped procedure syncs the seed pair; HYBRID_SYNC_TABLE the pair of its CONFIG', () => {
    expect(firstStatement((sf) => syncPipelineRunHistoryProc(sf))).toEqual([-300, -300, 'ETL_PIPELINE_RUN_HISTORY_LOG']);
    expect(firstStatement((sf) => hybridSyncTable(sf, { ...ORDERS, lookbackSeconds: 30 }))).toEqual([-30, -30, 'ORDERS']);
  });

  it('the resync procedures re-merge from FROM_WATERMARK, or from the start', () => {
    const resyncRun = (run: (sf: FakeSnowflake) => unknown): { next: unknown[]; result: unknown } => {
      const next: Rule = { match: NEXT, times: 1, rows: [{ HIGH_WM: HIGH, BATCH_ROWS: 1, NEW_RUN_ID: '99', NOW, ELAPSED: 0 }] };
      const sf = new FakeSnowflake([known(), windowRule(), next, claim(), merged(0, 1), ok(LOG)]);
      const result = run(sf);
      return { next: bindsOf(sf, NEXT), result };
    };
    const a = resyncRun((sf) => resyncPipelineRunHistoryProc(sf, '2026-01-31'));
    expect(a.next[0]).toBe('2026-01-31 00:00:00.000000000');
    expect(a.result).toMatchObject({ resyncFrom: '2026-01-31 00:00:00.000000000', rowsUpdated: 1 });
    const b = resyncRun((sf) => hybridSyncResync(sf, { ...ORDERS, columns: [...PIPELINE_RUN_HISTORY.columns], keyColumns: ['PIPELINE_RUN_ID'] }));
    expect(b.result).toMatchObject({ resyncFrom: '1582-10-15 00:00:00.000000000', syncName: 'ORDERS' });
  });

  it('the purge keeps 90 days unless told, and refuses less than a day', () => {
    const purge = (days?: number): { binds: unknown[][]; result: unknown } => {
      const sf = new FakeSnowflake([
        { match: /^DELETE FROM "ETL_PIPELINE_SYNC_CONTROL"/, counts: { deleted: 3 } },
        { match: /^DELETE FROM "ETL_PIPELINE_RECONCILE_LOG"/, counts: { deleted: 1 } },
      ]);
      const result = purgeSyncHistoryProc(sf, days);
      return { binds: sf.executed.map((e) => e.binds), result };
    };
    expect(purge()).toEqual({ binds: [[-90], [-90]], result: { retainDays: 90, controlRowsDeleted: 3, reconcileRowsDeleted: 1 } });
    expect(purge(7).binds).toEqual([[-7], [-7]]);
    expect(purge(1).result).toMatchObject({ retainDays: 1 });
    expect(purge(null as unknown as number).result).toMatchObject({ retainDays: 90 });
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => purge(bad)).toThrow(/RETAIN_DAYS must be a whole number of days >= 1/);
  });

  it('the purge deletes by start time and keeps the row each sync resumes from', () => {
    const sf = new FakeSnowflake([{ match: /^DELETE/, counts: { deleted: 0 } }]);
    purgeSyncHistoryProc(sf, 30);
    expect(sf.executed.map((e) => e.sqlText)).toEqual([
      `DELETE FROM "ETL_PIPELINE_SYNC_CONTROL" WHERE SYNC_START_TIMESTAMP < DATEADD('day', ?, SYSDATE()) AND SYNC_RUN_ID NOT IN (SELECT RUN_ID FROM "ETL_PIPELINE_SYNC_STATE" WHERE RUN_ID IS NOT NULL)`,
      `DELETE FROM "ETL_PIPELINE_RECONCILE_LOG" WHERE CHECK_TIMESTAMP < DATEADD('day', ?, SYSDATE())`,
    ]);
  });

  it('the reconcile procedures repair only with REPAIR, and delete extra rows only with both', () => {
    const flags = (run: (sf: FakeSnowflake) => unknown): { repaired: boolean; deleted: boolean } => {
      const sf = new FakeSnowflake([
        { match: /^SELECT\s+TO_VARCHAR\(DATEADD/, times: 1, rows: [{ CUTOFF: null, WATERMARK_TYPE: 'TIMESTAMP_NTZ', NEXT_CHECK_ID: '7' }] },
        { match: /^WITH S AS \(SELECT MOD/, rows: [{ BUCKET: 3, SOURCE_ROWS: 1, TARGET_ROWS: 2, SAME: 0 }] },
        { match: /^WITH S AS \(SELECT \* FROM/, rows: [] },
        { match: /^MERGE INTO/, counts: { inserted: 0, updated: 0 } },
        { match: /^DELETE FROM/, counts: { deleted: 1 } },
        { match: /^INSERT INTO "ETL_PIPELINE_RECONCILE_LOG"/ },
      ]);
      run(sf);
      return { repaired: sf.executed.some((e) => /^MERGE/.test(e.sqlText)), deleted: sf.executed.some((e) => /^DELETE/.test(e.sqlText)) };
    };
    expect(flags((sf) => reconcilePipelineRunHistoryProc(sf))).toEqual({ repaired: false, deleted: false });
    expect(flags((sf) => reconcilePipelineRunHistoryProc(sf, undefined, true))).toEqual({ repaired: false, deleted: false });
    expect(flags((sf) => reconcilePipelineRunHistoryProc(sf, true))).toEqual({ repaired: true, deleted: false });
    expect(flags((sf) => reconcilePipelineRunHistoryProc(sf, true, true))).toEqual({ repaired: true, deleted: true });
    const pair = { ...ORDERS, columns: [...PIPELINE_RUN_HISTORY.columns], keyColumns: ['PIPELINE_RUN_ID'] };
    expect(flags((sf) => hybridSyncReconcile(sf, pair))).toEqual({ repaired: false, deleted: false });
    expect(flags((sf) => hybridSyncReconcile(sf, pair, false, true))).toEqual({ repaired: false, deleted: false });
    expect(flags((sf) => hybridSyncReconcile(sf, pair, true, true))).toEqual({ repaired: true, deleted: true });
    // A BOOLEAN argument may reach JavaScript as 1/0 (the SQL-JavaScript mapping table); TRUE still turns the option on, 0 does not.
    const one = 1 as unknown as boolean;
    const zero = 0 as unknown as boolean;
    expect(flags((sf) => reconcilePipelineRunHistoryProc(sf, one, one))).toEqual({ repaired: true, deleted: true });
    expect(flags((sf) => hybridSyncReconcile(sf, pair, zero, one))).toEqual({ repaired: false, deleted: false });
  });
});
