/**
 * `CALL name(args)`, `CALL SYSTEM$…`, and anonymous procedures (`WITH name AS PROCEDURE … CALL
 * name(args)`): arguments evaluated in SQL, defaults and named arguments, STRICT, the body run in
 * the sandbox (`sandbox.ts`), the return value converted to the declared return type, and the
 * transactions the CALL began settled when it ends.
 * https://docs.snowflake.com/en/sql-reference/sql/call,
 * https://docs.snowflake.com/en/sql-reference/sql/call-with,
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
 */
import { toWireBind } from '../binds.js';
import type { WireCell } from '../engine.js';
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import type { ExecContext, RuntimeHost, SessionInternals } from '../host.js';
import { parseCreateProcedure, type ProcedureDef } from '../compat/procedures.js';
import { closingParen, mask, splitTopLevel } from '../compat/rewrite.js';
import { transform } from '../compat/transform.js';
import { synthetic, type StatementResult } from '../result.js';
import { JSON_NULL, runProcedure } from '../sandbox.js';
import { canonicalIdentifier } from '../sql-text.js';
import { cellValue, hostDate, SfDate, snowflakeType, zoneOffsetMinutes, type ColumnInfo } from '../values.js';
import { procedureKeyed, procedureShownName, type StatementKind } from './kind.js';

export const call: StatementKind = {
  name: 'CALL',
  match(s) {
    if (/^CALL SYSTEM\$/.test(s.upper)) return ({ session, host, binds, queryId }) => host.callSystem(session, s.sql, binds, queryId);
    if (/^CALL /.test(s.upper)) {
      return (env) => {
        return callProcedure(env.host, env.session, procedureKeyed(s, 'CALL', env), env.binds, env.ctx, env.queryId);
      };
    }
    if (/^WITH \S+ AS PROCEDURE\b/.test(s.upper)) return ({ session, host, binds, ctx, queryId }) => callAnonymous(host, session, s.sql, binds, ctx, queryId);
    return undefined;
  },
};

/**
 * CALL with an anonymous procedure: `WITH name AS PROCEDURE (args) RETURNS … LANGUAGE JAVASCRIPT
 * AS $$…$$ CALL name(args)`. The procedure exists for this statement only.
 */
function callAnonymous(host: RuntimeHost, session: SessionInternals, sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult {
  const masked = mask(sql);
  const head = /^\s*WITH\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+AS\s+PROCEDURE\b/i.exec(masked);
  const bodyEnd = lastBodyEnd(masked);
  const call = /^\s*CALL\s+/i.exec(masked.slice(bodyEnd));
  if (!head || bodyEnd === 0 || !call) throw notImplemented('this WITH … AS PROCEDURE form (one JavaScript procedure, then CALL)', sql);
  const callAt = bodyEnd + call.index;
  const definition = `CREATE PROCEDURE ${head[1]}${sql.slice(head[0].length, callAt)}`;
  const def = parseCreateProcedure(definition.replace(/[\s;]+$/, ''));
  return callProcedure(host, session, sql.slice(callAt), binds, ctx, queryId, def);
}

/**
 * CALL name(args): evaluates the arguments in SQL, runs the body in the sandbox, and returns
 * one column named after the procedure.
 */
function callProcedure(host: RuntimeHost, session: SessionInternals, sql: string, binds: unknown[], ctx: ExecContext, queryId: string, anonymous?: ProcedureDef): StatementResult {
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
  const candidates = anonymous && anonymous.name === name ? [anonymous] : host.procedures.overloads(name);
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
    // A VARCHAR(n) argument longer than n fails as the cast to it does (100078).
    const cast = exprs.map((e, i) => {
      const type = def.args[i]?.type ?? '';
      if (/^(VARCHAR|STRING|TEXT|NVARCHAR2?|CHAR|CHARACTER|NCHAR)\s*\(\s*\d+\s*\)$/i.test(type)) return `CAST((${e}) AS ${type})`;
      const scale = numberScale(type);
      return scale === undefined ? e : `CAST((${e}) AS DECIMAL(${numberPrecision(type)},${scale}))`;
    });
    const wire = session.engineRun([{ sql: transform(session.qualify(`SELECT ${cast.join(', ')}`).sql), params: binds.map(toWireBind) }], sql)[0];
    const row = wire?.rows[0] ?? [];
    args = def.args.map((arg, i) => argValue(row[i] ?? null, wire?.columns[i] ? snowflakeType(wire.columns[i]) : { type: 'TEXT', scale: 0 }, arg.type));
    // A timestamp or date argument is a JavaScript Date, an instant: a TIMESTAMP_NTZ converts as a
    // cast to TIMESTAMP_LTZ does, a DATE is midnight in the session's time zone
    // (https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction, "Dates").
    // (A TIMESTAMP_LTZ/TZ parameter takes the value's instant as it is.)
    args = args.map((a, i) => {
      if (!(a instanceof SfDate) || a.kind === 'LTZ' || a.kind === 'TZ') return a;
      if (!/^(DATE|DATETIME|TIMESTAMP|TIMESTAMP_NTZ|TIMESTAMPNTZ|TIMESTAMP WITHOUT TIME ZONE)\b/.test(def.args[i]?.type ?? '')) return a;
      const offsetAt = (m: bigint): bigint => BigInt(zoneOffsetMinutes(session.timezone, Number(m / 1000n))) * 60_000_000n;
      const instant = a.micros - offsetAt(a.micros - offsetAt(a.micros));
      return new Date(Number(instant / 1000n));
    });
  }
  // STRICT: the body does not run and the CALL returns NULL.
  if (def.strict && args.some((a) => a === null)) return callResult(name, { ...def, returnsNotNull: false }, null, queryId, sql);
  // A task's USER_TASK_TIMEOUT_MS (set on its session) caps the runtime-wide limit.
  const limit = Math.min(host.procedureTimeoutMs, session.timeoutMs ?? Infinity, ctx.procedure ? Math.max(0, ctx.procedure.deadline - Date.now()) : Infinity);
  const procedure = { name, executeAs: def.executeAs, deadline: Date.now() + limit, limitMs: limit };
  const inner: ExecContext = { callDepth: ctx.callDepth + 1, procedure };
  const started = session.callStarted();
  let value: unknown;
  try {
    value = runProcedure(
      { name, argNames: def.args.map((a) => a.name), body: def.body, returnsText: sqlReturnType(def.returns.replace(/\(.*$/, '').trim()) === 'TEXT' },
      args,
      {
        execute: (text, b) => session.run(text, b, inner),
        log: (level, message) => host.procedureLogged(name, level, message),
        tzOffset: (epochMs) => zoneOffsetMinutes(session.timezone, epochMs),
        timeZone: session.timezone,
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
  // Text returned for a DATE, TIME or TIMESTAMP_* return type is cast to it as SQL casts it.
  const castText = (text: string): WireCell => {
    const wire = session.engineRun([{ sql: transform(session.qualify(`SELECT CAST(? AS ${def.returns.replace(/\s+NOT\s+NULL\s*$/i, '')})`).sql), params: [text] }], sql)[0];
    return wire?.rows[0]?.[0] ?? null;
  };
  return callResult(name, def, value, queryId, sql, castText, (epochMs) => zoneOffsetMinutes(session.timezone, epochMs));
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
  // Text passed for a VARIANT is a VARIANT string, as a cast of text to VARIANT gives (not parsed JSON).
  if (t === 'VARIANT' && actual.type === 'TEXT') return value;
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
function callResult(
  name: string,
  def: ProcedureDef,
  value: unknown,
  queryId: string,
  sql: string,
  castText?: (text: string) => WireCell,
  tzOffset: (epochMs: number) => number = () => 0,
): StatementResult {
  const t = def.returns.replace(/\(.*$/, '').trim();
  const type = sqlReturnType(t);
  let cell: WireCell = null;
  let scale = type.startsWith('TIMESTAMP') ? timestampScale(def.returns) : 0;
  if (value === JSON_NULL) {
    // JavaScript null: a JSON null in a VARIANT, SQL NULL for every other type
    // (https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction, "NULL and undefined values").
    if (type === 'VARIANT') cell = 'null';
    else value = null;
  }
  if (cell === null && value !== undefined && value !== null && value !== JSON_NULL) {
    const date = value instanceof Date ? value : undefined;
    const micros = date ? (date instanceof SfDate ? date.micros : BigInt(date.getTime()) * 1000n) : undefined;
    // A Date converts "adhering to the same conversion semantics as casts from TIMESTAMP_LTZ(3) to the
    // return data type" (https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction,
    // "Dates"); an SfDate as a cast from the type it was read as. So an instant becomes the wall
    // clock of the session's time zone for DATE and TIMESTAMP_NTZ, and a wall clock an instant there for TIMESTAMP_LTZ.
    const instantKind = !(date instanceof SfDate) || date.kind === 'LTZ' || date.kind === 'TZ';
    const offsetAt = (m: bigint): bigint => BigInt(tzOffset(Number(m / 1000n))) * 60_000_000n;
    const wall = micros === undefined ? undefined : instantKind ? micros + offsetAt(micros) : micros;
    const instant = micros === undefined ? undefined : instantKind ? micros : micros - offsetAt(micros - offsetAt(micros));
    if (/^(VARIANT|OBJECT|ARRAY)$/.test(t)) {
      // A Date returned for a VARIANT is a TIMESTAMP_LTZ(3) inside it in Snowflake; JSON has none.
      if (date) throw notImplemented(`returning a JavaScript Date for RETURNS ${def.returns} (a TIMESTAMP_LTZ(3) inside a VARIANT)`, sql);
      cell = JSON.stringify(value);
    } else if (type === 'NUMBER') {
      // NUMBER(p,s) keeps s decimals, rounding half away from zero (a NUMBER is NUMBER(38,0)).
      const factor = 10 ** (numberScale(def.returns) ?? 0);
      const n = typeof value === 'boolean' ? Number(value) : Number(typeof value === 'string' && value.trim() === '' ? NaN : value);
      // "If no valid cast for the conversion exists, then an error occurs."
      if (!Number.isFinite(n)) throw new LocalSnowflakeError(100038, '22018', `Numeric value '${String(value)}' is not recognized`, sql);
      cell = (Math.sign(n) * Math.round(Math.abs(n) * factor)) / factor;
      scale = numberScale(def.returns) ?? 0;
      // NUMBER(p,s) holds p - s integer digits, as a cast to it checks (100039).
      if (Math.abs(cell) >= 10 ** (numberPrecision(def.returns) - scale)) throw new LocalSnowflakeError(100039, '22003', `Numeric value '${String(value)}' is out of range`, sql);
    } else if (type === 'FLOAT') {
      cell = Number(value);
    } else if (type === 'BOOLEAN') {
      cell = Boolean(value);
    } else if (type === 'DATE' && wall !== undefined) {
      cell = Number(wall / 86_400_000_000n - (wall % 86_400_000_000n < 0n ? 1n : 0n));
    } else if (type === 'TIMESTAMP_NTZ' && wall !== undefined) {
      cell = wall;
    } else if (type.startsWith('TIMESTAMP') && instant !== undefined) {
      cell = instant;
    } else if ((type === 'DATE' || type === 'TIME' || type.startsWith('TIMESTAMP')) && typeof value === 'string' && castText) {
      cell = castText(value);
    } else if (type === 'DATE' || type === 'TIME' || type.startsWith('TIMESTAMP')) {
      throw notImplemented(`returning a JavaScript ${date ? 'Date' : typeof value} for RETURNS ${def.returns}`, sql);
    } else {
      // Text: the body's realm made it with String() (a Date prints in the session's zone).
      cell = typeof value === 'object' && !date ? JSON.stringify(value) : String(value);
      // VARCHAR(n)/CHAR(n): a longer string fails as a cast to it does (100078).
      const length = /^\s*(?:VARCHAR|STRING|TEXT|NVARCHAR2?|CHAR|CHARACTER|NCHAR)\s*\(\s*(\d+)\s*\)/i.exec(def.returns)?.[1];
      if (length !== undefined && [...cell].length > Number(length)) throw new LocalSnowflakeError(100078, '22000', `String '${cell}' is too long and would be truncated`, sql);
    }
  } else if (def.returnsNotNull) {
    throw new LocalSnowflakeError(100132, 'P0000', `Execution error in store procedure ${name}: NULL result in a non-nullable column`, sql);
  }
  return synthetic([{ name: procedureShownName(name), type, scale }], [[cell]], queryId, sql);
}

/** The fractional-second digits of a declared TIMESTAMP type (9 unless written). */
function timestampScale(declared: string): number {
  const m = /\(\s*(\d)\s*\)/.exec(declared);
  return m ? Number(m[1]) : 9;
}

/** The scale of a declared NUMBER-family type (`NUMBER(10,2)` → 2, `INT` → 0); undefined for other types. */
function numberScale(declared: string): number | undefined {
  const m = /^\s*(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)\b\s*(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?/i.exec(declared);
  if (!m) return undefined;
  return m[2] === undefined ? 0 : Number(m[2]);
}

/** The precision of a declared NUMBER-family type (`NUMBER(10,2)` → 10; 38 without one, as NUMBER and INT are NUMBER(38,0)). */
function numberPrecision(declared: string): number {
  const m = /^\s*(?:NUMBER|NUMERIC|DECIMAL)\s*\(\s*(\d+)/i.exec(declared);
  return m ? Number(m[1]) : 38;
}

/** The result column's type for a declared return type. */
function sqlReturnType(t: string): string {
  if (/^(VARIANT|OBJECT|ARRAY)$/.test(t)) return t;
  if (/^(FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL)$/.test(t)) return 'FLOAT';
  if (/^(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(t)) return 'NUMBER';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'DATE') return 'DATE';
  if (t === 'TIME') return 'TIME';
  if (/^(TIMESTAMP_LTZ|TIMESTAMPLTZ|TIMESTAMP WITH LOCAL TIME ZONE)$/.test(t)) return 'TIMESTAMP_LTZ';
  if (/^(TIMESTAMP_TZ|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/.test(t)) return 'TIMESTAMP_LTZ';
  if (/^(TIMESTAMP|TIMESTAMP_NTZ|TIMESTAMPNTZ|DATETIME|TIMESTAMP WITHOUT TIME ZONE)$/.test(t)) return 'TIMESTAMP_NTZ';
  return 'TEXT';
}
