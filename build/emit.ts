/**
 * SQL text: names, literals and the CREATE PROCEDURE statement. Pure functions, no tools.
 *
 * CREATE PROCEDURE (JavaScript handler), clause order as documented:
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure#javascript-handler
 */
import type { ProcedureDeclaration } from './declarations.js';

/**
 * `lookbackSeconds` → `LOOKBACK_SECONDS`, `HTMLParser` → `HTML_PARSER`.
 * Used for procedure names and argument names alike.
 */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/**
 * A Snowflake single-quoted string literal. Snowflake processes backslash escapes inside
 * single-quoted strings, so `\` is doubled; `'` is doubled (`''`, standard SQL) rather than
 * backslash-escaped, so statement splitters that only know standard SQL strings (client tools,
 * the local runtime) still find the end of the literal
 * (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants).
 */
export function sqlString(text: string): string {
  return "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/** The procedure's signature as printed: `NAME(ARG TYPE DEFAULT x, ...) RETURNS TYPE`. */
export function signature(p: ProcedureDeclaration): string {
  const args = p.args
    .map((a) => `${a.sqlName} ${a.sqlType}${a.defaultSql === null ? '' : ` DEFAULT ${a.defaultSql}`}`)
    .join(', ');
  return `${p.sqlName}(${args}) RETURNS ${p.returns}`;
}

/**
 * How the body is delimited. A body containing `$$` cannot be dollar-quoted (the first `$$`
 * would end it), so it goes into a single-quoted string instead.
 */
export type BodyQuoting = 'dollar' | 'single-quote';

export function bodyQuoting(body: string): BodyQuoting {
  return body.includes('$$') ? 'single-quote' : 'dollar';
}

/** `CREATE OR REPLACE PROCEDURE ... AS $$body$$;` followed by a newline. */
export function createProcedure(p: ProcedureDeclaration, body: string): string {
  const args = p.args
    .map((a) => `${a.sqlName} ${a.sqlType}${a.defaultSql === null ? '' : ` DEFAULT ${a.defaultSql}`}`)
    .join(', ');
  // COPY GRANTS: replacing the procedure keeps the privileges granted on it (e.g. USAGE for a
  // monitoring role); https://docs.snowflake.com/en/sql-reference/sql/create-procedure.
  const lines = [`CREATE OR REPLACE PROCEDURE ${p.sqlName}(${args})`, '  COPY GRANTS', `  RETURNS ${p.returns}`, '  LANGUAGE JAVASCRIPT'];
  if (p.nullHandling !== null) lines.push(`  ${p.nullHandling}`);
  if (p.comment !== null) lines.push(`  COMMENT = ${sqlString(p.comment)}`);
  lines.push(`  EXECUTE AS ${p.executeAs}`);
  const text = body.endsWith('\n') ? body : body + '\n';
  if (bodyQuoting(body) === 'dollar') {
    lines.push('AS $$', text + '$$;');
  } else {
    lines.push('AS ' + sqlString('\n' + text) + ';');
  }
  return lines.join('\n') + '\n';
}
