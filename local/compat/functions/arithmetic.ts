/**
 * Division as Snowflake does it (https://docs.snowflake.com/en/sql-reference/operators-arithmetic,
 * "Scale and precision in arithmetic operations"). DuckDB's `/` always gives a DOUBLE; in
 * Snowflake two fixed-point operands give a fixed-point NUMBER whose scale is
 * `max(S1, min(S1 + 6, 12))` (S1 the numerator's scale), so `1/3` is 0.333333 and `10/4` 2.500000,
 * and a FLOAT operand gives a FLOAT. Dividing by zero fails ("Division by zero", 100051) where
 * DuckDB would give NULL.
 *
 * `a / b` is rewritten from tokens (operands.ts finds the operands by precedence) into
 * `SF_DIV(a, b)`. The macro reads the operand types when the statement is bound: `typeof()` of an
 * expression is a constant there, and so are the scales parsed from it. A struct of one field per
 * result kind, read by a constant key, gives the call the type of the kind it is (a CASE would
 * unify its branches into one type): the quotient of the unscaled integers (HUGEINT), rounded
 * half away from zero, shifted by a DECIMAL constant of the result's scale; or the DOUBLE
 * quotient. Operands of other types (text, VARIANT, dates) are refused by name.
 *
 * `a * b` is rewritten the same way into `SF_MUL(a, b)`: Snowflake's product of fixed-point
 * numbers has scale `min(S1 + S2, max(S1, S2, 12))` (DuckDB keeps S1 + S2) and 38 digits (DuckDB's
 * integer literals overflow at 32 bits). `+`, `-` and `%` of fixed-point numbers keep
 * `max(S1, S2)` in both engines and are left to DuckDB.
 *
 * Also here: AVG, MEDIAN and PERCENTILE_CONT of NUMBERs (rewriteAverages), DIV0/DIV0NULL, and
 * CEIL/FLOOR to a scale, whose macros need the same typed constants (SF_SHIFT, SF_PICK).
 */
import { notImplemented } from '../../errors.js';
import { tokenize, type Token } from '../../sql-text.js';
import { closingParen, mask } from '../rewrite.js';
import { numberPositionalBinds } from './calls.js';
import type { FunctionFamily } from './family.js';
import { leftOperandStart, rightOperandEnd } from './operands.js';

/** DuckDB's integer type names (typeof), all scale 0. */
const INTEGER_TYPES = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];

/** 10^-k as a DECIMAL(k+1, k) constant, for k = 0 … 37: the shift that gives a quotient its scale. */
const SHIFTS = [
  ...Array.from({ length: 38 }, (_v, k) => `'${k}': CAST(${k === 0 ? '1' : `0.${'0'.repeat(k - 1)}1`} AS DECIMAL(${k + 1},${k}))`),
  // 10^k for a negative scale -k (CEIL/FLOOR to tens, hundreds, …).
  ...Array.from({ length: 37 }, (_v, i) => `'-${i + 1}': CAST(1${'0'.repeat(i + 1)} AS DECIMAL(${i + 2},0))`),
].join(', ');

/**
 * An operand with a type even when it is a bare NULL (a NULL-typed struct field is not typed
 * inside the lambda): COALESCE with an INTEGER NULL keeps a number's type and scale (up to scale
 * 28), and reads numeric text as a number.
 */
const TYPED = (x: string): string => `coalesce(${x}, CAST(NULL AS INTEGER))`;

const DIVISION_BY_ZERO = `SF_RAISE('SF_LOCAL_ERROR:100051:22012:Division by zero')`;

/**
 * Fails the statement with `message` (errors.ts reads `SF_LOCAL_ERROR:code:state:text` and
 * `SF_LOCAL_NOT_IMPLEMENTED:construct`) when a row reaches it: a failing cast rather than
 * error(), which the engine counts as a side effect and so refuses in an expression that a later
 * select item names by its alias (`SELECT a / b AS r, r * 100`), as Snowflake allows. Typed
 * DECIMAL(1,0), which any numeric branch of a CASE absorbs without changing its type.
 */
const RAISE = `CREATE OR REPLACE MACRO SF_RAISE(message) AS CAST(CAST(message AS INTEGER) AS DECIMAL(1,0))`;

export const arithmetic: FunctionFamily = {
  name: 'arithmetic (the division and multiplication operators, AVG, MEDIAN, DIV0, CEIL/FLOOR with a scale)',
  setup: [
    RAISE,
    // 'f' a floating-point operand, 'd' both fixed-point (or NULL), 'x' anything else.
    `CREATE OR REPLACE MACRO SF_NUM_KIND(t) AS CASE WHEN t IN ('DOUBLE', 'FLOAT') THEN 'f' ` +
      `WHEN t LIKE 'DECIMAL(%' OR t IN (${INTEGER_TYPES.map((n) => `'${n}'`).join(', ')}, '"NULL"') THEN 'd' ELSE 'x' END`,
    `CREATE OR REPLACE MACRO SF_NUM_SCALE(t) AS CASE WHEN t LIKE 'DECIMAL(%' THEN CAST(regexp_extract(t, ',(\\d+)\\)', 1) AS INTEGER) ELSE 0 END`,
    `CREATE OR REPLACE MACRO SF_DIV_KIND(ta, tb) AS CASE WHEN SF_NUM_KIND(ta) = 'x' OR SF_NUM_KIND(tb) = 'x' THEN 'x' ` +
      `WHEN SF_NUM_KIND(ta) = 'f' OR SF_NUM_KIND(tb) = 'f' THEN 'f' ELSE 'd' END`,
    `CREATE OR REPLACE MACRO SF_POW10(n) AS CAST('1' || repeat('0', n) AS HUGEINT)`,
    // Macros that pick by a key must see a constant key, which the engine checks when a macro
    // calling them is created (with its parameters unknown): placeholders stand in for them while
    // their callers are created, and the real ones replace them after.
    `CREATE OR REPLACE MACRO SF_SHIFT(k) AS CAST(1 AS DECIMAL(1,0))`,
    `CREATE OR REPLACE MACRO SF_PICK(f, d, x, k) AS f`,
    `CREATE OR REPLACE MACRO SF_ROUND_TO(x, k) AS x`,
    // x the numerator and y the denominator unscaled (HUGEINT), e the power of ten that brings
    // x to the result's scale k plus y's scale: round(x·10^e / y) half away from zero, at scale k.
    `CREATE OR REPLACE MACRO SF_DIV_FIXED(x, y, e, k) AS CASE WHEN x IS NULL THEN NULL WHEN y = 0 THEN ${DIVISION_BY_ZERO} ` +
      `ELSE CAST(sign(x) * sign(y) * ((abs(x) * SF_POW10(e) * 2 + abs(y)) // (abs(y) * 2)) AS DECIMAL(38,0)) * SF_SHIFT(CAST(k AS VARCHAR)) END`,
    `CREATE OR REPLACE MACRO SF_DIV_SCALE(ta) AS greatest(SF_NUM_SCALE(ta), least(SF_NUM_SCALE(ta) + 6, 12))`,
    `CREATE OR REPLACE MACRO SF_DIV_OF(a, b) AS SF_PICK(` +
      `CASE WHEN SF_DIV_KIND(typeof(a), typeof(b)) = 'f' THEN ` +
      `CASE WHEN a IS NULL THEN NULL WHEN CAST(b AS DOUBLE) = 0 THEN ${DIVISION_BY_ZERO} ELSE CAST(a AS DOUBLE) / CAST(b AS DOUBLE) END END, ` +
      `CASE WHEN SF_DIV_KIND(typeof(a), typeof(b)) = 'd' THEN SF_DIV_FIXED(` +
      `CAST(a * SF_POW10(SF_NUM_SCALE(typeof(a))) AS HUGEINT), CAST(b * SF_POW10(SF_NUM_SCALE(typeof(b))) AS HUGEINT), ` +
      `SF_DIV_SCALE(typeof(a)) - SF_NUM_SCALE(typeof(a)) + SF_NUM_SCALE(typeof(b)), SF_DIV_SCALE(typeof(a))) END, ` +
      `CASE WHEN SF_DIV_KIND(typeof(a), typeof(b)) = 'x' THEN SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:the division operator on a ' || ` +
      `replace(CASE WHEN SF_NUM_KIND(typeof(a)) = 'x' THEN typeof(a) ELSE typeof(b) END, 'JSON', 'VARIANT') || ' operand (cast it to NUMBER or FLOAT)') END, ` +
      `SF_DIV_KIND(typeof(a), typeof(b)))`,
    `CREATE OR REPLACE MACRO SF_DIV(a, b) AS list_transform([{'a': ${TYPED('a')}, 'b': ${TYPED('b')}}], lambda sf_o: SF_DIV_OF(sf_o.a, sf_o.b))[1]`,
    // DIV0 / DIV0NULL (https://docs.snowflake.com/en/sql-reference/functions/div0,
    // https://docs.snowflake.com/en/sql-reference/functions/div0null): the division, 0 when the
    // divisor is 0 (DIV0NULL: or NULL).
    `CREATE OR REPLACE MACRO DIV0(a, b) AS CASE WHEN b = 0 THEN 0 ELSE SF_DIV(a, b) END`,
    `CREATE OR REPLACE MACRO DIV0NULL(a, b) AS CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE SF_DIV(a, b) END`,
    // CEIL / FLOOR with a scale (https://docs.snowflake.com/en/sql-reference/functions/ceil,
    // https://docs.snowflake.com/en/sql-reference/functions/floor). A NUMBER is truncated to the
    // scale and moved one unit of it up (CEIL) or down (FLOOR) when that cut anything; the result
    // has that scale, which must then be a literal (math.ts sends the others to SF_*_FLOAT). A
    // FLOAT stays a FLOAT, and its scale may be any expression (the pages' examples take it from
    // a column).
    `CREATE OR REPLACE MACRO SF_FLOAT_KIND(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN 'f' ELSE 'd' END`,
    `CREATE OR REPLACE MACRO SF_UNIT(x, n) AS SF_SHIFT(CAST(n AS VARCHAR))`,
    `CREATE OR REPLACE MACRO SF_FLOOR(x, n) AS SF_PICK(floor(CAST(x AS DOUBLE) * power(10, n)) / power(10, n), ` +
      `trunc(x, CAST(n AS INTEGER)) - CASE WHEN x < trunc(x, CAST(n AS INTEGER)) THEN SF_UNIT(x, n) ELSE 0 END, NULL, SF_FLOAT_KIND(x))`,
    `CREATE OR REPLACE MACRO SF_FLOOR_FLOAT(x, n) AS CASE WHEN SF_FLOAT_KIND(x) = 'd' ` +
      `THEN CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:CEIL or FLOOR of a NUMBER to a scale that is not a literal') AS DOUBLE) ` +
      `ELSE floor(CAST(x AS DOUBLE) * power(10, n)) / power(10, n) END`,
    `CREATE OR REPLACE MACRO SF_CEIL_FLOAT(x, n) AS CASE WHEN SF_FLOAT_KIND(x) = 'd' ` +
      `THEN CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:CEIL or FLOOR of a NUMBER to a scale that is not a literal') AS DOUBLE) ` +
      `ELSE ceil(CAST(x AS DOUBLE) * power(10, n)) / power(10, n) END`,
    `CREATE OR REPLACE MACRO SF_CEIL(x, n) AS SF_PICK(ceil(CAST(x AS DOUBLE) * power(10, n)) / power(10, n), ` +
      `trunc(x, CAST(n AS INTEGER)) + CASE WHEN x > trunc(x, CAST(n AS INTEGER)) THEN SF_UNIT(x, n) ELSE 0 END, NULL, SF_FLOAT_KIND(x))`,
    // The product of fixed-point numbers: the product of the unscaled integers (HUGEINT, so
    // 100000 * 100000 does not overflow a 32-bit integer as DuckDB's literals would), shifted to
    // scale S1 + S2, then rounded (half away from zero) to Snowflake's cap max(S1, S2, 12) where
    // S1 + S2 exceeds it. Other products are DuckDB's.
    `CREATE OR REPLACE MACRO SF_MUL_SCALE(ta, tb) AS least(SF_NUM_SCALE(ta) + SF_NUM_SCALE(tb), greatest(SF_NUM_SCALE(ta), SF_NUM_SCALE(tb), 12))`,
    `CREATE OR REPLACE MACRO SF_MUL_KIND(ta, tb) AS CASE WHEN SF_DIV_KIND(ta, tb) = 'd' THEN 'd' ELSE 'f' END`,
    `CREATE OR REPLACE MACRO SF_MUL_OF(a, b) AS SF_PICK(CASE WHEN SF_MUL_KIND(typeof(a), typeof(b)) = 'f' THEN a * b END, ` +
      `CASE WHEN SF_MUL_KIND(typeof(a), typeof(b)) = 'd' THEN SF_ROUND_TO(` +
      `CAST(CAST(a * SF_POW10(SF_NUM_SCALE(typeof(a))) AS HUGEINT) * CAST(b * SF_POW10(SF_NUM_SCALE(typeof(b))) AS HUGEINT) AS DECIMAL(38,0)) ` +
      `* SF_SHIFT(CAST(SF_NUM_SCALE(typeof(a)) + SF_NUM_SCALE(typeof(b)) AS VARCHAR)), SF_MUL_SCALE(typeof(a), typeof(b))) END, NULL, SF_MUL_KIND(typeof(a), typeof(b)))`,
    `CREATE OR REPLACE MACRO SF_MUL(a, b) AS list_transform([{'a': ${TYPED('a')}, 'b': ${TYPED('b')}}], lambda sf_o: SF_MUL_OF(sf_o.a, sf_o.b))[1]`,
    // The operands are bound once, as a lambda's parameter: the macros above name each of them
    // many times (every typeof), and a macro's argument is copied wherever it is named, so nested
    // products and quotients grew exponentially (a TO_TIMESTAMP of 40 * 365.25 * 86400 took 90 s
    // to bind).
    `CREATE OR REPLACE MACRO SF_ROUND_TO(x, k) AS round(x, k)`,
    // ROUND(x, d, 'HALF_TO_EVEN') (https://docs.snowflake.com/en/sql-reference/functions/round):
    // a value exactly half a unit of the scale from both neighbours goes to the even one; others
    // round as usual. d must be a constant from 0 up.
    `CREATE OR REPLACE MACRO SF_ROUND_EVEN(x, d) AS CASE WHEN abs(x - trunc(x, CAST(d AS INTEGER))) * 2 = SF_SHIFT(CAST(d AS VARCHAR)) ` +
      `AND CAST(abs(SF_ROUND_TO(x, CAST(d AS INTEGER))) * SF_POW10(d) AS HUGEINT) % 2 = 1 ` +
      `THEN SF_ROUND_TO(x, CAST(d AS INTEGER)) - sign(x) * SF_SHIFT(CAST(d AS VARCHAR)) ELSE SF_ROUND_TO(x, CAST(d AS INTEGER)) END`,
    `CREATE OR REPLACE MACRO SF_SHIFT(k) AS struct_extract({${SHIFTS}}, k)`,
    // The value of the kind's field, typed as that field: a CASE would unify the types.
    `CREATE OR REPLACE MACRO SF_PICK(f, d, x, k) AS struct_extract({'f': f, 'd': d, 'x': x}, k)`,
  ],
  beforeCasts: true,
  rewrite: (sql) => rewriteDivision(rewriteAverages(sql)),
};

/**
 * `AVG(x)` → `SF_DIV(SUM(x), COUNT(x))` (with DISTINCT and an OVER clause copied to both): in
 * Snowflake the average of fixed-point numbers is a NUMBER with the division's scale (the
 * Snowpark examples print AVG of integers as 1.666667 and 3.600000:
 * https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.avg),
 * where DuckDB's avg gives a DOUBLE; a FLOAT average stays a FLOAT.
 * `MEDIAN(x)` → `MEDIAN((x) * 1.000)`: Snowflake's median of integers has scale 3 (`3.000`,
 * https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.median)
 * and the middle of two values is exact there, where DuckDB's median of a DECIMAL keeps its scale
 * and rounds (median of 1 and 2 is 2). The documentation does not give the scale for an input with
 * a scale; this adds 3 to it. A FLOAT median stays a FLOAT.
 */
export function rewriteAverages(sql: string): string {
  if (!/\b(?:AVG|MEDIAN|PERCENTILE_CONT)\b/i.test(sql)) return sql;
  // AVG's argument is repeated (SUM and COUNT): anonymous binds are numbered first.
  let out = rewritePercentileCont(/\bAVG\b/i.test(sql) ? numberPositionalBinds(sql) : sql);
  const masked = mask(out);
  const calls = [...masked.matchAll(/(?<![\w$.])(AVG|MEDIAN)\s*\(/gi)].reverse();
  for (const call of calls) {
    const open = call.index + call[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) continue;
    const args = out.slice(open + 1, close);
    if ((call[1] ?? '').toUpperCase() === 'MEDIAN') {
      out = `${out.slice(0, call.index)}MEDIAN((${args}) * 1.000)${out.slice(close + 1)}`;
      continue;
    }
    const over = /^\s*OVER\s*(?:\(|[A-Za-z_][\w$]*)/i.exec(masked.slice(close + 1));
    let window = '';
    let end = close + 1;
    if (over) {
      if (over[0].endsWith('(')) {
        const wOpen = close + 1 + over[0].length - 1;
        const wClose = closingParen(masked, wOpen);
        if (wClose < 0) continue;
        end = wClose + 1;
      } else {
        end = close + 1 + over[0].length;
      }
      window = ' ' + out.slice(close + 1, end).trim();
    }
    if (/^\s*(?:FILTER|WITHIN)\b/i.test(masked.slice(close + 1))) throw notImplemented('AVG with FILTER or WITHIN GROUP', sql);
    out = `${out.slice(0, call.index)}SF_DIV(SUM(${args})${window}, COUNT(${args})${window})${out.slice(end)}`;
  }
  return out;
}

/**
 * `a / b` → `SF_DIV(a, b)` and `a * b` → `SF_MUL(a, b)` for every division and multiplication
 * operator of the statement (a `*` that is no operator — `SELECT *`, `t.*`, `COUNT(*)` — stays).
 */
export function rewriteDivision(sql: string): string {
  if (!sql.includes('/') && !sql.includes('*')) return sql;
  const tokens = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const operators: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'op') return;
    if (t.text === '/' || (t.text === '*' && isBinaryStar(tokens, i))) operators.push(i);
  });
  if (operators.length === 0) return sql;
  // Calls opened before a token, outermost first; closing parentheses after a token.
  const opens = new Map<number, string[]>();
  const closes = new Map<number, number>();
  for (const i of operators) {
    const op = tokens[i] as Token;
    const left = leftOperandStart(tokens, i);
    const right = rightOperandEnd(tokens, i);
    if (left < 0 || right < 0) {
      const what = op.text === '/' ? 'division' : 'multiplication';
      throw notImplemented(`the ${what} operator '${op.text}' in '${around(sql, op)}' (its operands could not be delimited; parenthesise them)`, sql);
    }
    // A later operator whose left operand starts at the same token encloses the earlier ones.
    opens.set(left, [op.text === '/' ? 'SF_DIV(' : 'SF_MUL(', ...(opens.get(left) ?? [])]);
    closes.set(right, (closes.get(right) ?? 0) + 1);
  }
  const operatorSet = new Set(operators);
  let out = '';
  let last = 0;
  tokens.forEach((t, i) => {
    const open = opens.get(i);
    if (open) {
      out += sql.slice(last, t.start) + open.join('');
      last = t.start;
    }
    if (operatorSet.has(i)) {
      out += sql.slice(last, t.start) + ',';
      last = t.start + 1;
    }
    const close = closes.get(i) ?? 0;
    if (close > 0) {
      out += sql.slice(last, t.start + t.text.length) + ')'.repeat(close);
      last = t.start + t.text.length;
    }
  });
  return out + sql.slice(last);
}

/** Whether the `*` at i multiplies: an operand ends before it and one starts after it. */
function isBinaryStar(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (!before || before.text === '.' || before.text === '(' || before.text === ',') return false;
  if (leftOperandStart(tokens, i) < 0) return false;
  return rightOperandEnd(tokens, i) >= 0;
}

/**
 * `PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x [ASC|DESC])` → `… (ORDER BY (x) * 1.000 …)`: as
 * MEDIAN, Snowflake's continuous percentile of integers has scale 3 and interpolates exactly
 * (Snowpark's example: 12.500 and 17.500,
 * https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.percentile_cont);
 * DuckDB's keeps the scale of a DECIMAL and cuts (1 for 1 and 2 at 0.5).
 */
function rewritePercentileCont(sql: string): string {
  if (!/PERCENTILE_CONT/i.test(sql)) return sql;
  const masked = mask(sql);
  const calls = [...masked.matchAll(/(?<![\w$.])PERCENTILE_CONT\s*\(/gi)].reverse();
  let out = sql;
  for (const call of calls) {
    const close = closingParen(masked, call.index + call[0].length - 1);
    if (close < 0) continue;
    const within = /^\s*WITHIN\s+GROUP\s*\(\s*ORDER\s+BY\s+/i.exec(masked.slice(close + 1));
    if (!within) continue;
    const open = masked.indexOf('(', close + 1);
    const end = closingParen(masked, open);
    if (end < 0) continue;
    const from = close + 1 + within[0].length;
    const direction = /\s+(ASC|DESC)\s*$/i.exec(masked.slice(from, end));
    const exprEnd = direction ? from + direction.index : end;
    out = `${out.slice(0, from)}(${out.slice(from, exprEnd)}) * 1.000${out.slice(exprEnd)}`;
  }
  return out;
}

/** The statement's text around a token, for an error message. */
function around(sql: string, t: Token): string {
  return sql.slice(Math.max(0, t.start - 20), t.start + 21).replace(/\s+/g, ' ').trim();
}
