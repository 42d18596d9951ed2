/**
 * OBJECT functions (https://docs.snowflake.com/en/sql-reference/functions-semistructured), on
 * OBJECT values held as JSON objects:
 * - OBJECT_INSERT(o, key, value [, update]): a key already there fails unless `update` is TRUE
 *   (https://docs.snowflake.com/en/sql-reference/functions/object_insert); a SQL NULL value is
 *   refused (what Snowflake does with it was not confirmed);
 * - OBJECT_DELETE(o, key, …), OBJECT_PICK(o, key, … | array)
 *   (https://docs.snowflake.com/en/sql-reference/functions/object_delete,
 *   https://docs.snowflake.com/en/sql-reference/functions/object_pick);
 * - OBJECT_KEYS(o): the keys as an ARRAY, in Snowflake's key order (sorted: the docs print objects
 *   with their keys sorted whatever order built them);
 * - OBJECT_CONSTRUCT_KEEP_NULL(k, v, …): NULL values kept, as JSON nulls;
 * - GET_PATH(v, 'a.b[0]') (a path constant; https://docs.snowflake.com/en/sql-reference/functions/get_path),
 *   GET_IGNORE_CASE(o, 'key') (the exact key, else the one key equal ignoring case; several are refused),
 *   JSON_EXTRACT_PATH_TEXT(text, 'a.b') (a path constant);
 * - ARRAYS_TO_OBJECT(keys, values): the pairs, a NULL key's left out; ARRAYS_ZIP(a, …).
 * An argument that must be an OBJECT and is not fails as not implemented, naming the function.
 */
import { notImplemented } from '../../errors.js';
import { quoteString } from '../../sql-text.js';
import { argumentRanges, closingParen, mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';
import { toJsonPath } from './flatten.js';
import { objectFrom, sortedJson } from './semi-structured.js';

const ni = (what: string): string => `error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")}')`;

/** The JSON path of one key (any characters). */
const keyPath = (k: string): string => `'$."' || replace(replace(${k}, '\\', '\\\\'), '"', '\\"') || '"'`;

/** The object o checked, or an error naming fn. */
const obj = (o: string, fn: string): string => `(CASE WHEN json_type(CAST(${o} AS JSON)) = 'OBJECT' THEN CAST(${o} AS JSON) ELSE ${ni(`${fn} of a value that is not an OBJECT`)} END)`;

/** The object made of the keys of `o` that `keep` (a lambda body over sf_k) selects, plus `extra` pairs (a list of structs). */
const rebuild = (o: string, keep: string, extra = '[]'): string => {
  const pairs =
    `list_concat(list_transform(list_filter(json_keys(${o}), sf_k -> ${keep}), sf_k -> {'k': sf_k, 'v': json_extract(${o}, ${keyPath('sf_k')})}), ` +
    `CAST(${extra} AS STRUCT(k VARCHAR, v JSON)[]))`;
  // No subquery: the result may stand inside another macro's lambda (OBJECT_INSERT(OBJECT_PICK(…), …)).
  return `CASE WHEN len(${pairs}) = 0 THEN '{}'::JSON ELSE ${sortedJson(`to_json(map_from_entries(${pairs}))`)} END`;
};

/** Calls of `name` rewritten by `make` (given the argument texts), from the last so positions hold. */
function rewriteCalls(sql: string, name: RegExp, make: (args: string[]) => string): string {
  let out = sql;
  for (;;) {
    const masked = mask(out);
    const calls = [...masked.matchAll(name)];
    const last = calls[calls.length - 1];
    if (!last) return out;
    const open = last.index + last[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) return out;
    const args = argumentRanges(out, masked, open + 1, close).map(([a, b]) => out.slice(a, b));
    out = out.slice(0, last.index) + make(args) + out.slice(close + 1);
  }
}

export const semiStructuredObjects: FunctionFamily = {
  name: 'semi-structured objects (OBJECT_INSERT, OBJECT_DELETE, OBJECT_PICK, OBJECT_KEYS, GET_PATH, …)',
  setup: [
    `CREATE OR REPLACE MACRO SF_OBJECT_INSERT(o, k, v, upd) AS CASE WHEN o IS NULL OR k IS NULL THEN NULL ` +
      `WHEN v IS NULL THEN ${ni('OBJECT_INSERT of a SQL NULL value')} ` +
      `WHEN list_contains(json_keys(${obj('o', 'OBJECT_INSERT')}), k) AND NOT coalesce(upd, FALSE) ` +
      `THEN error('Duplicate field key ''' || k || ''' (OBJECT_INSERT: pass TRUE as its fourth argument to replace it)') ` +
      `ELSE ${rebuild('CAST(o AS JSON)', 'sf_k <> k', "[{'k': CAST(k AS VARCHAR), 'v': to_json(v)}]")} END`,
    `CREATE OR REPLACE MACRO OBJECT_INSERT(o, k, v) AS SF_OBJECT_INSERT(o, k, v, FALSE), (o, k, v, upd) AS SF_OBJECT_INSERT(o, k, v, upd)`,
    `CREATE OR REPLACE MACRO SF_OBJECT_DELETE(o, ks) AS CASE WHEN o IS NULL THEN NULL ELSE ${rebuild(obj('o', 'OBJECT_DELETE'), 'NOT list_contains(ks, sf_k)')} END`,
    `CREATE OR REPLACE MACRO SF_OBJECT_PICK(o, ks) AS CASE WHEN o IS NULL OR ks IS NULL THEN NULL ELSE ${rebuild(obj('o', 'OBJECT_PICK'), 'list_contains(ks, sf_k)')} END`,
    // OBJECT_PICK's second argument alone: an ARRAY of keys, or one key.
    `CREATE OR REPLACE MACRO SF_PICK_KEYS(k) AS CASE WHEN typeof(k) = 'JSON' THEN json_extract_string(CAST(k AS JSON), '$[*]') ELSE [CAST(k AS VARCHAR)] END`,
    // https://docs.snowflake.com/en/sql-reference/functions/arrays_to_object: a NULL key leaves its
    // pair out; arrays of different sizes are refused.
    `CREATE OR REPLACE MACRO ARRAYS_TO_OBJECT(k, v) AS CASE WHEN k IS NULL OR v IS NULL THEN NULL ` +
      `WHEN json_type(CAST(k AS JSON)) <> 'ARRAY' OR json_type(CAST(v AS JSON)) <> 'ARRAY' THEN ${ni('ARRAYS_TO_OBJECT of a value that is not an ARRAY')} ` +
      `WHEN json_array_length(CAST(k AS JSON)) <> json_array_length(CAST(v AS JSON)) THEN ${ni('ARRAYS_TO_OBJECT of arrays of different sizes')} ` +
      `ELSE ${objectFrom(`list_filter(list_transform(range(CAST(json_array_length(CAST(k AS JSON)) AS BIGINT)), sf_i -> {'k': (json_extract_string(CAST(k AS JSON), '$[*]'))[sf_i + 1], 'v': (list_transform(CAST(CAST(v AS JSON) AS JSON[]), sf_x -> coalesce(sf_x, 'null'::JSON)))[sf_i + 1]}), sf_p -> sf_p.k IS NOT NULL)`)} END`,
    `CREATE OR REPLACE MACRO OBJECT_KEYS(o) AS CASE WHEN o IS NULL THEN NULL ELSE to_json(list_sort(json_keys(${obj('o', 'OBJECT_KEYS')}))) END`,
    `CREATE OR REPLACE MACRO GET_IGNORE_CASE(o, k) AS CASE WHEN o IS NULL OR k IS NULL THEN NULL ` +
      `WHEN json_type(CAST(o AS JSON)) <> 'OBJECT' THEN "GET"(o, k) ` +
      `WHEN list_contains(json_keys(CAST(o AS JSON)), k) THEN json_extract(CAST(o AS JSON), ${keyPath('k')}) ` +
      `WHEN len(list_filter(json_keys(CAST(o AS JSON)), sf_k -> lower(sf_k) = lower(k))) > 1 THEN ${ni('GET_IGNORE_CASE where several keys match')} ` +
      `ELSE json_extract(CAST(o AS JSON), ${keyPath("list_filter(json_keys(CAST(o AS JSON)), sf_k -> lower(sf_k) = lower(k))[1]")}) END`,
  ],
  rewrite(sql) {
    if (!/OBJECT_DELETE|OBJECT_PICK|OBJECT_CONSTRUCT_KEEP_NULL|GET_PATH|JSON_EXTRACT_PATH_TEXT|ARRAYS_ZIP/i.test(sql)) return sql;
    let out = rewriteCalls(sql, /(?<![\w$.])OBJECT_CONSTRUCT_KEEP_NULL\s*\(/gi, (args) => sortedJson(`json_object(${args.join(', ')})`));
    out = rewriteCalls(out, /(?<![\w$.])OBJECT_DELETE\s*\(/gi, (args) => {
      if (args.length < 2) throw notImplemented('OBJECT_DELETE without a key', sql);
      return `SF_OBJECT_DELETE(${args[0]}, [${args.slice(1).map((a) => `CAST(${a} AS VARCHAR)`).join(', ')}])`;
    });
    out = rewriteCalls(out, /(?<![\w$.])OBJECT_PICK\s*\(/gi, (args) => {
      if (args.length < 2) throw notImplemented('OBJECT_PICK without a key', sql);
      const keys = args.length === 2 ? `SF_PICK_KEYS(${args[1]})` : `[${args.slice(1).map((a) => `CAST(${a} AS VARCHAR)`).join(', ')}]`;
      return `SF_OBJECT_PICK(${args[0]}, ${keys})`;
    });
    out = rewriteCalls(out, /(?<![\w$.])GET_PATH\s*\(/gi, (args) => {
      const path = args[1];
      if (args.length !== 2 || path === undefined || !/^'[^'\\]*'$/.test(path)) throw notImplemented('GET_PATH with a path that is not a string constant', sql);
      return `SF_PATH(${args[0]}, ${quoteString(toJsonPath(path.slice(1, -1), sql))})`;
    });
    // https://docs.snowflake.com/en/sql-reference/functions/json_extract_path_text: JSON text in,
    // the text at the path out (a string without its quotes); DuckDB's namesake reads paths otherwise.
    out = rewriteCalls(out, /(?<![\w$.])JSON_EXTRACT_PATH_TEXT\s*\(/gi, (args) => {
      const path = args[1];
      if (args.length !== 2 || path === undefined || !/^'[^'\\]*'$/.test(path)) throw notImplemented('JSON_EXTRACT_PATH_TEXT with a path that is not a string constant', sql);
      return `SF_PATH_TEXT(PARSE_JSON(${args[0]}), ${quoteString(toJsonPath(path.slice(1, -1), sql))})`;
    });
    // https://docs.snowflake.com/en/sql-reference/functions/arrays_zip: one OBJECT {"$1": …, "$2": …}
    // per position up to the longest ARRAY (null past a shorter one's end); NULL if any argument
    // is NULL; [{}] when every ARRAY is empty (the docs' examples).
    out = rewriteCalls(out, /(?<![\w$.])ARRAYS_ZIP\s*\(/gi, (args) => {
      if (args.length === 0) throw notImplemented('ARRAYS_ZIP without an argument', sql);
      const lists = args.map((a) => `list_transform(CAST(CAST((${a}) AS JSON) AS JSON[]), sf_x -> coalesce(sf_x, 'null'::JSON))`);
      const longest = `greatest(${lists.map((l) => `len(${l})`).join(', ')})`;
      const row = `json_object(${lists.map((l, i) => `'$${i + 1}', coalesce((${l})[sf_i + 1], 'null'::JSON)`).join(', ')})`;
      return (
        `(CASE WHEN ${args.map((a) => `(${a}) IS NULL`).join(' OR ')} THEN NULL ` +
        `WHEN ${args.map((a) => `json_type(CAST((${a}) AS JSON)) <> 'ARRAY'`).join(' OR ')} THEN ${ni('ARRAYS_ZIP of a value that is not an ARRAY')} ` +
        `WHEN ${longest} = 0 THEN CAST('[{}]' AS JSON) ELSE ${sortedJson(`to_json(list_transform(range(${longest}), sf_i -> ${row}))`)} END)`
      );
    });
    return out;
  },
};
