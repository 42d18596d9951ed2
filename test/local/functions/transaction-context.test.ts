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
// it does not say whether AUTOCOMMIT's single-statement transactions count: refused, not guessed.
describe('LAST_TRANSACTION()', () => {
  it('is refused as not implemented', () => {
    const e = failureOf(s, 'SELECT LAST_TRANSACTION()');
    expect(e.message).toMatch(/LAST_TRANSACTION\(\) is not implemented in the local Snowflake runtime/);
  });
});
