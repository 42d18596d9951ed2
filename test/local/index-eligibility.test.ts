/**
 * The index-eligibility audit of the statement log, by Snowflake's rule for hybrid tables
 * (https://docs.snowflake.com/en/user-guide/tables-hybrid-index: an index can reduce the rows
 * scanned when a predicate uses =, >, >=, <, <=, [NOT] IN or [NOT] BETWEEN), applied to the
 * leading column of the primary key or of a secondary index, against a constant or a bind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock, type LocalSession } from '../../local/index.js';
import { auditHybridAccess } from '../../local/index-eligibility.js';
import { recognise } from '../../local/sql-text.js';
import type { HybridTableIndexes } from '../../local/host.js';
import { distSql } from '../support/dist.js';

const TABLES = new Map<string, HybridTableIndexes>([
  ['T', { table: 'T', indexes: [{ name: 'PRIMARY KEY', columns: ['ID', 'PART'] }, { name: 'BY_TS', columns: ['TS', 'ID'] }] }],
  ['U', { table: 'U', indexes: [{ name: 'PRIMARY KEY', columns: ['K'] }] }],
]);
const audit = (sql: string) => auditHybridAccess(recognise(sql), TABLES);

describe('auditHybridAccess', () => {
  it('accepts each documented operator on a leading key column against a constant or bind', () => {
    for (const predicate of ['ID = ?', 'ID < 3', 'ID <= :1', "TS > '2026-01-01'::TIMESTAMP_NTZ", 'TS >= DATEADD(day, -1, SYSDATE())', 'ID IN (1, 2, ?)', 'ID NOT IN (1)', 'ID BETWEEN 1 AND ?', '? = ID']) {
      const [access] = audit(`SELECT * FROM T WHERE ${predicate} AND NAME = 'x'`) ?? [];
      expect(access, predicate).toMatchObject({ table: 'T', kind: 'read', eligible: true, index: predicate.includes('TS') ? 'BY_TS' : 'PRIMARY KEY' });
    }
  });

  it('refuses a predicate on a column that leads no index, a column on both sides, a disjunction, IN (subquery), or no predicate', () => {
    for (const sql of [
      'SELECT * FROM T WHERE PART = 1',
      'SELECT * FROM T WHERE ID = PART',
      'SELECT * FROM T WHERE ID = 1 OR NAME = ?',
      'SELECT * FROM T WHERE ID IN (SELECT K FROM X)',
      'SELECT COUNT(*) FROM T',
      'SELECT * FROM T WHERE UPPER(ID) = ?',
      'DELETE FROM T WHERE NAME LIKE ?',
    ]) {
      expect(audit(sql)?.[0], sql).toEqual({ table: 'T', kind: 'read', eligible: false });
    }
  });

  it('follows aliases and qualifiers, UPDATE and DELETE targets, LEFT JOIN … ON, and leaves other tables alone', () => {
    expect(audit('SELECT 1 FROM (SELECT 1 AS ONE) X LEFT JOIN U AS S ON S.K = ?')).toEqual([{ table: 'U', kind: 'read', eligible: true, index: 'PRIMARY KEY', predicate: 'S.K = ?' }]);
    expect(audit('UPDATE "T" SET NAME = ? WHERE "ID" = ? AND COALESCE(X, -1) = ?')?.[0]).toMatchObject({ eligible: true, index: 'PRIMARY KEY' });
    expect(audit('DELETE FROM T t WHERE t.TS < ?')?.[0]).toMatchObject({ eligible: true, index: 'BY_TS' });
    expect(audit('SELECT * FROM OTHER WHERE ID = 1')).toBeUndefined();
    // A qualifier that is not this table's alias is another table's column.
    expect(audit('SELECT * FROM T a, U b WHERE b.ID = 1')?.[0]).toEqual({ table: 'T', kind: 'read', eligible: false });
  });

  it('an uncorrelated scalar subquery is a constant; one that reads the accessed table is not', () => {
    expect(audit('SELECT * FROM T WHERE TS > (SELECT MAX(W) FROM X)')?.[0]).toMatchObject({ eligible: true, index: 'BY_TS' });
    expect(audit('SELECT * FROM T t WHERE TS > (SELECT MAX(W) FROM X WHERE X.ID = t.ID)')?.[0]).toMatchObject({ eligible: false });
  });

  it('INSERT reads no row; LIMIT 0 reads no row; a MERGE target keyed by the join is eligible by join', () => {
    expect(audit('INSERT INTO T (ID, PART) VALUES (?, ?)')).toEqual([{ table: 'T', kind: 'insert', eligible: true, predicate: 'INSERT (writes by key, reads no row)' }]);
    expect(audit('SELECT * FROM T WHERE NAME = ? LIMIT 0')?.[0]).toMatchObject({ eligible: true, predicate: 'LIMIT 0 (reads no row)' });
    const merge = audit('MERGE INTO U AS T USING (SELECT * FROM T WHERE TS > ?) AS S ON T.K = S.ID WHEN MATCHED THEN UPDATE SET V = S.V');
    expect(merge).toEqual([
      { table: 'U', kind: 'read', eligible: true, index: 'PRIMARY KEY', predicate: 'T.K = S.ID', byJoin: true },
      { table: 'T', kind: 'read', eligible: true, index: 'BY_TS', predicate: 'TS > ?' },
    ]);
  });
});

describe('the statement log on hybrid tables', () => {
  let sf: LocalSnowflake;
  let s: LocalSession;
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  beforeAll(() => {
    sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
    sf.executeScript(distSql('run_history_log'));
    sf.executeScript(distSql('sync_pipeline_run_history'));
    s = sf.session({ timezone: 'UTC' });
  });
  afterAll(() => sf.close());

  it('knows the indexes of CREATE HYBRID TABLE (primary key, INDEX clause, CREATE INDEX) and leaves plain tables out', () => {
    s.execute('CREATE TABLE PLAIN (ID NUMBER PRIMARY KEY)');
    s.execute('SELECT * FROM PLAIN WHERE ID = 1');
    expect(sf.log.entries.at(-1)?.hybridAccess).toBeUndefined();
    s.execute('SELECT * FROM ETL_PIPELINE_SYNC_CONTROL WHERE SYNC_START_TIMESTAMP >= ?', ['2026-01-01']);
    expect(sf.log.entries.at(-1)?.hybridAccess).toEqual([
      { table: 'ETL_PIPELINE_SYNC_CONTROL', kind: 'read', eligible: true, index: 'IDX_ETL_PIPELINE_SYNC_CONTROL_SYNC_START_TIMESTAMP', predicate: 'SYNC_START_TIMESTAMP >= ?' },
    ]);
    s.execute("SELECT * FROM ETL_PIPELINE_SYNC_CONTROL WHERE SYNC_STATUS = 'FAILED'");
    expect(sf.log.entries.at(-1)?.hybridAccess).toEqual([{ table: 'ETL_PIPELINE_SYNC_CONTROL', kind: 'read', eligible: false }]);
  });

  it('every statement a steady-state sync run sends to a hybrid table is index-eligible', () => {
    for (let i = 1; i <= 20; i++) s.execute('INSERT INTO ETL_PIPELINE_RUN_HISTORY_LOG (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (?, ?, ?)', [i, 'p', 'RUNNING']);
    clock.advance(60_000);
    s.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    clock.advance(60_000);
    s.execute("UPDATE ETL_PIPELINE_RUN_HISTORY_LOG SET RUN_STATUS = 'SUCCEEDED', LAST_UPDATE_DATE = SYSDATE() WHERE PIPELINE_RUN_ID IN (2, 3)");
    clock.advance(60_000);
    sf.log.clear();
    s.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    const inside = sf.log.insideProcedures();
    expect(inside.filter((e) => e.error)).toEqual([]);
    const accesses = inside.flatMap((e) => e.hybridAccess ?? []);
    // Every statement of the run touches a hybrid table, and each access is eligible.
    expect(inside.every((e) => (e.hybridAccess ?? []).length > 0)).toBe(true);
    expect(accesses.filter((a) => !a.eligible)).toEqual([]);
    // The only access eligible by a join rather than by a constant or bind: the MERGE's target by its primary key.
    expect(accesses.filter((a) => a.byJoin)).toEqual([expect.objectContaining({ table: 'ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION', index: 'PRIMARY KEY' })]);
    expect(s.execute('SELECT COUNT(*) FROM ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION WHERE RUN_STATUS = ?', ['SUCCEEDED']).rows).toEqual([[2]]);
  });
});
