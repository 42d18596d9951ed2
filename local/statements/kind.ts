/**
 * A statement kind: how the runtime recognises one kind of Snowflake statement and runs it. The
 * kinds are tried in the order of `registry.ts`; the first whose `match` returns a runner runs
 * the statement. Adding a statement kind is one file here, one line in the registry and one test
 * file under test/local/statements/.
 */
import type { ExecContext, RuntimeHost, SessionInternals } from '../host.js';
import type { StatementResult } from '../result.js';
import type { Statement } from '../sql-text.js';
import { nameAt, requireLocalPublic } from '../compat/names.js';

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
 * For statements about procedures, tasks and alerts (which exist only in LOCAL.PUBLIC locally):
 * fails as not implemented when the object named after the first of `keywords` is in another
 * schema, or unqualified while another schema is current (compat/names.ts requireLocalPublic).
 */
export function inLocalPublic(s: Statement, keywords: readonly string[], env: StatementEnv, what: string): void {
  const at = s.tokens.findIndex((t) => t.kind === 'word' && keywords.includes(t.text.toUpperCase()));
  const name = at < 0 ? undefined : nameAt(s.tokens, at + 1);
  requireLocalPublic(name?.parts, env.session.names, what, s.sql);
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
