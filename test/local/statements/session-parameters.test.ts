/**
 * USE ROLE/WAREHOUSE and ALTER SESSION (local/statements/session-parameters.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/alter-session, https://docs.snowflake.com/en/sql-reference/sql/use-warehouse
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock } from '../../../local/index.js';
import { alterSession, use } from '../../../local/statements/session-parameters.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
const clock = new ManualClock('2026-03-01T12:00:00Z');
beforeAll(() => {
  sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('USE takes USE ROLE/WAREHOUSE/SECONDARY ROLES; USE DATABASE/SCHEMA went to the databases kind before it', () => {
    expectRecognition(use, ['USE ROLE R', 'USE WAREHOUSE W', 'USE SECONDARY ROLES ALL'], ['SELECT 1', "ALTER SESSION SET TIMEZONE = 'UTC'"]);
  });

  it('ALTER SESSION takes ALTER SESSION SET/UNSET and leaves other ALTER statements', () => {
    expectRecognition(alterSession, ["ALTER SESSION SET TIMEZONE = 'UTC'", "alter session set QUERY_TAG = 'x'"], ['ALTER TABLE T ADD COLUMN C INT', 'ALTER TABLE T RENAME TO U']);
  });
});

describe('session parameters', () => {
  it('follows ALTER SESSION SET TIMEZONE for CURRENT_TIMESTAMP() and accepts USE', () => {
    const a = sf.session({ timezone: 'UTC' });
    a.execute('USE SCHEMA PUBLIC');
    a.execute("ALTER SESSION SET TIMEZONE = 'America/New_York'");
    expect(a.execute("SELECT TO_VARCHAR(CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, 'HH24:MI') AS L, TO_VARCHAR(SYSDATE(), 'HH24:MI') AS U").rows).toEqual([['07:00', '12:00']]);
    a.close();
  });
});
