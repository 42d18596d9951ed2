import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { IdentifierError, canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import { mergeStatement, planStatement, quoteConfig } from '../../procedure/sql.js';
import { resolveSyncConfig } from '../../procedure/procedures.js';

describe('identifiers', () => {
  it('upper-cases and quotes unquoted names, as Snowflake resolves them', () => {
    expect(quoteName('last_update_date')).toBe('"LAST_UPDATE_DATE"');
    expect(quoteTable('etl.public.runs')).toBe('"ETL"."PUBLIC"."RUNS"');
    expect(quoteTable('SCHEMA_1.T$X')).toBe('"SCHEMA_1"."T$X"');
  });

  it('keeps the case of a quoted part and its doubled quotes', () => {
    expect(quoteTable('"My DB".PUBLIC."Runs ""v2"""')).toBe('"My DB"."PUBLIC"."Runs ""v2"""');
    expect(canonicalName('"Runs ""v2"""')).toBe('Runs "v2"');
  });

  it.each([
    'X"; DROP TABLE Y; --',
    'X; DROP TABLE Y',
    'a b',
    '1ABC',
    'A..B',
    'A.B.C.D',
    '"unterminated',
    '',
  ])('rejects %j with a message naming the value and the fix', (bad) => {
    expect(() => quoteTable(bad)).toThrow(IdentifierError);
    expect(() => quoteTable(bad)).toThrow(/Use letters, digits/);
  });

  it('rejects a qualified column name', () => {
    expect(() => quoteName('T.COL')).toThrow(/must not be qualified/);
  });
});

describe('config validation', () => {
  const bad = (patch: Partial<SyncConfig>): (() => void) => () => quoteConfig({ ...PIPELINE_RUN_HISTORY, ...patch });
  it('names each problem', () => {
    expect(bad({ keyColumns: [] })).toThrow(/keyColumns/);
    expect(bad({ keyColumns: ['NOPE'] })).toThrow(/key column "NOPE" is not in columns/);
    expect(bad({ watermarkColumn: 'NOPE' })).toThrow(/watermark column "NOPE" is not in columns/);
    expect(bad({ batchSize: 0 })).toThrow(/batchSize/);
    expect(bad({ lookbackSeconds: -1 })).toThrow(/lookbackSeconds/);
    expect(bad({ targetTable: PIPELINE_RUN_HISTORY.sourceTable })).toThrow(/must differ/);
    expect(bad({ sourceTable: 'X"; DROP TABLE Y; --' })).toThrow(/invalid source table/);
    expect(bad({ columns: [...PIPELINE_RUN_HISTORY.columns, 'pipeline_run_id'] })).toThrow(/listed twice/);
  });

  it('fills HYBRID_SYNC_TABLE defaults and rejects unknown fields', () => {
    const cfg = resolveSyncConfig({ sourceTable: 'S', targetTable: 'T', keyColumns: ['ID'], columns: ['ID', 'LAST_UPDATE_DATE'] });
    expect(cfg).toMatchObject({ syncName: 'S', watermarkColumn: 'LAST_UPDATE_DATE', controlTable: 'ETL_PIPELINE_SYNC_CONTROL' });
    expect(() => resolveSyncConfig({ ...cfg, lookback: 5 } as never)).toThrow(/unknown CONFIG field 'lookback'/);
    expect(() => resolveSyncConfig(null as never)).toThrow(/CONFIG must be an OBJECT/);
  });
});

describe('the MERGE', () => {
  const q = quoteConfig(PIPELINE_RUN_HISTORY);
  const m = mergeStatement(q, '2026-01-01 00:00:00.000000000', '2026-01-02 00:00:00.000000000');

  it('binds the window instead of splicing values', () => {
    expect(m.binds).toEqual(['2026-01-01 00:00:00.000000000', '2026-01-02 00:00:00.000000000']);
    expect(m.sqlText).not.toContain('2026');
    expect(m.sqlText).toContain(`"LAST_UPDATE_DATE" > TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9') AND "LAST_UPDATE_DATE" <= TO_TIMESTAMP_NTZ(?`);
  });

  it('updates only rows that are at least as new and differ in a non-key column', () => {
    expect(m.sqlText).toContain('WHEN MATCHED AND S."LAST_UPDATE_DATE" >= T."LAST_UPDATE_DATE" AND (');
    for (const c of q.valueColumns) expect(m.sqlText).toContain(`T.${c} IS DISTINCT FROM S.${c}`);
    expect(m.sqlText).not.toContain('T."PIPELINE_RUN_ID" IS DISTINCT FROM');
    expect(m.sqlText).not.toMatch(/SET [^\n]*"PIPELINE_RUN_ID" =/);
  });

  it('joins on every key column', () => {
    const two = quoteConfig({ ...PIPELINE_RUN_HISTORY, keyColumns: ['PIPELINE_RUN_ID', 'PIPELINE_NAME'] });
    expect(mergeStatement(two, null, 'x').sqlText).toContain('ON T."PIPELINE_RUN_ID" = S."PIPELINE_RUN_ID" AND T."PIPELINE_NAME" = S."PIPELINE_NAME"');
  });
});

describe('the plan', () => {
  it('binds the sync name, the negative lookback and the floor, and limits the batch', () => {
    const p = planStatement({ ...PIPELINE_RUN_HISTORY, batchSize: 500, lookbackSeconds: 120 }, quoteConfig(PIPELINE_RUN_HISTORY));
    expect(p.binds).toEqual(['ETL_PIPELINE_RUN_HISTORY_LOG', -120, '0001-01-01 00:00:00.000000000', 'ETL_PIPELINE_RUN_HISTORY_LOG']);
    expect(p.sqlText.split('?').length - 1).toBe(p.binds.length);
    expect(p.sqlText).toContain('LIMIT 500');
  });
});

describe('tables of one sync', () => {
  it('must share one database, since a transaction cannot span hybrid tables of several', () => {
    const cfg = { ...PIPELINE_RUN_HISTORY, sourceTable: 'A.S.SRC', targetTable: 'B.S.TGT', controlTable: 'A.S.CTL' };
    expect(() => quoteConfig(cfg)).toThrow(/same database/);
    expect(() => quoteConfig({ ...cfg, targetTable: 'S.TGT' })).toThrow(/same database/);
    expect(quoteConfig({ ...cfg, targetTable: 'a.S.TGT' }).target).toBe('"A"."S"."TGT"');
  });
});
