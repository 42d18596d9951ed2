/**
 * FLATTEN, the table function that explodes an ARRAY or OBJECT into rows
 * (https://docs.snowflake.com/en/sql-reference/functions/flatten): `TABLE(FLATTEN(INPUT => e))`,
 * `LATERAL FLATTEN(INPUT => e)` and a bare `FLATTEN(…)` in FROM, correlated with the tables before
 * it, become a subquery with FLATTEN's columns SEQ, KEY, PATH, INDEX, VALUE, THIS:
 * - KEY: an object's key, else NULL; INDEX: an array's index, else NULL;
 * - PATH: from the flattened value (`[0]`, `a`, `b[1]`, `c.d`, `['a b']` for a key that is not a
 *   plain name), prefixed by the PATH argument;
 * - VALUE: the element; THIS: the value being flattened (its container, when recursive);
 * - `PATH => 'a.b[0]'`: flattens the element at that path (a constant, as the docs require);
 * - `RECURSIVE => TRUE`: every sub-element too, in document order (a, b, b[0], b[1], c, c.d, as the
 *   docs print); `MODE => 'OBJECT' | 'ARRAY' | 'BOTH'`: which kinds of value are expanded;
 * - `OUTER => TRUE`: a value that gives no row (empty, a scalar, or nothing at PATH) gives one
 *   row with KEY, INDEX, VALUE NULL, PATH the PATH argument (`''` by default), THIS the value
 *   (the docs print `1 | NULL | | NULL | NULL | []` for `PARSE_JSON('[]')`);
 * - SEQ: 1 for a FLATTEN that is the first item of its FROM (one input record); after one table
 *   named in FROM, that row's number (DuckDB's rowid + 1), unique per input row as the docs ask
 *   ("not guaranteed to be gap-free or ordered"). After anything else (a subquery, a CTE, a view,
 *   another FLATTEN, two tables) SEQ is refused when the statement reads it (`SEQ`, `*`, `f.*`).
 * - INPUT must be VARIANT, OBJECT or ARRAY (a typed list from a DuckDB function is converted);
 *   text is refused rather than parsed.
 *
 * The rows come from a recursive CTE over DuckDB's `json_each`, ordered by the position of each
 * element in the document.
 */
import { notImplemented } from '../../errors.js';
import { quoteString, tokenize } from '../../sql-text.js';
import { closingParen, mask, splitTopLevel } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

interface FlattenArgs {
  input: string;
  /** The PATH argument as written (Snowflake's path text) and as a DuckDB JSON path. */
  path: string;
  jsonPath: string;
  outer: boolean;
  recursive: boolean;
  kinds: string[];
}

/** A Snowflake path constant (`a.b[0]`, `"Key"`, `a['k']`) as a DuckDB JSON path. */
export function toJsonPath(path: string, sql: string): string {
  let out = '$';
  let rest = path.trim();
  let first = true;
  while (rest !== '') {
    let m: RegExpExecArray | null;
    if (!first && rest.startsWith('.')) rest = rest.slice(1);
    if ((m = /^([A-Za-z_][\w$]*)/.exec(rest))) out += `."${m[1]}"`;
    else if ((m = /^"((?:[^"\\]|"")*)"/.exec(rest))) out += `."${(m[1] as string).replace(/""/g, '"')}"`;
    else if ((m = /^\[(\d+)\]/.exec(rest))) out += `[${m[1]}]`;
    else if ((m = /^\['([^'"\\]*)'\]/.exec(rest))) out += `."${m[1]}"`;
    else throw notImplemented(`FLATTEN's PATH => '${path}' (a path of names, "quoted names", [n] and ['key'])`, sql);
    rest = rest.slice(m[0].length);
    first = false;
  }
  return out;
}

/** FLATTEN's argument list; what it cannot honour is refused. */
function flattenArgs(args: string, sql: string): FlattenArgs {
  const out: FlattenArgs = { input: '', path: '', jsonPath: '$', outer: false, recursive: false, kinds: ['ARRAY', 'OBJECT'] };
  let input: string | undefined;
  splitTopLevel(args).forEach((arg, position) => {
    const named = /^([A-Za-z_]+)\s*=>\s*([\s\S]+)$/.exec(arg);
    if (!named && position > 0) throw notImplemented(`FLATTEN's positional argument ${position + 1} (name it: PATH => …, OUTER => …)`, sql);
    const name = named ? (named[1] as string).toUpperCase() : 'INPUT';
    const value = named ? (named[2] as string).trim() : arg;
    const flag = /^(TRUE|FALSE)$/i.exec(value);
    if (name === 'INPUT') input = value;
    else if ((name === 'OUTER' || name === 'RECURSIVE') && flag) out[name === 'OUTER' ? 'outer' : 'recursive'] = value.toUpperCase() === 'TRUE';
    else if (name === 'MODE' && /^'(OBJECT|ARRAY|BOTH)'$/i.test(value)) {
      const mode = value.slice(1, -1).toUpperCase();
      out.kinds = mode === 'BOTH' ? ['ARRAY', 'OBJECT'] : [mode];
    } else if (name === 'PATH' && /^'[^'\\]*'$/.test(value)) {
      out.path = value.slice(1, -1);
      out.jsonPath = toJsonPath(out.path, sql);
    } else throw notImplemented(`FLATTEN's ${name} => ${value}`, sql);
  });
  if (input === undefined) throw notImplemented('FLATTEN without INPUT', sql);
  out.input = input;
  return out;
}

/** PATH of an element `e` (of json_each) of container `c` whose own path is `prefix`. */
const elementPath = (prefix: string, c: string): string =>
  `${prefix} || CASE WHEN json_type(${c}) = 'ARRAY' THEN '[' || sf_e.key || ']' ` +
  `WHEN regexp_matches(sf_e.key, '^[A-Za-z_][A-Za-z0-9_]*$') THEN CASE WHEN ${prefix} = '' THEN '' ELSE '.' END || sf_e.key ` +
  `ELSE '[''' || sf_e.key || ''']' END`;

const elementColumns = (c: string): string =>
  `CASE WHEN json_type(${c}) = 'OBJECT' THEN sf_e.key END AS sf_k, ` +
  `CASE WHEN json_type(${c}) = 'ARRAY' THEN CAST(sf_e.key AS BIGINT) END AS sf_i, sf_e.value AS sf_v, ${c} AS sf_t`;

/** The subquery standing for FLATTEN. */
function flattenQuery(a: FlattenArgs, seq: string): string {
  const kinds = a.kinds.map((k) => `'${k}'`).join(', ');
  const anchor =
    `SELECT [sf_e.id] AS sf_o, ${elementPath('sf_fl_in.sf_p', 'sf_fl_in.sf_t')} AS sf_p, ${elementColumns('sf_fl_in.sf_t')} ` +
    `FROM sf_fl_in, json_each(sf_fl_in.sf_t) AS sf_e WHERE json_type(sf_fl_in.sf_t) IN (${kinds})`;
  const step = a.recursive
    ? ` UNION ALL SELECT list_append(sf_r.sf_o, sf_e.id), ${elementPath('sf_r.sf_p', 'sf_r.sf_v')}, ${elementColumns('sf_r.sf_v')} ` +
      `FROM sf_fl AS sf_r, json_each(sf_r.sf_v) AS sf_e WHERE json_type(sf_r.sf_v) IN (${kinds})`
    : '';
  const outer = a.outer
    ? ` UNION ALL SELECT NULL, NULL, sf_fl_in.sf_p, NULL, NULL, sf_fl_in.sf_t FROM sf_fl_in WHERE NOT EXISTS (SELECT 1 FROM sf_fl)`
    : '';
  return (
    `(WITH RECURSIVE sf_fl_in AS (SELECT json_extract(SF_FLATTEN_INPUT(${a.input}), ${quoteString(a.jsonPath)}) AS sf_t, ${quoteString(a.path)} AS sf_p), ` +
    `sf_fl AS (${anchor}${step}) ` +
    `SELECT ${seq} AS "SEQ", sf_k AS "KEY", sf_p AS "PATH", sf_i AS "INDEX", sf_v AS "VALUE", sf_t AS "THIS" FROM ` +
    `(SELECT sf_o, sf_k, sf_p, sf_i, sf_v, sf_t FROM sf_fl${outer}) ORDER BY sf_o NULLS FIRST)`
  );
}

/** Whether the statement reads FLATTEN's SEQ column (by name, or through `*`). */
function readsSeq(sql: string): boolean {
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  return code.some((t, i) => {
    if (t.kind === 'word' && t.text.toUpperCase() === 'SEQ') return true;
    const before = code[i - 1]?.text.toUpperCase();
    return t.text === '*' && (before === 'SELECT' || before === '.' || before === ',' || before === 'DISTINCT');
  });
}

/**
 * SEQ for the FLATTEN call starting at `at`: what comes before it in its FROM clause decides
 * (see the header). Undefined when it cannot be told.
 */
function seqFor(masked: string, at: number): string | undefined {
  let depth = 0;
  let i = at - 1;
  for (; i >= 0; i--) {
    const ch = masked[i];
    if (ch === ')') depth++;
    else if (ch === '(') {
      if (depth === 0) return undefined;
      depth--;
    } else if (depth === 0 && masked.slice(i - 3, i + 1).toUpperCase() === 'FROM' && !/[\w$]/.test(masked[i - 4] ?? '') && !/[\w$]/.test(masked[i + 1] ?? '')) break;
  }
  if (i < 0) return undefined;
  const before = masked.slice(i + 1, at).replace(/\bLATERAL\s*$/i, '').trim();
  if (before === '') return '1';
  const table = /^((?:[A-Za-z_][\w$]*\.){0,2}[A-Za-z_][\w$]*)(?:\s+(?:AS\s+)?([A-Za-z_][\w$]*))?\s*(?:,|(?:(?:INNER|CROSS|LEFT(?:\s+OUTER)?)\s+)?JOIN)$/i.exec(before);
  if (!table) return undefined;
  const name = table[1] as string;
  const alias = table[2] ?? name;
  if (/^(LATERAL|TABLE|FLATTEN|VALUES|SELECT|ON|WHERE|JOIN)$/i.test(alias)) return undefined;
  // A CTE has no rowid.
  if (new RegExp(`(?:\\bWITH|,)\\s*${name.replace(/[$]/g, '\\$')}\\s*(?:\\([^)]*\\))?\\s*AS\\s*\\(`, 'i').test(masked)) return undefined;
  return `(${alias}.rowid + 1)`;
}

export const flatten: FunctionFamily = {
  name: 'FLATTEN',
  setup: [
    // INPUT must be VARIANT, OBJECT or ARRAY (the docs); text is refused rather than parsed.
    `CREATE OR REPLACE MACRO SF_FLATTEN_INPUT(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) = 'JSON' THEN CAST(x AS JSON) ` +
      `WHEN typeof(x) LIKE '%[]' OR typeof(x) LIKE 'STRUCT%' OR typeof(x) LIKE 'MAP%' THEN to_json(x) ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:FLATTEN of a ' || typeof(x) || ' value (its INPUT must be VARIANT, OBJECT or ARRAY: PARSE_JSON text first)') END`,
  ],
  rewrite(sql) {
    if (!/FLATTEN/i.test(sql)) return sql;
    let out = sql;
    let seqRead: boolean | undefined;
    for (;;) {
      const masked = mask(out);
      const calls = [...masked.matchAll(/(?<![\w$.])(TABLE\s*\(\s*)?FLATTEN\s*\(/gi)];
      const last = calls[calls.length - 1];
      if (!last) break;
      const open = last.index + last[0].length - 1;
      const close = closingParen(masked, open);
      if (close < 0) return out;
      let end = close + 1;
      if (last[1]) {
        // TABLE( … ): its own closing parenthesis follows.
        const rest = /^\s*\)/.exec(masked.slice(end));
        if (!rest) throw notImplemented('TABLE(FLATTEN(…) …) with more than the call', sql);
        end += rest[0].length;
      }
      seqRead ??= readsSeq(sql);
      let seq = 'NULL';
      if (seqRead) {
        const found = seqFor(masked, last.index);
        if (found === undefined) {
          throw notImplemented(
            "FLATTEN's SEQ column (also read by *) for a FLATTEN after a subquery, a CTE, another FLATTEN or more than one table (name the other columns)",
            sql,
          );
        }
        seq = found;
      }
      out = out.slice(0, last.index) + flattenQuery(flattenArgs(out.slice(open + 1, close), sql), seq) + out.slice(end);
    }
    return out;
  },
};
