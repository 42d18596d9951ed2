/**
 * Aggregates that build semi-structured values, and LISTAGG, which shares their WITHIN GROUP
 * grammar (aggregate and window forms):
 * - ARRAY_AGG([DISTINCT] x) [WITHIN GROUP (ORDER BY …)] [OVER (…)]: an ARRAY of the non-NULL
 *   values, `[]` for none (https://docs.snowflake.com/en/sql-reference/functions/array_agg);
 * - ARRAY_UNIQUE_AGG(x): the distinct non-NULL values
 *   (https://docs.snowflake.com/en/sql-reference/functions/array_unique_agg);
 * - OBJECT_AGG(key, value): an OBJECT of the pairs, pairs with a NULL key or value left out, a key
 *   given twice failing (https://docs.snowflake.com/en/sql-reference/functions/object_agg);
 * - LISTAGG([DISTINCT] x [, delimiter]) [WITHIN GROUP (ORDER BY …)] [OVER (…)]: the text of the
 *   non-NULL values joined by the delimiter ('' by default), '' for none
 *   (https://docs.snowflake.com/en/sql-reference/functions/listagg).
 * Each becomes DuckDB's `list(… ORDER BY …) FILTER (WHERE x IS NOT NULL) [OVER (…)]` wrapped in a
 * macro that makes the Snowflake value. A window given by name (`OVER w`) is refused.
 */
import { notImplemented } from '../../errors.js';
import { argumentRanges, closingParen, mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';
import { sortedJson } from './semi-structured.js';

const CALL = /(?<![\w$.])(ARRAY_AGG|ARRAY_UNIQUE_AGG|OBJECT_AGG|LISTAGG)\s*\(/gi;

/** Rewrites the last aggregate call of the statement, or returns undefined when there is none. */
function rewriteLast(sql: string, original: string): string | undefined {
  const masked = mask(sql);
  const calls = [...masked.matchAll(CALL)];
  const last = calls[calls.length - 1];
  if (!last) return undefined;
  const name = (last[1] as string).toUpperCase();
  const open = last.index + last[0].length - 1;
  const close = closingParen(masked, open);
  if (close < 0) return undefined;
  let end = close + 1;
  let orderBy = '';
  const within = /^\s*WITHIN\s+GROUP\s*\(/i.exec(masked.slice(end));
  if (within) {
    const wOpen = end + within[0].length - 1;
    const wClose = closingParen(masked, wOpen);
    if (wClose < 0) return undefined;
    const inner = sql.slice(wOpen + 1, wClose).trim();
    if (!/^ORDER\s+BY\b/i.test(inner)) throw notImplemented(`${name} … WITHIN GROUP without ORDER BY`, original);
    orderBy = ` ${inner}`;
    end = wClose + 1;
  }
  let over = '';
  const o = /^\s*OVER\s*(\()?/i.exec(masked.slice(end));
  if (o) {
    if (!o[1]) throw notImplemented(`${name} … OVER a named window`, original);
    const oOpen = end + o[0].length - 1;
    const oClose = closingParen(masked, oOpen);
    if (oClose < 0) return undefined;
    over = ` OVER ${sql.slice(oOpen, oClose + 1)}`;
    end = oClose + 1;
  }
  let inner = sql.slice(open + 1, close);
  const distinct = /^\s*DISTINCT\b/i.exec(mask(inner));
  if (distinct) inner = inner.slice(distinct[0].length);
  const innerMasked = mask(inner);
  const args = argumentRanges(inner, innerMasked, 0, inner.length).map(([a, b]) => inner.slice(a, b));
  const first = args[0];
  if (first === undefined) throw notImplemented(`${name} without an argument`, original);
  const d = distinct || name === 'ARRAY_UNIQUE_AGG' ? 'DISTINCT ' : '';
  let call: string;
  if (name === 'OBJECT_AGG') {
    const value = args[1];
    if (args.length !== 2 || value === undefined || distinct) throw notImplemented('OBJECT_AGG other than OBJECT_AGG(key, value)', original);
    call = `SF_OBJECT_AGG_FIN(list({'k': CAST((${first}) AS VARCHAR), 'v': to_json(${value})}${orderBy}) FILTER (WHERE (${first}) IS NOT NULL AND (${value}) IS NOT NULL)${over})`;
  } else if (name === 'LISTAGG') {
    if (args.length > 2) throw notImplemented('LISTAGG with more than a value and a delimiter', original);
    call = `SF_LISTAGG_FIN(list(${d}${first}${orderBy}) FILTER (WHERE (${first}) IS NOT NULL)${over}, ${args[1] ?? "''"})`;
  } else {
    if (args.length !== 1) throw notImplemented(`${name} with more than one argument`, original);
    call = `SF_ARRAY_AGG_FIN(list(${d}${first}${orderBy}) FILTER (WHERE (${first}) IS NOT NULL)${over})`;
  }
  return sql.slice(0, last.index) + call + sql.slice(end);
}

export const semiStructuredAggregates: FunctionFamily = {
  name: 'semi-structured aggregates (ARRAY_AGG, ARRAY_UNIQUE_AGG, OBJECT_AGG) and LISTAGG',
  setup: [
    `CREATE OR REPLACE MACRO SF_ARRAY_AGG_FIN(l) AS CASE WHEN l IS NULL THEN '[]'::JSON ELSE to_json(l) END`,
    `CREATE OR REPLACE MACRO SF_LISTAGG_FIN(l, sep) AS coalesce(list_aggregate(list_transform(l, sf_e -> SF_TEXT(sf_e)), 'string_agg', sep), '')`,
    `CREATE OR REPLACE MACRO SF_OBJECT_AGG_FIN(l) AS CASE WHEN l IS NULL OR len(l) = 0 THEN '{}'::JSON ` +
      `WHEN len(list_distinct(list_transform(l, sf_p -> sf_p.k))) < len(l) THEN error('Duplicate field key in OBJECT_AGG (a key is given twice)') ` +
      `ELSE ${sortedJson('to_json(map_from_entries(l))')} END`,
  ],
  rewrite(sql) {
    if (!/ARRAY_AGG|ARRAY_UNIQUE_AGG|OBJECT_AGG|LISTAGG/i.test(sql)) return sql;
    let out = sql;
    for (let guard = 0; guard < 1000; guard++) {
      const next = rewriteLast(out, sql);
      if (next === undefined) break;
      out = next;
    }
    return out;
  },
};
