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
      ['CREATE OR REPLACE SEQUENCE S START = 1 INCREMENT = 1', 'DROP SEQUENCE S', 'ALTER TABLE T ADD COLUMN C INT', 'CREATE INDEX I ON T (C)', 'DESCRIBE TABLE T', 'DESC TABLE T'],
      ['ALTER TABLE T RENAME TO U', 'DESCRIBE VIEW V', 'SELECT S.NEXTVAL'],
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
