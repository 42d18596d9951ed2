/**
 * The context functions answered with local values (local/compat/functions/context.ts);
 * CURRENT_DATABASE and CURRENT_SCHEMA are tested with USE in test/local/statements/databases.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];

describe('context functions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions-context: local values (see context.ts);
  // no warehouse is in use, for which CURRENT_WAREHOUSE is NULL
  // (https://docs.snowflake.com/en/sql-reference/functions/current_warehouse).
  it('answer the local user, role, account and region; no warehouse', () => {
    expect(row('SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_ACCOUNT(), CURRENT_REGION(), CURRENT_USER')).toEqual([
      'LOCAL_USER',
      'LOCAL_OWNER',
      null,
      'LOCAL',
      'LOCAL',
      'LOCAL_USER',
    ]);
    expect(row('SELECT CURRENT_ACCOUNT_NAME(), CURRENT_ORGANIZATION_NAME(), CURRENT_VERSION(), CURRENT_DATABASE()')).toEqual(['LOCAL', 'LOCAL', '0.0.0-local', 'LOCAL']);
    expect(failureOf(s, 'SELECT CURRENT_SESSION()').message).toContain('CURRENT_SESSION() is not implemented');
    // A column named like a context function is still a column.
    expect(row('SELECT CURRENT_REGION FROM (SELECT 1 AS CURRENT_REGION)')).toEqual([1]);
  });
});
