/**
 * Alerts and SYSTEM$SEND_EMAIL on a driven clock. Each behavior is pinned to the page that
 * documents it:
 * https://docs.snowflake.com/en/sql-reference/sql/create-alert
 * https://docs.snowflake.com/en/sql-reference/sql/alter-alert
 * https://docs.snowflake.com/en/sql-reference/sql/execute-alert
 * https://docs.snowflake.com/en/sql-reference/sql/show-alerts
 * https://docs.snowflake.com/en/sql-reference/functions/alert_history
 * https://docs.snowflake.com/en/sql-reference/stored-procedures/system_send_email
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock, type LocalSession } from '../../../local/index.js';
import { alerts } from '../../../local/statements/alerts.js';
import { expectRecognition } from './recognition.js';

let sf: LocalSnowflake;
let s: LocalSession;
let clock: ManualClock;

const MINUTE = 60_000;

/** ALERT_HISTORY rows of one alert, oldest first: [STATE, ERROR_CODE, ERROR_MESSAGE, SCHEDULED_FROM]. */
function history(name: string): unknown[][] {
  return s.execute(
    `SELECT STATE, ERROR_CODE, ERROR_MESSAGE, SCHEDULED_FROM, SCHEDULED_TIME FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => '${name}')) ORDER BY SCHEDULED_TIME`,
  ).rows;
}

const states = (name: string): unknown[] => history(name).map((r) => r[0]);

beforeEach(() => {
  clock = new ManualClock('2026-05-01T00:00:00Z');
  sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
  s = sf.session({ timezone: 'UTC' });
  sf.executeScript(
    `CREATE TABLE READINGS (V NUMBER);
     CREATE TABLE FIRED (AT TIMESTAMP_NTZ);
     CREATE OR REPLACE ALERT HIGH WAREHOUSE = COMPUTE_WH SCHEDULE = '5 MINUTE' COMMENT = 'too high'
       IF (EXISTS (SELECT V FROM READINGS WHERE V > 10))
       THEN INSERT INTO FIRED VALUES (SYSDATE());`,
    s,
  );
});
afterEach(() => sf.close());

describe('CREATE / SHOW / ALTER / DROP ALERT', () => {
  it('creates an alert suspended and shows it with SHOW ALERTS’ lower-case columns', () => {
    // "Newly created or cloned alerts are suspended upon creation." (create-alert)
    const r = s.execute("SHOW ALERTS LIKE 'hi%'");
    expect(r.columns.map((c) => c.name)).toEqual([
      'created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'state', 'condition', 'action', 'owner_role_type',
    ]);
    const row = r.objects()[0] as Record<string, unknown>;
    expect([row.name, row.state, row.schedule, row.warehouse, row.comment, row.condition, row.action]).toEqual([
      'HIGH', 'suspended', '5 MINUTE', 'COMPUTE_WH', 'too high', 'SELECT V FROM READINGS WHERE V > 10', 'INSERT INTO FIRED VALUES (SYSDATE())',
    ]);
    // LIKE is case-insensitive with SQL wildcards (show-alerts).
    expect(s.execute("SHOW ALERTS LIKE 'LOW%'").rows).toHaveLength(0);
  });

  it('a suspended alert is never evaluated by the scheduler', () => {
    s.execute('INSERT INTO READINGS VALUES (11)');
    clock.advance(60 * MINUTE);
    expect(sf.tasks.tick()).toBe(0);
    expect(states('HIGH')).toEqual([]);
  });

  it('refuses a second CREATE without OR REPLACE, and IF NOT EXISTS leaves the first one alone', () => {
    const again = "CREATE ALERT HIGH SCHEDULE = '1 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 1";
    expect(() => s.execute(again)).toThrow(/Object 'HIGH' already exists/);
    s.execute(again.replace('CREATE ALERT', 'CREATE ALERT IF NOT EXISTS'));
    expect((s.execute('SHOW ALERTS').objects()[0] as Record<string, unknown>).schedule).toBe('5 MINUTE');
  });

  it('accepts only N MINUTE (1 to 11520) or USING CRON as an alert schedule', () => {
    const make = (schedule: string): void => {
      s.execute(`CREATE OR REPLACE ALERT A2 SCHEDULE = '${schedule}' IF (EXISTS (SELECT 1)) THEN SELECT 1`);
    };
    // create-alert: SCHEDULE = '{ <num> MINUTE | USING CRON <expr> <time_zone> }', num up to 11520.
    for (const bad of ['30 SECONDS', '1 HOUR', '0 MINUTE', '11521 MINUTE']) expect(() => make(bad), bad).toThrow(/invalid alert schedule/);
    make('11520 MINUTE');
    make('USING CRON 0 * * * * UTC');
    expect(s.execute("SHOW ALERTS LIKE 'A2'").objects()[0]).toMatchObject({ schedule: 'USING CRON 0 * * * * UTC' });
  });

  it('fails loudly on forms it does not emulate', () => {
    expect(() => s.execute('CREATE ALERT A3 IF (EXISTS (SELECT 1)) THEN SELECT 1')).toThrow(/alerts on new data .* is not implemented/);
    expect(() => s.execute("ALTER ALERT HIGH SET SCHEDULE = '1 MINUTE'")).toThrow(/ALTER ALERT form .* is not implemented/);
    expect(() => s.execute("CREATE ALERT A4 SCHEDULE = '1 MINUTE' IF (SELECT 1) THEN SELECT 1")).toThrow(/IF \(EXISTS \(<query>\)\)/);
  });

  it('drops an alert; DROP IF EXISTS of a missing one succeeds; others fail with 2003', () => {
    s.execute('DROP ALERT HIGH');
    expect(s.execute('SHOW ALERTS').rows).toHaveLength(0);
    expect(s.execute('DROP ALERT IF EXISTS HIGH').rows[0]?.[0]).toMatch(/already dropped/);
    for (const sql of ['DROP ALERT HIGH', 'ALTER ALERT HIGH RESUME', 'EXECUTE ALERT HIGH']) {
      expect(() => s.execute(sql), sql).toThrow(expect.objectContaining({ code: 2003, message: expect.stringMatching(/Alert 'HIGH' does not exist/) }));
    }
    expect(s.execute('ALTER ALERT IF EXISTS HIGH RESUME').rows[0]?.[0]).toBe('Statement executed successfully.');
  });
});

describe('evaluation on the scheduler clock', () => {
  beforeEach(() => {
    s.execute('ALTER ALERT HIGH RESUME');
  });

  it('evaluates one interval after RESUME, not before; CONDITION_FALSE runs no action', () => {
    clock.advance(5 * MINUTE - 1);
    expect(sf.tasks.tick()).toBe(0);
    clock.advance(1);
    expect(sf.tasks.tick()).toBe(1);
    expect(history('HIGH').map((r) => [r[0], r[3]])).toEqual([['CONDITION_FALSE', 'SCHEDULE']]);
    expect(s.execute('SELECT COUNT(*) FROM FIRED').rows[0]?.[0]).toBe(0);
  });

  it('runs the action when the condition returns a row (TRIGGERED), on every due schedule time', () => {
    s.execute('INSERT INTO READINGS VALUES (11)');
    clock.advance(5 * MINUTE);
    sf.tasks.tick();
    clock.advance(5 * MINUTE);
    sf.tasks.tick();
    expect(states('HIGH')).toEqual(['TRIGGERED', 'TRIGGERED']);
    expect(s.execute('SELECT COUNT(*) FROM FIRED').rows[0]?.[0]).toBe(2);
    expect(s.execute('SHOW ALERTS').objects()[0]).toMatchObject({ state: 'started' });
  });

  it('a clock jump over several schedule times evaluates once, for the latest', () => {
    clock.advance(23 * MINUTE);
    expect(sf.tasks.tick()).toBe(1);
    const [row] = history('HIGH');
    expect((row?.[4] as Date).toISOString()).toBe('2026-05-01T00:20:00.000Z');
    expect(sf.alerts.nextRunOf('HIGH')?.toISOString()).toBe('2026-05-01T00:25:00.000Z');
  });

  it('records CONDITION_FAILED and ACTION_FAILED with the error, and keeps the alert started', () => {
    s.execute('DROP TABLE READINGS');
    clock.advance(5 * MINUTE);
    sf.tasks.tick();
    s.execute('CREATE TABLE READINGS (V NUMBER)');
    s.execute('INSERT INTO READINGS VALUES (99)');
    s.execute('DROP TABLE FIRED');
    clock.advance(5 * MINUTE);
    sf.tasks.tick();
    const h = history('HIGH');
    expect(h.map((r) => [r[0], r[1]])).toEqual([
      ['CONDITION_FAILED', '2003'],
      ['ACTION_FAILED', '2003'],
    ]);
    expect(String(h[0]?.[2])).toMatch(/READINGS' does not exist/);
    expect(String(h[1]?.[2])).toMatch(/FIRED' does not exist/);
    expect(sf.alerts.stateOf('HIGH')).toBe('started');
  });

  it('SUSPEND stops evaluations; EXECUTE ALERT evaluates a suspended alert now and leaves it suspended', () => {
    s.execute('ALTER ALERT HIGH SUSPEND');
    s.execute('INSERT INTO READINGS VALUES (11)');
    clock.advance(30 * MINUTE);
    expect(sf.tasks.tick()).toBe(0);
    // execute-alert: "If the alert is currently suspended, the EXECUTE ALERT command executes the alert but does not resume the alert."
    s.execute('EXECUTE ALERT HIGH');
    expect(history('HIGH').map((r) => [r[0], r[3]])).toEqual([['TRIGGERED', 'EXECUTE ALERT']]);
    expect(sf.alerts.stateOf('HIGH')).toBe('suspended');
  });

  it('a CRON schedule evaluates on its minutes in its time zone', () => {
    s.execute("CREATE OR REPLACE ALERT HOURLY SCHEDULE = 'USING CRON 0 * * * * UTC' IF (EXISTS (SELECT 1)) THEN SELECT 1");
    s.execute('ALTER ALERT HOURLY RESUME');
    clock.set('2026-05-01T00:59:00Z');
    sf.tasks.tick();
    expect(states('HOURLY')).toEqual([]);
    clock.set('2026-05-01T01:00:00Z');
    sf.tasks.tick();
    expect(states('HOURLY')).toEqual(['TRIGGERED']);
  });

  it('ALERT_HISTORY filters by time range and RESULT_LIMIT, newest first', () => {
    for (let i = 0; i < 3; i++) {
      clock.advance(5 * MINUTE);
      sf.tasks.tick();
    }
    const r = s.execute(
      "SELECT SCHEDULED_TIME FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(SCHEDULED_TIME_RANGE_START => '2026-05-01 00:06:00'::TIMESTAMP_LTZ, RESULT_LIMIT => 1, ALERT_NAME => 'high'))",
    ).rows;
    expect(r.map((x) => (x[0] as Date).toISOString())).toEqual(['2026-05-01T00:15:00.000Z']);
  });
});

describe('CALL SYSTEM$SEND_EMAIL (recorded, not sent)', () => {
  it('records the email and returns TRUE in a column named after the procedure', () => {
    clock.set('2026-05-01T12:00:00Z');
    const r = s.execute("CALL SYSTEM$SEND_EMAIL('MY_INT', 'a@example.com, b@example.com', ?, 'Body', 'text/html')", ['Subject']);
    // system_send_email: "Returns TRUE if the stored procedure executes successfully."
    expect(r.columns.map((c) => c.name)).toEqual(['SYSTEM$SEND_EMAIL']);
    expect(r.rows).toEqual([[true]]);
    expect(sf.emails).toEqual([
      {
        integration: 'MY_INT',
        recipients: ['a@example.com', 'b@example.com'],
        subject: 'Subject',
        body: 'Body',
        mimeType: 'text/html',
        at: new Date('2026-05-01T12:00:00Z'),
        session: s.name,
      },
    ]);
  });

  it('refuses an empty subject or body and an unknown MIME type, and records nothing', () => {
    // system_send_email: subject and content: "You cannot specify an empty string"; mime_type text/plain or text/html.
    expect(() => s.execute("CALL SYSTEM$SEND_EMAIL('I', 'a@example.com', '', 'b')")).toThrow(/subject cannot be empty/);
    expect(() => s.execute("CALL SYSTEM$SEND_EMAIL('I', 'a@example.com', 's', '')")).toThrow(/content cannot be empty/);
    expect(() => s.execute("CALL SYSTEM$SEND_EMAIL('I', 'a@example.com', 's', 'b', 'text/markdown')")).toThrow(/unsupported MIME type/);
    expect(() => s.execute("CALL SYSTEM$SEND_EMAIL('I', 'a@example.com', 's')")).toThrow(/takes 4 or 5 arguments/);
    expect(sf.emails).toEqual([]);
  });

  it('works from inside a JavaScript procedure; other SYSTEM$ procedures are not implemented', () => {
    s.execute(`CREATE PROCEDURE NOTIFY() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      snowflake.execute({ sqlText: "CALL SYSTEM$SEND_EMAIL('I', 'ops@example.com', 'from proc', 'hello')" });
      return 'ok';
    $$`);
    s.execute('CALL NOTIFY()');
    expect(sf.emails.map((e) => e.subject)).toEqual(['from proc']);
    expect(() => s.execute('CALL SYSTEM$WAIT(1)')).toThrow(expect.objectContaining({ code: 9999, message: expect.stringMatching(/SYSTEM\$WAIT .*is not implemented/) }));
    expect(() => s.execute("SELECT SYSTEM$SEND_EMAIL('I', 'a@example.com', 's', 'b')")).toThrow(/SYSTEM\$ functions is not implemented/);
  });

  it('an alert whose action sends email records one email per triggered evaluation', () => {
    s.execute(`CREATE OR REPLACE ALERT MAIL SCHEDULE = '1 MINUTE' IF (EXISTS (SELECT 1 FROM READINGS WHERE V > 10))
      THEN CALL SYSTEM$SEND_EMAIL('I', 'ops@example.com', 'high reading', 'see READINGS')`);
    s.execute('ALTER ALERT MAIL RESUME');
    clock.advance(MINUTE);
    sf.tasks.tick();
    s.execute('INSERT INTO READINGS VALUES (50)');
    clock.advance(MINUTE);
    sf.tasks.tick();
    expect(states('MAIL')).toEqual(['CONDITION_FALSE', 'TRIGGERED']);
    expect(sf.emails.map((e) => [e.subject, e.session, e.at.toISOString()])).toEqual([['high reading', 'alert:MAIL', '2026-05-01T00:02:00.000Z']]);
  });
});

describe('persistence', () => {
  it('a file-backed database keeps alerts and their state across reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-alerts-'));
    try {
      const path = join(dir, 'db.duckdb');
      const c = new ManualClock('2026-05-01T00:00:00Z');
      const a = LocalSnowflake.open({ clock: c, path, timezone: 'UTC' });
      a.executeScript("CREATE ALERT KEEP SCHEDULE = '2 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 1; ALTER ALERT KEEP RESUME;");
      a.close();
      const b = LocalSnowflake.open({ clock: c, path, timezone: 'UTC' });
      try {
        expect(b.alerts.stateOf('KEEP')).toBe('started');
        c.advance(2 * MINUTE);
        expect(b.tasks.tick()).toBe(1);
        expect(b.session().execute("SELECT STATE FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'KEEP'))").rows).toEqual([['TRIGGERED']]);
      } finally {
        b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-alert, /alter-alert, /drop-alert,
// /execute-alert, /show-alerts, /desc-alert
describe('recognition', () => {
  it('takes the alert statements and leaves other objects\' statements', () => {
    expectRecognition(
      alerts,
      ["CREATE OR REPLACE ALERT A SCHEDULE = '1 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 1", 'ALTER ALERT A RESUME', 'DROP ALERT A', 'EXECUTE ALERT A', 'SHOW ALERTS', 'DESC ALERT A'],
      ['SELECT * FROM ALERTS', 'CREATE TABLE ALERT_LOG (A INT)', 'SHOW TABLES'],
    );
  });
});

// An alert is a schema object like a task (https://docs.snowflake.com/en/sql-reference/name-resolution);
// SHOW ALERTS without IN lists the current database's, sorted by database, schema and name
// (https://docs.snowflake.com/en/sql-reference/sql/show-alerts).
describe('alerts of other schemas', () => {
  it('belong to their schema, and are evaluated in it by the scheduler', () => {
    s.execute('CREATE SCHEMA S');
    s.execute('CREATE TABLE READINGS (V NUMBER)');
    s.execute('CREATE TABLE FIRED (AT TIMESTAMP_NTZ)');
    s.execute("CREATE ALERT HIGH SCHEDULE = '1 MINUTE' IF (EXISTS (SELECT V FROM READINGS WHERE V > 10)) THEN INSERT INTO FIRED VALUES (SYSDATE())");
    s.execute('INSERT INTO READINGS VALUES (11)');
    const shown = (sql: string): unknown[][] => s.execute(sql).rows.map((r) => [r[1], r[2], r[3]]);
    expect(shown('SHOW ALERTS')).toEqual([
      ['HIGH', 'LOCAL', 'PUBLIC'],
      ['HIGH', 'LOCAL', 'S'],
    ]);
    expect(shown('SHOW ALERTS IN SCHEMA S')).toEqual([['HIGH', 'LOCAL', 'S']]);
    s.execute('ALTER ALERT HIGH RESUME');
    s.execute('USE SCHEMA PUBLIC');
    clock.advance(MINUTE);
    sf.tasks.tick();
    // S's alert read S.READINGS (a row over 10) and wrote S.FIRED; PUBLIC's alert is suspended.
    expect(s.execute('SELECT COUNT(*) FROM S.FIRED').rows).toEqual([[1]]);
    expect(s.execute('SELECT COUNT(*) FROM FIRED').rows).toEqual([[0]]);
    expect(s.execute("SELECT NAME, SCHEMA_NAME, STATE FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'HIGH'))").rows).toEqual([['HIGH', 'S', 'TRIGGERED']]);
    s.execute('DROP ALERT S.HIGH');
    expect(shown('SHOW ALERTS')).toEqual([['HIGH', 'LOCAL', 'PUBLIC']]);
  });
});
