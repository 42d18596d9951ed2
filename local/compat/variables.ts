/**
 * Session variables: `SET name = expr`, `SET (a, b) = (x, y)`, `UNSET name`, `UNSET (a, b)`, and
 * `$name` / `IDENTIFIER($name)` where they are used.
 * https://docs.snowflake.com/en/sql-reference/session-variables
 *
 * DuckDB's own `SET` changes engine settings (`SET TimeZone = …` would change the session's
 * time zone), so a Snowflake `SET` never reaches it: the value is computed once by a `SELECT`
 * and kept by the session as text with its DuckDB type, and each reference becomes a typed
 * literal in the statement.
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { canonicalIdentifier, quoteString } from '../sql-text.js';
import { mask, replaceInCode, splitTopLevel } from './rewrite.js';

import type { VariableValue } from '../host.js';

export type { VariableValue };

/** `SET …`: the names (as stored) and the SQL expressions of their values; undefined when not a SET. */
export function parseSet(sql: string): Array<{ name: string; expr: string }> | undefined {
  const masked = mask(sql).replace(/[\s;]+$/, '');
  const head = /^\s*SET\s+/i.exec(masked);
  if (!head) return undefined;
  const rest = sql.slice(head[0].length, masked.length);
  const restMasked = masked.slice(head[0].length);
  const eq = restMasked.indexOf('=');
  if (eq < 0) throw notImplemented('this SET form', sql);
  const lhs = rest.slice(0, eq).trim();
  const rhs = rest.slice(eq + 1).trim();
  const list = (s: string): string[] => (s.startsWith('(') && s.endsWith(')') ? splitTopLevel(s.slice(1, -1)) : [s]);
  const names = list(lhs).map(variableName);
  const exprs = lhs.startsWith('(') ? list(rhs) : [rhs];
  if (names.length !== exprs.length) {
    throw new LocalSnowflakeError(1003, '42000', `SQL compilation error:\nThe number of variables (${names.length}) does not match the number of values (${exprs.length}).`, sql);
  }
  return names.map((name, i) => ({ name, expr: exprs[i] as string }));
}

/** `UNSET …`: the names; undefined when not an UNSET. */
export function parseUnset(sql: string): string[] | undefined {
  const masked = mask(sql).replace(/[\s;]+$/, '');
  const head = /^\s*UNSET\s+/i.exec(masked);
  if (!head) return undefined;
  const rest = sql.slice(head[0].length, masked.length).trim();
  return (rest.startsWith('(') && rest.endsWith(')') ? splitTopLevel(rest.slice(1, -1)) : [rest]).map(variableName);
}

function variableName(text: string): string {
  const t = text.trim();
  if (!/^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)$/.test(t)) throw notImplemented(`session variable name ${t}`);
  return canonicalIdentifier(t);
}

/** The error for a reference to a variable that is not set (or not visible to an owner's-rights procedure). */
export function missingVariable(name: string, sql: string): LocalSnowflakeError {
  return new LocalSnowflakeError(2211, '42000', `SQL compilation error:\nSession variable '$${name}' does not exist`, sql);
}

/** Whether the statement mentions a variable (`$name`), outside literals and `$$` bodies. */
export function mentionsVariables(sql: string): boolean {
  return /(?<![\w$])\$[A-Za-z_]/.test(mask(sql));
}

/**
 * Replaces `IDENTIFIER($name)` by the name the variable holds and `$name` by a typed literal of
 * its value. `lookup` returns undefined for a variable that is not set.
 */
export function substituteVariables(sql: string, lookup: (name: string) => VariableValue | undefined): string {
  const value = (raw: string): VariableValue => {
    const name = raw.toUpperCase();
    const v = lookup(name);
    if (!v) throw missingVariable(name, sql);
    return v;
  };
  const out = replaceInCode(sql, /\bIDENTIFIER\s*\(\s*\$([A-Za-z_][\w$]*)\s*\)/gi, (_o, m) => {
    const v = value(m[1] ?? '');
    if (v.text === null) throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nInvalid identifier in IDENTIFIER($${(m[1] ?? '').toUpperCase()}).`, sql);
    // A name that needs no quotes is used as written (Snowflake upper-cases it); anything else is one quoted name.
    return /^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)*$/.test(v.text) ? v.text : `"${v.text.replace(/"/g, '""')}"`;
  });
  return replaceInCode(out, /(?<![\w$])\$([A-Za-z_][\w$]*)/g, (_o, m) => {
    const v = value(m[1] ?? '');
    return v.text === null ? `CAST(NULL AS ${v.type})` : `CAST(${quoteString(v.text)} AS ${v.type})`;
  });
}
