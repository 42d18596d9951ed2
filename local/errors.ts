/**
 * Errors shaped like Snowflake's: a numeric `code`, a five-character SQLSTATE `state`, and the
 * message Snowflake would print.
 *
 * Codes follow Snowflake's error catalogue as drivers report it
 * (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-errors): 1003 syntax
 * error, 2003 object does not exist, 904 invalid identifier, 100072 NULL into NOT NULL,
 * 100183/200001-style constraint violations. Where DuckDB's error has no Snowflake twin the code
 * is 100000 and the DuckDB text is kept so nothing is hidden.
 */
import { tokenize } from './sql-text.js';

/** A failed statement, as Snowflake would report it. */
export class LocalSnowflakeError extends Error {
  /** Snowflake error code, e.g. 2003. */
  readonly code: number;
  /** SQLSTATE, e.g. `42S02`. */
  readonly state: string;
  /** The statement that failed, when known. */
  sqlText?: string;

  constructor(code: number, state: string, message: string, sqlText?: string) {
    super(message);
    this.name = 'LocalSnowflakeError';
    this.code = code;
    this.state = state;
    if (sqlText !== undefined) this.sqlText = sqlText;
  }
}

/** Code and state used for SQL the local runtime knowingly does not emulate. */
export const NOT_IMPLEMENTED = { code: 9999, state: '0A000' } as const;

/**
 * The error for a construct the local runtime does not support. It says so and names it, so a
 * test can never pass on a silently wrong answer.
 */
export function notImplemented(construct: string, sqlText?: string): LocalSnowflakeError {
  return new LocalSnowflakeError(
    NOT_IMPLEMENTED.code,
    NOT_IMPLEMENTED.state,
    `SQL compilation error:\n${construct} is not implemented in the local Snowflake runtime ` +
      '(local/). Run this statement against a real account, or extend local/compat.',
    sqlText,
  );
}

/** Translates a DuckDB error message into the closest Snowflake error. */
export function fromDuckDB(message: string, sqlText?: string): LocalSnowflakeError {
  // The Node API prefixes errors found while preparing a statement with binds.
  message = message.replace(/^Failed to (?:extract|prepare|execute) (?:statements?|prepared statement): /, '');
  const first = message.split('\n')[0] ?? message;
  let m: RegExpMatchArray | null;
  if ((m = /^Catalog Error: (?:Table|View|Table Function|Schema|Sequence) with name (\S+) does not exist/.exec(first))) {
    return new LocalSnowflakeError(
      2003,
      '42S02',
      `SQL compilation error:\nObject '${(m[1] ?? '').toUpperCase()}' does not exist or not authorized.`,
      sqlText,
    );
  }
  if ((m = /^Catalog Error: (?:Table|View|Sequence|Index) with name "?([^"\s]+)"? already exists/.exec(first))) {
    // https://docs.snowflake.com/en/sql-reference/sql/create-table: CREATE of an existing name without OR REPLACE or IF NOT EXISTS.
    return new LocalSnowflakeError(2002, '42710', `SQL compilation error:\nObject '${m[1] ?? ''}' already exists.`, sqlText);
  }
  if ((m = /^Catalog Error: (?:Scalar Function|Function|Macro Function) with name (\S+) does not exist/.exec(first))) {
    return new LocalSnowflakeError(
      2140,
      '42601',
      `SQL compilation error:\nUnknown function ${(m[1] ?? '').toUpperCase()}`,
      sqlText,
    );
  }
  if ((m = /^Binder Error: Referenced column "?([^"\s]+)"? not found/.exec(first))) {
    return new LocalSnowflakeError(904, '42000', `SQL compilation error: error line 0 at position 0\ninvalid identifier '${(m[1] ?? '').toUpperCase()}'`, sqlText);
  }
  if (/^Permission Error:/.test(first)) {
    // External access is off in the engine: files, network and extensions are out of reach.
    return notImplemented(`file, network or extension access (${first.replace(/^Permission Error: /, '')})`, sqlText);
  }
  if (/^Parser Error:/.test(first)) {
    return new LocalSnowflakeError(1003, '42000', `SQL compilation error:\n${syntaxError(first, sqlText)}`, sqlText);
  }
  if ((m = /\(Error: SF_LOCAL_LENGTH:(\d+):([\s\S]*)\)\s*$/.exec(message)) && /^Constraint Error: CHECK constraint failed/.test(first)) {
    // A VARCHAR(n) length check (compat/ddl.ts).
    return new LocalSnowflakeError(100078, '22000', `String '${m[2] ?? ''}' is too long and would be truncated`, sqlText);
  }
  if (/^Binder Error:/.test(first) && /\bSF_(?:PATH|PATH_TEXT|VARIANT_NUMBER)\(/.test(message)) {
    // A semi-structured path (compat/functions/semi-structured-paths.ts) where the engine has no
    // function or operator for its VARIANT (JSON) value: refused by name, never DuckDB's text.
    return notImplemented('this function or operator on an uncast semi-structured path (cast the path: v:field::NUMBER, ::VARCHAR, …)', sqlText);
  }
  if (/^Binder Error: No function matches the given name and argument types 'date_trunc\([^)]*\bTIME\)'/.test(first)) {
    // DATE_TRUNC of a TIME needs a typed macro (compat/functions/datetime.ts), which a database
    // file cannot keep.
    return notImplemented('DATE_TRUNC of a TIME in a database file (path); in memory it works', sqlText);
  }
  if (/^Binder Error: .* does not have a column named "rowid"/.test(first) && /AS "SEQ"/.test(message)) {
    // FLATTEN's SEQ numbers the row of the table before it by its rowid (compat/functions/flatten.ts); a view has none.
    return notImplemented("FLATTEN's SEQ column (also read by *) for a FLATTEN after a view (name the other columns)", sqlText);
  }
  if (/^Binder Error: subqueries in lambda expressions are not supported/.test(first)) {
    // A semi-structured function whose macro needs a subquery, inside another's element-wise lambda.
    return notImplemented('this nesting of semi-structured functions (one inside another that works element by element; compute it in a subquery)', sqlText);
  }
  if ((m = /^Conversion Error: Could not convert string '(?!SF_LOCAL_)((?:[^']|'')*)' to INT32/.exec(first)) && /[*\/]/.test(sqlText ?? '')) {
    // Text in a division or multiplication is read as a number (compat/functions/arithmetic.ts).
    return new LocalSnowflakeError(100038, '22018', `Numeric value '${(m[1] ?? '').replace(/''/g, "'")}' is not recognized`, sqlText);
  }
  if ((m = /^Binder Error: Cannot mix values of type ([A-Z_ ]+?)(?:\(\d+,?\d*\))? and INTEGER in COALESCE/.exec(first))) {
    // A division or multiplication (compat/functions/arithmetic.ts types its operands with an
    // INTEGER NULL) of an operand that is not a number.
    const type = (m[1] ?? '').replace(/^JSON$/, 'VARIANT').replace(/^TIMESTAMP WITH TIME ZONE$/, 'TIMESTAMP_LTZ');
    return notImplemented(`the division or multiplication operator on a ${type} operand (cast it to NUMBER or FLOAT)`, sqlText);
  }
  if ((m = /^Binder Error: No function matches the given name and argument types '\*\(([A-Z ]+), HUGEINT\)'/.exec(first))) {
    // A division or multiplication (compat/functions/arithmetic.ts, SF_DIV and SF_MUL scale their
    // operands by a HUGEINT) of an operand the engine has no arithmetic for.
    const type = (m[1] ?? '').replace(/^JSON$/, 'VARIANT').replace(/^TIMESTAMP WITH TIME ZONE$/, 'TIMESTAMP_LTZ');
    return notImplemented(`the division or multiplication operator on a ${type} operand (cast it to NUMBER or FLOAT)`, sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_NOT_IMPLEMENTED:(.*)$/.exec(first))) {
    // A construct a macro knows it cannot run (compat/functions.ts).
    return notImplemented(m[1] ?? '', sqlText);
  }
  if ((m = /^Not implemented Error: (ROUND|TRUNC)\(DECIMAL, INTEGER\) with non-constant precision/.exec(first))) {
    // The engine types a NUMBER's rounding by its scale, so the scale must be a constant
    // (compat/functions/math.ts; CEIL/FLOOR with a scale go through TRUNC).
    return notImplemented(`${m[1] === 'ROUND' ? 'ROUND' : 'TRUNC, CEIL or FLOOR'} of a NUMBER to a scale that is not a constant`, sqlText);
  }
  if (/^Binder Error: Key name for struct_extract needs to be a constant string/.test(first)) {
    return notImplemented('CEIL or FLOOR to a scale that is not a constant', sqlText);
  }
  if ((m = /^Out of Range Error: Overflow in (addition|subtraction|multiplication) of INT(8|16|32|64)\b/.exec(first))) {
    // Integer literals and integer columns are the engine's 32- and 64-bit integers in + and -
    // (Snowflake's are NUMBER(38,0), 38 digits).
    return notImplemented(`integer ${m[1]} past ${m[2]} bits (the engine's integers; cast an operand to NUMBER)`, sqlText);
  }
  if ((m = /^Conversion Error: Could not convert string '(SF_LOCAL_[A-Z_]+:[\s\S]*)' to INT32/.exec(message))) {
    // SF_RAISE (compat/functions/arithmetic.ts): the same texts as error() gives.
    return fromDuckDB(`Invalid Input Error: ${(m[1] ?? '').replace(/''/g, "'")}`, sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_ERROR:(\d+):(\w{5}):([\s\S]*)$/.exec(message))) {
    // A Snowflake error a macro raises with its code and state (compat/functions/*.ts).
    return new LocalSnowflakeError(Number(m[1]), m[2] ?? 'XX000', m[3] ?? '', sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_NUMBER_PARSE:([\s\S]*)\u001f([\s\S]*)$/.exec(message))) {
    // Text a numeric format model does not match (compat/functions/numeric-format.ts).
    return new LocalSnowflakeError(100140, '22007', `Can't parse '${m[1] ?? ''}' as number with format '${m[2] ?? ''}'`, sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_NUMBER_RANGE:([\s\S]*)$/.exec(message))) {
    return new LocalSnowflakeError(100039, '22003', `Numeric value '${m[1] ?? ''}' is out of range`, sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_NUMBER_TEXT:([\s\S]*)$/.exec(message))) {
    return new LocalSnowflakeError(100038, '22018', `Numeric value '${m[1] ?? ''}' is not recognized`, sqlText);
  }
  if ((m = /^Invalid Input Error: SF_LOCAL_LENGTH:(\d+):([\s\S]*)$/.exec(message))) {
    // A cast to VARCHAR(n) (compat/functions.ts rewriteVarcharCasts).
    return new LocalSnowflakeError(100078, '22000', `String '${m[2] ?? ''}' is too long and would be truncated`, sqlText);
  }
  if ((m = /^Constraint Error: NOT NULL constraint failed: (\S+)/.exec(first))) {
    return new LocalSnowflakeError(100072, '22000', `NULL result in a non-nullable column ${(m[1] ?? '').toUpperCase()}`, sqlText);
  }
  if (/^Constraint Error: (?:Duplicate key|PRIMARY KEY or UNIQUE constraint violation: duplicate key)/.test(first)) {
    // Hybrid tables enforce PRIMARY KEY / UNIQUE and fail the statement. DuckDB words a
    // duplicate between two rows of one INSERT … SELECT the second way.
    return new LocalSnowflakeError(200001, '22000', `A primary key already exists. ${first.replace(/^Constraint Error: /, '')}`, sqlText);
  }
  if (
    (m = /^Conversion Error: (?:Casting value "([^"]*)" to type DECIMAL\(\d+,\d+\) failed|Could not cast value (\S+) to DECIMAL|Could not convert string "([^"]*)" to DECIMAL)/.exec(first))
  ) {
    // NUMBER(p,s): Snowflake's 100039 for a number too large for the precision, 100038 for text
    // that is no number. https://docs.snowflake.com/en/sql-reference/data-types-numeric
    const value = m[1] ?? m[2] ?? m[3] ?? '';
    return /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)
      ? new LocalSnowflakeError(100039, '22003', `Numeric value '${value}' is out of range`, sqlText)
      : new LocalSnowflakeError(100038, '22018', `Numeric value '${value}' is not recognized`, sqlText);
  }
  if ((m = /Values were not provided for the following prepared statement parameters: (\d+)|Expected (\d+) parameters?, but none were supplied/.exec(first))) {
    // A placeholder with no bind value: Snowflake's 2049 "Bind variable ? not set." at the placeholder.
    return unsetBind(m[1] !== undefined ? Number(m[1]) : 1, sqlText);
  }
  if ((m = /Can not bind to parameter number (\d+), statement only has (\d+) parameter/.exec(first))) {
    return notImplemented(`more bind values than the statement has placeholders (value ${m[1] ?? ''} for ${m[2] ?? ''} placeholder(s))`, sqlText);
  }
  if ((m = /^Conversion Error: (?:invalid )?(date|timestamp) field (?:format|value out of range): "([^"]*)"/.exec(first))) {
    // Text that is no date or timestamp: Snowflake's "Date '…' is not recognized" (100040) and
    // "Timestamp '…' is not recognized" (100035); the codes were not confirmed in the documentation.
    return m[1] === 'date'
      ? new LocalSnowflakeError(100040, '22007', `Date '${m[2] ?? ''}' is not recognized`, sqlText)
      : new LocalSnowflakeError(100035, '22007', `Timestamp '${m[2] ?? ''}' is not recognized`, sqlText);
  }
  if ((m = /^Conversion Error: Unknown TimeZone '([^']*)'/.exec(first))) {
    // Text with an offset after a space ('… +05:00') converted without a cast or TO_TIMESTAMP_*
    // (INSERT of a literal into a timestamp column, a comparison with one): the engine reads the
    // offset as a zone name. Casts and TO_TIMESTAMP_* take it (compat/functions/datetime.ts).
    return /^[+-]?\d/.test(m[1] ?? '')
      ? notImplemented(
          `text with the UTC offset '${m[1] ?? ''}' after a space converted to a timestamp without a cast ` +
            `(write '…'::TIMESTAMP_TZ or TO_TIMESTAMP_TZ('…'), or the offset without the space)`,
          sqlText,
        )
      : new LocalSnowflakeError(100038, '22018', `Unknown time zone '${m[1] ?? ''}'`, sqlText);
  }
  if ((m = /SF_LOCAL_JSON_PARSE:(.*)$/.exec(first))) {
    // PARSE_JSON of text that is not JSON (local/json-text.mjs).
    const detail = m[1] ?? '';
    // A key given twice (OBJECT_CONSTRUCT, or PARSE_JSON without 'd'): Snowflake's wording.
    if (/^Duplicate field key/.test(detail)) return new LocalSnowflakeError(100069, '22P02', detail, sqlText);
    return new LocalSnowflakeError(100069, '22P02', `Error parsing JSON: ${detail}`, sqlText);
  }
  if ((m = /^Conversion Error: Malformed JSON(.*)$/.exec(first))) {
    // Text converted to a VARIANT without PARSE_JSON or a cast (INSERT of text into a VARIANT
    // column): the engine parses it as JSON, strictly (see README "VARIANT values are JSON text").
    return new LocalSnowflakeError(
      100069,
      '22P02',
      `Error parsing JSON:${m[1] ?? ''} (text converted to a VARIANT without PARSE_JSON or ::VARIANT is parsed as strict JSON locally; say which with PARSE_JSON or ::VARIANT)`,
      sqlText,
    );
  }
  if ((m = /^Conversion Error: Could not convert string '(.*)' to (?:U?(?:TINY|SMALL|BIG|HUGE)?INT(?:8|16|32|64|128)?|DOUBLE|FLOAT)$/.exec(first))) {
    // Text into an integer or FLOAT column or cast: Snowflake's 100038, as for NUMBER(p,s) above
    // (the docs' failed-statement example, https://docs.snowflake.com/en/sql-reference/transactions).
    return new LocalSnowflakeError(100038, '22018', `Numeric value '${m[1] ?? ''}' is not recognized`, sqlText);
  }
  if (/^(Conversion|Invalid Input) Error:/.test(first)) {
    return new LocalSnowflakeError(100038, '22018', first.replace(/^(Conversion|Invalid Input) Error: /, ''), sqlText);
  }
  if (/^TransactionContext Error: Current transaction is aborted/.test(first)) {
    return new LocalSnowflakeError(
      100000,
      '25P02',
      'Current transaction is aborted: an earlier statement in it failed. ' +
        'DuckDB (the local engine) aborts the whole transaction where Snowflake only rolls back the failed statement; issue ROLLBACK.',
      sqlText,
    );
  }
  if (/^TransactionContext Error: .*[Cc]onflict/.test(first)) {
    return new LocalSnowflakeError(
      625,
      '57014',
      `Statement aborted because of a write conflict with another open transaction (${first}). ` +
        'Snowflake hybrid tables would wait for the row lock; the local engine (DuckDB, optimistic) fails at once.',
      sqlText,
    );
  }
  return new LocalSnowflakeError(100000, 'XX000', message, sqlText);
}

/**
 * Snowflake's wording of a syntax error, `syntax error line L at position P unexpected 'X'.`
 * (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#catching-an-error-using-try-catch),
 * placed in the statement as written (DuckDB saw it rewritten). Other parser errors keep DuckDB's text.
 */
function syntaxError(first: string, sqlText: string | undefined): string {
  const near = /syntax error at or near "((?:[^"]|"")*)"/.exec(first);
  const atEnd = /syntax error at end of input/.test(first);
  if (!near && !atEnd) return `syntax error: ${first.replace(/^Parser Error: /, '')}`;
  const text = (sqlText ?? '').replace(/[\s;]+$/, '');
  let offset = text.length;
  let token = '<EOF>';
  if (near) {
    token = (near[1] ?? '').replace(/""/g, '"');
    const re = new RegExp(`(?<![\\w$])${token.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&')}(?![\\w$])`, 'i');
    const m = re.exec(text);
    if (!m) return `syntax error: ${first.replace(/^Parser Error: /, '')}`;
    offset = m.index;
  }
  const before = text.slice(0, offset).split('\n');
  return `syntax error line ${before.length} at position ${(before[before.length - 1] ?? '').length} unexpected '${token}'.`;
}

/** Snowflake's 2049 for the `n`th placeholder (1-based) left without a value, placed as Snowflake places it. */
function unsetBind(n: number, sqlText: string | undefined): LocalSnowflakeError {
  const text = sqlText ?? '';
  const binds = tokenize(text).filter((t) => t.kind === 'bind');
  const numbered = binds.find((t) => t.text === `:${n}`);
  const at = numbered ?? (binds.every((t) => t.text === '?') ? binds[n - 1] : undefined);
  if (!at) return new LocalSnowflakeError(2049, '42601', 'SQL compilation error:\nBind variable ? not set.', sqlText);
  const before = text.slice(0, at.start).split('\n');
  return new LocalSnowflakeError(
    2049,
    '42601',
    `SQL compilation error: error line ${before.length} at position ${(before[before.length - 1] ?? '').length}\nBind variable ${at.text} not set.`,
    sqlText,
  );
}

/** Snowflake's 1003 syntax error for an unexpected first word the runtime knows no statement for. */
export function unexpectedToken(token: string, sqlText: string): LocalSnowflakeError {
  return new LocalSnowflakeError(1003, '42000', `SQL compilation error:\n${syntaxError(`Parser Error: syntax error at or near "${token.replace(/"/g, '""')}"`, sqlText)}`, sqlText);
}
