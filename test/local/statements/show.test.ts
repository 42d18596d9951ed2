/**
 * SHOW TABLES | HYBRID TABLES | VIEWS | SCHEMAS | DATABASES | COLUMNS (local/statements/show.ts):
 * the objects in scope with the columns Snowflake documents, readable again through
 * RESULT_SCAN(LAST_QUERY_ID()).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { show } from '../../../local/statements/show.js';
import { failureOf } from '../../support/failure.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE TABLE ORDERS (ID NUMBER(38,0) NOT NULL, NOTE VARCHAR(10), PLACED TIMESTAMP_LTZ)');
  s.execute('CREATE HYBRID TABLE ORDERS_REPLICA (ID NUMBER(38,0) PRIMARY KEY, NOTE VARCHAR(10), PLACED TIMESTAMP_LTZ)');
  s.execute('CREATE VIEW OPEN_ORDERS AS SELECT * FROM ORDERS');
  s.execute('CREATE SCHEMA STAGING');
  s.execute('CREATE TABLE RAW_ORDERS (LINE VARCHAR)');
  s.execute('USE SCHEMA PUBLIC');
});
afterAll(() => sf.close());

/** The named columns of a result, as objects. */
const pick = (sql: string, ...names: string[]): Array<Record<string, unknown>> => {
  const r = s.execute(sql);
  return r.rows.map((row) => Object.fromEntries(names.map((n) => [n, row[r.columns.findIndex((c) => c.name === n)]])));
};

describe('recognition', () => {
  it('takes the SHOW statements it answers and leaves the others', () => {
    expectRecognition(
      show,
      ['SHOW TABLES', "SHOW TABLES LIKE 'ORD%' IN SCHEMA PUBLIC", 'SHOW HYBRID TABLES', 'SHOW VIEWS IN DATABASE', 'SHOW SCHEMAS', 'SHOW DATABASES', 'SHOW COLUMNS IN TABLE ORDERS', 'SHOW TERSE TABLES', 'SHOW USER PROCEDURES', 'SHOW INDEXES IN TABLE T', 'SHOW NOTIFICATION INTEGRATIONS'],
      ['SHOW GRANTS', 'SHOW WAREHOUSES'],
    );
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/show-tables: without IN, the current
// database's tables (all schemas); kind TABLE or TEMPORARY; is_hybrid Y for a hybrid table.
describe('SHOW TABLES and SHOW HYBRID TABLES', () => {
  it('lists the current database\'s tables, not its views, with kind and is_hybrid', () => {
    expect(pick('SHOW TABLES', 'name', 'schema_name', 'kind', 'is_hybrid')).toEqual([
      { name: 'ORDERS', schema_name: 'PUBLIC', kind: 'TABLE', is_hybrid: 'N' },
      { name: 'ORDERS_REPLICA', schema_name: 'PUBLIC', kind: 'TABLE', is_hybrid: 'Y' },
      { name: 'RAW_ORDERS', schema_name: 'STAGING', kind: 'TABLE', is_hybrid: 'N' },
    ]);
  });

  it('narrows with LIKE (case-insensitive) and IN SCHEMA', () => {
    expect(pick("SHOW TABLES LIKE 'orders%' IN SCHEMA PUBLIC", 'name')).toEqual([{ name: 'ORDERS' }, { name: 'ORDERS_REPLICA' }]);
    expect(pick('SHOW TABLES IN SCHEMA LOCAL.STAGING', 'name', 'database_name')).toEqual([{ name: 'RAW_ORDERS', database_name: 'LOCAL' }]);
    expect(pick("SHOW TABLES LIKE 'ORDERS\\_R%'", 'name')).toEqual([{ name: 'ORDERS_REPLICA' }]);
  });

  it('SHOW HYBRID TABLES lists only hybrid tables', () => {
    expect(pick('SHOW HYBRID TABLES', 'name', 'database_name', 'schema_name')).toEqual([{ name: 'ORDERS_REPLICA', database_name: 'LOCAL', schema_name: 'PUBLIC' }]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/result_scan: the documented pattern of
  // reading SHOW's output with a query.
  it('is read back with RESULT_SCAN(LAST_QUERY_ID()), also in a procedure', () => {
    s.execute('SHOW TABLES');
    expect(s.execute('SELECT "name" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE "is_hybrid" = \'Y\'').rows).toEqual([['ORDERS_REPLICA']]);
    s.execute(`CREATE OR REPLACE PROCEDURE HYBRID_COUNT() RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: 'SHOW HYBRID TABLES' });
      var rs = snowflake.execute({ sqlText: 'SELECT COUNT(*) FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))' });
      rs.next();
      return rs.getColumnValue(1);
    $$`);
    expect(s.execute('CALL HYBRID_COUNT()').rows).toEqual([[1]]);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/show-views, …/show-schemas, …/show-databases,
// …/show-columns (data_type as JSON, null? as 'true'/'false').
describe('SHOW VIEWS, SCHEMAS, DATABASES, COLUMNS', () => {
  it('SHOW VIEWS gives each view with its text', () => {
    expect(pick('SHOW VIEWS', 'name', 'schema_name', 'text')).toEqual([{ name: 'OPEN_ORDERS', schema_name: 'PUBLIC', text: 'CREATE VIEW OPEN_ORDERS AS SELECT * FROM ORDERS' }]);
  });

  it('SHOW SCHEMAS lists the current database\'s schemas with INFORMATION_SCHEMA and marks the current one', () => {
    expect(pick('SHOW SCHEMAS', 'name', 'is_current', 'database_name')).toEqual([
      { name: 'INFORMATION_SCHEMA', is_current: 'N', database_name: 'LOCAL' },
      { name: 'PUBLIC', is_current: 'Y', database_name: 'LOCAL' },
      { name: 'STAGING', is_current: 'N', database_name: 'LOCAL' },
    ]);
  });

  it('SHOW DATABASES lists every database and marks the current one', () => {
    const other = sf.session();
    other.execute('CREATE DATABASE ANALYTICS');
    expect(pick('SHOW DATABASES', 'name', 'is_current')).toEqual([
      { name: 'ANALYTICS', is_current: 'N' },
      { name: 'LOCAL', is_current: 'Y' },
    ]);
    expect(pick("SHOW SCHEMAS IN DATABASE ANALYTICS", 'name')).toEqual([{ name: 'INFORMATION_SCHEMA' }, { name: 'PUBLIC' }]);
  });

  it('SHOW COLUMNS IN TABLE gives each column\'s type as JSON and its nullability', () => {
    const cols = pick('SHOW COLUMNS IN TABLE ORDERS', 'column_name', 'data_type', 'null?');
    expect(cols.map((c) => [c.column_name, JSON.parse(String(c.data_type)), c['null?']])).toEqual([
      ['ID', { type: 'FIXED', precision: 38, scale: 0, nullable: false }, 'false'],
      ['NOTE', { type: 'TEXT', length: 10, byteLength: 40, nullable: true, fixed: false }, 'true'],
      ['PLACED', { type: 'TIMESTAMP_LTZ', precision: 0, scale: 9, nullable: true }, 'true'],
    ]);
    expect(pick("SHOW COLUMNS LIKE 'NOTE' IN SCHEMA PUBLIC", 'table_name')).toEqual([{ table_name: 'OPEN_ORDERS' }, { table_name: 'ORDERS' }, { table_name: 'ORDERS_REPLICA' }]);
  });

  it('refuses TERSE, STARTS WITH and LIMIT by name', () => {
    expect(failureOf(s, 'SHOW TERSE TABLES').message).toMatch(/SHOW clause .*not implemented/s);
    expect(failureOf(s, "SHOW TABLES STARTS WITH 'O'").message).toMatch(/SHOW clause .*not implemented/s);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/show-procedures, …/show-indexes: answered by the
// runtime itself, so a procedure (or a client without the local server) gets them too.
describe('SHOW PROCEDURES and SHOW INDEXES', () => {
  it('lists a procedure with its signature, and a hybrid table\'s secondary index with its columns', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE ADD_ONE(N FLOAT, STEP FLOAT DEFAULT 1) RETURNS FLOAT LANGUAGE JAVASCRIPT AS 'return N + STEP;'`);
    expect(pick("SHOW PROCEDURES LIKE 'add%'", 'name', 'min_num_arguments', 'max_num_arguments', 'arguments')).toEqual([
      { name: 'ADD_ONE', min_num_arguments: 1, max_num_arguments: 2, arguments: 'ADD_ONE(FLOAT, FLOAT DEFAULT) RETURN FLOAT' },
    ]);
    s.execute('CREATE OR REPLACE HYBRID TABLE EVENTS (ID NUMBER PRIMARY KEY, TS TIMESTAMP_NTZ, INDEX IX_TS (TS))');
    expect(pick('SHOW INDEXES IN TABLE EVENTS', 'name', 'columns', 'table')).toEqual([{ name: 'IX_TS', columns: '[TS]', table: 'EVENTS' }]);
  });
});
