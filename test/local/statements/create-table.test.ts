/**
 * CREATE TABLE (local/statements/create-table.ts, translated in local/compat/ddl.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/create-table,
 * https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table
 * (CREATE TABLE … AS SELECT: the "CTAS examples" and "Usage notes" of the first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { createTable, createTableAsSelect } from '../../../local/compat/ddl.js';
import { failureOf } from '../../support/failure.js';
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
      ['CREATE TABLE T (A INT)', 'CREATE OR REPLACE HYBRID TABLE T (ID INT PRIMARY KEY)', 'create transient table if not exists T (A INT)', 'CREATE TEMPORARY TABLE T (A INT)', 'CREATE TABLE T AS SELECT 1 AS A', 'CREATE TABLE T (B) AS SELECT 1 AS A'],
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

  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
  // ("Retrieving result set metadata"): the example's table has a comment after each column and
  // the statement ends with `;`; its columns are N10, N12, V1 like any unquoted name.
  it('takes comments between column definitions and a trailing semicolon', () => {
    s.execute(`create or replace table stproc_test_table3 (
    n10 numeric(10,0),     /* precision = 10, scale = 0 */
    n12 numeric(12,4),     /* precision = 12, scale = 4 */
    v1 varchar(19)         /* scale = 0 */
    );`);
    expect(s.execute('select n10, n12, v1 from stproc_test_table3;').columns.map((c) => [c.name, c.scale])).toEqual([
      ['N10', 0],
      ['N12', 4],
      ['V1', 0],
    ]);
    s.execute('create or replace table comment_lines (a int, -- the first\n b int);');
    expect(s.execute('SELECT * FROM comment_lines').columns.map((c) => c.name)).toEqual(['A', 'B']);
  });

  it('numbers AUTOINCREMENT columns from START by INCREMENT', () => {
    s.execute("INSERT INTO LOGT (NOTE) VALUES ('a'), ('b')");
    expect(s.execute('SELECT LOG_ID FROM LOGT ORDER BY LOG_ID').rows).toEqual([[1], [2]]);
  });
});

describe('CREATE TABLE … AS SELECT', () => {
  const describeTable = (t: string): unknown[][] => s.execute(`DESCRIBE TABLE ${t}`).rows.map((r) => [r[0], r[1]]);

  it('splits the statement into the table, its column list and the query', () => {
    const parts = createTableAsSelect(`CREATE OR REPLACE TABLE t (a, "b") COMMENT = 'x' COPY GRANTS AS (SELECT 1, 2)`);
    expect(parts).toMatchObject({ orReplace: true, name: '"T"', table: 'T', columns: [{ name: 'A', typed: false }, { name: 'b', typed: false }], query: '(SELECT 1, 2)' });
    expect(createTableAsSelect('CREATE TABLE T (ID INT, X VARCHAR) AS WITH q AS (SELECT 1, 2) SELECT * FROM q')?.columns).toEqual([
      { name: 'ID', typed: true },
      { name: 'X', typed: true },
    ]);
    // A computed default's AS inside the column list is not the query's.
    expect(createTableAsSelect('CREATE TABLE T (A INT DEFAULT (SELECT 1))')).toBeNull();
    expect(createTableAsSelect('CREATE TABLE T (A INT)')).toBeNull();
  });

  // The docs' sample table of https://docs.snowflake.com/en/user-guide/querying-semistructured,
  // created as that page creates it: a column list with its type, PARSE_JSON over FROM VALUES.
  it('runs the query through the SELECT rewrites: the semi-structured page\'s car_sales setup', () => {
    s.execute(`CREATE OR REPLACE TABLE car_sales
(
  src variant
)
AS
SELECT PARSE_JSON(column1) AS src
FROM VALUES
('{
    "date" : "2017-04-28",
    "dealership" : "Valley View Auto Sales",
    "salesperson" : {
      "id": "55",
      "name": "Frank Beasley"
    },
    "customer" : [
      {"name": "Joyce Ridgely", "phone": "16504378889", "address": "San Francisco, CA"}
    ],
    "vehicle" : [
      {"make": "Honda", "model": "Civic", "year": "2017", "price": "20275", "extras":["ext warranty", "paint protection"]}
    ]
}'),
('{
    "date" : "2017-04-28",
    "dealership" : "Tindel Toyota",
    "salesperson" : {
      "id": "274",
      "name": "Greg Northrup"
    },
    "customer" : [
      {"name": "Bradley Greenbloom", "phone": "12127593751", "address": "New York, NY"}
    ],
    "vehicle" : [
      {"make": "Toyota", "model": "Camry", "year": "2017", "price": "23500", "extras":["ext warranty", "rust proofing", "fabric protection"]}
    ]
}') v;`);
    expect(describeTable('car_sales')).toEqual([['SRC', 'VARIANT']]);
    expect(s.execute('SELECT src:dealership FROM car_sales ORDER BY 1').rows).toEqual([['Tindel Toyota'], ['Valley View Auto Sales']]);
    expect(s.execute('SELECT src:salesperson.name FROM car_sales ORDER BY 1').rows).toEqual([['Frank Beasley'], ['Greg Northrup']]);
  });

  it('takes paths, casts and numeric formats in the query, with the types the SELECT gives', () => {
    s.execute(`CREATE OR REPLACE TABLE car_prices AS SELECT src:vehicle[0].make::VARCHAR AS make, src:vehicle[0].price::NUMBER AS price, src:vehicle[0] AS vehicle, TO_CHAR(12, '">"99"<"') AS label FROM car_sales`);
    const r = s.execute('SELECT * FROM car_prices ORDER BY price');
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['MAKE', 'TEXT'],
      ['PRICE', 'NUMBER'],
      ['VEHICLE', 'VARIANT'],
      ['LABEL', 'TEXT'],
    ]);
    // Prices from the sample rows; '> 12<' is the format-models page's example
    // (https://docs.snowflake.com/en/sql-reference/sql-format-models).
    expect(r.rows.map((row) => [row[0], row[1], (row[2] as { model: string }).model, row[3]])).toEqual([
      ['Honda', 20275, 'Civic', '> 12<'],
      ['Toyota', 23500, 'Camry', '> 12<'],
    ]);
    // An unaliased path is named by its text, upper-cased, as in a SELECT.
    s.execute('CREATE OR REPLACE TABLE dealers AS SELECT src:dealership FROM car_sales');
    expect(describeTable('dealers')).toEqual([['SRC:DEALERSHIP', 'VARIANT']]);
  });

  it('the docs\' CTAS examples: a list of names renames the query\'s columns, types come from the query', () => {
    s.execute('CREATE OR REPLACE TABLE mytable (amount NUMBER)');
    s.execute('INSERT INTO mytable VALUES(1)');
    s.execute('CREATE TABLE mytable_copy (b) AS SELECT * FROM mytable');
    expect(describeTable('mytable_copy')).toEqual([['B', 'NUMBER(38,0)']]);
    s.execute('CREATE TABLE mytable_copy2 AS SELECT b+1 AS c FROM mytable_copy');
    const r = s.execute('SELECT * FROM mytable_copy2');
    expect(r.columns.map((c) => c.name)).toEqual(['C']);
    expect(r.rows).toEqual([[2]]);

    s.execute('CREATE OR REPLACE TABLE testtable (name VARCHAR, amount1 NUMBER, amount2 NUMBER)');
    s.execute(`INSERT INTO testtable VALUES ('a', 1, 2), ('b', 10, 20)`);
    s.execute('CREATE TABLE testtable_summary (name, summary_amount) AS SELECT name, amount1 + amount2 FROM testtable');
    expect(s.execute('SELECT * FROM testtable_summary ORDER BY name').rows).toEqual([
      ['a', 3],
      ['b', 30],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table: CTAS with column
  // definitions declaring the primary key (the dept_employees example).
  it('a column list with types creates the table as CREATE TABLE does, keys and lengths enforced', () => {
    s.execute('CREATE OR REPLACE TABLE company_employees (employee_id INT, department_id VARCHAR)');
    s.execute(`INSERT INTO company_employees VALUES (1, 'D1'), (2, 'D2')`);
    s.execute(`CREATE OR REPLACE HYBRID TABLE dept_employees (
  employee_id INT PRIMARY KEY,
  department_id VARCHAR(200)
  )
AS SELECT employee_id, department_id FROM company_employees`);
    expect(describeTable('dept_employees')).toEqual([
      ['EMPLOYEE_ID', 'NUMBER(38,0)'],
      ['DEPARTMENT_ID', 'VARCHAR(200)'],
    ]);
    expect(s.execute('SELECT * FROM dept_employees ORDER BY 1').rows).toEqual([
      [1, 'D1'],
      [2, 'D2'],
    ]);
    s.execute('SELECT * FROM dept_employees WHERE employee_id = 1');
    expect(sf.log.entries.at(-1)?.hybridAccess?.[0]).toMatchObject({ table: 'DEPT_EMPLOYEES', eligible: true });
    expect(failureOf(s, `INSERT INTO dept_employees VALUES (1, 'again')`).code).toBe(200001);

    // A row the definition refuses fails the statement and leaves no table behind.
    s.execute(`INSERT INTO company_employees VALUES (1, 'D3')`);
    expect(failureOf(s, 'CREATE HYBRID TABLE dept_again (employee_id INT PRIMARY KEY, department_id VARCHAR(200)) AS SELECT * FROM company_employees').code).toBe(200001);
    expect(failureOf(s, 'SELECT * FROM dept_again').code).toBe(2003);
  });

  it('IF NOT EXISTS leaves an existing table and its rows alone', () => {
    s.execute('CREATE OR REPLACE TABLE kept AS SELECT 1 AS A');
    s.execute('CREATE TABLE IF NOT EXISTS kept AS SELECT 2 AS A');
    expect(s.execute('SELECT * FROM kept').rows).toEqual([[1]]);
  });

  it('refuses by name what it does not emulate', () => {
    const refusal = (sql: string): string => {
      const e = failureOf(s, sql);
      expect(e.code).toBe(9999);
      return e.message;
    };
    expect(refusal('CREATE TABLE c1 CLUSTER BY (a) AS SELECT 1 AS a')).toMatch(/option "CLUSTER BY"/);
    expect(refusal('CREATE TABLE c2 (a, b) AS SELECT 1 AS a')).toMatch(/column list of 2 names for a query of 1 columns/);
    expect(refusal('CREATE TABLE c3 (a INT, b) AS SELECT 1, 2')).toMatch(/types for some columns only/);
    expect(refusal('CREATE HYBRID TABLE c4 AS SELECT 1 AS a')).toMatch(/HYBRID TABLE … AS SELECT without column definitions/);
    expect(refusal('CREATE TABLE c5 AS SELECT 1 AS a, 2 AS A')).toMatch(/two columns "A"/);
    expect(failureOf(s, 'SELECT * FROM c5').code).toBe(2003);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-table ("CREATE TABLE … LIKE", "CREATE
// TABLE … CLONE"): LIKE makes an empty table with the source's column definitions (types,
// defaults, NOT NULL, keys); CLONE copies its rows too, and later changes to one do not reach the
// other.
describe('CREATE TABLE … LIKE and … CLONE', () => {
  beforeAll(() => {
    s.execute("CREATE OR REPLACE TABLE ORIGINAL (ID NUMBER(38,0) NOT NULL PRIMARY KEY, NOTE VARCHAR(5) DEFAULT 'x', TS TIMESTAMP_NTZ)");
    s.execute('CREATE INDEX IX_TS ON ORIGINAL (TS)');
    s.execute("INSERT INTO ORIGINAL VALUES (1, 'a', '2024-01-01 00:00:00'), (2, 'b', NULL)");
  });

  it('LIKE: no rows, the same declared columns, default, length and key', () => {
    s.execute('CREATE TABLE SHAPED LIKE ORIGINAL');
    expect(s.execute('SELECT COUNT(*) FROM SHAPED').rows).toEqual([[0]]);
    expect(s.execute('DESCRIBE TABLE SHAPED').rows.map((r) => [r[0], r[1], r[3], r[5]])).toEqual(s.execute('DESCRIBE TABLE ORIGINAL').rows.map((r) => [r[0], r[1], r[3], r[5]]));
    s.execute('INSERT INTO SHAPED (ID) VALUES (7)');
    expect(s.execute('SELECT NOTE FROM SHAPED').rows).toEqual([['x']]);
    expect(() => s.execute("INSERT INTO SHAPED (ID, NOTE) VALUES (8, '123456')")).toThrow(/too long/);
    expect(() => s.execute('INSERT INTO SHAPED (ID) VALUES (7)')).toThrow(/Duplicate key/);
  });

  it('CLONE: the rows and the index, independent of the source afterwards', () => {
    expect(s.execute('CREATE OR REPLACE TABLE COPIED CLONE ORIGINAL').rows).toEqual([['Table COPIED successfully created.']]);
    expect(s.execute('SELECT ID, NOTE FROM COPIED ORDER BY ID').rows).toEqual([[1, 'a'], [2, 'b']]);
    expect(s.execute('SHOW INDEXES IN TABLE COPIED').rows.map((r) => [r[1], r[3]])).toEqual([['IX_TS', '[TS]']]);
    s.execute("UPDATE ORIGINAL SET NOTE = 'z' WHERE ID = 1");
    expect(s.execute('SELECT NOTE FROM COPIED WHERE ID = 1').rows).toEqual([['a']]);
  });

  it('an existing name fails as Snowflake\'s does, IF NOT EXISTS succeeds, and Time Travel or a hybrid table is refused by name', () => {
    const e = failureOf(s, 'CREATE TABLE COPIED CLONE ORIGINAL');
    expect([e.code, e.message]).toEqual([2002, "SQL compilation error:\nObject 'COPIED' already exists."]);
    expect(s.execute('CREATE TABLE IF NOT EXISTS COPIED CLONE ORIGINAL').rows).toEqual([['COPIED already exists, statement succeeded.']]);
    expect(failureOf(s, 'CREATE TABLE PAST CLONE ORIGINAL AT(OFFSET => -60)').message).toMatch(/Time Travel.*not implemented/s);
    expect(failureOf(s, 'CREATE TABLE MISSING LIKE NO_SUCH').message).toMatch(/Object 'NO_SUCH' does not exist/);
    s.execute('CREATE OR REPLACE HYBRID TABLE HYB (ID NUMBER PRIMARY KEY)');
    expect(failureOf(s, 'CREATE TABLE HYB2 CLONE HYB').message).toMatch(/hybrid table is not implemented/);
  });
});
