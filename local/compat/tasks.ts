/**
 * CREATE TASK / ALTER TASK / EXECUTE TASK / SHOW TASKS / DROP TASK, parsed.
 * https://docs.snowflake.com/en/sql-reference/sql/create-task
 */
import { notImplemented } from '../errors.js';
import { canonicalIdentifier, normalized, unquoteString } from '../sql-text.js';
import { mask } from './rewrite.js';

/** A task's definition, as CREATE TASK gave it. */
export interface TaskDef {
  name: string;
  warehouse: string | null;
  schedule: string | null;
  /** The SQL the task runs (after AS). */
  definition: string;
  comment: string | null;
  suspendAfterFailures: number;
  errorIntegration: string | null;
  allowOverlapping: boolean;
  userTaskTimeoutMs: number | null;
  /** Every `KEY = value` option as written (keys upper-case), for SHOW TASKS and config. */
  options: Record<string, string>;
}

const OPTION = /^([A-Za-z_]+)\s*=\s*('(?:[^']|'')*'|\S+)\s*/;

/** Parses `KEY = value …` options into a record (values unquoted). */
export function parseOptions(text: string, sql: string): Record<string, string> {
  const options: Record<string, string> = {};
  let rest = text.trim();
  while (rest) {
    const m = OPTION.exec(rest);
    if (!m) throw notImplemented(`task clause "${rest.split(/\s+/).slice(0, 2).join(' ')}"`, sql);
    const raw = m[2] ?? '';
    const key = (m[1] ?? '').toUpperCase();
    // Object names (WAREHOUSE = "COMPUTE_WH", ERROR_INTEGRATION = x) are stored as Snowflake shows them.
    options[key] = raw.startsWith("'") ? unquoteString(raw) : key === 'WAREHOUSE' || key.endsWith('_INTEGRATION') ? canonicalIdentifier(raw) : raw;
    rest = rest.slice(m[0].length).trim();
  }
  return options;
}

const CREATE = /^\s*CREATE\s+(OR\s+REPLACE\s+|OR\s+ALTER\s+)?TASK\s+(IF\s+NOT\s+EXISTS\s+)?/i;

/**
 * OVERLAP_POLICY replaces the deprecated ALLOW_OVERLAPPING_EXECUTION: FALSE maps to NO_OVERLAP
 * (the default), TRUE to ALLOW_CHILD_OVERLAP; a standalone task overlaps itself only with
 * ALLOW_ALL_OVERLAP (https://docs.snowflake.com/en/release-notes/2026/other/2026-03-13-tasks-overlap-policy).
 */
export function allowsOverlap(options: Record<string, string>, sql: string): boolean {
  const policy = options.OVERLAP_POLICY?.toUpperCase();
  if (policy !== undefined) {
    if (!['NO_OVERLAP', 'ALLOW_CHILD_OVERLAP', 'ALLOW_ALL_OVERLAP'].includes(policy)) throw notImplemented(`OVERLAP_POLICY = ${policy}`, sql);
    return policy === 'ALLOW_ALL_OVERLAP';
  }
  return (options.ALLOW_OVERLAPPING_EXECUTION ?? 'FALSE').toUpperCase() === 'TRUE';
}

/**
 * TASK_AUTO_RETRY_ATTEMPTS (https://docs.snowflake.com/en/sql-reference/sql/create-task): the
 * local scheduler never retries a failed run, so only 0 (Snowflake's default) is accepted.
 */
export function checkRetryAttempts(options: Record<string, string>, sql: string): void {
  const n = options.TASK_AUTO_RETRY_ATTEMPTS;
  if (n !== undefined && Number(n) !== 0) throw notImplemented(`TASK_AUTO_RETRY_ATTEMPTS = ${n} (the local scheduler does not retry failed runs)`, sql);
}

/** Whether the statement is a CREATE TASK. */
export function isCreateTask(sql: string): boolean {
  return CREATE.test(mask(sql));
}

/** Parses CREATE TASK. AFTER (task graphs) and WHEN conditions fail as not implemented. */
export function parseCreateTask(sql: string): { def: TaskDef; orReplace: boolean; orAlter: boolean; ifNotExists: boolean } {
  const masked = mask(sql);
  const head = CREATE.exec(masked);
  if (!head) throw notImplemented('this CREATE TASK form', sql);
  const afterHead = masked.slice(head[0].length);
  const nameMatch = /^("(?:[^"]|"")+"|[\w$.]+)/.exec(sql.slice(head[0].length));
  if (!nameMatch) throw notImplemented('CREATE TASK without a name', sql);
  const as = /\sAS\s/i.exec(afterHead);
  if (!as) throw notImplemented('CREATE TASK without AS <sql>', sql);
  const clauses = sql.slice(head[0].length + nameMatch[0].length, head[0].length + as.index);
  if (/\bAFTER\b/i.test(mask(clauses))) throw notImplemented('task graphs (CREATE TASK … AFTER)', sql);
  if (/\bWHEN\b/i.test(mask(clauses))) throw notImplemented('CREATE TASK … WHEN condition', sql);
  const options = parseOptions(clauses, sql);
  const def: TaskDef = {
    name: canonicalIdentifier(nameMatch[0]),
    warehouse: options.WAREHOUSE ?? null,
    schedule: options.SCHEDULE ?? null,
    definition: sql.slice(head[0].length + as.index + as[0].length).trim().replace(/;\s*$/, ''),
    comment: options.COMMENT ?? null,
    suspendAfterFailures: options.SUSPEND_TASK_AFTER_NUM_FAILURES !== undefined ? Number(options.SUSPEND_TASK_AFTER_NUM_FAILURES) : 10,
    errorIntegration: options.ERROR_INTEGRATION ?? null,
    allowOverlapping: allowsOverlap(options, sql),
    userTaskTimeoutMs: options.USER_TASK_TIMEOUT_MS !== undefined ? Number(options.USER_TASK_TIMEOUT_MS) : null,
    options,
  };
  if (def.schedule !== null) parseSchedule(def.schedule, sql);
  checkRetryAttempts(options, sql);
  const or = (head[1] ?? '').toUpperCase();
  return { def, orReplace: or.includes('REPLACE'), orAlter: or.includes('ALTER'), ifNotExists: Boolean(head[2]) };
}

/** What an ALTER TASK asks for. */
export type AlterTask =
  | { name: string; ifExists: boolean; action: 'RESUME' | 'SUSPEND' }
  | { name: string; ifExists: boolean; action: 'SET'; options: Record<string, string> }
  | { name: string; ifExists: boolean; action: 'UNSET'; keys: string[] };

/** Parses ALTER TASK … RESUME | SUSPEND | SET … | UNSET …. */
export function parseAlterTask(sql: string): AlterTask | null {
  const m = /^ALTER\s+TASK\s+(IF\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w$.]+)\s+(RESUME|SUSPEND|SET|UNSET)\b([\s\S]*)$/i.exec(normalized(sql).replace(/;\s*$/, ''));
  if (!m) return null;
  const base = { name: canonicalIdentifier(m[2] ?? ''), ifExists: Boolean(m[1]) };
  const action = (m[3] ?? '').toUpperCase();
  const rest = (m[4] ?? '').trim();
  if (action === 'RESUME' || action === 'SUSPEND') return { ...base, action };
  if (action === 'SET') {
    const options = parseOptions(rest, sql);
    if (options.SCHEDULE !== undefined) parseSchedule(options.SCHEDULE, sql);
    checkRetryAttempts(options, sql);
    return { ...base, action, options };
  }
  return { ...base, action: 'UNSET', keys: rest.split(',').map((k) => k.trim().toUpperCase()).filter(Boolean) };
}

/** A schedule: a fixed interval, or a CRON expression in a time zone. */
export type Schedule =
  | { kind: 'interval'; ms: number }
  | { kind: 'cron'; minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domStar: boolean; dowStar: boolean; timezone: string };

/**
 * Parses SCHEDULE. Snowflake accepts `N MINUTE[S]`, `N SECOND[S]`, `N HOUR[S]` and
 * `USING CRON <min> <hour> <dom> <month> <dow> <time zone>`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-task#optional-parameters).
 */
export function parseSchedule(text: string, sql = text): Schedule {
  const interval = /^\s*(\d+)\s*(SECONDS?|MINUTES?|HOURS?|S|M|H)\s*$/i.exec(text);
  if (interval) {
    const n = Number(interval[1]);
    const unit = (interval[2] ?? '').toUpperCase()[0];
    const ms = n * (unit === 'S' ? 1_000 : unit === 'M' ? 60_000 : 3_600_000);
    if (n <= 0) throw new Error(`invalid task schedule '${text}': the interval must be positive`);
    return { kind: 'interval', ms };
  }
  const cron = /^\s*USING\s+CRON\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/i.exec(text);
  if (cron) {
    const field = (i: number): string => cron[i] ?? '*';
    const dowNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    const timezone = field(6);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new Error(`invalid task schedule '${text}': unknown time zone ${timezone}`);
    }
    return {
      kind: 'cron',
      minute: cronField(field(1), 0, 59, [], text),
      hour: cronField(field(2), 0, 23, [], text),
      dom: cronField(field(3), 1, 31, [], text),
      month: cronField(field(4), 1, 12, monthNames, text, 1),
      dow: new Set([...cronField(field(5), 0, 7, dowNames, text)].map((d) => d % 7)),
      domStar: field(3) === '*' || field(3) === '?',
      dowStar: field(5) === '*' || field(5) === '?',
      timezone,
    };
  }
  throw notImplemented(`task SCHEDULE '${text}' (use 'N MINUTE', 'N SECONDS', 'N HOURS' or 'USING CRON m h dom mon dow tz')`, sql);
}

function cronField(text: string, min: number, max: number, names: string[], whole: string, nameBase = 0): Set<number> {
  const out = new Set<number>();
  const value = (v: string): number => {
    const named = names.indexOf(v.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`invalid task schedule '${whole}': "${v}" is outside ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`invalid task schedule '${whole}': bad step in "${part}"`);
    let lo = min;
    let hi = max;
    if (range === 'L') throw notImplemented(`CRON 'L' in schedule '${whole}'`);
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      lo = value(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : value(b);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** The first time strictly after `after` that the schedule fires. */
export function nextFireTime(schedule: Schedule, after: Date, anchor: Date): Date {
  if (schedule.kind === 'interval') {
    // Interval schedules count from when the task was resumed (the anchor).
    const elapsed = after.getTime() - anchor.getTime();
    const periods = Math.floor(elapsed / schedule.ms) + 1;
    return new Date(anchor.getTime() + Math.max(1, periods) * schedule.ms);
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: schedule.timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const limit = t + 366 * 24 * 60 * 60_000;
  for (; t < limit; t += 60_000) {
    const p: Record<string, string> = {};
    for (const part of parts.formatToParts(new Date(t))) p[part.type] = part.value;
    const dom = Number(p.day);
    const dow = days.indexOf(p.weekday ?? '');
    const dayOk =
      schedule.domStar && schedule.dowStar
        ? true
        : schedule.domStar
          ? schedule.dow.has(dow)
          : schedule.dowStar
            ? schedule.dom.has(dom)
            : schedule.dom.has(dom) || schedule.dow.has(dow);
    if (
      schedule.minute.has(Number(p.minute)) &&
      schedule.hour.has(Number(p.hour)) &&
      schedule.month.has(Number(p.month)) &&
      dayOk
    ) {
      return new Date(t);
    }
  }
  throw new Error('the CRON schedule never fires within a year');
}
