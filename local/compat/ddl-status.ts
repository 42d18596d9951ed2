/**
 * The status line Snowflake answers a table, view or sequence DDL with, in place of the generic
 * "Statement executed successfully.": `Table T successfully created.`, `View V successfully
 * created.`, `Sequence S successfully created.`, `T already exists, statement succeeded.` (CREATE
 * … IF NOT EXISTS of one that exists), `T successfully dropped.`, and `Drop statement executed
 * successfully (T already dropped).` (DROP … IF EXISTS of one that does not). The object is named
 * as Snowflake stores it (unquoted names upper-cased), without its database and schema.
 * Other DDL (ALTER, TRUNCATE, COMMENT) keeps "Statement executed successfully.".
 */
import { canonicalIdentifier } from '../sql-text.js';

const NAME = String.raw`((?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*))*)`;
const CREATE = new RegExp(
  String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:LOCAL|GLOBAL)\s+)?(?:(?:TEMPORARY|TEMP|VOLATILE|TRANSIENT|HYBRID|SECURE|RECURSIVE|MATERIALIZED)\s+)*(TABLE|VIEW|SEQUENCE)\s+(IF\s+NOT\s+EXISTS\s+)?${NAME}`,
  'i',
);
const DROP = new RegExp(String.raw`^DROP\s+(TABLE|VIEW|SEQUENCE)\s+(IF\s+EXISTS\s+)?${NAME}`, 'i');

export interface DdlTarget {
  readonly verb: 'CREATE' | 'DROP';
  readonly kind: 'Table' | 'View' | 'Sequence';
  /** The name as Snowflake stores it, last part only. */
  readonly name: string;
  /** `IF NOT EXISTS` / `IF EXISTS` was written. */
  readonly conditional: boolean;
}

/** The object a CREATE or DROP of a table, view or sequence names (text without comments). */
export function ddlTarget(text: string): DdlTarget | undefined {
  const m = CREATE.exec(text) ?? DROP.exec(text);
  if (!m) return undefined;
  const kind = (m[1] as string).toUpperCase();
  return {
    verb: /^CREATE/i.test(text) ? 'CREATE' : 'DROP',
    kind: kind === 'TABLE' ? 'Table' : kind === 'VIEW' ? 'View' : 'Sequence',
    name: canonicalIdentifier(m[3] as string),
    conditional: m[2] !== undefined,
  };
}

/** Snowflake's status line for the DDL; `existed` tells whether the object was there before. */
export function ddlStatus(target: DdlTarget, existed: boolean): string {
  if (target.verb === 'CREATE') {
    return target.conditional && existed ? `${target.name} already exists, statement succeeded.` : `${target.kind} ${target.name} successfully created.`;
  }
  return target.conditional && !existed ? `Drop statement executed successfully (${target.name} already dropped).` : `${target.name} successfully dropped.`;
}
