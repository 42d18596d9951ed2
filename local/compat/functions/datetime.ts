/**
 * Dates, timestamps and time zones (https://docs.snowflake.com/en/sql-reference/functions-date-time).
 *
 * - Conversions to timestamps (`TO_TIMESTAMP[_NTZ|_LTZ|_TZ](x [, scale])`, `TRY_TO_TIMESTAMP*`,
 *   and the casts `CAST(x AS TIMESTAMP_*)` / `x::TIMESTAMP_*`, which compat/functions.ts
 *   rewriteTimestampCasts sends here): text with a UTC offset written as Snowflake takes it
 *   (`+05:00`, `+0500`, `+05`, `Z`, with or without a space before it, ISO `T` form) becomes the
 *   instant it names for TIMESTAMP_LTZ/TZ, and its wall-clock time for TIMESTAMP_NTZ, which
 *   ignores the offset (https://docs.snowflake.com/en/sql-reference/functions/year shows
 *   `'2025-04-11T23:39:20.123-07:00'::TIMESTAMP` as `2025-04-11 23:39:20.123`); text holding only
 *   an integer counts seconds, milliseconds, microseconds or nanoseconds by its size, a number
 *   counts seconds (or units of 10^-scale seconds with a scale), since 1970-01-01 UTC
 *   (https://docs.snowflake.com/en/sql-reference/functions/to_timestamp). Digits below the
 *   microsecond that are not zero fail as not implemented (compat/functions.ts NANOSECONDS).
 * - Construction: DATE_FROM_PARTS, TIME_FROM_PARTS, TIMESTAMP[_NTZ|_LTZ|_TZ]_FROM_PARTS, with
 *   values outside the usual ranges carried over (month 13 is January of the next year, day 0 the
 *   last day of the month before).
 * - Extraction: DATE_PART/EXTRACT with Snowflake's part names (dayofweek, dayofweekiso, week,
 *   weekiso, yearofweek, epoch_second, epoch_millisecond, …, nanosecond), DAYOFWEEKISO, WEEKISO,
 *   YEAROFWEEK, YEAROFWEEKISO, DAYNAME/MONTHNAME (three letters), under the default WEEK_START (0)
 *   and WEEK_OF_YEAR_POLICY (0): weeks start on Monday, WEEK is the ISO week, DAYOFWEEK counts
 *   from Sunday = 0.
 * - Arithmetic: DATEDIFF/TIMESTAMPDIFF/TIMEDIFF count the boundaries of the part crossed (weeks
 *   start on Monday), DATE_TRUNC keeps a DATE a DATE, ADD_MONTHS keeps the last day of a month
 *   the last day, MONTHS_BETWEEN, LAST_DAY(d [, part]), NEXT_DAY, PREVIOUS_DAY, TIMEADD.
 */
import { notImplemented } from '../../errors.js';
import { quoteString, unquoteString } from '../../sql-text.js';
import { argumentRanges, closingParen, mask, replaceInCode } from '../rewrite.js';
import { respellOffset } from '../timestamp-targets.js';
import type { FunctionFamily } from './family.js';

/** The engine's error() that errors.ts turns into a not-implemented error naming `what`. */
const refuse = (what: string): string => `error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")}')`;

/** Same text as compat/functions.ts NANOSECONDS (not imported: that module imports the families). */
const NANOSECONDS = 'nanosecond precision (digits beyond microseconds)';

/** A condition on a macro parameter `x`: its type is a number. */
const isNumber = (x: string): string =>
  `regexp_matches(typeof(${x}), '^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DOUBLE|FLOAT|DECIMAL)')`;

/** Text holding only an integer (TO_TIMESTAMP('1700000000')). */
const INTEGER_TEXT = `'^\\s*[+-]?[0-9]+\\s*$'`;

/** One Snowflake offset spelling → DuckDB's (`±HH:MM` right after the time). */
const OFFSET_STEPS: Array<[string, string]> = [
  // HH:MI before an offset: the engine needs the seconds there.
  [`'([T ][0-9]{1,2}:[0-9]{2})(\\s*(?:[+-][0-9]{2}|[Zz])[0-9:]*)$'`, `'\\1:00\\2'`],
  [`'(:[0-9]{2}(?:[.][0-9]*)?)\\s*([+-][0-9]{2}):?([0-9]{2})$'`, `'\\1\\2:\\3'`],
  [`'(:[0-9]{2}(?:[.][0-9]*)?)\\s*([+-][0-9]{2})$'`, `'\\1\\2:00'`],
  [`'(:[0-9]{2}(?:[.][0-9]*)?)\\s*[Zz]$'`, `'\\1+00:00'`],
];

function normaliseOffset(s: string): string {
  return OFFSET_STEPS.reduce((text, [from, to]) => `regexp_replace(${text}, ${from}, ${to})`, `trim(${s})`);
}

/**
 * Timestamp conversions of one kind: NTZ (DuckDB TIMESTAMP) or LTZ (TIMESTAMPTZ, also TZ here),
 * strict or TRY_ (text that is no timestamp gives NULL).
 */
function conversions(kind: 'NTZ' | 'LTZ', strict: boolean): string[] {
  const type = kind === 'NTZ' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
  const prefix = `SF_${strict ? '' : 'TRY_'}`;
  const fromMicros = (us: string): string => (kind === 'NTZ' ? `make_timestamp(${us})` : `timezone('UTC', make_timestamp(${us}))`);
  const cast = strict ? 'CAST' : 'TRY_CAST';
  return [
    // Text: an integer counts seconds, milliseconds, microseconds or nanoseconds by its size;
    // anything else is a timestamp, its offset in DuckDB's spelling.
    `CREATE OR REPLACE MACRO ${prefix}${kind}_FROM_TEXT(s) AS CASE ` +
      `WHEN regexp_matches(s, ${INTEGER_TEXT}) THEN ${fromMicros(`SF_INTEGER_TEXT_MICROS(TRY_CAST(trim(s) AS HUGEINT))`)} ` +
      `WHEN regexp_matches(s, '[.][0-9]{6}[0-9]*[1-9]') THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ` +
      `ELSE ${cast}(${normaliseOffset('s')} AS ${type}) END`,
    `CREATE OR REPLACE MACRO ${prefix}TO_${kind}(x) AS CASE WHEN x IS NULL THEN NULL ` +
      `WHEN typeof(x) = 'VARCHAR' OR typeof(x) = 'JSON' THEN ${prefix}${kind}_FROM_TEXT(CASE WHEN typeof(x) = 'JSON' THEN json_extract_string(CAST(x AS VARCHAR), '$') ELSE CAST(x AS VARCHAR) END) ` +
      (strict
        ? `WHEN ${isNumber('x')} THEN ${fromMicros('SF_NUMBER_MICROS(x, 0)')} ` +
          `WHEN typeof(x) = 'BOOLEAN' THEN ${refuse('a BOOLEAN converted to a timestamp (Snowflake fails it)')} `
        : `WHEN typeof(x) <> 'DATE' AND NOT starts_with(typeof(x), 'TIMESTAMP') THEN ${refuse('TRY_ conversion of anything but text to a timestamp (Snowflake takes only text)')} `) +
      `ELSE TRY_CAST(x AS ${type}) END`,
  ];
}

/** Macros of this family. */
const SETUP: string[] = [
  // Microseconds since the epoch of `v` units of 10^-scale seconds; digits below the microsecond
  // that are not zero fail (the engine keeps microseconds).
  `CREATE OR REPLACE MACRO SF_EPOCH_MICROS(v, scale) AS CASE ` +
    `WHEN scale NOT BETWEEN 0 AND 9 THEN ${refuse('a timestamp scale outside 0 to 9')} ` +
    `WHEN CAST(v * 1000000000 AS HUGEINT) % CAST(power(10, scale + 3) AS HUGEINT) <> 0 THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ` +
    `WHEN abs(CAST(v * 1000000000 AS HUGEINT) // CAST(power(10, scale + 3) AS HUGEINT)) > 253402300799999999 THEN ${refuse('a timestamp after the year 9999 or before the year -9999 from a number')} ` +
    `ELSE CAST(CAST(v * 1000000000 AS HUGEINT) // CAST(power(10, scale + 3) AS HUGEINT) AS BIGINT) END`,
  // https://docs.snowflake.com/en/sql-reference/functions/to_timestamp usage notes: an integer
  // in text below 31536000000 is seconds, below 31536000000000 milliseconds, below
  // 31536000000000000 microseconds, else nanoseconds.
  `CREATE OR REPLACE MACRO SF_INTEGER_TEXT_MICROS(v) AS CAST(CASE WHEN v < 31536000000 THEN v * 1000000 WHEN v < 31536000000000 THEN v * 1000 ` +
    `WHEN v < 31536000000000000 THEN v WHEN v % 1000 <> 0 THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ELSE v // 1000 END AS BIGINT)`,
  `CREATE OR REPLACE MACRO SF_NUMBER_MICROS(x, scale) AS CASE ` +
    `WHEN x IS NOT NULL AND TRY_CAST(x AS DECIMAL(38,9)) IS NULL THEN ${refuse('a number of seconds outside the timestamp range')} ` +
    `ELSE SF_EPOCH_MICROS(TRY_CAST(x AS DECIMAL(38,9)), scale) END`,
  ...conversions('NTZ', true),
  ...conversions('LTZ', true),
  ...conversions('NTZ', false),
  ...conversions('LTZ', false),
  // A query's column inserted into a timestamp column (compat/timestamp-targets.ts): text
  // converts as a cast does, any other type is left to the INSERT.
  `CREATE OR REPLACE MACRO SF_TEXT_TO_NTZ(c) AS CASE WHEN typeof(c) = 'VARCHAR' THEN SF_NTZ_FROM_TEXT(CAST(c AS VARCHAR)) ELSE CAST(c AS TIMESTAMP) END`,
  `CREATE OR REPLACE MACRO SF_TEXT_TO_LTZ(c) AS CASE WHEN typeof(c) = 'VARCHAR' THEN SF_LTZ_FROM_TEXT(CAST(c AS VARCHAR)) ELSE CAST(c AS TIMESTAMPTZ) END`,
  // TO_TIMESTAMP maps to TO_TIMESTAMP_NTZ under the default TIMESTAMP_TYPE_MAPPING.
  // The argument is bound once, as a lambda's parameter: the conversion names it many times, and
  // a nested expression (`TO_TIMESTAMP_NTZ(40 * 365.25 * 86400)`) repeated in every place took
  // seconds to bind.
  `CREATE OR REPLACE MACRO TO_TIMESTAMP(x) AS list_transform([x], lambda sf_x: SF_TO_NTZ(sf_x))[1]`,
  `CREATE OR REPLACE MACRO TO_TIMESTAMP_NTZ(x) AS list_transform([x], lambda sf_x: SF_TO_NTZ(sf_x))[1]`,
  `CREATE OR REPLACE MACRO TO_TIMESTAMP_LTZ(x) AS list_transform([x], lambda sf_x: SF_TO_LTZ(sf_x))[1]`,
  `CREATE OR REPLACE MACRO TO_TIMESTAMP_TZ(x) AS list_transform([x], lambda sf_x: SF_TO_LTZ(sf_x))[1]`,
  `CREATE OR REPLACE MACRO TRY_TO_TIMESTAMP(x) AS SF_TRY_TO_NTZ(x)`,
  `CREATE OR REPLACE MACRO TRY_TO_TIMESTAMP_NTZ(x) AS SF_TRY_TO_NTZ(x)`,
  `CREATE OR REPLACE MACRO TRY_TO_TIMESTAMP_LTZ(x) AS SF_TRY_TO_LTZ(x)`,
  `CREATE OR REPLACE MACRO TRY_TO_TIMESTAMP_TZ(x) AS SF_TRY_TO_LTZ(x)`,
  // TO_TIMESTAMP*(number, scale): the scaled form, numbers only.
  `CREATE OR REPLACE MACRO SF_SCALED_NTZ(x, scale) AS CASE WHEN x IS NULL THEN NULL WHEN ${isNumber('x')} THEN make_timestamp(SF_NUMBER_MICROS(x, scale)) ` +
    `ELSE ${refuse('TO_TIMESTAMP_* with a scale of anything but a number')} END`,
  `CREATE OR REPLACE MACRO SF_SCALED_LTZ(x, scale) AS CASE WHEN x IS NULL THEN NULL WHEN ${isNumber('x')} THEN timezone('UTC', make_timestamp(SF_NUMBER_MICROS(x, scale))) ` +
    `ELSE ${refuse('TO_TIMESTAMP_* with a scale of anything but a number')} END`,
  // TO_DATE/DATE (https://docs.snowflake.com/en/sql-reference/functions/to_date): integer text
  // counts seconds, milliseconds, … since the epoch as TO_TIMESTAMP does; the rest casts.
  `CREATE OR REPLACE MACRO TO_DATE(x) AS CASE WHEN typeof(x) = 'VARCHAR' AND regexp_matches(CAST(x AS VARCHAR), ${INTEGER_TEXT}) ` +
    `THEN CAST(SF_NTZ_FROM_TEXT(CAST(x AS VARCHAR)) AS DATE) ELSE CAST(x AS DATE) END`,
  `CREATE OR REPLACE MACRO "DATE"(x) AS TO_DATE(x)`,
  `CREATE OR REPLACE MACRO TRY_TO_DATE(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) = 'VARCHAR' THEN TRY_CAST(trim(CAST(x AS VARCHAR)) AS DATE) ` +
    `ELSE ${refuse('TRY_TO_DATE of anything but text')} END`,
  // CONVERT_TIMEZONE (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone):
  // the 3-argument form moves an NTZ wall-clock time between zones (a TIMESTAMP_NTZ); the
  // 2-argument form gives the wall-clock time of the instant in the target zone, as a
  // TIMESTAMP_NTZ here where Snowflake returns a TIMESTAMP_TZ with the target's offset (see
  // local/README.md "Where it differs"): its text without TZH/TZM, its date parts and its cast
  // to TIMESTAMP_NTZ agree.
  // Text converts as a cast does; timestamps go straight to the engine (the lighter macro: the
  // sync's window queries call this on every run).
  `CREATE OR REPLACE MACRO CONVERT_TIMEZONE(tz, x) AS timezone(tz, SF_TEXT_TO_LTZ(x)), (src, tgt, x) AS timezone(tgt, timezone(src, SF_TEXT_TO_NTZ(x)))`,
  // Construction (https://docs.snowflake.com/en/sql-reference/functions/date_from_parts,
  // …/timestamp_from_parts, …/time_from_parts): out-of-range parts carry over.
  `CREATE OR REPLACE MACRO DATE_FROM_PARTS(y, m, d) AS CAST(make_date(CAST(y AS BIGINT), 1, 1) + to_months(CAST(m AS BIGINT) - 1) + to_days(CAST(d AS BIGINT) - 1) AS DATE)`,
  `CREATE OR REPLACE MACRO SF_NTZ_PARTS(y, mo, d, h, mi, s, ns) AS make_timestamp(CAST(y AS BIGINT), 1, 1, 0, 0, 0) + to_months(CAST(mo AS BIGINT) - 1) + to_days(CAST(d AS BIGINT) - 1) ` +
    `+ to_hours(CAST(h AS BIGINT)) + to_minutes(CAST(mi AS BIGINT)) + to_seconds(CAST(s AS BIGINT)) ` +
    `+ to_microseconds(CASE WHEN CAST(ns AS BIGINT) % 1000 <> 0 THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ELSE CAST(ns AS BIGINT) // 1000 END)`,
  `CREATE OR REPLACE MACRO TIMESTAMP_NTZ_FROM_PARTS(y, mo, d, h, mi, s) AS SF_NTZ_PARTS(y, mo, d, h, mi, s, 0), (y, mo, d, h, mi, s, ns) AS SF_NTZ_PARTS(y, mo, d, h, mi, s, ns)`,
  `CREATE OR REPLACE MACRO TIMESTAMP_FROM_PARTS(y, mo, d, h, mi, s) AS SF_NTZ_PARTS(y, mo, d, h, mi, s, 0), (y, mo, d, h, mi, s, ns) AS SF_NTZ_PARTS(y, mo, d, h, mi, s, ns)`,
  `CREATE OR REPLACE MACRO TIMESTAMP_LTZ_FROM_PARTS(y, mo, d, h, mi, s) AS CAST(SF_NTZ_PARTS(y, mo, d, h, mi, s, 0) AS TIMESTAMPTZ), (y, mo, d, h, mi, s, ns) AS CAST(SF_NTZ_PARTS(y, mo, d, h, mi, s, ns) AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO TIMESTAMP_TZ_FROM_PARTS(y, mo, d, h, mi, s) AS CAST(SF_NTZ_PARTS(y, mo, d, h, mi, s, 0) AS TIMESTAMPTZ), ` +
    `(y, mo, d, h, mi, s, ns) AS CAST(SF_NTZ_PARTS(y, mo, d, h, mi, s, ns) AS TIMESTAMPTZ), ` +
    `(y, mo, d, h, mi, s, ns, tz) AS timezone(tz, SF_NTZ_PARTS(y, mo, d, h, mi, s, ns))`,
  // TIME (https://docs.snowflake.com/en/sql-reference/functions/to_time,
  // …/time_from_parts): text, a TIME, or the time of a timestamp; parts past a day wrap around.
  `CREATE OR REPLACE MACRO SF_TO_TIME(x) AS CASE WHEN x IS NULL THEN NULL ` +
    `WHEN typeof(x) = 'VARCHAR' THEN CASE WHEN regexp_matches(CAST(x AS VARCHAR), '[.][0-9]{6}[0-9]*[1-9]') THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ELSE CAST(trim(CAST(x AS VARCHAR)) AS TIME) END ` +
    `WHEN typeof(x) = 'TIME' THEN TRY_CAST(x AS TIME) ` +
    // The engine casts no TIMESTAMPTZ to TIME: through the wall-clock time in the session's zone.
    `WHEN starts_with(typeof(x), 'TIMESTAMP') THEN CAST(TRY_CAST(x AS TIMESTAMP) AS TIME) ` +
    `ELSE ${refuse('TO_TIME of anything but text, a TIME or a timestamp')} END`,
  `CREATE OR REPLACE MACRO TO_TIME(x) AS SF_TO_TIME(x)`,
  // https://docs.snowflake.com/en/sql-reference/functions/try_to_time: NULL for text that is no time.
  `CREATE OR REPLACE MACRO TRY_TO_TIME(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) = 'VARCHAR' THEN CASE ` +
    `WHEN regexp_matches(CAST(x AS VARCHAR), '[.][0-9]{6}[0-9]*[1-9]') THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ELSE TRY_CAST(trim(CAST(x AS VARCHAR)) AS TIME) END ` +
    `ELSE ${refuse('TRY_TO_TIME of anything but text (Snowflake takes only text)')} END`,
  `CREATE OR REPLACE MACRO SF_TIME_PARTS(h, m, s, ns) AS TIME '00:00:00' + to_microseconds((` +
    `((CAST(h AS BIGINT) * 3600 + CAST(m AS BIGINT) * 60 + CAST(s AS BIGINT)) * 1000000 ` +
    `+ CASE WHEN CAST(ns AS BIGINT) % 1000 <> 0 THEN error('SF_LOCAL_NOT_IMPLEMENTED:${NANOSECONDS}') ELSE CAST(ns AS BIGINT) // 1000 END) % 86400000000 + 86400000000) % 86400000000)`,
  `CREATE OR REPLACE MACRO TIME_FROM_PARTS(h, m, s) AS SF_TIME_PARTS(h, m, s, 0), (h, m, s, ns) AS SF_TIME_PARTS(h, m, s, ns)`,
  // Extraction under the default WEEK_START and WEEK_OF_YEAR_POLICY (0, 0).
  `CREATE OR REPLACE MACRO DAYOFWEEKISO(x) AS isodow(x)`,
  `CREATE OR REPLACE MACRO WEEKISO(x) AS weekofyear(x)`,
  `CREATE OR REPLACE MACRO YEAROFWEEK(x) AS isoyear(x)`,
  `CREATE OR REPLACE MACRO YEAROFWEEKISO(x) AS isoyear(x)`,
  `CREATE OR REPLACE MACRO SF_DAYNAME(x) AS left(dayname(x), 3)`,
  `CREATE OR REPLACE MACRO SF_MONTHNAME(x) AS left(monthname(x), 3)`,
  `CREATE OR REPLACE MACRO SF_EPOCH_SECOND(x) AS (epoch_us(x) - ((epoch_us(x) % 1000000) + 1000000) % 1000000) // 1000000`,
  `CREATE OR REPLACE MACRO SF_EPOCH_MILLISECOND(x) AS (epoch_us(x) - ((epoch_us(x) % 1000) + 1000) % 1000) // 1000`,
  `CREATE OR REPLACE MACRO SF_EPOCH_MICROSECOND(x) AS epoch_us(x)`,
  `CREATE OR REPLACE MACRO SF_EPOCH_NANOSECOND(x) AS CAST(epoch_us(x) AS HUGEINT) * 1000`,
  `CREATE OR REPLACE MACRO SF_NANOSECOND(x) AS (date_part('microseconds', x) % 1000000) * 1000`,
  // Boundaries crossed: weeks start on Monday; milliseconds and microseconds as whole units.
  `CREATE OR REPLACE MACRO SF_DIFF_WEEK(a, b) AS date_diff('day', CAST(date_trunc('week', a) AS DATE), CAST(date_trunc('week', b) AS DATE)) // 7`,
  `CREATE OR REPLACE MACRO SF_DIFF_MILLISECOND(a, b) AS SF_EPOCH_MILLISECOND(b) - SF_EPOCH_MILLISECOND(a)`,
  `CREATE OR REPLACE MACRO SF_DIFF_MICROSECOND(a, b) AS epoch_us(b) - epoch_us(a)`,
  `CREATE OR REPLACE MACRO SF_DIFF_NANOSECOND(a, b) AS (CAST(epoch_us(b) AS HUGEINT) - epoch_us(a)) * 1000`,
  // LAST_DAY(d [, part]) is a DATE (https://docs.snowflake.com/en/sql-reference/functions/last_day).
  `CREATE OR REPLACE MACRO SF_LAST_DAY(d, p) AS CASE p ` +
    `WHEN 'month' THEN CAST(date_trunc('month', d) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) ` +
    `WHEN 'quarter' THEN CAST(date_trunc('quarter', d) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) ` +
    `WHEN 'year' THEN CAST(date_trunc('year', d) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE) ` +
    `WHEN 'week' THEN CAST(date_trunc('week', d) + INTERVAL 6 DAY AS DATE) ` +
    `ELSE ${refuse('LAST_DAY of a part other than YEAR, QUARTER, MONTH or WEEK')} END`,
  // NEXT_DAY / PREVIOUS_DAY: the first such weekday strictly after / before the date, a DATE;
  // the day name's first two letters count (https://docs.snowflake.com/en/sql-reference/functions/next_day).
  `CREATE OR REPLACE MACRO SF_WEEKDAY(name) AS CASE lower(left(trim(name), 2)) WHEN 'su' THEN 0 WHEN 'mo' THEN 1 WHEN 'tu' THEN 2 WHEN 'we' THEN 3 WHEN 'th' THEN 4 WHEN 'fr' THEN 5 WHEN 'sa' THEN 6 ` +
    `ELSE ${refuse('a day of the week other than SU, MO, TU, WE, TH, FR, SA')} END`,
  `CREATE OR REPLACE MACRO NEXT_DAY(d, name) AS CAST(d AS DATE) + CAST(((SF_WEEKDAY(name) - dayofweek(d) + 6) % 7) + 1 AS INTEGER)`,
  `CREATE OR REPLACE MACRO PREVIOUS_DAY(d, name) AS CAST(d AS DATE) - CAST(((dayofweek(d) - SF_WEEKDAY(name) + 6) % 7) + 1 AS INTEGER)`,
  // ADD_MONTHS: the last day of a month gives the last day of the result's month
  // (https://docs.snowflake.com/en/sql-reference/functions/add_months).
  `CREATE OR REPLACE MACRO SF_ADD_MONTHS_DAYS(d, n) AS CASE ` +
    `WHEN CAST(d AS DATE) = CAST(date_trunc('month', d) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) ` +
    `THEN CAST(date_trunc('month', d) + to_months(CAST(n AS BIGINT) + 1) - INTERVAL 1 DAY AS DATE) - CAST(d AS DATE) ` +
    `ELSE CAST(d + to_months(CAST(n AS BIGINT)) AS DATE) - CAST(d AS DATE) END`,
  // MONTHS_BETWEEN (https://docs.snowflake.com/en/sql-reference/functions/months_between): whole
  // months when both days are the same day of the month or both the last of their months, else
  // the difference of the days and times counted in 31-day months.
  `CREATE OR REPLACE MACRO MONTHS_BETWEEN(a, b) AS CAST(round(CASE ` +
    `WHEN day(a) = day(b) OR (CAST(a AS DATE) = SF_LAST_DAY(a, 'month') AND CAST(b AS DATE) = SF_LAST_DAY(b, 'month')) ` +
    `THEN (year(a) - year(b)) * 12 + month(a) - month(b) ` +
    `ELSE (year(a) - year(b)) * 12 + month(a) - month(b) + (day(a) - day(b)) / 31.0 ` +
    `+ (epoch_us(CAST(a AS TIMESTAMP)) - epoch_us(CAST(CAST(a AS DATE) AS TIMESTAMP)) - epoch_us(CAST(b AS TIMESTAMP)) + epoch_us(CAST(CAST(b AS DATE) AS TIMESTAMP))) / (86400000000.0 * 31) END, 6) AS DOUBLE)`,
];

SETUP.push(
  // Untyped forms, replaced by TYPED_SETUP where the database can hold typed macros: in a database
  // file DATE_TRUNC and ADD_MONTHS of a DATE give a TIMESTAMP_NTZ at midnight (as DATEADD does).
  `CREATE OR REPLACE MACRO SF_DATE_TRUNC(p, d) AS date_trunc(p, d)`,
  `CREATE OR REPLACE MACRO ADD_MONTHS(d, n) AS d + to_days(SF_ADD_MONTHS_DAYS(d, n))`,
);

/** Macros with a typed overload (a DATE stays a DATE); only where the database can hold them. */
const TYPED_SETUP: string[] = [
  `CREATE OR REPLACE MACRO SF_DATE_TRUNC(p, d DATE) AS CASE WHEN p IN ('hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond') ` +
    `THEN ${refuse('DATE_TRUNC of a DATE by a part smaller than a day')} ELSE CAST(date_trunc(p, d) AS DATE) END, ` +
    // A TIME stays a TIME (https://docs.snowflake.com/en/sql-reference/functions/date_trunc).
    `(p, d TIME) AS CASE WHEN p IN ('hour', 'minute', 'second', 'millisecond', 'microsecond') THEN CAST(date_trunc(p, DATE '2000-01-01' + d) AS TIME) ` +
    `ELSE ${refuse('DATE_TRUNC of a TIME by a part of a day or more')} END, (p, d) AS date_trunc(p, d)`,
  `CREATE OR REPLACE MACRO ADD_MONTHS(d DATE, n) AS d + CAST(SF_ADD_MONTHS_DAYS(d, n) AS INTEGER), (d, n) AS d + to_days(SF_ADD_MONTHS_DAYS(d, n))`,
];

/** Snowflake's date and time part names (https://docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts). */
const PARTS: Record<string, string> = {};
for (const [canonical, spellings] of Object.entries({
  year: 'year years y yy yyy yyyy yr yrs',
  quarter: 'quarter quarters q qtr qtrs',
  month: 'month months mm mon mons',
  week: 'week weeks w wk weekofyear woy wy',
  day: 'day days d dd dayofmonth',
  dayofweek: 'dayofweek weekday dow dw',
  dayofweekiso: 'dayofweekiso weekday_iso dow_iso dw_iso',
  dayofyear: 'dayofyear yearday doy dy',
  weekiso: 'weekiso week_iso weekofyeariso weekofyear_iso',
  yearofweek: 'yearofweek',
  yearofweekiso: 'yearofweekiso',
  hour: 'hour hours h hh hr hrs',
  minute: 'minute minutes m mi min mins',
  second: 'second seconds s sec secs',
  millisecond: 'millisecond milliseconds ms msec',
  microsecond: 'microsecond microseconds us usec',
  nanosecond: 'nanosecond nanoseconds ns nsec nanosec nsecond nanoseconds nanonsecs nseconds',
  epoch_second: 'epoch_second epoch epoch_seconds',
  epoch_millisecond: 'epoch_millisecond epoch_milliseconds',
  epoch_microsecond: 'epoch_microsecond epoch_microseconds',
  epoch_nanosecond: 'epoch_nanosecond epoch_nanoseconds',
  timezone_hour: 'timezone_hour tzh',
  timezone_minute: 'timezone_minute tzm',
})) {
  for (const s of spellings.split(' ')) PARTS[s] = canonical;
}

/** DATE_PART of a canonical part: a DuckDB expression of `x`. */
const DATE_PART: Record<string, (x: string) => string> = {
  year: (x) => `year(${x})`,
  quarter: (x) => `quarter(${x})`,
  month: (x) => `month(${x})`,
  week: (x) => `weekofyear(${x})`,
  weekiso: (x) => `weekofyear(${x})`,
  day: (x) => `day(${x})`,
  dayofweek: (x) => `dayofweek(${x})`,
  dayofweekiso: (x) => `isodow(${x})`,
  dayofyear: (x) => `dayofyear(${x})`,
  yearofweek: (x) => `isoyear(${x})`,
  yearofweekiso: (x) => `isoyear(${x})`,
  hour: (x) => `hour(${x})`,
  minute: (x) => `minute(${x})`,
  second: (x) => `second(${x})`,
  nanosecond: (x) => `SF_NANOSECOND(${x})`,
  epoch_second: (x) => `SF_EPOCH_SECOND(${x})`,
  epoch_millisecond: (x) => `SF_EPOCH_MILLISECOND(${x})`,
  epoch_microsecond: (x) => `SF_EPOCH_MICROSECOND(${x})`,
  epoch_nanosecond: (x) => `SF_EPOCH_NANOSECOND(${x})`,
  timezone_hour: (x) => `timezone_hour(${x})`,
  timezone_minute: (x) => `timezone_minute(${x})`,
};

/** Parts DATEDIFF counts by DuckDB's date_diff (boundaries crossed) or a macro of ours. */
const DIFF: Record<string, (a: string, b: string) => string> = {
  year: (a, b) => `date_diff('year', ${a}, ${b})`,
  quarter: (a, b) => `date_diff('quarter', ${a}, ${b})`,
  month: (a, b) => `date_diff('month', ${a}, ${b})`,
  week: (a, b) => `SF_DIFF_WEEK(${a}, ${b})`,
  day: (a, b) => `date_diff('day', ${a}, ${b})`,
  hour: (a, b) => `date_diff('hour', ${a}, ${b})`,
  minute: (a, b) => `date_diff('minute', ${a}, ${b})`,
  second: (a, b) => `date_diff('second', ${a}, ${b})`,
  millisecond: (a, b) => `SF_DIFF_MILLISECOND(${a}, ${b})`,
  microsecond: (a, b) => `SF_DIFF_MICROSECOND(${a}, ${b})`,
  nanosecond: (a, b) => `SF_DIFF_NANOSECOND(${a}, ${b})`,
};

const TRUNC_PARTS = new Set(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond']);
const LAST_DAY_PARTS = new Set(['year', 'quarter', 'month', 'week']);

/** The canonical part a date-part argument names (bare word or string literal), or undefined. */
function partOf(text: string): string | undefined {
  const m = /^(?:'([A-Za-z_]+)'|([A-Za-z_]+))$/.exec(text.trim());
  const word = (m?.[1] ?? m?.[2])?.toLowerCase();
  return word === undefined ? undefined : PARTS[word];
}

const CALL = /(?<![\w$."])(ADD_MONTHS|NEXT_DAY|PREVIOUS_DAY|DATE_PART|EXTRACT|DATEDIFF|TIMESTAMPDIFF|TIMEDIFF|DATE_TRUNC|TRUNC|LAST_DAY|DAYNAME|MONTHNAME|TIMEADD|TIME|TO_TIMESTAMP|TO_TIMESTAMP_NTZ|TO_TIMESTAMP_LTZ|TO_TIMESTAMP_TZ|SF_TO_NTZ|SF_TO_LTZ)\s*\(/gi;

/** One call's rewrite: the replacement of the whole call, or null to leave it. */
/**
 * A date or time argument: a string literal converts as TIMESTAMP_NTZ text does (Snowflake
 * converts text given to these functions; DuckDB cannot choose an overload for it), the rest as
 * written.
 */
function dateArgument(text: string, sql: string): string {
  return isStringLiteral(text) ? literalTimestamp('NTZ', unquoteString(text.trim()), sql) : `(${text})`;
}

/** Whether an argument is one string literal and nothing else. */
function isStringLiteral(text: string): boolean {
  return /^'(?:[^']|'')*'$/.test(text.trim());
}

function rewriteCall(fn: string, args: string[], sql: string): string | null {
  const name = fn.toUpperCase();
  if (name === 'EXTRACT') {
    // EXTRACT(part FROM x)
    const m = /^\s*(?:'([A-Za-z_]+)'|([A-Za-z_]+))\s+FROM\s+([\s\S]+)$/i.exec(args.join(', '));
    if (!m) return null;
    const raw = (m[1] ?? m[2] ?? '').toLowerCase();
    const part = PARTS[raw];
    if (!part || !DATE_PART[part]) throw notImplemented(`EXTRACT of the part ${raw.toUpperCase()}`, sql);
    return (DATE_PART[part] as (x: string) => string)(dateArgument(m[3] as string, sql));
  }
  if (name === 'DATE_PART') {
    if (args.length !== 2) return null;
    const part = partOf(args[0] as string);
    if (!part) {
      if (/^'/.test((args[0] as string).trim()) || /^[A-Za-z_]+$/.test((args[0] as string).trim())) throw notImplemented(`DATE_PART of the part ${(args[0] as string).trim().toUpperCase()}`, sql);
      throw notImplemented('DATE_PART with a part that is not a literal', sql);
    }
    const f = DATE_PART[part];
    if (!f) throw notImplemented(`DATE_PART of the part ${part.toUpperCase()}`, sql);
    return f(dateArgument(args[1] as string, sql));
  }
  if (name === 'DATEDIFF' || name === 'TIMESTAMPDIFF' || name === 'TIMEDIFF') {
    if (args.length !== 3) return null;
    const part = partOf(args[0] as string);
    if (!part) throw notImplemented(`${name} with the part ${(args[0] as string).trim()} (a literal date or time part)`, sql);
    const f = DIFF[part];
    if (!f) throw notImplemented(`${name} by ${part.toUpperCase()}`, sql);
    return f(dateArgument(args[1] as string, sql), dateArgument(args[2] as string, sql));
  }
  if (name === 'DATE_TRUNC' || name === 'TRUNC') {
    if (args.length !== 2) return null;
    // TRUNC(number, scale) is numeric; TRUNC(date, 'part') has the part second.
    const [partArg, value] = name === 'DATE_TRUNC' ? [args[0] as string, args[1] as string] : [args[1] as string, args[0] as string];
    const part = partOf(partArg);
    if (name === 'TRUNC' && (!part || !/^'/.test(partArg.trim()))) return null;
    if (!part) throw notImplemented(`DATE_TRUNC with the part ${partArg.trim()} (a literal date or time part)`, sql);
    if (!TRUNC_PARTS.has(part)) throw notImplemented(`DATE_TRUNC by ${part.toUpperCase()}`, sql);
    // The result's type follows the argument's: text would have to be a DATE or a timestamp.
    if (isStringLiteral(value)) throw notImplemented(`${name} of text (cast it: '…'::DATE or '…'::TIMESTAMP_NTZ)`, sql);
    return `SF_DATE_TRUNC('${part}', ${value})`;
  }
  if (name === 'LAST_DAY') {
    if (args.length === 1) return `SF_LAST_DAY(${dateArgument(args[0] as string, sql)}, 'month')`;
    if (args.length !== 2) return null;
    const part = partOf(args[1] as string);
    if (!part || !LAST_DAY_PARTS.has(part)) throw notImplemented(`LAST_DAY by ${(args[1] as string).trim()} (YEAR, QUARTER, MONTH or WEEK)`, sql);
    return `SF_LAST_DAY(${dateArgument(args[0] as string, sql)}, '${part}')`;
  }
  if (name === 'NEXT_DAY' || name === 'PREVIOUS_DAY') {
    return args.length === 2 && isStringLiteral(args[0] as string) ? `${name}(${dateArgument(args[0] as string, sql)}, ${args[1]})` : null;
  }
  if (name === 'ADD_MONTHS') {
    if (args.length === 2 && isStringLiteral(args[0] as string)) throw notImplemented(`ADD_MONTHS of text (cast it: '…'::DATE or '…'::TIMESTAMP_NTZ)`, sql);
    return null;
  }
  if (name === 'DAYNAME' || name === 'MONTHNAME') return args.length === 1 ? `SF_${name}(${dateArgument(args[0] as string, sql)})` : null;
  if (name === 'TIMEADD') return `DATEADD(${args.join(', ')})`;
  // TIME(x) is the engine's type keyword: the function is TO_TIME (a TIME(9) type has lost its
  // precision to rewriteTypeModifiers by now).
  if (name === 'TIME') return args.length === 1 && !/^\d+$/.test((args[0] as string).trim()) ? `SF_TO_TIME(${args[0]})` : null;
  // A string literal converts here, so a bulk INSERT of literals does not bind the general macro
  // on every row; the same steps as the macros.
  const kind = name === 'TO_TIMESTAMP_LTZ' || name === 'TO_TIMESTAMP_TZ' || name === 'SF_TO_LTZ' ? 'LTZ' : 'NTZ';
  if (args.length === 1 && /^'(?:[^']|'')*'$/.test((args[0] as string).trim())) return literalTimestamp(kind, unquoteString((args[0] as string).trim()), sql);
  // TO_TIMESTAMP*(number, scale): an integer literal second argument is a scale, not a format.
  if (args.length === 2 && /^\d+$/.test((args[1] as string).trim())) {
    return `SF_SCALED_${name === 'TO_TIMESTAMP_LTZ' || name === 'TO_TIMESTAMP_TZ' ? 'LTZ' : 'NTZ'}(${args[0]}, ${(args[1] as string).trim()})`;
  }
  return null;
}

/** A timestamp string literal's conversion, as the macros would do it, in the engine's terms. */
function literalTimestamp(kind: 'NTZ' | 'LTZ', text: string, sql: string): string {
  const type = kind === 'NTZ' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
  if (/^\s*[+-]?[0-9]+\s*$/.test(text)) {
    const v = BigInt(text.trim());
    let micros: bigint;
    if (v < 31536000000n) micros = v * 1000000n;
    else if (v < 31536000000000n) micros = v * 1000n;
    else if (v < 31536000000000000n) micros = v;
    else if (v % 1000n !== 0n) throw notImplemented(`${NANOSECONDS} in '${text}'`, sql);
    else micros = v / 1000n;
    if (micros > 253402300799999999n || micros < -253402300799999999n) throw notImplemented(`the timestamp '${text}' (after the year 9999)`, sql);
    const ntz = `make_timestamp(CAST(${micros} AS BIGINT))`;
    return kind === 'NTZ' ? ntz : `timezone('UTC', ${ntz})`;
  }
  if (/[.][0-9]{6}[0-9]*[1-9]/.test(text)) throw notImplemented(`${NANOSECONDS} in '${text}'`, sql);
  const normalised = respellOffset(text.trim());
  return `CAST(${quoteString(normalised)} AS ${type})`;
}

/**
 * Rewrites the calls above, innermost and last first (each rewritten on the text its inner
 * calls already produced), keeping a masked copy in step so one statement is masked once.
 */
function rewriteDatetime(sql: string): string {
  if (!/DATE_PART|EXTRACT|DIFF|TRUNC|LAST_DAY|NAME|TIME|_MONTHS|_DAY/i.test(sql)) return sql;
  // Typed constants, TIMESTAMP_TZ '…' (https://docs.snowflake.com/en/sql-reference/data-types-datetime):
  // converted as the cast to that type.
  let masked = mask(sql);
  let text = !/(?<![\w$."])(?:TIMESTAMP\w*|DATETIME)\s*'/i.test(masked) ? sql : replaceInCode(sql, /(?<![\w$."])(TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMP|DATETIME)\s*'[^']*'/gi, (original, m) => {
    const literal = original.slice(original.indexOf("'"));
    return `SF_TO_${/_(?:LTZ|TZ)$/i.test(m[1] ?? '') ? 'LTZ' : 'NTZ'}(${literal})`;
  });
  if (text !== sql) masked = mask(text);
  const starts = [...masked.matchAll(CALL)].map((m) => ({ index: m.index, length: m[0].length, fn: m[1] as string })).reverse();
  for (const call of starts) {
    const open = call.index + call.length - 1;
    const close = closingParen(masked, open);
    if (close < 0) continue;
    const args = argumentRanges(text, masked, open + 1, close).map(([a, b]) => text.slice(a, b));
    const out = rewriteCall(call.fn, args, sql);
    if (out === null) continue;
    text = text.slice(0, call.index) + out + text.slice(close + 1);
    masked = masked.slice(0, call.index) + mask(out) + masked.slice(close + 1);
  }
  return text;
}

export const datetime: FunctionFamily = {
  name: 'dates, timestamps and time zones',
  setup: SETUP,
  typedSetup: TYPED_SETUP,
  rewrite: rewriteDatetime,
};
