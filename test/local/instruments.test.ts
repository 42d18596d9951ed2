/**
 * The statement log and fault injection: what integration tests and benchmarks rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError, ManualClock } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ clock: new ManualClock(), timezone: 'UTC' });
  s = sf.session({ name: 'probe' });
  s.execute('CREATE OR REPLACE TABLE T (ID NUMBER PRIMARY KEY)');
});
afterAll(() => sf.close());

describe('statement log', () => {
  it('records session, SQL as written, binds, rows, duration and query id, in order', () => {
    sf.log.clear();
    const r = s.execute('INSERT INTO T VALUES (?), (?)', [1, 2]);
    s.execute('SELECT ID FROM T ORDER BY ID');
    const [insert, select] = sf.log.entries;
    expect(insert).toMatchObject({ session: 'probe', sql: 'INSERT INTO T VALUES (?), (?)', binds: [1, 2], rows: 1, rowsAffected: 2, callDepth: 0, queryId: r.queryId });
    expect(select).toMatchObject({ rows: 2, rowsAffected: 0 });
    expect((select?.seq ?? 0) > (insert?.seq ?? 0)).toBe(true);
    expect(insert?.durationMs).toBeGreaterThanOrEqual(0);
    expect(sf.log.matching(/^SELECT/)).toHaveLength(1);
    expect(sf.log.bySession('probe')).toHaveLength(2);
  });

  it('records failures with Snowflake’s code and state', () => {
    sf.log.clear();
    expect(() => s.execute('SELECT * FROM MISSING')).toThrow(LocalSnowflakeError);
    expect(sf.log.failures().map((e) => e.error?.code)).toEqual([2003]);
  });
});

describe('fault injection', () => {
  it('fails exactly the Nth matching statement, with the given error, and only once', () => {
    sf.faults.failNth(/^SELECT/i, 2, { code: 604, state: '57014', message: 'injected cancel' });
    expect(() => s.execute('SELECT 1 AS X')).not.toThrow();
    s.execute('INSERT INTO T VALUES (10)');
    let caught: unknown;
    try {
      s.execute('SELECT 2 AS X');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LocalSnowflakeError);
    expect([(caught as LocalSnowflakeError).code, (caught as LocalSnowflakeError).state, (caught as LocalSnowflakeError).message]).toEqual([604, '57014', 'injected cancel']);
    expect(() => s.execute('SELECT 3 AS X')).not.toThrow();
    expect(sf.faults.pending).toBe(0);
  });

  it('a failed statement does not reach the engine', () => {
    sf.faults.failNth(/^INSERT/i, 1);
    expect(() => s.execute('INSERT INTO T VALUES (20)')).toThrow(/Injected fault/);
    expect(s.execute('SELECT COUNT(*) AS N FROM T WHERE ID = 20').rows).toEqual([[0]]);
  });

  it('fails several in a row with times, and clear() removes pending faults', () => {
    sf.faults.failNth(/^SELECT 7/, 1, undefined, 2);
    expect(() => s.execute('SELECT 7 AS A')).toThrow();
    expect(() => s.execute('SELECT 7 AS B')).toThrow();
    expect(() => s.execute('SELECT 7 AS C')).not.toThrow();
    sf.faults.failNth(/^SELECT 8/, 1);
    sf.faults.clear();
    expect(() => s.execute('SELECT 8 AS A')).not.toThrow();
  });

  it('holds a transaction open so its rows commit late', () => {
    const writer = sf.session({ name: 'late-writer' });
    const held = sf.faults.holdTransaction(writer, [{ sql: 'INSERT INTO T VALUES (?)', binds: [30] }]);
    expect(s.execute('SELECT COUNT(*) AS N FROM T WHERE ID = 30').rows).toEqual([[0]]);
    held.commit();
    expect(s.execute('SELECT COUNT(*) AS N FROM T WHERE ID = 30').rows).toEqual([[1]]);
    writer.close();
  });

  it('kills a whole CALL: the body cannot log after the canceled statement', () => {
    s.execute('CREATE OR REPLACE TABLE RUNLOG (ID NUMBER, STATUS VARCHAR)');
    s.execute(`CREATE OR REPLACE PROCEDURE LOGGED() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "INSERT INTO RUNLOG VALUES (1, 'RUNNING')" });
      try {
        snowflake.execute({ sqlText: 'SELECT 42 AS WORK' });
        snowflake.execute({ sqlText: "UPDATE RUNLOG SET STATUS = 'SUCCESS' WHERE ID = 1" });
      } catch (e) {
        snowflake.execute({ sqlText: "UPDATE RUNLOG SET STATUS = 'FAILED' WHERE ID = 1" });
        return 'caught';
      }
      return 'done';
    $$`);
    sf.faults.killCallAt(/^SELECT 42/, 1);
    let caught: unknown;
    try {
      s.execute('CALL LOGGED()');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LocalSnowflakeError);
    expect([(caught as LocalSnowflakeError).code, (caught as LocalSnowflakeError).state]).toEqual([604, '57014']);
    expect(s.execute('SELECT STATUS FROM RUNLOG').rows).toEqual([['RUNNING']]);
    expect(s.execute('CALL LOGGED()').rows).toEqual([['done']]);
  });

  it('reaches statements issued inside procedures', () => {
    s.execute("CREATE OR REPLACE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ snowflake.execute({ sqlText: 'SELECT 9 AS NINE' }); return 'ok'; $$");
    sf.faults.failNth(/^SELECT 9/, 1, { message: 'inner fault' });
    expect(() => s.execute('CALL P()')).toThrow(/Execution error in store procedure P:\ninner fault/);
  });
});

describe('file-backed database', () => {
  it('keeps tables, procedures and tasks across reopen', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'local-sf-'));
    try {
      const path = join(dir, 'db', 'local.duckdb');
      const first = LocalSnowflake.open({ path });
      first.executeScript(`
        CREATE HYBRID TABLE K (ID NUMBER(38,0) PRIMARY KEY, N NUMBER(38,0) AUTOINCREMENT);
        INSERT INTO K (ID) VALUES (1);
        CREATE OR REPLACE PROCEDURE KP() RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$ return 41 + 1; $$;
        CREATE OR REPLACE TASK KT SCHEDULE = '1 MINUTE' AS CALL KP();
        ALTER TASK KT RESUME;
      `);
      first.close();
      const second = LocalSnowflake.open({ path });
      const s2 = second.session();
      s2.execute('INSERT INTO K (ID) VALUES (2)');
      expect(s2.execute('SELECT ID, N FROM K ORDER BY ID').rows).toEqual([
        [1, 1],
        [2, 2],
      ]);
      expect(s2.execute('CALL KP()').rows).toEqual([[42]]);
      expect(second.tasks.stateOf('KT')).toBe('started');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
