/**
 * Operands of a binary operator, read from tokens: where the expression left of an operator
 * starts and where the one right of it ends, by Snowflake's precedence (postfix `::` casts,
 * subscripts and qualified names bind tightest, then unary `+`/`-`, then `*`, `/`, `%`, then the
 * rest). Used to rewrite `a / b` and `a * b` into calls that see both operands (arithmetic.ts)
 * and the RLIKE/REGEXP operators (regexp.ts).
 */
import type { Token } from '../../sql-text.js';

/** Words that end an operand when they follow an expression (`… OVER (…)` is handled apart). */
const CLAUSE_WORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'UNION', 'EXCEPT', 'MINUS',
  'INTERSECT', 'AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'BETWEEN', 'AS', 'ON', 'USING', 'JOIN', 'WHEN',
  'THEN', 'ELSE', 'CASE', 'END', 'SET', 'VALUES', 'INTO', 'RETURN', 'DISTINCT', 'ALL', 'ANY', 'SOME', 'EXISTS', 'ESCAPE',
  'WITH', 'ASC', 'DESC', 'NULLS', 'OVER', 'PARTITION', 'ROWS', 'RANGE', 'FILTER', 'WITHIN', 'IGNORE', 'RESPECT',
  'COLLATE', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'NATURAL', 'LATERAL', 'WINDOW', 'MATCHED',
]);

/** Words that read as values (not clause keywords) though some are reserved. */
const VALUE_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME']);

/** Words whose string literal after them is one typed literal (`DATE '2024-01-01'`). */
const TYPED_LITERALS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'INTERVAL']);

const upper = (t: Token | undefined): string => (t && t.kind === 'word' ? t.text.toUpperCase() : '');

function isValueWord(t: Token | undefined): boolean {
  if (!t || t.kind !== 'word') return false;
  const w = t.text.toUpperCase();
  return VALUE_WORDS.has(w) || !CLAUSE_WORDS.has(w);
}

/** Index of the token closing the bracket at `open` (`(`/`[`/`{`), or -1. */
function closing(tokens: readonly Token[], open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const o = tokens[open]?.text as string;
  const c = pairs[o];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'op') continue;
    if (t.text === o) depth++;
    else if (t.text === c && --depth === 0) return i;
  }
  return -1;
}

/** Index of the token opening the bracket closed at `close`, or -1. */
function opening(tokens: readonly Token[], close: number): number {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const c = tokens[close]?.text as string;
  const o = pairs[c];
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = tokens[i] as Token;
    if (t.kind !== 'op') continue;
    if (t.text === c) depth++;
    else if (t.text === o && --depth === 0) return i;
  }
  return -1;
}

/** Whether the token at i is a unary sign (`-`/`+` not after an operand). */
function isUnarySign(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!t || t.kind !== 'op' || (t.text !== '-' && t.text !== '+')) return false;
  return !endsOperand(tokens, i - 1);
}

/** Whether the token at i can be the last token of an operand. */
function endsOperand(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!t) return false;
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'dollar' || t.kind === 'quoted' || t.kind === 'bind' || t.kind === 'variable') return true;
  if (t.kind === 'word') return isValueWord(t) || upper(t) === 'END';
  return t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}');
}

/**
 * The first token of the primary expression (with its postfix casts, subscripts and window
 * clauses) that ends at token `end`, or -1 when there is none the rewrite can delimit.
 */
function primaryStart(tokens: readonly Token[], end: number): number {
  const t = tokens[end];
  if (!t) return -1;
  let start: number;
  if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) {
    start = opening(tokens, end);
    if (start < 0) return -1;
    const before = tokens[start - 1];
    if (t.text === ')' && before?.kind === 'word' && !CLAUSE_WORDS.has(upper(before))) start = qualifiedStart(tokens, start - 1);
    else if (t.text === ')' && ['OVER', 'FILTER'].includes(upper(before))) {
      const call = primaryStart(tokens, start - 2);
      return call < 0 ? -1 : call;
    } else if (t.text === ')' && upper(before) === 'GROUP' && upper(tokens[start - 2]) === 'WITHIN') {
      const call = primaryStart(tokens, start - 3);
      return call < 0 ? -1 : call;
    } else if (t.text === ']' && endsOperand(tokens, start - 1)) {
      // A subscript: `x[0]`.
      const base = primaryStart(tokens, start - 1);
      return base < 0 ? -1 : base;
    }
  } else if (t.kind === 'word' && upper(t) === 'END') {
    let depth = 0;
    start = -1;
    for (let i = end; i >= 0; i--) {
      const w = upper(tokens[i]);
      if (w === 'END') depth++;
      else if (w === 'CASE' && --depth === 0) {
        start = i;
        break;
      }
    }
    if (start < 0) return -1;
  } else if (t.kind === 'string' && TYPED_LITERALS.has(upper(tokens[end - 1]))) {
    start = end - 1;
  } else if (t.kind === 'word') {
    if (!isValueWord(t)) return -1;
    start = qualifiedStart(tokens, end);
    // A named window: `SUM(x) OVER w`.
    if (upper(tokens[start - 1]) === 'OVER') return primaryStart(tokens, start - 2);
  } else if (t.kind === 'quoted') {
    start = qualifiedStart(tokens, end);
  } else if (t.kind === 'number' || t.kind === 'string' || t.kind === 'dollar' || t.kind === 'bind' || t.kind === 'variable') {
    start = end;
  } else {
    return -1;
  }
  // `x::TYPE`: the cast's operand comes before it.
  if (tokens[start - 1]?.text === '::') return primaryStart(tokens, start - 2);
  return start;
}

/** The first token of a dotted name ending at `end` (`db.s.f`, `t."c"`). */
function qualifiedStart(tokens: readonly Token[], end: number): number {
  let start = end;
  while (tokens[start - 1]?.text === '.' && (tokens[start - 2]?.kind === 'word' || tokens[start - 2]?.kind === 'quoted')) start -= 2;
  return start;
}

/**
 * Where the left operand of the multiplicative operator at `op` starts: the chain of `*`, `/`
 * and `%` before it (left-associative), each factor with its unary signs. -1 when it cannot be
 * delimited.
 */
export function leftOperandStart(tokens: readonly Token[], op: number): number {
  let end = op - 1;
  for (;;) {
    let start = primaryStart(tokens, end);
    if (start < 0) return -1;
    while (isUnarySign(tokens, start - 1)) start--;
    const before = tokens[start - 1];
    if (before && before.kind === 'op' && (before.text === '*' || before.text === '/' || before.text === '%') && endsOperand(tokens, start - 2)) {
      end = start - 2;
      continue;
    }
    return start;
  }
}

/** Where the right operand of the operator at `op` ends (its last token), or -1. */
export function rightOperandEnd(tokens: readonly Token[], op: number): number {
  let i = op + 1;
  while (tokens[i]?.kind === 'op' && (tokens[i]?.text === '-' || tokens[i]?.text === '+')) i++;
  let end = primaryEnd(tokens, i);
  if (end < 0) return -1;
  // Postfix casts and subscripts.
  for (;;) {
    const next = tokens[end + 1];
    if (next?.text === '::') {
      const type = tokens[end + 2];
      if (type?.kind !== 'word' && type?.kind !== 'quoted') return -1;
      end += 2;
      if (tokens[end + 1]?.text === '(') {
        end = closing(tokens, end + 1);
        if (end < 0) return -1;
      }
    } else if (next?.text === '[') {
      end = closing(tokens, end + 1);
      if (end < 0) return -1;
    } else {
      return end;
    }
  }
}

/** The last token of the primary expression starting at `start`, or -1. */
function primaryEnd(tokens: readonly Token[], start: number): number {
  const t = tokens[start];
  if (!t) return -1;
  if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) return closing(tokens, start);
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'dollar' || t.kind === 'bind' || t.kind === 'variable') return start;
  if (t.kind === 'word' && upper(t) === 'CASE') {
    let depth = 0;
    for (let i = start; i < tokens.length; i++) {
      const w = upper(tokens[i]);
      if (w === 'CASE') depth++;
      else if (w === 'END' && --depth === 0) return i;
    }
    return -1;
  }
  if (t.kind === 'word' && TYPED_LITERALS.has(upper(t)) && tokens[start + 1]?.kind === 'string') return start + 1;
  if (t.kind !== 'word' && t.kind !== 'quoted') return -1;
  if (t.kind === 'word' && !isValueWord(t)) return -1;
  let end = start;
  while (tokens[end + 1]?.text === '.' && (tokens[end + 2]?.kind === 'word' || tokens[end + 2]?.kind === 'quoted')) end += 2;
  if (tokens[end + 1]?.text !== '(') return end;
  end = closing(tokens, end + 1);
  if (end < 0) return -1;
  // Clauses of an aggregate or window call.
  for (;;) {
    const w = upper(tokens[end + 1]);
    if ((w === 'IGNORE' || w === 'RESPECT') && upper(tokens[end + 2]) === 'NULLS') end += 2;
    else if (w === 'WITHIN' && upper(tokens[end + 2]) === 'GROUP' && tokens[end + 3]?.text === '(') end = closing(tokens, end + 3);
    else if ((w === 'OVER' || w === 'FILTER') && tokens[end + 2]?.text === '(') end = closing(tokens, end + 2);
    else if (w === 'OVER' && tokens[end + 2]?.kind === 'word') end += 2;
    else return end;
    if (end < 0) return -1;
  }
}
