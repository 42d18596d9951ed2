/**
 * Quoted identifiers are case-sensitive in Snowflake, unquoted ones are upper-cased
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers).
 * DuckDB resolves names without regard to case, so where the two would differ the local runtime
 * refuses as not implemented, never reading the other object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { failureOf } from '../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session();
  s.execute('CREATE TABLE QD ("a" INT, B INT)');
  s.execute('INSERT INTO QD VALUES (1, 2)');
});
afterAll(() => sf.close());

const refusal = (sql: string): string => {
  const e = failureOf(s, sql);
  expect([e.code, e.state], sql).toEqual([9999, '0A000']);
  return e.message;
};

describe('identifier case', () => {
  it('a table named in another case than the only one that exists does not exist, as in Snowflake', () => {
    s.execute('CREATE TABLE "lower_t" (X INT)');
    for (const sql of ['SELECT * FROM LOWER_T', 'SELECT * FROM lower_t', 'INSERT INTO lower_t VALUES (1)', 'SELECT * FROM "LOWER_T"']) {
      const e = failureOf(s, sql);
      expect([e.code, e.message], sql).toEqual([2003, "SQL compilation error:\nObject 'LOWER_T' does not exist or not authorized."]);
    }
    expect(s.execute('SELECT COUNT(*) FROM "lower_t"').rows).toEqual([[0]]);
  });

  it('a quoted lower-case column is read by its exact name; the unquoted name (upper-case) is refused, not read', () => {
    expect(s.execute('SELECT "a", B, "B" FROM QD').rows).toEqual([[1, 2, 2]]);
    expect(refusal('SELECT a FROM QD')).toContain('the column name "A" where only column "a" exists');
    expect(refusal('SELECT "b" FROM QD')).toContain('the column name "b" where only column "B" exists');
    expect(refusal('UPDATE QD SET B = 3 WHERE A = 1')).toContain('"A"');
  });

  it('an alias or a name nothing has is left alone', () => {
    expect(s.execute('SELECT B AS "b", 1 AS "x" FROM QD').rows).toEqual([[2, 1]]);
    expect(failureOf(s, 'SELECT "nothing" FROM QD').code).toBe(904);
  });

  it('CREATE TABLE of a name, or of two columns, differing only in case is refused (Snowflake would create them)', () => {
    s.execute('CREATE TABLE "abc" (X INT)');
    expect(refusal('CREATE TABLE ABC (Y INT)')).toContain('a table "ABC" beside table "abc"');
    expect(refusal('CREATE TABLE QC ("a" INT, A INT)')).toContain('columns "a" and "A"');
  });
});

describe('identifier case beside catalog queries', () => {
  it('a mixed-case column does not make catalog and metadata queries fail (their names are DuckDB\'s or the runtime\'s)', () => {
    s.execute('CREATE TABLE MIXED ("Name" VARCHAR)');
    expect(s.execute('SELECT NAME FROM sf_local.procedures ORDER BY NAME').rows).toEqual([]);
    expect(s.execute("SELECT table_name FROM INFORMATION_SCHEMA.TABLES WHERE table_name = 'MIXED'").rows).toEqual([['MIXED']]);
    // The user's own statements are still checked.
    expect(failureOf(s, 'SELECT NAME FROM MIXED').code).toBe(9999);
  });
});
