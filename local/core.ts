/**
 * The embedded Snowflake: one DuckDB database, sessions on it, stored procedures, tasks, the
 * statement log and fault injection.
 */
import { DECLARED_COLUMNS_SQL } from './compat/catalog.js';
import type { TimestampColumns } from './compat/timestamp-targets.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Engine, type WireBind } from './engine.js';
import { clockMicros, SystemClock, type Clock } from './clock.js';
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { FaultInjector, StatementLog } from './instruments.js';
import { setupSql, typedSetupSql } from './compat/functions.js';
import { isCreateProcedure, parseCreateProcedure, type ProcedureDef } from './compat/procedures.js';
import { splitTopLevel } from './compat/rewrite.js';
import { canonicalIdentifier, normalized } from './sql-text.js';
import { DEFAULT_DATABASE, DEFAULT_SCHEMA, keyParts, MAIN_SCHEMA, snowflakeSchemaOf, tableKey, type LocalCatalog } from './compat/names.js';
import { status, type StatementResult } from './result.js';
import { TaskScheduler, taskHistorySql } from './scheduler.js';
import { AlertScheduler, alertHistorySql } from './alerts.js';
import { callSystem, type RecordedEmail } from './notifications.js';
import { LocalSession } from './session.js';
import type { HybridTableIndexes, RuntimeHost, SessionInternals } from './host.js';

/** Options of `LocalSnowflake.open`. */
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

/**
 * Functions whose value differs each time a statement runs, in DuckDB's text of a statement: a
 * statement writing with one cannot be replayed exactly (statements/transactions.ts). The
 * runtime's own clock (SYSDATE(), CURRENT_TIMESTAMP(), …) reads a variable set per statement,
 * which a replay sets again; DuckDB's own clock functions read the transaction's start. A
 * runtime macro wrapping one is named SF_… (RANDOM() is SF_RANDOM()).
 */
const VOLATILE =
  /\b(?:sf_)?(nextval|currval|random|uuid|uuid_string|gen_random_uuid|uuidv4|uuidv7|setseed|randstr|uniform|normal|zipf|seq1|seq2|seq4|seq8|now|get_current_timestamp|get_current_time|transaction_timestamp|current_localtimestamp|current_localtime|today)\s*\(|\b(current_time)\b(?!\s*\()/i;

/**
 * The runtime behind `LocalSnowflake` (runtime.ts): what sessions, statement kinds, the sandbox
 * and the schedulers reach through {@link RuntimeHost}. Not part of the public API.
 */
export class Runtime implements RuntimeHost {
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
  mixedCaseColumns: ReadonlySet<string> = new Set();
  columnNames: ReadonlySet<string> = new Set();
  tableNames: ReadonlySet<string> = new Set();
  hybridTables: ReadonlyMap<string, HybridTableIndexes> = new Map();
  timestampColumns: ReadonlyMap<string, TimestampColumns> = new Map();
  catalog: LocalCatalog = { catalogName: 'memory', databases: new Set(), schemas: new Set([MAIN_SCHEMA]), tablesBySchema: new Map() };
  /** DuckDB's name for the database's one catalog, for fully qualified names. */
  private readonly catalogName: string;
  private readonly procs = new Map<string, ProcedureDef[]>();
  private readonly taskSessions = new Map<string, LocalSession>();
  private readonly alertSessions = new Map<string, LocalSession>();
  private sessionCount = 0;
  private queryCount = 0;
  /** See RuntimeHost.commits. */
  commits = 0;
  /** Tables with a column default that gives new values each time (AUTOINCREMENT, …), as a pattern on statement text. */
  private volatileDefaults: { pattern: RegExp; tables: string[] } | undefined;

  constructor(opts: LocalSnowflakeOptions) {
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
        `CREATE TABLE IF NOT EXISTS sf_local.hybrid_tables (NAME VARCHAR PRIMARY KEY)`,
        // Databases other than LOCAL (CREATE DATABASE); their schemas are DuckDB schemas "DB.SCHEMA" (compat/names.ts).
        `CREATE TABLE IF NOT EXISTS sf_local.databases (NAME VARCHAR PRIMARY KEY)`,
        DECLARED_COLUMNS_SQL,
        ...taskHistorySql(),
        ...alertHistorySql(),
      ].map((sql) => ({ sql })),
      this.nowMicros(),
    );
    const [catalog] = this.engine.exec(this.internalConnection, [{ sql: 'SELECT database_name FROM duckdb_databases() WHERE NOT internal' }], this.nowMicros());
    this.catalogName = String(catalog?.rows[0]?.[0] ?? 'memory');
    try {
      this.engine.exec(this.internalConnection, typedSetupSql().map((sql) => ({ sql })), this.nowMicros());
    } catch {
      // A database file cannot hold typed macros (see typedSetupSql).
    }
    this.procedures = {
      overloads: (name) => this.procs.get(name) ?? [],
      create: (sql, queryId) => this.createProcedure(sql, queryId),
      drop: (sql, queryId) => this.dropProcedure(sql, queryId),
      dropIn: (prefix) => {
        if (prefix === '') return;
        for (const name of [...this.procs.keys()]) if (name.startsWith(prefix)) this.procs.delete(name);
        this.internalWrite([{ sql: 'DELETE FROM sf_local.procedures WHERE starts_with(NAME, ?)', params: [prefix] }]);
      },
    };
    this.tasks = new TaskScheduler({
      clock: this.clock,
      taskSession: (name) => this.taskSession(name),
      internal: (sql, params) => {
        this.internalWrite([{ sql, params: (params ?? []) as WireBind[] }]);
      },
      persistTask: (name, json) => {
        const statements = [{ sql: 'DELETE FROM sf_local.tasks WHERE NAME = ?', params: [name] }];
        if (json !== null) statements.push({ sql: 'INSERT INTO sf_local.tasks VALUES (?, ?)', params: [name, json] });
        this.internalWrite(statements);
      },
    });
    this.alerts = new AlertScheduler({
      clock: this.clock,
      alertSession: (name) => this.scheduledSession(this.alertSessions, 'alert', name),
      internal: (sql, params) => {
        this.internalWrite([{ sql, params: (params ?? []) as WireBind[] }]);
      },
      persistAlert: (name, json) => {
        const statements = [{ sql: 'DELETE FROM sf_local.alerts WHERE NAME = ?', params: [name] }];
        if (json !== null) statements.push({ sql: 'INSERT INTO sf_local.alerts VALUES (?, ?)', params: [name, json] });
        this.internalWrite(statements);
      },
    });
    this.tasks.attach(this.alerts);
    this.restore();
    this.catalogChanged();
  }

  catalogChanged(): void {
    const inCatalog = `database_name = '${this.catalogName.replace(/'/g, "''")}' AND schema_name <> 'sf_local'`;
    const [c, t, h, k, i, sc, db, tc, tx, d] = this.engine.exec(
      this.internalConnection,
      [
        { sql: `SELECT DISTINCT column_name FROM duckdb_columns() WHERE NOT internal AND ${inCatalog}` },
        { sql: `SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal AND ${inCatalog} UNION SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND ${inCatalog}` },
        { sql: 'SELECT NAME FROM sf_local.hybrid_tables' },
        {
          sql:
            "SELECT schema_name, table_name, constraint_type, array_to_string(constraint_column_names, chr(1)) FROM duckdb_constraints() " +
            `WHERE ${inCatalog} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY schema_name, table_name, constraint_index`,
        },
        { sql: `SELECT schema_name, table_name, index_name, array_to_string(expressions, chr(1)) FROM duckdb_indexes() WHERE ${inCatalog} ORDER BY schema_name, table_name, index_name` },
        { sql: `SELECT schema_name FROM duckdb_schemas() WHERE ${inCatalog}` },
        { sql: 'SELECT NAME FROM sf_local.databases' },
        {
          sql:
            `SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal AND ${inCatalog} ` +
            `AND (schema_name, table_name) IN (SELECT (schema_name, table_name) FROM duckdb_columns() WHERE NOT internal AND ${inCatalog} AND data_type LIKE 'TIMESTAMP%') ` +
            'ORDER BY schema_name, table_name, column_index',
        },
        { sql: `SELECT DISTINCT column_name FROM duckdb_columns() WHERE NOT internal AND ${inCatalog} AND data_type IN ('VARCHAR', 'JSON')` },
        { sql: `SELECT DISTINCT table_name, column_default FROM duckdb_columns() WHERE NOT internal AND ${inCatalog} AND column_default IS NOT NULL` },
      ],
      this.nowMicros(),
    );
    const volatile = [...new Set((d?.rows ?? []).filter(([, def]) => VOLATILE.test(String(def))).map(([table]) => String(table)))];
    this.volatileDefaults =
      volatile.length === 0
        ? undefined
        : { tables: volatile, pattern: new RegExp(`(?<![\\w$])(${volatile.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w$])`, 'i') };
    const columns = (c?.rows ?? []).map((row) => String(row[0]));
    this.columnNames = new Set(columns);
    this.mixedCaseColumns = new Set(columns.filter((name) => name !== name.toUpperCase()));
    const bySchema = new Map<string, Set<string>>();
    const keys = new Set<string>();
    for (const [schema, name] of t?.rows ?? []) {
      const set = bySchema.get(String(schema)) ?? new Set<string>();
      set.add(String(name));
      bySchema.set(String(schema), set);
      keys.add(tableKey(String(schema), String(name)));
    }
    this.tableNames = new Set([...bySchema.values()].flatMap((set) => [...set]));
    const textColumns = new Set((tx?.rows ?? []).map((row) => String(row[0])));
    const mayBeText = (column: string): boolean => textColumns.has(column) || textColumns.has(column.toUpperCase());
    const timestamps = new Map<string, { columns: string[]; kinds: Map<string, 'NTZ' | 'LTZ'>; mayBeText: (column: string) => boolean }>();
    for (const [schema, table, column, type] of tc?.rows ?? []) {
      const key = tableKey(String(schema), String(table));
      const entry = timestamps.get(key) ?? { columns: [], kinds: new Map<string, 'NTZ' | 'LTZ'>(), mayBeText };
      entry.columns.push(String(column));
      if (/^TIMESTAMP WITH TIME ZONE$/.test(String(type))) entry.kinds.set(String(column), 'LTZ');
      else if (/^TIMESTAMP(?:_NS)?$/.test(String(type))) entry.kinds.set(String(column), 'NTZ');
      timestamps.set(key, entry);
    }
    this.timestampColumns = timestamps;
    this.catalog = {
      catalogName: this.catalogName,
      databases: new Set((db?.rows ?? []).map((row) => String(row[0]))),
      schemas: new Set((sc?.rows ?? []).map((row) => String(row[0]))),
      tablesBySchema: bySchema,
    };
    // Hybrid tables by key (tableKey): the bare name in LOCAL.PUBLIC, which the audit looks up.
    const hybrid = new Map<string, HybridTableIndexes>();
    const display = (schema: string, name: string): string => {
      if (schema === MAIN_SCHEMA) return name;
      const sf = snowflakeSchemaOf(schema);
      return `${sf.database}.${sf.schema}.${name}`;
    };
    for (const [key] of h?.rows ?? []) {
      if (!keys.has(String(key))) continue;
      const [schema, name] = String(key).includes('\u001f') ? (String(key).split('\u001f') as [string, string]) : [MAIN_SCHEMA, String(key)];
      hybrid.set(String(key), { table: display(schema, name), indexes: [] });
    }
    for (const [schema, table, type, cols] of k?.rows ?? []) {
      const columnsOf = String(cols).split('\u0001');
      hybrid.get(tableKey(String(schema), String(table)))?.indexes.push({ name: type === 'PRIMARY KEY' ? 'PRIMARY KEY' : `UNIQUE (${columnsOf.join(', ')})`, columns: columnsOf });
    }
    for (const [schema, table, index, exprs] of i?.rows ?? []) {
      // Index names are prefixed with their table (compat/ddl.ts); expressions are column names, maybe quoted.
      const name = String(index).startsWith(`${String(table)}__`) ? String(index).slice(String(table).length + 2) : String(index);
      const columnsOf = String(exprs).split('\u0001').map((e) => canonicalIdentifier(e.replace(/^'|'$/g, '')));
      hybrid.get(tableKey(String(schema), String(table)))?.indexes.push({ name, columns: columnsOf });
    }
    this.hybridTables = hybrid;
  }

  committed(): void {
    this.commits++;
  }

  readonly sessions = new Set<SessionInternals>();

  sessionClosed(session: SessionInternals): void {
    this.sessions.delete(session);
  }

  replayHazard(duckSql: string): string | undefined {
    const f = VOLATILE.exec(duckSql);
    if (f) return `it wrote with ${(f[1] ?? f[2] ?? '').toUpperCase()}(), which gives a new value each time it runs`;
    const t = this.volatileDefaults?.pattern.exec(duckSql);
    if (t) {
      const name = this.volatileDefaults?.tables.find((n) => n.toLowerCase() === (t[1] ?? '').toLowerCase()) ?? t[1] ?? '';
      return `it wrote to table ${name}, whose column default (AUTOINCREMENT, a sequence, a random value) gives a new value each time`;
    }
    return undefined;
  }

  /** Runs the runtime's own writes (sf_local) on its connection; they count as commits. */
  private internalWrite(statements: Array<{ sql: string; params?: WireBind[] }>): void {
    this.engine.exec(this.internalConnection, statements, this.nowMicros());
    this.commits++;
  }

  setHybrid(table: string, hybrid: boolean): void {
    const statements = [{ sql: 'DELETE FROM sf_local.hybrid_tables WHERE NAME = ?', params: [table] }];
    if (hybrid) statements.push({ sql: 'INSERT INTO sf_local.hybrid_tables VALUES (?)', params: [table] });
    this.internalWrite(statements);
  }

  procedureLogged(procedure: string, level: string, message: string): void {
    this.procedureLog.push({ procedure, level, message });
  }


  /** A new session: its own DuckDB connection and transaction. */
  session(opts: { name?: string; timezone?: string } = {}): LocalSession {
    this.sessionCount++;
    const s = new LocalSession(this, this.engine.connect(), opts.name ?? `session-${this.sessionCount}`, this.sessionCount);
    this.sessions.add(s);
    s.setTimezone(opts.timezone ?? this.timezone);
    return s;
  }

  /** Stops the scheduler and closes the database. */
  close(): void {
    this.tasks.stop();
    this.engine.close();
  }

  nextQueryId(): string {
    this.queryCount++;
    return `01c0ffee-0000-4000-8000-${this.queryCount.toString(16).padStart(12, '0')}`;
  }

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
    this.internalWrite([
      { sql: 'DELETE FROM sf_local.procedures WHERE NAME = ? AND ARITY = ?', params: [def.name, def.args.length] },
      { sql: 'INSERT INTO sf_local.procedures VALUES (?, ?, ?)', params: [def.name, def.args.length, JSON.stringify(def)] },
    ]);
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
    this.internalWrite([{ sql: 'DELETE FROM sf_local.procedures WHERE NAME = ? AND ARITY = ?', params: [name, arity] }]);
    return status(`${name} successfully dropped.`, queryId, sql);
  }

  private taskSession(name: string): LocalSession {
    return this.scheduledSession(this.taskSessions, 'task', name);
  }

  /**
   * The session a task or alert runs in, by its key (statements/kind.ts procedureKeyed), with the
   * object's database and schema current, so the names its SQL leaves unqualified resolve there.
   */
  private scheduledSession(sessions: Map<string, LocalSession>, kind: 'task' | 'alert', key: string): LocalSession {
    let s = sessions.get(key);
    if (!s) {
      s = this.session({ name: `${kind}:${key}` });
      const { database, schema } = keyParts(key);
      if (database !== DEFAULT_DATABASE || schema !== DEFAULT_SCHEMA) {
        const q = (part: string): string => `"${part.replace(/"/g, '""')}"`;
        s.execute(`USE SCHEMA ${q(database)}.${q(schema)}`);
      }
      sessions.set(key, s);
    }
    return s;
  }

  callSystem(session: SessionInternals, sql: string, binds: unknown[], queryId: string): StatementResult {
    return callSystem(session, sql, binds, queryId, this.clock.now(), (email) => this.emails.push(email));
  }
}
