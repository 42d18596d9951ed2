/**
 * ARRAY functions (https://docs.snowflake.com/en/sql-reference/functions-semistructured), on
 * ARRAY values held as JSON arrays. Indexes are 0-based, as in Snowflake. An argument that must be
 * an ARRAY and holds another kind of value fails as not implemented (naming the function) rather
 * than giving DuckDB's list semantics. The calls are renamed SF_NAME (rewrite.ts renameCalls): DuckDB's
 * own functions of the same names (1-based, typed lists) keep theirs.
 *
 * - ARRAY_CONTAINS(value, array), ARRAY_POSITION(value, array): equality of the VARIANT values
 *   (their JSON text); a NULL value is refused (the docs' handling of it was not confirmed);
 * - ARRAY_SLICE(array, from, to): `to` exclusive, negative positions count from the end;
 * - ARRAY_TO_STRING(array, sep): strings without quotes, NULL elements as '';
 * - ARRAY_CAT, ARRAY_COMPACT, ARRAY_DISTINCT (first occurrences, in order), ARRAY_INSERT (padding
 *   with nulls past the end), ARRAY_PREPEND, ARRAY_REMOVE, ARRAY_REMOVE_AT, ARRAY_REVERSE,
 *   ARRAY_INTERSECTION and ARRAY_EXCEPT (as multisets), ARRAYS_OVERLAP, ARRAY_FLATTEN,
 *   ARRAY_GENERATE_RANGE;
 * - ARRAY_SORT(array [, ascending [, nulls_first]]), ARRAY_MIN, ARRAY_MAX: arrays of numbers only,
 *   or of strings only (Snowflake's order across kinds of VARIANT is not emulated: refused).
 *
 * A JSON null inside an array is an element like any other (Snowflake's SQL NULL elements,
 * "undefined", are JSON nulls here).
 */
import { closingParen, mask, renameCalls, replaceInCode } from '../rewrite.js';
import type { FunctionFamily } from './family.js';
import { variantText } from './semi-structured.js';

const NAMES = new Set([
  'SPLIT', 'STRTOK_TO_ARRAY', 'ARRAYS_OVERLAP', 'ARRAY_CAT', 'ARRAY_COMPACT', 'ARRAY_CONTAINS', 'ARRAY_DISTINCT', 'ARRAY_EXCEPT', 'ARRAY_FLATTEN', 'ARRAY_GENERATE_RANGE', 'ARRAY_INSERT', 'ARRAY_INTERSECTION', 'ARRAY_MAX', 'ARRAY_MIN', 'ARRAY_POSITION', 'ARRAY_PREPEND', 'ARRAY_REMOVE', 'ARRAY_REMOVE_AT', 'ARRAY_REVERSE', 'ARRAY_SLICE', 'ARRAY_SORT', 'ARRAY_TO_STRING',
]);
const MENTIONED = new RegExp(`\\b(?:${[...NAMES].join('|')})\\b`, 'i');

const ni = (what: string): string => `error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")}')`;

/** The elements of `a` as a list of JSON (a JSON null as 'null'), or an error naming `fn`. */
const elems = (a: string, fn: string): string =>
  `(CASE WHEN json_type(to_json(${a})) = 'ARRAY' THEN list_transform(CAST(to_json(${a}) AS JSON[]), sf_x -> coalesce(sf_x, 'null'::JSON)) ` +
  `ELSE ${ni(`${fn} of a value that is not an ARRAY`)} END)`;

/** The comparison key of a JSON value: numbers by value (5, 5.0 and 5.00 are equal, as in the docs' ARRAY_REMOVE example), the rest by their JSON text. */
const key = (e: string): string => `SF_VKEY(${e})`;

/** NULL when any of `args` is NULL, else `body`. */
const strict = (args: string[], body: string): string => `CASE WHEN ${args.map((a) => `(${a}) IS NULL`).join(' OR ')} THEN NULL ELSE ${body} END`;

const back = (list: string): string => `CAST(${list} AS JSON)`;

/** A position among n elements, Snowflake's negative positions counting from the end, clamped to [0, n]. */
const clamp = (p: string, n: string): string => `(CASE WHEN ${p} < 0 THEN greatest(${n} + ${p}, 0) ELSE least(${p}, ${n}) END)`;

/** Sort keys: numbers (as DOUBLE) when every element is a number, strings when every one is a string; else refused. */
const sortable = (l: string, fn: string): string =>
  `(CASE WHEN len(list_filter(${l}, sf_e -> json_type(sf_e) <> 'NULL')) = 0 THEN 'none' ` +
  `WHEN list_bool_and(list_transform(list_filter(${l}, sf_e -> json_type(sf_e) <> 'NULL'), sf_e -> json_type(sf_e) IN ('BIGINT', 'UBIGINT', 'DOUBLE'))) THEN 'number' ` +
  `WHEN list_bool_and(list_transform(list_filter(${l}, sf_e -> json_type(sf_e) <> 'NULL'), sf_e -> json_type(sf_e) = 'VARCHAR')) THEN 'string' ` +
  `ELSE ${ni(`${fn} of an ARRAY mixing kinds of values (or holding arrays, objects or booleans)`)} END)`;

/** The elements other than nulls, as structs {n: number key, s: string key, v: element}. */
const keyed = (l: string): string =>
  `list_transform(list_filter(${l}, sf_e -> json_type(sf_e) <> 'NULL'), sf_e -> {'n': TRY_CAST(CAST(sf_e AS VARCHAR) AS DOUBLE), 's': json_extract_string(sf_e, '$'), 'v': sf_e})`;

/** STRTOK_TO_ARRAY's body: the tokens of s between any of the characters of d. */
const strtok = (s: string, d: string): string =>
  strict([s, d], `to_json(CASE WHEN ${d} = '' THEN CASE WHEN ${s} = '' THEN [] ELSE [${s}] END ELSE list_filter(regexp_split_to_array(${s}, '[' || regexp_escape(${d}) || ']'), sf_t -> sf_t <> '') END)`);

/** ARRAY_SORT's body for `a`, ascending and nulls-first expressions. */
const sortBody = (asc: string, nf: string): string =>
  // https://docs.snowflake.com/en/sql-reference/functions/array_sort: NULL if any argument is NULL.
  strict(['a', asc, nf], `(SELECT ${back(`CASE WHEN ${nf} THEN list_concat(sf_nulls, sf_sorted) ELSE list_concat(sf_sorted, sf_nulls) END`)} ` +
    `FROM (SELECT list_filter(sf_l, sf_e -> json_type(sf_e) = 'NULL') AS sf_nulls, ` +
    `CASE WHEN sf_kind = 'number' THEN list_transform(list_sort(list_transform(${keyed('sf_l')}, sf_k -> {'n': sf_k.n, 'v': sf_k.v}), CASE WHEN ${asc} THEN 'ASC' ELSE 'DESC' END), sf_k -> sf_k.v) ` +
    `ELSE list_transform(list_sort(list_transform(${keyed('sf_l')}, sf_k -> {'n': sf_k.s, 'v': sf_k.v}), CASE WHEN ${asc} THEN 'ASC' ELSE 'DESC' END), sf_k -> sf_k.v) END AS sf_sorted ` +
    `FROM (SELECT sf_l, ${sortable('sf_l', 'ARRAY_SORT')} AS sf_kind FROM (SELECT ${elems('a', 'ARRAY_SORT')} AS sf_l))))`);

export const semiStructuredArrays: FunctionFamily = {
  name: 'semi-structured arrays (ARRAY_CONTAINS, ARRAY_SLICE, ARRAY_SORT, …)',
  setup: [
    `CREATE OR REPLACE MACRO SF_VKEY(e) AS CASE WHEN json_type(e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 'n' || CAST(CAST(CAST(e AS VARCHAR) AS DOUBLE) AS VARCHAR) ELSE CAST(json(e) AS VARCHAR) END`,
    `CREATE OR REPLACE MACRO SF_ARRAY_CONTAINS(v, a) AS CASE WHEN a IS NULL THEN NULL WHEN v IS NULL THEN ${ni('ARRAY_CONTAINS of a NULL value')} ` +
      `ELSE list_contains(list_transform(${elems('a', 'ARRAY_CONTAINS')}, sf_e -> ${key('sf_e')}), ${key('to_json(v)')}) END`,
    `CREATE OR REPLACE MACRO SF_ARRAY_POSITION(v, a) AS CASE WHEN a IS NULL THEN NULL WHEN v IS NULL THEN ${ni('ARRAY_POSITION of a NULL value')} ` +
      `ELSE CAST(list_position(list_transform(${elems('a', 'ARRAY_POSITION')}, sf_e -> ${key('sf_e')}), ${key('to_json(v)')}) - 1 AS BIGINT) END`,
    `CREATE OR REPLACE MACRO SF_ARRAY_SLICE(a, f, t) AS ${strict(['a', 'f', 't'], `(SELECT ${back(
      `CASE WHEN ${clamp('t', 'len(sf_l)')} > ${clamp('f', 'len(sf_l)')} THEN list_slice(sf_l, ${clamp('f', 'len(sf_l)')} + 1, ${clamp('t', 'len(sf_l)')}) ELSE [] END`,
    )} FROM (SELECT ${elems('a', 'ARRAY_SLICE')} AS sf_l))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_TO_STRING(a, sep) AS ${strict(['a', 'sep'], `coalesce(list_aggregate(list_transform(${elems('a', 'ARRAY_TO_STRING')}, sf_e -> coalesce(${variantText('sf_e')}, '')), 'string_agg', sep), '')`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_CAT(a, b) AS ${strict(['a', 'b'], back(`list_concat(${elems('a', 'ARRAY_CAT')}, ${elems('b', 'ARRAY_CAT')})`))}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_COMPACT(a) AS ${strict(['a'], back(`list_filter(${elems('a', 'ARRAY_COMPACT')}, sf_e -> json_type(sf_e) <> 'NULL')`))}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_DISTINCT(a) AS ${strict(['a'], `(SELECT ${back(`list_filter(sf_l, (sf_e, sf_i) -> NOT list_contains(list_transform(list_slice(sf_l, 1, sf_i - 1), sf_x -> ${key('sf_x')}), ${key('sf_e')}))`)} FROM (SELECT ${elems('a', 'ARRAY_DISTINCT')} AS sf_l))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_INSERT(a, p, v) AS ${strict(['a', 'p'], `(SELECT ${back(
      `CASE WHEN sf_p >= len(sf_l) THEN list_concat(list_resize(sf_l, sf_p, 'null'::JSON), [coalesce(to_json(v), 'null'::JSON)]) ` +
        `ELSE list_concat(list_slice(sf_l, 1, sf_p), [coalesce(to_json(v), 'null'::JSON)], list_slice(sf_l, sf_p + 1, len(sf_l))) END`,
    )} FROM (SELECT sf_l, CASE WHEN p < 0 THEN greatest(len(sf_l) + p, 0) ELSE p END AS sf_p FROM (SELECT ${elems('a', 'ARRAY_INSERT')} AS sf_l)))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_PREPEND(a, v) AS ${strict(['a'], back(`list_prepend(coalesce(to_json(v), 'null'::JSON), ${elems('a', 'ARRAY_PREPEND')})`))}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_REMOVE(a, v) AS ${strict(['a', 'v'], back(`list_filter(${elems('a', 'ARRAY_REMOVE')}, sf_e -> ${key('sf_e')} <> ${key('to_json(v)')})`))}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_REMOVE_AT(a, p) AS ${strict(['a', 'p'], `(SELECT ${back(
      'CASE WHEN sf_p < 0 OR sf_p >= len(sf_l) THEN sf_l ELSE list_concat(list_slice(sf_l, 1, sf_p), list_slice(sf_l, sf_p + 2, len(sf_l))) END',
    )} FROM (SELECT sf_l, CASE WHEN p < 0 THEN len(sf_l) + p ELSE p END AS sf_p FROM (SELECT ${elems('a', 'ARRAY_REMOVE_AT')} AS sf_l)))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_REVERSE(a) AS ${strict(['a'], `(SELECT ${back('list_transform(range(len(sf_l), 0, -1), sf_i -> sf_l[sf_i])')} FROM (SELECT ${elems('a', 'ARRAY_REVERSE')} AS sf_l))`)}`,
    // Multisets: an element is kept as often as it is in both (INTERSECTION), or as often as it
    // is in the first beyond its count in the second (EXCEPT).
    `CREATE OR REPLACE MACRO SF_ARRAY_INTERSECTION(a, b) AS ${strict(['a', 'b'], `(SELECT ${back(
      `list_filter(sf_l, (sf_e, sf_i) -> len(list_filter(list_slice(sf_l, 1, sf_i), sf_x -> ${key('sf_x')} = ${key('sf_e')})) <= len(list_filter(sf_m, sf_x -> ${key('sf_x')} = ${key('sf_e')})))`,
    )} FROM (SELECT ${elems('a', 'ARRAY_INTERSECTION')} AS sf_l, ${elems('b', 'ARRAY_INTERSECTION')} AS sf_m))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_EXCEPT(a, b) AS ${strict(['a', 'b'], `(SELECT ${back(
      `list_filter(sf_l, (sf_e, sf_i) -> len(list_filter(list_slice(sf_l, 1, sf_i), sf_x -> ${key('sf_x')} = ${key('sf_e')})) > len(list_filter(sf_m, sf_x -> ${key('sf_x')} = ${key('sf_e')})))`,
    )} FROM (SELECT ${elems('a', 'ARRAY_EXCEPT')} AS sf_l, ${elems('b', 'ARRAY_EXCEPT')} AS sf_m))`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAYS_OVERLAP(a, b) AS ${strict(['a', 'b'], `len(list_intersect(list_transform(${elems('a', 'ARRAYS_OVERLAP')}, sf_e -> ${key('sf_e')}), list_transform(${elems('b', 'ARRAYS_OVERLAP')}, sf_e -> ${key('sf_e')}))) > 0`)}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_FLATTEN(a) AS ${strict(['a'], back(`flatten(list_transform(${elems('a', 'ARRAY_FLATTEN')}, sf_e -> ${elems('sf_e', 'ARRAY_FLATTEN (an element)')}))`))}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_GENERATE_RANGE(f, t) AS ${strict(['f', 't'], 'to_json(range(CAST(f AS BIGINT), CAST(t AS BIGINT)))')}, ` +
      `(f, t, s) AS ${strict(['f', 't', 's'], `CASE WHEN s = 0 THEN ${ni('ARRAY_GENERATE_RANGE with a step of 0')} ELSE to_json(range(CAST(f AS BIGINT), CAST(t AS BIGINT), CAST(s AS BIGINT))) END`)}`,
    // https://docs.snowflake.com/en/sql-reference/functions/split: an ARRAY of strings.
    `CREATE OR REPLACE MACRO SF_SPLIT(s, sep) AS ${strict(['s', 'sep'], "to_json(CASE WHEN sep = '' THEN [s] ELSE string_split(s, sep) END)")}`,
    // https://docs.snowflake.com/en/sql-reference/functions/strtok_to_array: split on any of the
    // delimiter characters (a space by default), empty tokens left out.
    `CREATE OR REPLACE MACRO SF_STRTOK_TO_ARRAY(s) AS ${strtok('s', "' '")}, (s, d) AS ${strtok('s', 'd')}`,
    `CREATE OR REPLACE MACRO SF_ARRAY_SORT(a) AS ${sortBody('TRUE', 'FALSE')}, (a, asc_) AS ${sortBody('asc_', 'NOT asc_')}, (a, asc_, nf) AS ${sortBody('asc_', 'nf')}`,
    ...(['MIN', 'MAX'] as const).map(
      (m) =>
        `CREATE OR REPLACE MACRO SF_ARRAY_${m}(a) AS ${strict(['a'], `(SELECT CASE sf_kind WHEN 'none' THEN NULL ` +
          `WHEN 'number' THEN list_${m.toLowerCase()}(list_transform(${keyed('sf_l')}, sf_k -> {'n': sf_k.n, 'v': sf_k.v})).v ` +
          `ELSE list_${m.toLowerCase()}(list_transform(${keyed('sf_l')}, sf_k -> {'n': sf_k.s, 'v': sf_k.v})).v END ` +
          `FROM (SELECT sf_l, ${sortable('sf_l', `ARRAY_${m}`)} AS sf_kind FROM (SELECT ${elems('a', `ARRAY_${m}`)} AS sf_l)))`)}`,
    ),
  ],
  rewrite(sql) {
    if (!MENTIONED.test(sql) && !/ARRAY_CONSTRUCT_COMPACT/i.test(sql)) return sql;
    // ARRAY_CONSTRUCT_COMPACT(…): ARRAY_CONSTRUCT without its NULLs
    // (https://docs.snowflake.com/en/sql-reference/functions/array_construct_compact).
    const compact = replaceInCode(sql, /(?<![\w$.])ARRAY_CONSTRUCT_COMPACT\s*\(/gi, () => 'ARRAY_COMPACT(ARRAY_CONSTRUCT(');
    let out = compact;
    if (compact !== sql) {
      // Close the added parenthesis after each call's own.
      for (let from = 0; ; ) {
        const masked = mask(out);
        const at = masked.indexOf('ARRAY_COMPACT(ARRAY_CONSTRUCT(', from);
        if (at < 0) break;
        const close = closingParen(masked, at + 'ARRAY_COMPACT(ARRAY_CONSTRUCT'.length);
        if (close < 0) break;
        out = `${out.slice(0, close + 1)})${out.slice(close + 1)}`;
        from = at + 1;
      }
    }
    return renameCalls(out, NAMES);
  },
};
