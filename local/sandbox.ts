/**
 * The procedure sandbox: runs a `LANGUAGE JAVASCRIPT` body the way Snowflake does.
 *
 * Emulated (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
 * and https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api):
 * - the body is the body of a function whose parameters are the arguments' names, UPPERCASE
 *   unless declared quoted; a top-level `return` is the result;
 * - the only global besides the language built-ins is `snowflake` (no `require`, `process`,
 *   timers, `eval` or `Function` from strings);
 * - `snowflake.execute` / `createStatement` run SQL synchronously in the caller's session;
 * - binds are numbers, strings, SfDate or null, anything else is rejected;
 * - timestamps come back as SfDate (a Date subclass keeping nanoseconds), numbers as doubles;
 * - errors thrown by `execute` carry `code`, `state`, `message`, `stackTraceTxt`;
 * - an uncaught error fails the CALL with code 100132, state P0000, worded as Snowflake words it:
 *   a failed statement nobody caught gives
 *   `Execution error in store procedure NAME:\n<message>\nAt Snowflake.execute, line N position M`
 *   (`At Statement.execute, …` when it ran through createStatement; Snowflake's own "store");
 *   anything the body throws gives
 *   `JavaScript execution error: Uncaught <String(error)> in NAME at '<source line>' position M\nstackstrace: \nNAME line: N`.
 *   Lines count from the body's first line, positions from 0; V8's column may differ by a few
 *   characters from Snowflake's. Tests should match the inner message, not the frame.
 */
import vm from 'node:vm';
import { LocalSnowflakeError } from './errors.js';
import { materialise, type StatementResult } from './result.js';
import type { ColumnInfo } from './values.js';

/** What the sandbox needs from the session that CALLs. */
export interface SandboxHost {
  /** Runs a statement in the calling session, one call level deeper. */
  execute(sql: string, binds: unknown[]): StatementResult;
  /** Where `snowflake.log` messages go. */
  log(level: string, message: string): void;
}

/** The procedure to run. */
export interface SandboxProcedure {
  name: string;
  argNames: string[];
  body: string;
}

/** Realm-local helpers: errors and SfDate must be the sandbox's own classes, so `instanceof` works there. */
const REALM_HELPERS = `(function () {
  class SfDate extends Date {
    #nanos; #scale; #tz;
    constructor(ms, nanos, scale, tz) { super(ms); this.#nanos = nanos; this.#scale = scale; this.#tz = tz; }
    getEpochSeconds() { return Math.floor(this.getTime() / 1000); }
    getNanoSeconds() { return this.#nanos; }
    getScale() { return this.#scale; }
    getTimezone() { return this.#tz; }
    toString() {
      const iso = new Date(this.getTime()).toISOString();
      return iso.slice(0, 10) + ' ' + iso.slice(11, 23);
    }
  }
  function makeError(message, code, state) {
    const e = new Error(message);
    if (code !== undefined) e.code = code;
    if (state !== undefined) e.state = state;
    e.stackTraceTxt = message;
    return e;
  }
  return { SfDate, makeError };
})()`;

interface RealmHelpers {
  SfDate: new (ms: number, nanos: number, scale: number, tz: number) => Date;
  makeError: (message: string, code?: number | string, state?: string) => Error & { code?: number | string; state?: string };
}

const scriptCache = new Map<string, vm.Script>();

function compile(proc: SandboxProcedure): vm.Script {
  const key = proc.name + '\u0000' + proc.argNames.join(',') + '\u0000' + proc.body;
  let script = scriptCache.get(key);
  if (!script) {
    const params = proc.argNames.map((n) => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : '_' + n.replace(/\W/g, '_'))).join(', ');
    script = new vm.Script(`(function (${params}) {\n${proc.body}\n})`, { filename: `${proc.name}.js`, lineOffset: -1 });
    scriptCache.set(key, script);
    if (scriptCache.size > 100) scriptCache.delete(scriptCache.keys().next().value as string);
  }
  return script;
}

/** Statement errors thrown inside the body, and which API call raised them (for the uncaught-error text). */
const statementErrors = new WeakMap<object, 'Snowflake.execute' | 'Statement.execute'>();

/**
 * Runs the body with `args` and returns what it returned (in the host realm: plain values,
 * objects copied through JSON). Throws {@link LocalSnowflakeError} 100132 when the body throws.
 */
export function runProcedure(proc: SandboxProcedure, args: unknown[], host: SandboxHost, timeoutMs: number): unknown {
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false }, name: `procedure ${proc.name}` });
  const realm = vm.runInContext(REALM_HELPERS, context) as RealmHelpers;
  const snowflake = makeSnowflake(realm, host);
  Object.defineProperty(context, 'snowflake', { value: snowflake, enumerable: false, writable: false });
  const fn = compile(proc).runInContext(context) as (...a: unknown[]) => unknown;
  const sandboxArgs = args.map((a) => toRealm(a, realm, context));
  Object.defineProperty(context, '__sf_invoke', {
    value: () => fn(...sandboxArgs),
    configurable: true,
    enumerable: false,
  });
  try {
    const value = vm.runInContext('__sf_invoke()', context, { timeout: timeoutMs, filename: 'CALL' });
    return fromRealm(value, context);
  } catch (e) {
    throw procedureError(proc.name, proc.body, e, timeoutMs);
  } finally {
    delete (context as Record<string, unknown>).__sf_invoke;
  }
}

function procedureError(name: string, body: string, e: unknown, timeoutMs: number): LocalSnowflakeError {
  const isObject = typeof e === 'object' && e !== null;
  const message = isObject && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  if (/Script execution timed out/.test(message)) {
    return new LocalSnowflakeError(630, '57014', `Statement reached its statement or warehouse timeout of ${Math.round(timeoutMs / 1000)} second(s) and was canceled.`);
  }
  const stack = isObject && 'stack' in e ? String((e as { stack: unknown }).stack) : '';
  const at = new RegExp(`${name.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&')}\\.js:(\\d+):(\\d+)`).exec(stack);
  const line = at ? Number(at[1]) : 1;
  let position = at ? Number(at[2]) - 1 : 0;
  const via = isObject ? statementErrors.get(e as object) : undefined;
  if (via) {
    return new LocalSnowflakeError(100132, 'P0000', `Execution error in store procedure ${name}:\n${message}\nAt ${via}, line ${line} position ${position}`);
  }
  const text = body.split('\n')[line - 1] ?? '';
  // An Error is placed where it was built; Snowflake places it at its throw.
  const throwAt = text.indexOf('throw');
  if (throwAt >= 0 && throwAt === text.lastIndexOf('throw')) position = throwAt;
  const shown = isObject && Object.prototype.toString.call(e) === '[object Object]' ? '#<Object>' : stringOf(e);
  return new LocalSnowflakeError(
    100132,
    'P0000',
    `JavaScript execution error: Uncaught ${shown} in ${name} at '${text}' position ${position}\nstackstrace: \n${name} line: ${line}`,
  );
}

/** What V8 prints for a thrown value (`Error: message` for errors). */
function stringOf(e: unknown): string {
  try {
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

/** Copies a host value into the sandbox realm (arguments). */
function toRealm(value: unknown, realm: RealmHelpers, context: vm.Context): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (value instanceof Date) {
    const d = value as Date & { getNanoSeconds?: () => number };
    return new realm.SfDate(d.getTime(), d.getNanoSeconds ? d.getNanoSeconds() : (d.getTime() % 1000) * 1e6, 9, 0);
  }
  return (vm.runInContext('JSON.parse', context) as (s: string) => unknown)(JSON.stringify(value));
}

/** Copies the procedure's return value out of the sandbox realm. */
function fromRealm(value: unknown, _context: vm.Context): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Object.prototype.toString.call(value) === '[object Date]') return value;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Keys under which a Statement or ResultSet hands its columns to the shared metadata getters. */
const COLUMN = Symbol('column');
const COLUMNS = Symbol('columns');

const JS_TYPES: Record<string, string> = {
  NUMBER: 'number',
  FLOAT: 'number',
  TEXT: 'string',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP_NTZ: 'date',
  TIMESTAMP_LTZ: 'date',
  TIMESTAMP_TZ: 'date',
  VARIANT: 'object',
  OBJECT: 'object',
  ARRAY: 'object',
};

function makeSnowflake(realm: RealmHelpers, host: SandboxHost): Record<string, unknown> {
  const fail = (message: string, code: number | string = 100183, state = 'P0000'): never => {
    throw realm.makeError(message, code, state);
  };
  const isSfDate = (v: unknown): v is Date & { getNanoSeconds(): number; getEpochSeconds(): number } => v instanceof realm.SfDate;
  const makeDate = (micros: bigint, scale: number): Date => {
    const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    const secFraction = micros - (micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n)) * 1_000_000n;
    return new realm.SfDate(Number(ms), Number(secFraction) * 1000, scale, 0);
  };

  function validate(command: unknown): { sqlText: string; binds: unknown[] } {
    if (typeof command !== 'object' || command === null) fail('Invalid argument: createStatement and execute take an object { sqlText, binds }.');
    const c = command as { sqlText?: unknown; binds?: unknown };
    // createStatement throws when sqlText is missing or empty, and when a bind has an
    // unsupported type (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api).
    if (typeof c.sqlText !== 'string' || c.sqlText.trim() === '') fail('Invalid argument: sqlText is missing or contains an empty query text.');
    if (c.binds === undefined || c.binds === null) return { sqlText: c.sqlText as string, binds: [] };
    if (!Array.isArray(c.binds)) fail('Invalid binds argument: binds must be an array.');
    const binds = (c.binds as unknown[]).map((b, i) => {
      // Snowflake binds only these JavaScript types; booleans, undefined, objects, arrays and
      // plain Dates are refused.
      if (b === null || typeof b === 'string' || (typeof b === 'number' && Number.isFinite(b))) return b;
      if (isSfDate(b)) return { micros: BigInt(b.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(b.getNanoSeconds() / 1000)) };
      const kind = b === undefined ? 'undefined' : Array.isArray(b) ? 'array' : Object.prototype.toString.call(b).slice(8, -1).toLowerCase();
      return fail(`Unsupported type for binding argument ${i + 1}: ${kind}. Bind numbers, strings, SfDate or null.`, 100183, '22000');
    });
    return { sqlText: c.sqlText as string, binds };
  }

  function run(sqlText: string, binds: unknown[], via: 'Snowflake.execute' | 'Statement.execute'): StatementResult {
    try {
      return host.execute(sqlText, binds.map((b) => (typeof b === 'object' && b !== null && 'micros' in b ? new HostMicros((b as { micros: bigint }).micros) : b)));
    } catch (e) {
      const err = e instanceof LocalSnowflakeError ? realm.makeError(e.message, e.code, e.state) : realm.makeError(e instanceof Error ? e.message : String(e), 100000, 'XX000');
      statementErrors.set(err, via);
      throw err;
    }
  }

  // Column metadata reads the same on a Statement and a ResultSet
  // (https://docs.snowflake.com/en/sql-reference/stored-procedures-api); each supplies its columns
  // under symbol keys, which procedure code cannot reach by name.
  abstract class ColumnMetadata {
    abstract [COLUMN](i: number | string): ColumnInfo;
    abstract [COLUMNS](): ColumnInfo[];
    getColumnCount(): number {
      return this[COLUMNS]().length;
    }
    getColumnName(i: number): string {
      return this[COLUMN](i).name;
    }
    getColumnScale(i: number): number {
      return this[COLUMN](i).scale ?? 0;
    }
    getColumnSqlType(i: number | string): string {
      return this[COLUMN](i).type;
    }
    getColumnType(i: number | string): string {
      return JS_TYPES[this[COLUMN](i).type] ?? 'string';
    }
    isColumnNullable(i: number): boolean {
      return this[COLUMN](i).nullable;
    }
  }

  class ResultSet extends ColumnMetadata {
    #result: StatementResult;
    #rows: unknown[][];
    #at = -1;
    constructor(result: StatementResult) {
      super();
      this.#result = result;
      this.#rows = materialise(result, makeDate);
      const reserved = new Set([...Object.getOwnPropertyNames(ResultSet.prototype), ...Object.getOwnPropertyNames(ColumnMetadata.prototype)]);
      result.columns.forEach((c, i) => {
        // A name used twice (SELECT A.*, B.*) reads the first column of that name, as
        // getColumnValue(name) does.
        if (reserved.has(c.name) || Object.prototype.hasOwnProperty.call(this, c.name)) return;
        Object.defineProperty(this, c.name, { get: () => (this.#at >= 0 ? this.#rows[this.#at]?.[i] : undefined), enumerable: true });
      });
    }
    next(): boolean {
      if (this.#at < this.#rows.length) this.#at++;
      return this.#at < this.#rows.length;
    }
    #index(col: unknown): number {
      if (typeof col === 'number') {
        if (!Number.isInteger(col) || col < 1 || col > this.#result.columns.length) fail(`Given column name/index does not exist: ${col}`, 100183, 'P0000');
        return col - 1;
      }
      const i = this.#result.columns.findIndex((c) => c.name === col);
      if (i < 0) fail(`Given column name/index does not exist: ${String(col)}`, 100183, 'P0000');
      return i;
    }
    #row(): unknown[] {
      if (this.#at < 0 || this.#at >= this.#rows.length) fail('ResultSet is empty or not prepared (call next() first).', 100183, 'P0000');
      return this.#rows[this.#at] as unknown[];
    }
    getColumnValue(col: number | string): unknown {
      const i = this.#index(col);
      return this.#row()[i];
    }
    getColumnValueAsString(col: number | string): string {
      const i = this.#index(col);
      this.#row();
      const text = this.#result.text(this.#at, i);
      // Snowflake returns the empty string for NULL here.
      return text === null ? '' : text;
    }
    getRowCount(): number {
      return this.#rows.length;
    }
    getNumRowsAffected(): number {
      return this.#result.rowsAffected;
    }
    getQueryId(): string {
      return this.#result.queryId;
    }
    getSqlText(): string {
      return this.#result.sqlText;
    }
    [COLUMN](i: number | string): ColumnInfo {
      return this.#result.columns[this.#index(i)] as ColumnInfo;
    }
    [COLUMNS](): ColumnInfo[] {
      return this.#result.columns;
    }
  }

  class Statement extends ColumnMetadata {
    #sqlText: string;
    #binds: unknown[];
    #result: StatementResult | undefined;
    constructor(command: unknown) {
      super();
      const c = validate(command);
      this.#sqlText = c.sqlText;
      this.#binds = c.binds;
    }
    execute(via: unknown = 'Statement.execute'): ResultSet {
      this.#result = run(this.#sqlText, this.#binds, via === 'Snowflake.execute' ? via : 'Statement.execute');
      return new ResultSet(this.#result);
    }
    #done(): StatementResult {
      if (!this.#result) fail('Statement has not been executed yet: call execute() first.', 100183, 'P0000');
      return this.#result as StatementResult;
    }
    [COLUMN](i: number | string): ColumnInfo {
      return this.#col(i);
    }
    #col(i: number | string): ColumnInfo {
      const r = this.#done();
      const index = typeof i === 'number' ? i - 1 : r.columns.findIndex((c) => c.name === i);
      const col = r.columns[index];
      if (!col) fail(`Given column name/index does not exist: ${String(i)}`, 100183, 'P0000');
      return col as ColumnInfo;
    }
    getSqlText(): string {
      return this.#sqlText;
    }
    getQueryId(): string | undefined {
      return this.#result?.queryId;
    }
    getRowCount(): number {
      return this.#done().rows.length;
    }
    getNumRowsAffected(): number {
      return this.#done().rowsAffected;
    }
    getNumRowsInserted(): number {
      return this.#done().rowsInserted;
    }
    getNumRowsUpdated(): number {
      return this.#done().rowsUpdated;
    }
    getNumRowsDeleted(): number {
      return this.#done().rowsDeleted;
    }
    getNumDuplicateRowsUpdated(): number {
      this.#done();
      return 0;
    }
    [COLUMNS](): ColumnInfo[] {
      return this.#done().columns;
    }
    isColumnArray(i: number): boolean {
      return this.#col(i).type === 'ARRAY';
    }
    isColumnBinary(i: number): boolean {
      return this.#col(i).type === 'BINARY';
    }
    isColumnBoolean(i: number): boolean {
      return this.#col(i).type === 'BOOLEAN';
    }
    isColumnDate(i: number): boolean {
      return this.#col(i).type === 'DATE';
    }
    isColumnNumber(i: number): boolean {
      return this.#col(i).type === 'NUMBER' || this.#col(i).type === 'FLOAT';
    }
    isColumnObject(i: number): boolean {
      return this.#col(i).type === 'OBJECT';
    }
    isColumnText(i: number): boolean {
      return this.#col(i).type === 'TEXT';
    }
    isColumnTime(i: number): boolean {
      return this.#col(i).type === 'TIME';
    }
    isColumnTimestamp(i: number): boolean {
      return this.#col(i).type.startsWith('TIMESTAMP');
    }
    isColumnVariant(i: number): boolean {
      return this.#col(i).type === 'VARIANT';
    }
  }

  return {
    createStatement: (command: unknown) => new Statement(command),
    execute: (command: unknown) => new Statement(command).execute('Snowflake.execute'),
    log: (level: unknown, message: unknown) => host.log(String(level), String(message)),
    addEvent: () => undefined,
    setSpanAttribute: () => undefined,
  };
}

/** A timestamp bind leaving the sandbox, exact to the microsecond. @internal */
export class HostMicros {
  constructor(readonly micros: bigint) {}
}
