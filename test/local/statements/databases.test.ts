/**
 * Databases and schemas (local/statements/databases.ts, local/compat/names.ts): the default
 * LOCAL.PUBLIC, CREATE / DROP / USE of databases and schemas, and one-, two- and three-part table
 * names in DDL, DML, DESCRIBE TABLE and queries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeEach(() => {
  sf = LocalSnowflake.open();
  s = sf.session({ timezone: 'UTC' });
});
afterEach(() => sf.close());

const one = (sql: string, session: LocalSession = s): unknown => session.execute(sql).rows[0]?.[0];
const rows = (sql: string, session: LocalSession = s): unknown[][] => session.execute(sql).rows;
const context = (session: LocalSession = s): unknown[] => session.execute('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()').rows[0] ?? [];

describe('the default database and schema', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/current_database,
  // https://docs.snowflake.com/en/sql-reference/functions/current_schema
  it('a session starts in LOCAL.PUBLIC, and CURRENT_DATABASE() / CURRENT_SCHEMA() say so under their own names', () => {
    const r = s.execute('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()');
    expect(r.rows).toEqual([['LOCAL', 'PUBLIC']]);
    expect(r.columns.map((c) => c.name)).toEqual(['CURRENT_DATABASE()', 'CURRENT_SCHEMA()']);
  });

  // https://docs.snowflake.com/en/sql-reference/name-resolution: a name may leave out its
  // qualifications from the left; DB..T names the PUBLIC schema ("double-dot notation").
  it('T, PUBLIC.T, LOCAL.PUBLIC.T, LOCAL..T and the quoted forms name the same table', () => {
    s.execute('CREATE TABLE T (ID NUMBER, V VARCHAR(10))');
    s.execute("INSERT INTO PUBLIC.T VALUES (1, 'a')");
    s.execute("INSERT INTO LOCAL.PUBLIC.T VALUES (2, 'b')");
    s.execute("INSERT INTO \"LOCAL\".\"PUBLIC\".\"T\" VALUES (3, 'c')");
    s.execute("UPDATE LOCAL..T SET V = 'z' WHERE ID = 3");
    expect(rows('SELECT ID, V FROM T ORDER BY ID')).toEqual([[1, 'a'], [2, 'b'], [3, 'z']]);
    expect(rows('SELECT COUNT(*) FROM public.t')).toEqual([[3]]);
    expect(s.execute('DESCRIBE TABLE LOCAL.PUBLIC.T').rows.map((r) => [r[0], r[1]])).toEqual([
      ['ID', 'NUMBER(38,0)'],
      ['V', 'VARCHAR(10)'],
    ]);
    s.execute('DELETE FROM PUBLIC.T WHERE ID = 1');
    s.execute('DROP TABLE LOCAL.PUBLIC.T');
    expect(failureOf(s, 'SELECT * FROM T').code).toBe(2003);
  });
});

describe('schemas', () => {
  // https://docs.snowflake.com/en/sql-reference/name-resolution ("The CREATE DATABASE command
  // also implicitly changes the current database to the newly created one"; the current schema
  // is kept the same way), https://docs.snowflake.com/en/sql-reference/sql/create-schema
  it('CREATE SCHEMA makes the new schema current; its T is another table than PUBLIC.T', () => {
    s.execute('CREATE TABLE T (ID NUMBER)');
    s.execute('INSERT INTO T VALUES (1)');
    expect(s.execute('CREATE SCHEMA STAGING').rows).toEqual([['Schema STAGING successfully created.']]);
    expect(context()).toEqual(['LOCAL', 'STAGING']);
    s.execute('CREATE TABLE T (ID NUMBER, NOTE VARCHAR)');
    s.execute("INSERT INTO T VALUES (10, 'staged'), (11, 'staged')");
    expect(rows('SELECT COUNT(*) FROM T')).toEqual([[2]]);
    expect(rows('SELECT COUNT(*) FROM PUBLIC.T')).toEqual([[1]]);
    expect(rows('SELECT COUNT(*) FROM LOCAL.STAGING.T')).toEqual([[2]]);
    // A join across the two schemas, with aliases and a column qualified by the alias.
    expect(rows('SELECT p.ID, s.ID FROM PUBLIC.T p JOIN STAGING.T s ON s.ID = p.ID + 9')).toEqual([[1, 10]]);
    expect(s.execute('DESCRIBE TABLE T').rows.map((r) => r[0])).toEqual(['ID', 'NOTE']);
    expect(s.execute('DESCRIBE TABLE PUBLIC.T').rows.map((r) => r[0])).toEqual(['ID']);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/use-schema: USE [SCHEMA] [db.]name, the
  // keyword optional for a qualified name.
  it('USE SCHEMA and USE db.schema change the current schema; each session has its own', () => {
    s.execute('CREATE SCHEMA A');
    s.execute('USE SCHEMA PUBLIC');
    expect(context()).toEqual(['LOCAL', 'PUBLIC']);
    s.execute('USE LOCAL.A');
    expect(context()).toEqual(['LOCAL', 'A']);
    const other = sf.session();
    expect(context(other)).toEqual(['LOCAL', 'PUBLIC']);
    other.close();
  });

  it('quoted schema names keep their case; a name that differs only in case is refused, not folded', () => {
    s.execute('CREATE SCHEMA "Mixed"');
    s.execute('CREATE TABLE "Mixed"."Tbl" (ID NUMBER)');
    s.execute('INSERT INTO "Mixed"."Tbl" VALUES (7)');
    expect(rows('SELECT ID FROM LOCAL."Mixed"."Tbl"')).toEqual([[7]]);
    expect(context()).toEqual(['LOCAL', 'Mixed']);
    expect(failureOf(s, 'SELECT * FROM MIXED."Tbl"').message).toMatch(/schema name LOCAL\.MIXED where only schema LOCAL\.Mixed exists.*not implemented/s);
    // No table TBL exists (only "Tbl"): Snowflake's own error, not a read of "Tbl".
    const missing = failureOf(s, 'SELECT * FROM "Mixed".TBL');
    expect([missing.code, missing.message]).toEqual([2003, "SQL compilation error:\nObject 'TBL' does not exist or not authorized."]);
    expect(failureOf(s, 'CREATE SCHEMA MIXED').message).toMatch(/beside schema LOCAL\.Mixed.*not implemented/s);
  });

  it('CREATE SCHEMA of an existing schema fails, IF NOT EXISTS succeeds, OR REPLACE empties it', () => {
    s.execute('CREATE SCHEMA S1');
    s.execute('CREATE TABLE T1 (ID NUMBER)');
    const dup = failureOf(s, 'CREATE SCHEMA S1');
    expect([dup.code, dup.state, dup.message]).toEqual([2002, '42710', "SQL compilation error:\nObject 'S1' already exists."]);
    expect(s.execute('CREATE SCHEMA IF NOT EXISTS S1').rows).toEqual([['S1 already exists, statement succeeded.']]);
    s.execute('CREATE OR REPLACE SCHEMA S1');
    expect(failureOf(s, 'SELECT * FROM S1.T1').code).toBe(2003);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/drop-schema
  it('DROP SCHEMA drops its tables with it; IF EXISTS of a missing schema succeeds', () => {
    s.execute('CREATE SCHEMA GONE');
    s.execute('CREATE HYBRID TABLE GONE.H (ID NUMBER PRIMARY KEY, V VARCHAR(5))');
    s.execute('USE SCHEMA PUBLIC');
    expect(s.execute('DROP SCHEMA GONE').rows).toEqual([['GONE successfully dropped.']]);
    const missing = failureOf(s, 'SELECT * FROM GONE.H');
    expect([missing.code, missing.state, missing.message]).toEqual([2003, '02000', "SQL compilation error:\nSchema 'LOCAL.GONE' does not exist or not authorized."]);
    expect(s.execute('DROP SCHEMA IF EXISTS GONE').rows).toEqual([['Drop statement executed successfully.']]);
    // A schema of the same name later starts empty, with no declared types left over.
    s.execute('CREATE SCHEMA GONE');
    s.execute('CREATE TABLE H (ID NUMBER)');
    expect(s.execute('DESCRIBE TABLE H').rows.map((r) => [r[0], r[1]])).toEqual([['ID', 'NUMBER(38,0)']]);
  });

  it('sequences and AUTOINCREMENT columns live in their schema', () => {
    s.execute('CREATE SCHEMA Q');
    s.execute('CREATE TABLE AUTO (ID NUMBER AUTOINCREMENT START 5 INCREMENT 5, V VARCHAR)');
    s.execute('USE SCHEMA PUBLIC');
    s.execute('CREATE TABLE AUTO (ID NUMBER AUTOINCREMENT, V VARCHAR)');
    s.execute("INSERT INTO Q.AUTO (V) VALUES ('a'), ('b')");
    s.execute("INSERT INTO AUTO (V) VALUES ('c')");
    expect(rows('SELECT ID, V FROM Q.AUTO ORDER BY ID')).toEqual([[5, 'a'], [10, 'b']]);
    expect(rows('SELECT ID, V FROM AUTO')).toEqual([[1, 'c']]);
    s.execute('CREATE SEQUENCE Q.SEQ START = 100 INCREMENT = 2');
    expect(rows('SELECT Q.SEQ.NEXTVAL, LOCAL.Q.SEQ.NEXTVAL')).toEqual([[100, 102]]);
    s.execute('USE SCHEMA Q');
    expect(one('SELECT SEQ.NEXTVAL')).toBe(104);
    s.execute('DROP SEQUENCE SEQ');
    expect(failureOf(s, 'SELECT Q.SEQ.NEXTVAL').code).toBe(2003);
  });
});

describe('databases', () => {
  // https://docs.snowflake.com/en/sql-reference/name-resolution: "CREATE DATABASE db1" answers
  // "Database DB1 successfully created." and CURRENT_DATABASE() is then DB1;
  // https://docs.snowflake.com/en/sql-reference/sql/create-database
  it('CREATE DATABASE makes it (and its PUBLIC schema) current', () => {
    expect(s.execute('CREATE DATABASE db1').rows).toEqual([['Database DB1 successfully created.']]);
    expect(context()).toEqual(['DB1', 'PUBLIC']);
    expect(s.execute('CREATE DATABASE IF NOT EXISTS DB1').rows).toEqual([['DB1 already exists, statement succeeded.']]);
    expect(failureOf(s, 'CREATE DATABASE DB1').code).toBe(2002);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/use-database: USE [DATABASE] name makes PUBLIC
  // the current schema unless it does not exist.
  it('USE DATABASE makes PUBLIC current, or no schema when the database has none', () => {
    s.execute('CREATE DATABASE D2');
    s.execute('CREATE SCHEMA OTHER');
    s.execute('USE DATABASE LOCAL');
    expect(context()).toEqual(['LOCAL', 'PUBLIC']);
    s.execute('USE D2');
    expect(context()).toEqual(['D2', 'PUBLIC']);
    s.execute('DROP SCHEMA D2.PUBLIC');
    s.execute('USE DATABASE D2');
    expect(context()).toEqual(['D2', null]);
    // Without a current schema an unqualified name cannot be resolved; a qualified one can.
    const e = failureOf(s, 'CREATE TABLE T (ID NUMBER)');
    expect([e.code, e.state, e.message]).toEqual([90105, '22000', "Cannot perform CREATE TABLE. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name."]);
    s.execute('CREATE TABLE OTHER.T (ID NUMBER)');
    expect(rows('SELECT COUNT(*) FROM D2.OTHER.T')).toEqual([[0]]);
  });

  it('three-part names in DDL, DML, MERGE, DESCRIBE and queries across databases', () => {
    s.execute('CREATE TABLE SRC (ID NUMBER PRIMARY KEY, AMOUNT NUMBER(10,2))');
    s.execute('INSERT INTO SRC VALUES (1, 10.5), (2, 20)');
    s.execute('CREATE DATABASE ANALYTICS');
    s.execute('CREATE SCHEMA ANALYTICS.MART');
    s.execute('USE DATABASE LOCAL');
    s.execute('CREATE HYBRID TABLE ANALYTICS.MART.FACT (ID NUMBER(38,0) NOT NULL PRIMARY KEY, AMOUNT NUMBER(10,2), INDEX IX_AMOUNT (AMOUNT))');
    const merged = s.execute(
      'MERGE INTO ANALYTICS.MART.FACT t USING LOCAL.PUBLIC.SRC s ON t.ID = s.ID WHEN MATCHED THEN UPDATE SET AMOUNT = s.AMOUNT WHEN NOT MATCHED THEN INSERT (ID, AMOUNT) VALUES (s.ID, s.AMOUNT)',
    );
    expect(merged.rows).toEqual([[2, 0]]);
    s.execute('UPDATE ANALYTICS.MART.FACT SET AMOUNT = AMOUNT * 2 WHERE ID = 2');
    expect(rows('SELECT f.ID, f.AMOUNT, s.AMOUNT FROM ANALYTICS.MART.FACT f, SRC s WHERE s.ID = f.ID ORDER BY f.ID')).toEqual([
      [1, 10.5, 10.5],
      [2, 40, 20],
    ]);
    expect(s.execute('DESCRIBE TABLE ANALYTICS.MART.FACT').objects().map((r) => [r.name, r.type, r['null?'], r['primary key']])).toEqual([
      ['ID', 'NUMBER(38,0)', 'N', 'Y'],
      ['AMOUNT', 'NUMBER(10,2)', 'Y', 'N'],
    ]);
    s.execute('DELETE FROM ANALYTICS.MART.FACT WHERE ID = 1');
    // The hybrid table's primary key is enforced in its schema.
    expect(failureOf(s, 'INSERT INTO ANALYTICS.MART.FACT VALUES (2, 1)').code).toBe(200001);
    s.execute('USE SCHEMA ANALYTICS.MART');
    expect(rows('SELECT ID FROM FACT')).toEqual([[2]]);
    expect(s.execute('INSERT INTO FACT (ID) SELECT ID + 10 FROM LOCAL.PUBLIC.SRC').rowsInserted).toBe(2);
    expect(rows('SELECT COUNT(*) FROM FACT')).toEqual([[3]]);
  });

  it('DROP DATABASE drops its schemas and tables; LOCAL cannot be dropped', () => {
    s.execute('CREATE DATABASE TMPDB');
    s.execute('CREATE TABLE T (ID NUMBER)');
    s.execute('USE DATABASE LOCAL');
    expect(s.execute('DROP DATABASE TMPDB').rows).toEqual([['TMPDB successfully dropped.']]);
    const e = failureOf(s, 'SELECT * FROM TMPDB.PUBLIC.T');
    expect([e.code, e.state, e.message]).toEqual([2003, '02000', "SQL compilation error:\nDatabase 'TMPDB' does not exist or not authorized."]);
    expect(failureOf(s, 'USE DATABASE TMPDB').message).toBe("SQL compilation error:\nDatabase 'TMPDB' does not exist or not authorized.");
    expect(s.execute('DROP DATABASE IF EXISTS TMPDB').rows).toEqual([['Drop statement executed successfully.']]);
    expect(failureOf(s, 'DROP DATABASE LOCAL').code).toBe(9999);
  });

  it('databases, schemas and their tables are kept in a database file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-dbs-'));
    const file = path.join(dir, 'local.duckdb');
    try {
      let disk = LocalSnowflake.open({ path: file });
      let d = disk.session();
      d.execute('CREATE DATABASE KEEP');
      d.execute('CREATE SCHEMA KEEP.S');
      d.execute('CREATE TABLE KEEP.S.T (ID NUMBER(5,0), V VARCHAR(3))');
      d.execute("INSERT INTO KEEP.S.T VALUES (1, 'x')");
      disk.close();
      disk = LocalSnowflake.open({ path: file });
      d = disk.session();
      expect(context(d)).toEqual(['LOCAL', 'PUBLIC']);
      d.execute('USE SCHEMA KEEP.S');
      expect(rows('SELECT ID, V FROM T', d)).toEqual([[1, 'x']]);
      expect(d.execute('DESCRIBE TABLE T').rows.map((r) => r[1])).toEqual(['NUMBER(5,0)', 'VARCHAR(3)']);
      disk.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The SHOW statements deploy and status send (local/statements/show.ts):
// https://docs.snowflake.com/en/sql-reference/sql/show-tables (IN SCHEMA [db.]schema, or the
// current schema; database_name and schema_name columns), https://docs.snowflake.com/en/sql-reference/sql/show-indexes
describe('SHOW TABLES and SHOW INDEXES with schemas', () => {
  it('SHOW TABLES … IN SCHEMA lists that schema (the current one without a name); SHOW INDEXES takes a three-part name', () => {
    s.execute('CREATE HYBRID TABLE ORDERS (ID NUMBER PRIMARY KEY, TS TIMESTAMP_NTZ, INDEX IX_TS (TS))');
    s.execute('CREATE DATABASE SALES');
    s.execute('CREATE SCHEMA SALES.EU');
    s.execute('CREATE HYBRID TABLE ORDERS (ID NUMBER PRIMARY KEY, REGION VARCHAR, INDEX IX_REGION (REGION))');
    s.execute('CREATE TABLE ORDERS_ARCHIVE (ID NUMBER)');
    const show = (sql: string): Array<Record<string, unknown>> => s.execute(sql).objects();
    expect(show("SHOW TABLES LIKE 'ORDERS%' IN SCHEMA").map((r) => [r.name, r.database_name, r.schema_name, r.is_hybrid])).toEqual([
      ['ORDERS', 'SALES', 'EU', 'Y'],
      ['ORDERS_ARCHIVE', 'SALES', 'EU', 'N'],
    ]);
    expect(show("SHOW TABLES LIKE 'ORDERS%' IN SCHEMA LOCAL.PUBLIC").map((r) => [r.name, r.database_name, r.schema_name])).toEqual([['ORDERS', 'LOCAL', 'PUBLIC']]);
    expect(show('SHOW INDEXES IN TABLE "LOCAL"."PUBLIC"."ORDERS"').map((r) => [r.name, r.columns])).toEqual([['IX_TS', '[TS]']]);
    expect(show('SHOW INDEXES IN TABLE SALES.EU.ORDERS').map((r) => [r.name, r.columns])).toEqual([['IX_REGION', '[REGION]']]);
    expect(show('SHOW INDEXES IN TABLE ORDERS').map((r) => r.name)).toEqual(['IX_REGION']);
    expect(() => show("SHOW TABLES LIKE '%' IN SCHEMA SALES.NOPE")).toThrow("SQL compilation error:\nSchema 'SALES.NOPE' does not exist or not authorized.");
  });
});

describe('what stays refused', () => {
  it('a name of three parts outside a table position, a schema named like the engine\'s own, CLONE and ALTER', () => {
    s.execute('CREATE TABLE T (ID NUMBER)');
    expect(failureOf(s, 'SELECT PUBLIC.T.ID FROM PUBLIC.T').message).toMatch(/the name PUBLIC\.T\.ID .*not implemented/s);
    expect(failureOf(s, 'CREATE SCHEMA MAIN').message).toMatch(/schema named MAIN .*not implemented/s);
    expect(failureOf(s, 'CREATE DATABASE D CLONE LOCAL').message).toMatch(/CREATE DATABASE … CLONE is not implemented/);
    expect(failureOf(s, 'ALTER SCHEMA PUBLIC RENAME TO P2').message).toMatch(/ALTER SCHEMA is not implemented/);
  });

  // Snowflake resolves an unqualified name in a query through SEARCH_PATH
  // (https://docs.snowflake.com/en/sql-reference/name-resolution, "Unqualified objects"), which
  // the runtime does not emulate: reading a PUBLIC table unqualified from another schema fails.
  it('reading a PUBLIC table without its schema while another schema is current', () => {
    s.execute('CREATE TABLE ONLY_PUBLIC (ID NUMBER)');
    s.execute('CREATE SCHEMA ELSEWHERE');
    expect(failureOf(s, 'SELECT * FROM ONLY_PUBLIC').message).toMatch(/reading ONLY_PUBLIC from LOCAL\.PUBLIC while schema ELSEWHERE is current.*not implemented/s);
    expect(rows('SELECT COUNT(*) FROM PUBLIC.ONLY_PUBLIC')).toEqual([[0]]);
    // Writing it unqualified means a table of the current schema, which does not exist.
    expect(failureOf(s, 'INSERT INTO ONLY_PUBLIC VALUES (1)').code).toBe(2003);
  });

  it('USE inside a procedure', () => {
    s.execute("CREATE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return snowflake.execute({sqlText: 'USE SCHEMA PUBLIC'}) ? 'x' : 'y'; $$");
    expect(failureOf(s, 'CALL P()').message).toMatch(/USE inside a stored procedure is not implemented/);
  });

  // https://docs.snowflake.com/en/sql-reference/name-resolution: a procedure is a schema object;
  // an unqualified name is the current schema's.
  it('procedures of different schemas are apart: each CALL reaches its own schema\'s, named as the procedure', () => {
    const proc = (name: string, says: string): string => `CREATE PROCEDURE ${name}() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return '${says}'; $$`;
    s.execute(proc('P', 'public'));
    s.execute('CREATE SCHEMA S');
    s.execute(proc('P', 'in S'));
    expect(one('CALL P()')).toBe('in S');
    s.execute('USE SCHEMA PUBLIC');
    expect(one('CALL P()')).toBe('public');
    const r = s.execute('CALL LOCAL.S.P()');
    expect([r.rows[0]?.[0], r.columns[0]?.name]).toEqual(['in S', 'P']);
    s.execute(proc('S.Q', 'q'));
    expect(failureOf(s, 'CALL Q()').code).toBe(2140);
    expect(one('CALL S.Q()')).toBe('q');
    s.execute('DROP PROCEDURE S.P()');
    expect(one('CALL P()')).toBe('public');
    expect(failureOf(s, 'CALL S.P()').code).toBe(2140);
    // The schema must exist, as in Snowflake.
    expect(failureOf(s, proc('NOPE.P', 'x')).message).toMatch(/Schema 'LOCAL\.NOPE' does not exist or not authorized/);
    // https://docs.snowflake.com/en/sql-reference/sql/show-procedures: without IN, the current
    // database's procedures, each with its schema; IN SCHEMA [s] narrows to one schema.
    const shown = (sql: string): string[] => s.execute(sql).objects().map((r) => `${String(r.schema_name)}.${String(r.name)}`);
    expect(shown('SHOW PROCEDURES')).toEqual(['PUBLIC.P', 'S.Q']);
    expect(shown('SHOW PROCEDURES IN SCHEMA')).toEqual(['PUBLIC.P']);
    expect(shown('SHOW PROCEDURES IN SCHEMA S')).toEqual(['S.Q']);
    expect(shown("SHOW PROCEDURES LIKE 'Q' IN DATABASE LOCAL")).toEqual(['S.Q']);
    // https://docs.snowflake.com/en/sql-reference/sql/drop-schema: dropping a schema drops what it holds; a new schema of that name is empty.
    s.execute('DROP SCHEMA S');
    s.execute('CREATE SCHEMA S');
    expect(failureOf(s, 'CALL S.Q()').code).toBe(2140);
    s.execute('USE SCHEMA PUBLIC');
    expect(one('CALL P()')).toBe('public');
  });

  it('a view outside LOCAL.PUBLIC whose body names a table without its schema', () => {
    s.execute('CREATE SCHEMA V');
    s.execute('CREATE TABLE T (ID NUMBER)');
    expect(failureOf(s, 'CREATE VIEW VW AS SELECT * FROM T').message).toMatch(/a view outside LOCAL\.PUBLIC .*not implemented/s);
    s.execute('CREATE VIEW VW AS SELECT ID FROM V.T');
    s.execute('INSERT INTO T VALUES (3)');
    expect(rows('SELECT ID FROM V.VW')).toEqual([[3]]);
  });
});
