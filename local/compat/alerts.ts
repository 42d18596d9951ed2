/**
 * CREATE ALERT / ALTER ALERT, parsed.
 * https://docs.snowflake.com/en/sql-reference/sql/create-alert
 * https://docs.snowflake.com/en/sql-reference/sql/alter-alert
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { canonicalIdentifier, normalized } from '../sql-text.js';
import { closingParen, mask } from './rewrite.js';
import { parseOptions, parseSchedule, type Schedule } from './tasks.js';

/** An alert's definition, as CREATE ALERT gave it. */
export interface AlertDef {
  name: string;
  warehouse: string | null;
  schedule: string;
  comment: string | null;
  /** The SQL inside `IF (EXISTS (…))`. */
  condition: string;
  /** The SQL after THEN. */
  action: string;
}

const CREATE = /^\s*CREATE\s+(OR\s+REPLACE\s+)?ALERT\s+(IF\s+NOT\s+EXISTS\s+)?/i;

/**
 * Parses CREATE ALERT. Tags, CLONE and alerts on new data (no SCHEDULE) fail as not implemented.
 */
export function parseCreateAlert(sql: string): { def: AlertDef; orReplace: boolean; ifNotExists: boolean } {
  const masked = mask(sql);
  const head = CREATE.exec(masked);
  if (!head) throw notImplemented('this CREATE ALERT form', sql);
  const nameMatch = /^("(?:[^"]|"")+"|[\w$.]+)/.exec(sql.slice(head[0].length));
  if (!nameMatch) throw notImplemented('CREATE ALERT without a name', sql);
  const afterName = head[0].length + nameMatch[0].length;
  if (/^\s+CLONE\b/i.test(masked.slice(afterName))) throw notImplemented('CREATE ALERT … CLONE', sql);
  const ifMatch = /\bIF\s*\(/i.exec(masked.slice(afterName));
  if (!ifMatch) throw syntax('CREATE ALERT needs IF (EXISTS (<condition>)) THEN <action>', sql);
  const clauses = sql.slice(afterName, afterName + ifMatch.index);
  if (/\bTAG\s*\(/i.test(mask(clauses))) throw notImplemented('CREATE ALERT … WITH TAG', sql);
  const options = parseOptions(clauses, sql);
  for (const key of Object.keys(options)) {
    if (!['WAREHOUSE', 'SCHEDULE', 'COMMENT'].includes(key)) throw notImplemented(`alert option ${key}`, sql);
  }
  // IF( EXISTS( <condition> )) THEN <action>
  const ifOpen = afterName + ifMatch.index + ifMatch[0].length - 1;
  const ifClose = closingParen(masked, ifOpen);
  if (ifClose < 0) throw syntax('unbalanced parentheses in IF (EXISTS (…))', sql);
  const exists = /^\s*EXISTS\s*\(/i.exec(masked.slice(ifOpen + 1, ifClose));
  if (!exists) throw syntax('the alert condition must be written IF (EXISTS (<query>))', sql);
  const existsOpen = ifOpen + 1 + exists[0].length - 1;
  const existsClose = closingParen(masked, existsOpen);
  if (existsClose < 0 || masked.slice(existsClose + 1, ifClose).trim() !== '') {
    throw syntax('the alert condition must be written IF (EXISTS (<query>))', sql);
  }
  const then = /^\s*THEN\s+/i.exec(masked.slice(ifClose + 1));
  if (!then) throw syntax('CREATE ALERT needs THEN <action> after the condition', sql);
  const action = sql.slice(ifClose + 1 + then[0].length).trim().replace(/;\s*$/, '').trim();
  if (!action) throw syntax('CREATE ALERT needs an action after THEN', sql);
  if (options.SCHEDULE === undefined) {
    // Without SCHEDULE an alert is an "alert on new data", which needs Snowflake's change tracking.
    throw notImplemented('alerts on new data (CREATE ALERT without SCHEDULE)', sql);
  }
  parseAlertSchedule(options.SCHEDULE, sql);
  const def: AlertDef = {
    name: canonicalIdentifier(nameMatch[0]),
    warehouse: options.WAREHOUSE ?? null,
    schedule: options.SCHEDULE,
    comment: options.COMMENT ?? null,
    condition: sql.slice(existsOpen + 1, existsClose).trim(),
    action,
  };
  return { def, orReplace: Boolean(head[1]), ifNotExists: Boolean(head[2]) };
}

/**
 * An alert schedule: `'<num> MINUTE'` (1 to 11520) or `'USING CRON <expr> <time_zone>'`; unlike
 * tasks, alerts take no SECONDS or HOURS
 * (https://docs.snowflake.com/en/sql-reference/sql/create-alert#required-parameters).
 */
export function parseAlertSchedule(text: string, sql = text): Schedule {
  if (/^\s*USING\s+CRON\b/i.test(text)) return parseSchedule(text, sql);
  const m = /^\s*(\d+)\s*MINUTES?\s*$/i.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!m || n < 1 || n > 11520) {
    throw new LocalSnowflakeError(
      1003,
      '42000',
      `SQL compilation error:\ninvalid alert schedule '${text}': use '<num> MINUTE' with num from 1 to 11520, or 'USING CRON <min> <hour> <dom> <month> <dow> <time zone>'.`,
      sql,
    );
  }
  return { kind: 'interval', ms: n * 60_000 };
}

/** What an ALTER ALERT asks for (RESUME and SUSPEND only). */
export interface AlterAlert {
  name: string;
  ifExists: boolean;
  action: 'RESUME' | 'SUSPEND';
}

/** Parses ALTER ALERT [IF EXISTS] name RESUME | SUSPEND; other forms fail as not implemented. */
export function parseAlterAlert(sql: string): AlterAlert {
  const m = /^ALTER\s+ALERT\s+(IF\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w$.]+)\s+(RESUME|SUSPEND)$/i.exec(normalized(sql).replace(/;\s*$/, ''));
  if (!m) throw notImplemented(`ALTER ALERT form "${normalized(sql)}" (only RESUME and SUSPEND)`, sql);
  return { name: canonicalIdentifier(m[2] ?? ''), ifExists: Boolean(m[1]), action: (m[3] ?? '').toUpperCase() as 'RESUME' | 'SUSPEND' };
}

function syntax(what: string, sql: string): LocalSnowflakeError {
  return new LocalSnowflakeError(1003, '42000', `SQL compilation error:\n${what}.`, sql);
}
