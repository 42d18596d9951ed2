/**
 * INFORMATION_SCHEMA views in Snowflake's shape (local/compat/information-schema.ts): database
 * and schema as Snowflake names them, Snowflake's data type names with the declared length,
 * precision and scale, and the current or a named database's objects only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { failureOf } from '../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute(`CREATE TABLE ORDERS (ID NUMBER(38,0) NOT NULL, NOTE VARCHAR(10), AMOUNT NUMBER(10,2), PRICE FLOAT,
    PLACED TIMESTAMP_LTZ, SHIPPED TIMESTAMP_NTZ, DAY DATE, OK BOOLEAN, DOC VARIANT, "Mixed" STRING)`);
  s.execute('CREATE HYBRID TABLE REPLICA (ID NUMBER PRIMARY KEY, V VARCHAR)');
  s.execute('CREATE VIEW BIG_ORDERS AS SELECT * FROM ORDERS WHERE AMOUNT > 100');
  s.execute('CREATE SCHEMA STAGING');
  s.execute('CREATE TABLE LOCAL.STAGING.RAW (LINE VARCHAR)');
  s.execute('USE SCHEMA LOCAL.PUBLIC');
});
afterAll(() => sf.close());

// https://docs.snowflake.com/en/sql-reference/info-schema/columns: one row per column, with
// DATA_TYPE the type's name (NUMBER, TEXT, FLOAT, TIMESTAMP_LTZ, …) and its length, precision
// and scale in their own columns; TABLE_CATALOG/TABLE_SCHEMA the database and schema.
describe('INFORMATION_SCHEMA.COLUMNS', () => {
  it('shows each column with Snowflake\'s database, schema, type name, length, precision and scale', () => {
    const r = s.execute(`SELECT TABLE_CATALOG, TABLE_SCHEMA, COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE,
      CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION
      FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'ORDERS' ORDER BY ORDINAL_POSITION`);
    expect(r.rows).toEqual([
      ['LOCAL', 'PUBLIC', 'ID', 1, 'NO', 'NUMBER', null, 38, 0, null],
      ['LOCAL', 'PUBLIC', 'NOTE', 2, 'YES', 'TEXT', 10, null, null, null],
      ['LOCAL', 'PUBLIC', 'AMOUNT', 3, 'YES', 'NUMBER', null, 10, 2, null],
      ['LOCAL', 'PUBLIC', 'PRICE', 4, 'YES', 'FLOAT', null, null, null, null],
      ['LOCAL', 'PUBLIC', 'PLACED', 5, 'YES', 'TIMESTAMP_LTZ', null, null, null, 9],
      ['LOCAL', 'PUBLIC', 'SHIPPED', 6, 'YES', 'TIMESTAMP_NTZ', null, null, null, 9],
      ['LOCAL', 'PUBLIC', 'DAY', 7, 'YES', 'DATE', null, null, null, null],
      ['LOCAL', 'PUBLIC', 'OK', 8, 'YES', 'BOOLEAN', null, null, null, null],
      ['LOCAL', 'PUBLIC', 'DOC', 9, 'YES', 'VARIANT', null, null, null, null],
      ['LOCAL', 'PUBLIC', 'Mixed', 10, 'YES', 'TEXT', 16777216, null, null, null],
    ]);
  });

  it('is filtered by the current schema as users write it', () => {
    const r = s.execute("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA() AND TABLE_NAME = 'ORDERS'");
    expect(r.rows).toEqual([[10]]);
    const staging = s.execute("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'STAGING'");
    expect(staging.rows).toEqual([['STAGING', 'RAW', 'LINE']]);
  });

  it('reads the same from a procedure, and inside a transaction', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE COLUMN_COUNT(T VARCHAR) RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?", binds: [T] });
      rs.next();
      return rs.getColumnValue(1);
    $$`);
    expect(s.execute("CALL COLUMN_COUNT('REPLICA')").rows).toEqual([[2]]);
    s.execute('BEGIN');
    expect(s.execute("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS c WHERE c.TABLE_NAME = 'REPLICA'").rows).toEqual([[2]]);
    s.execute('COMMIT');
  });
});

// https://docs.snowflake.com/en/sql-reference/info-schema/tables: a row per table and view;
// TABLE_TYPE BASE TABLE, TEMPORARY TABLE or VIEW; IS_HYBRID YES for a hybrid table.
describe('INFORMATION_SCHEMA.TABLES, VIEWS, HYBRID_TABLES, SCHEMATA', () => {
  it('lists tables and views with their type and hybrid flag', () => {
    s.execute('CREATE TEMPORARY TABLE SCRATCH (X NUMBER)');
    const r = s.execute("SELECT TABLE_NAME, TABLE_TYPE, IS_HYBRID FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME");
    expect(r.rows).toEqual([
      ['BIG_ORDERS', 'VIEW', 'NO'],
      ['ORDERS', 'BASE TABLE', 'NO'],
      ['REPLICA', 'BASE TABLE', 'YES'],
      ['SCRATCH', 'TEMPORARY TABLE', 'NO'],
    ]);
  });

  it('views, hybrid tables and schemas of the database', () => {
    expect(s.execute('SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.VIEWS').rows).toEqual([['PUBLIC', 'BIG_ORDERS']]);
    expect(s.execute('SELECT CATALOG, SCHEMA, NAME FROM INFORMATION_SCHEMA.HYBRID_TABLES').rows).toEqual([['LOCAL', 'PUBLIC', 'REPLICA']]);
    expect(s.execute('SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY 1').rows).toEqual([['INFORMATION_SCHEMA'], ['PUBLIC'], ['STAGING']]);
  });

  // https://docs.snowflake.com/en/sql-reference/info-schema: each database has its own
  // INFORMATION_SCHEMA; `db.INFORMATION_SCHEMA.view` reads another database's.
  it('shows the current database, or the named one, and names a missing database', () => {
    const other = sf.session();
    other.execute('CREATE DATABASE SALES');
    other.execute('CREATE TABLE LEADS (ID NUMBER)');
    expect(other.execute('SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES').rows).toEqual([['SALES', 'PUBLIC', 'LEADS']]);
    expect(other.execute("SELECT COUNT(*) FROM LOCAL.INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ORDERS'").rows).toEqual([[1]]);
    expect(s.execute('SELECT TABLE_NAME FROM SALES.INFORMATION_SCHEMA.COLUMNS').rows).toEqual([['LEADS']]);
    expect(failureOf(s, 'SELECT * FROM NOWHERE.INFORMATION_SCHEMA.TABLES').message).toMatch(/Database 'NOWHERE' does not exist or not authorized/);
  });

  it('refuses the views it does not build, and a view defined over them', () => {
    expect(failureOf(s, 'SELECT * FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS').message).toMatch(/INFORMATION_SCHEMA view TABLE_CONSTRAINTS .*not implemented/s);
    expect(failureOf(s, 'CREATE VIEW CATALOG_COPY AS SELECT * FROM INFORMATION_SCHEMA.TABLES').message).toMatch(/over INFORMATION_SCHEMA.*not implemented/s);
  });
});
