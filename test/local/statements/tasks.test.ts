/**
 * Tasks on a driven clock (https://docs.snowflake.com/en/user-guide/tasks-intro,
 * https://docs.snowflake.com/en/sql-reference/sql/create-task,
 * https://docs.snowflake.com/en/sql-reference/functions/task_history,
 * https://docs.snowflake.com/en/sql-reference/sql/show-tasks).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock, type Clock } from '../../../local/index.js';
import type { LocalSession } from '../../../local/index.js';
import { tasks } from '../../../local/statements/tasks.js';
import { expectRecognition } from './recognition.js';
import { failureOf } from '../../support/failure.js';
import { nextFireTime, parseAlterTask, parseCreateTask, parseSchedule } from '../../../local/compat/tasks.js';

let sf: LocalSnowflake;
let s: LocalSession;
let clock: ManualClock;

const HISTORY = `SELECT NAME, STATE, SCHEDULED_TIME, ERROR_CODE, ERROR_MESSAGE
  FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T1', SCHEDULED_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP())))
  ORDER BY SCHEDULED_TIME`;

function setup(c: Clock): void {
  sf = LocalSnowflake.open({ clock: c, timezone: 'UTC' });
  s = sf.session();
  sf.executeScript(`
    CREATE OR REPLACE TABLE RUNS (N NUMBER, RAN_AT TIMESTAMP_NTZ);
    CREATE OR REPLACE TABLE SWITCH (FAIL BOOLEAN);
    INSERT INTO SWITCH VALUES (FALSE);
    CREATE OR REPLACE PROCEDURE WORK() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: 'SELECT FAIL FROM SWITCH' });
      rs.next();
      if (rs.getColumnValue(1)) throw new Error('work failed on purpose');
      snowflake.execute({ sqlText: 'INSERT INTO RUNS VALUES (1, SYSDATE())' });
      return 'done';
    $$;
    CREATE OR REPLACE TASK T1 WAREHOUSE = COMPUTE_WH SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 2 COMMENT = 'test task' AS CALL WORK();
  `, s);
}

describe('tasks on a driven clock', () => {
  beforeEach(() => {
    clock = new ManualClock('2026-05-01T00:00:00Z');
    setup(clock);
  });
  afterEach(() => sf.close());

  it('creates tasks suspended and shows them with SHOW TASKS’ lower-case columns', () => {
    const r = s.execute("SHOW TASKS LIKE 't%'");
    expect(r.columns.map((c) => c.name).slice(0, 12)).toEqual([
      'created_on', 'name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'predecessors', 'state', 'definition',
    ]);
    const row = r.objects()[0] as Record<string, unknown>;
    expect([row.name, row.state, row.schedule, row.warehouse, row.comment, row.definition]).toEqual(['T1', 'suspended', '1 MINUTE', 'COMPUTE_WH', 'test task', 'CALL WORK()']);
    expect(s.execute("SHOW TASKS LIKE 'nothing%'").rows).toEqual([]);
  });

  it('runs a resumed task once per interval, from one interval after RESUME, and records each run', () => {
    s.execute('ALTER TASK T1 RESUME');
    expect(sf.tasks.tick()).toBe(0);
    clock.advance(59_000);
    expect(sf.tasks.tick()).toBe(0);
    clock.advance(1_000);
    expect(sf.tasks.tick()).toBe(1);
    expect(sf.tasks.tick()).toBe(0);
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(1);
    expect(s.execute('SELECT COUNT(*) AS N FROM RUNS').rows).toEqual([[2]]);
    const h = s.execute(HISTORY).objects();
    expect(h.map((r) => [r.NAME, r.STATE, (r.SCHEDULED_TIME as Date).toISOString()])).toEqual([
      ['T1', 'SUCCEEDED', '2026-05-01T00:01:00.000Z'],
      ['T1', 'SUCCEEDED', '2026-05-01T00:02:00.000Z'],
    ]);
    expect(sf.log.bySession('task:T1').map((e) => e.sql)).toContain('CALL WORK()');
  });

  it('does not run a suspended task, and SUSPEND stops a started one', () => {
    clock.advance(120_000);
    expect(sf.tasks.tick()).toBe(0);
    s.execute('ALTER TASK T1 RESUME');
    s.execute('ALTER TASK IF EXISTS T1 SUSPEND');
    clock.advance(120_000);
    expect(sf.tasks.tick()).toBe(0);
    expect(s.execute("SHOW TASKS LIKE 'T1'").objects()[0]?.state).toBe('suspended');
  });

  it('records failures with code and message, and suspends after SUSPEND_TASK_AFTER_NUM_FAILURES in a row', () => {
    s.execute('UPDATE SWITCH SET FAIL = TRUE');
    s.execute('ALTER TASK T1 RESUME');
    clock.advance(60_000);
    sf.tasks.tick();
    clock.advance(60_000);
    sf.tasks.tick();
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(0);
    const h = s.execute(HISTORY).objects();
    expect(h.map((r) => r.STATE)).toEqual(['FAILED', 'FAILED_AND_AUTO_SUSPENDED']);
    expect(h[0]?.ERROR_CODE).toBe('100132');
    expect(String(h[0]?.ERROR_MESSAGE)).toContain('work failed on purpose');
    expect(sf.tasks.stateOf('T1')).toBe('suspended');
  });

  it('runs EXECUTE TASK at once, even when suspended', () => {
    s.execute('EXECUTE TASK T1');
    expect(s.execute('SELECT COUNT(*) AS N FROM RUNS').rows).toEqual([[1]]);
    expect(s.execute(HISTORY).objects().map((r) => r.STATE)).toEqual(['SUCCEEDED']);
  });

  it('refuses to change a started task until it is suspended', () => {
    s.execute('ALTER TASK T1 RESUME');
    expect(() => s.execute("ALTER TASK T1 SET SCHEDULE = '5 MINUTE'")).toThrow(/not suspended/);
    s.execute('ALTER TASK T1 SUSPEND');
    s.execute("ALTER TASK T1 SET SCHEDULE = '5 MINUTE'");
    s.execute('ALTER TASK T1 RESUME');
    clock.advance(4 * 60_000);
    expect(sf.tasks.tick()).toBe(0);
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(1);
  });

  it('CREATE OR ALTER TASK changes a suspended task in place (same id, history kept), refuses a started one, and creates a missing one', () => {
    const before = s.execute("SHOW TASKS LIKE 'T1'").objects()[0];
    s.execute('EXECUTE TASK T1');
    s.execute("CREATE OR ALTER TASK T1 WAREHOUSE = OTHER_WH SCHEDULE = '5 MINUTE' OVERLAP_POLICY = NO_OVERLAP AS CALL WORK()");
    const after = s.execute("SHOW TASKS LIKE 'T1'").objects()[0];
    expect([after?.id, after?.state, after?.warehouse, after?.schedule, after?.comment]).toEqual([before?.id, 'suspended', 'OTHER_WH', '5 MINUTE', null]);
    expect(s.execute(HISTORY).objects().map((r) => r.STATE)).toEqual(['SUCCEEDED']);
    s.execute('ALTER TASK T1 RESUME');
    expect(() => s.execute("CREATE OR ALTER TASK T1 SCHEDULE = '1 MINUTE' AS CALL WORK()")).toThrow(/not suspended/);
    s.execute("CREATE OR ALTER TASK T2 SCHEDULE = '1 MINUTE' AS CALL WORK()");
    expect(s.execute("SHOW TASKS LIKE 'T2'").objects().map((r) => r.state)).toEqual(['suspended']);
  });

  it('reads OVERLAP_POLICY (ALLOW_ALL_OVERLAP lets a standalone task overlap) and refuses auto-retries it cannot emulate', () => {
    s.execute("CREATE OR ALTER TASK T3 SCHEDULE = '1 MINUTE' OVERLAP_POLICY = ALLOW_ALL_OVERLAP AS CALL WORK()");
    s.execute("CREATE OR ALTER TASK T4 SCHEDULE = '1 MINUTE' OVERLAP_POLICY = ALLOW_CHILD_OVERLAP AS CALL WORK()");
    expect(s.execute("SHOW TASKS LIKE 'T_'").objects().map((r) => [r.name, r.allow_overlapping_execution])).toEqual([
      ['T1', 'false'],
      ['T3', 'true'],
      ['T4', 'false'],
    ]);
    expect(() => s.execute("CREATE OR ALTER TASK T5 SCHEDULE = '1 MINUTE' OVERLAP_POLICY = SOMETIMES AS CALL WORK()")).toThrow(/OVERLAP_POLICY = SOMETIMES[\s\S]*not implemented|not implemented[\s\S]*OVERLAP_POLICY = SOMETIMES/i);
    expect(() => s.execute("CREATE OR ALTER TASK T5 SCHEDULE = '1 MINUTE' TASK_AUTO_RETRY_ATTEMPTS = 2 AS CALL WORK()")).toThrow(/TASK_AUTO_RETRY_ATTEMPTS = 2[\s\S]*does not retry/);
    s.execute("CREATE OR ALTER TASK T5 SCHEDULE = '1 MINUTE' TASK_AUTO_RETRY_ATTEMPTS = 0 AS CALL WORK()");
  });

  it('fails a run that exceeds USER_TASK_TIMEOUT_MS', () => {
    s.execute('CREATE OR REPLACE PROCEDURE SPIN() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ while (true) {} $$');
    s.execute("CREATE OR REPLACE TASK SLOW SCHEDULE = '1 MINUTE' USER_TASK_TIMEOUT_MS = 200 AS CALL SPIN()");
    s.execute('EXECUTE TASK SLOW');
    const [run] = s.execute("SELECT STATE, ERROR_CODE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'SLOW'))").objects();
    expect([run?.STATE, run?.ERROR_CODE]).toEqual(['FAILED', '630']);
  });

  it('runs a CRON schedule on its minutes', () => {
    s.execute('ALTER TASK T1 SUSPEND');
    s.execute("ALTER TASK T1 SET SCHEDULE = 'USING CRON */15 * * * * UTC'");
    s.execute('ALTER TASK T1 RESUME');
    expect(sf.tasks.nextRunOf('T1')?.toISOString()).toBe('2026-05-01T00:15:00.000Z');
  });
});

// A task is a schema object (https://docs.snowflake.com/en/sql-reference/name-resolution: an
// unqualified name in DDL is the current schema's); SHOW TASKS without IN lists the current
// database's, with IN SCHEMA one schema's, sorted by database, schema and name
// (https://docs.snowflake.com/en/sql-reference/sql/show-tasks).
describe('tasks of other schemas', () => {
  beforeEach(() => {
    clock = new ManualClock('2026-05-01T00:00:00Z');
    setup(clock);
  });
  afterEach(() => sf.close());
  const names = (sql: string): unknown[][] => s.execute(sql).rows.map((r) => [r[1], r[3], r[4]]);

  it('belong to their schema: same names apart, SHOW by scope, EXECUTE and DROP by name', () => {
    s.execute('CREATE SCHEMA S');
    s.execute('CREATE TABLE RUNS (N NUMBER, RAN_AT TIMESTAMP_NTZ)');
    s.execute("CREATE TASK T1 SCHEDULE = '1 MINUTE' AS INSERT INTO RUNS VALUES (2, SYSDATE())");
    expect(names('SHOW TASKS')).toEqual([
      ['T1', 'LOCAL', 'PUBLIC'],
      ['T1', 'LOCAL', 'S'],
    ]);
    expect(names('SHOW TASKS IN SCHEMA S')).toEqual([['T1', 'LOCAL', 'S']]);
    expect(names('SHOW TASKS IN SCHEMA LOCAL.PUBLIC')).toEqual([['T1', 'LOCAL', 'PUBLIC']]);
    expect(names("SHOW TASKS LIKE 'x%' IN ACCOUNT")).toEqual([]);
    // Unqualified names in the task's SQL resolve in the task's schema: S.RUNS, not PUBLIC's.
    expect(s.execute('EXECUTE TASK T1').rows).toEqual([['Task T1 is scheduled to run immediately.']]);
    expect(s.execute('SELECT N FROM S.RUNS').rows).toEqual([[2]]);
    expect(s.execute('SELECT COUNT(*) FROM PUBLIC.RUNS').rows).toEqual([[0]]);
    expect(s.execute("SELECT NAME, DATABASE_NAME, SCHEMA_NAME, STATE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T1'))").rows).toEqual([
      ['T1', 'LOCAL', 'S', 'SUCCEEDED'],
    ]);
    s.execute('USE SCHEMA PUBLIC');
    s.execute('DROP TASK S.T1');
    expect(names('SHOW TASKS')).toEqual([['T1', 'LOCAL', 'PUBLIC']]);
    expect(failureOf(s, 'EXECUTE TASK S.T1').message).toMatch(/Task 'T1' does not exist/);
  });

  it('the scheduler runs a resumed task of another schema in that schema', () => {
    s.execute('CREATE SCHEMA S');
    s.execute('CREATE TABLE RUNS (N NUMBER, RAN_AT TIMESTAMP_NTZ)');
    s.execute('USE SCHEMA PUBLIC');
    s.execute("CREATE TASK S.EVERY_MINUTE SCHEDULE = '1 MINUTE' AS INSERT INTO RUNS VALUES (3, SYSDATE())");
    s.execute('ALTER TASK S.EVERY_MINUTE RESUME');
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(1);
    expect(s.execute('SELECT N FROM S.RUNS').rows).toEqual([[3]]);
    expect(s.execute('SELECT COUNT(*) FROM RUNS').rows).toEqual([[0]]);
    expect(failureOf(s, "CREATE TASK NOPE.T SCHEDULE = '1 MINUTE' AS SELECT 1").code).toBe(2003);
    // DROP SCHEMA drops what is in it (https://docs.snowflake.com/en/sql-reference/sql/drop-schema).
    s.execute('DROP SCHEMA S');
    expect(s.execute('SHOW TASKS IN ACCOUNT').rows.map((r) => r[1])).toEqual(['T1']);
    clock.advance(60_000);
    expect(sf.tasks.tick()).toBe(0);
  });
});

describe('no overlapping runs', () => {
  afterEach(() => sf.close());

  it('skips schedule times that pass while a run is still executing', () => {
    // A clock that moves 25 s every time it is read stands in for a slow run.
    let t = Date.parse('2026-05-01T00:00:00Z');
    let step = 0;
    const slow: Clock = {
      now: () => {
        t += step;
        return new Date(t);
      },
    };
    setup(slow);
    s.execute('ALTER TASK T1 RESUME');
    t += 60_000;
    step = 25_000;
    sf.tasks.tick();
    step = 0;
    const h = s.execute(HISTORY).objects();
    const states = h.map((r) => r.STATE);
    expect(states[0]).toBe('SUCCEEDED');
    expect(states.slice(1).length).toBeGreaterThan(0);
    expect(states.slice(1).every((st) => st === 'SKIPPED')).toBe(true);
    // Only one run happened: one row in RUNS.
    expect(s.execute('SELECT COUNT(*) AS N FROM RUNS').rows).toEqual([[1]]);
  });
});

// https://docs.snowflake.com/en/sql-reference/sql/create-task, /alter-task, /drop-task,
// /execute-task, /show-tasks, /desc-task
describe('recognition', () => {
  it('takes the task statements and leaves other objects\' statements', () => {
    expectRecognition(
      tasks,
      ["CREATE TASK T SCHEDULE = '1 MINUTE' AS SELECT 1", "CREATE OR ALTER TASK T SCHEDULE = '1 MINUTE' AS SELECT 1", 'ALTER TASK T RESUME', 'DROP TASK IF EXISTS T', 'EXECUTE TASK T', 'SHOW TASKS', 'DESCRIBE TASK T'],
      ['SHOW ALERTS', 'SELECT * FROM TASKS', 'CREATE TABLE TASK_LOG (A INT)', 'SHOW TABLES'],
    );
  });
});

describe('parsing the task statements', () => {
  it('parses CREATE TASK with its options', () => {
    const { def, orReplace } = parseCreateTask(
      `CREATE OR REPLACE TASK "SYNC_T" WAREHOUSE = COMPUTE_WH SCHEDULE = '1 MINUTE' USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL'
       SUSPEND_TASK_AFTER_NUM_FAILURES = 3 ERROR_INTEGRATION = MY_INT COMMENT = 'sync' AS CALL SYNC_PROC()`,
    );
    expect(orReplace).toBe(true);
    expect(def).toMatchObject({
      name: 'SYNC_T',
      warehouse: 'COMPUTE_WH',
      schedule: '1 MINUTE',
      suspendAfterFailures: 3,
      errorIntegration: 'MY_INT',
      comment: 'sync',
      definition: 'CALL SYNC_PROC()',
    });
  });

  it('parses ALTER TASK forms', () => {
    expect(parseAlterTask('ALTER TASK IF EXISTS "T" SUSPEND')).toEqual({ name: 'T', ifExists: true, action: 'SUSPEND' });
    expect(parseAlterTask("ALTER TASK t SET SCHEDULE = '5 minute'")).toEqual({ name: 'T', ifExists: false, action: 'SET', options: { SCHEDULE: '5 minute' } });
  });

  it('computes interval and CRON fire times', () => {
    const anchor = new Date('2026-01-01T00:00:00Z');
    expect(nextFireTime(parseSchedule('1 MINUTE'), anchor, anchor).toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(nextFireTime(parseSchedule('30 SECONDS'), new Date('2026-01-01T00:00:45Z'), anchor).toISOString()).toBe('2026-01-01T00:01:00.000Z');
    const cron = parseSchedule('USING CRON */15 * * * * UTC');
    expect(nextFireTime(cron, new Date('2026-01-01T00:07:00Z'), anchor).toISOString()).toBe('2026-01-01T00:15:00.000Z');
    const ny = parseSchedule('USING CRON 0 9 * * MON America/New_York');
    // 2026-01-05 is a Monday; 09:00 in New York is 14:00 UTC in January.
    expect(nextFireTime(ny, new Date('2026-01-01T00:00:00Z'), anchor).toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(() => parseSchedule('every minute')).toThrow(/not implemented/);
  });
});
