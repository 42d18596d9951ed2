/**
 * Sequences, ADD COLUMN, CREATE INDEX and DESCRIBE TABLE (local/statements/catalog.ts, parsed in
 * local/compat/catalog.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { catalog } from '../../../local/statements/catalog.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('takes sequence DDL, ALTER TABLE … ADD COLUMN, CREATE INDEX and DESCRIBE TABLE, and leaves the rest of ALTER TABLE and DESCRIBE', () => {
    expectRecognition(
      catalog,
      [
        'CREATE OR REPLACE SEQUENCE S START = 1 INCREMENT = 1', 'DROP SEQUENCE S', 'ALTER TABLE T ADD COLUMN C INT', 'CREATE INDEX I ON T (C)', 'DESCRIBE TABLE T', 'DESC TABLE T',
        'ALTER TABLE T RENAME TO U', 'ALTER TABLE T RENAME COLUMN A TO B', 'ALTER TABLE T DROP COLUMN A, B', 'ALTER TABLE T ALTER COLUMN A SET DATA TYPE VARCHAR(20)', 'ALTER TABLE T MODIFY A TYPE NUMBER(20,2)',
        'ALTER TABLE T ALTER COLUMN A SET NOT NULL', "ALTER TABLE T ALTER A COMMENT 'x'", 'DESCRIBE VIEW V', 'DESC VIEW V',
      ],
      ['ALTER TABLE T ALTER COLUMN A SET DEFAULT 1', 'ALTER TABLE T DROP PRIMARY KEY', 'DESCRIBE STAGE S', 'SELECT S.NEXTVAL'],
    );
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-sequence (Examples)
describe('sequences', () => {
  it('gives 1, 2 and then 3 to an INSERT (the seq_01 example)', () => {
    s.execute('CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1');
    s.execute('CREATE OR REPLACE TABLE sequence_test_table (i INTEGER)');
    expect(s.execute('SELECT seq_01.nextval').rows).toEqual([[1]]);
    expect(s.execute('SELECT seq_01.nextval').rows).toEqual([[2]]);
    s.execute('INSERT INTO sequence_test_table (i) VALUES (seq_01.nextval)');
    expect(s.execute('SELECT i FROM sequence_test_table').rows).toEqual([[3]]);
  });

  it('steps by INCREMENT within one statement (the seq_5 example)', () => {
    s.execute('CREATE OR REPLACE SEQUENCE seq_5 START = 1 INCREMENT = 5');
    expect(s.execute('SELECT seq_5.nextval a, seq_5.nextval b, seq_5.nextval c, seq_5.nextval d').rows).toEqual([[1, 6, 11, 16]]);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/alter-table, /desc-table; INTEGER is NUMBER(38,0)
// (https://docs.snowflake.com/en/sql-reference/data-types-numeric).
describe('ADD COLUMN and DESCRIBE TABLE', () => {
  it('describes the columns by name and declared type, an added one too', () => {
    s.execute('CREATE OR REPLACE TABLE DESCRIBED (I INTEGER, NAME VARCHAR(20) NOT NULL, PRIMARY KEY (I))');
    s.execute('ALTER TABLE DESCRIBED ADD COLUMN NOTE VARCHAR(10)');
    const r = s.execute('DESCRIBE TABLE DESCRIBED');
    expect(r.columns.map((c) => c.name).slice(0, 7)).toEqual(['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key']);
    expect(r.rows.map((row) => row.slice(0, 6))).toEqual([
      ['I', 'NUMBER(38,0)', 'COLUMN', 'N', null, 'Y'],
      ['NAME', 'VARCHAR(20)', 'COLUMN', 'N', null, 'N'],
      ['NOTE', 'VARCHAR(10)', 'COLUMN', 'Y', null, 'N'],
    ]);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-index: a secondary index on a hybrid table.
describe('CREATE INDEX', () => {
  it('adds an index to a hybrid table, which the index-eligibility audit then sees', () => {
    s.execute('CREATE OR REPLACE HYBRID TABLE HT (ID INT PRIMARY KEY, K VARCHAR)');
    s.execute('CREATE INDEX IDX_K ON HT (K)');
    s.execute("SELECT ID FROM HT WHERE K = 'x'");
    const last = sf.log.matching(/^SELECT ID FROM HT/).at(-1);
    expect(JSON.stringify(last)).toContain('IDX_K');
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/alter-table-column: SET DATA TYPE may change a
// text column's length and a number's precision (same scale) while every value fits; other type
// changes fail. https://docs.snowflake.com/en/sql-reference/sql/alter-table: RENAME COLUMN, DROP
// COLUMN, RENAME TO, ADD COLUMN with DEFAULT / NOT NULL. A hybrid table keeps its key, its
// secondary indexes and its hybrid kind through each.
describe('schema changes', () => {
  const describeTypes = (table: string): Array<[unknown, unknown, unknown]> => s.execute(`DESCRIBE TABLE ${table}`).rows.map((r) => [r[0], r[1], r[3]]);
  const indexes = (table: string): unknown[][] => s.execute(`SHOW INDEXES IN TABLE ${table}`).rows.map((r) => [r[1], r[3]]);

  beforeAll(() => {
    s.execute('CREATE OR REPLACE HYBRID TABLE EVOLVE (ID NUMBER(38,0) PRIMARY KEY, NOTE VARCHAR(10) NOT NULL, AMOUNT NUMBER(10,2), TS TIMESTAMP_NTZ, INDEX IX_TS (TS))');
    s.execute("INSERT INTO EVOLVE VALUES (1, 'abcdefgh', 12345678.12, '2024-01-01 00:00:00')");
  });

  it('widens a VARCHAR and the new length is enforced, not the old one', () => {
    expect(() => s.execute("INSERT INTO EVOLVE VALUES (2, 'x23456789012', 1, NULL)")).toThrow(/too long/);
    s.execute('ALTER TABLE EVOLVE ALTER COLUMN NOTE SET DATA TYPE VARCHAR(20)');
    s.execute("INSERT INTO EVOLVE VALUES (2, 'x23456789012', 1, NULL)");
    expect(() => s.execute("INSERT INTO EVOLVE VALUES (3, 'x2345678901234567890123', 1, NULL)")).toThrow(/String 'x2345678901234567890123' is too long and would be truncated/);
    expect(describeTypes('EVOLVE')[1]).toEqual(['NOTE', 'VARCHAR(20)', 'N']);
  });

  it('narrows a VARCHAR only while every value fits', () => {
    expect(() => s.execute('ALTER TABLE EVOLVE MODIFY COLUMN NOTE SET DATA TYPE VARCHAR(5)')).toThrow(/cannot change column NOTE from type VARCHAR\(20\) to VARCHAR\(5\)/);
    expect(describeTypes('EVOLVE')[1]).toEqual(['NOTE', 'VARCHAR(20)', 'N']);
  });

  it('raises a NUMBER\'s precision, refuses another scale or another type', () => {
    s.execute('ALTER TABLE EVOLVE ALTER AMOUNT TYPE NUMBER(20,2)');
    s.execute('INSERT INTO EVOLVE VALUES (4, \'big\', 123456789012.25, NULL)');
    expect(s.execute('SELECT AMOUNT FROM EVOLVE WHERE ID = 4').rows).toEqual([[123456789012.25]]);
    expect(() => s.execute('ALTER TABLE EVOLVE ALTER AMOUNT TYPE NUMBER(20,3)')).toThrow(/changing the scale of a number is not supported/);
    expect(() => s.execute('ALTER TABLE EVOLVE ALTER AMOUNT TYPE NUMBER(8,2)')).toThrow(/does not fit/);
    expect(() => s.execute('ALTER TABLE EVOLVE ALTER AMOUNT TYPE VARCHAR')).toThrow(/cannot change column AMOUNT/);
    expect(describeTypes('EVOLVE')[2]).toEqual(['AMOUNT', 'NUMBER(20,2)', 'Y']);
  });

  it('keeps the primary key, the secondary index and the hybrid kind through a rebuild', () => {
    expect(() => s.execute("INSERT INTO EVOLVE VALUES (1, 'dup', 1, NULL)")).toThrow(/Duplicate key/);
    expect(indexes('EVOLVE')).toEqual([['IX_TS', '[TS]']]);
    expect(s.execute("SELECT IS_HYBRID FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'EVOLVE'").rows).toEqual([['YES']]);
  });

  it('adds a column with a default, NOT NULL and an enforced length, and refuses NOT NULL without a default on a table with rows', () => {
    s.execute("ALTER TABLE EVOLVE ADD COLUMN CODE VARCHAR(3) NOT NULL DEFAULT 'ab'");
    expect(s.execute('SELECT DISTINCT CODE FROM EVOLVE').rows).toEqual([['ab']]);
    expect(() => s.execute("INSERT INTO EVOLVE (ID, NOTE, CODE) VALUES (9, 'x', 'abcd')")).toThrow(/too long/);
    expect(() => s.execute("INSERT INTO EVOLVE (ID, NOTE, CODE) VALUES (9, 'x', NULL)")).toThrow(/NULL/);
    expect(() => s.execute('ALTER TABLE EVOLVE ADD COLUMN MUST NUMBER NOT NULL')).toThrow(/Non-nullable column cannot be added to non-empty table 'EVOLVE'/);
    expect(describeTypes('EVOLVE').map((r) => r[0])).toEqual(['ID', 'NOTE', 'AMOUNT', 'TS', 'CODE']);
  });

  it('renames and drops columns (an indexed one follows its index), and renames the table with its types, index and kind', () => {
    s.execute('ALTER TABLE EVOLVE RENAME COLUMN TS TO UPDATED_AT');
    expect(indexes('EVOLVE')).toEqual([['IX_TS', '[UPDATED_AT]']]);
    expect(() => s.execute('ALTER TABLE EVOLVE DROP COLUMN UPDATED_AT')).toThrow(/index IX_TS .* uses it/);
    s.execute('ALTER TABLE EVOLVE DROP COLUMN CODE');
    s.execute('ALTER TABLE EVOLVE RENAME TO EVOLVED');
    expect(describeTypes('EVOLVED')).toEqual([
      ['ID', 'NUMBER(38,0)', 'N'],
      ['NOTE', 'VARCHAR(20)', 'N'],
      ['AMOUNT', 'NUMBER(20,2)', 'Y'],
      ['UPDATED_AT', 'TIMESTAMP_NTZ(9)', 'Y'],
    ]);
    expect(indexes('EVOLVED')).toEqual([['IX_TS', '[UPDATED_AT]']]);
    expect(s.execute("SHOW HYBRID TABLES LIKE 'EVOLVE%'").rows.map((r) => r[1])).toEqual(['EVOLVED']);
    expect(s.execute('SELECT COUNT(*) FROM EVOLVED').rows).toEqual([[3]]);
  });
});

describe('column nullability and comments', () => {
  it('SET NOT NULL on an indexed hybrid table, refused while a NULL is there; DROP NOT NULL; COMMENT', () => {
    s.execute('CREATE OR REPLACE HYBRID TABLE NULLS (ID NUMBER PRIMARY KEY, TS TIMESTAMP_NTZ, C NUMBER, INDEX IX_TS (TS))');
    s.execute("INSERT INTO NULLS VALUES (1, '2024-01-01', NULL)");
    s.execute('ALTER TABLE NULLS ALTER COLUMN TS SET NOT NULL');
    expect(() => s.execute('ALTER TABLE NULLS MODIFY C SET NOT NULL')).toThrow(/NULL result in a non-nullable column/);
    s.execute('ALTER TABLE NULLS ALTER TS DROP NOT NULL');
    s.execute("ALTER TABLE NULLS ALTER COLUMN C COMMENT 'the count'");
    expect(s.execute("SELECT COLUMN_NAME, IS_NULLABLE, COMMENT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'NULLS' ORDER BY ORDINAL_POSITION").rows).toEqual([
      ['ID', 'NO', null],
      ['TS', 'YES', null],
      ['C', 'YES', 'the count'],
    ]);
    expect(s.execute('SHOW INDEXES IN TABLE NULLS').rows.map((r) => r[1])).toEqual(['IX_TS']);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/desc-view: the same columns as DESCRIBE TABLE.
describe('DESCRIBE VIEW', () => {
  it('describes a view\'s columns, and names a missing view', () => {
    s.execute('CREATE OR REPLACE TABLE BASE_T (A NUMBER(10,2), B VARCHAR(5))');
    s.execute('CREATE OR REPLACE VIEW BASE_V AS SELECT A, B FROM BASE_T');
    const rows = s.execute('DESCRIBE VIEW BASE_V').rows;
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      ['A', 'COLUMN'],
      ['B', 'COLUMN'],
    ]);
    // A text column's length is not carried into a view locally (local/README.md); a number's precision is.
    expect(rows[0]?.[1]).toBe('NUMBER(10,2)');
    expect(() => s.execute('DESC VIEW NO_SUCH_VIEW')).toThrow("SQL compilation error:\nView 'NO_SUCH_VIEW' does not exist or not authorized.");
  });
});
