/**
 * CREATE TABLE (local/statements/create-table.ts, translated in local/compat/ddl.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/create-table,
 * https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { createTable } from '../../../local/compat/ddl.js';
import { createTableKind } from '../../../local/statements/create-table.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE HYBRID TABLE IF NOT EXISTS LOGT (LOG_ID NUMBER(38,0) AUTOINCREMENT START 1 INCREMENT 1 PRIMARY KEY, NOTE VARCHAR)');
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('takes CREATE [OR REPLACE] [HYBRID|TRANSIENT|TEMPORARY] TABLE, and leaves views, other objects and other statements', () => {
    expectRecognition(
      createTableKind,
      ['CREATE TABLE T (A INT)', 'CREATE OR REPLACE HYBRID TABLE T (ID INT PRIMARY KEY)', 'create transient table if not exists T (A INT)', 'CREATE TEMPORARY TABLE T (A INT)', 'CREATE TABLE T AS SELECT 1 AS A'],
      ['CREATE VIEW V AS SELECT 1', 'DROP TABLE T', 'MERGE INTO T USING S ON T.A = S.A WHEN MATCHED THEN DELETE', 'SELECT 1'],
    );
  });
});

describe('DDL translation', () => {
  it('turns a hybrid table with an inline INDEX into CREATE TABLE + CREATE INDEX', () => {
    const out = createTable(
      "CREATE HYBRID TABLE IF NOT EXISTS T (ID NUMBER(38,0) NOT NULL, TS TIMESTAMP_NTZ(9), PRIMARY KEY (ID), INDEX IDX_TS (TS)) COMMENT = 'x'",
    );
    // Unquoted names are stored upper-case, as Snowflake stores them.
    expect(out).toEqual([
      'CREATE TABLE IF NOT EXISTS "T" (\n  "ID" NUMBER(38,0) NOT NULL,\n  "TS" TIMESTAMP_NTZ(9),\n  PRIMARY KEY (ID)\n)',
      'CREATE INDEX IF NOT EXISTS "T__IDX_TS" ON "T" (TS)',
    ]);
  });

  it('turns AUTOINCREMENT into a sequence default', () => {
    const out = createTable('CREATE HYBRID TABLE IF NOT EXISTS r (check_id NUMBER(38,0) AUTOINCREMENT START 5 INCREMENT 2 PRIMARY KEY, V VARCHAR)');
    expect(out[0]).toBe('CREATE SEQUENCE IF NOT EXISTS "R__CHECK_ID__SEQ" START 5 INCREMENT 2');
    expect(out[1]).toContain(`"CHECK_ID" NUMBER(38,0) DEFAULT nextval('"R__CHECK_ID__SEQ"') PRIMARY KEY`);
  });

  it('fails on a table option it does not know, naming it', () => {
    expect(() => createTable('CREATE TABLE T (A INT) CLUSTER BY (A)')).toThrow(/CLUSTER.*not implemented/s);
  });
});

describe('tables created', () => {
  it('stores unquoted table and column names upper-case, as INFORMATION_SCHEMA shows', () => {
    s.execute('CREATE OR REPLACE TABLE lower_t (some_col NUMBER, "keepCase" VARCHAR)');
    const r = s.execute("SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'LOWER_T' ORDER BY ORDINAL_POSITION");
    expect(r.rows).toEqual([
      ['LOWER_T', 'SOME_COL'],
      ['LOWER_T', 'keepCase'],
    ]);
    expect(s.execute('SELECT * FROM lower_t').columns.map((c) => c.name)).toEqual(['SOME_COL', 'keepCase']);
    expect(s.execute('SELECT some_col FROM LOWER_T').columns.map((c) => c.name)).toEqual(['SOME_COL']);
  });

  it('numbers AUTOINCREMENT columns from START by INCREMENT', () => {
    s.execute("INSERT INTO LOGT (NOTE) VALUES ('a'), ('b')");
    expect(s.execute('SELECT LOG_ID FROM LOGT ORDER BY LOG_ID').rows).toEqual([[1], [2]]);
  });
});
