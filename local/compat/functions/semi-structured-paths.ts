/**
 * Semi-structured path access (https://docs.snowflake.com/en/user-guide/querying-semistructured):
 * `v:field`, `v:a.b`, `v:"Mixed"`, `v['key']`, `v[0]`, `v:arr[1].x`, on a VARIANT, OBJECT or ARRAY
 * column or expression, optionally cast (`v:field::VARCHAR`, `::NUMBER`, `::TIMESTAMP_NTZ`, …).
 *
 * Snowflake's meaning, as the page documents it:
 * - the result of `:`, `.` and `[]` is a VARIANT (a string inside it is a string value, which
 *   Snowflake's display quotes); a cast to a non-semi-structured type converts the value inside,
 *   so `::VARCHAR` of a string is its bare text;
 * - element names are case-sensitive (the column name is not); double quotes keep any characters;
 * - a field or element that is not there is SQL NULL; an explicit JSON null stays a VARIANT null;
 * - arrays are indexed from 0.
 *
 * Locally values are DuckDB JSON. The path is read from tokens (sql-text.ts `tokenize`), never
 * from the raw text: `operand : path [:: type]` becomes `SF_PATH(operand, '$."field"[0]')`
 * (json_extract, which gives JSON and NULL for a missing path), and with a cast to anything but
 * VARIANT/OBJECT/ARRAY `SF_PATH_TEXT(operand, …)::type` (the value inside as text, then cast).
 * An unaliased select item that is a path is named as Snowflake names it: its text upper-cased
 * (`SRC:DEALERSHIP`).
 *
 * A computed or negative index (`v[i]`, `v[ARRAY_SIZE(v) - 1]`, `v[-1]`) reads the element with
 * GET (https://docs.snowflake.com/en/sql-reference/functions/get: NULL outside the array, so for a
 * negative index).
 *
 * Refused by name (not implemented): a path on a value that is not semi-structured (the macro checks its type when it runs), a field name with a
 * `"` or `\` in it, a path after a `::` cast without parentheses, and `TRY_CAST(path AS …)`.
 *
 * An uncast path that is an operand is used as the value it holds
 * (https://docs.snowflake.com/en/sql-reference/data-types-semistructured, "Using VARIANT values":
 * "you can use VARIANT values in expressions where the value's data type is valid without first
 * casting the VARIANT", `my_variant_column * 3.14`):
 * - in arithmetic (`+ - * / %`): the integer inside, exactly (`SF_VARIANT_NUMBER`); a fraction is
 *   refused (its NUMBER scale is not known statically);
 * - compared (`= <> < …`, BETWEEN, IN) with anything but a string literal: the number inside,
 *   integers and fractions (`SF_VARIANT_COMPARE`), so `v:n > 10` compares numbers, not JSON text;
 * - compared with a string literal, or in LIKE/ILIKE: the string inside (`SF_VARIANT_STRING`);
 * - in `||`: the value's text, a string without its quotes (as TO_VARCHAR gives it);
 * - as an ORDER BY item, and in MIN/MAX: numbers by value, then strings (by text), then the rest.
 * A JSON null is SQL NULL there (https://docs.snowflake.com/en/user-guide/semistructured-considerations:
 * TO_VARCHAR of a JSON null is NULL). A value of another kind (a string compared with a number, a
 * number with a string, …) fails as not implemented when the statement meets it. A function or
 * operator the engine has no overload for on a path's JSON value (`ABS(v:n)`, `v:n > CURRENT_DATE`)
 * is refused by name in errors.ts, not with DuckDB's text.
 */
import { notImplemented } from '../../errors.js';
import { quoteString, tokenize, unquoteString, type Token } from '../../sql-text.js';
import { argumentRanges, closingParen, mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

/** Words that end no operand: a `[` after them starts an array constant, a `:` is not a path. */
const KEYWORDS = new Set([
  'SELECT', 'WHERE', 'THEN', 'ELSE', 'WHEN', 'AND', 'OR', 'NOT', 'IN', 'IS', 'ON', 'BY', 'HAVING',
  'RETURN', 'DISTINCT', 'ALL', 'CASE', 'LIKE', 'ILIKE', 'BETWEEN', 'SET', 'VALUES', 'AS', 'ARRAY',
  'FROM', 'JOIN', 'USING', 'INTO', 'END', 'WITH', 'LIMIT', 'OFFSET', 'QUALIFY', 'UNION', 'EXCEPT',
  'INTERSECT', 'MINUS', 'ANY', 'SOME', 'EXISTS', 'DEFAULT',
]);

const SEMI_TYPES = new Set(['VARIANT', 'OBJECT', 'ARRAY']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const isOperator = (t: Token | undefined): boolean => t !== undefined && (COMPARISONS.has(t.text) || ARITHMETIC.has(t.text));

const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text.toUpperCase())));
export const endsOperand = (t: Token | undefined): boolean => t !== undefined && (isName(t) || t.text === ')' || t.text === ']');

/** Index of the token opening the bracket closed at `close` (walking back), or -1. */
function openingOf(code: readonly Token[], close: number): number {
  const pairs: Record<string, string> = { ')': '(', ']': '[' };
  const open = pairs[code[close]?.text ?? ''];
  const shut = code[close]?.text;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const text = code[i]?.text;
    if (text === shut) depth++;
    else if (text === open && --depth === 0) return i;
  }
  return -1;
}

/** The first code token of the operand that ends at `end`. */
export function operandStart(code: readonly Token[], end: number): number {
  let j = end;
  const last = code[end];
  if (last && (last.text === ')' || last.text === ']')) {
    j = openingOf(code, end);
    if (j < 0) return -1;
    if (last.text === ')' && isName(code[j - 1])) j--;
    else return j;
  }
  while (code[j - 1]?.text === '.' && isName(code[j - 2])) j -= 2;
  return j;
}

type Step = { key: string } | { index: number };

/**
 * How an uncast path is used: `number` in arithmetic (an integer inside), `compare` in a
 * comparison, BETWEEN or IN with anything but a string literal (a number inside), `string`
 * compared with a string literal or in LIKE/ILIKE (a string inside), `text` in `||` (the text of
 * the value, as TO_VARCHAR gives it), `sort` as an ORDER BY item (numbers by value, then strings),
 * `none` as the VARIANT.
 */
type Use = 'number' | 'compare' | 'string' | 'text' | 'sort' | 'none';
const USE_MACRO: Record<Exclude<Use, 'none'>, string> = {
  number: 'SF_VARIANT_NUMBER',
  compare: 'SF_VARIANT_COMPARE',
  string: 'SF_VARIANT_STRING',
  text: 'SF_PATH_TEXT_OF',
  sort: 'SF_VARIANT_SORT',
};

interface Path {
  /** Code-token indexes: the operand's first token, and the token after the path (and its cast). */
  from: number;
  to: number;
  steps: Step[];
  /** The cast after the path, as written (`::NUMBER(10,2)`), and whether it leaves the value semi-structured. */
  cast: string;
  scalar: boolean;
  /** How an uncast path is read as an operand (see USE_MACRO). */
  use: Use;
  /** A computed index (`v[i]`, `v[-1]`): the text inside the brackets, read with GET. */
  index?: string;
}

/** The path starting at code token `at` (a `:` or `[` after an operand), or undefined. */
function pathAt(code: readonly Token[], at: number, sql: string): Path | undefined {
  const mark = code[at];
  if (!mark || !endsOperand(code[at - 1])) return undefined;
  const first = code[at + 1];
  if (mark.text === ':' && !(first && (first.kind === 'word' || first.kind === 'quoted'))) return undefined;
  if (mark.text !== ':' && mark.text !== '[') return undefined;
  const from = operandStart(code, at - 1);
  if (from < 0) return undefined;
  if (code[from - 1]?.text === '::') throw notImplemented('a semi-structured path after a :: cast (parenthesise the cast)', sql);
  if (code[from - 1]?.text === '(' && /^TRY_CAST$/i.test(code[from - 2]?.text ?? '')) {
    // https://docs.snowflake.com/en/sql-reference/functions/try_cast: "Only works for string
    // expressions"; DuckDB would try the JSON text.
    throw notImplemented("TRY_CAST of a semi-structured path (Snowflake's TRY_CAST takes string expressions: TRY_CAST(v:x::VARCHAR AS …))", sql);
  }
  const steps: Step[] = [];
  const fieldName = (t: Token): string => {
    const name = t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text;
    if (/["\\]/.test(name)) throw notImplemented(`a semi-structured path element with " or \\ in its name (${t.text})`, sql);
    return name;
  };
  let i = at;
  if (mark.text === ':') {
    steps.push({ key: fieldName(code[at + 1] as Token) });
    i = at + 2;
  }
  for (;;) {
    const t = code[i];
    if (t?.text === '.' && (code[i + 1]?.kind === 'word' || code[i + 1]?.kind === 'quoted') && steps.length > 0) {
      steps.push({ key: fieldName(code[i + 1] as Token) });
      i += 2;
    } else if (t?.text === '[') {
      const inner = code[i + 1];
      if (code[i + 2]?.text !== ']' || !inner || !(inner.kind === 'string' || (inner.kind === 'number' && /^\d+$/.test(inner.text)))) {
        // A computed or negative index: GET(value, index) (NULL outside the array, as GET's docs
        // say), on the path read so far (first), or on the operand itself.
        if (steps.length > 0) break;
        let depth = 0;
        let close = i;
        for (; close < code.length; close++) {
          if (code[close]?.text === '[') depth++;
          else if (code[close]?.text === ']' && --depth === 0) break;
        }
        if (close >= code.length) return undefined;
        const open = code[i] as Token;
        const shut = code[close] as Token;
        return { from, to: close + 1, steps, cast: '', scalar: false, use: 'none', index: sql.slice(open.start + 1, shut.start) };
      }
      steps.push(inner.kind === 'string' ? { key: unquoteString(inner.text) } : { index: Number(inner.text) });
      for (const step of steps) if ('key' in step && /["\\]/.test(step.key)) throw notImplemented(`a semi-structured path element with " or \\ in its name (${inner.text})`, sql);
      i += 3;
    } else break;
  }
  if (code[i]?.text === ':' && (code[i + 1]?.kind === 'word' || code[i + 1]?.kind === 'quoted')) {
    throw notImplemented('a second : in a semi-structured path (after the first element, use . or [])', sql);
  }
  let cast = '';
  let scalar = false;
  if (code[i]?.text === '::' && code[i + 1]?.kind === 'word') {
    const type = (code[i + 1] as Token).text.toUpperCase();
    let end = i + 2;
    if (code[end]?.text === '(') {
      let depth = 0;
      for (; end < code.length; end++) {
        if (code[end]?.text === '(') depth++;
        else if (code[end]?.text === ')' && --depth === 0) break;
      }
      end++;
    }
    cast = code.slice(i, end).map((t) => t.text).join('');
    scalar = !SEMI_TYPES.has(type);
    i = end;
  } else {
    return { from, to: i, steps, cast, scalar, use: useOf(code, from, i) };
  }
  return { from, to: i, steps, cast, scalar, use: 'none' };
}

/** How the uncast VARIANT operand at code tokens [from, to) is used (see Use). */
function useOf(code: readonly Token[], from: number, i: number): Use {
  const before = code[from - 1];
  const after = code[i];
  const next = after?.kind === 'word' ? after.text.toUpperCase() : '';
  const negated = next === 'NOT' ? 1 : 0;
  const word = (code[i + negated]?.text ?? '').toUpperCase();
  // The other operand of a comparison decides how the VARIANT is read: a string literal compares
  // with the string inside, anything else with the number inside.
  const byOther = (other: Token | undefined): Use => (other?.kind === 'string' ? 'string' : 'compare');
  if (after && COMPARISONS.has(after.text)) return byOther(code[i + 1]);
  if (before && COMPARISONS.has(before.text)) return byOther(code[from - 2]);
  if (word === 'BETWEEN') return byOther(code[i + negated + 1]);
  if (word === 'IN' && code[i + negated + 1]?.text === '(') return byOther(code[i + negated + 2]);
  if (word === 'LIKE' || word === 'ILIKE') return 'string';
  if (after?.text === '||' || before?.text === '||') return 'text';
  if (isOperator(after) || isOperator(before)) return 'number';
  if (orderByItem(code, from, i)) return 'sort';
  return 'none';
}

/**
 * FLATTEN's VALUE and THIS are VARIANTs: `f.VALUE`/`f.THIS` of a FLATTEN aliased `f` (and bare
 * VALUE/THIS when the statement's one FROM is the FLATTEN alone) are used as uncast paths are
 * (compared with a string as the string inside, ordered by value, …), where the engine would
 * compare their JSON text. One reference per call, from the left.
 */
function rewriteFlattenColumn(sql: string): string {
  const masked = mask(sql);
  const aliases = new Set<string>();
  for (const m of masked.matchAll(/(?<![\w$.])FLATTEN\s*\(/gi)) {
    const close = closingParen(masked, m.index + m[0].length - 1);
    if (close < 0) continue;
    const after = /^\s*\)?\s*(?:AS\s+)?([A-Za-z_][\w$]*)/i.exec(masked.slice(close + 1));
    const alias = after?.[1]?.toUpperCase();
    if (alias && !KEYWORDS.has(alias) && !/^(LATERAL|TABLE|FLATTEN|ORDER|GROUP|LIMIT|WINDOW)$/.test(alias)) aliases.add(alias);
  }
  // A statement whose one FROM is the FLATTEN alone: its bare VALUE and THIS are FLATTEN's.
  const froms = [...masked.matchAll(/(?<![\w$.])FROM\b/gi)];
  const sole = froms.length === 1 && /^\s*(?:TABLE\s*\(\s*)?(?:LATERAL\s+)?FLATTEN\s*\(/i.test(masked.slice((froms[0]?.index ?? 0) + 4)) && (() => {
    const open = masked.indexOf('(', masked.slice(0, (froms[0]?.index ?? 0) + 4).length + masked.slice((froms[0]?.index ?? 0) + 4).search(/FLATTEN/i));
    const close = closingParen(masked, open);
    return close > 0 && !/^\s*\)?\s*(?:(?:AS\s+)?[A-Za-z_][\w$]*\s*)?(?:,|\b(?:JOIN|INNER|LEFT|RIGHT|FULL|CROSS|NATURAL)\b)/i.test(masked.slice(close + 1));
  })();
  if (aliases.size === 0 && !sole) return sql;
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  for (let k = 0; k < code.length; k++) {
    const a = code[k] as Token;
    let last = k + 2;
    if (sole && a.kind === 'word' && /^(VALUE|THIS)$/i.test(a.text) && code[k - 1]?.text !== '.' && code[k - 1]?.text !== '=>' && code[k + 1]?.text !== '(') last = k;
    else {
      const col = code[k + 2];
      if (!(a.kind === 'word' && aliases.has(a.text.toUpperCase()) && code[k + 1]?.text === '.' && col?.kind === 'word' && /^(VALUE|THIS)$/i.test(col.text))) continue;
    }
    const col = code[last] as Token;
    if (code[k - 1]?.text === '.' || /^(:|\[|\.|::)$/.test(code[last + 1]?.text ?? '')) continue;
    const ref = sql.slice(a.start, col.start + col.text.length);
    const agg = code[k - 1]?.text === '(' && /^(MIN|MAX)$/i.test(code[k - 2]?.text ?? '') && code[last + 1]?.text === ')';
    if (agg) {
      const fn = code[k - 2] as Token;
      const shut = code[last + 1] as Token;
      return `${sql.slice(0, fn.start)}struct_extract(${fn.text}(SF_VARIANT_SORT(${ref})), 'v')${sql.slice(shut.start + 1)}`;
    }
    const use = useOf(code, k, last + 1);
    if (use === 'none') continue;
    return `${sql.slice(0, a.start)}${USE_MACRO[use]}(${ref})${sql.slice(col.start + col.text.length)}`;
  }
  return sql;
}

/** Whether code tokens [from, to) are a whole item of an ORDER BY list. */
function orderByItem(code: readonly Token[], from: number, to: number): boolean {
  const after = code[to]?.text.toUpperCase();
  if (!(after === undefined || /^(,|\)|;|ASC|DESC|NULLS|LIMIT|OFFSET|FETCH)$/.test(after))) return false;
  let depth = 0;
  for (let i = from - 1; i >= 0; i--) {
    const t = (code[i] as Token).text.toUpperCase();
    if (t === ')' || t === ']') depth++;
    else if (t === '(' || t === '[') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && t === 'BY') return code[i - 1]?.text.toUpperCase() === 'ORDER' && (i === from - 1 || code[from - 1]?.text === ',');
    else if (depth === 0 && /^(SELECT|FROM|WHERE|HAVING|ON|SET|PARTITION|GROUP)$/.test(t)) return false;
  }
  return false;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function jsonPath(steps: readonly Step[]): string {
  return '$' + steps.map((s) => ('key' in s ? `."${s.key}"` : `[${s.index}]`)).join('');
}

/** Whether code token `at` starts an item of a select list (after SELECT [DISTINCT] or a comma at that level). */
function selectItemBounds(code: readonly Token[], from: number, to: number): boolean {
  const before = code[from - 1]?.text.toUpperCase();
  const after = code[to]?.text.toUpperCase();
  if (!(after === undefined || after === ',' || after === 'FROM' || after === ')' || after === ';')) return false;
  if (before === 'SELECT' || before === 'DISTINCT') return true;
  if (before !== ',') return false;
  // Walk back at this nesting level to the clause the comma belongs to.
  let depth = 0;
  for (let i = from - 1; i >= 0; i--) {
    const t = (code[i] as Token).text.toUpperCase();
    if (t === ')' || t === ']') depth++;
    else if (t === '(' || t === '[') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && (t === 'SELECT')) return true;
    else if (depth === 0 && /^(FROM|WHERE|BY|VALUES|HAVING|ON|SET|INTO)$/.test(t)) return false;
  }
  return false;
}

/** Rewrites the first path of the statement (operands come before their paths, so inner ones first). */
function rewriteOne(sql: string): string {
  const all = tokenize(sql);
  const code = all.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  for (let at = 1; at < code.length; at++) {
    const text = (code[at] as Token).text;
    if (text !== ':' && text !== '[') continue;
    const path = pathAt(code, at, sql);
    if (!path) continue;
    const start = (code[path.from] as Token).start;
    const last = code[path.to - 1] as Token;
    const end = last.start + last.text.length;
    const operand = sql.slice(start, (code[at - 1] as Token).start + (code[at - 1] as Token).text.length);
    if (path.index !== undefined) {
      // `v[i].name` goes on as a path on the element: `GET(v, i):name`.
      const dot = code[path.to]?.text === '.' && (code[path.to + 1]?.kind === 'word' || code[path.to + 1]?.kind === 'quoted');
      const rest = dot ? `:${sql.slice((code[path.to + 1] as Token).start)}` : sql.slice(end);
      return `${sql.slice(0, start)}"GET"(${operand}, ${path.index})${rest}`;
    }
    const read = `${path.scalar ? 'SF_PATH_TEXT' : 'SF_PATH'}(${operand}, ${quoteString(jsonPath(path.steps))})`;
    // MIN/MAX of an uncast path: the smallest/largest value in the ORDER BY item order (numbers by
    // value), not by JSON text.
    const agg = code[path.from - 1]?.text === '(' && /^(MIN|MAX)$/i.test(code[path.from - 2]?.text ?? '') && code[path.to]?.text === ')' && path.use === 'none' && path.cast === '';
    if (agg) {
      const fn = code[path.from - 2] as Token;
      const shut = code[path.to] as Token;
      return `${sql.slice(0, fn.start)}struct_extract(${fn.text}(SF_VARIANT_SORT(${read})), 'v')${sql.slice(shut.start + 1)}`;
    }
    const call = path.use === 'none' ? `${read}${path.cast}` : `${USE_MACRO[path.use]}(${read})`;
    // Snowflake names the column by the item's text, upper-cased (`S.SRC:DEALERSHIP`,
    // `PARSE_JSON('{ "A": NULL }'):A` in the documentation's examples).
    const name = sql.slice(start, end).toUpperCase();
    const alias = selectItemBounds(code, path.from, path.to) ? ` AS ${quoteIdent(name)}` : '';
    return sql.slice(0, start) + call + alias + sql.slice(end);
  }
  return sql;
}

/**
 * OBJECT and ARRAY constants (https://docs.snowflake.com/en/sql-reference/data-types-semistructured):
 * `{'k': v, …}` → OBJECT_CONSTRUCT('k', v, …), `{*}` / `{* EXCLUDE …}` → OBJECT_CONSTRUCT(*…), and
 * `[a, b, …]` where no operand precedes it (else it is a subscript, read as a path below) →
 * ARRAY_CONSTRUCT(a, b, …), so an array may mix types as Snowflake's does. The innermost first,
 * before paths are read (`[1, 2][0]`, `{'a': 1}:a`).
 */
function rewriteConstants(sql: string): string {
  let out = sql;
  for (let guard = 0; guard < 1000; guard++) {
    const code = tokenize(out).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
    let done = true;
    for (let i = code.length - 1; i >= 0; i--) {
      const t = code[i] as Token;
      if (t.text !== '{' && !(t.text === '[' && !endsOperand(code[i - 1]))) continue;
      const shut = t.text === '{' ? '}' : ']';
      let depth = 0;
      let j = i;
      for (; j < code.length; j++) {
        const x = (code[j] as Token).text;
        if (x === t.text) depth++;
        else if (x === shut && --depth === 0) break;
      }
      const close = code[j];
      if (!close) return out;
      const inner = out.slice(t.start + 1, close.start);
      let call: string;
      if (t.text === '[') call = `ARRAY_CONSTRUCT(${inner})`;
      else if (/^\s*\*/.test(inner)) call = `OBJECT_CONSTRUCT(${inner})`;
      else {
        const masked = mask(inner);
        const pairs = argumentRanges(inner, masked, 0, inner.length).map(([a, b]) => {
          const colon = topLevelColon(masked, a, b);
          if (colon < 0) throw notImplemented(`this OBJECT constant entry (${inner.slice(a, b)})`, sql);
          return `${inner.slice(a, colon).trim()}, ${inner.slice(colon + 1, b).trim()}`;
        });
        call = `OBJECT_CONSTRUCT(${pairs.join(', ')})`;
      }
      out = out.slice(0, t.start) + call + out.slice(close.start + 1);
      done = false;
      break;
    }
    if (done) break;
  }
  return out;
}

/** The first `:` at depth 0 in masked[from, to), or -1. */
function topLevelColon(masked: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const ch = masked[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ':' && depth === 0 && masked[i + 1] !== ':' && masked[i - 1] !== ':') return i;
  }
  return -1;
}

export const semiStructuredPaths: FunctionFamily = {
  name: 'semi-structured path access (v:field, v[0], v[\'key\'])',
  setup: [
    `CREATE OR REPLACE MACRO SF_PATH(v, p) AS CASE WHEN typeof(v) NOT IN ('JSON', 'NULL') ` +
      `THEN error('SF_LOCAL_NOT_IMPLEMENTED:semi-structured path access on a ' || typeof(v) || ' value (only VARIANT, OBJECT and ARRAY)') ` +
      `ELSE json_extract(CAST(v AS JSON), p) END`,
    `CREATE OR REPLACE MACRO SF_PATH_TEXT(v, p) AS json_extract_string(SF_PATH(v, p), '$')`,
    // An uncast path in arithmetic or a comparison: a VARIANT holding an integer is that number
    // (NUMBER(38,0), exact); SQL NULL (a missing element) stays NULL; any other value (a string,
    // a fraction, a JSON null, …) fails as not implemented rather than being compared as JSON text.
    `CREATE OR REPLACE MACRO SF_VARIANT_NUMBER(j) AS CASE WHEN j IS NULL THEN NULL ` +
      `WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN CAST(CAST(j AS VARCHAR) AS DECIMAL(38,0)) ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:arithmetic on an uncast semi-structured path holding ' || ` +
      `CASE json_type(j) WHEN 'VARCHAR' THEN 'a string' WHEN 'DOUBLE' THEN 'a number with a fraction or exponent' WHEN 'NULL' THEN 'a JSON null' ` +
      `WHEN 'BOOLEAN' THEN 'a boolean' WHEN 'OBJECT' THEN 'an object' WHEN 'ARRAY' THEN 'an array' ELSE json_type(j) END || ' (cast it: v:field::NUMBER(p,s))') END`,
    // An uncast path compared with a number (=, <, BETWEEN, IN, …): the number inside, integers
    // and fractions alike (exactly, to 10 decimal places; a longer fraction or an exponent beyond
    // that is refused); a JSON null is SQL NULL (as TO_VARCHAR/TO_NUMBER give it).
    `CREATE OR REPLACE MACRO SF_VARIANT_COMPARE(j) AS CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN NULL ` +
      `WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN CAST(CAST(j AS VARCHAR) AS DECIMAL(38,10)) ` +
      `WHEN json_type(j) = 'DOUBLE' AND NOT regexp_matches(CAST(j AS VARCHAR), '[eE]|\\.[0-9]{11,}') THEN CAST(CAST(j AS VARCHAR) AS DECIMAL(38,10)) ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:comparing an uncast semi-structured path holding ' || ` +
      `CASE json_type(j) WHEN 'VARCHAR' THEN 'a string' WHEN 'DOUBLE' THEN 'a number with more than 10 decimal places or an exponent' ` +
      `WHEN 'BOOLEAN' THEN 'a boolean' WHEN 'OBJECT' THEN 'an object' WHEN 'ARRAY' THEN 'an array' ELSE json_type(j) END || ' with a number (cast it: v:field::NUMBER(p,s))') END`,
    // Compared with a string literal or in LIKE: the string inside; a JSON null is SQL NULL; any
    // other value is refused (whether Snowflake casts the VARIANT or the string was not checked).
    `CREATE OR REPLACE MACRO SF_VARIANT_STRING(j) AS CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN NULL ` +
      `WHEN json_type(j) = 'VARCHAR' THEN json_extract_string(j, '$') ` +
      `ELSE error('SF_LOCAL_NOT_IMPLEMENTED:comparing an uncast semi-structured path holding ' || ` +
      `CASE json_type(j) WHEN 'DOUBLE' THEN 'a number' WHEN 'BIGINT' THEN 'a number' WHEN 'UBIGINT' THEN 'a number' WHEN 'BOOLEAN' THEN 'a boolean' ` +
      `WHEN 'OBJECT' THEN 'an object' WHEN 'ARRAY' THEN 'an array' ELSE json_type(j) END || ' with a string (cast it: v:field::VARCHAR)') END`,
    // An ORDER BY item: numbers by value, then strings, then other values by their JSON text, then
    // JSON nulls (SQL NULLs as the query's null order says). Snowflake's order across kinds of
    // VARIANT values is not emulated: only one kind per column sorts as in Snowflake.
    `CREATE OR REPLACE MACRO SF_VARIANT_SORT(j) AS CASE WHEN j IS NULL THEN NULL ELSE {` +
      `'n': CASE WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(CAST(j AS VARCHAR) AS DOUBLE) END, ` +
      `'s': CASE WHEN json_type(j) = 'VARCHAR' THEN json_extract_string(j, '$') END, ` +
      `'o': CASE WHEN json_type(j) NOT IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'VARCHAR') THEN CAST(j AS VARCHAR) END, 'v': j} END`,
    // In ||: the text of the value (a string without quotes), as TO_VARCHAR of a VARIANT gives it.
    `CREATE OR REPLACE MACRO SF_PATH_TEXT_OF(j) AS json_extract_string(j, '$')`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (sql.includes('{') || sql.includes('[')) sql = rewriteConstants(sql);
    if (!sql.includes(':') && !sql.includes('[') && !/FLATTEN/i.test(sql)) return sql;
    let out = sql;
    for (let guard = 0; guard < 1000; guard++) {
      const next = rewriteOne(out);
      if (next === out) break;
      out = next;
    }
    if (/FLATTEN/i.test(out)) {
      for (let guard = 0; guard < 1000; guard++) {
        const next = rewriteFlattenColumn(out);
        if (next === out) break;
        out = next;
      }
    }
    // A `:` still after an operand is a path form not read above.
    const code = tokenize(out).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
    code.forEach((t, i) => {
      if (t.text === ':' && endsOperand(code[i - 1]) && (code[i + 1]?.kind === 'word' || code[i + 1]?.kind === 'quoted')) {
        throw notImplemented('semi-structured path access in this form', sql);
      }
    });
    return out;
  },
};
