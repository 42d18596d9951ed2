/**
 * VALUES as a table source (https://docs.snowflake.com/en/sql-reference/constructs/values):
 * `FROM (VALUES (…), (…)) [[AS] alias [(c1, …)]]` and the unparenthesised
 * `FROM VALUES (…), (…) [[AS] alias [(c1, …)]]`, after FROM or JOIN (and `MERGE … USING (VALUES …)`) (used by the sample table of
 * https://docs.snowflake.com/en/user-guide/querying-semistructured). Snowflake
 * names the columns COLUMN1, COLUMN2, … unless the alias lists names; DuckDB names them col0, …
 * and does not parse the unparenthesised form. Both become
 * `(VALUES …) AS alias(COLUMN1, …)` (alias `SF_VALUES` when none is given), read from tokens.
 *
 * Positional column references (`$1`, `v.$2`) are refused by name: DuckDB would take `$1` for
 * a bind parameter.
 */
import { notImplemented } from '../errors.js';
import { tokenize, type Token } from '../sql-text.js';

/** Words that end a table source, so they are no alias. */
const NOT_ALIAS = new Set([
  'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'OFFSET', 'UNION', 'EXCEPT', 'MINUS', 'INTERSECT',
  'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'ON', 'USING', 'QUALIFY', 'WINDOW',
  'FETCH', 'LATERAL', 'PIVOT', 'UNPIVOT', 'SAMPLE', 'TABLESAMPLE', 'WHEN', 'SET', 'VALUES', 'ASOF',
  'MATCH_RECOGNIZE', 'CHANGES', 'AT', 'BEFORE', 'CONNECT', 'START', 'OUTER', 'AND', 'OR',
]);

/** Index of the code token closing the parenthesis opened at `open`, or -1. */
function closing(code: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const t = (code[i] as Token).text;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The number of top-level comma-separated expressions between `open` and its closing parenthesis. */
function arity(code: readonly Token[], open: number, close: number): number {
  let depth = 0;
  let n = 1;
  for (let i = open + 1; i < close; i++) {
    const t = (code[i] as Token).text;
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') depth--;
    else if (t === ',' && depth === 0) n++;
  }
  return n;
}

interface Source {
  /** Text offsets replaced, and the text put there. */
  start: number;
  end: number;
  text: string;
}

/** The VALUES source whose VALUES keyword is code token `v`, or undefined when it is none. */
function valuesSource(sql: string, code: readonly Token[], v: number): Source | undefined {
  const before = code[v - 1];
  const wrapped = before?.text === '(';
  const head = wrapped ? code[v - 2] : before;
  const keyword = head?.kind === 'word' ? head.text.toUpperCase() : '';
  // After FROM or JOIN; after USING only parenthesised (MERGE … USING (VALUES …) s).
  if (keyword !== 'FROM' && keyword !== 'JOIN' && !(keyword === 'USING' && wrapped)) return undefined;
  // The rows: ( … ) [, ( … )]…
  let i = v + 1;
  const firstOpen = i;
  if (code[i]?.text !== '(') return undefined;
  let rowsEnd = -1;
  for (;;) {
    if (code[i]?.text !== '(') return undefined;
    const close = closing(code, i);
    if (close < 0) return undefined;
    rowsEnd = close;
    i = close + 1;
    if (code[i]?.text === ',' && code[i + 1]?.text === '(') i++;
    else break;
  }
  const columns = arity(code, firstOpen, closing(code, firstOpen));
  let end = rowsEnd;
  if (wrapped) {
    if (code[i]?.text !== ')') return undefined;
    end = i;
    i++;
  }
  // [[AS] alias [(c1, …)]]
  let alias = 'SF_VALUES';
  let names: string | undefined;
  let j = i;
  if (code[j]?.kind === 'word' && code[j]?.text.toUpperCase() === 'AS') j++;
  const name = code[j];
  if (name && (name.kind === 'quoted' || (name.kind === 'word' && !NOT_ALIAS.has(name.text.toUpperCase())))) {
    alias = name.text;
    end = j;
    if (code[j + 1]?.text === '(') {
      const close = closing(code, j + 1);
      if (close < 0) return undefined;
      names = sql.slice((code[j + 1] as Token).start, (code[close] as Token).start + 1);
      end = close;
    }
  } else if (j !== i) return undefined;
  const defaults = Array.from({ length: columns }, (_, k) => `COLUMN${k + 1}`).join(', ');
  const rows = sql.slice((code[v] as Token).start, (code[rowsEnd] as Token).start + 1);
  const start = wrapped ? (code[v - 1] as Token).start : (code[v] as Token).start;
  const last = code[end] as Token;
  return { start, end: last.start + last.text.length, text: `(${rows}) AS ${alias}${names ?? `(${defaults})`}` };
}

/** Rewrites every VALUES table source of the statement for DuckDB (see the module comment). */
export function rewriteValuesSources(sql: string): string {
  if (!/\bVALUES\b/i.test(sql) && !sql.includes('$')) return sql;
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  code.forEach((t, i) => {
    if (t.text === '$' && code[i + 1]?.kind === 'number' && code[i + 1]?.start === t.start + 1) {
      throw notImplemented(`positional column references ($${code[i + 1]?.text})`, sql);
    }
  });
  const sources: Source[] = [];
  code.forEach((t, i) => {
    if (t.kind === 'word' && t.text.toUpperCase() === 'VALUES') {
      const source = valuesSource(sql, code, i);
      if (source) sources.push(source);
    }
  });
  let out = sql;
  for (const s of sources.reverse()) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
