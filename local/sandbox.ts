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
 * - binds are numbers, strings, SfDate or null, anything else is rejected; an SfDate binds as
 *   the type it was read as (TIMESTAMP_LTZ, _NTZ, _TZ or DATE), so it goes back unshifted;
 * - timestamps come back as SfDate (a Date keeping nanoseconds, scale and offset), numbers as doubles;
 * - errors thrown by `execute` carry `code`, `state`, `message` and `stackTraceTxt`
 *   (`Snowflake.execute, line L position P`), and `String(err)` is the message alone;
 * - an uncaught error fails the CALL with code 100132, state P0000, worded as Snowflake words it:
 *   a failed statement nobody caught gives
 *   `Execution error in store procedure NAME:\n<message>\nAt Snowflake.execute, line N position M`
 *   (`At Statement.execute, …` when it ran through createStatement; Snowflake's own "store");
 *   anything the body throws gives
 *   `JavaScript execution error: Uncaught <String(error)> in NAME at '<source line>' position M\nstackstrace: \nNAME line: N`.
 *   Lines count from the body's first line, positions from 0; V8's column may differ by a few
 *   characters from Snowflake's. Tests should match the inner message, not the frame.
 *
 * No way out to the host: every object the body can reach is made inside its own `node:vm`
 * context (the `snowflake` API, results, errors, SfDate, arguments), whose global has no
 * prototype from this realm and whose code generation from strings is off. Only strings and
 * numbers cross between the realms: the API calls three host functions held in a closure the
 * body cannot see, and gets JSON text back. Converting the body's result and describing its
 * error also happen inside the context, under the CALL's time limit.
 */
import vm from 'node:vm';
import { LocalSnowflakeError } from './errors.js';
import type { StatementResult } from './result.js';
import { cellValue, localTimestampText, SfDate, type ColumnInfo, type DateKind } from './values.js';

/** What the sandbox needs from the session that CALLs. */
export interface SandboxHost {
  /** Runs a statement in the calling session, one call level deeper. */
  execute(sql: string, binds: unknown[]): StatementResult;
  /** Where `snowflake.log` messages go. */
  log(level: string, message: string): void;
  /** Minutes east of UTC of the session's time zone at `epochMs` (SfDate.getTimezone of LTZ values). */
  tzOffset?(epochMs: number): number;
  /** The session's time zone (IANA name): the procedure's JavaScript engine runs in it. */
  timeZone?: string;
}

/** The procedure to run. */
export interface SandboxProcedure {
  name: string;
  argNames: string[];
  body: string;
  /** Whether the declared return type is text (VARCHAR, STRING, …): the value is converted with String() in the body's realm. */
  returnsText?: boolean;
}

/** Tags for values JSON cannot carry as themselves (a key no SQL value uses). */
const DATE_TAG = '\u0000sfdate';
const NUMBER_TAG = '\u0000number';

/**
 * The API as the body sees it, built inside the procedure's context. `bridge` holds the three
 * host functions; they take and return strings and numbers only, and stay in this closure.
 */
const REALM_SOURCE = String.raw`(function (bridge, procName, DATE_TAG, NUMBER_TAG, timeZone) {
  'use strict';
  const bExecute = bridge.execute;
  const bText = bridge.text;
  const bLog = bridge.log;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const toStringOf = Object.prototype.toString;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const hasOwn = Object.prototype.hasOwnProperty;
  const ErrorCtor = Error;
  const DateCtor = Date;
  const file = procName + '.js';
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n, w) => String(n).padStart(w || 2, '0');

  // The engine's local time zone is the session's: a Date made from a TIMESTAMP_NTZ "is influenced
  // by daylight saving time" and a DATE is "midnight of the current day in the local time zone"
  // (https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction, "Dates").
  // Node's Dates use the host's zone, so Date's local-time parts are redefined here, in this realm,
  // from the instant and the session zone's offset (Intl, no host call).
  const D = DateCtor.prototype;
  const own = {};
  ['getTime', 'setTime', 'getTimezoneOffset', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
   'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getUTCHours', 'getUTCMinutes', 'getUTCSeconds', 'getUTCMilliseconds',
   'setUTCFullYear', 'setUTCMonth', 'setUTCDate', 'setUTCHours', 'setUTCMinutes', 'setUTCSeconds', 'setUTCMilliseconds'].forEach(function (n) { own[n] = D[n]; });
  const hostParse = DateCtor.parse;
  const IntlFormat = Intl.DateTimeFormat;
  const timeOf = (d) => own.getTime.call(d);
  let zone = typeof timeZone === 'string' && timeZone ? timeZone : 'UTC';
  const fixedUtc = /^(UTC|Etc\/UTC|GMT|Etc\/GMT)$/i.test(zone);
  let partsFormat;
  if (!fixedUtc) {
    try { partsFormat = new IntlFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }); }
    catch (_e) { zone = 'UTC'; }
  }
  // Minutes east of UTC in the session's zone at instant t.
  function offsetAt(t) {
    if (partsFormat === undefined || t !== t) return 0;
    const parts = partsFormat.formatToParts(new DateCtor(t));
    const get = (type) => { for (let i = 0; i < parts.length; i++) if (parts[i].type === type) return Number(parts[i].value); return 0; };
    const wall = DateCtor.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((wall - Math.floor(t / 1000) * 1000) / 60000);
  }
  const shifted = (t) => new DateCtor(t + offsetAt(t) * 60000);
  // The instant whose wall clock in the session's zone is 'wall' (milliseconds read as UTC).
  function instantOf(wall) {
    if (wall !== wall) return NaN;
    const first = wall - offsetAt(wall) * 60000;
    return wall - offsetAt(first) * 60000;
  }
  [['getFullYear', 'getUTCFullYear'], ['getMonth', 'getUTCMonth'], ['getDate', 'getUTCDate'], ['getDay', 'getUTCDay'], ['getHours', 'getUTCHours'],
   ['getMinutes', 'getUTCMinutes'], ['getSeconds', 'getUTCSeconds'], ['getMilliseconds', 'getUTCMilliseconds']].forEach(function (pair) {
    const utc = own[pair[1]];
    defineProperty(D, pair[0], { value: function () { const t = timeOf(this); return t !== t ? NaN : utc.call(shifted(t)); }, writable: true, configurable: true });
  });
  defineProperty(D, 'getYear', { value: function () { const t = timeOf(this); return t !== t ? NaN : own.getUTCFullYear.call(shifted(t)) - 1900; }, writable: true, configurable: true });
  [['setFullYear', 'setUTCFullYear'], ['setMonth', 'setUTCMonth'], ['setDate', 'setUTCDate'], ['setHours', 'setUTCHours'],
   ['setMinutes', 'setUTCMinutes'], ['setSeconds', 'setUTCSeconds'], ['setMilliseconds', 'setUTCMilliseconds']].forEach(function (pair) {
    const utc = own[pair[1]];
    defineProperty(D, pair[0], { value: function () {
      let t = timeOf(this);
      if (t !== t) { if (pair[0] !== 'setFullYear') return NaN; t = instantOf(0); }
      const wall = shifted(t);
      utc.apply(wall, arguments);
      return own.setTime.call(this, instantOf(timeOf(wall)));
    }, writable: true, configurable: true });
  });
  defineProperty(D, 'getTimezoneOffset', { value: function () { const t = timeOf(this); return t !== t ? NaN : 0 - offsetAt(t); }, writable: true, configurable: true });
  let nameFormat;
  function zoneName(t) {
    if (!nameFormat) nameFormat = new IntlFormat('en-US', { timeZone: zone, timeZoneName: 'long' });
    const parts = nameFormat.formatToParts(new DateCtor(t));
    for (let i = 0; i < parts.length; i++) if (parts[i].type === 'timeZoneName') return parts[i].value;
    return zone;
  }
  function datePart(w) { return DAYS[own.getUTCDay.call(w)] + ' ' + MONTHS[own.getUTCMonth.call(w)] + ' ' + pad(own.getUTCDate.call(w)) + ' ' + pad(own.getUTCFullYear.call(w), 4); }
  function timePart(t, w) {
    const off = offsetAt(t);
    const abs = Math.abs(off);
    return pad(own.getUTCHours.call(w)) + ':' + pad(own.getUTCMinutes.call(w)) + ':' + pad(own.getUTCSeconds.call(w)) +
      ' GMT' + (off < 0 ? '-' : '+') + pad(Math.floor(abs / 60)) + pad(abs % 60) + ' (' + zoneName(t) + ')';
  }
  defineProperty(D, 'toString', { value: function () { const t = timeOf(this); if (t !== t) return 'Invalid Date'; const w = shifted(t); return datePart(w) + ' ' + timePart(t, w); }, writable: true, configurable: true });
  defineProperty(D, 'toDateString', { value: function () { const t = timeOf(this); return t !== t ? 'Invalid Date' : datePart(shifted(t)); }, writable: true, configurable: true });
  defineProperty(D, 'toTimeString', { value: function () { const t = timeOf(this); return t !== t ? 'Invalid Date' : timePart(t, shifted(t)); }, writable: true, configurable: true });
  ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'].forEach(function (n) {
    const f = own[n];
    defineProperty(D, n, { value: function (locales, options) {
      const o = {};
      if (options !== undefined && options !== null) for (const k in options) o[k] = options[k];
      if (o.timeZone === undefined) o.timeZone = zone;
      return f.call(this, locales, o);
    }, writable: true, configurable: true });
  });
  // Text without a zone (other than an ISO date alone, which is UTC) is read in the session's zone.
  function parseLocal(text) {
    const s = String(text);
    const t = hostParse(s);
    if (t !== t) return NaN;
    if (/^[+-]?\d{4,6}(-\d{2}(-\d{2})?)?$/.test(s.trim()) || /(Z|[+-]\d{2}:?\d{2}|(GMT|UTC|UT).*)\s*(\([^)]*\))?\s*$/i.test(s.trim())) return t;
    // The host read it in its own zone: back to the wall clock, then to the session's instant.
    const hostOffset = own.getTimezoneOffset.call(new DateCtor(t));
    return instantOf(t - hostOffset * 60000);
  }
  const LocalDate = function Date() {
    if (new.target === undefined) return D.toString.call(new DateCtor());
    const args = arguments;
    let value;
    if (args.length === 0) value = [];
    else if (args.length === 1) value = typeof args[0] === 'string' ? [parseLocal(args[0])] : [args[0] instanceof DateCtor ? timeOf(args[0]) : args[0]];
    else value = [instantOf(DateCtor.UTC.apply(undefined, args))];
    return Reflect.construct(DateCtor, value, new.target === LocalDate ? DateCtor : new.target);
  };
  defineProperty(LocalDate, 'prototype', { value: D, writable: false, enumerable: false, configurable: false });
  defineProperty(D, 'constructor', { value: LocalDate, writable: true, enumerable: false, configurable: true });
  defineProperty(LocalDate, 'length', { value: 7 });
  LocalDate.UTC = DateCtor.UTC;
  LocalDate.now = DateCtor.now;
  LocalDate.parse = parseLocal;
  defineProperty(globalThis, 'Date', { value: LocalDate, writable: true, enumerable: false, configurable: true });

  class SfDate extends DateCtor {
    #nanos; #scale; #tz; #kind;
    constructor(ms, nanos, scale, tz, kind) { super(ms); this.#nanos = nanos; this.#scale = scale; this.#tz = tz; this.#kind = kind; }
    getEpochSeconds() { return Math.floor(this.getTime() / 1000); }
    getNanoSeconds() { return this.#nanos; }
    getScale() { return this.#scale; }
    getTimezone() {
      // A TIMESTAMP_TZ keeps the offset it was written with; the local engine keeps only the
      // instant and cannot tell a TIMESTAMP_TZ column from a TIMESTAMP_LTZ one, so any answer
      // here could be another offset than Snowflake's.
      if (this.#kind === 'LTZ' || this.#kind === 'TZ') {
        fail('SfDate.getTimezone() of a TIMESTAMP_LTZ or TIMESTAMP_TZ value is not implemented in the local Snowflake runtime (it keeps no offset with the value). Run this procedure against a real account.', 9999, '0A000');
      }
      return this.#tz;
    }
    static describe(d) { return d instanceof SfDate ? [d.getTime(), d.#nanos, d.#kind] : [d.getTime(), (((d.getTime() % 1000) + 1000) % 1000) * 1e6, 'LTZ']; }
  }
  const describeDate = SfDate.describe;
  delete SfDate.describe;

  function revive(_key, v) {
    if (v !== null && typeof v === 'object' && !isArray(v)) {
      // A timestamp or date argument is a plain JavaScript Date (to the millisecond); values read
      // from a ResultSet are SfDate.
      if (DATE_TAG in v) { const d = v[DATE_TAG]; return d[5] === 'plain' ? new DateCtor(d[0]) : new SfDate(d[0], d[1], d[2], d[3], d[4]); }
      if (NUMBER_TAG in v) return Number(v[NUMBER_TAG]);
    }
    return v;
  }
  const fromHost = (text) => parse(text, revive);

  // Where in the body the API was called: "line L position P" (lines from the body's first, positions from 0).
  function callSite() {
    const stack = String(new ErrorCtor().stack || '');
    const lines = stack.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const at = lines[i].lastIndexOf(file + ':');
      if (at < 0) continue;
      const m = /:(\d+):(\d+)\)?\s*$/.exec(lines[i].slice(at));
      if (m) return { line: Number(m[1]), position: Number(m[2]) - 1 };
    }
    return { line: 1, position: 0 };
  }

  const statementErrors = new WeakMap();
  // Errors saying a part of the API is not implemented locally: uncaught, they fail the CALL with 9999.
  const refusals = new WeakSet();
  function makeError(message, code, state, via) {
    const e = new ErrorCtor(message);
    // String(err) is the message alone in Snowflake ("Failed: " + err has no "Error: ").
    defineProperty(e, 'name', { value: '', writable: true, configurable: true, enumerable: false });
    e.code = code;
    e.state = state;
    const site = callSite();
    e.stackTraceTxt = (via || 'Snowflake.execute') + ', line ' + site.line + ' position ' + site.position;
    if (via) statementErrors.set(e, { via: via, line: site.line, position: site.position });
    if (code === 9999) refusals.add(e);
    return e;
  }
  const fail = (message, code, state) => { throw makeError(message, code === undefined ? 100183 : code, state || 'P0000'); };

  function validate(command) {
    // Snowflake's words when sqlText is missing (the troubleshooting section of the JavaScript
    // procedures page: "sqltext" for "sqlText" gives "Failed: empty argument passed").
    if (typeof command !== 'object' || command === null || command.sqlText === undefined || command.sqlText === null) fail('empty argument passed');
    const sqlText = command.sqlText;
    const given = command.binds;
    // createStatement throws when sqlText is missing or empty, and when a bind has an unsupported type.
    if (typeof sqlText !== 'string' || sqlText.trim() === '') fail('Invalid argument: sqlText is missing or contains an empty query text.');
    if (given === undefined || given === null) return { sqlText: sqlText, binds: '[]' };
    if (!isArray(given)) fail('Invalid binds argument: binds must be an array.');
    const out = [];
    for (let i = 0; i < given.length; i++) {
      const b = given[i];
      // Snowflake binds only these JavaScript types; booleans, undefined, objects, arrays and plain Dates are refused.
      if (b === null || typeof b === 'string') out.push(b);
      // A number binds with six decimals, as C's "%f" prints it: the JavaScript procedures page
      // binds 3.1415926 into FLOAT, NUMERIC(10,9) and INTEGER columns and reads back 3.141593,
      // 3.141593000 and 3 ("Binding variables"). Integers bind as they are.
      else if (typeof b === 'number' && isFinite(b)) out.push(Number.isInteger(b) ? b : Number(b.toFixed(6)));
      else if (b instanceof SfDate) out.push({ [DATE_TAG]: describeDate(b) });
      // A number that JSON cannot carry: what Snowflake binds for it is not documented.
      else if (typeof b === 'number') fail('binding NaN or Infinity (argument ' + (i + 1) + ') is not implemented in the local Snowflake runtime. Bind a finite number, or the text \'NaN\'/\'inf\' cast to FLOAT in SQL.', 9999, '0A000');
      else {
        const kind = b === undefined ? 'undefined' : isArray(b) ? 'array' : toStringOf.call(b).slice(8, -1).toLowerCase();
        fail('Unsupported type for binding argument ' + (i + 1) + ': ' + kind + '. Bind numbers, strings, SfDate or null.', 100183, '22000');
      }
    }
    return { sqlText: sqlText, binds: stringify(out) };
  }

  function run(sqlText, binds, via) {
    const r = fromHost(bExecute(sqlText, binds));
    if (!r.ok) throw makeError(r.message, r.code, r.state, via);
    return r;
  }

  const LOG_LEVELS = ['off', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const JS_TYPES = { NUMBER: 'number', FLOAT: 'number', TEXT: 'string', TIME: 'string', BOOLEAN: 'boolean', DATE: 'date', TIMESTAMP_NTZ: 'date',
    TIMESTAMP_LTZ: 'date', TIMESTAMP_TZ: 'date', VARIANT: 'object', OBJECT: 'object', ARRAY: 'object' };

  // Column metadata reads the same on a Statement and a ResultSet.
  class ColumnMetadata {
    getColumnCount() { return this._columns().length; }
    getColumnName(i) { return this._column(i).name; }
    // "The scale of the column (for numeric columns); 0 for non-numeric (columns)."
    getColumnScale(i) { const c = this._column(i); return c.type === 'NUMBER' ? c.scale || 0 : 0; }
    getColumnSqlType(i) { return this._column(i).type; }
    getColumnType(i) { return JS_TYPES[this._column(i).type] || 'string'; }
    isColumnNullable(i) { return this._column(i).nullable; }
    isColumnArray(i) { return this._column(i).type === 'ARRAY'; }
    isColumnBinary(i) { return this._column(i).type === 'BINARY'; }
    isColumnBoolean(i) { return this._column(i).type === 'BOOLEAN'; }
    isColumnDate(i) { return this._column(i).type === 'DATE'; }
    isColumnNumber(i) { const t = this._column(i).type; return t === 'NUMBER' || t === 'FLOAT'; }
    isColumnObject(i) { return this._column(i).type === 'OBJECT'; }
    isColumnText(i) { return this._column(i).type === 'TEXT'; }
    isColumnTime(i) { return this._column(i).type === 'TIME'; }
    isColumnTimestamp(i) { return this._column(i).type.startsWith('TIMESTAMP'); }
    isColumnVariant(i) { return this._column(i).type === 'VARIANT'; }
  }

  const resultSetData = new WeakMap();
  class ResultSet extends ColumnMetadata {
    constructor(r) {
      super();
      resultSetData.set(this, { r: r, at: -1 });
      const reserved = getOwnPropertyNames(ResultSet.prototype).concat(getOwnPropertyNames(ColumnMetadata.prototype));
      const self = this;
      r.columns.forEach(function (c, i) {
        // A name used twice (SELECT A.*, B.*) reads the first column of that name, as getColumnValue(name) does.
        if (reserved.indexOf(c.name) >= 0 || hasOwn.call(self, c.name)) return;
        defineProperty(self, c.name, { get: function () { const d = resultSetData.get(self); return d.at >= 0 && d.at < d.r.rows.length ? d.r.rows[d.at][i] : undefined; }, enumerable: true });
      });
    }
    next() { const d = resultSetData.get(this); if (d.at < d.r.rows.length) d.at++; return d.at < d.r.rows.length; }
    _index(col) {
      const r = resultSetData.get(this).r;
      if (typeof col === 'number') {
        if (!Number.isInteger(col) || col < 1 || col > r.columns.length) fail('Given column name/index does not exist: ' + col);
        return col - 1;
      }
      const i = r.columns.findIndex(function (c) { return c.name === col; });
      if (i < 0) fail('Given column name/index does not exist: ' + String(col));
      return i;
    }
    _row() {
      const d = resultSetData.get(this);
      if (d.at < 0 || d.at >= d.r.rows.length) fail('ResultSet is empty or not prepared (call next() first).');
      return d.r.rows[d.at];
    }
    getColumnValue(col) { const i = this._index(col); return this._row()[i]; }
    // The API page: ResultSet.getColumnSqlType throws when the ResultSet is empty or next() has not been called.
    getColumnSqlType(col) { const i = this._index(col); this._row(); return resultSetData.get(this).r.columns[i].type; }
    getColumnValueAsString(col) {
      const i = this._index(col);
      this._row();
      const d = resultSetData.get(this);
      const text = bText(d.r.id, d.at, i);
      // Snowflake returns the empty string for NULL here.
      return text === null ? '' : String(text);
    }
    getRowCount() { return resultSetData.get(this).r.rows.length; }
    getNumRowsAffected() { return resultSetData.get(this).r.counts[0]; }
    getQueryId() { return resultSetData.get(this).r.queryId; }
    getSqlText() { return resultSetData.get(this).r.sqlText; }
    _column(i) { return resultSetData.get(this).r.columns[this._index(i)]; }
    _columns() { return resultSetData.get(this).r.columns; }
  }

  const statementData = new WeakMap();
  class Statement extends ColumnMetadata {
    constructor(command) {
      super();
      const c = validate(command);
      statementData.set(this, { sqlText: c.sqlText, binds: c.binds, result: undefined });
    }
    execute() { return execute(this, 'Statement.execute'); }
    _done() {
      const d = statementData.get(this);
      if (!d.result) fail('Statement has not been executed yet: call execute() first.');
      return d.result;
    }
    _column(i) {
      const r = this._done();
      const index = typeof i === 'number' ? i - 1 : r.columns.findIndex(function (c) { return c.name === i; });
      const col = r.columns[index];
      if (!col) fail('Given column name/index does not exist: ' + String(i));
      return col;
    }
    _columns() { return this._done().columns; }
    getSqlText() { return statementData.get(this).sqlText; }
    // "If no query has been executed yet by this statement, the method throws the error 'Statement is not executed yet.'"
    getQueryId() { const r = statementData.get(this).result; if (!r) fail('Statement is not executed yet.'); return r.queryId; }
    getRowCount() { return this._done().rows.length; }
    getNumRowsAffected() { return this._done().counts[0]; }
    getNumRowsInserted() { return this._done().counts[1]; }
    getNumRowsUpdated() { return this._done().counts[2]; }
    getNumRowsDeleted() { return this._done().counts[3]; }
    getNumDuplicateRowsUpdated() { this._done(); return 0; }
  }
  function execute(statement, via) {
    const d = statementData.get(statement);
    d.result = run(d.sqlText, d.binds, via);
    return new ResultSet(d.result);
  }

  const snowflake = {
    createStatement: function (command) { return new Statement(command); },
    execute: function (command) { return execute(new Statement(command), 'Snowflake.execute'); },
    // The API page's errors: log needs a level among LOG_LEVELS, addEvent a name (and at most
    // attributes besides), setSpanAttribute a key and a value.
    log: function (level, message) {
      // The page lists the levels in lower case; whether Snowflake takes other cases is not documented.
      if (typeof level !== 'string' || LOG_LEVELS.indexOf(level) < 0) {
        fail('Invalid log level: ' + String(level) + ". snowflake.log takes one of 'off', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'.");
      }
      bLog(level, String(message));
    },
    addEvent: function (name) {
      if (arguments.length < 1 || arguments.length > 2) fail('snowflake.addEvent takes a name and optional attributes (1 or 2 arguments), not ' + arguments.length + '.');
      if (typeof name !== 'string') fail('snowflake.addEvent: the event name must be a string.');
      return undefined;
    },
    setSpanAttribute: function (key) {
      if (arguments.length !== 2) fail('snowflake.setSpanAttribute takes a key and a value (2 arguments), not ' + arguments.length + '.');
      if (typeof key !== 'string') fail('snowflake.setSpanAttribute: the key must be a string.');
      return undefined;
    },
  };

  // Runs the body once, then describes the outcome as JSON text: converting the value and
  // reading the error happen here, under the CALL's time limit.
  let used = false;
  function invoke(fn, argsText, returnsText) {
    if (used) throw new ErrorCtor('the procedure has already run');
    used = true;
    let value;
    try {
      value = fn.apply(undefined, fromHost(argsText));
    } catch (e) {
      return stringify(describeThrown(e));
    }
    try {
      if (value === undefined) return stringify({ ok: true, kind: 'null' });
      // A JavaScript null is a JSON null in a VARIANT (SQL NULL for the other types); undefined is SQL NULL.
      if (value === null) return stringify({ ok: true, kind: 'null', json: true });
      // "the number is converted to a string within JavaScript": String(value), here, in the engine's realm
      // (an object gives "[object Object]", an array its elements joined by commas).
      if (returnsText) return stringify({ ok: true, kind: 'value', type: 'string', text: String(value) });
      if (value instanceof DateCtor) return stringify({ ok: true, kind: 'date', date: describeDate(value) });
      const type = typeof value;
      if (type !== 'object') return stringify({ ok: true, kind: 'value', type: type, text: String(value) });
      // "JavaScript Date objects nested inside VARIANT objects are always of type TIMESTAMP_LTZ(3)"
      // (the UDF page): a VARIANT here is JSON and has no timestamp inside, so that is refused.
      const json = stringify(value, function (key, v) {
        if (this[key] instanceof DateCtor) fail('a JavaScript Date inside a returned object or array (a TIMESTAMP_LTZ(3) inside a VARIANT in Snowflake) is not implemented in the local Snowflake runtime. Return its text (toISOString()) or the Date alone for a timestamp return type.', 9999, '0A000');
        return v;
      });
      return stringify({ ok: true, kind: 'value', type: type, json: json === undefined ? null : json });
    } catch (e) {
      return stringify(describeThrown(e));
    }
  }

  function describeThrown(e) {
    const known = typeof e === 'object' && e !== null ? statementErrors.get(e) : undefined;
    let message;
    try { message = typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e); } catch (_x) { message = toStringOf.call(e); }
    if (known) return { ok: false, kind: 'statement', message: message, via: known.via, line: known.line, position: known.position };
    if (typeof e === 'object' && e !== null && refusals.has(e)) return { ok: false, kind: 'refused', message: message };
    let shown;
    try { shown = typeof e === 'object' && e !== null && toStringOf.call(e) === '[object Object]' ? '#<Object>' : String(e); } catch (_x) { shown = toStringOf.call(e); }
    let stack = '';
    try { stack = typeof e === 'object' && e !== null && 'stack' in e ? String(e.stack) : ''; } catch (_x) { stack = ''; }
    let line = 1;
    let position = 0;
    const at = stack.indexOf(file + ':');
    if (at >= 0) {
      const m = /:(\d+):(\d+)/.exec(stack.slice(at + file.length - 1));
      if (m) { line = Number(m[1]); position = Number(m[2]) - 1; }
    }
    return { ok: false, kind: 'thrown', message: message, shown: shown, line: line, position: position };
  }

  return { snowflake: snowflake, invoke: invoke };
})`;

interface Realm {
  snowflake: object;
  invoke: (fn: unknown, argsText: string, returnsText: number) => string;
}

/** What the context says about a finished body. */
type Outcome =
  | { ok: true; kind: 'null'; json?: boolean }
  | { ok: true; kind: 'date'; date: [number, number, DateKind] }
  | { ok: true; kind: 'value'; type: string; json?: string | null; text?: string }
  | { ok: false; kind: 'statement'; message: string; via: string; line: number; position: number }
  | { ok: false; kind: 'refused'; message: string }
  | { ok: false; kind: 'thrown'; message: string; shown: string; line: number; position: number };

const scriptCache = new Map<string, vm.Script>();

function compile(proc: SandboxProcedure): vm.Script {
  const key = proc.name + '\u0000' + proc.argNames.join(',') + '\u0000' + proc.body;
  let script = scriptCache.get(key);
  if (!script) {
    // A quoted argument keeps its exact name as the body's identifier ("größe" is größe), as in
    // Snowflake; only a name that is no JavaScript identifier at all is renamed.
    const params = proc.argNames.map((n) => (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(n) ? n : '_' + n.replace(/[^\p{L}\p{N}_$]/gu, '_'))).join(', ');
    script = new vm.Script(`(function (${params}) {\n${proc.body}\n})`, { filename: `${proc.name}.js`, lineOffset: -1 });
    scriptCache.set(key, script);
    if (scriptCache.size > 100) scriptCache.delete(scriptCache.keys().next().value as string);
  }
  return script;
}

const realmScript = new vm.Script(REALM_SOURCE, { filename: 'snowflake-api.js' });

/**
 * Runs the body with `args` and returns what it returned, as host values (a Date as an
 * {@link SfDate}, objects copied through JSON, JavaScript null as {@link JSON_NULL}, undefined as null). Throws {@link LocalSnowflakeError} 100132 when
 * the body throws, 630 when it runs past `timeoutMs`.
 */
export function runProcedure(proc: SandboxProcedure, args: unknown[], host: SandboxHost, timeoutMs: number): unknown {
  // A global with no prototype from this realm: `this.constructor` is the context's own Object.
  const context = vm.createContext(Object.create(null) as object, {
    codeGeneration: { strings: false, wasm: false },
    name: `procedure ${proc.name}`,
  });
  const results = new Map<number, StatementResult>();
  const tzOffset = host.tzOffset ?? (() => 0);
  const bridge = Object.freeze({
    execute: (sqlText: unknown, bindsText: unknown): string => bridgeExecute(host, results, tzOffset, sqlText, bindsText),
    text: (id: unknown, row: unknown, column: unknown): string | null => {
      if (typeof id !== 'number' || typeof row !== 'number' || typeof column !== 'number') return null;
      const result = results.get(id);
      const cell = result?.raw[row]?.[column];
      // A TIMESTAMP_LTZ prints in the session's time zone with its offset, as Snowflake's default
      // TIMESTAMP_OUTPUT_FORMAT (YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM) does.
      if (result?.columns[column]?.type === 'TIMESTAMP_LTZ' && cell !== null && cell !== undefined) return localTimestampText(BigInt(cell as number | bigint), tzOffset);
      return result?.text(row, column) ?? null;
    },
    log: (level: unknown, message: unknown): void => {
      if (typeof level === 'string' && typeof message === 'string') host.log(level, message);
    },
  });
  const factory = realmScript.runInContext(context) as (b: typeof bridge, name: string, dateTag: string, numberTag: string, timeZone: string) => Realm;
  const realm = factory(bridge, proc.name, DATE_TAG, NUMBER_TAG, host.timeZone ?? 'UTC');
  Object.defineProperty(context, 'snowflake', { value: realm.snowflake, enumerable: false, writable: false, configurable: false });
  let script: vm.Script;
  try {
    script = compile(proc);
  } catch (e) {
    // The body is compiled when called, as in Snowflake ("Most errors … show up at runtime").
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new LocalSnowflakeError(100131, 'P0000', `JavaScript compilation error: Uncaught ${message} in ${proc.name} at '${proc.body.split('\n')[0] ?? ''}'`);
  }
  const fn = script.runInContext(context) as unknown;
  // Only realm values go onto the context: its function and the body's function.
  Object.defineProperty(context, '__sf_invoke', { value: realm.invoke, configurable: true, enumerable: false, writable: false });
  Object.defineProperty(context, '__sf_body', { value: fn, configurable: true, enumerable: false, writable: false });
  Object.defineProperty(context, '__sf_args', { value: toHostText(args), configurable: true, enumerable: false, writable: false });
  Object.defineProperty(context, '__sf_text', { value: proc.returnsText === true ? 1 : 0, configurable: true, enumerable: false, writable: false });
  let outcome: Outcome;
  try {
    const text = vm.runInContext('__sf_invoke(__sf_body, __sf_args, __sf_text)', context, { timeout: timeoutMs, filename: 'CALL' }) as unknown;
    outcome = JSON.parse(String(text)) as Outcome;
  } catch (e) {
    // The time-out error comes from the context's realm; read its message without running getters.
    const own = typeof e === 'object' && e !== null ? (Object.getOwnPropertyDescriptor(e, 'message')?.value as unknown) : undefined;
    const message = typeof own === 'string' ? own : '';
    if (/Script execution timed out/.test(message)) {
      throw new LocalSnowflakeError(630, '57014', `Statement reached its statement or warehouse timeout of ${Math.round(timeoutMs / 1000)} second(s) and was canceled.`);
    }
    throw new LocalSnowflakeError(100132, 'P0000', `JavaScript execution error: ${message || 'the procedure failed'} in ${proc.name}`);
  } finally {
    results.clear();
  }
  return fromOutcome(proc, outcome);
}

/** One statement from the body: binds in, the result as JSON text out (errors too, as data). */
function bridgeExecute(
  host: SandboxHost,
  results: Map<number, StatementResult>,
  tzOffset: (epochMs: number) => number,
  sqlText: unknown,
  bindsText: unknown,
): string {
  if (typeof sqlText !== 'string' || typeof bindsText !== 'string') return JSON.stringify({ ok: false, code: 100183, state: 'P0000', message: 'Invalid argument.' });
  try {
    const binds = (JSON.parse(bindsText) as unknown[]).map((b) => {
      if (b !== null && typeof b === 'object' && DATE_TAG in b) {
        const [ms, nanos, kind] = (b as Record<string, [number, number, DateKind]>)[DATE_TAG] as [number, number, DateKind];
        const seconds = Math.floor(ms / 1000);
        return new HostMicros(BigInt(seconds) * 1_000_000n + BigInt(Math.floor(nanos / 1000)), kind);
      }
      return b;
    });
    const result = host.execute(sqlText, binds);
    const id = results.size + 1;
    results.set(id, result);
    const makeDate = (micros: bigint, scale: number, kind: DateKind): unknown => {
      const ms = Number(floorDiv(micros, 1000n));
      const nanos = Number(micros - floorDiv(micros, 1_000_000n) * 1_000_000n) * 1000;
      const tz = kind === 'LTZ' || kind === 'TZ' ? tzOffset(ms) : 0;
      return { [DATE_TAG]: [ms, nanos, scale, tz, kind] };
    };
    const rows = result.raw.map((r) => r.map((c, i) => tagNumber(cellValue(c, result.columns[i] as ColumnInfo, makeDate))));
    return JSON.stringify({
      ok: true,
      id,
      queryId: result.queryId,
      sqlText: result.sqlText,
      columns: result.columns,
      rows,
      counts: [result.rowsAffected, result.rowsInserted, result.rowsUpdated, result.rowsDeleted],
    });
  } catch (e) {
    if (e instanceof LocalSnowflakeError) return JSON.stringify({ ok: false, code: e.code, state: e.state, message: e.message });
    return JSON.stringify({ ok: false, code: 100000, state: 'XX000', message: e instanceof Error ? e.message : String(e) });
  }
}


/** NaN and ±Infinity (FLOAT) travel as tagged strings: JSON has no literal for them. */
function tagNumber(v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? { [NUMBER_TAG]: String(v) } : v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Arguments as JSON text for the context (dates tagged, rebuilt there as its SfDate). */
function toHostText(args: unknown[]): string {
  return JSON.stringify(
    args.map((a) => {
      // "When a timestamp is passed as an argument to a stored procedure, the timestamp is
      // converted to a JavaScript date object" (a DATE too): a plain Date, to the millisecond.
      if (a instanceof Date) return { [DATE_TAG]: [a.getTime(), 0, 9, 0, 'NTZ', 'plain'] };
      return tagNumber(a);
    }),
  );
}

function fromOutcome(proc: SandboxProcedure, outcome: Outcome): unknown {
  if (outcome.ok) {
    if (outcome.kind === 'null') return outcome.json === true ? JSON_NULL : null;
    if (outcome.kind === 'date') {
      const [ms, nanos, kind] = outcome.date;
      const micros = BigInt(Math.floor(ms / 1000)) * 1_000_000n + BigInt(Math.floor(nanos / 1000));
      return new SfDate(micros, 9, 0, kind);
    }
    if (outcome.type === 'number') return Number(outcome.text);
    if (outcome.type === 'boolean') return outcome.text === 'true';
    if (outcome.type !== 'object') return outcome.text ?? null;
    return outcome.json === null || outcome.json === undefined ? null : (JSON.parse(outcome.json) as unknown);
  }
  if (outcome.kind === 'refused') return failWith(new LocalSnowflakeError(9999, '0A000', outcome.message));
  if (outcome.kind === 'statement') {
    return failWith(new LocalSnowflakeError(100132, 'P0000', `Execution error in store procedure ${proc.name}:\n${outcome.message}\nAt ${outcome.via}, line ${outcome.line} position ${outcome.position}`));
  }
  const text = proc.body.split('\n')[outcome.line - 1] ?? '';
  let position = outcome.position;
  // An Error is placed where it was built; Snowflake places it at its throw.
  const throwAt = text.indexOf('throw');
  if (throwAt >= 0 && throwAt === text.lastIndexOf('throw')) position = throwAt;
  return failWith(
    new LocalSnowflakeError(
      100132,
      'P0000',
      `JavaScript execution error: Uncaught ${outcome.shown} in ${proc.name} at '${text}' position ${position}\nstackstrace: \n${proc.name} line: ${outcome.line}`,
    ),
  );
}

/** What a body returned as JavaScript null: a JSON null for a VARIANT return type, SQL NULL for the others. @internal */
export const JSON_NULL: unique symbol = Symbol('JSON null');

function failWith(e: LocalSnowflakeError): never {
  throw e;
}

/** A timestamp bind leaving the sandbox, exact to the microsecond, with the type it was read as. @internal */
export class HostMicros {
  constructor(
    readonly micros: bigint,
    readonly kind: DateKind = 'NTZ',
  ) {}
}
