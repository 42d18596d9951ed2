/**
 * SQL text: names, literals and the CREATE PROCEDURE statement. Pure functions, no tools.
 *
 * CREATE PROCEDURE (JavaScript handler), clause order as documented:
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure#javascript-handler
 */
import type { ProcedureDeclaration } from './declarations.js';
import { sqlString } from './signature-rules.js';

export { sqlString, upperSnake } from './signature-rules.js';

/** `ARG TYPE DEFAULT x, ...` */
function argumentList(p: ProcedureDeclaration): string {
  return p.args.map((a) => `${a.sqlName} ${a.sqlType}${a.defaultSql === null ? '' : ` DEFAULT ${a.defaultSql}`}`).join(', ');
}

/** `TYPE` or `TYPE NOT NULL` */
function returnType(p: ProcedureDeclaration): string {
  return p.returnsNotNull ? `${p.returns} NOT NULL` : p.returns;
}

/** The procedure's signature as printed: `NAME(ARG TYPE DEFAULT x, ...) RETURNS TYPE [NOT NULL]`. */
export function signature(p: ProcedureDeclaration): string {
  return `${p.sqlName}(${argumentList(p)}) RETURNS ${returnType(p)}`;
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
  // COPY GRANTS: replacing the procedure keeps the privileges granted on it (e.g. USAGE for a
  // monitoring role); https://docs.snowflake.com/en/sql-reference/sql/create-procedure.
  const lines = [`CREATE OR REPLACE PROCEDURE ${p.sqlName}(${argumentList(p)})`, '  COPY GRANTS', `  RETURNS ${returnType(p)}`, '  LANGUAGE JAVASCRIPT'];
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
