/**
 * Tasks: CREATE/ALTER/EXECUTE/SHOW/DROP TASK, and a scheduler that runs started tasks.
 *
 * Emulated (https://docs.snowflake.com/en/user-guide/tasks-intro,
 * https://docs.snowflake.com/en/sql-reference/sql/create-task):
 * - a task is created suspended; RESUME starts it; an interval schedule first fires one interval
 *   after RESUME; a CRON schedule fires on its minutes in its time zone;
 * - a run never overlaps another run of the same task: schedule times that pass while a run is
 *   executing are recorded as SKIPPED (ALLOW_OVERLAPPING_EXECUTION = FALSE, the default);
 * - every run is one TASK_HISTORY row: SCHEDULED_TIME, QUERY_START_TIME, COMPLETED_TIME, STATE
 *   (EXECUTING → SUCCEEDED | FAILED | FAILED_AND_AUTO_SUSPENDED, or SKIPPED), ERROR_CODE,
 *   ERROR_MESSAGE, QUERY_ID, RETURN_VALUE (NULL: only SYSTEM$SET_RETURN_VALUE sets it, and it is
 *   not emulated);
 * - after SUSPEND_TASK_AFTER_NUM_FAILURES consecutive failed runs (default 10, 0 = never) the
 *   task is suspended;
 * - EXECUTE TASK runs the task once now, started or not (synchronously here; Snowflake queues it).
 *
 * Differences: runs happen when `tick()`/`runDue()` is called or the `start()` timer fires, on
 * the runtime's clock; with a driven clock, a jump over several schedule times runs the task
 * once (for the latest one); `speedup` divides interval schedules (not CRON).
 */
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { allowsOverlap, parseAlterTask, parseCreateTask, parseSchedule, type Schedule, type TaskDef } from './compat/tasks.js';
import { normalized } from './sql-text.js';
import { keyParts, type NameContext } from './compat/names.js';
import { status, synthetic, type StatementResult } from './result.js';
import { micros, ScheduledObjectsBase, type ScheduledObjectsHost, type ScheduledState } from './scheduled-objects.js';
import type { SessionHandle } from './host.js';

/** A task's runtime state. */
interface TaskState extends ScheduledState {
  def: TaskDef;
  id: string;
  consecutiveFailures: number;
  lastSuspendedOn: number | null;
  lastSuspendedReason: string | null;
  lastCommittedOn: number | null;
  running: boolean;
}

/** What the scheduler needs from the runtime. */
export interface SchedulerHost extends ScheduledObjectsHost {
  /** A session that runs this task's SQL (logged as `task:NAME`). */
  taskSession(name: string): SessionHandle;
  /** Saves a task definition and state so a file-backed database keeps it. */
  persistTask(name: string, json: string | null): void;
}

/**
 * Other scheduled objects (alerts) that run on the task scheduler's clock: `tick()`,
 * `runDue()` and `start()` drive them too.
 */
export interface ScheduledObjects {
  /** Runs what is due at or before `now`; returns how many runs were made. */
  runDue(now: Date): number;
  /** The real-time timer starts: re-anchor started objects at `now`; `speedup` divides intervals. */
  restart(now: Date, speedup: number): void;
}

/** One row of the local task history (upper-case Snowflake column names). */
export interface TaskRun {
  NAME: string;
  STATE: string;
  SCHEDULED_TIME: Date;
  QUERY_START_TIME: Date | null;
  COMPLETED_TIME: Date | null;
  ERROR_CODE: string | null;
  ERROR_MESSAGE: string | null;
}

/**
 * Runs RESUMEd tasks on schedule and answers the task statements.
 *
 * @example
 * sf.session().execute("ALTER TASK T RESUME");
 * clock.advance(60_000);
 * sf.tasks.tick(); // runs T once
 */
export class TaskScheduler extends ScheduledObjectsBase<TaskState> {
  protected readonly keyword = 'TASK';
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextId = 1;
  private readonly attached: ScheduledObjects[] = [];
  /** Why the real-time scheduler stopped by itself, if it did. */
  lastError: Error | undefined;

  constructor(private readonly host: SchedulerHost) {
    super();
  }

  protected persist(name: string, json: string | null): void {
    this.host.persistTask(name, json);
  }

  protected serialize(task: TaskState): string {
    return JSON.stringify({ ...task, running: false });
  }

  protected schedule(task: TaskState): Schedule | null {
    return task.def.schedule ? parseSchedule(task.def.schedule) : null;
  }

  protected normalize(sql: string): string {
    return normalized(sql);
  }

  protected override revive(saved: TaskState): TaskState {
    return { ...saved, running: false };
  }

  protected execute(task: TaskState, queryId: string, sql: string): StatementResult {
    this.runTask(task, this.host.clock.now().getTime(), 'EXECUTE TASK');
    return status(`Task ${this.shown(task.def.name)} is scheduled to run immediately.`, queryId, sql);
  }

  /** Drives `objects` (alerts) on this scheduler's clock. @internal */
  attach(objects: ScheduledObjects): void {
    this.attached.push(objects);
  }

  protected create(sql: string, queryId: string): StatementResult {
    const { def, orReplace, orAlter, ifNotExists } = parseCreateTask(sql);
    const now = this.host.clock.now().getTime();
    const current = orAlter ? this.objects.get(def.name) : undefined;
    if (current) {
      // CREATE OR ALTER TASK changes the existing task in place: its id, state, history and
      // (for a serverless task) sizing stay; it has ALTER TASK's restrictions, so a started task
      // must be suspended first (https://docs.snowflake.com/en/sql-reference/sql/create-task#create-or-alter-task).
      if (current.state === 'started') {
        throw new LocalSnowflakeError(
          91092,
          '0A000',
          `Unable to update graph with root task ${this.shown(current.def.name)} since that root task is not suspended. Run ALTER TASK ${this.shown(current.def.name)} SUSPEND first.`,
          sql,
        );
      }
      current.def = def;
      current.lastCommittedOn = now;
      this.save(current);
      return status('Statement executed successfully.', queryId, sql);
    }
    const check = this.checkCreate(def.name, orReplace, ifNotExists, queryId, sql);
    if ('done' in check) return check.done;
    const task: TaskState = {
      def,
      id: check.existing?.id ?? `01local-task-${this.nextId++}`,
      // A new (or replaced) task is always created suspended.
      state: 'suspended',
      createdOn: now,
      anchor: now,
      nextRun: null,
      consecutiveFailures: 0,
      lastSuspendedOn: null,
      lastSuspendedReason: null,
      lastCommittedOn: now,
      running: false,
    };
    return this.created(task, queryId, sql);
  }

  protected alter(sql: string, queryId: string): StatementResult {
    const a = parseAlterTask(sql);
    if (!a) throw notImplemented(`ALTER TASK form "${normalized(sql)}"`, sql);
    if (a.ifExists && !this.objects.has(a.name)) return status('Statement executed successfully.', queryId, sql);
    const task = this.get(a.name, sql);
    const now = this.host.clock.now().getTime();
    if (a.action === 'RESUME') {
      if (!task.def.schedule) throw new LocalSnowflakeError(3120, '0A000', `Task ${this.shown(task.def.name)} has no SCHEDULE and cannot be resumed.`, sql);
      if (task.state !== 'started') {
        task.state = 'started';
        task.anchor = now;
        task.consecutiveFailures = 0;
        task.nextRun = this.next(task, now);
      }
    } else if (a.action === 'SUSPEND') {
      if (task.state !== 'suspended') {
        task.state = 'suspended';
        task.nextRun = null;
        task.lastSuspendedOn = now;
        task.lastSuspendedReason = 'USER_SUSPENDED';
      }
    } else {
      // Snowflake refuses to change a started root task: suspend it first.
      if (task.state === 'started') {
        throw new LocalSnowflakeError(
          91092,
          '0A000',
          `Unable to update graph with root task ${this.shown(task.def.name)} since that root task is not suspended. Run ALTER TASK ${this.shown(task.def.name)} SUSPEND first.`,
          sql,
        );
      }
      if (a.action === 'SET') {
        const o = a.options;
        if (o.SCHEDULE !== undefined) task.def.schedule = o.SCHEDULE;
        if (o.WAREHOUSE !== undefined) task.def.warehouse = o.WAREHOUSE;
        if (o.COMMENT !== undefined) task.def.comment = o.COMMENT;
        if (o.SUSPEND_TASK_AFTER_NUM_FAILURES !== undefined) task.def.suspendAfterFailures = Number(o.SUSPEND_TASK_AFTER_NUM_FAILURES);
        if (o.ERROR_INTEGRATION !== undefined) task.def.errorIntegration = o.ERROR_INTEGRATION;
        if (o.ALLOW_OVERLAPPING_EXECUTION !== undefined || o.OVERLAP_POLICY !== undefined) task.def.allowOverlapping = allowsOverlap(o, sql);
        Object.assign(task.def.options, o);
      } else if (a.action === 'UNSET') {
        for (const key of a.keys) {
          delete task.def.options[key];
          if (key === 'SCHEDULE') task.def.schedule = null;
          if (key === 'COMMENT') task.def.comment = null;
          if (key === 'ERROR_INTEGRATION') task.def.errorIntegration = null;
          if (key === 'SUSPEND_TASK_AFTER_NUM_FAILURES') task.def.suspendAfterFailures = 10;
        }
      }
    }
    task.lastCommittedOn = now;
    this.save(task);
    return status('Statement executed successfully.', queryId, sql);
  }

  protected show(text: string, queryId: string, sql: string, context: NameContext): StatementResult {
    // Sorted by database, schema and name, as SHOW TASKS documents.
    const order = (t: TaskState): string => {
      const k = keyParts(t.def.name);
      return `${k.database}\u0000${k.schema}\u0000${k.name}`;
    };
    const tasks = this.like(text, context, sql).sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
    return this.showRows(tasks, queryId, sql);
  }

  protected showRows(tasks: TaskState[], queryId: string, sql: string): StatementResult {
    // https://docs.snowflake.com/en/sql-reference/sql/show-tasks#output
    const columns = [
      ['created_on', 'TIMESTAMP_LTZ'],
      ['name', 'TEXT'],
      ['id', 'TEXT'],
      ['database_name', 'TEXT'],
      ['schema_name', 'TEXT'],
      ['owner', 'TEXT'],
      ['comment', 'TEXT'],
      ['warehouse', 'TEXT'],
      ['schedule', 'TEXT'],
      ['predecessors', 'TEXT'],
      ['state', 'TEXT'],
      ['definition', 'TEXT'],
      ['condition', 'TEXT'],
      ['allow_overlapping_execution', 'TEXT'],
      ['error_integration', 'TEXT'],
      ['last_committed_on', 'TIMESTAMP_LTZ'],
      ['last_suspended_on', 'TIMESTAMP_LTZ'],
      ['owner_role_type', 'TEXT'],
      ['config', 'TEXT'],
      ['budget', 'TEXT'],
      ['task_relations', 'TEXT'],
      ['last_suspended_reason', 'TEXT'],
    ].map(([name, type]) => ({ name: name as string, type: type as string }));
    const ts = (ms: number | null): bigint | null => (ms === null ? null : BigInt(Math.round(ms)) * 1000n);
    const rows = tasks.map((t) => [
      ts(t.createdOn),
      this.shown(t.def.name),
      t.id,
      keyParts(t.def.name).database,
      keyParts(t.def.name).schema,
      'LOCAL_OWNER',
      t.def.comment,
      t.def.warehouse,
      t.def.schedule,
      '[]',
      t.state,
      t.def.definition,
      null,
      String(t.def.allowOverlapping),
      t.def.errorIntegration ?? 'null',
      ts(t.lastCommittedOn),
      ts(t.lastSuspendedOn),
      'ROLE',
      t.def.options.CONFIG ?? null,
      null,
      '{"Predecessors":[]}',
      t.lastSuspendedReason,
    ]);
    return synthetic(columns, rows, queryId, sql);
  }

  /** Runs every started task whose next schedule time is at or before the clock's now. */
  tick(): number {
    return this.runDue(this.host.clock.now());
  }

  /**
   * Runs every started task whose next schedule time is at or before `now`; returns how many
   * runs were made. A task runs at most once per call.
   */
  runDue(now: Date): number {
    let runs = 0;
    for (const task of [...this.objects.values()]) {
      if (task.state !== 'started' || task.nextRun === null || task.running) continue;
      if (task.nextRun > now.getTime()) continue;
      this.runTask(task, this.latestDue(task, task.nextRun, now.getTime()), 'SCHEDULE');
      runs++;
    }
    // Alerts are evaluated after the tasks due at the same time, so a condition sees their runs.
    for (const objects of this.attached) runs += objects.runDue(now);
    return runs;
  }

  /** Runs due tasks on a timer, in real time; `speedup` divides interval schedules. */
  start(opts: { speedup?: number; pollMs?: number } = {}): void {
    this.stop();
    const speedup = opts.speedup && opts.speedup > 0 ? opts.speedup : 1;
    const now = this.host.clock.now().getTime();
    this.reanchor(now, speedup);
    for (const objects of this.attached) objects.restart(new Date(now), speedup);
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (e) {
        // A failing run is recorded in the history; this is the scheduler itself failing (for
        // example the database was closed under it): stop rather than throw from a timer.
        this.lastError = e instanceof Error ? e : new Error(String(e));
        this.stop();
      }
    }, opts.pollMs ?? 50);
    // Never keep a process alive on its own: the caller decides how long to run.
    this.timer.unref();
  }

  /** Stops the real-time timer (a running task finishes first: runs are synchronous). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One run: an EXECUTING history row, the task's SQL in its own session, then the row closed
   * as SUCCEEDED / FAILED (/ FAILED_AND_AUTO_SUSPENDED), with SKIPPED rows for schedule times
   * that passed meanwhile.
   */
  private runTask(task: TaskState, scheduled: number, from: 'SCHEDULE' | 'EXECUTE TASK'): void {
    // The task's key (its schema's, statements/kind.ts procedureKeyed); history shows its parts.
    const key = task.def.name;
    const { database, schema, name } = keyParts(key);
    task.running = true;
    const started = this.host.clock.now().getTime();
    const runId = `${key}:${scheduled}:${started}`;
    this.host.internal(
      `INSERT INTO sf_local.task_history_log (RUN_KEY, NAME, DATABASE_NAME, SCHEMA_NAME, QUERY_TEXT, STATE, SCHEDULED_TIME, QUERY_START_TIME, ROOT_TASK_ID, GRAPH_VERSION, RUN_ID, SCHEDULED_FROM, ATTEMPT_NUMBER)
       VALUES (?, ?, ?, ?, ?, 'EXECUTING', ?, ?, ?, 1, ?, ?, 1)`,
      [runId, name, database, schema, task.def.definition, micros(scheduled), micros(started), task.id, scheduled, from],
    );
    let state = 'SUCCEEDED';
    let errorCode: string | null = null;
    let errorMessage: string | null = null;
    let queryId: string | null = null;
    try {
      const session = this.host.taskSession(key);
      // USER_TASK_TIMEOUT_MS bounds the run (Snowflake's default is 60 minutes).
      session.timeoutMs = task.def.userTaskTimeoutMs ?? 3_600_000;
      const result = session.execute(task.def.definition);
      queryId = result.queryId;
      task.consecutiveFailures = 0;
    } catch (e) {
      state = 'FAILED';
      errorCode = e instanceof LocalSnowflakeError ? String(e.code) : '100000';
      errorMessage = e instanceof Error ? e.message : String(e);
      task.consecutiveFailures++;
      const limit = task.def.suspendAfterFailures;
      if (from === 'SCHEDULE' && limit > 0 && task.consecutiveFailures >= limit) {
        state = 'FAILED_AND_AUTO_SUSPENDED';
        task.state = 'suspended';
        task.lastSuspendedOn = this.host.clock.now().getTime();
        task.lastSuspendedReason = 'SUSPENDED_DUE_TO_ERRORS';
      }
    } finally {
      task.running = false;
    }
    const completed = this.host.clock.now().getTime();
    if (task.state === 'started' && from === 'SCHEDULE') {
      // Schedule times that passed while this run was executing are skipped, not queued.
      let n = this.next(task, scheduled);
      while (n !== null && n <= completed) {
        this.host.internal(
          `INSERT INTO sf_local.task_history_log (RUN_KEY, NAME, DATABASE_NAME, SCHEMA_NAME, QUERY_TEXT, STATE, SCHEDULED_TIME, COMPLETED_TIME, ROOT_TASK_ID, GRAPH_VERSION, RUN_ID, SCHEDULED_FROM, ATTEMPT_NUMBER, ERROR_MESSAGE)
           VALUES (?, ?, ?, ?, ?, 'SKIPPED', ?, ?, ?, 1, ?, 'SCHEDULE', 1, 'Skipped: the previous run of this task was still executing.')`,
          [`${key}:${n}:skipped`, name, database, schema, task.def.definition, micros(n), micros(n), task.id, n],
        );
        n = this.next(task, n);
      }
      task.nextRun = n;
    } else if (task.state !== 'started') {
      task.nextRun = null;
    }
    this.host.internal(
      `UPDATE sf_local.task_history_log SET STATE = ?, COMPLETED_TIME = ?, ERROR_CODE = ?, ERROR_MESSAGE = ?, QUERY_ID = ?, NEXT_SCHEDULED_TIME = ? WHERE RUN_KEY = ?`,
      [state, micros(completed), errorCode, errorMessage, queryId, task.nextRun === null ? null : micros(task.nextRun), runId],
    );
    this.save(task);
  }
}

/** DDL of the task history the runtime keeps, and the TASK_HISTORY table function over it. */
export function taskHistorySql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS sf_local.task_history_log (
      RUN_KEY VARCHAR PRIMARY KEY, QUERY_ID VARCHAR, NAME VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR,
      QUERY_TEXT VARCHAR, CONDITION_TEXT VARCHAR, STATE VARCHAR, ERROR_CODE VARCHAR, ERROR_MESSAGE VARCHAR,
      SCHEDULED_TIME TIMESTAMPTZ, QUERY_START_TIME TIMESTAMPTZ, NEXT_SCHEDULED_TIME TIMESTAMPTZ, COMPLETED_TIME TIMESTAMPTZ,
      ROOT_TASK_ID VARCHAR, GRAPH_VERSION BIGINT, RUN_ID BIGINT, RETURN_VALUE VARCHAR, SCHEDULED_FROM VARCHAR,
      ATTEMPT_NUMBER BIGINT, CONFIG VARCHAR)`,
    // https://docs.snowflake.com/en/sql-reference/functions/task_history: newest first,
    // RESULT_LIMIT defaults to 100, TASK_NAME is case-insensitive.
    `CREATE OR REPLACE MACRO sf_local.task_history(task_name := NULL, scheduled_time_range_start := NULL,
        scheduled_time_range_end := NULL, result_limit := 100, error_only := FALSE, root_task_id := NULL) AS TABLE
      -- Columns are qualified: a macro parameter (ROOT_TASK_ID) would otherwise shadow its column.
      SELECT h.QUERY_ID, h.NAME, h.DATABASE_NAME, h.SCHEMA_NAME, h.QUERY_TEXT, h.CONDITION_TEXT, h.STATE, h.ERROR_CODE, h.ERROR_MESSAGE, h.SCHEDULED_TIME, h.QUERY_START_TIME, h.NEXT_SCHEDULED_TIME, h.COMPLETED_TIME, h.ROOT_TASK_ID, h.GRAPH_VERSION, h.RUN_ID, h.RETURN_VALUE, h.SCHEDULED_FROM, h.ATTEMPT_NUMBER, h.CONFIG
      FROM sf_local.task_history_log AS h
      WHERE (task_name IS NULL OR upper(h.NAME) = upper(task_name))
        AND (scheduled_time_range_start IS NULL OR h.SCHEDULED_TIME >= scheduled_time_range_start)
        AND (scheduled_time_range_end IS NULL OR h.SCHEDULED_TIME < scheduled_time_range_end)
        AND (root_task_id IS NULL OR h.ROOT_TASK_ID = root_task_id)
        AND (NOT error_only OR h.STATE IN ('FAILED', 'FAILED_AND_AUTO_SUSPENDED'))
      ORDER BY h.SCHEDULED_TIME DESC
      LIMIT result_limit`,
  ];
}
