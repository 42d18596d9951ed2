/**
 * Semi-structured accessors and constructors beyond ARRAY_CONSTRUCT / ARRAY_APPEND / TO_ARRAY
 * (compat/functions.ts): ARRAY_SIZE, OBJECT_CONSTRUCT, GET. Values are JSON (VARIANT) locally.
 * - ARRAY_SIZE(array): the number of elements; NULL for NULL and for a value that is not an array
 *   (https://docs.snowflake.com/en/sql-reference/functions/array_size).
 * - OBJECT_CONSTRUCT(k1, v1, …): an OBJECT, its keys sorted; a pair whose value is SQL NULL is left
 *   out, a JSON null kept; a key given twice fails
 *   (https://docs.snowflake.com/en/sql-reference/functions/object_construct). With no argument
 *   it is `{}`. `OBJECT_CONSTRUCT(*)` and `(* EXCLUDE …)` take the row's columns, named as they are
 *   (`OBJECT_CONSTRUCT_KEEP_NULL(*)` keeps NULLs); `t.*` and `* ILIKE` are refused.
 * - GET(array, index) / GET(object, 'key'): the element or field, NULL when absent
 *   (https://docs.snowflake.com/en/sql-reference/functions/get).
 */
import { notImplemented } from '../../errors.js';
import { argumentRanges, closingParen, mask, replaceInCode } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

/**
 * The text of the VARIANT (JSON) value `j`, as TO_VARCHAR gives it: a string without its quotes, a
 * JSON null as SQL NULL, an array or object as its JSON, a number with an exponent as the double's
 * plain digits (the docs' ARRAY_TO_STRING prints -1.2e-3 as -0.0012,
 * https://docs.snowflake.com/en/sql-reference/functions/array_to_string).
 */
export const variantText = (j: string): string =>
  `CASE WHEN json_type(${j}) = 'DOUBLE' AND regexp_matches(CAST(${j} AS "VARCHAR"), '[eE]') ` +
  `THEN coalesce(CASE WHEN CAST(CAST(${j} AS "VARCHAR") AS DOUBLE) = round(CAST(CAST(${j} AS "VARCHAR") AS DOUBLE)) THEN CAST(TRY_CAST(CAST(CAST(${j} AS "VARCHAR") AS DOUBLE) AS HUGEINT) AS "VARCHAR") END, ` +
  `CAST(CAST(CAST(${j} AS "VARCHAR") AS DOUBLE) AS "VARCHAR")) ELSE json_extract_string(${j}, '$') END`;

/**
 * The JSON value `j` with its object keys sorted, as Snowflake keeps an OBJECT (the docs print
 * `OBJECT_CONSTRUCT('foo', …, 'dataset_size', …)` as `{"dataset_size": …, "foo": …}`):
 * sf_json_sorted is registered by the engine (engine-worker.mjs, json-text.mjs).
 */
export const sortedJson = (j: string): string => `CAST(sf_json_sorted(CAST(${j} AS VARCHAR)) AS JSON)`;

/**
 * The OBJECT of the {k, v} pairs of list `f` (no subquery, so it may stand inside a lambda of
 * another macro): `{}` for none, a key given twice failing as Snowflake's "Duplicate field key".
 */
export const objectFrom = (f: string): string => {
  const keys = `list_transform(${f}, sf_p -> sf_p.k)`;
  return (
    `CASE WHEN len(${f}) = 0 THEN '{}'::JSON WHEN len(list_distinct(${keys})) < len(${f}) ` +
    `THEN error('SF_LOCAL_JSON_PARSE:Duplicate field key ''' || list_filter(${keys}, (sf_k, sf_i) -> list_position(${keys}, sf_k) < sf_i)[1] || '''') ` +
    `ELSE ${sortedJson(`to_json(map_from_entries(${f}))`)} END`
  );
};

export const semiStructured: FunctionFamily = {
  name: 'semi-structured (ARRAY_SIZE, OBJECT_CONSTRUCT, GET)',
  setup: [
    `CREATE OR REPLACE MACRO ARRAY_SIZE(a) AS CASE WHEN json_type(to_json(a)) = 'ARRAY' THEN json_array_length(to_json(a)) END`,
    // A value as a VARIANT: a VARIANT as it is (DuckDB's to_json would rewrite its numbers: 1e5 as
    // 100000.0), anything else converted (text becomes a string); SQL NULL stays SQL NULL.
    `CREATE OR REPLACE MACRO SF_TO_VARIANT(x) AS CASE WHEN typeof(x) = 'JSON' THEN CAST(x AS JSON) ELSE to_json(x) END`,
    // OBJECT_CONSTRUCT(*): json_merge_patch onto {} drops the keys whose value is null.
    `CREATE OR REPLACE MACRO SF_OBJECT(o) AS ${sortedJson("json_merge_patch('{}', o)")}`,
    // OBJECT_CONSTRUCT(k, v, …) as a list of {k, v}: a pair whose value is SQL NULL is left out, a
    // JSON null kept (the docs' Key_One example); a key given twice fails.
    `CREATE OR REPLACE MACRO SF_OBJECT_FROM(l) AS ${objectFrom('list_filter(l, sf_p -> sf_p.k IS NOT NULL AND sf_p.v IS NOT NULL)')}`,
    `CREATE OR REPLACE MACRO "GET"(v, k) AS CASE WHEN typeof(k) = 'VARCHAR' ` +
      `THEN json_extract(to_json(v), '$."' || replace(CAST(k AS VARCHAR), '"', '\\"') || '"') ` +
      // An index outside the array is NULL, a negative one too (DuckDB's would count from the end).
      `WHEN TRY_CAST(k AS BIGINT) < 0 THEN NULL ELSE json_extract(to_json(v), TRY_CAST(k AS BIGINT)) END`,
  ],
  rewrite(sql) {
    if (!/OBJECT_CONSTRUCT/i.test(sql)) return sql;
    // OBJECT_CONSTRUCT(*) / (* EXCLUDE …): the row's columns, named as they are.
    let out = replaceInCode(sql, /(?<![\w$.])OBJECT_CONSTRUCT(_KEEP_NULL)?\s*\(\s*\*([^()]*(?:\([^()]*\))?[^()]*)\)/gi, (original, m) => {
      const rest = original.slice(original.indexOf('*') + 1, original.lastIndexOf(')')).trim();
      if (rest !== '' && !/^EXCLUDE\s+(?:[A-Za-z_][\w$]*|\(\s*[A-Za-z_][\w$]*(?:\s*,\s*[A-Za-z_][\w$]*)*\s*\))$/i.test(rest)) {
        throw notImplemented(`OBJECT_CONSTRUCT(* ${rest}) (only * and * EXCLUDE are)`, sql);
      }
      const row = `to_json(struct_pack(*COLUMNS(*${rest === '' ? '' : ` ${rest}`})))`;
      return m[1] ? sortedJson(row) : `SF_OBJECT(${row})`;
    });
    if (/(?<![\w$.])OBJECT_CONSTRUCT(?:_KEEP_NULL)?\s*\(\s*[\w$"]*\s*\.?\s*\*/i.test(mask(out))) throw notImplemented('OBJECT_CONSTRUCT of t.* (name the columns, or use *)', sql);
    // OBJECT_CONSTRUCT(k, v, …) → SF_OBJECT_FROM([{k, v}, …]), from the last call so positions hold.
    for (;;) {
      const masked = mask(out);
      const calls = [...masked.matchAll(/(?<![\w$.])OBJECT_CONSTRUCT\s*\(/gi)];
      const last = calls[calls.length - 1];
      if (!last) return out;
      const open = last.index + last[0].length - 1;
      const close = closingParen(masked, open);
      if (close < 0) return out;
      const args = argumentRanges(out, masked, open + 1, close).map(([a, b]) => out.slice(a, b));
      if (args.length % 2 !== 0) throw notImplemented('OBJECT_CONSTRUCT with an odd number of arguments', sql);
      const pairs: string[] = [];
      for (let i = 0; i < args.length; i += 2) pairs.push(`{'k': CAST((${args[i]}) AS VARCHAR), 'v': SF_TO_VARIANT(${args[i + 1]})}`);
      const call = pairs.length === 0 ? `CAST('{}' AS JSON)` : `SF_OBJECT_FROM([${pairs.join(', ')}])`;
      out = `${out.slice(0, last.index)}${call}${out.slice(close + 1)}`;
    }
  },
};
