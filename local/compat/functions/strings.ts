/**
 * String functions that DuckDB has under Snowflake's name with another meaning, and a few it
 * lacks. Calls are renamed (SUBSTR → SF_SUBSTR, …) from tokens before the other rewrites, so the
 * SQL those generate keeps DuckDB's own functions.
 * - SUBSTR / SUBSTRING(s, start [, length]) (https://docs.snowflake.com/en/sql-reference/functions/substr):
 *   1-based, a negative start counts from the end; a negative length gives '' (DuckDB takes the
 *   characters before start). A start of 0 is not described by the pages read here; it is taken as
 *   1, Oracle's rule, which Snowflake's SUBSTR follows (DuckDB gives one character less).
 * - LEFT / RIGHT(s, n) (https://docs.snowflake.com/en/sql-reference/functions/left,
 *   https://docs.snowflake.com/en/sql-reference/functions/right): a negative n gives '' (DuckDB
 *   counts from the other end).
 * - REPLACE(s, pattern [, replacement]) (https://docs.snowflake.com/en/sql-reference/functions/replace):
 *   without a replacement the pattern is removed.
 * - POSITION(sub, s [, start]) / CHARINDEX(sub, s [, start])
 *   (https://docs.snowflake.com/en/sql-reference/functions/position,
 *   https://docs.snowflake.com/en/sql-reference/functions/charindex): 1-based, 0 when absent,
 *   searching from start; `POSITION(sub IN s)` is DuckDB's too.
 * - INITCAP(s [, delimiters]) (https://docs.snowflake.com/en/sql-reference/functions/initcap):
 *   the first letter after a delimiter upper-case, the others lower-case; the default delimiters
 *   are whitespace and the punctuation the page lists.
 * - STRTOK(s [, delimiters [, part]]) / STRTOK_TO_ARRAY(s [, delimiters])
 *   (https://docs.snowflake.com/en/sql-reference/functions/strtok,
 *   https://docs.snowflake.com/en/sql-reference/functions/strtok_to_array): tokens between any of
 *   the delimiter characters (default a space), empty tokens skipped; a part past the last is NULL.
 * - SPLIT(s, separator) (https://docs.snowflake.com/en/sql-reference/functions/split): an ARRAY
 *   (JSON here, like every ARRAY, so `SPLIT(…)[0]` is the first element, 0-based); DuckDB's split
 *   gives a list. An empty separator is not described there and is not implemented.
 * - SPLIT_PART(s, delimiter, part) (https://docs.snowflake.com/en/sql-reference/functions/split_part):
 *   part 0 is taken as 1 (DuckDB gives ''), a negative part counts from the end.
 * - LPAD / RPAD(s, n [, pad]) (https://docs.snowflake.com/en/sql-reference/functions/lpad): the pad
 *   defaults to a space (DuckDB requires it).
 * - CHR(n) (https://docs.snowflake.com/en/sql-reference/functions/chr) of a NUMBER or 64-bit
 *   integer (the engine's chr takes a 32-bit one; CHAR(n), its synonym, is left alone: it is also
 *   a type name).
 * - STARTSWITH, ENDSWITH, SPACE (https://docs.snowflake.com/en/sql-reference/functions/startswith,
 *   https://docs.snowflake.com/en/sql-reference/functions/endswith,
 *   https://docs.snowflake.com/en/sql-reference/functions/space).
 * - INSERT(base, pos, len, insert) (https://docs.snowflake.com/en/sql-reference/functions/insert)
 *   and EDITDISTANCE(a, b [, max]) (https://docs.snowflake.com/en/sql-reference/functions/editdistance).
 */
import { rewriteCalls } from './calls.js';
import type { FunctionFamily } from './family.js';

/** INITCAP's default delimiters (whitespace and the punctuation of the function's page), as SQL. */
const INITCAP_DELIMITERS = `' !?@"^#$&~_,.:;+-*%/|\\[](){}<>' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)`;

const initcap = (d: string): string =>
  `array_to_string(list_transform(string_split(s, ''), (c, i) -> CASE WHEN i = 1 OR contains(${d}, substr(s, i - 1, 1)) THEN upper(c) ELSE lower(c) END), '')`;

const strtok = (d: string, n: string): string => `CASE WHEN ${d} = '' THEN CASE WHEN ${n} = 1 AND s <> '' THEN s END ELSE ${tokens('s', d)}[${n}] END`;

const strtokArray = (d: string): string => `CASE WHEN s IS NULL OR ${d} IS NULL THEN NULL WHEN ${d} = '' THEN to_json([s]) ELSE to_json(${tokens('s', d)}) END`;

const RENAMED: Record<string, string> = {
  SUBSTR: 'SF_SUBSTR',
  SUBSTRING: 'SF_SUBSTR',
  LEFT: 'SF_LEFT',
  RIGHT: 'SF_RIGHT',
  REPLACE: 'SF_REPLACE',
  POSITION: 'SF_POSITION',
  CHARINDEX: 'SF_POSITION',
  INSERT: 'SF_INSERT',
  SPLIT_PART: 'SF_SPLIT_PART',
  SPLIT: 'SF_SPLIT',
  CHR: 'SF_CHR',
  LPAD: 'SF_LPAD',
  RPAD: 'SF_RPAD',
};

/** A regular-expression class of the characters of `d` (an expression), escaped. */
const charClass = (d: string): string => `'[' || regexp_replace(${d}, '([\\]\\[\\\\^-])', '\\\\\\1', 'g') || ']'`;

const tokens = (s: string, d: string): string => `list_filter(regexp_split_to_array(${s}, ${charClass(d)}), t -> t <> '')`;

export const strings: FunctionFamily = {
  name: 'strings (SUBSTR, LEFT, RIGHT, REPLACE, POSITION, CHARINDEX, SPLIT_PART, LPAD, RPAD, INITCAP, STRTOK, INSERT, EDITDISTANCE, …)',
  setup: [
    `CREATE OR REPLACE MACRO SF_SUBSTR(s, p) AS substr(s, CASE WHEN p = 0 THEN 1 ELSE p END), ` +
      `(s, p, n) AS CASE WHEN n < 0 THEN '' ELSE substr(s, CASE WHEN p = 0 THEN 1 ELSE p END, n) END`,
    `CREATE OR REPLACE MACRO SF_LEFT(s, n) AS CASE WHEN n < 0 THEN '' ELSE "left"(s, n) END`,
    `CREATE OR REPLACE MACRO SF_RIGHT(s, n) AS CASE WHEN n < 0 THEN '' ELSE "right"(s, n) END`,
    `CREATE OR REPLACE MACRO SF_REPLACE(s, p) AS replace(s, p, ''), (s, p, r) AS replace(s, p, r)`,
    `CREATE OR REPLACE MACRO SF_POSITION(sub, s) AS instr(s, sub), ` +
      `(sub, s, p) AS CASE WHEN instr(substr(s, greatest(p, 1)), sub) = 0 THEN 0 ELSE instr(substr(s, greatest(p, 1)), sub) + greatest(p, 1) - 1 END`,
    `CREATE OR REPLACE MACRO INITCAP(s) AS ${initcap(INITCAP_DELIMITERS)}, (s, d) AS ${initcap('d')}`,
    `CREATE OR REPLACE MACRO STRTOK(s) AS ${strtok("' '", '1')}, (s, d) AS ${strtok('d', '1')}, (s, d, n) AS ${strtok('d', 'n')}`,
    `CREATE OR REPLACE MACRO STRTOK_TO_ARRAY(s) AS ${strtokArray("' '")}, (s, d) AS ${strtokArray('d')}`,
    `CREATE OR REPLACE MACRO SF_SPLIT(s, d) AS CASE WHEN d = '' THEN CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:SPLIT with an empty separator') AS JSON) ` +
      `ELSE CAST(to_json(string_split(s, d)) AS JSON) END`,
    `CREATE OR REPLACE MACRO SF_SPLIT_PART(s, d, n) AS split_part(s, d, CASE WHEN n = 0 THEN 1 ELSE n END)`,
    // (The engine's lpad/rpad take a 32-bit length; NUMBER columns and integers are wider.)
    `CREATE OR REPLACE MACRO SF_LPAD(s, n) AS lpad(s, CAST(n AS INTEGER), ' '), (s, n, p) AS lpad(s, CAST(n AS INTEGER), p)`,
    `CREATE OR REPLACE MACRO SF_RPAD(s, n) AS rpad(s, CAST(n AS INTEGER), ' '), (s, n, p) AS rpad(s, CAST(n AS INTEGER), p)`,
    `CREATE OR REPLACE MACRO SF_CHR(n) AS chr(CAST(n AS INTEGER))`,
    `CREATE OR REPLACE MACRO STARTSWITH(s, p) AS starts_with(s, p)`,
    `CREATE OR REPLACE MACRO ENDSWITH(s, p) AS ends_with(s, p)`,
    `CREATE OR REPLACE MACRO SPACE(n) AS repeat(' ', CAST(n AS BIGINT))`,
    `CREATE OR REPLACE MACRO SF_INSERT(s, p, n, x) AS substr(s, 1, p - 1) || x || substr(s, p + n)`,
    `CREATE OR REPLACE MACRO EDITDISTANCE(a, b) AS levenshtein(a, b), (a, b, m) AS least(levenshtein(a, b), m)`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/SUBSTR|LEFT|RIGHT|REPLACE|POSITION|CHARINDEX|INSERT|SPLIT|PAD|CHR/i.test(sql)) return sql;
    return rewriteCalls(sql, new Set(Object.keys(RENAMED)), (name, args, before) => {
      // POSITION(sub IN s) and SUBSTRING(s FROM p FOR n) are the engine's own forms;
      // `SELECT * [EXCLUDE (…)] REPLACE (expr AS col)` is no call.
      if (args.length === 1 && name !== 'CHR') return null;
      if (name === 'REPLACE' && (before === '*' || before === ')')) return null;
      // MERGE's `WHEN NOT MATCHED THEN INSERT (cols) VALUES (…)` is no call either.
      if (name === 'INSERT' && /^(?:THEN|INTO)$/i.test(before)) return null;
      return `${RENAMED[name] as string}(${args.join(', ')})`;
    });
  },
};
