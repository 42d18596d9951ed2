/**
 * CURRENT_TRANSACTION() (local/compat/functions/transaction-context.ts).
 * https://docs.snowflake.com/en/sql-reference/functions/current_transaction: "Returns the
 * transaction id of an open transaction in the current session"; the page's example prints
 * `1661899308790000000` under the header `CURRENT_TRANSACTION()`. With none open it is NULL (the
 * Snowpark reference of the same function,
 * https://docs.snowflake.com/pt/developer-guide/snowpark/reference/python/1.42.0/snowpark/api/snowflake.snowpark.functions.current_transaction:
 * "Returns the current transaction ID for the session, or NULL if no transaction is active").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake } from '../../../local/index.js';
import type { LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session({ name: 'client' });
});
afterAll(() => sf.close());

const current = (session: LocalSession = s): unknown => session.execute('SELECT CURRENT_TRANSACTION()').rows[0]?.[0];

describe('CURRENT_TRANSACTION()', () => {
  it('is the open transaction’s id, digits as in the page’s example, the same for each statement in it', () => {
    s.execute('BEGIN TRANSACTION');
    const r = s.execute('SELECT CURRENT_TRANSACTION()');
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['CURRENT_TRANSACTION()', 'TEXT']]);
    const id = r.rows[0]?.[0];
    expect(String(id)).toMatch(/^\d{19}$/);
    expect(current()).toBe(id);
    s.execute('COMMIT');
    s.execute('BEGIN');
    expect(current()).not.toBe(id);
    s.execute('ROLLBACK');
  });

  it('is NULL with no transaction open', () => {
    expect(current()).toBeNull();
    s.execute('BEGIN');
    s.execute('COMMIT');
    expect(current()).toBeNull();
  });

  it('is the transaction of the session that asks', () => {
    const other = sf.session({ name: 'other' });
    s.execute('BEGIN');
    expect(current(other)).toBeNull();
    s.execute('ROLLBACK');
    other.close();
  });

  it('is the transaction AUTOCOMMIT = FALSE opened', () => {
    const manual = sf.session({ name: 'manual' });
    manual.execute('ALTER SESSION SET AUTOCOMMIT = FALSE');
    expect(String(current(manual))).toMatch(/^\d{19}$/);
    manual.close();
  });
});

// https://docs.snowflake.com/en/sql-reference/functions/last_transaction: "Returns the transaction
// ID of the last transaction that was either committed or rolled back in the current session";
// NULL before any (the Snowpark reference, snowflake.snowpark.functions.last_transaction: "If no
// transaction has been committed or rolled back in the current session, returns NULL").
describe('LAST_TRANSACTION()', () => {
  // The example of https://docs.snowflake.com/en/sql-reference/sql/commit, with its printed
  // outputs: CURRENT_TRANSACTION() is NULL after COMMIT, LAST_TRANSACTION() the committed one.
  it('is the transaction COMMIT just ended (the COMMIT page’s example)', () => {
    s.execute('CREATE OR REPLACE TABLE A1 (I NUMBER)');
    expect(s.execute('SELECT COUNT(*) FROM A1').rows).toEqual([[0]]);
    s.execute('BEGIN NAME T3');
    const id = current();
    expect(s.execute('INSERT INTO A1 VALUES (1), (2)').rows).toEqual([[2]]);
    s.execute('COMMIT');
    expect(current()).toBeNull();
    const r = s.execute('SELECT LAST_TRANSACTION()');
    expect(r.columns.map((c) => c.name)).toEqual(['LAST_TRANSACTION()']);
    expect(r.rows).toEqual([[id]]);
    expect(s.execute('SELECT COUNT(*) FROM A1').rows).toEqual([[2]]);
  });

  it('is a rolled-back transaction too, and the last one of a scoped transaction in a procedure', () => {
    s.execute('BEGIN');
    const rolledBack = current();
    s.execute('ROLLBACK');
    expect(s.execute('SELECT LAST_TRANSACTION()').rows).toEqual([[rolledBack]]);
    s.execute(`CREATE OR REPLACE PROCEDURE SCOPED_ID() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: 'BEGIN' });
      var rs = snowflake.execute({ sqlText: 'SELECT CURRENT_TRANSACTION()' });
      rs.next();
      var id = rs.getColumnValue(1);
      snowflake.execute({ sqlText: 'COMMIT' });
      return id;
    $$`);
    s.execute('BEGIN');
    const outer = current();
    const scoped = s.execute('CALL SCOPED_ID()').rows[0]?.[0];
    expect(scoped).not.toBe(outer);
    expect(current()).toBe(outer);
    expect(s.execute('SELECT LAST_TRANSACTION()').rows).toEqual([[scoped]]);
    s.execute('COMMIT');
  });

  it('is NULL in a session that ended no transaction', () => {
    const fresh = sf.session({ name: 'fresh' });
    expect(fresh.execute('SELECT LAST_TRANSACTION()').rows).toEqual([[null]]);
    fresh.close();
  });

  // Whether a statement that commits on its own (AUTOCOMMIT) counts is not documented.
  it('is refused after a statement that committed on its own, until a transaction ends again', () => {
    const a = sf.session({ name: 'autocommits' });
    a.execute('INSERT INTO A1 VALUES (3)');
    const e = failureOf(a, 'SELECT LAST_TRANSACTION()');
    expect(e.message).toMatch(/LAST_TRANSACTION\(\) after a statement that committed on its own .* is not implemented in the local Snowflake runtime/);
    a.execute('BEGIN');
    const id = current(a);
    a.execute('COMMIT');
    expect(a.execute('SELECT LAST_TRANSACTION()').rows).toEqual([[id]]);
    a.close();
  });
});
