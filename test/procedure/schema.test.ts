/**
 * The schema check of procedure/schema.ts on its own: the fingerprint read from a statement's
 * column metadata, the names check every run makes, and the full check's type rules (the
 * replica must hold every source value unchanged).
 */
import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import { checkSchema, metadataFingerprint, namesMatch, readDescribe, SchemaDriftError, type DescribedColumn } from '../../procedure/schema.js';
import { quoteConfig } from '../../procedure/sql.js';
import { FakeSnowflake, type ColumnDef } from '../support/fake-snowflake.js';

const q = quoteConfig({ ...PIPELINE_RUN_HISTORY, columns: ['ID', 'NAME', 'AMOUNT', 'LAST_UPDATE_DATE'], keyColumns: ['ID'] });
const ctx = { q, resyncHint: 'CALL RESYNC()' };
const col = (name: string, type: string, nullable = false): DescribedColumn => ({ name, type, nullable });
const table = (over: Record<string, string> = {}, nullableWm = false): DescribedColumn[] => [
  col('ID', over.ID ?? 'NUMBER(38,0)'),
  col('NAME', over.NAME ?? 'VARCHAR(100)', true),
  col('AMOUNT', over.AMOUNT ?? 'NUMBER(12,2)', true),
  col('LAST_UPDATE_DATE', over.LAST_UPDATE_DATE ?? 'TIMESTAMP_NTZ(9)', nullableWm),
];
const check = (source: DescribedColumn[], target: DescribedColumn[] = table()): ReturnType<typeof checkSchema> => checkSchema(ctx, source, target, 'fp');
const drift = (source: DescribedColumn[], target: DescribedColumn[] = table()): string => {
  try {
    check(source, target);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaDriftError);
    return (e as Error).message;
  }
  throw new Error('expected a schema drift error');
};

describe('the full check', () => {
  it('passes equal tables and keeps the fingerprint, the watermark type and its nullability', () => {
    expect(check(table())).toEqual({ fingerprint: 'fp', watermarkType: 'TIMESTAMP_NTZ', watermarkNullable: false });
    expect(check(table({ LAST_UPDATE_DATE: 'TIMESTAMP_LTZ(9)' }, true), table({ LAST_UPDATE_DATE: 'TIMESTAMP_LTZ(9)' }))).toEqual({
      fingerprint: 'fp',
      watermarkType: 'TIMESTAMP_LTZ',
      watermarkNullable: true,
    });
    expect(check(table({ LAST_UPDATE_DATE: 'TIMESTAMP_TZ(9)' }), table({ LAST_UPDATE_DATE: 'TIMESTAMP_TZ(9)' })).watermarkType).toBe('TIMESTAMP_TZ');
  });

  it('a replica with a longer text or a larger precision holds every value; a shorter one does not', () => {
    expect(() => check(table(), table({ NAME: 'VARCHAR(200)', AMOUNT: 'NUMBER(20,2)' }))).not.toThrow();
    expect(drift(table(), table({ NAME: 'VARCHAR(99)' }))).toContain('column NAME is VARCHAR(100) in the source but VARCHAR(99) in the replica');
    expect(drift(table(), table({ AMOUNT: 'NUMBER(11,2)' }))).toContain('column AMOUNT is NUMBER(12,2) in the source but NUMBER(11,2) in the replica');
  });

  it('a different scale or base type is drift, both ways', () => {
    expect(drift(table({ AMOUNT: 'NUMBER(12,4)' }))).toContain('AMOUNT is NUMBER(12,4) in the source but NUMBER(12,2)');
    expect(drift(table(), table({ AMOUNT: 'NUMBER(12,4)' }))).toContain('AMOUNT is NUMBER(12,2) in the source but NUMBER(12,4)');
    expect(drift(table(), table({ AMOUNT: 'FLOAT' }))).toContain('AMOUNT is NUMBER(12,2) in the source but FLOAT');
    expect(drift(table(), table({ LAST_UPDATE_DATE: 'TIMESTAMP_LTZ(9)' }))).toContain('LAST_UPDATE_DATE is TIMESTAMP_NTZ(9) in the source but TIMESTAMP_LTZ(9)');
  });

  it('TEXT and STRING are VARCHAR; a type without length fits any length', () => {
    expect(() => check(table({ NAME: 'TEXT(100)' }), table({ NAME: 'STRING(100)' }))).not.toThrow();
    expect(() => check(table({ NAME: 'VARCHAR' }), table({ NAME: 'VARCHAR(100)' }))).not.toThrow();
    expect(() => check(table({ NAME: 'BOOLEAN' }), table({ NAME: 'BOOLEAN' }))).not.toThrow();
  });

  it('names every difference at once, with the fix and the resync', () => {
    const msg = drift(table({ AMOUNT: 'NUMBER(12,4)', NAME: 'VARCHAR(300)' }));
    expect(msg).toMatch(/^schema mismatch: column NAME .*; column AMOUNT .*\. Nothing was written\. Fix the replica .* then re-sync the affected rows in place: CALL RESYNC\(\)\.$/);
  });

  it('missing, extra and absent tables are named on the right side', () => {
    const noAmount = table().filter((c) => c.name !== 'AMOUNT');
    expect(drift(noAmount)).toContain('source table "ETL_PIPELINE_RUN_HISTORY_LOG" lacks column(s) AMOUNT');
    expect(drift(table(), noAmount)).toContain('replica table "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" lacks column(s) AMOUNT');
    expect(drift([...table(), col('NOTE', 'VARCHAR(1)')])).toContain('source table "ETL_PIPELINE_RUN_HISTORY_LOG" has column(s) NOTE that the sync does not replicate');
    expect(drift([...table(), col('NOTE', 'VARCHAR(1)')])).toMatch(/deployed from hybrid-sync\.toml .* run its deploy again/);
    expect(drift(noAmount)).not.toContain('hybrid-sync.toml');
    // A config that lists a subset leaves other columns alone, on both sides; a missing one still fails.
    const subset = { ...ctx, allowExtraColumns: true };
    expect(checkSchema(subset, [...table(), col('NOTE', 'VARCHAR(1)')], [...table(), col('OTHER', 'DATE')], 'fp').watermarkType).toBe('TIMESTAMP_NTZ');
    expect(() => checkSchema(subset, noAmount, table(), 'fp')).toThrow(/lacks column\(s\) AMOUNT/);
    expect(drift(table(), [])).toContain('replica table "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" does not exist or is not visible to the procedure owner');
    expect(drift([], table())).toContain('source table "ETL_PIPELINE_RUN_HISTORY_LOG" does not exist');
    // A missing table is fixed by creating it, not by a resync.
    expect(drift(table(), [])).toMatch(/Nothing was written\. Create it \(npm run deploy creates the shipped tables.*correct the table name/);
    expect(drift(table(), [])).not.toContain('re-sync');
    // With a column missing, types are not compared (nothing to compare it with).
    expect(drift(noAmount, table({ NAME: 'VARCHAR(1)' }))).not.toContain('column NAME');
  });

  it('a watermark that is not a timestamp is refused first, naming its type and the fix', () => {
    for (const type of ['VARCHAR(30)', 'NUMBER(38,0)', 'DATE']) {
      const msg = drift(table({ LAST_UPDATE_DATE: type }), table({ LAST_UPDATE_DATE: type }));
      expect(msg).toBe(
        `watermark column LAST_UPDATE_DATE of "ETL_PIPELINE_RUN_HISTORY_LOG" is ${type}: a watermark must be TIMESTAMP_NTZ (holding UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ. ` +
          'Nothing was written. Fix: add a timestamp column that every insert and update sets (e.g. LAST_UPDATE_DATE TIMESTAMP_NTZ(9) DEFAULT SYSDATE() NOT NULL) ' +
          'and configure it as watermarkColumn.',
      );
    }
  });
});

describe('DESCRIBE TABLE rows', () => {
  it('reads name, type (upper-cased, no spaces) and nullability', () => {
    const rs = new FakeSnowflake([
      {
        match: /^DESCRIBE/,
        rows: [
          { name: 'ID', type: 'NUMBER(38,0)', 'null?': 'N' },
          { name: 'AMOUNT', type: 'number(12, 2)', 'null?': 'Y' },
          { name: 'NOTE', type: 'VARCHAR(10)', 'null?': 'y' },
        ],
      },
    ]).execute({ sqlText: 'DESCRIBE TABLE T' });
    expect(readDescribe(rs)).toEqual([col('ID', 'NUMBER(38,0)', false), col('AMOUNT', 'NUMBER(12,2)', true), col('NOTE', 'VARCHAR(10)', true)]);
  });
});

describe('the fingerprint from column metadata', () => {
  const stmt = (columns: ColumnDef[]) => {
    const sf = new FakeSnowflake([{ match: /^SELECT/, columns, rows: [{}] }]);
    const s = sf.createStatement({ sqlText: 'SELECT 1' });
    s.execute();
    return s;
  };
  const source: ColumnDef[] = [
    { name: 'ID', type: 'NUMBER', scale: 0 },
    { name: 'NAME', type: 'TEXT', scale: 0 },
    { name: 'AMOUNT', type: 'NUMBER', scale: 2 },
    { name: 'LAST_UPDATE_DATE', type: 'TIMESTAMP_NTZ', scale: 9 },
  ];
  const fp = metadataFingerprint(stmt([{ name: 'LAST_WM' }, { name: 'HIGH_WM' }, { name: '|SOURCE' }, ...source, { name: '|TARGET' }, ...source]));

  it('lists each side after its marker with type and scale, ignoring the plan columns before', () => {
    const side = 'ID:NUMBER:0,NAME:TEXT:0,AMOUNT:NUMBER:2,LAST_UPDATE_DATE:TIMESTAMP_NTZ:9';
    expect(fp).toBe(`S,${side},T,${side}`);
  });

  it('changes with a scale', () => {
    const other = source.map((c) => (c.name === 'AMOUNT' ? { ...c, scale: 4 } : c));
    expect(metadataFingerprint(stmt([{ name: '|SOURCE' }, ...other, { name: '|TARGET' }, ...source]))).not.toBe(fp);
  });

  it('matches the configured names on both sides, in any order, and only then', () => {
    expect(namesMatch(q, fp)).toBe(true);
    expect(namesMatch(q, fp.replace('T,ID', 'T,XID'))).toBe(false);
    expect(namesMatch(q, fp.replace('S,ID', 'S,XID'))).toBe(false);
    expect(namesMatch(q, 'S,NAME:TEXT:0,ID:NUMBER:0,AMOUNT:NUMBER:2,LAST_UPDATE_DATE:TIMESTAMP_NTZ:9,T,ID:N:0,NAME:T:0,AMOUNT:N:2,LAST_UPDATE_DATE:T:9')).toBe(true);
    expect(namesMatch(q, '')).toBe(false);
  });

  it('with allowExtraColumns, matches when both sides hold every configured name, extras or not', () => {
    const extra = fp.replace('T,', 'T,NOTE:TEXT:0,').replace('S,', 'S,EXTRA:TEXT:0,');
    expect(namesMatch(q, extra)).toBe(false);
    expect(namesMatch(q, extra, true)).toBe(true);
    expect(namesMatch(q, fp, true)).toBe(true);
    expect(namesMatch(q, fp.replace('T,ID', 'T,XID'), true)).toBe(false);
    expect(namesMatch(q, fp.replace('S,ID', 'S,XID'), true)).toBe(false);
  });
});
