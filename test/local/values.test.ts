/**
 * VALUES as a table source (local/compat/values.ts), with the examples and results of
 * https://docs.snowflake.com/en/sql-reference/constructs/values unless a test cites another page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { failureOf } from '../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session();
});
afterAll(() => sf.close());

const names = (sql: string): string[] => s.execute(sql).columns.map((c) => c.name);

describe('FROM VALUES', () => {
  it('names the columns COLUMN1, COLUMN2, … (the first example)', () => {
    const r = s.execute(`SELECT * FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))`);
    expect(r.columns.map((c) => c.name)).toEqual(['COLUMN1', 'COLUMN2']);
    expect(r.rows).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
  });

  it('takes the unparenthesised form, with or without a table alias', () => {
    const r = s.execute(`SELECT * FROM VALUES (1, 'a'), (2, 'b')`);
    expect(r.columns.map((c) => c.name)).toEqual(['COLUMN1', 'COLUMN2']);
    expect(r.rows).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    // https://docs.snowflake.com/en/user-guide/querying-semistructured loads its sample table so.
    expect(s.execute(`SELECT PARSE_JSON(column1):id::NUMBER AS ID FROM VALUES ('{"id": 55}'), ('{"id": 274}') v ORDER BY 1`).rows).toEqual([[55], [274]]);
    expect(s.execute('SELECT column1 FROM VALUES (1), (2) WHERE column1 > 1').rows).toEqual([[2]]);
  });

  it('an alias with a column list names the columns (the last example)', () => {
    const r = s.execute(`SELECT c1, c2 FROM (VALUES (1, 'one'), (2, 'two')) AS v1 (c1, c2)`);
    expect(r.columns.map((c) => c.name)).toEqual(['C1', 'C2']);
    expect(r.rows).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(names(`SELECT * FROM (VALUES (1, 'a')) AS T(A, B)`)).toEqual(['A', 'B']);
  });

  it('aliases tell two VALUES sources apart in a join, their columns still COLUMN1, …', () => {
    const r = s.execute(`SELECT v1.column2, v2.column2 FROM (VALUES (1, 'one'), (2, 'two')) AS v1 INNER JOIN (VALUES (1, 'One'), (3, 'three')) AS v2 ON v2.column1 = v1.column1`);
    expect(r.rows).toEqual([['one', 'One']]);
  });

  it('leaves INSERT … VALUES and the word in literals alone', () => {
    s.execute('CREATE OR REPLACE TABLE VALS (A NUMBER, B VARCHAR)');
    s.execute(`INSERT INTO VALS (A, B) VALUES (1, 'FROM VALUES (9)')`);
    s.execute(`INSERT INTO VALS SELECT * FROM VALUES (2, 'x')`);
    expect(s.execute('SELECT A, B FROM VALS ORDER BY A').rows).toEqual([
      [1, 'FROM VALUES (9)'],
      [2, 'x'],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/sql/merge: the source may be a subquery.
  it('is a MERGE source too, with Snowflake names', () => {
    s.execute('CREATE OR REPLACE TABLE MT (ID NUMBER, V VARCHAR)');
    s.execute(`MERGE INTO MT USING (VALUES (1, 'a')) AS S ON MT.ID = S.COLUMN1 WHEN NOT MATCHED THEN INSERT (ID, V) VALUES (S.COLUMN1, S.COLUMN2)`);
    expect(s.execute('SELECT ID, V FROM MT').rows).toEqual([[1, 'a']]);
  });

  it('refuses positional column references ($2) by name rather than taking them for binds', () => {
    const f = failureOf(s, `SELECT column1, $2 FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))`);
    expect([f.code, f.state]).toEqual([9999, '0A000']);
    expect(f.message).toContain('positional column references ($2) is not implemented');
  });
});
