/**
 * Snowflake's JSON wire format, as snowflake-sdk reads it: a statement's result (`rowtype`,
 * `rowset` as strings, `total`, `returned`, `queryId`, `statementTypeId`, session parameters),
 * the binds the driver sends (`bindings: { "1": { type, value } }`), and errors
 * (`success: false`, `code`, `message`, `data.sqlState`, `data.queryId`).
 *
 * Value encodings follow what the driver's result/column.js decodes: FIXED and REAL as decimal
 * text, BOOLEAN as "1"/"0", DATE as days since the epoch, TIMESTAMP_NTZ/LTZ as seconds since the
 * epoch with `scale` fraction digits, VARIANT/OBJECT/ARRAY as JSON text.
 */
import type { StatementResult } from '../index.js';

/** One column of `rowtype`. */
export interface WireColumnType {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  nullable: boolean;
  collation: null;
}

/** The `data` of a successful query response. */
export interface WireResultData {
  queryId: string;
  rowtype: WireColumnType[];
  rowset: Array<Array<string | null>>;
  total: number;
  returned: number;
  queryResultFormat: 'json';
  statementTypeId: number;
  version: number;
  parameters: Array<{ name: string; value: string | number | boolean }>;
  finalDatabaseName: string | null;
  finalSchemaName: string | null;
  finalWarehouseName: string;
  finalRoleName: string;
  sqlState?: string;
}

/** Where a session is, for `final*Name` and the session parameters of every result. */
export interface SessionContext {
  /** The session's current database and schema (null when none), as the runtime session has them. */
  database: string | null;
  schema: string | null;
  warehouse: string;
  role: string;
  timezone: string;
}

/** Snowflake's text length for VARCHAR without a length (16 MB). */
const MAX_TEXT = 16_777_216;

/**
 * Session parameters sent at login and with every result: the driver formats `fetchAsString`
 * values and LTZ timestamps with them. Snowflake's defaults, the session's time zone.
 */
export function sessionParameters(ctx: SessionContext): Array<{ name: string; value: string | number | boolean }> {
  return [
    { name: 'TIMEZONE', value: ctx.timezone },
    { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
    { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
    { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
    { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
    { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
    { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
    { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
    { name: 'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY', value: 3600 },
    { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
    { name: 'AUTOCOMMIT', value: true },
  ];
}

/** The wire type and its size fields, from the local runtime's column type. */
function columnType(type: string, scale: number): Pick<WireColumnType, 'type' | 'precision' | 'scale' | 'length' | 'byteLength'> {
  switch (type) {
    case 'NUMBER':
      return { type: 'fixed', precision: 38, scale, length: null, byteLength: null };
    case 'FLOAT':
      return { type: 'real', precision: null, scale: null, length: null, byteLength: null };
    case 'BOOLEAN':
      return { type: 'boolean', precision: null, scale: null, length: null, byteLength: null };
    case 'DATE':
      return { type: 'date', precision: null, scale: null, length: null, byteLength: null };
    case 'TIMESTAMP_NTZ':
      return { type: 'timestamp_ntz', precision: 0, scale, length: null, byteLength: null };
    case 'TIMESTAMP_LTZ':
      return { type: 'timestamp_ltz', precision: 0, scale, length: null, byteLength: null };
    case 'TIMESTAMP_TZ':
      return { type: 'timestamp_tz', precision: 0, scale, length: null, byteLength: null };
    case 'VARIANT':
      return { type: 'variant', precision: null, scale: null, length: null, byteLength: MAX_TEXT };
    case 'OBJECT':
      return { type: 'object', precision: null, scale: null, length: null, byteLength: MAX_TEXT };
    case 'ARRAY':
      return { type: 'array', precision: null, scale: null, length: null, byteLength: MAX_TEXT };
    default:
      return { type: 'text', precision: null, scale: null, length: MAX_TEXT, byteLength: MAX_TEXT };
  }
}

/** Seconds since the epoch, as exact decimal text with `digits` fraction digits, from microseconds. */
export function epochSecondsText(micros: bigint, digits: number): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const seconds = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0') + '000';
  const text = digits > 0 ? `${seconds}.${fraction.slice(0, digits)}` : `${seconds}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** One cell as the driver reads it. */
function cellWire(cell: unknown, type: string, scale: number): string | null {
  if (cell === null || cell === undefined) return null;
  switch (type) {
    case 'BOOLEAN':
      return cell === true || cell === 'true' || cell === 1 ? '1' : '0';
    case 'DATE':
      return String(cell);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return epochSecondsText(BigInt(cell as bigint | number | string), scale);
    case 'FLOAT':
      if (typeof cell === 'number' && !Number.isFinite(cell)) return Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'inf' : '-inf';
      return String(cell);
    default:
      return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  }
}

/** Snowflake's statement type id (result/statement_type.js): DML counts come from it. */
export function statementTypeId(result: StatementResult): number {
  const first = result.columns[0]?.name ?? '';
  if (result.columns.some((c) => c.name === 'number of rows inserted') && result.columns.some((c) => c.name === 'number of rows updated')) return 0x3400;
  if (first === 'number of rows inserted') return 0x3100;
  if (first === 'number of rows updated') return 0x3200;
  if (first === 'number of rows deleted') return 0x3300;
  if (result.columns.length === 1 && first === 'status') return 0x6000;
  return 0x1000;
}

/** The response `data` for a statement's result. */
export function resultData(result: StatementResult, ctx: SessionContext): WireResultData {
  const rowtype = result.columns.map((c): WireColumnType => {
    const scale = c.scale ?? (c.type.startsWith('TIMESTAMP') ? 9 : 0);
    return { name: c.name, database: '', schema: '', table: '', ...columnType(c.type, scale), nullable: c.nullable, collation: null };
  });
  const rowset = result.raw.map((row) =>
    row.map((cell, i) => {
      const c = result.columns[i];
      return c ? cellWire(cell, c.type, c.scale ?? (c.type.startsWith('TIMESTAMP') ? 9 : 0)) : null;
    }),
  );
  return {
    queryId: result.queryId,
    rowtype,
    rowset,
    total: rowset.length,
    returned: rowset.length,
    queryResultFormat: 'json',
    statementTypeId: statementTypeId(result),
    version: 1,
    parameters: sessionParameters(ctx),
    finalDatabaseName: ctx.database,
    finalSchemaName: ctx.schema,
    finalWarehouseName: ctx.warehouse,
    finalRoleName: ctx.role,
  };
}

/** A bind as the driver sends it (`buildBindsMap` in connection/statement.js). */
export interface WireBind {
  type: string;
  value: string | null | Array<string | null>;
}

/** A bind value for `LocalSession.execute`, from the driver's typed text. */
function bindValue(type: string, value: string | null): string | number | boolean | null {
  if (value === null) return null;
  switch (type.toUpperCase()) {
    case 'FIXED': {
      const n = Number(value);
      // Integers past 2^53 stay exact as text; DuckDB casts them where a number is needed.
      return /^-?\d+$/.test(value) && !Number.isSafeInteger(n) ? value : n;
    }
    case 'REAL':
      return Number(value);
    case 'BOOLEAN':
      return /^(true|1)$/i.test(value);
    default:
      return value;
  }
}

/**
 * The driver's `bindings` map as rows of positional values: one row for ordinary binds, one per
 * element for array binds (`binds: [[1, 'a'], [2, 'b']]`).
 */
export function bindRows(bindings: Record<string, WireBind> | undefined): unknown[][] {
  if (!bindings) return [[]];
  const keys = Object.keys(bindings).sort((a, b) => Number(a) - Number(b));
  const binds = keys.map((k) => bindings[k] as WireBind);
  const arrays = binds.filter((b) => Array.isArray(b.value));
  if (arrays.length === 0) return [binds.map((b) => bindValue(b.type, b.value as string | null))];
  const n = Math.max(...arrays.map((b) => (b.value as unknown[]).length));
  return Array.from({ length: n }, (_, row) => binds.map((b) => bindValue(b.type, Array.isArray(b.value) ? (b.value[row] ?? null) : b.value)));
}

/** An error body, as the driver turns it into an OperationFailedError with code and sqlState. */
export function errorBody(code: number | string, state: string, message: string, queryId: string | null): Record<string, unknown> {
  const padded = typeof code === 'number' ? String(code).padStart(6, '0') : code;
  return {
    success: false,
    code: padded,
    message,
    data: { errorCode: padded, sqlState: state, queryId, internalError: false, age: 0 },
  };
}
