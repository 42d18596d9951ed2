/**
 * `CALL SYSTEM$SEND_EMAIL(…)`, recorded instead of sent.
 * https://docs.snowflake.com/en/sql-reference/stored-procedures/system_send_email
 */
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { closingParen, mask, splitTopLevel } from './compat/rewrite.js';
import { transform } from './compat/transform.js';
import { synthetic, type StatementResult } from './result.js';
import { toWireBind } from './binds.js';
import type { SessionInternals } from './host.js';

/** One email SYSTEM$SEND_EMAIL would have sent. */
export interface RecordedEmail {
  /** The notification integration named (not checked: the runtime has no integrations). */
  integration: string;
  /** The comma-separated address list, split and trimmed. */
  recipients: string[];
  subject: string;
  body: string;
  /** `text/plain` (the default) or `text/html`. */
  mimeType: string;
  /** The runtime clock's time of the CALL. */
  at: Date;
  /** The session that called it (`alert:NAME` for an alert's action). */
  session: string;
}

const MIME_TYPES = ['text/plain', 'text/html'];

/** Whether the statement is a CALL of a `SYSTEM$` procedure. */
export function isSystemCall(upper: string): boolean {
  return /^CALL SYSTEM\$/.test(upper);
}

/**
 * Evaluates SYSTEM$SEND_EMAIL's arguments in SQL, checks them as Snowflake documents, and hands
 * the email to `record`. Returns Snowflake's result: one BOOLEAN column named after the procedure,
 * TRUE. Any other `SYSTEM$` procedure fails as not implemented.
 */
export function callSystem(
  session: SessionInternals,
  sql: string,
  binds: unknown[],
  queryId: string,
  now: Date,
  record: (email: RecordedEmail) => void,
): StatementResult {
  const masked = mask(sql);
  const head = /^\s*CALL\s+SYSTEM\$(\w+)\s*\(/i.exec(masked);
  const name = `SYSTEM$${(head?.[1] ?? '').toUpperCase()}`;
  if (!head || name !== 'SYSTEM$SEND_EMAIL') throw notImplemented(`${head ? name : 'this SYSTEM$ call'} (only CALL SYSTEM$SEND_EMAIL)`, sql);
  const open = head[0].length - 1;
  const close = closingParen(masked, open);
  if (close < 0 || masked.slice(close + 1).replace(/;/g, '').trim() !== '') throw notImplemented('this CALL SYSTEM$SEND_EMAIL form', sql);
  const args = splitTopLevel(sql.slice(open + 1, close)).filter((a) => a.trim() !== '');
  if (args.length < 4 || args.length > 5) {
    throw new LocalSnowflakeError(
      1044,
      '42P13',
      `SQL compilation error:\nSYSTEM$SEND_EMAIL takes 4 or 5 arguments (integration, recipients, subject, body [, mime type]); got ${args.length}.`,
      sql,
    );
  }
  const wire = session.engineRun([{ sql: transform(session.qualify(`SELECT ${args.map((a) => `CAST((${a}) AS VARCHAR)`).join(', ')}`).sql), params: binds.map(toWireBind) }], sql)[0];
  const values = (wire?.rows[0] ?? []).map((v) => (v === null || v === undefined ? null : String(v)));
  const [integration, recipients, subject, body, mime] = values;
  const invalid = (what: string): LocalSnowflakeError => new LocalSnowflakeError(100000, '22023', `SYSTEM$SEND_EMAIL: ${what}`, sql);
  if (!integration) throw invalid('the first argument must name a notification integration of TYPE = EMAIL.');
  const list = (recipients ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (list.length === 0) throw invalid('give at least one recipient address (a comma-separated list in one string).');
  // "You cannot specify an empty string" for the subject or the content.
  if (!subject) throw invalid('the email subject cannot be empty.');
  if (!body) throw invalid('the email content cannot be empty.');
  const mimeType = mime ?? 'text/plain';
  if (!MIME_TYPES.includes(mimeType)) throw invalid(`unsupported MIME type '${mimeType}': use 'text/plain' or 'text/html'.`);
  record({ integration, recipients: list, subject, body, mimeType, at: now, session: session.name });
  return synthetic([{ name, type: 'BOOLEAN' }], [[true]], queryId, sql);
}
