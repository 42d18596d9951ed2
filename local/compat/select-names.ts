/**
 * Result column names as Snowflake gives them. Snowflake names an unaliased select item by the
 * item's own text, upper-cased (`SELECT 7 % 3` answers a column `7 % 3`, `SELECT count(*)` one
 * named `COUNT(*)`, the documentation's `PARSE_JSON('{ "a": null }'):a` one named
 * `PARSE_JSON('{ "A": NULL }'):A`); a column reference is named by the column (`t.amount` is
 * `AMOUNT`, `"Mixed"` is `Mixed`). DuckDB names an expression by its own rendering of what the
 * rewrites made of it (`(7 % 3)`, internal macro calls), so the statement's outermost select
 * list gets each of those names as an explicit alias, read from the text as the caller wrote it,
 * before any rewrite.
 *
 * Only the outermost query's first select list is named (a UNION takes its names from its first
 * branch); `*` and `t.*` items, and items that already have an alias, are left alone.
 */
import { tokenize, type Token } from '../sql-text.js';

/** Words that end a select list at depth 0. */
const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'INTO', 'WINDOW', 'FETCH', 'OFFSET']);

/** Words after which a following word is part of the expression, not an implicit alias. */
const NOT_OPERAND_END = new Set([
  'AND', 'OR', 'NOT', 'IS', 'AS', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'DISTINCT', 'ALL', 'ANY', 'SOME', 'EXISTS', 'INTERVAL', 'SELECT', 'ESCAPE', 'COLLATE', 'OVER', 'BY', 'NULLS',
  'DATE', 'TIMESTAMP', 'TIME', 'REGEXP', 'ON', 'WITHIN', 'FILTER', 'RESPECT', 'IGNORE',
]);

/** Words that end an expression themselves (so they are never an implicit alias). */
const EXPRESSION_WORDS = new Set(['END', 'NULL', 'TRUE', 'FALSE', 'FIRST', 'LAST', 'ASC', 'DESC', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP', 'CURRENT_USER']);

/** Adds Snowflake's names as aliases to the unaliased items of the statement's outermost select list. */
export function nameSelectItems(sql: string): string {
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const first = code[0]?.text.toUpperCase();
  if (first !== 'SELECT' && first !== 'WITH') return sql;
  const items = selectItems(code);
  if (!items) return sql;
  let out = '';
  let at = 0;
  for (const item of items) {
    const name = snowflakeName(item, sql);
    if (name === undefined) continue;
    const last = item[item.length - 1] as Token;
    const end = last.start + last.text.length;
    out += sql.slice(at, end) + ` AS "${name.replace(/"/g, '""')}"`;
    at = end;
  }
  return at === 0 ? sql : out + sql.slice(at);
}

/** The items of the outermost select list, each as its code tokens; undefined when there is none. */
function selectItems(code: readonly Token[]): Token[][] | undefined {
  let depth = 0;
  let i = 0;
  for (; i < code.length; i++) {
    const t = code[i] as Token;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.text.toUpperCase() === 'SELECT') break;
  }
  if (i >= code.length) return undefined;
  i++;
  // SELECT [DISTINCT | ALL] [TOP n]
  if (/^(DISTINCT|ALL)$/i.test(code[i]?.text ?? '')) i++;
  if (/^TOP$/i.test(code[i]?.text ?? '') && code[i + 1]?.kind === 'number') i += 2;
  const items: Token[][] = [];
  let current: Token[] = [];
  depth = 0;
  for (; i < code.length; i++) {
    const t = code[i] as Token;
    // `{…}` is an OBJECT constant: its commas separate pairs, not items.
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0) {
      if (t.text === ',') {
        items.push(current);
        current = [];
        continue;
      }
      if (t.text === ';') break;
      if (t.kind === 'word' && LIST_END.has(t.text.toUpperCase())) break;
    }
    current.push(t);
  }
  items.push(current);
  return items.every((item) => item.length > 0) ? items : undefined;
}

/** The name Snowflake gives an unaliased item, or undefined when the item keeps its own. */
function snowflakeName(item: readonly Token[], sql: string): string | undefined {
  const n = item.length;
  const last = item[n - 1] as Token;
  const before = item[n - 2];
  // `* …`, `t.*`, `t.* EXCLUDE (…)`: the table's own names.
  if (item.some((t, k) => t.text === '*' && (k === 0 || item[k - 1]?.text === '.'))) return undefined;
  if (before && before.kind === 'word' && before.text.toUpperCase() === 'AS') return undefined;
  // After `::`, a word is a type name, which ends an operand (`x::DATE e` is aliased e).
  const typeName = before?.kind === 'word' && item[n - 3]?.text === '::';
  if (before && (last.kind === 'quoted' || (last.kind === 'word' && !EXPRESSION_WORDS.has(last.text.toUpperCase()))) && (typeName || endsOperand(before))) {
    return undefined; // an implicit alias: `expr name`
  }
  // A column reference (`name`, `t.name`, `"Mixed"`) keeps the name the engine gives it, which is
  // the column's (no alias, so a missing column still fails as an invalid identifier);
  // `seq.NEXTVAL` is named NEXTVAL.
  if (item.every((t, k) => (k % 2 === 0 ? t.kind === 'word' || t.kind === 'quoted' : t.text === '.')) && n % 2 === 1) {
    if (n > 1 && last.kind === 'word' && last.text.toUpperCase() === 'NEXTVAL') return 'NEXTVAL';
    if (!(n === 1 && last.kind === 'word' && EXPRESSION_WORDS.has(last.text.toUpperCase()))) return undefined;
  }
  const start = (item[0] as Token).start;
  return sql.slice(start, last.start + last.text.length).toUpperCase();
}

function endsOperand(t: Token): boolean {
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'quoted' || t.kind === 'bind' || t.kind === 'variable') return true;
  if (t.kind === 'word') return !NOT_OPERAND_END.has(t.text.toUpperCase());
  return t.text === ')' || t.text === ']';
}
