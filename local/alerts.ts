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
import { nextFireTime } from './compat/tasks.js';
import { canonicalIdentifier, normalized, unquoteString } from './sql-text.js';
import { status, synthetic, type StatementResult } from './result.js';
import type { Clock } from './clock.js';
import type { LocalSession } from './session.js';
import type { ScheduledObjects } from './scheduler.js';

interface AlertState {
  def: AlertDef;
  state: 'started' | 'suspended';
  createdOn: number;
  anchor: number;
  nextRun: number | null;
}

/** What the alert scheduler needs from the runtime. */
export interface AlertHost {
  readonly clock: Clock;
  /** The session an alert's condition and action run in (logged as `alert:NAME`). */
  alertSession(name: string): LocalSession;
  /** Runs bookkeeping SQL on the runtime's own connection (not logged). */
  internal(sql: string, params?: Array<string | number | null | { micros: bigint }>): void;
  /** Saves an alert so a file-backed database keeps it (null: dropped). */
  persistAlert(name: string, json: string | null): void;
}

/** How one evaluation ended (ALERT_HISTORY's STATE). */
export type AlertRunState = 'CONDITION_FALSE' | 'TRIGGERED' | 'CONDITION_FAILED' | 'ACTION_FAILED';

const micros = (ms: number): { micros: bigint } => ({ micros: BigInt(Math.round(ms)) * 1000n });

/**
 * Answers the alert statements and evaluates started alerts when the task scheduler's clock
 * says they are due (it is attached to `sf.tasks`).
 */
export class AlertScheduler implements ScheduledObjects {
  private readonly alerts = new Map<string, AlertState>();
  private speedup = 1;
  private runCount = 0;

  constructor(private readonly host: AlertHost) {}

  /** Restores an alert saved in a database file. @internal */
  restore(name: string, json: string): void {
    this.alerts.set(name, JSON.parse(json) as AlertState);
  }

  /** Alert names, in creation order. */
  names(): string[] {
    return [...this.alerts.keys()];
  }

  /** The state of an alert (`started`/`suspended`), or undefined. */
  stateOf(name: string): 'started' | 'suspended' | undefined {
    return this.alerts.get(name.toUpperCase())?.state;
  }

  /** When a started alert is next evaluated, or null. */
  nextRunOf(name: string): Date | null {
    const a = this.alerts.get(name.toUpperCase());
    return a?.nextRun != null ? new Date(a.nextRun) : null;
  }

  /** Answers CREATE/ALTER/DROP/EXECUTE/SHOW/DESCRIBE ALERT. @internal */
  statement(sql: string, queryId: string): StatementResult {
    const text = normalized(sql).replace(/;$/, '').trim();
    const upper = text.toUpperCase();
    if (upper.startsWith('CREATE')) return this.create(sql, queryId);
    if (upper.startsWith('ALTER')) return this.alter(sql, queryId);
    if (upper.startsWith('SHOW')) return this.show(text, queryId, sql);
    if (upper.startsWith('DESC')) {
      const name = canonicalIdentifier(text.replace(/^DESC(RIBE)?\s+ALERT\s+/i, ''));
      return this.showRows([this.get(name, sql)], queryId, sql);
    }
    const drop = /^DROP ALERT (IF EXISTS )?(.+)$/i.exec(text);
    if (drop) {
      const name = canonicalIdentifier(drop[2] ?? '');
      if (!this.alerts.has(name)) {
        if (drop[1]) return status(`Drop statement executed successfully (${name} already dropped).`, queryId, sql);
        this.get(name, sql);
      }
      this.alerts.delete(name);
      this.host.persistAlert(name, null);
      return status(`${name} successfully dropped.`, queryId, sql);
    }
    const exec = /^EXECUTE ALERT (.+)$/i.exec(text);
    if (exec) {
      const alert = this.get(canonicalIdentifier(exec[1] ?? ''), sql);
      this.evaluate(alert, this.host.clock.now().getTime(), 'EXECUTE ALERT');
      return status('Statement executed successfully.', queryId, sql);
    }
    throw notImplemented(`"${text.split(' ').slice(0, 3).join(' ')}"`, sql);
  }

  private get(name: string, sql: string): AlertState {
    const alert = this.alerts.get(name);
    if (!alert) throw new LocalSnowflakeError(2003, '02000', `SQL compilation error:\nAlert '${name}' does not exist or not authorized.`, sql);
    return alert;
  }

  private create(sql: string, queryId: string): StatementResult {
    const { def, orReplace, ifNotExists } = parseCreateAlert(sql);
    const existing = this.alerts.get(def.name);
    if (existing && ifNotExists) return status(`${def.name} already exists, statement succeeded.`, queryId, sql);
    if (existing && !orReplace) throw new LocalSnowflakeError(2002, '42710', `SQL compilation error:\nObject '${def.name}' already exists.`, sql);
    const now = this.host.clock.now().getTime();
    // "Newly created or cloned alerts are suspended upon creation."
    const alert: AlertState = { def, state: 'suspended', createdOn: now, anchor: now, nextRun: null };
    this.alerts.set(def.name, alert);
    this.save(alert);
    return status(`Alert ${def.name} successfully created.`, queryId, sql);
  }

  private alter(sql: string, queryId: string): StatementResult {
    const a = parseAlterAlert(sql);
    const alert = this.alerts.get(a.name);
    if (!alert) {
      if (a.ifExists) return status('Statement executed successfully.', queryId, sql);
      this.get(a.name, sql);
      throw new Error('unreachable');
    }
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

  private show(text: string, queryId: string, sql: string): StatementResult {
    if (!/^SHOW ALERTS( LIKE '((?:[^']|'')*)')?$/i.test(text)) throw notImplemented(`SHOW ALERTS form "${text}" (only LIKE '…')`, sql);
    const like = /\bLIKE '((?:[^']|'')*)'/i.exec(text);
    let alerts = [...this.alerts.values()];
    if (like) {
      // SHOW … LIKE is case-insensitive, with SQL wildcards.
      const pattern = unquoteString(`'${like[1] ?? ''}'`);
      const re = new RegExp('^' + pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
      alerts = alerts.filter((a) => re.test(a.def.name));
    }
    // "sorted lexicographically by database, schema, and object name"
    alerts.sort((x, y) => (x.def.name < y.def.name ? -1 : x.def.name > y.def.name ? 1 : 0));
    return this.showRows(alerts, queryId, sql);
  }

  private showRows(alerts: AlertState[], queryId: string, sql: string): StatementResult {
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
      a.def.name,
      'LOCAL',
      'PUBLIC',
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

  private next(alert: AlertState, after: number): number {
    const schedule = parseAlertSchedule(alert.def.schedule);
    const effective = schedule.kind === 'interval' ? { kind: 'interval' as const, ms: schedule.ms / this.speedup } : schedule;
    return nextFireTime(effective, new Date(after), new Date(alert.anchor)).getTime();
  }

  private save(alert: AlertState): void {
    this.host.persistAlert(alert.def.name, JSON.stringify(alert));
  }

  /** Evaluates every started alert whose next schedule time is at or before `now`. @internal */
  runDue(now: Date): number {
    let runs = 0;
    for (const alert of [...this.alerts.values()]) {
      if (alert.state !== 'started' || alert.nextRun === null || alert.nextRun > now.getTime()) continue;
      let scheduled = alert.nextRun;
      for (let n = this.next(alert, scheduled); n <= now.getTime(); n = this.next(alert, scheduled)) scheduled = n;
      this.evaluate(alert, scheduled, 'SCHEDULE');
      runs++;
    }
    return runs;
  }

  /** Re-anchors started alerts when the real-time timer starts; `speedup` divides intervals. @internal */
  restart(now: Date, speedup: number): void {
    this.speedup = speedup;
    for (const alert of this.alerts.values()) {
      if (alert.state !== 'started') continue;
      alert.anchor = now.getTime();
      alert.nextRun = this.next(alert, now.getTime());
    }
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
       VALUES (?, ?, 'LOCAL', 'PUBLIC', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        `${alert.def.name}:${scheduled}:${this.runCount}`,
        alert.def.name,
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
