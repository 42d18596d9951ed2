/**
 * VARIANT types: casts to VARIANT, the type predicates and accessors, and conversions
 * (https://docs.snowflake.com/en/sql-reference/data-types-semistructured,
 * https://docs.snowflake.com/en/sql-reference/functions-semistructured "Type predicates",
 * "Casts").
 *
 * - `x::VARIANT`, `CAST(x AS VARIANT)`, TO_VARIANT(x): the value as a
 *   VARIANT, so text becomes a VARIANT *string* (`'{"a":1}'::VARIANT` is the string `{"a":1}`,
 *   not an object: PARSE_JSON parses). DuckDB's cast to JSON would parse the text.
 * - TYPEOF(v): Snowflake's names (NULL_VALUE, BOOLEAN, INTEGER, DECIMAL, DOUBLE, VARCHAR, ARRAY,
 *   OBJECT; DATE, TIMESTAMP_NTZ, TIMESTAMP_LTZ for values that are not VARIANT). A number inside a
 *   VARIANT is told by its text: digits only INTEGER, an exponent DOUBLE, else DECIMAL (a FLOAT
 *   turned into a VARIANT without an exponent reads as DECIMAL here: see README).
 * - IS_INTEGER, IS_DECIMAL (integers too), IS_DOUBLE/IS_REAL (every number), IS_VARCHAR/IS_CHAR,
 *   IS_BOOLEAN, IS_ARRAY, IS_OBJECT, IS_NULL_VALUE: NULL for SQL NULL.
 * - AS_INTEGER, AS_DECIMAL/AS_NUMBER (an integer; with constant precision and scale any fixed-point
 *   number, as NUMBER(p, s)), AS_DOUBLE/AS_REAL, AS_VARCHAR/
 *   AS_CHAR, AS_BOOLEAN, AS_ARRAY, AS_OBJECT: the value when it is of that type, else NULL.
 * - STRIP_NULL_VALUE (a JSON null → SQL NULL), TO_OBJECT (an OBJECT, else refused), TO_JSON (the
 *   JSON text, without whitespace), CHECK_JSON (NULL for valid JSON; invalid text is refused, as
 *   Snowflake's error messages are not reproduced), TRY_PARSE_JSON (NULL for text that is not
 *   JSON; text in the looser forms Snowflake's parser takes, such as unquoted keys, is refused).
 */
import { notImplemented } from '../../errors.js';
import { tokenize, type Token } from '../../sql-text.js';
import { argumentRanges, closingParen, mask, renameCalls } from '../rewrite.js';
import type { FunctionFamily } from './family.js';
import { operandStart, endsOperand } from './semi-structured-paths.js';
import { sortedJson } from './semi-structured.js';

const ni = (what: string): string => `error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")}')`;

/** TYPEOF( → SF_TYPEOF(, TO_JSON( → SF_TO_JSON( (DuckDB's own typeof and to_json, which the macros use, keep their names). */
const RENAMED = new Set(['TYPEOF', 'TO_JSON']);

const isCode = (t: Token): boolean => t.kind !== 'space' && t.kind !== 'comment';

/** `operand::VARIANT` → `SF_TO_VARIANT(operand)`, one at a time from the left. */
function rewriteCastOperator(sql: string): string {
  const code = tokenize(sql).filter(isCode);
  for (let i = 1; i < code.length; i++) {
    const t = code[i] as Token;
    if (t.text !== '::' || !/^VARIANT$/i.test(code[i + 1]?.text ?? '') || code[i + 2]?.text === '(') continue;
    const before = code[i - 1] as Token;
    let from: number;
    if (before.kind === 'number' || before.kind === 'string' || before.kind === 'bind') from = i - 1;
    else if (endsOperand(before)) from = operandStart(code, i - 1);
    else continue;
    if (from < 0) continue;
    const start = (code[from] as Token).start;
    const type = code[i + 1] as Token;
    return `${sql.slice(0, start)}SF_TO_VARIANT(${sql.slice(start, before.start + before.text.length)})${sql.slice(type.start + type.text.length)}`;
  }
  return sql;
}

/** `CAST(x AS VARIANT)` → `SF_TO_VARIANT(x)`; `TRY_CAST(x AS VARIANT)` is refused. */
function rewriteCastCall(sql: string): string {
  const masked = mask(sql);
  const re = /(?<![\w$.])(?:TRY_)?CAST\s*\(/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(masked)) !== null) {
    const open = m.index + m[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) return sql;
    const tail = /\bAS\s+VARIANT\s*$/i.exec(masked.slice(open + 1, close));
    if (!tail) continue;
    if (/^TRY_/i.test(m[0])) {
      // https://docs.snowflake.com/en/sql-reference/functions/try_cast: VARIANT is not among its target types.
      throw notImplemented('TRY_CAST to VARIANT (Snowflake\'s TRY_CAST does not take VARIANT as its target; use TO_VARIANT or ::VARIANT)', sql);
    }
    return `${sql.slice(0, m.index)}SF_TO_VARIANT(${sql.slice(open + 1, open + 1 + tail.index)})${sql.slice(close + 1)}`;
  }
  return sql;
}

/** Snowflake's type name of the VARIANT (JSON) value j. */
const VTYPE =
  `CASE json_type(j) WHEN 'NULL' THEN 'NULL_VALUE' WHEN 'BOOLEAN' THEN 'BOOLEAN' WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN 'INTEGER' ` +
  `WHEN 'DOUBLE' THEN CASE WHEN regexp_matches(CAST(j AS VARCHAR), '[eE]') THEN 'DOUBLE' WHEN regexp_matches(trim(CAST(j AS VARCHAR)), '^-?[0-9]+$') THEN 'INTEGER' ELSE 'DECIMAL' END ` +
  `WHEN 'VARCHAR' THEN 'VARCHAR' WHEN 'ARRAY' THEN 'ARRAY' WHEN 'OBJECT' THEN 'OBJECT' END`;

const predicate = (name: string, types: string[]): string =>
  `CREATE OR REPLACE MACRO ${name}(v) AS CASE WHEN v IS NULL THEN NULL ELSE SF_VTYPE(SF_TO_VARIANT(v)) IN (${types.map((t) => `'${t}'`).join(', ')}) END`;

const accessor = (name: string, types: string[], value: string): string =>
  `CREATE OR REPLACE MACRO ${name}(v) AS CASE WHEN SF_VTYPE(SF_TO_VARIANT(v)) IN (${types.map((t) => `'${t}'`).join(', ')}) THEN ${value} END`;

/** Text a strict JSON parser refuses but Snowflake's may take (unquoted keys, single quotes, elided elements). */
const LOOSE_JSON = `regexp_matches(s, '[{,]\\s*[A-Za-z_$][A-Za-z0-9_$]*\\s*:|''|[\\[,]\\s*,')`;

export const semiStructuredTypes: FunctionFamily = {
  name: 'semi-structured types (::VARIANT, TYPEOF, IS_*, AS_*, TO_JSON, …)',
  setup: [
    // SF_TO_VARIANT (a value as a VARIANT) is made by the semi-structured family (semi-structured.ts).
    `CREATE OR REPLACE MACRO SF_VTYPE(j) AS ${VTYPE}`,
    `CREATE OR REPLACE MACRO SF_TYPEOF(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) = 'JSON' THEN SF_VTYPE(SF_TO_VARIANT(x)) ` +
      `WHEN typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT') OR typeof(x) LIKE 'DECIMAL(%,0)' THEN 'INTEGER' ` +
      `WHEN typeof(x) LIKE 'DECIMAL%' THEN 'DECIMAL' WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE' WHEN typeof(x) = 'VARCHAR' THEN 'VARCHAR' ` +
      `WHEN typeof(x) = 'BOOLEAN' THEN 'BOOLEAN' WHEN typeof(x) = 'DATE' THEN 'DATE' WHEN typeof(x) LIKE 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_LTZ' ` +
      `WHEN typeof(x) LIKE 'TIMESTAMP%' THEN 'TIMESTAMP_NTZ' ELSE ${ni('TYPEOF of this type')} END`,
    predicate('IS_INTEGER', ['INTEGER']),
    predicate('IS_DECIMAL', ['INTEGER', 'DECIMAL']),
    predicate('IS_DOUBLE', ['INTEGER', 'DECIMAL', 'DOUBLE']),
    predicate('IS_REAL', ['INTEGER', 'DECIMAL', 'DOUBLE']),
    predicate('IS_VARCHAR', ['VARCHAR']),
    predicate('IS_CHAR', ['VARCHAR']),
    predicate('IS_BOOLEAN', ['BOOLEAN']),
    predicate('IS_ARRAY', ['ARRAY']),
    predicate('IS_OBJECT', ['OBJECT']),
    predicate('IS_NULL_VALUE', ['NULL_VALUE']),
    accessor('AS_INTEGER', ['INTEGER'], 'CAST(CAST(SF_TO_VARIANT(v) AS VARCHAR) AS DECIMAL(38,0))'),
    `CREATE OR REPLACE MACRO AS_DECIMAL(v) AS CASE WHEN SF_VTYPE(SF_TO_VARIANT(v)) = 'INTEGER' THEN CAST(CAST(SF_TO_VARIANT(v) AS VARCHAR) AS DECIMAL(38,0)) ` +
      `WHEN SF_VTYPE(SF_TO_VARIANT(v)) = 'DECIMAL' THEN ${ni('AS_DECIMAL of a number with a fraction (give it no scale argument locally; cast it: v::NUMBER(p,s))')} END, ` +
      `(v, p) AS ${ni('AS_DECIMAL with a precision that is not a constant')}, (v, p, s) AS ${ni('AS_DECIMAL with a precision and scale that are not constants')}`,
    `CREATE OR REPLACE MACRO AS_NUMBER(v) AS AS_DECIMAL(v), (v, p) AS AS_DECIMAL(v, p), (v, p, s) AS AS_DECIMAL(v, p, s)`,
    accessor('AS_DOUBLE', ['INTEGER', 'DECIMAL', 'DOUBLE'], 'CAST(CAST(SF_TO_VARIANT(v) AS VARCHAR) AS DOUBLE)'),
    accessor('AS_REAL', ['INTEGER', 'DECIMAL', 'DOUBLE'], 'CAST(CAST(SF_TO_VARIANT(v) AS VARCHAR) AS DOUBLE)'),
    accessor('AS_VARCHAR', ['VARCHAR'], `json_extract_string(SF_TO_VARIANT(v), '$')`),
    accessor('AS_CHAR', ['VARCHAR'], `json_extract_string(SF_TO_VARIANT(v), '$')`),
    accessor('AS_BOOLEAN', ['BOOLEAN'], 'CAST(CAST(SF_TO_VARIANT(v) AS VARCHAR) AS BOOLEAN)'),
    accessor('AS_ARRAY', ['ARRAY'], 'SF_TO_VARIANT(v)'),
    accessor('AS_OBJECT', ['OBJECT'], 'SF_TO_VARIANT(v)'),
    `CREATE OR REPLACE MACRO STRIP_NULL_VALUE(v) AS CASE WHEN json_type(SF_TO_VARIANT(v)) = 'NULL' THEN NULL ELSE SF_TO_VARIANT(v) END`,
    `CREATE OR REPLACE MACRO TO_VARIANT(x) AS SF_TO_VARIANT(x)`,
    `CREATE OR REPLACE MACRO TO_OBJECT(x) AS CASE WHEN x IS NULL THEN NULL WHEN json_type(SF_TO_VARIANT(x)) = 'OBJECT' THEN SF_TO_VARIANT(x) ELSE ${ni('TO_OBJECT of a value that is not an OBJECT')} END`,
    `CREATE OR REPLACE MACRO SF_TO_JSON(v) AS CASE WHEN v IS NULL THEN NULL ELSE CAST(${sortedJson('SF_TO_VARIANT(v)')} AS VARCHAR) END`,
    `CREATE OR REPLACE MACRO CHECK_JSON(s) AS CASE WHEN s IS NULL THEN NULL WHEN typeof(s) = 'JSON' OR json_valid(CAST(s AS VARCHAR)) THEN NULL ` +
      `ELSE ${ni("CHECK_JSON of text that is not strict JSON (Snowflake's error text for it is not reproduced)")} END`,
    `CREATE OR REPLACE MACRO TRY_PARSE_JSON(s) AS CASE WHEN s IS NULL THEN NULL WHEN json_valid(s) THEN PARSE_JSON(s) ` +
      `WHEN ${LOOSE_JSON} THEN ${ni('TRY_PARSE_JSON of text in a looser form than strict JSON (unquoted keys, single quotes, elided elements)')} ELSE NULL END`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (/\b(?:ARRAY|OBJECT|MAP)\s*\(/i.test(sql)) {
      // Structured types (https://docs.snowflake.com/en/sql-reference/data-types-structured).
      const code = tokenize(sql).filter(isCode);
      code.forEach((t, i) => {
        const before = code[i - 1]?.text.toUpperCase();
        if (t.kind === 'word' && /^(ARRAY|OBJECT|MAP)$/i.test(t.text) && code[i + 1]?.text === '(' && (before === '::' || before === 'AS')) {
          throw notImplemented(`structured types (${t.text.toUpperCase()}(…); use semi-structured ARRAY, OBJECT or VARIANT)`, sql);
        }
      });
    }
    let out = sql;
    if (/AS_(?:DECIMAL|NUMBER)\s*\(/i.test(out)) {
      // AS_DECIMAL(v, p [, s]) with constant p and s: the number inside as NUMBER(p, s)
      // (https://docs.snowflake.com/en/sql-reference/functions/as_decimal-number).
      const masked = mask(out);
      const calls = [...masked.matchAll(/(?<![\w$.])AS_(?:DECIMAL|NUMBER)\s*\(/gi)].reverse();
      for (const m of calls) {
        const open = m.index + m[0].length - 1;
        const close = closingParen(masked, open);
        if (close < 0) continue;
        const args = argumentRanges(out, masked, open + 1, close).map(([a, b]) => out.slice(a, b));
        if (args.length < 2) continue;
        const [v, p, sc = '0'] = args;
        if (args.length > 3 || !/^\d+$/.test(p ?? '') || !/^\d+$/.test(sc)) throw notImplemented('AS_DECIMAL with a precision or scale that is not an integer constant', sql);
        const value = `SF_TO_VARIANT(${v})`;
        out = `${out.slice(0, m.index)}(CASE WHEN SF_VTYPE(${value}) IN ('INTEGER', 'DECIMAL') THEN CAST(CAST(${value} AS VARCHAR) AS DECIMAL(${p}, ${sc})) END)${out.slice(close + 1)}`;
      }
    }
    if (/VARIANT/i.test(out)) {
      for (let guard = 0; guard < 1000; guard++) {
        const next = rewriteCastCall(rewriteCastOperator(out));
        if (next === out) break;
        out = next;
      }
    }
    return /TYPEOF|TO_JSON/i.test(out) ? renameCalls(out, RENAMED) : out;
  },
};
