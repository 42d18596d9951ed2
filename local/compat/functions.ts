/**
 * Snowflake functions and type names on DuckDB: as much as possible through DuckDB's own
 * `CREATE TYPE` / `CREATE MACRO` (run once per database by {@link setupSql}); a few text
 * rewrites where DuckDB's grammar cannot take Snowflake's form.
 */
import { quoteString, segments, unquoteString } from '../sql-text.js';
import { notImplemented } from '../errors.js';
import { argumentRanges, closingParen, mask, replaceInCode } from './rewrite.js';
import { FUNCTION_FAMILIES } from './functions/families.js';
import { classifyFormat } from './functions/numeric-format.js';
import { variantText } from './functions/semi-structured.js';

/**
 * Converts a Snowflake datetime format to a DuckDB strftime/strptime format, inside SQL, so
 * the format can be any expression. https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
 * FF9 prints nanoseconds; the local engine holds microseconds, so the last three digits are 0.
 */
const FORMAT_STEPS: Array<[string, string]> = [
  ['YYYY', '%Y'],
  ['HH24', '%H'],
  ['HH12', '%I'],
  ['FF9', '%n'],
  ['FF6', '%f'],
  ['FF3', '%g'],
  ['FF', '%n'],
  ['MI', '%M'],
  ['MM', '%m'],
  ['DD', '%d'],
  ['SS', '%S'],
  ['YY', '%y'],
  ['AM', '%p'],
  ['PM', '%p'],
  ['MMMM', '%B'],
  ['MON', '%b'],
  ['DY', '%a'],
  ['TZH:TZM', '%z'],
  ['TZHTZM', '%z'],
];

/**
 * When printing, the offset elements become markers that SF_FORMAT_TZ (SF_LTZ_TEXT) replaces with the value's
 * offset (`-08:00`, `-0800`, `-08`, `00`): DuckDB's `%z` prints `-08`.
 * https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
 */
const PRINT_STEPS: Array<[string, string]> = [
  ['TZH:TZM', '\u0001H:\u0001M'],
  ['TZHTZM', '\u0001H\u0001M'],
  ['TZH', '\u0001H'],
  ['TZM', '\u0001M'],
];

/** Format elements DuckDB's strftime cannot print or parse (fraction digits it has no width for). */
const UNSUPPORTED_FORMAT = /^FF[124578]/i;

/**
 * A Snowflake format literal's DuckDB equivalent, in one left-to-right pass: at each position the
 * longest element wins (replacing elements one after another turned `HH24MIMMDD` into `%H%%mM%d`),
 * element names match in any case, `"…"` is literal text kept as written, and `%` is escaped.
 * https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
 */
export function convertFormat(format: string, mode: 'parse' | 'print' = 'parse'): string {
  const elements = [...(mode === 'print' ? [...PRINT_STEPS, ...FORMAT_STEPS.filter(([e]) => !e.startsWith('TZ'))] : FORMAT_STEPS)].sort(
    (a, b) => b[0].length - a[0].length,
  );
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      const literal = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      out += literal.replace(/%/g, '%%');
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const rest = format.slice(i);
    if (UNSUPPORTED_FORMAT.test(rest)) throw notImplemented(`the format element ${rest.slice(0, 3).toUpperCase()} (only FF, FF3, FF6 and FF9)`);
    if (mode === 'parse' && /^TZ[HM]/i.test(rest) && !/^TZH(?::?TZM)/i.test(rest)) throw notImplemented(`the format element ${rest.slice(0, 3).toUpperCase()} alone when parsing (TZH:TZM or TZHTZM)`);
    const element = elements.find(([from]) => rest.slice(0, from.length).toUpperCase() === from);
    if (element) {
      out += element[1];
      i += element[0].length;
      continue;
    }
    out += ch === '%' ? '%%' : ch;
    i++;
  }
  return out;
}


/** DATEADD by nanoseconds: whole microseconds only (anything else would be lost, see NANOSECONDS). */
const NANOSECOND_INTERVAL = `CASE WHEN CAST(n AS BIGINT) % 1000 <> 0 THEN error('SF_LOCAL_NOT_IMPLEMENTED:DATEADD of nanoseconds that are not whole microseconds (nanosecond precision (digits beyond microseconds))') ELSE to_microseconds(CAST(n AS BIGINT) // 1000) END`;

const DATE_PART_INTERVAL = `CASE lower(part)
    WHEN 'year' THEN to_months(CAST(n AS BIGINT) * 12) WHEN 'years' THEN to_months(CAST(n AS BIGINT) * 12)
    WHEN 'month' THEN to_months(CAST(n AS BIGINT)) WHEN 'months' THEN to_months(CAST(n AS BIGINT)) WHEN 'mon' THEN to_months(CAST(n AS BIGINT))
    WHEN 'week' THEN to_days(CAST(n AS BIGINT) * 7) WHEN 'day' THEN to_days(CAST(n AS BIGINT)) WHEN 'days' THEN to_days(CAST(n AS BIGINT)) WHEN 'd' THEN to_days(CAST(n AS BIGINT))
    WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) WHEN 'hours' THEN to_hours(CAST(n AS BIGINT)) WHEN 'h' THEN to_hours(CAST(n AS BIGINT))
    WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'minutes' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'mi' THEN to_minutes(CAST(n AS BIGINT))
    WHEN 'second' THEN to_seconds(CAST(n AS DOUBLE)) WHEN 'seconds' THEN to_seconds(CAST(n AS DOUBLE)) WHEN 's' THEN to_seconds(CAST(n AS DOUBLE))
    WHEN 'millisecond' THEN to_milliseconds(CAST(n AS DOUBLE)) WHEN 'ms' THEN to_milliseconds(CAST(n AS DOUBLE))
    WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT)) WHEN 'us' THEN to_microseconds(CAST(n AS BIGINT))
    WHEN 'nanosecond' THEN ${NANOSECOND_INTERVAL} WHEN 'ns' THEN ${NANOSECOND_INTERVAL}
    ELSE error('DATEADD date part ' || part || ' is not implemented in the local Snowflake runtime') END`;

/** The interval of `n` units, per canonical Snowflake date part. */
const UNIT_INTERVAL: Record<string, string> = {
  year: 'to_months(CAST(n AS BIGINT) * 12)',
  quarter: 'to_months(CAST(n AS BIGINT) * 3)',
  month: 'to_months(CAST(n AS BIGINT))',
  week: 'to_days(CAST(n AS BIGINT) * 7)',
  day: 'to_days(CAST(n AS BIGINT))',
  hour: 'to_hours(CAST(n AS BIGINT))',
  minute: 'to_minutes(CAST(n AS BIGINT))',
  second: 'to_seconds(CAST(n AS DOUBLE))',
  millisecond: 'to_milliseconds(CAST(n AS DOUBLE))',
  microsecond: 'to_microseconds(CAST(n AS BIGINT))',
  nanosecond: NANOSECOND_INTERVAL,
};

/** Date parts of a day or more: DATEADD of these on a DATE is a DATE. */
const DATE_UNITS = new Set(['year', 'quarter', 'month', 'week', 'day']);

/** Snowflake's date-part spellings (https://docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts). */
const UNIT_ALIASES: Record<string, string> = {
  year: 'year', years: 'year', y: 'year', yy: 'year', yyy: 'year', yyyy: 'year', yr: 'year', yrs: 'year',
  quarter: 'quarter', quarters: 'quarter', q: 'quarter', qtr: 'quarter', qtrs: 'quarter',
  month: 'month', months: 'month', mm: 'month', mon: 'month', mons: 'month',
  week: 'week', weeks: 'week', w: 'week', wk: 'week', weekofyear: 'week', woy: 'week', wy: 'week',
  day: 'day', days: 'day', d: 'day', dd: 'day', dayofmonth: 'day',
  hour: 'hour', hours: 'hour', h: 'hour', hh: 'hour', hr: 'hour', hrs: 'hour',
  minute: 'minute', minutes: 'minute', m: 'minute', mi: 'minute', min: 'minute', mins: 'minute',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', us: 'microsecond', usec: 'microsecond',
  nanosecond: 'nanosecond', nanoseconds: 'nanosecond', ns: 'nanosecond', nsec: 'nanosecond',
};

/**
 * `DATEADD('second', n, ts)` → `SF_DATEADD_SECOND(n, ts)`: with a literal date part the
 * one-unit macro binds much faster than the general one (which picks the unit at run time).
 */
export function specialiseDateAdd(sql: string): string {
  return replaceInCode(sql, /\b(?:DATEADD|TIMESTAMPADD)\s*\(\s*'[^']*'\s*,/gi, (original) => {
    const raw = /'(\w+)'/.exec(original)?.[1] ?? '';
    const unit = UNIT_ALIASES[raw.toLowerCase()];
    return unit ? `SF_DATEADD_${unit.toUpperCase()}(` : original;
  });
}

function hashAggOverloads(max: number): string {
  const overloads: string[] = [];
  for (let n = 1; n <= max; n++) {
    const args = Array.from({ length: n }, (_v, i) => `a${i + 1}`).join(', ');
    // Order-independent 64-bit aggregate of row hashes, 0 for no rows, as a signed NUMBER like
    // Snowflake's HASH_AGG. The hash values themselves differ from Snowflake's: compare
    // HASH_AGG results only with each other on the same engine.
    overloads.push(
      `(${args}) AS (CASE WHEN coalesce(sum(hash(${args})), 0) % 18446744073709551616 >= 9223372036854775808 ` +
        `THEN coalesce(sum(hash(${args})), 0) % 18446744073709551616 - 18446744073709551616 ` +
        `ELSE coalesce(sum(hash(${args})), 0) % 18446744073709551616 END)::BIGINT`,
    );
  }
  return overloads.join(',\n  ');
}

/**
 * The types and macros that make Snowflake's names work on DuckDB. Idempotent: safe to run on
 * a database file that already has them.
 */
export function setupSql(): string[] {
  const now = `make_timestamp(getvariable('__sf_now_us'))`;
  return [
    // Snowflake's default null ordering: NULL is the largest value.
    `SET GLOBAL default_null_order = 'nulls_last_on_asc_first_on_desc'`,
    // Parameterless Snowflake type names; the parameterised forms are rewritten (DuckDB user
    // types take no modifiers). TIMESTAMP_NTZ(9) holds microseconds here (see README note).
    `CREATE TYPE IF NOT EXISTS NUMBER AS DECIMAL(38,0)`,
    `CREATE TYPE IF NOT EXISTS TIMESTAMP_NTZ AS TIMESTAMP`,
    `CREATE TYPE IF NOT EXISTS TIMESTAMP_LTZ AS TIMESTAMPTZ`,
    `CREATE TYPE IF NOT EXISTS TIMESTAMP_TZ AS TIMESTAMPTZ`,
    `CREATE TYPE IF NOT EXISTS VARIANT AS JSON`,
    `CREATE TYPE IF NOT EXISTS OBJECT AS JSON`,
    // The clock: the runtime sets __sf_now_us before each statement, so SYSDATE() moves inside a
    // long transaction (as in Snowflake) and tests can drive it.
    `CREATE OR REPLACE MACRO SYSDATE() AS ${now}`,
    `CREATE OR REPLACE MACRO GETDATE() AS ${now} AT TIME ZONE 'UTC'`,
    `CREATE OR REPLACE MACRO CURRENT_TIMESTAMP() AS ${now} AT TIME ZONE 'UTC'`,
    `CREATE OR REPLACE MACRO LOCALTIMESTAMP() AS ${now} AT TIME ZONE 'UTC'`,
    `CREATE OR REPLACE MACRO SF_CURRENT_DATE() AS CAST(${now} AT TIME ZONE 'UTC' AS DATE)`,
    // CURRENT_TIME/LOCALTIME: the time of day in the session's zone, a TIME
    // (https://docs.snowflake.com/en/sql-reference/functions/current_time); SYSTIMESTAMP is
    // CURRENT_TIMESTAMP (https://docs.snowflake.com/en/sql-reference/functions/systimestamp).
    `CREATE OR REPLACE MACRO SF_CURRENT_TIME() AS CAST(CAST(${now} AT TIME ZONE 'UTC' AS TIMESTAMP) AS TIME)`,
    `CREATE OR REPLACE MACRO SYSTIMESTAMP() AS ${now} AT TIME ZONE 'UTC'`,
    `CREATE OR REPLACE MACRO IFF(c, a, b) AS CASE WHEN c THEN a ELSE b END`,
    `CREATE OR REPLACE MACRO NVL(a, b) AS coalesce(a, b)`,
    `CREATE OR REPLACE MACRO ZEROIFNULL(a) AS coalesce(a, 0)`,
    // Text of a value without a format: timestamps as Snowflake's default output formats print
    // them (TIMESTAMP_NTZ 'YYYY-MM-DD HH24:MI:SS.FF3', TIMESTAMP_LTZ the same and ' TZHTZM'),
    // the rest as DuckDB prints it. https://docs.snowflake.com/en/sql-reference/parameters#timestamp-output-format
    // Offsets (TZH, TZM) are markers in a printing format (convertFormat 'print'): SF_LTZ_TEXT
    // fills in the value's offset; a format with markers applied to a value without a time zone
    // fails (Snowflake's text for it was not checked). Formats without markers are plain strftime.
    `CREATE OR REPLACE MACRO SF_OFFSET_H(s) AS CASE WHEN s < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(s) // 3600 AS "VARCHAR"), 2, '0')`,
    `CREATE OR REPLACE MACRO SF_OFFSET_M(s) AS lpad(CAST(abs(s) % 3600 // 60 AS "VARCHAR"), 2, '0')`,
    `CREATE OR REPLACE MACRO SF_LTZ_TEXT(t, f) AS replace(replace(strftime(t, f), chr(1) || 'H', SF_OFFSET_H(date_part('timezone', t))), chr(1) || 'M', SF_OFFSET_M(date_part('timezone', t)))`,
    `CREATE OR REPLACE MACRO SF_FORMAT_TZ(x, f) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN SF_LTZ_TEXT(TRY_CAST(x AS TIMESTAMPTZ), f) ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:the format elements TZH/TZM applied to a value without a time zone') END`,
    // The formats ALTER SESSION set (statements/session-parameters.ts) are DuckDB variables, in
    // strftime form (convertFormat 'print'); unset, the defaults.
    `CREATE OR REPLACE MACRO SF_TEXT(x) AS CASE typeof(x) ` +
      `WHEN 'TIMESTAMP' THEN strftime(TRY_CAST(x AS TIMESTAMP), coalesce(getvariable('sf_fmt_timestamp_ntz'), '%Y-%m-%d %H:%M:%S.%g')) ` +
      `WHEN 'TIMESTAMP_S' THEN strftime(TRY_CAST(x AS TIMESTAMP), coalesce(getvariable('sf_fmt_timestamp_ntz'), '%Y-%m-%d %H:%M:%S.%g')) ` +
      `WHEN 'TIMESTAMP_MS' THEN strftime(TRY_CAST(x AS TIMESTAMP), coalesce(getvariable('sf_fmt_timestamp_ntz'), '%Y-%m-%d %H:%M:%S.%g')) ` +
      `WHEN 'TIMESTAMP WITH TIME ZONE' THEN SF_LTZ_TEXT(TRY_CAST(x AS TIMESTAMPTZ), coalesce(getvariable('sf_fmt_timestamp'), '%Y-%m-%d %H:%M:%S.%g ' || chr(1) || 'H' || chr(1) || 'M')) ` +
      `WHEN 'DATE' THEN strftime(TRY_CAST(x AS DATE), coalesce(getvariable('sf_fmt_date'), '%Y-%m-%d')) ` +
      // TIME as TIME_OUTPUT_FORMAT says, by default HH24:MI:SS.
      `WHEN 'TIME' THEN strftime(DATE '2000-01-01' + TRY_CAST(x AS TIME), coalesce(getvariable('sf_fmt_time'), '%H:%M:%S')) ` +
      // A VARIANT converts to the text inside it: a string without its quotes, a JSON null to SQL
      // NULL (https://docs.snowflake.com/en/user-guide/semistructured-considerations#null-values).
      `WHEN 'JSON' THEN ${variantText('TRY_CAST(x AS JSON)')} ` +
      `ELSE CAST(x AS "VARCHAR") END`,
    // With a format, TO_VARCHAR/TO_CHAR are rewritten by rewriteFormatLiterals (a literal format,
    // parsed by convertFormat); any other format fails there as not implemented.
    `CREATE OR REPLACE MACRO TO_VARCHAR(x) AS SF_TEXT(x), (x, f) AS error('SF_LOCAL_NOT_IMPLEMENTED:TO_VARCHAR with a format that is not a string literal')`,
    `CREATE OR REPLACE MACRO TO_CHAR(x) AS SF_TEXT(x), (x, f) AS error('SF_LOCAL_NOT_IMPLEMENTED:TO_CHAR with a format that is not a string literal')`,
    // With a format, TO_TIMESTAMP_* are reached through rewriteFormatLiterals (strptime needs a
    // constant format); without one, and the casts to timestamp types, through the macros of
    // functions/datetime.ts. Text whose fraction has non-zero digits below the microsecond fails
    // (NANOSECONDS).
    `CREATE OR REPLACE MACRO SF_NS_CHECK(x) AS ${microsecondsOnly(`CASE WHEN typeof(x) = 'VARCHAR' THEN CAST(x AS "VARCHAR") ELSE '' END`, 'x')}`,
    // An ISO-shaped format (rewriteFormatLiterals) parses by CAST, refusing nanoseconds.
    `CREATE OR REPLACE MACRO SF_ISO_NTZ(x) AS CAST(SF_NS_CHECK(x) AS TIMESTAMP)`,
    `CREATE OR REPLACE MACRO SF_ISO_LTZ(x) AS CAST(SF_NS_CHECK(x) AS TIMESTAMPTZ)`,
    `CREATE OR REPLACE MACRO SF_PARSE_NTZ(x, f) AS ${microsecondsOnly('x', 'CAST(strptime(x, f) AS TIMESTAMP)')}`,
    `CREATE OR REPLACE MACRO SF_PARSE_LTZ(x, f) AS ${microsecondsOnly('x', 'CAST(strptime(x, f) AS TIMESTAMPTZ)')}`,
    `CREATE OR REPLACE MACRO SF_PARSE_DATE(x, f) AS CAST(strptime(x, f) AS DATE)`,
    `CREATE OR REPLACE MACRO SF_FORMAT_TS(x, f) AS strftime(x, f)`,
    `CREATE OR REPLACE MACRO SF_TRY_PARSE_NTZ(x, f) AS ${microsecondsOnly('x', 'CAST(try_strptime(x, f) AS TIMESTAMP)')}`,
    `CREATE OR REPLACE MACRO SF_TRY_PARSE_LTZ(x, f) AS ${microsecondsOnly('x', 'CAST(try_strptime(x, f) AS TIMESTAMPTZ)')}`,
    `CREATE OR REPLACE MACRO SF_TRY_PARSE_DATE(x, f) AS CAST(try_strptime(x, f) AS DATE)`,
    `CREATE OR REPLACE MACRO DATEADD(part, n, ts) AS ts + ${DATE_PART_INTERVAL}`,
    `CREATE OR REPLACE MACRO TIMESTAMPADD(part, n, ts) AS ts + ${DATE_PART_INTERVAL}`,
    `CREATE OR REPLACE MACRO TIMESTAMPDIFF(part, a, b) AS date_diff(part, a, b)`,
    ...Object.entries(UNIT_INTERVAL).map(([unit, interval]) => `CREATE OR REPLACE MACRO SF_DATEADD_${unit.toUpperCase()}(n, ts) AS ts + ${interval}`),
    // Snowflake's PARSE_JSON (https://docs.snowflake.com/en/sql-reference/functions/parse_json):
    // keys sorted as Snowflake keeps them, unquoted keys taken (local/json-text.mjs).
    // PARSE_JSON(x, 'd') keeps the last of duplicate keys; 's' (the default) fails on them.
    `CREATE OR REPLACE MACRO PARSE_JSON(x) AS CAST(sf_json_parse(CAST(x AS "VARCHAR")) AS JSON), ` +
      `(x, p) AS CASE WHEN lower(p) = 'd' THEN CAST(sf_json_parse_last_wins(CAST(x AS "VARCHAR")) AS JSON) ` +
      `WHEN lower(p) = 's' THEN CAST(sf_json_parse(CAST(x AS "VARCHAR")) AS JSON) ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:PARSE_JSON with a parameter other than ''s'' or ''d''') END`,
    // A cast to VARCHAR(n) of a longer string fails (see rewriteVarcharCasts; errors.ts words it).
    `CREATE OR REPLACE MACRO SF_VARCHAR_CHECK(x, n) AS CASE WHEN length(SF_TEXT(x)) > n THEN error('SF_LOCAL_LENGTH:' || n || ':' || SF_TEXT(x)) ELSE SF_TEXT(x) END`,
    // ARRAY values are JSON arrays (VARIANT elements of any type), as Snowflake's ARRAY is;
    // ARRAY_CONSTRUCT(…) is rewritten to json_array(…) (macros take no variable argument lists).
    // https://docs.snowflake.com/en/sql-reference/data-types-semistructured#array
    `CREATE OR REPLACE MACRO TO_ARRAY(x) AS CASE WHEN x IS NULL THEN NULL WHEN json_type(to_json(x)) = 'ARRAY' THEN to_json(x) ELSE json_array(x) END`,
    `CREATE OR REPLACE MACRO ARRAY_APPEND(a, v) AS CAST(list_append(CAST(to_json(a) AS JSON[]), to_json(v)) AS JSON)`,
    `CREATE OR REPLACE MACRO HASH_AGG\n  ${hashAggOverloads(24)}`,
    ...FUNCTION_FAMILIES.flatMap((family) => family.setup),
  ];
}

/**
 * Macros with a typed overload, run after {@link setupSql}. On a DATE, DATEADD of a part of a
 * day or more gives a DATE (a smaller part a TIMESTAMP_NTZ from midnight;
 * https://docs.snowflake.com/en/sql-reference/functions/dateadd), where DuckDB's DATE + INTERVAL
 * is always a TIMESTAMP: the DATE overload casts back. A database file (DuckDB's default storage
 * version) cannot hold typed macros, and opening files with a newer storage version makes views
 * depend on the macros, so `CREATE OR REPLACE MACRO` fails on reopen: on a file the runtime keeps
 * the untyped ones (DATEADD on a DATE gives a TIMESTAMP there).
 */
export function typedSetupSql(): string[] {
  return [
    ...Object.entries(UNIT_INTERVAL)
      .filter(([unit]) => DATE_UNITS.has(unit))
      .map(([unit, interval]) => `CREATE OR REPLACE MACRO SF_DATEADD_${unit.toUpperCase()}(n, ts DATE) AS CAST(ts + ${interval} AS DATE), (n, ts) AS ts + ${interval}`),
    ...FUNCTION_FAMILIES.flatMap((family) => family.typedSetup ?? []),
  ];
}

/**
 * `NUMBER(38,0)` → `DECIMAL(38,0)`; `TIMESTAMP_NTZ(9)` → `TIMESTAMP_NTZ`: DuckDB's user types
 * cannot take modifiers. Only the parameterised forms are touched.
 */
export function rewriteTypeModifiers(sql: string): string {
  let out = replaceInCode(sql, /\b(?:NUMBER|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/gi, (_o, m) => `DECIMAL(${m[1]},${m[2] ?? '0'})`);
  // Fractional-second precision: DuckDB holds seconds, milliseconds or microseconds, so (0) and
  // (3) keep their scale (SfDate.getScale), (6) and (9) hold microseconds (sub-microsecond digits
  // are refused, see rejectNanoseconds), and the others, which nothing here can hold, fail.
  out = replaceInCode(out, /\b(TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMP|DATETIME|TIME)\s*\(\s*(\d)\s*\)/gi, (original, m) => {
    const name = (m[1] ?? '').toUpperCase();
    const n = Number(m[2]);
    if (name === 'TIME') return name;
    const ntz = name === 'TIMESTAMP_NTZ' || name === 'TIMESTAMP' || name === 'DATETIME';
    if (ntz && n === 0) return 'TIMESTAMP_S';
    if (ntz && n === 3) return 'TIMESTAMP_MS';
    if (n === 6 || n === 9) return name === 'DATETIME' ? 'TIMESTAMP' : name;
    throw notImplemented(`${original.replace(/\s+/g, '')} (fractional-second precision other than ${ntz ? '0, 3, 6 or 9' : '6 or 9'})`);
  });
  return out;
}

/**
 * What every refusal of sub-microsecond digits names. Snowflake's TIMESTAMP_*(0–9) keep up to
 * nanoseconds (https://docs.snowflake.com/en/sql-reference/data-types-datetime); the local engine
 * keeps microseconds (DuckDB's TIMESTAMPTZ has no nanosecond form), so such a value fails instead
 * of losing its last digits.
 */
export const NANOSECONDS = 'nanosecond precision (digits beyond microseconds)';

/** The engine's error() text that errors.ts turns into the not-implemented error naming {@link NANOSECONDS}. */
const NANOSECONDS_ERROR = `error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}')`;

/**
 * `value` (an expression of the engine), failing when `text` (an expression of type VARCHAR)
 * holds a fraction of a second with non-zero digits past the sixth. The text is read, not the
 * converted value: strptime rounds to the microsecond when the format has an offset (`%n %z`),
 * and a nanosecond value before 1678 does not fit the engine's nanosecond types.
 */
function microsecondsOnly(text: string, value: string): string {
  return `CASE WHEN regexp_matches(${text}, '[.][0-9]{6}[0-9]*[1-9]') THEN ${NANOSECONDS_ERROR} ELSE ${value} END`;
}

/** A timestamp text whose fraction has non-zero digits past the sixth (nanoseconds). */
const SUB_MICROSECOND = /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{6}(?!0{1,3}(?!\d))\d{1,3}(?!\d)/;

/** Whether `text` holds a timestamp with digits below the microsecond that are not zero. */
export function hasSubMicroseconds(text: string): boolean {
  return SUB_MICROSECOND.test(text);
}

/**
 * Snowflake's TIMESTAMP_*(9) keeps nanoseconds; DuckDB's TIMESTAMP keeps microseconds and would
 * drop the last three digits without a word. A string literal holding such a timestamp fails
 * instead (binds are checked by the session). https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz
 */
export function rejectNanoseconds(sql: string): string {
  for (const seg of segments(sql)) {
    if (seg.kind === 'string' && hasSubMicroseconds(seg.text)) {
      throw notImplemented(`${NANOSECONDS} in ${seg.text}`, sql);
    }
  }
  return sql;
}

/**
 * `FLOAT`, `FLOAT4` and `REAL` → `DOUBLE`: in Snowflake every floating-point type is a 64-bit
 * double (https://docs.snowflake.com/en/sql-reference/data-types-numeric#float-float4-float8);
 * in DuckDB `FLOAT`/`FLOAT4`/`REAL` are single precision (`5.14::FLOAT` would read 5.139999866…).
 */
export function rewriteFloatTypes(sql: string): string {
  return replaceInCode(sql, /(?<![\w$.])(?:FLOAT4|FLOAT|REAL)\b(?!\s*\()/gi, () => 'DOUBLE');
}

/**
 * `INT`, `INTEGER`, `SMALLINT`, `TINYINT`, `BYTEINT` → `BIGINT`: in Snowflake every integer type is
 * NUMBER(38,0) (https://docs.snowflake.com/en/sql-reference/data-types-numeric#int-integer-bigint-smallint-tinyint-byteint);
 * in DuckDB they are 8- to 32-bit integers, so `3000000000::INT` or an INT column holding it
 * failed (and BYTEINT did not exist). They become the engine's 64-bit integer, which its integer
 * functions still take (a DECIMAL(38,0) would not be); a value past 64 bits fails loudly.
 */
export function rewriteIntegerTypes(sql: string): string {
  return replaceInCode(sql, /(?<![\w$."])(?:INTEGER|INT|SMALLINT|TINYINT|BYTEINT)\b(?!\s*\()/gi, () => 'BIGINT');
}

const TEXT_TYPE = /^(?:VARCHAR|STRING|TEXT|NVARCHAR2?|CHAR|CHARACTER|NCHAR)(?:\s*\(\s*(\d+)\s*\))?$/i;

/**
 * Casts to text. To `VARCHAR(n)` they fail when the string is longer, as in Snowflake (100078;
 * DuckDB ignores the length): `CAST(x AS VARCHAR(n))` and `x::VARCHAR(n)` →
 * `SF_VARCHAR_CHECK(x, n)`. Without a length they print timestamps in Snowflake's default output
 * formats: `CAST(x AS VARCHAR)` and `x::VARCHAR` → `SF_TEXT(x)`.
 * https://docs.snowflake.com/en/sql-reference/data-types-text#varchar
 */
export function rewriteVarcharCasts(sql: string): string {
  return rewriteCasts(sql, 'VARCHAR|STRING|TEXT|NVARCHAR2?|CHAR|CHARACTER|NCHAR', (expr, type) => {
    const m = TEXT_TYPE.exec(type);
    if (!m) return null;
    return m[1] === undefined ? `SF_TEXT(${expr})` : `SF_VARCHAR_CHECK(${expr}, ${m[1]})`;
  });
}

/**
 * Rewrites every cast to one of `typeNames` (`CAST(x AS T)` and `x::T`, T with an optional
 * `(n)`), innermost first, into what `replace` returns for its operand and type (null: leave it).
 */
function rewriteCasts(sql: string, typeNames: string, replace: (expr: string, type: string) => string | null): string {
  let out = sql;
  for (let guard = 0; guard < 1000; guard++) {
    const next = rewriteLastCast(out, typeNames, replace);
    if (next === out) return out;
    out = next;
  }
  return out;
}

/** Rewrites the last cast of the statement that `replace` takes (inner casts come first that way). */
function rewriteLastCast(sql: string, typeNames: string, replace: (expr: string, type: string) => string | null): string {
  const masked = mask(sql);
  let best: { from: number; to: number; text: string } | undefined;
  const calls = /\bCAST\s*\(/gi;
  let m: RegExpExecArray | null;
  while ((m = calls.exec(masked)) !== null) {
    const open = m.index + m[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) continue;
    // The last AS of the call (an inner CAST(… AS …) may come first).
    const as = /\s+AS\s+((?:(?!\s+AS\s)[\s\S])+)$/i.exec(masked.slice(open + 1, close));
    if (!as) continue;
    const text = replace(sql.slice(open + 1, open + 1 + as.index), (as[1] ?? '').trim());
    if (text !== null && (!best || m.index > best.from)) best = { from: m.index, to: close + 1, text };
  }
  const colons = new RegExp(`::\\s*((?:${typeNames})\\b(?:\\s*\\(\\s*\\d+\\s*\\))?)(?!\\s*[[(])`, 'gi');
  while ((m = colons.exec(masked)) !== null) {
    const start = operandStart(masked, m.index);
    if (start < 0) continue;
    const text = replace(sql.slice(start, m.index).trim(), m[1] ?? '');
    if (text !== null && (!best || start > best.from)) best = { from: start, to: m.index + m[0].length, text };
  }
  return best ? sql.slice(0, best.from) + best.text + sql.slice(best.to) : sql;
}

/** A timestamp type that holds up to nanoseconds in Snowflake: no precision, or (9). */
const NS_TIMESTAMP_TYPE = /^(?:TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMP|DATETIME)(?:\s*\(\s*9\s*\))?$/i;

/**
 * Casts to a timestamp type of precision 9 (the default) convert as TO_TIMESTAMP_* does
 * (functions/datetime.ts): text with a UTC offset in any of Snowflake's spellings, integers in
 * text by their size, numbers as seconds, and digits below the microsecond refused (see
 * NANOSECONDS): `CAST(x AS TIMESTAMP_NTZ)` and `x::TIMESTAMP_NTZ` → `SF_TO_NTZ(x)`,
 * `x::TIMESTAMP_LTZ`/`_TZ` → `SF_TO_LTZ(x)`.
 * https://docs.snowflake.com/en/sql-reference/data-types-datetime
 */
export function rewriteTimestampCasts(sql: string): string {
  return rewriteCasts(sql, 'TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMP|DATETIME|TIME', (expr, type) => {
    // TIME keeps nanoseconds in Snowflake too: text with digits below the microsecond is refused.
    if (/^TIME(?:\s*\(\s*9\s*\))?$/i.test(type)) return `SF_TO_TIME(${expr})`;
    // NTZ of precision 0 or 3: the same conversion, then the engine's second/millisecond type.
    if (/^(?:TIMESTAMP_NTZ|TIMESTAMP|DATETIME)\s*\(\s*[03]\s*\)$/i.test(type)) return /^\s*SF_TO_NTZ\s*\(/i.test(expr) ? null : `CAST(SF_TO_NTZ(${expr}) AS ${type})`;
    if (!NS_TIMESTAMP_TYPE.test(type)) return null;
    return /^TIMESTAMP_(?:LTZ|TZ)/i.test(type) ? `SF_TO_LTZ(${expr})` : `SF_TO_NTZ(${expr})`;
  });
}

/**
 * Where the operand of a `::` at `at` starts (a literal, a name, or a parenthesised or called
 * expression, with the casts already applied to it: `'x'::TIMESTAMP_NTZ::VARCHAR`).
 */
function operandStart(masked: string, at: number): number {
  const start = simpleOperandStart(masked, at);
  if (start < 0) return start;
  let j = start - 1;
  while (j >= 0 && /\s/.test(masked[j] as string)) j--;
  return j >= 1 && masked[j] === ':' && masked[j - 1] === ':' ? operandStart(masked, j - 1) : start;
}

function simpleOperandStart(masked: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && /\s/.test(masked[i] as string)) i--;
  if (i < 0) return -1;
  const ch = masked[i] as string;
  if (ch === "'") {
    const open = masked.lastIndexOf("'", i - 1);
    return open;
  }
  if (ch === ')') {
    let depth = 0;
    for (; i >= 0; i--) {
      if (masked[i] === ')') depth++;
      else if (masked[i] === '(' && --depth === 0) break;
    }
    if (i < 0) return -1;
    while (i > 0 && /[\w$.]/.test(masked[i - 1] as string)) i--;
    return i;
  }
  while (i > 0 && /[\w$."\u0001]/.test(masked[i - 1] as string)) i--;
  return /[\w$."]/.test(masked[i] as string) ? i : -1;
}

/**
 * `ARRAY` as a type → `JSON` (DuckDB's ARRAY is a fixed-size typed list; Snowflake's holds
 * VARIANTs), `VARIANT` as a type → `JSON` (DuckDB 1.4 has a VARIANT type of its own, which prints
 * a stored object as `{'k': [1, 2]}` and so would shadow the JSON alias of setupSql), and
 * `ARRAY_CONSTRUCT(…)` → `json_array(…)`.
 */
export function rewriteArrays(sql: string): string {
  const out = replaceInCode(sql, /(?<![\w$.])ARRAY_CONSTRUCT\s*\(/gi, () => 'json_array(');
  const typed = replaceInCode(out, /(?<![\w$.])VARIANT\b(?!\s*\()/gi, () => 'JSON');
  return replaceInCode(typed, /(?<![\w$.])ARRAY\b(?!\s*[[(])/gi, () => 'JSON');
}

/**
 * Bare `CURRENT_TIMESTAMP` / `CURRENT_DATE` / `LOCALTIMESTAMP` are keywords in DuckDB that read
 * its own clock (frozen at transaction start); route them to the runtime's clock macros.
 */
export function rewriteCurrentTime(sql: string): string {
  let out = replaceInCode(sql, /\bCURRENT_TIMESTAMP\b(?!\s*\()/gi, () => 'CURRENT_TIMESTAMP()');
  out = replaceInCode(out, /\bLOCALTIMESTAMP\b(?!\s*\()/gi, () => 'LOCALTIMESTAMP()');
  out = replaceInCode(out, /\bCURRENT_DATE\b(\s*\(\s*\))?/gi, () => 'SF_CURRENT_DATE()');
  out = replaceInCode(out, /(?<![\w$.])(?:CURRENT_TIME|LOCALTIME)\b(\s*\(\s*\))?/gi, () => 'SF_CURRENT_TIME()');
  return out;
}

/** `DATEADD(second, …)` → `DATEADD('second', …)`: Snowflake takes the date part unquoted too. */
export function quoteDateParts(sql: string): string {
  return replaceInCode(
    sql,
    /\b(DATEADD|TIMESTAMPADD|DATEDIFF|TIMESTAMPDIFF|DATE_TRUNC|DATE_PART)\s*\(\s*([A-Za-z_]+)\s*,/gi,
    (_o, m) => `${m[1]}('${(m[2] ?? '').toLowerCase()}',`,
  );
}

/** Snowflake's numbered binds `:1` → DuckDB's `$1` (a `::` cast is left alone). */
export function rewriteNumberedBinds(sql: string): string {
  return replaceInCode(sql, /(?<![:\w]):(\d+)\b/g, (_o, m) => `$${m[1]}`);
}

/**
 * `TABLE(f(...))` → `f(...)`: DuckDB calls table functions without the TABLE() wrapper.
 */
export function unwrapTableFunction(sql: string): string {
  let out = sql;
  for (;;) {
    const masked = mask(out);
    const m = /\bTABLE\s*\(/i.exec(masked);
    if (!m) return out;
    const open = m.index + m[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) return out;
    out = out.slice(0, m.index) + out.slice(open + 1, close) + out.slice(close + 1);
  }
}

const FORMAT_FUNCTIONS: Record<string, string> = {
  TRY_TO_TIMESTAMP_NTZ: 'SF_TRY_PARSE_NTZ',
  TRY_TO_TIMESTAMP: 'SF_TRY_PARSE_NTZ',
  TRY_TO_TIMESTAMP_LTZ: 'SF_TRY_PARSE_LTZ',
  TRY_TO_TIMESTAMP_TZ: 'SF_TRY_PARSE_LTZ',
  TRY_TO_DATE: 'SF_TRY_PARSE_DATE',
  TO_TIMESTAMP_NTZ: 'SF_PARSE_NTZ',
  TO_TIMESTAMP: 'SF_PARSE_NTZ',
  TO_TIMESTAMP_LTZ: 'SF_PARSE_LTZ',
  TO_TIMESTAMP_TZ: 'SF_PARSE_LTZ',
  TO_DATE: 'SF_PARSE_DATE',
  TO_VARCHAR: 'SF_FORMAT_TS',
  TO_CHAR: 'SF_FORMAT_TS',
};

/**
 * `TO_TIMESTAMP_NTZ(x, 'YYYY-MM-DD HH24:MI:SS.FF9')` → `SF_PARSE_NTZ(x, '%Y-%m-%d %H:%M:%S.%n')`
 * (and TO_VARCHAR/TO_CHAR/TO_DATE/TO_TIMESTAMP likewise): DuckDB's strptime needs a constant
 * format, so a literal Snowflake format is converted here. A parse format that is not a literal
 * fails as not implemented.
 *
 * One pass over one masked copy of the statement, calls handled in order of where they start (an
 * outer call before the calls in its first argument): masking again after every rewritten call
 * made a bulk `INSERT … VALUES` with a call per row quadratic (4,000 rows took 25 s).
 */
export function rewriteFormatLiterals(sql: string): string {
  const masked = mask(sql);
  const call = /\b((?:TRY_)?(?:TO_TIMESTAMP_NTZ|TO_TIMESTAMP_LTZ|TO_TIMESTAMP_TZ|TO_TIMESTAMP|TO_DATE)|TO_VARCHAR|TO_CHAR)\s*\(/gi;
  const out: string[] = [];
  let changed = false;
  // An unclosed call leaves the rest of the statement as it is.
  let stopped = false;

  // Appends sql[start, end) with every format call in it rewritten.
  const rewriteRange = (start: number, end: number): void => {
    let emitted = start;
    let from = start;
    while (!stopped) {
      call.lastIndex = from;
      const m = call.exec(masked);
      if (!m || m.index >= end) break;
      const open = m.index + m[0].length - 1;
      const close = closingParen(masked, open);
      if (close < 0) {
        stopped = true;
        break;
      }
      from = open + 1;
      if (close >= end) continue;
      const args = argumentRanges(sql, masked, open + 1, close);
      if (args.length !== 2) continue;
      const [value, format] = args as [[number, number], [number, number]];
      const fmt = sql.slice(format[0], format[1]);
      const fn = (m[1] ?? '').toUpperCase();
      if (!/^'(?:[^']|'')*'$/.test(fmt)) throw notImplemented(`${fn} with a format that is not a string literal${fn.includes('TIMESTAMP') ? ' (or a scale that is not an integer literal)' : ''}`, sql);
      const text = unquoteString(fmt);
      const target = FORMAT_FUNCTIONS[fn] as string;
      // Numeric formats (TO_VARCHAR(1234.5, '999,999.00')) are the numeric format family's
      // (functions/numeric-format.ts), which rewrites them before this; none is a date format.
      if (classifyFormat(text) !== null) throw notImplemented(`${fn} with the numeric format '${text}' as a date format`, sql);
      // ISO-shaped formats parse by CAST: it takes 9 fraction digits and years before 1678,
      // where strptime's nanosecond result overflows. For timestamps it goes through the
      // SF_ISO_NTZ/LTZ macros, which refuse digits below the microsecond (NANOSECONDS) that the
      // cast would drop.
      const iso = /^YYYY-MM-DD( HH24:MI:SS(\.FF[1-9]?)?)?$/i.test(text) && target.startsWith('SF_PARSE');
      const isoOpen = target === 'SF_PARSE_DATE' ? 'CAST(' : target === 'SF_PARSE_LTZ' ? 'SF_ISO_LTZ(' : 'SF_ISO_NTZ(';
      // A printing format with offsets (TZH/TZM) needs the value's offset: SF_FORMAT_TZ.
      const printing = convertFormat(text, target === 'SF_FORMAT_TS' ? 'print' : 'parse');
      const opening = target === 'SF_FORMAT_TS' && printing.includes('\u0001') ? 'SF_FORMAT_TZ' : target;
      out.push(sql.slice(emitted, m.index), iso ? isoOpen : `${opening}(`);
      changed = true;
      // The first argument may hold format calls of its own.
      rewriteRange(value[0], value[1]);
      out.push(
        iso
          ? (target === 'SF_PARSE_DATE' ? ' AS DATE)' : ')')
          : `, ${quoteString(printing)})`,
      );
      emitted = close + 1;
      from = close + 1;
    }
    out.push(sql.slice(emitted, end));
  };

  rewriteRange(0, sql.length);
  return changed ? out.join('') : sql;
}


/**
 * Snowflake reads backslash escapes in '…' literals (`'a\\b'` is `a\b`, `'\n'` a newline);
 * DuckDB reads them as plain characters. Literals holding a backslash are re-quoted in
 * standard form. https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants
 */
export function rewriteStringEscapes(sql: string): string {
  if (!sql.includes('\\')) return sql;
  return segments(sql)
    .map((seg) => (seg.kind === 'string' && seg.text.includes('\\') ? quoteString(unquoteString(seg.text)) : seg.text))
    .join('');
}
