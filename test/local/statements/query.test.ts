/**
 * The catch-all kind (local/statements/query.ts): every statement no kind before it takes runs on
 * DuckDB after the rewrites, with Snowflake's result shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { query } from '../../../local/statements/query.js';
import { STATEMENT_KINDS } from '../../../local/statements/registry.js';
import { recognise } from '../../../local/sql-text.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE TABLE SRC (ID NUMBER(38,0))');
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('takes every statement, and is the last kind, so it only runs what no other kind took', () => {
    for (const sql of ['SELECT 1', 'INSERT INTO T VALUES (1)', 'UPDATE T SET A = 1', 'DELETE FROM T', 'CREATE VIEW V AS SELECT 1', 'DROP TABLE T', 'TRUNCATE TABLE T', 'SELEC 1']) {
      expect(query.match(recognise(sql)), sql).toBeDefined();
    }
    expect(STATEMENT_KINDS[STATEMENT_KINDS.length - 1]).toBe(query);
  });
});

describe('results', () => {
  // https://docs.snowflake.com/en/sql-reference/identifiers-syntax: unquoted names are stored
  // and returned upper-case; double-quoted names keep their case.
  it('returns unquoted column names upper-case and quoted ones as written', () => {
    const r = s.execute('SELECT 1 AS one, 2 AS "Two", COUNT(*) FROM SRC');
    expect(r.columns.map((c) => c.name)).toEqual(['ONE', 'Two', 'COUNT(*)']);
  });

  it('reports Snowflake type names and NUMBER scale', () => {
    const r = s.execute("SELECT 1::NUMBER(38,0) AS I, 1.25::NUMBER(10,2) AS D, 'x' AS T, SYSDATE() AS TS, TRUE AS B, 1.5::FLOAT AS F");
    expect(r.columns.map((c) => [c.type, c.scale])).toEqual([
      ['NUMBER', 0],
      ['NUMBER', 2],
      ['TEXT', 0],
      ['TIMESTAMP_NTZ', 9],
      ['BOOLEAN', 0],
      ['FLOAT', 0],
    ]);
    expect(r.rows[0]?.slice(0, 3)).toEqual([1, 1.25, 'x']);
  });

  it('keeps NUMBER(38,0) exact in text past 2^53', () => {
    const r = s.execute('SELECT 12345678901234567890123::NUMBER(38,0) AS BIG');
    expect(r.text(0, 0)).toBe('12345678901234567890123');
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-view and
// https://docs.snowflake.com/en/sql-reference/identifiers-syntax: a view's name and its columns'
// names are stored as any identifier is, unquoted ones upper-cased.
describe('views', () => {
  it('are found by an unquoted name in any case, and name their columns as Snowflake does', () => {
    s.execute('CREATE OR REPLACE TABLE VIEW_BASE (ID NUMBER, "Mixed" NUMBER)');
    s.execute('INSERT INTO VIEW_BASE VALUES (1, 2)');
    expect(s.execute('CREATE OR REPLACE VIEW lower_view AS SELECT id, "Mixed", id * 10 AS total, 0 AS "keep" FROM VIEW_BASE').rows).toEqual([['View LOWER_VIEW successfully created.']]);
    const r = s.execute('SELECT * FROM lower_view');
    expect(r.columns.map((c) => c.name)).toEqual(['ID', 'Mixed', 'TOTAL', 'keep']);
    expect(s.execute('SELECT TOTAL FROM LOWER_VIEW').rows).toEqual([[10]]);
    s.execute('CREATE OR REPLACE VIEW listed (a, "b") AS SELECT ID, 2 FROM VIEW_BASE');
    expect(s.execute('SELECT * FROM LISTED').columns.map((c) => c.name)).toEqual(['A', 'b']);
  });
});
