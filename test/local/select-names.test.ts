/**
 * Result column names and DDL status lines as Snowflake gives them (local/compat/select-names.ts,
 * local/compat/ddl-status.ts): an unaliased select item is named by its text upper-cased, a
 * column reference by the column; CREATE and DROP answer with the object's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { nameSelectItems } from '../../local/compat/select-names.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  s.execute('CREATE TABLE ORDERS (ID NUMBER, AMOUNT NUMBER(10,2), "Region" VARCHAR)');
  s.execute("INSERT INTO ORDERS VALUES (1, 10.50, 'west'), (2, 4.25, 'east')");
});
afterAll(() => sf.close());

const names = (sql: string): string[] => s.execute(sql).columns.map((c) => c.name);

// https://docs.snowflake.com/en/sql-reference/sql/select: a select item without an alias is
// named by the expression as written, upper-cased (the documentation's result headers, e.g.
// `COUNT(*)`, `PARSE_JSON('{ "A": NULL }'):A` on
// https://docs.snowflake.com/en/sql-reference/data-types-semistructured), and a column
// reference by its column (https://docs.snowflake.com/en/sql-reference/identifiers-syntax).
describe('unaliased select items', () => {
  it('are named by their text upper-cased, spaces as written', () => {
    expect(names("SELECT 7 % 3, 1+1, upper('abc'), amount * 2 FROM ORDERS")).toEqual(['7 % 3', '1+1', "UPPER('ABC')", 'AMOUNT * 2']);
  });

  it('are not named by what the runtime rewrote them into', () => {
    expect(names("SELECT DATEDIFF(day, '2024-01-01'::DATE, '2024-01-03'::DATE), IFF(id > 1, 'b', 'a'), CURRENT_TIMESTAMP IS NOT NULL FROM ORDERS")).toEqual([
      "DATEDIFF(DAY, '2024-01-01'::DATE, '2024-01-03'::DATE)",
      "IFF(ID > 1, 'B', 'A')",
      'CURRENT_TIMESTAMP IS NOT NULL',
    ]);
    expect(names("SELECT PARSE_JSON('{ \"a\": null }'):a")).toEqual(['PARSE_JSON(\'{ "A": NULL }\'):A']);
  });

  it('keep column names, quoted names, aliases and star expansions as they are', () => {
    expect(names('SELECT id, o.amount, "Region", id AS ident, amount a, amount AS "Mixed" FROM ORDERS o')).toEqual(['ID', 'AMOUNT', 'Region', 'IDENT', 'A', 'Mixed']);
    expect(names('SELECT *, id + 1 FROM ORDERS')).toEqual(['ID', 'AMOUNT', 'Region', 'ID + 1']);
    // An alias without AS after a cast to a one-word type, or to a type with its length.
    expect(names("SELECT 1 AS A, '2024-01-01'::DATE E, amount::NUMBER(10,1) f FROM ORDERS")).toEqual(['A', 'E', 'F']);
    expect(names('SELECT o.* FROM ORDERS o')).toEqual(['ID', 'AMOUNT', 'Region']);
  });

  it('take the first branch of a UNION and the main query of a WITH', () => {
    expect(names('WITH c AS (SELECT id + 0 AS q FROM ORDERS) SELECT q * 10 FROM c UNION ALL SELECT 5')).toEqual(['Q * 10']);
  });

  it('name expressions ending in keywords (CASE … END, IS NULL) by their text, not as an alias', () => {
    expect(names("SELECT CASE WHEN id = 1 THEN 'one' END, amount IS NULL, id::VARCHAR FROM ORDERS")).toEqual([
      "CASE WHEN ID = 1 THEN 'ONE' END",
      'AMOUNT IS NULL',
      'ID::VARCHAR',
    ]);
  });

  // https://docs.snowflake.com/en/user-guide/querying-sequences: `SELECT seq.NEXTVAL` answers a
  // column named NEXTVAL.
  it('names seq.NEXTVAL NEXTVAL', () => {
    s.execute('CREATE OR REPLACE SEQUENCE SEQ_NAMES');
    expect(names('SELECT SEQ_NAMES.NEXTVAL')).toEqual(['NEXTVAL']);
  });

  it('reach a procedure through getColumnName', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE COLUMN_NAMES() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: "SELECT COUNT(*), MAX(amount) - 1 FROM ORDERS" });
      return rs.getColumnName(1) + '|' + rs.getColumnName(2);
    $$`);
    expect(s.execute('CALL COLUMN_NAMES()').rows[0]).toEqual(['COUNT(*)|MAX(AMOUNT) - 1']);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/create-table ("CREATE TABLE … AS SELECT"):
  // the new table's columns take the query's names.
  it('name the columns of CREATE TABLE … AS SELECT', () => {
    s.execute('CREATE OR REPLACE TABLE DOUBLED AS SELECT id, amount * 2 FROM ORDERS');
    expect(names('SELECT * FROM DOUBLED')).toEqual(['ID', 'AMOUNT * 2']);
    expect(s.execute('SELECT "AMOUNT * 2" FROM DOUBLED ORDER BY ID').rows).toEqual([[21], [8.5]]);
  });

  it('leave statements other than queries, and a missing column, alone', () => {
    expect(nameSelectItems('INSERT INTO T SELECT 1 + 1')).toBe('INSERT INTO T SELECT 1 + 1');
    expect(() => s.execute('SELECT nothing FROM ORDERS')).toThrow(/invalid identifier 'NOTHING'/);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-table, /create-view, /drop-table,
// /create-sequence: the status line names the object.
describe('DDL status lines', () => {
  const line = (sql: string): unknown => s.execute(sql).rows[0]?.[0];
  it('name the created and dropped table, view and sequence', () => {
    expect(line('CREATE TABLE T_STATUS (A NUMBER)')).toBe('Table T_STATUS successfully created.');
    expect(line('CREATE TABLE IF NOT EXISTS t_status (A NUMBER)')).toBe('T_STATUS already exists, statement succeeded.');
    expect(line('CREATE OR REPLACE TABLE "Quoted" (A NUMBER)')).toBe('Table Quoted successfully created.');
    expect(line('CREATE OR REPLACE TABLE CTAS_STATUS AS SELECT 1 AS A')).toBe('Table CTAS_STATUS successfully created.');
    expect(line('CREATE VIEW V_STATUS AS SELECT * FROM T_STATUS')).toBe('View V_STATUS successfully created.');
    expect(line('CREATE SEQUENCE SEQ_STATUS')).toBe('Sequence SEQ_STATUS successfully created.');
    expect(line('DROP VIEW V_STATUS')).toBe('V_STATUS successfully dropped.');
    expect(line('DROP TABLE t_status')).toBe('T_STATUS successfully dropped.');
    expect(line('DROP TABLE IF EXISTS T_STATUS')).toBe('Drop statement executed successfully (T_STATUS already dropped).');
    expect(line('DROP SEQUENCE SEQ_STATUS')).toBe('SEQ_STATUS successfully dropped.');
    expect(line('ALTER TABLE "Quoted" ADD COLUMN B NUMBER')).toBe('Statement executed successfully.');
  });
});
