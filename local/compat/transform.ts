/**
 * The order in which Snowflake SQL is rewritten for DuckDB, in one place. Each step is a small
 * named function that returns its input unchanged when it does not apply (after fakesnow's
 * `_transform`). Statement kinds that need more than a rewrite (CREATE TABLE/PROCEDURE/TASK,
 * CALL, SHOW TASKS, MERGE's counts) are dispatched in `session.ts`.
 */
import { notImplemented } from '../errors.js';
import { createView } from './ddl.js';
import { rewriteNextval } from './catalog.js';
import {
  quoteDateParts,
  rewriteCurrentTime,
  rewriteArrays,
  rewriteFloatTypes,
  rewriteIntegerTypes,
  rewriteFormatLiterals,
  rewriteVarcharCasts,
  rewriteTimestampCasts,
  rewriteNumberedBinds,
  rejectNanoseconds,
  rewriteStringEscapes,
  rewriteTypeModifiers,
  specialiseDateAdd,
  unwrapTableFunction,
} from './functions.js';
import { rejectHostFunctions, rejectHostStatements } from './host-access.js';
import { FUNCTION_FAMILIES } from './functions/families.js';
import { mask, replaceInCode } from './rewrite.js';
import { rewriteValuesSources } from './values.js';

/** `[DB.]INFORMATION_SCHEMA.TASK_HISTORY(` → the runtime's table macro over its task log. */
export function rewriteTaskHistory(sql: string): string {
  return replaceInCode(sql, /\b(?:[\w$]+\.)?INFORMATION_SCHEMA\s*\.\s*TASK_HISTORY\s*\(/gi, () => 'sf_local.task_history(');
}

/** `[DB.]INFORMATION_SCHEMA.ALERT_HISTORY(` → the runtime's table macro over its alert log. */
export function rewriteAlertHistory(sql: string): string {
  return replaceInCode(sql, /\b(?:[\w$]+\.)?INFORMATION_SCHEMA\s*\.\s*ALERT_HISTORY\s*\(/gi, () => 'sf_local.alert_history(');
}

/**
 * `UPDATE t AS target SET target.col = …` → `… SET col = …`: Snowflake accepts a qualified
 * column on the left of SET (https://docs.snowflake.com/en/sql-reference/sql/update); DuckDB's
 * parser does not. Only the assignment targets of the SET list are touched.
 */
export function unqualifyUpdateTargets(sql: string): string {
  const masked = mask(sql);
  if (!/^\s*UPDATE\b/i.test(masked)) return sql;
  const set = /\bSET\b/i.exec(masked);
  if (!set) return sql;
  const from = set.index + set[0].length;
  const tail = /\b(FROM|WHERE)\b/i.exec(masked.slice(from));
  const to = tail ? from + tail.index : masked.length;
  const clause = sql.slice(from, to);
  const clauseMasked = masked.slice(from, to);
  let out = '';
  let last = 0;
  const target = /(^|,)(\s*)(?:"[^"]*"|[A-Za-z_][\w$]*)\s*\.\s*("[^"]*"|[A-Za-z_][\w$]*)(\s*=)/g;
  let m: RegExpExecArray | null;
  while ((m = target.exec(clauseMasked)) !== null) {
    const colStart = m.index + m[0].length - (m[4] ?? '').length - (m[3] ?? '').length;
    out += clause.slice(last, m.index) + (m[1] ?? '') + (m[2] ?? '') + clause.slice(colStart, m.index + m[0].length);
    last = m.index + m[0].length;
  }
  return last === 0 ? sql : sql.slice(0, from) + out + clause.slice(last) + sql.slice(to);
}

/** Snowflake constructs the runtime knows it cannot run: fail loudly, naming them. */
export function rejectUnsupported(sql: string): string {
  const masked = mask(sql);
  const checks: Array<[RegExp, string]> = [
    [/\bHASH_AGG\s*\(\s*\*\s*\)/i, 'HASH_AGG(*) (list the columns)'],
    [/\bRESULT_SCAN\s*\(/i, 'RESULT_SCAN of anything but a query id literal or LAST_QUERY_ID() of this session'],
    [/\bWITH\s+(?:"[^"]*"|[A-Za-z_][\w$]*)\s+AS\s+PROCEDURE\b/i, 'this anonymous procedure form'],
    [/\bINFORMATION_SCHEMA\s*\.\s*(?!TABLES\b|COLUMNS\b|SCHEMATA\b|VIEWS\b|TASK_HISTORY\b|ALERT_HISTORY\b)(\w+)\s*\(/i, 'this INFORMATION_SCHEMA table function'],
    [/\bSNOWFLAKE\s*\.\s*ACCOUNT_USAGE\b/i, 'SNOWFLAKE.ACCOUNT_USAGE views'],
    [/\bINSERT\s+(ALL|FIRST)\b/i, 'multi-table INSERT'],
    [/\bAT\s*\(\s*(TIMESTAMP|OFFSET|STATEMENT)\s*=>/i, 'Time Travel (AT/BEFORE)'],
    [/\bBEFORE\s*\(\s*(TIMESTAMP|OFFSET|STATEMENT)\s*=>/i, 'Time Travel (AT/BEFORE)'],
    [/\bSYSTEM\$\w+/i, 'SYSTEM$ functions'],
    // Names of three parts are resolved (or refused) before this, by compat/names.ts qualify.
  ];
  for (const [re, what] of checks) if (re.test(masked)) throw notImplemented(what, sql);
  return sql;
}

/** The rewrites applied to every statement that goes to DuckDB, in order. */
export const TRANSFORMS: ReadonlyArray<(sql: string) => string> = [
  rejectHostStatements,
  rejectUnsupported,
  rewriteValuesSources,
  unqualifyUpdateTargets,
  ...FUNCTION_FAMILIES.flatMap((family) => (family.rewrite && family.beforeCasts ? [family.rewrite] : [])),
  rejectNanoseconds,
  rewriteStringEscapes,
  rewriteNumberedBinds,
  rewriteVarcharCasts,
  rewriteTimestampCasts,
  rewriteTypeModifiers,
  rewriteFloatTypes,
  rewriteIntegerTypes,
  ...FUNCTION_FAMILIES.flatMap((family) => (family.rewrite && !family.beforeCasts ? [family.rewrite] : [])),
  rewriteArrays,
  rewriteCurrentTime,
  quoteDateParts,
  specialiseDateAdd,
  rewriteFormatLiterals,
  rewriteTaskHistory,
  rewriteAlertHistory,
  rewriteNextval,
  createView,
  unwrapTableFunction,
];

const transformed = new Map<string, string>();

/**
 * Applies {@link TRANSFORMS} in order. The rewrites depend on the text alone, so each text is
 * rewritten once: a procedure sends the same statements every run (as Snowflake reuses a
 * compiled plan), and the rewrites of a long statement cost more than DuckDB's planning of it.
 */
export function transform(sql: string): string {
  const hit = transformed.get(sql);
  if (hit !== undefined) return hit;
  const out = TRANSFORMS.reduce((text, step) => step(text), sql);
  if (sql.length < 20_000) {
    if (transformed.size >= 500) transformed.delete(transformed.keys().next().value as string);
    transformed.set(sql, out);
  }
  return out;
}

/** Rewrites for DDL statements the ddl module produced (types and clock only). */
export function transformDdl(sql: string): string {
  return rewriteCurrentTime(rewriteArrays(rewriteIntegerTypes(rewriteFloatTypes(rewriteTypeModifiers(rewriteVarcharCasts(rewriteStringEscapes(rejectHostFunctions(sql))))))));
}
