/**
 * The interfaces between the runtime's parts, in one module that imports no implementation, so
 * that nothing in local/ imports in a cycle (test/local/import-cycles.test.ts): the runtime
 * (`core.ts`) implements {@link RuntimeHost}, the session implements {@link SessionInternals},
 * and the statement kinds (`statements/`), the scheduler, alerts and instruments see only these.
 */
import type { Engine, WireBind, WireResult } from './engine.js';
import type { LocalSnowflakeError } from './errors.js';
import type { StatementResult } from './result.js';
import type { ProcedureDef } from './compat/procedures.js';
import type { LocalCatalog, NameContext, Qualified } from './compat/names.js';
import type { TimestampColumns } from './compat/timestamp-targets.js';

/** One executed statement (including those a procedure or a task issues). */
export interface LogEntry {
  /** Order of execution across all sessions, from 1. */
  seq: number;
  /** The session's name (`task:NAME` for task runs). */
  session: string;
  /** The statement as the caller wrote it (before any compatibility rewrite). */
  sql: string;
  binds: unknown[];
  /** Rows in the result (for DML, the single row of counts). */
  rows: number;
  /** Rows inserted + updated + deleted. */
  rowsAffected: number;
  durationMs: number;
  /** 0 for a statement sent by a client; 1 inside a procedure called by it; and so on. */
  callDepth: number;
  queryId: string;
  /** Set when the statement failed. */
  error?: { code: number; state: string; message: string };
  /**
   * For a statement that reads or writes a hybrid table: each access to one, and whether it is
   * index-eligible by Snowflake's rule (see `index-eligibility.ts`).
   */
  hybridAccess?: HybridAccess[];
}

/** One access of a statement to a hybrid table. */
export interface HybridAccess {
  table: string;
  /** What the statement does there: reads (FROM/JOIN/USING, UPDATE/DELETE/MERGE targets) or inserts rows (INSERT … VALUES or SELECT). */
  kind: 'read' | 'insert';
  /**
   * Index-eligible: a predicate compares the leading column of the primary key or of a secondary
   * index with a constant or bind (`=`, `<`, `<=`, `>`, `>=`, `IN (list)`, `BETWEEN`), or the
   * access reads no row (`LIMIT 0`) or only inserts.
   */
  eligible: boolean;
  /** The index it would use (`PRIMARY KEY`, `UNIQUE (…)` or the secondary index's name), when eligible by a predicate. */
  index?: string;
  /** The predicate that makes it eligible (or why it needs none). */
  predicate?: string;
  /**
   * Eligible by a join: the leading key column equals a column of the other side of a JOIN or
   * MERGE (one keyed lookup per row of that side), which the documentation's rule (constants and
   * binds) does not name.
   */
  byJoin?: boolean;
}

/** What the scheduler, alerts and instruments use of a session. */
export interface SessionHandle {
  readonly name: string;
  /** Longest a CALL from this session may run (tasks set their USER_TASK_TIMEOUT_MS here). */
  timeoutMs: number | undefined;
  execute(sql: string, binds?: unknown[]): StatementResult;
}

/** How a statement came to run: from a client, or from inside a procedure. */
export interface ExecContext {
  /** 0 for a client statement, n inside the n-th nested CALL. */
  callDepth: number;
  /** Set while a procedure runs. */
  procedure?: {
    name: string;
    executeAs: string;
    /** Epoch ms after which statements fail with a timeout. */
    deadline: number;
    /** The time limit the deadline came from, for the error message. */
    limitMs: number;
    /** Set when an injected kill ended this CALL: every later statement fails with it. */
    killed?: LocalSnowflakeError;
  };
}

/**
 * One open transaction. Snowflake scopes transactions to the CALL that began them: a BEGIN in a
 * procedure while a transaction of another scope is open starts a separate ("autonomous scoped")
 * transaction, which here runs on a connection of its own; statements go to the innermost open
 * transaction. https://docs.snowflake.com/en/sql-reference/transactions#scoped-transactions
 */
export interface OpenTransaction {
  /** The CALL (its `ExecContext.procedure`) or client that began it. */
  scope: object;
  connection: number;
  /**
   * Why it can no longer go on, once a failed statement could not be undone alone (see
   * `journal`): every later statement fails with this reason and COMMIT rolls back.
   */
  failed?: string;
  /** Set when it failed because TRANSACTION_ABORT_ON_ERROR is TRUE (Snowflake's own behaviour then). */
  abortedByParameter?: boolean;
  /**
   * The engine statements that succeeded in it and may have changed something (not SELECT or
   * SET), as sent to DuckDB, with their binds and clock. DuckDB aborts the whole transaction when
   * a statement fails, where Snowflake rolls back only that statement: the runtime then rolls
   * back, begins again and replays these (statements/transactions.ts `restore`).
   */
  journal: JournalEntry[];
  /** The runtime's commit count (`RuntimeHost.commits`) when it began (or was last replayed). */
  epoch: number;
  /** Its id, as CURRENT_TRANSACTION() and LAST_TRANSACTION() give it. */
  id: string;
  /** `BEGIN … NAME n`'s name, or a UUID (SHOW TRANSACTIONS). */
  name: string;
  /** When it began, microseconds since the epoch (SHOW TRANSACTIONS). */
  startedOn: bigint;
}

/** One engine statement of a transaction's journal. */
export interface JournalEntry {
  sql: string;
  params?: WireBind[];
  /** The clock SYSDATE()/CURRENT_TIMESTAMP() read when it ran. */
  now: bigint;
  /** The rows it changed, which its replay must change too. */
  changed: number;
  /** Set when replaying it could write other values (a sequence, a random value, DuckDB's own clock). */
  hazard?: string;
}

/** A session variable's value: its text as DuckDB prints it and DuckDB's type name (null text for NULL). */
export interface VariableValue {
  text: string | null;
  type: string;
}

/** What the runtime and the statement kinds use of a session beyond its public API. */
export interface SessionInternals extends SessionHandle {
  /** The session's number in the runtime (SHOW TRANSACTIONS' `session`). */
  readonly id: number;
  readonly timezone: string;
  /** The session's own DuckDB connection. */
  readonly connection: number;
  /** Open transactions, innermost last. */
  readonly transactions: OpenTransaction[];
  /** The scope of statements a client sends. */
  readonly clientScope: object;
  /** Session variables (`SET name = …`), by name. */
  readonly variables: Map<string, VariableValue>;
  /** Recent statements and their results, oldest first, for LAST_QUERY_ID and RESULT_SCAN. */
  readonly history: ReadonlyArray<{ queryId: string; result: StatementResult }>;
  setTimezone(timezone: string): void;
  /** Sets (null: unsets) an output-format variable on every connection of the session. */
  setOutputFormat(variable: string, format: string | null, original: string): void;
  /** The current database and schema. */
  readonly names: NameContext;
  /** Makes a database and schema current. */
  setNames(names: NameContext): void;
  /** The statements that give a new connection of this session its current database and schema. */
  namesSql(): string[];
  /** The statement's table names resolved in the current database and schema, for DuckDB. */
  qualify(sql: string): Qualified;
  /** Runs statements on DuckDB, in the innermost open transaction, translating its errors. */
  engineRun(statements: Array<{ sql: string; params?: WireBind[] }>, original: string): WireResult[];
  /** Runs a statement in a context (the sandbox passes its call depth). */
  run(sql: string, binds: unknown[], ctx: ExecContext): StatementResult;
  /** AUTOCOMMIT (`ALTER SESSION SET AUTOCOMMIT = FALSE` makes statements open a transaction). */
  autocommit: boolean;
  /**
   * False once a statement committed on its own (AUTOCOMMIT, DDL) since the last transaction
   * ended: LAST_TRANSACTION() is then not known (compat/functions/transaction-context.ts).
   */
  lastTransactionKnown: boolean;
  /** TRANSACTION_ABORT_ON_ERROR: a failed statement aborts the open transaction. */
  transactionAbortOnError: boolean;
  callStarted(): CallStart;
  callEnded(scope: object, started: CallStart, failed: boolean): LocalSnowflakeError | undefined;
}

/** The open transactions when a CALL started: each with its journal's length and whether it had failed already. */
export type CallStart = Array<{ transaction: OpenTransaction; journaled: number; failed: boolean }>;

/** A hybrid table's indexes, leading column first, as the index-eligibility audit reads them. */
export interface HybridTableIndexes {
  table: string;
  indexes: Array<{ name: string; columns: string[] }>;
}

/** What sessions, the statement kinds and the sandbox use of the runtime. */
/** Tasks or alerts, as statements reach them. */
export interface ScheduledObjectsHandle {
  /** `context`: the session's database and schema (SHOW's default scope). */
  statement(sql: string, queryId: string, context?: NameContext): StatementResult;
  /** Forgets the objects of a schema (or of a database) being dropped or replaced. */
  dropIn(database: string, schema?: string): void;
}

export interface RuntimeHost {
  readonly engine: Engine;
  readonly log: { add(entry: Omit<LogEntry, 'seq'>): unknown };
  readonly faults: { check(sql: string): void };
  /** `context`: the session's database and schema, whose tasks/alerts SHOW lists. */
  readonly tasks: ScheduledObjectsHandle;
  readonly alerts: ScheduledObjectsHandle;
  readonly procedureTimeoutMs: number;
  /** The default session time zone (what ALTER SESSION UNSET TIMEZONE returns to). */
  readonly timezone: string;
  nextQueryId(): string;
  nowMicros(): bigint;
  /** Table columns whose stored name is not upper-case (created quoted). */
  readonly mixedCaseColumns: ReadonlySet<string>;
  /** Every table column's stored name. */
  readonly columnNames: ReadonlySet<string>;
  /** Table and view names as stored (case kept). */
  readonly tableNames: ReadonlySet<string>;
  /** Tables with timestamp columns, by key (compat/names.ts tableKey): their columns in order and the timestamp ones. */
  readonly timestampColumns: ReadonlyMap<string, TimestampColumns>;
  /** Hybrid tables and their indexes, by key (compat/names.ts tableKey: the name in LOCAL.PUBLIC). */
  readonly hybridTables: ReadonlyMap<string, HybridTableIndexes>;
  /** Databases, schemas and their tables, for name resolution. */
  readonly catalog: LocalCatalog;
  /**
   * How many transactions (explicit, or a single statement's) may have committed changes so far,
   * in any session: a transaction whose count moved since it began cannot be replayed exactly.
   */
  readonly commits: number;
  /** Counts a commit (see `commits`). */
  committed(): void;
  /** The sessions open now (SHOW TRANSACTIONS lists their transactions). */
  readonly sessions: ReadonlySet<SessionInternals>;
  /** Called when a session closes. */
  sessionClosed(session: SessionInternals): void;
  /**
   * What makes an engine statement write different values when run again, or undefined: a
   * volatile function (NEXTVAL, RANDOM, UUID, DuckDB's own clock) or a table whose column
   * default is one (AUTOINCREMENT, …).
   */
  replayHazard(duckSql: string): string | undefined;
  /** Called after DDL, to refresh what the runtime caches from the catalog. */
  catalogChanged(): void;
  /** Records that a table (by key, compat/names.ts tableKey) was created as a HYBRID TABLE (or is no longer one). */
  setHybrid(table: string, hybrid: boolean): void;
  /** Stored procedures: the overloads of a name, CREATE and DROP. */
  readonly procedures: {
    overloads(name: string): ProcedureDef[];
    create(sql: string, queryId: string): StatementResult;
    drop(sql: string, queryId: string): StatementResult;
    /** Drops every procedure whose key starts with `prefix` (`S.` or `D.` / `D.S.`): its schema or database is dropped. */
    dropIn(prefix: string): void;
  };
  /** `snowflake.log(level, message)` from a procedure body. */
  procedureLogged(procedure: string, level: string, message: string): void;
  /** `CALL SYSTEM$…`: SYSTEM$SEND_EMAIL is recorded; others are not implemented. */
  callSystem(session: SessionInternals, sql: string, binds: unknown[], queryId: string): StatementResult;
}
