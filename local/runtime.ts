/**
 * The embedded Snowflake: one DuckDB database, sessions on it, stored procedures, tasks, the
 * statement log and fault injection.
 */
import { DECLARED_COLUMNS_SQL } from './compat/catalog.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Engine, type WireBind } from './engine.js';
import { clockMicros, SystemClock, type Clock } from './clock.js';
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { FaultInjector, StatementLog } from './instruments.js';
import { setupSql, typedSetupSql } from './compat/functions.js';
import { isCreateProcedure, parseCreateProcedure, type ProcedureDef } from './compat/procedures.js';
import { closingParen, mask, splitTopLevel } from './compat/rewrite.js';
import { transform } from './compat/transform.js';
import { canonicalIdentifier, normalized, splitStatements } from './sql-text.js';
import { status, synthetic, type StatementResult } from './result.js';
import { runProcedure } from './sandbox.js';
import { TaskScheduler, taskHistorySql } from './scheduler.js';
import { AlertScheduler, alertHistorySql } from './alerts.js';
import { callSystem, type RecordedEmail } from './notifications.js';
import { LocalSession, toWireBind, type ExecContext } from './session.js';
import { cellValue, hostDate, SfDate, snowflakeType, zoneOffsetMinutes, type ColumnInfo } from './values.js';
import type { WireCell } from './engine.js';

/** Options of {@link LocalSnowflake.open}. */
export interface LocalSnowflakeOptions {
  /** DuckDB database file; `:memory:` (the default) keeps nothing. */
  path?: string;
  /** The clock behind SYSDATE(), CURRENT_TIMESTAMP() and task schedules. */
  clock?: Clock;
  /**
   * Default session time zone (Snowflake's TIMEZONE parameter). Snowflake's own default is
   * America/Los_Angeles; the local default is the same.
   */
  timezone?: string;
  /** Longest a CALL may run before it fails with a timeout (default 60 s). */
  procedureTimeoutMs?: number;
}

/** What sessions, the sandbox and the scheduler use of the runtime. @internal */
export interface RuntimeHost {
  readonly engine: Engine;
  readonly log: StatementLog;
  readonly faults: FaultInjector;
  readonly tasks: TaskScheduler;
  readonly alerts: AlertScheduler;
  readonly procedureTimeoutMs: number;
  readonly procedures: { create(sql: string, queryId: string): StatementResult; drop(sql: string, queryId: string): StatementResult };
  nextQueryId(): string;
  nowMicros(): bigint;
  /** Table columns whose stored name is not upper-case (created quoted). */
  readonly mixedCaseColumns: ReadonlySet<string>;
  /** Table and view names as stored (case kept). */
  readonly tableNames: ReadonlySet<string>;
  /** Called after DDL, to refresh what the runtime caches from the catalog. */
  catalogChanged(): void;
  callProcedure(session: LocalSession, sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult;
  /** `WITH name AS PROCEDURE … CALL name(…)`: an anonymous procedure, defined for this CALL only. */
  callAnonymous(session: LocalSession, sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult;
  /** `CALL SYSTEM$…`: SYSTEM$SEND_EMAIL is recorded in `emails`; others are not implemented. */
  callSystem(session: LocalSession, sql: string, binds: unknown[], queryId: string): StatementResult;
}

/**
 * A Snowflake-compatible database on one machine.
 *
 * @example
 * const sf = LocalSnowflake.open();
 * sf.executeScript(readFileSync('dist/run_history_log.sql', 'utf8'));
 * sf.session().execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()').rows[0][0];
 * sf.close();
 */
export class LocalSnowflake implements RuntimeHost {
  readonly engine: Engine;
  /** Every statement run, in order, including those issued by procedures and tasks. */
  readonly log = new StatementLog();
  /** Fails chosen statements on purpose. */
  readonly faults = new FaultInjector();
  /** The task scheduler: `tick()`, `runDue(now)`, `start()`, `stop()`. */
  readonly tasks: TaskScheduler;
  /** Alerts, evaluated on the task scheduler's clock (`sf.tasks.tick()` evaluates due alerts too). */
  readonly alerts: AlertScheduler;
  /**
   * Emails `CALL SYSTEM$SEND_EMAIL(…)` would have sent (from alerts, procedures or clients), in
   * order. Nothing is sent.
   */
  readonly emails: RecordedEmail[] = [];
  readonly clock: Clock;
  readonly timezone: string;
  readonly procedureTimeoutMs: number;
  /** Messages procedures wrote with `snowflake.log(level, message)`. */
  readonly procedureLog: Array<{ procedure: string; level: string; message: string }> = [];
  readonly procedures: RuntimeHost['procedures'];
  private readonly internalConnection: number;
  /** @internal */
  mixedCaseColumns: ReadonlySet<string> = new Set();
  /** @internal */
  tableNames: ReadonlySet<string> = new Set();
  private readonly procs = new Map<string, ProcedureDef[]>();
  private readonly taskSessions = new Map<string, LocalSession>();
  private readonly alertSessions = new Map<string, LocalSession>();
  private defaultSession: LocalSession | undefined;
  private sessionCount = 0;
  private queryCount = 0;

  private constructor(opts: LocalSnowflakeOptions) {
    const path = opts.path ?? ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.clock = opts.clock ?? new SystemClock();
    this.timezone = opts.timezone ?? 'America/Los_Angeles';
    this.procedureTimeoutMs = opts.procedureTimeoutMs ?? 60_000;
    this.engine = new Engine(path);
    this.internalConnection = this.engine.connect();
    this.engine.exec(
      this.internalConnection,
      [
        ...setupSql(),
        `CREATE SCHEMA IF NOT EXISTS sf_local`,
        `CREATE TABLE IF NOT EXISTS sf_local.procedures (NAME VARCHAR, ARITY INTEGER, DEF VARCHAR, PRIMARY KEY (NAME, ARITY))`,
        `CREATE TABLE IF NOT EXISTS sf_local.tasks (NAME VARCHAR PRIMARY KEY, DEF VARCHAR)`,
        DECLARED_COLUMNS_SQL,
        ...taskHistorySql(),
        ...alertHistorySql(),
      ].map((sql) => ({ sql })),
      this.nowMicros(),
    );
    try {
      this.engine.exec(this.internalConnection, typedSetupSql().map((sql) => ({ sql })), this.nowMicros());
    } catch {
      // A database file cannot hold typed macros (see typedSetupSql).
    }
    this.procedures = {
      create: (sql, queryId) => this.createProcedure(sql, queryId),
      drop: (sql, queryId) => this.dropProcedure(sql, queryId),
    };
    this.tasks = new TaskScheduler({
      clock: this.clock,
      taskSession: (name) => this.taskSession(name),
      internal: (sql, params) => {
        this.engine.exec(this.internalConnection, [{ sql, params: (params ?? []) as WireBind[] }], this.nowMicros());
      },
      persistTask: (name, json) => {
        const statements = [{ sql: 'DELETE FROM sf_local.tasks WHERE NAME = ?', params: [name] }];
        if (json !== null) statements.push({ sql: 'INSERT INTO sf_local.tasks VALUES (?, ?)', params: [name, json] });
        this.engine.exec(this.internalConnection, statements, this.nowMicros());
      },
    });
    this.alerts = new AlertScheduler({
      clock: this.clock,
      alertSession: (name) => {
        let s = this.alertSessions.get(name);
        if (!s) {
          s = this.session({ name: `alert:${name}` });
          this.alertSessions.set(name, s);
        }
        return s;
      },
      internal: (sql, params) => {
        this.engine.exec(this.internalConnection, [{ sql, params: (params ?? []) as WireBind[] }], this.nowMicros());
      },
      persistAlert: (name, json) => {
        const statements = [{ sql: 'DELETE FROM sf_local.alerts WHERE NAME = ?', params: [name] }];
        if (json !== null) statements.push({ sql: 'INSERT INTO sf_local.alerts VALUES (?, ?)', params: [name, json] });
        this.engine.exec(this.internalConnection, statements, this.nowMicros());
      },
    });
    this.tasks.attach(this.alerts);
    this.restore();
    this.catalogChanged();
  }

  /** @internal */
  catalogChanged(): void {
    const [r] = this.engine.exec(
      this.internalConnection,
      [{ sql: "SELECT DISTINCT column_name FROM duckdb_columns() WHERE NOT internal AND schema_name <> 'sf_local' AND column_name <> upper(column_name)" }],
      this.nowMicros(),
    );
    this.mixedCaseColumns = new Set((r?.rows ?? []).map((row) => String(row[0])));
    const [t] = this.engine.exec(
      this.internalConnection,
      [{ sql: "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name <> 'sf_local' UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name <> 'sf_local'" }],
      this.nowMicros(),
    );
    this.tableNames = new Set((t?.rows ?? []).map((row) => String(row[0])));
  }

  /**
   * Opens (or creates) a local Snowflake. Synchronous: it blocks until DuckDB is ready.
   */
  static open(opts: LocalSnowflakeOptions = {}): LocalSnowflake {
    return new LocalSnowflake(opts);
  }

  /** A new session: its own DuckDB connection and transaction. */
  session(opts: { name?: string; timezone?: string } = {}): LocalSession {
    this.sessionCount++;
    const s = new LocalSession(this, this.engine.connect(), opts.name ?? `session-${this.sessionCount}`);
    s.setTimezone(opts.timezone ?? this.timezone);
    return s;
  }

  /**
   * Runs a script statement by statement (split on `;` outside quotes, `$$…$$` and comments)
   * in `session` (default: one shared session). Stops at the first failure, which is thrown.
   */
  executeScript(sql: string, session?: LocalSession): StatementResult[] {
    const s = session ?? (this.defaultSession ??= this.session({ name: 'script' }));
    const statements = splitStatements(sql);
    return statements.map((statement, i) => {
      try {
        return s.execute(statement);
      } catch (e) {
        if (e instanceof LocalSnowflakeError) {
          // Say which statement of the script failed: scripts are long and generated.
          const head = normalized(statement).slice(0, 80);
          throw new LocalSnowflakeError(e.code, e.state, `${e.message}\n(statement ${i + 1} of ${statements.length} in the script: ${head}${head.length === 80 ? '…' : ''})`, statement);
        }
        throw e;
      }
    });
  }

  /** Stops the scheduler and closes the database. */
  close(): void {
    this.tasks.stop();
    this.engine.close();
  }

  /** @internal */
  nextQueryId(): string {
    this.queryCount++;
    return `01c0ffee-0000-4000-8000-${this.queryCount.toString(16).padStart(12, '0')}`;
  }

  /** @internal */
  nowMicros(): bigint {
    return clockMicros(this.clock);
  }

  /** The procedures defined, by name. */
  procedureNames(): string[] {
    return [...this.procs.keys()];
  }

  private restore(): void {
    const [procs, tasks, alerts] = this.engine.exec(
      this.internalConnection,
      [{ sql: 'SELECT DEF FROM sf_local.procedures' }, { sql: 'SELECT NAME, DEF FROM sf_local.tasks' }, { sql: 'SELECT NAME, DEF FROM sf_local.alerts' }],
      this.nowMicros(),
    );
    for (const [def] of procs?.rows ?? []) this.addProcedure(JSON.parse(String(def)) as ProcedureDef);
    for (const [name, def] of tasks?.rows ?? []) this.tasks.restore(String(name), String(def));
    for (const [name, def] of alerts?.rows ?? []) this.alerts.restore(String(name), String(def));
  }

  private addProcedure(def: ProcedureDef): void {
    const list = (this.procs.get(def.name) ?? []).filter((p) => p.args.length !== def.args.length);
    list.push(def);
    this.procs.set(def.name, list);
  }

  private createProcedure(sql: string, queryId: string): StatementResult {
    if (!isCreateProcedure(sql)) throw notImplemented('this CREATE PROCEDURE form', sql);
    const def = parseCreateProcedure(sql);
    const existing = (this.procs.get(def.name) ?? []).find((p) => p.args.length === def.args.length);
    if (existing && def.ifNotExists) return status(`${def.name} already exists, statement succeeded.`, queryId, sql);
    if (existing && !def.orReplace) throw new LocalSnowflakeError(2002, '42710', `SQL compilation error:\nObject '${def.name}' already exists.`, sql);
    this.addProcedure(def);
    this.engine.exec(
      this.internalConnection,
      [
        { sql: 'DELETE FROM sf_local.procedures WHERE NAME = ? AND ARITY = ?', params: [def.name, def.args.length] },
        { sql: 'INSERT INTO sf_local.procedures VALUES (?, ?, ?)', params: [def.name, def.args.length, JSON.stringify(def)] },
      ],
      this.nowMicros(),
    );
    return status(`Function ${def.name} successfully created.`, queryId, sql);
  }

  private dropProcedure(sql: string, queryId: string): StatementResult {
    // The argument types may have parameters of their own: DROP PROCEDURE P(NUMBER(38,0), VARCHAR).
    const m = /^DROP PROCEDURE (IF EXISTS )?([^(]+)\(([\s\S]*)\)$/i.exec(normalized(sql).replace(/(?:\s*;)+$/, ''));
    if (!m) throw notImplemented('DROP PROCEDURE without an argument type list', sql);
    const name = canonicalIdentifier(m[2] ?? '');
    const arity = splitTopLevel(m[3] ?? '').length;
    const list = this.procs.get(name) ?? [];
    if (!list.some((p) => p.args.length === arity)) {
      if (m[1]) return status('Drop statement executed successfully.', queryId, sql);
      throw new LocalSnowflakeError(2003, '02000', `SQL compilation error:\nProcedure '${name}' does not exist or not authorized.`, sql);
    }
    this.procs.set(name, list.filter((p) => p.args.length !== arity));
    this.engine.exec(this.internalConnection, [{ sql: 'DELETE FROM sf_local.procedures WHERE NAME = ? AND ARITY = ?', params: [name, arity] }], this.nowMicros());
    return status(`${name} successfully dropped.`, queryId, sql);
  }

  private taskSession(name: string): LocalSession {
    let s = this.taskSessions.get(name);
    if (!s) {
      s = this.session({ name: `task:${name}` });
      this.taskSessions.set(name, s);
    }
    return s;
  }

  /** @internal */
  callSystem(session: LocalSession, sql: string, binds: unknown[], queryId: string): StatementResult {
    return callSystem(session, sql, binds, queryId, this.clock.now(), (email) => this.emails.push(email));
  }

  /**
   * CALL name(args): evaluates the arguments in SQL, runs the body in the sandbox, and returns
   * one column named after the procedure. https://docs.snowflake.com/en/sql-reference/sql/call
   * @internal
   */
  /**
   * CALL with an anonymous procedure: `WITH name AS PROCEDURE (args) RETURNS … LANGUAGE JAVASCRIPT
   * AS $$…$$ CALL name(args)`. The procedure exists for this statement only.
   * https://docs.snowflake.com/en/sql-reference/sql/call-with
   * @internal
   */
  callAnonymous(session: LocalSession, sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult {
    const masked = mask(sql);
    const head = /^\s*WITH\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+AS\s+PROCEDURE\b/i.exec(masked);
    const bodyEnd = lastBodyEnd(masked);
    const call = /^\s*CALL\s+/i.exec(masked.slice(bodyEnd));
    if (!head || bodyEnd === 0 || !call) throw notImplemented('this WITH … AS PROCEDURE form (one JavaScript procedure, then CALL)', sql);
    const callAt = bodyEnd + call.index;
    const definition = `CREATE PROCEDURE ${head[1]}${sql.slice(head[0].length, callAt)}`;
    const def = parseCreateProcedure(definition.replace(/[\s;]+$/, ''));
    return this.callProcedure(session, sql.slice(callAt), binds, ctx, queryId, def);
  }

  callProcedure(session: LocalSession, sql: string, binds: unknown[], ctx: ExecContext, queryId: string, anonymous?: ProcedureDef): StatementResult {
    const masked = mask(sql);
    const head = /^\s*CALL\s+/i.exec(masked);
    const open = masked.indexOf('(', head ? head[0].length : 0);
    const close = open < 0 ? -1 : closingParen(masked, open);
    if (!head || close < 0 || masked.slice(close + 1).replace(/;/g, '').trim() !== '') {
      throw notImplemented('this CALL form (CALL name(args) only; no INTO, no anonymous procedures)', sql);
    }
    const name = canonicalIdentifier(sql.slice(head[0].length, open));
    const given = splitTopLevel(sql.slice(open + 1, close));
    const named = given.map((g) => /^("?[A-Za-z_][\w$]*"?)\s*=>\s*([\s\S]+)$/.exec(g));
    const candidates = anonymous && anonymous.name === name ? [anonymous] : (this.procs.get(name) ?? []);
    // The overload taking exactly the given arguments first, then one whose missing arguments have defaults.
    const def =
      candidates.find((p) => p.args.length === given.length) ??
      candidates.find((p) => given.length <= p.args.length && p.args.slice(given.length).every((a) => a.defaultSql !== undefined || named.some(Boolean)));
    if (!def) {
      throw new LocalSnowflakeError(
        2140,
        '42601',
        `SQL compilation error:\nUnknown user-defined function ${name}${candidates.length ? ` taking ${given.length} argument(s)` : ''}.`,
        sql,
      );
    }
    // Argument expressions, in declared order; missing ones take their DEFAULT.
    const exprs = def.args.map((arg, i) => {
      const byName = named.find((m) => m && canonicalIdentifier(m[1] ?? '') === arg.name.toUpperCase());
      if (byName) return byName[2] as string;
      if (named.some(Boolean)) {
        if (arg.defaultSql === undefined) throw new LocalSnowflakeError(1044, '42P13', `SQL compilation error:\nMissing argument ${arg.name} in call to ${name}.`, sql);
        return arg.defaultSql;
      }
      return given[i] ?? (arg.defaultSql as string);
    });
    let args: unknown[] = [];
    if (exprs.length > 0) {
      // A NUMBER(p,s) argument is that number, rounded to its scale (2.7 passed as NUMBER is 3).
      const cast = exprs.map((e, i) => {
        const scale = numberScale(def.args[i]?.type ?? '');
        return scale === undefined ? e : `CAST((${e}) AS DECIMAL(38,${scale}))`;
      });
      const wire = session.engineRun([{ sql: transform(`SELECT ${cast.join(', ')}`), params: binds.map(toWireBind) }], sql)[0];
      const row = wire?.rows[0] ?? [];
      args = def.args.map((arg, i) => argValue(row[i] ?? null, wire?.columns[i] ? snowflakeType(wire.columns[i]) : { type: 'TEXT', scale: 0 }, arg.type));
    }
    // STRICT: the body does not run and the CALL returns NULL.
    if (def.strict && args.some((a) => a === null)) return callResult(name, { ...def, returnsNotNull: false }, null, queryId, sql);
    // A task's USER_TASK_TIMEOUT_MS (set on its session) caps the runtime-wide limit.
    const limit = Math.min(this.procedureTimeoutMs, session.timeoutMs ?? Infinity, ctx.procedure ? Math.max(0, ctx.procedure.deadline - Date.now()) : Infinity);
    const procedure = { name, executeAs: def.executeAs, deadline: Date.now() + limit, limitMs: limit };
    const inner: ExecContext = { callDepth: ctx.callDepth + 1, procedure };
    const started = session.callStarted();
    let value: unknown;
    try {
      value = runProcedure(
        { name, argNames: def.args.map((a) => a.name), body: def.body },
        args,
        {
          execute: (text, b) => session.run(text, b, inner),
          log: (level, message) => {
            this.procedureLog.push({ procedure: name, level, message });
          },
          tzOffset: (epochMs) => zoneOffsetMinutes(session.timezone, epochMs),
        },
        limit,
      );
    } catch (e) {
      session.callEnded(procedure, started, true);
      if (inner.procedure?.killed) throw inner.procedure.killed;
      throw e;
    }
    // A transaction the procedure began must end in it (scoped transactions).
    const leftOpen = session.callEnded(procedure, started, Boolean(inner.procedure?.killed));
    if (leftOpen && !inner.procedure?.killed) {
      throw new LocalSnowflakeError(leftOpen.code, leftOpen.state, `Execution error in store procedure ${name}:\n${leftOpen.message}`, sql);
    }
    // A killed CALL fails even when the body caught every error.
    if (inner.procedure?.killed) throw inner.procedure.killed;
    return callResult(name, def, value, queryId, sql);
  }
}

/** Where the procedure body (`$$…$$` or `'…'`, masked) of an anonymous procedure ends. */
function lastBodyEnd(masked: string): number {
  const dollar = masked.indexOf('$$');
  if (dollar >= 0) {
    const end = masked.indexOf('$$', dollar + 2);
    return end < 0 ? masked.length : end + 2;
  }
  const as = /\bAS\s*'/i.exec(masked);
  if (!as) return 0;
  const open = as.index + as[0].length - 1;
  const end = masked.indexOf("'", open + 1);
  return end < 0 ? masked.length : end + 1;
}

/** An argument as the body sees it, per its declared type. */
function argValue(cell: WireCell, actual: { type: string; scale: number }, declared: string): unknown {
  const column: ColumnInfo = { name: '', type: actual.type, scale: actual.scale, nullable: true };
  const value = cellValue(cell, column, hostDate);
  if (value === null) return null;
  const t = declared.replace(/\(.*$/, '').trim();
  if (/^(FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL|NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(t)) return Number(value);
  if (/^(VARCHAR|STRING|TEXT|CHAR|CHARACTER)$/.test(t)) return value instanceof Date ? cellTextFallback(cell, column) : String(value);
  if (t === 'BOOLEAN') return typeof value === 'string' ? /^(true|t|yes|y|on|1)$/i.test(value) : Boolean(value);
  if (/^(VARIANT|OBJECT|ARRAY)$/.test(t) && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function cellTextFallback(cell: WireCell, column: ColumnInfo): string {
  return String(cellValue(cell, column, hostDate));
}

/**
 * The CALL's single row: the return value converted to the declared return type
 * (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#sql-and-javascript-data-type-mapping).
 * A Date returned for a TIMESTAMP or DATE return type is that instant (or day), not its text.
 */
function callResult(name: string, def: ProcedureDef, value: unknown, queryId: string, sql: string): StatementResult {
  const t = def.returns.replace(/\(.*$/, '').trim();
  let type = sqlReturnType(t);
  let cell: WireCell = null;
  let scale = 0;
  if (value !== undefined && value !== null) {
    const date = value instanceof Date ? value : undefined;
    const micros = date ? (date instanceof SfDate ? date.micros : BigInt(date.getTime()) * 1000n) : undefined;
    if (/^(VARIANT|OBJECT|ARRAY)$/.test(t)) {
      cell = JSON.stringify(value);
    } else if (type === 'NUMBER') {
      // NUMBER(p,s) keeps s decimals, rounding half away from zero (a NUMBER is NUMBER(38,0)).
      const factor = 10 ** (numberScale(def.returns) ?? 0);
      const n = Number(value);
      cell = Number.isFinite(n) ? (Math.sign(n) * Math.round(Math.abs(n) * factor)) / factor : n;
      scale = numberScale(def.returns) ?? 0;
    } else if (type === 'FLOAT') {
      cell = Number(value);
    } else if (type === 'BOOLEAN') {
      cell = Boolean(value);
    } else if (type === 'DATE' && micros !== undefined) {
      cell = Number(micros / 86_400_000_000n - (micros % 86_400_000_000n < 0n ? 1n : 0n));
    } else if (type.startsWith('TIMESTAMP') && micros !== undefined) {
      cell = micros;
    } else {
      type = type === 'DATE' || type.startsWith('TIMESTAMP') ? 'TEXT' : type;
      cell = typeof value === 'object' && !date ? JSON.stringify(value) : String(value);
    }
  } else if (def.returnsNotNull) {
    throw new LocalSnowflakeError(100132, 'P0000', `Execution error in store procedure ${name}: NULL result in a non-nullable column`, sql);
  }
  return synthetic([{ name, type, scale }], [[cell]], queryId, sql);
}

/** The scale of a declared NUMBER-family type (`NUMBER(10,2)` → 2, `INT` → 0); undefined for other types. */
function numberScale(declared: string): number | undefined {
  const m = /^\s*(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)\b\s*(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?/i.exec(declared);
  if (!m) return undefined;
  return m[2] === undefined ? 0 : Number(m[2]);
}

/** The result column's type for a declared return type. */
function sqlReturnType(t: string): string {
  if (/^(VARIANT|OBJECT|ARRAY)$/.test(t)) return t;
  if (/^(FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL)$/.test(t)) return 'FLOAT';
  if (/^(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(t)) return 'NUMBER';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'DATE') return 'DATE';
  if (/^(TIMESTAMP_LTZ|TIMESTAMPLTZ|TIMESTAMP WITH LOCAL TIME ZONE)$/.test(t)) return 'TIMESTAMP_LTZ';
  if (/^(TIMESTAMP_TZ|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/.test(t)) return 'TIMESTAMP_LTZ';
  if (/^(TIMESTAMP|TIMESTAMP_NTZ|TIMESTAMPNTZ|DATETIME|TIMESTAMP WITHOUT TIME ZONE)$/.test(t)) return 'TIMESTAMP_NTZ';
  return 'TEXT';
}
