/**
 * A typed model of Snowflake's JavaScript stored-procedure API.
 *
 * Source of truth: https://docs.snowflake.com/en/sql-reference/stored-procedures-api
 *
 * Procedure code never touches a global: every handler receives the `snowflake` object as its
 * first parameter, so unit tests pass a scripted fake and the generated body passes the real
 * global. Everything here is `interface`/`type` only and compiles to nothing.
 */

/**
 * The values Snowflake accepts in `binds`. Anything else (booleans, objects, arrays, `undefined`)
 * makes `execute()` throw "Invalid binds argument" inside Snowflake.
 */
export type Bind = number | string | SfDate | null;

/** What `createStatement` and `execute` take. */
export interface SqlCommand {
  /** The SQL text, with `?` (or `:1`, `:2` …) placeholders for binds. */
  sqlText: string;
  /** Positional bind values. */
  binds?: Bind[];
}

/** Log levels accepted by `snowflake.log` (the event table's severity). */
export type LogLevel = 'off' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Attribute values accepted by `addEvent` and `setSpanAttribute`. */
export type TraceAttribute = string | number | boolean;

/**
 * The `snowflake` object that Snowflake provides to the procedure body.
 *
 * @example
 * const rs = snowflake.execute({ sqlText: 'SELECT ? AS X', binds: [1] });
 * rs.next();
 * rs.getColumnValue('X'); // 1
 */
export interface Snowflake {
  /** Creates a statement; nothing runs until `Statement.execute()`. */
  createStatement(command: SqlCommand): Statement;
  /** Creates and executes a statement in one call; returns its result set. */
  execute(command: SqlCommand): ResultSet;
  /** Writes a message to the event table at the given level. */
  log(level: LogLevel, message: string): void;
  /** Adds a trace event to the current span. */
  addEvent(name: string, attributes?: Record<string, TraceAttribute>): void;
  /** Sets an attribute on the current span. */
  setSpanAttribute(key: string, value: TraceAttribute): void;
}

/** The SQL types reported by `getColumnSqlType` (upper-case Snowflake type names). */
export type SqlTypeName = string;

/**
 * Column metadata shared by `Statement` and `ResultSet`. Column indexes are **1-based**.
 */
export interface ColumnMetadata {
  getColumnCount(): number;
  /** Scale of a NUMBER column (0 for integers). */
  getColumnScale(colIdx: number): number;
  /** The SQL type, e.g. `NUMBER`, `TEXT`, `TIMESTAMP_NTZ`. */
  getColumnSqlType(colIdx: number | string): SqlTypeName;
  /** The JavaScript type the value comes back as, e.g. `number`, `string`, `date`. */
  getColumnType(colIdx: number | string): string;
  isColumnNullable(colIdx: number): boolean;
}

/**
 * A prepared statement. After `execute()` its row-count getters describe the last execution.
 */
export interface Statement extends ColumnMetadata {
  execute(): ResultSet;
  getColumnName(colIdx: number): string;
  isColumnArray(colIdx: number): boolean;
  isColumnBinary(colIdx: number): boolean;
  isColumnBoolean(colIdx: number): boolean;
  isColumnDate(colIdx: number): boolean;
  isColumnNumber(colIdx: number): boolean;
  isColumnObject(colIdx: number): boolean;
  isColumnText(colIdx: number): boolean;
  isColumnTime(colIdx: number): boolean;
  isColumnTimestamp(colIdx: number): boolean;
  isColumnVariant(colIdx: number): boolean;
  /** Rows affected by the last DML (inserted + updated + deleted). */
  getNumRowsAffected(): number;
  getNumRowsInserted(): number;
  getNumRowsUpdated(): number;
  getNumRowsDeleted(): number;
  /** Rows updated more than once by a MERGE whose source has duplicate keys. */
  getNumDuplicateRowsUpdated(): number;
  /** The query id of the last execution (`undefined` before `execute()`). */
  getQueryId(): string;
  /** Rows in the result of the last execution. */
  getRowCount(): number;
  getSqlText(): string;
}

/** A column value as a procedure sees it. */
export type ColumnValue =
  | number
  | string
  | boolean
  | SfDate
  | null
  | unknown[]
  | { [key: string]: unknown };

/**
 * The rows of an executed statement. `next()` must be called before the first row is read.
 * Values can also be read as properties named by the (upper-case) column names.
 */
export interface ResultSet extends ColumnMetadata {
  /** Advances to the next row; `false` when there are no more. */
  next(): boolean;
  /** By 1-based index or by column name. */
  getColumnValue(col: number | string): ColumnValue;
  /** The value converted to a string as Snowflake prints it: exact for NUMBER(38,0). */
  getColumnValueAsString(col: number | string): string;
  getNumRowsAffected(): number;
  getQueryId(): string;
  getRowCount(): number;
  getSqlText(): string;
}

/**
 * Snowflake's timestamp value: a JavaScript `Date` (millisecond precision) plus the exact
 * nanoseconds. Never round-trip a watermark through it: carry watermarks as strings.
 */
export interface SfDate extends Date {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
  getScale(): number;
  getTimezone(): number;
  toString(): string;
}

/**
 * The error Snowflake throws from `execute()` when a statement fails. It is a plain JavaScript
 * `Error` with these extra properties.
 */
export interface SnowflakeError extends Error {
  /** Snowflake error code, e.g. `2003` (object does not exist). */
  code?: number | string;
  /** SQLSTATE, e.g. `42S02`. */
  state?: string;
  /** The stack as Snowflake reports it. */
  stackTraceTxt?: string;
}
