/**
 * Alerts: CREATE/ALTER/EXECUTE/SHOW/DESCRIBE/DROP ALERT, evaluated on the task scheduler's clock.
 *
 * Emulated (https://docs.snowflake.com/en/user-guide/alerts,
 * https://docs.snowflake.com/en/sql-reference/sql/create-alert):
 * - an alert is created suspended; RESUME starts it; a `N MINUTE` schedule first fires N minutes
 *   after RESUME (as a task's interval does); a CRON schedule fires on its minutes;
 * - each evaluation runs the condition query; when it returns at least one row the action runs;
 * - every evaluation is one ALERT_HISTORY row with STATE CONDITION_FALSE, TRIGGERED,
 *   CONDITION_FAILED or ACTION_FAILED, and ERROR_CODE/ERROR_MESSAGE on failure
 *   (https://docs.snowflake.com/en/sql-reference/functions/alert_history);
 * - EXECUTE ALERT evaluates it now, resumed or not, and leaves a suspended alert suspended
 *   (https://docs.snowflake.com/en/sql-reference/sql/execute-alert).
 *
 * Differences: evaluations happen when the task scheduler's `tick()`/`runDue()` is called or its
 * `start()` timer fires, synchronously; a driven clock that jumps over several schedule times
 * evaluates once (for the latest); no SCHEDULED/EXECUTING rows are kept.
 */
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { parseAlterAlert, parseAlertSchedule, parseCreateAlert, type AlertDef } from './compat/alerts.js';
import { normalized } from './sql-text.js';
import { keyParts, type NameContext } from './compat/names.js';
import { status, synthetic, type StatementResult } from './result.js';
import { micros, ScheduledObjectsBase, type ScheduledObjectsHost, type ScheduledState } from './scheduled-objects.js';
import type { Schedule } from './compat/tasks.js';
import type { SessionHandle } from './host.js';
import type { ScheduledObjects } from './scheduler.js';

interface AlertState extends ScheduledState {
  def: AlertDef;
}

/** What the alert scheduler needs from the runtime. */
export interface AlertHost extends ScheduledObjectsHost {
  /** The session an alert's condition and action run in (logged as `alert:NAME`). */
  alertSession(name: string): SessionHandle;
  /** Saves an alert so a file-backed database keeps it (null: dropped). */
  persistAlert(name: string, json: string | null): void;
}

/** How one evaluation ended (ALERT_HISTORY's STATE). */
export type AlertRunState = 'CONDITION_FALSE' | 'TRIGGERED' | 'CONDITION_FAILED' | 'ACTION_FAILED';

/**
 * Answers the alert statements and evaluates started alerts when the task scheduler's clock
 * says they are due (it is attached to `sf.tasks`).
 */
export class AlertScheduler extends ScheduledObjectsBase<AlertState> implements ScheduledObjects {
  protected readonly keyword = 'ALERT';
  private runCount = 0;

  constructor(private readonly host: AlertHost) {
    super();
  }

  protected persist(name: string, json: string | null): void {
    this.host.persistAlert(name, json);
  }

  protected serialize(alert: AlertState): string {
    return JSON.stringify(alert);
  }

  protected schedule(alert: AlertState): Schedule {
    return parseAlertSchedule(alert.def.schedule);
  }

  protected normalize(sql: string): string {
    return normalized(sql).replace(/;$/, '').trim();
  }

  protected execute(alert: AlertState, queryId: string, sql: string): StatementResult {
    this.evaluate(alert, this.host.clock.now().getTime(), 'EXECUTE ALERT');
    return status('Statement executed successfully.', queryId, sql);
  }

  protected create(sql: string, queryId: string): StatementResult {
    const { def, orReplace, ifNotExists } = parseCreateAlert(sql);
    const check = this.checkCreate(def.name, orReplace, ifNotExists, queryId, sql);
    if ('done' in check) return check.done;
    const now = this.host.clock.now().getTime();
    // "Newly created or cloned alerts are suspended upon creation."
    return this.created({ def, state: 'suspended', createdOn: now, anchor: now, nextRun: null }, queryId, sql);
  }

  protected alter(sql: string, queryId: string): StatementResult {
    const a = parseAlterAlert(sql);
    if (a.ifExists && !this.objects.has(a.name)) return status('Statement executed successfully.', queryId, sql);
    const alert = this.get(a.name, sql);
    const now = this.host.clock.now().getTime();
    if (a.action === 'RESUME' && alert.state !== 'started') {
      alert.state = 'started';
      alert.anchor = now;
      alert.nextRun = this.next(alert, now);
    } else if (a.action === 'SUSPEND') {
      alert.state = 'suspended';
      alert.nextRun = null;
    }
    this.save(alert);
    return status('Statement executed successfully.', queryId, sql);
  }

  protected show(text: string, queryId: string, sql: string, context: NameContext): StatementResult {
    if (!/^SHOW ALERTS( LIKE '((?:[^']|'')*)')?( IN .*)?$/i.test(text)) throw notImplemented(`SHOW ALERTS form "${text}" (only LIKE '…' and IN …)`, sql);
    const alerts = this.like(text, context, sql);
    // "sorted lexicographically by database, schema, and object name"
    const by = (a: AlertState): string => {
      const k = keyParts(a.def.name);
      return `${k.database}\u0000${k.schema}\u0000${k.name}`;
    };
    alerts.sort((x, y) => (by(x) < by(y) ? -1 : by(x) > by(y) ? 1 : 0));
    return this.showRows(alerts, queryId, sql);
  }

  protected showRows(alerts: AlertState[], queryId: string, sql: string): StatementResult {
    // https://docs.snowflake.com/en/sql-reference/sql/show-alerts#output
    const columns = [
      ['created_on', 'TIMESTAMP_LTZ'],
      ['name', 'TEXT'],
      ['database_name', 'TEXT'],
      ['schema_name', 'TEXT'],
      ['owner', 'TEXT'],
      ['comment', 'TEXT'],
      ['warehouse', 'TEXT'],
      ['schedule', 'TEXT'],
      ['state', 'TEXT'],
      ['condition', 'TEXT'],
      ['action', 'TEXT'],
      ['owner_role_type', 'TEXT'],
    ].map(([name, type]) => ({ name: name as string, type: type as string }));
    const rows = alerts.map((a) => [
      BigInt(Math.round(a.createdOn)) * 1000n,
      this.shown(a.def.name),
      keyParts(a.def.name).database,
      keyParts(a.def.name).schema,
      'LOCAL_OWNER',
      a.def.comment,
      a.def.warehouse,
      a.def.schedule,
      a.state,
      a.def.condition,
      a.def.action,
      'ROLE',
    ]);
    return synthetic(columns, rows, queryId, sql);
  }

  /** Evaluates every started alert whose next schedule time is at or before `now`. @internal */
  runDue(now: Date): number {
    let runs = 0;
    for (const alert of [...this.objects.values()]) {
      if (alert.state !== 'started' || alert.nextRun === null || alert.nextRun > now.getTime()) continue;
      this.evaluate(alert, this.latestDue(alert, alert.nextRun, now.getTime()), 'SCHEDULE');
      runs++;
    }
    return runs;
  }

  /** Re-anchors started alerts when the real-time timer starts; `speedup` divides intervals. @internal */
  restart(now: Date, speedup: number): void {
    this.reanchor(now.getTime(), speedup);
  }

  /** One evaluation: the condition, then the action if the condition returned a row. */
  private evaluate(alert: AlertState, scheduled: number, from: 'SCHEDULE' | 'EXECUTE ALERT'): AlertRunState {
    const session = this.host.alertSession(alert.def.name);
    let state: AlertRunState = 'CONDITION_FALSE';
    let errorCode: string | null = null;
    let errorMessage: string | null = null;
    let conditionQueryId: string | null = null;
    let actionQueryId: string | null = null;
    const fail = (e: unknown, as: AlertRunState): void => {
      state = as;
      errorCode = e instanceof LocalSnowflakeError ? String(e.code) : '100000';
      errorMessage = e instanceof Error ? e.message : String(e);
    };
    let fired = false;
    try {
      const r = session.execute(alert.def.condition);
      conditionQueryId = r.queryId;
      fired = r.rows.length > 0;
    } catch (e) {
      fail(e, 'CONDITION_FAILED');
    }
    if (fired) {
      try {
        actionQueryId = session.execute(alert.def.action).queryId;
        state = 'TRIGGERED';
      } catch (e) {
        fail(e, 'ACTION_FAILED');
      }
    }
    if (from === 'SCHEDULE' && alert.state === 'started') {
      alert.nextRun = this.next(alert, Math.max(scheduled, this.host.clock.now().getTime()));
      this.save(alert);
    }
    this.runCount++;
    this.host.internal(
      `INSERT INTO sf_local.alert_history_log (RUN_KEY, NAME, DATABASE_NAME, SCHEMA_NAME, CONDITION, CONDITION_QUERY_ID, ACTION, ACTION_QUERY_ID,
         STATE, ERROR_CODE, ERROR_MESSAGE, SCHEDULED_TIME, COMPLETED_TIME, SCHEDULED_FROM)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        `${alert.def.name}:${scheduled}:${this.runCount}`,
        keyParts(alert.def.name).name,
        keyParts(alert.def.name).database,
        keyParts(alert.def.name).schema,
        alert.def.condition,
        conditionQueryId,
        alert.def.action,
        actionQueryId,
        state,
        errorCode,
        errorMessage,
        micros(scheduled),
        micros(this.host.clock.now().getTime()),
        from,
      ],
    );
    return state;
  }
}

/** DDL of the alert history the runtime keeps, and the ALERT_HISTORY table function over it. */
export function alertHistorySql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS sf_local.alerts (NAME VARCHAR PRIMARY KEY, DEF VARCHAR)`,
    `CREATE TABLE IF NOT EXISTS sf_local.alert_history_log (
      RUN_KEY VARCHAR PRIMARY KEY, NAME VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR,
      CONDITION VARCHAR, CONDITION_QUERY_ID VARCHAR, ACTION VARCHAR, ACTION_QUERY_ID VARCHAR,
      STATE VARCHAR, ERROR_CODE VARCHAR, ERROR_MESSAGE VARCHAR,
      SCHEDULED_TIME TIMESTAMPTZ, COMPLETED_TIME TIMESTAMPTZ, SCHEDULED_FROM VARCHAR)`,
    // https://docs.snowflake.com/en/sql-reference/functions/alert_history: newest first,
    // RESULT_LIMIT defaults to 100, ALERT_NAME is case-insensitive.
    `CREATE OR REPLACE MACRO sf_local.alert_history(scheduled_time_range_start := NULL, scheduled_time_range_end := NULL,
        result_limit := 100, alert_name := NULL) AS TABLE
      SELECT h.NAME, h.DATABASE_NAME, h.SCHEMA_NAME, h.CONDITION, h.CONDITION_QUERY_ID, h.ACTION, h.ACTION_QUERY_ID,
        h.STATE, h.ERROR_CODE, h.ERROR_MESSAGE, h.SCHEDULED_TIME, h.COMPLETED_TIME, h.SCHEDULED_FROM
      FROM sf_local.alert_history_log AS h
      WHERE (alert_name IS NULL OR upper(h.NAME) = upper(alert_name))
        AND (scheduled_time_range_start IS NULL OR h.SCHEDULED_TIME >= scheduled_time_range_start)
        AND (scheduled_time_range_end IS NULL OR h.SCHEDULED_TIME < scheduled_time_range_end)
      ORDER BY h.SCHEDULED_TIME DESC
      LIMIT result_limit`,
  ];
}
