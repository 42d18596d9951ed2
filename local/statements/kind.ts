/**
 * A statement kind: how the runtime recognises one kind of Snowflake statement and runs it. The
 * kinds are tried in the order of `registry.ts`; the first whose `match` returns a runner runs
 * the statement. Adding a statement kind is one file here, one line in the registry and one test
 * file under test/local/statements/.
 */
import type { ExecContext, RuntimeHost, SessionInternals } from '../host.js';
import type { StatementResult } from '../result.js';
import type { Statement } from '../sql-text.js';
import { DEFAULT_DATABASE, DEFAULT_SCHEMA, nameAt, resolveName } from '../compat/names.js';

/** What a statement kind runs with. */
export interface StatementEnv {
  readonly session: SessionInternals;
  readonly host: RuntimeHost;
  readonly ctx: ExecContext;
  /** The transaction scope of the statement: the CALL running it, or the client. */
  readonly scope: object;
  readonly queryId: string;
  readonly binds: unknown[];
}

/**
 * A procedure, task or alert statement with its object named as the runtime keys it (`keyword`
 * is the word before the name: PROCEDURE, TASK, ALERT). An object of LOCAL.PUBLIC is kept by its
 * bare name (as before schemas existed); one of another schema by one quoted identifier
 * `"SCHEMA.NAME"` (`"DATABASE.SCHEMA.NAME"` outside LOCAL; compat/names.ts keyParts), so objects
 * of different schemas never meet. An unqualified name is the current schema's; the schema must
 * exist, as in Snowflake (https://docs.snowflake.com/en/sql-reference/name-resolution).
 */
export function procedureKeyed(s: Statement, keyword: string, env: StatementEnv): string {
  const at = s.tokens.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === keyword);
  if (at < 0) return s.sql;
  let first = at + 1;
  const up = (k: number): string => (s.tokens[k]?.kind === 'word' ? (s.tokens[k] as { text: string }).text.toUpperCase() : '');
  if (up(first) === 'IF' && up(first + 1) === 'NOT' && up(first + 2) === 'EXISTS') first += 3;
  else if (up(first) === 'IF' && up(first + 1) === 'EXISTS') first += 2;
  const name = nameAt(s.tokens, at + 1);
  if (!name) return s.sql;
  const r = resolveName(name.parts, env.session.names, env.host.catalog, s.sql);
  if (r.database === DEFAULT_DATABASE && r.schema === DEFAULT_SCHEMA) return s.sql;
  const key = (r.database === DEFAULT_DATABASE ? '' : `${r.database}.`) + `${r.schema}.${r.name}`;
  const from = (s.tokens[first] as { start: number }).start;
  // To the end of the name's last token: what follows (a space, `(`) stays as written.
  const last = s.tokens[name.next - 1] as { start: number; text: string };
  const to = last.start + last.text.length;
  return s.sql.slice(0, from) + `"${key.replace(/"/g, '""')}"` + s.sql.slice(to);
}

/** The name a procedure, task or alert key shows as (CALL's result column, SHOW …): its last part. */
export function procedureShownName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

export interface StatementKind {
  readonly name: string;
  /**
   * Sees the statement before session variables (`$name`) and `LAST_QUERY_ID()` are replaced in
   * it (only SET/UNSET need this).
   */
  readonly raw?: boolean;
  /** A runner when the statement is of this kind, undefined otherwise. */
  match(statement: Statement): ((env: StatementEnv) => StatementResult) | undefined;
}
