/**
 * `hybrid-sync.toml`: every table pair a deployment syncs, one `[sync.NAME]` section each, with
 * shared `[defaults]`. Read and validated before anything is sent: every problem in the file is
 * reported at once, each with its file, line and fix.
 *
 * ```toml
 * [defaults]
 * warehouse = "ETL_WH"          # or serverless = true
 * schedule = "1 MINUTE"
 * lookback_seconds = 300
 *
 * [sync.orders]
 * source = "ORDERS"
 * target = "ORDERS_REPLICA"     # created from the source's definition when missing
 * watermark = "UPDATED_AT"      # key: the source's primary key; columns: all of the source's
 * deletes = "reconcile"         # or "soft:IS_DELETED", or "none" (the default)
 * ```
 *
 * Names follow Snowflake's rules: unquoted names are upper-cased, a double-quoted one keeps its
 * case (write it in a TOML literal string: `source = 'ETL."Orders"'`).
 */
import * as fs from 'node:fs';
import { validateSchedule } from '../../manifest/schedule.js';
import { canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import { toml } from './driver.js';
import { DeployError } from './errors.js';

/** What happens to a row deleted from the source. */
export type DeleteMode = { mode: 'none' } | { mode: 'reconcile' } | { mode: 'soft'; column: string };

/** One `[sync.NAME]` section, with the defaults applied. */
export interface FileSync {
  /** The section name as written (`orders`); `--sync` matches it case-insensitively. */
  section: string;
  /** Line of the section header, for messages. */
  line: number;
  /** Keys the sync's state and its control rows (`TABLE_NAME`): `sync_name`, else the section name. */
  syncName: string;
  source: string;
  target: string;
  watermark: string;
  /** The key columns; null = the source's primary key, read at deploy time. */
  key: string[] | null;
  /** The replicated columns; null = every column of the source, read at deploy time. */
  columns: string[] | null;
  deletes: DeleteMode;
  schedule: string;
  /** Task warehouse: a name, null = serverless, undefined = the deployment's. */
  warehouse: string | null | undefined;
  lookbackSeconds: number;
  batchSize: number;
  maxBatches: number;
  leaseSeconds: number;
  suspendAfterFailures: number;
  /** The reconciliation task's schedule; null = no reconciliation task. */
  reconcileSchedule: string | null;
  /** Seconds of lag after which status and the alert call this sync unhealthy. */
  alertLagSeconds: number;
  /** `HYBRID_SYNC_<SECTION>`: the task that runs the sync. */
  taskName: string;
  /** `HYBRID_SYNC_<SECTION>_RECONCILE`. */
  reconcileTaskName: string;
}

/** The whole file. */
export interface SyncFile {
  path: string;
  syncs: FileSync[];
  /**
   * `[defaults]` keys that are deploy options (`warehouse`, `serverless`, `database`, `schema`,
   * `alert_integration`, …), spelled as the command-line flag (`alert-integration`).
   */
  deployOptions: Record<string, string | boolean | string[]>;
}

/** The file `--config` defaults to when it exists in the working directory. */
export const DEFAULT_SYNC_FILE = 'hybrid-sync.toml';

/** Prefix of every task a config file's syncs install; `--prune` only ever drops tasks with it. */
export const SYNC_TASK_PREFIX = 'HYBRID_SYNC_';

/** Marker in the COMMENT of tasks deploy made for a config file's syncs. */
export const SYNC_TASK_COMMENT = 'hybrid-sync: sync';

type Value = string | number | boolean | Value[] | { [k: string]: Value };
type Table = { [k: string]: Value };

interface Problem {
  line: number;
  message: string;
  fix: string;
}

/** Settings a sync takes from `[defaults]` unless its section sets them; value type and check. */
const SYNC_SETTINGS = {
  schedule: 'schedule',
  warehouse: 'identifier',
  serverless: 'boolean',
  lookback_seconds: 'seconds0',
  batch_size: 'positive',
  max_batches: 'positive',
  lease_seconds: 'lease',
  suspend_after_failures: 'count0',
  reconcile_schedule: 'schedule-or-off',
  alert_lag_seconds: 'positive',
  deletes: 'deletes',
} as const;

/** Keys only a `[sync.NAME]` section has. */
const SYNC_ONLY = { source: 'table', target: 'table', watermark: 'column', key: 'columns', columns: 'columns', sync_name: 'string' } as const;

/** `[defaults]` keys that are deploy options, and the flag each one is. */
const DEPLOY_KEYS: Record<string, { flag: string; type: 'string' | 'boolean' | 'strings' | 'number' }> = {
  warehouse: { flag: 'warehouse', type: 'string' },
  serverless: { flag: 'serverless', type: 'boolean' },
  database: { flag: 'database', type: 'string' },
  schema: { flag: 'schema', type: 'string' },
  session_warehouse: { flag: 'session-warehouse', type: 'string' },
  error_integration: { flag: 'error-integration', type: 'string' },
  task_retries: { flag: 'task-retries', type: 'number' },
  alert_integration: { flag: 'alert-integration', type: 'string' },
  alert_emails: { flag: 'alert-email', type: 'strings' },
  create_index: { flag: 'create-index', type: 'boolean' },
};

const DEFAULTS: Record<keyof typeof SYNC_SETTINGS, Value> = {
  schedule: '1 MINUTE',
  warehouse: '',
  serverless: false,
  lookback_seconds: 300,
  batch_size: 100000,
  max_batches: 50,
  lease_seconds: 900,
  suspend_after_failures: 10,
  reconcile_schedule: 'USING CRON 0 3 * * * UTC',
  alert_lag_seconds: 900,
  deletes: 'none',
};

/** Reads and validates a config file. @throws DeployError `input` listing every problem. */
export function readSyncFile(file: string): SyncFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeployError('input', `--config ${file} cannot be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, `pass the path of your hybrid-sync.toml (see README "Your own tables")`);
  }
  return parseSyncFile(text, file);
}

/** Parses and validates the text of a config file. @throws DeployError `input` listing every problem. */
export function parseSyncFile(text: string, file: string): SyncFile {
  let doc: Table;
  try {
    doc = toml.parse(text) as Table;
  } catch (e) {
    const err = e as { message: string; line?: number; column?: number };
    throw new DeployError('input', `${file}:${err.line ?? '?'}:${err.column ?? '?'}: not valid TOML: ${err.message}`, 'fix the TOML syntax at that line (strings in "double" or \'single\' quotes, one key = value per line)');
  }
  const lines = keyLines(text);
  const at = (...path: string[]): number => lines.get(path.join('\0')) ?? lines.get(path.slice(0, -1).join('\0')) ?? 1;
  const problems: Problem[] = [];
  const problem = (line: number, message: string, fix: string): void => {
    problems.push({ line, message, fix });
  };

  for (const k of Object.keys(doc)) {
    if (k !== 'defaults' && k !== 'sync') problem(at(k), `unknown section [${k}]`, `use [defaults] and [sync.NAME] sections${suggest(k, ['defaults', 'sync'])}`);
  }
  const defaults = isTable(doc.defaults) ? doc.defaults : {};
  if (doc.defaults !== undefined && !isTable(doc.defaults)) problem(at('defaults'), '`defaults` must be a section: [defaults]', 'write [defaults] on its own line, then key = value lines');
  const deployOptions: Record<string, string | boolean | string[]> = {};
  for (const [k, v] of Object.entries(defaults)) {
    const line = at('defaults', k);
    if (k in SYNC_SETTINGS) {
      checkSetting(k as keyof typeof SYNC_SETTINGS, v, line, 'defaults', problem);
      if (k === 'warehouse' || k === 'serverless') deployOptions[k] = v as string | boolean;
      continue;
    }
    const d = DEPLOY_KEYS[k];
    if (!d) {
      const known = [...new Set([...Object.keys(SYNC_SETTINGS), ...Object.keys(DEPLOY_KEYS)])];
      problem(line, `unknown key '${k}' in [defaults]`, `known keys: ${known.join(', ')}${suggest(k, known)}`);
      continue;
    }
    const ok = d.type === 'boolean' ? typeof v === 'boolean' : d.type === 'strings' ? (Array.isArray(v) && v.every((x) => typeof x === 'string')) || typeof v === 'string' : d.type === 'number' ? Number.isSafeInteger(v) && (v as number) >= 0 : typeof v === 'string';
    if (!ok) {
      problem(line, `'${k}' must be ${d.type === 'boolean' ? 'true or false' : d.type === 'strings' ? 'a list of strings' : d.type === 'number' ? 'a whole number >= 0' : 'a string'}`, `e.g. ${k} = ${d.type === 'boolean' ? 'true' : d.type === 'strings' ? '["oncall@example.com"]' : d.type === 'number' ? '2' : '"NAME"'}`);
      continue;
    }
    deployOptions[d.flag] = d.type === 'number' ? String(v) : d.type === 'strings' && typeof v === 'string' ? [v] : (v as string | boolean | string[]);
  }
  if (defaults.warehouse !== undefined && defaults.serverless === true) problem(at('defaults', 'serverless'), 'warehouse and serverless = true cannot both be set in [defaults]', 'a task runs either on a warehouse or serverless: drop one');

  const syncs: FileSync[] = [];
  const section = doc.sync;
  if (section !== undefined && !isTable(section)) problem(at('sync'), '`sync` must hold sections: [sync.NAME]', 'write one [sync.NAME] section per table pair');
  const entries = isTable(section) ? Object.entries(section) : [];
  if (entries.length === 0) problem(1, `${file} defines no sync`, 'add a [sync.NAME] section with source, target and watermark (see README "Your own tables")');
  for (const [name, raw] of entries) {
    const line = at('sync', name);
    if (!isTable(raw)) {
      problem(line, `sync.${name} must be a section`, `write [sync.${name}] on its own line, then source = …, target = …, watermark = …`);
      continue;
    }
    const s = readSync(name, raw, defaults, line, (k) => at('sync', name, k), problem);
    if (s) syncs.push(s);
  }

  // Across syncs: names become task names, and two syncs must never write one replica.
  const seen = new Map<string, FileSync>();
  const targets = new Map<string, FileSync>();
  const names = new Map<string, FileSync>();
  for (const s of syncs) {
    const task = s.taskName;
    const other = seen.get(task);
    if (other) problem(s.line, `sync.${s.section} and sync.${other.section} (line ${other.line}) would both install task ${task}`, 'section names must differ in more than case');
    seen.set(task, s);
    const t = tableKey(s.target);
    const o = targets.get(t);
    if (o) problem(s.line, `sync.${s.section} and sync.${o.section} (line ${o.line}) both write ${s.target}`, 'each replica is written by one sync only: give one of them another target');
    targets.set(t, s);
    const n = s.syncName.toUpperCase();
    const on = names.get(n);
    if (on && !other) problem(s.line, `sync.${s.section} and sync.${on.section} (line ${on.line}) share the sync name ${s.syncName}: they would share one watermark`, 'give one of them another sync_name');
    names.set(n, s);
  }
  for (const s of syncs) {
    if (s.reconcileTaskName !== s.taskName && seen.has(s.reconcileTaskName)) {
      problem(s.line, `the reconciliation task of sync.${s.section}, ${s.reconcileTaskName}, is the sync task of another section`, `rename one of the sections`);
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const list = problems.map((p) => `  ${file}:${p.line}: ${p.message}\n      fix: ${p.fix}`).join('\n');
    throw new DeployError('input', `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent:\n${list}`, `fix ${problems.length === 1 ? 'it' : 'them'} in ${file} and run the command again`);
  }
  return { path: file, syncs, deployOptions };
}

/** One section, validated; null when a required key is missing or invalid (the problems say why). */
function readSync(name: string, raw: Table, defaults: Table, line: number, at: (k: string) => number, problem: (line: number, message: string, fix: string) => void): FileSync | null {
  const before = { n: 0 };
  const p = (l: number, m: string, f: string): void => {
    before.n++;
    problem(l, m, f);
  };
  if (!/^[A-Za-z][A-Za-z0-9_]{0,200}$/.test(name)) {
    p(line, `sync name '${name}' cannot name a task`, 'use letters, digits and _ (starting with a letter), e.g. [sync.orders]');
  }
  const known = [...Object.keys(SYNC_ONLY), ...Object.keys(SYNC_SETTINGS)];
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) p(at(k), `unknown key '${k}' in [sync.${name}]`, `known keys: ${known.join(', ')}${suggest(k, known)}`);
  }
  for (const k of ['source', 'target', 'watermark'] as const) {
    if (raw[k] === undefined) p(line, `[sync.${name}] has no ${k}`, k === 'watermark' ? 'add watermark = "COLUMN": the TIMESTAMP column every insert and update stamps' : `add ${k} = "TABLE" (or "DATABASE.SCHEMA.TABLE")`);
  }
  const table = (k: 'source' | 'target'): string => {
    const v = raw[k];
    if (v === undefined) return '';
    if (typeof v !== 'string') {
      p(at(k), `${k} must be a string`, `e.g. ${k} = "ORDERS"`);
      return '';
    }
    try {
      quoteTable(v);
    } catch (e) {
      p(at(k), `${k}: ${(e as Error).message}`, `write the table as NAME, SCHEMA.NAME or DATABASE.SCHEMA.NAME; a mixed-case part in double quotes inside a 'literal string'`);
    }
    return v;
  };
  const column = (k: string, v: Value, what: string): string | null => {
    if (typeof v !== 'string') {
      p(at(k), `${what} must be a string`, `e.g. ${k} = "UPDATED_AT"`);
      return null;
    }
    try {
      quoteName(v);
      return v;
    } catch (e) {
      p(at(k), `${k}: ${(e as Error).message}`, 'write a column name, in double quotes inside a \'literal string\' when it is mixed-case');
      return null;
    }
  };
  const columns = (k: 'key' | 'columns'): string[] | null => {
    const v = raw[k];
    if (v === undefined) return null;
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
    if (list === null || list.length === 0) {
      p(at(k), `${k} must be a column name or a non-empty list of them`, `e.g. ${k} = ["ORDER_ID", "LINE_NO"]`);
      return null;
    }
    const out: string[] = [];
    for (const c of list) {
      const ok = column(k, c, `each entry of ${k}`);
      if (ok !== null) {
        if (out.some((x) => canonicalName(x) === canonicalName(ok))) p(at(k), `${k} lists ${ok} twice`, 'list each column once');
        else out.push(ok);
      }
    }
    return out;
  };
  const source = table('source');
  const target = table('target');
  const watermark = raw.watermark === undefined ? '' : (column('watermark', raw.watermark, 'watermark') ?? '');
  const key = columns('key');
  const cols = columns('columns');
  let syncName = name;
  if (raw.sync_name !== undefined) {
    if (typeof raw.sync_name !== 'string' || raw.sync_name.trim() === '' || raw.sync_name.length > 255) p(at('sync_name'), 'sync_name must be a non-empty string of at most 255 characters', 'e.g. sync_name = "ETL_PIPELINE_RUN_HISTORY_LOG" to continue an existing sync\'s watermark');
    else syncName = raw.sync_name;
  }
  const setting = (k: keyof typeof SYNC_SETTINGS): Value => {
    if (raw[k] !== undefined) {
      checkSetting(k, raw[k] as Value, at(k), `sync.${name}`, p);
      return raw[k] as Value;
    }
    return defaults[k] !== undefined ? (defaults[k] as Value) : DEFAULTS[k];
  };
  const deletesRaw = setting('deletes');
  const deletes = parseDeletes(deletesRaw) ?? { mode: 'none' };
  if (source && target && tableKey(source) === tableKey(target)) p(at('target'), `target is the source itself (${source})`, 'name the replica, e.g. target = "' + source + '_REPLICA"');
  if (cols && watermark && !cols.some((c) => canonicalName(c) === canonicalName(watermark))) p(at('columns'), `columns does not list the watermark ${watermark}`, `add "${watermark}" to columns`);
  if (cols && key) {
    for (const k of key) if (!cols.some((c) => canonicalName(c) === canonicalName(k))) p(at('columns'), `columns does not list the key column ${k}`, `add "${k}" to columns`);
  }
  if (deletes.mode === 'soft') {
    if (cols && !cols.some((c) => canonicalName(c) === canonicalName(deletes.column))) p(at('deletes'), `the soft-delete column ${deletes.column} is not in columns`, `add "${deletes.column}" to columns: the replica receives the mark like any change`);
    if (key && key.some((k) => canonicalName(k) === canonicalName(deletes.column))) p(at('deletes'), `the soft-delete column ${deletes.column} is a key column`, 'name the column that marks a row deleted, e.g. deletes = "soft:IS_DELETED"');
    if (watermark && canonicalName(watermark) === canonicalName(deletes.column)) p(at('deletes'), `the soft-delete column ${deletes.column} is the watermark`, 'name the column that marks a row deleted');
  }
  const wh = raw.warehouse !== undefined ? raw.warehouse : undefined;
  const serverless = setting('serverless') === true && raw.warehouse === undefined;
  if (raw.warehouse !== undefined && raw.serverless === true) p(at('serverless'), `[sync.${name}] sets both warehouse and serverless = true`, 'a task runs either on a warehouse or serverless: drop one');
  const values = {
    schedule: setting('schedule'),
    lookback: setting('lookback_seconds'),
    batch: setting('batch_size'),
    maxBatches: setting('max_batches'),
    lease: setting('lease_seconds'),
    suspend: setting('suspend_after_failures'),
    reconcile: setting('reconcile_schedule'),
    lag: setting('alert_lag_seconds'),
  };
  if (before.n > 0) return null;
  // A bad value in [defaults] was reported there; this section is then not built.
  const schedule = (v: Value): string | null => {
    try {
      return taskSchedule(String(v));
    } catch {
      return null;
    }
  };
  const sched = schedule(values.schedule);
  const reconcile = String(values.reconcile).toLowerCase() === 'off' ? null : schedule(values.reconcile);
  if (sched === null || (reconcile === null && String(values.reconcile).toLowerCase() !== 'off')) return null;
  const upper = name.toUpperCase();
  return {
    section: name,
    line,
    syncName,
    source,
    target,
    watermark,
    key,
    columns: cols,
    deletes,
    schedule: sched,
    warehouse: typeof wh === 'string' ? wh : serverless ? null : undefined,
    lookbackSeconds: Number(values.lookback),
    batchSize: Number(values.batch),
    maxBatches: Number(values.maxBatches),
    leaseSeconds: Number(values.lease),
    suspendAfterFailures: Number(values.suspend),
    reconcileSchedule: reconcile,
    alertLagSeconds: Number(values.lag),
    taskName: `${SYNC_TASK_PREFIX}${upper}`,
    reconcileTaskName: `${SYNC_TASK_PREFIX}${upper}_RECONCILE`,
  };
}

/**
 * A task schedule as Snowflake takes it: the forms `validateSchedule` accepts, a CRON time zone
 * that exists, and an interval no longer than 11520 minutes (8 days,
 * https://docs.snowflake.com/en/sql-reference/sql/create-task). Returns it normalized.
 * @throws Error naming what is wrong.
 */
export function taskSchedule(value: string): string {
  const s = validateSchedule(value);
  const cron = /^USING CRON (?:\S+ ){5}(\S+)$/i.exec(s);
  if (cron) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: cron[1] as string });
    } catch {
      throw new Error(`unknown time zone '${cron[1]}' in ${JSON.stringify(value)}: use an IANA time zone such as UTC or America/Los_Angeles`);
    }
  }
  const interval = /^(\d+) (SECONDS?|MINUTES?|HOURS?)$/i.exec(s);
  if (interval) {
    const n = Number(interval[1]);
    const unit = (interval[2] as string).toUpperCase()[0];
    if ((unit === 'S' ? n / 60 : unit === 'M' ? n : n * 60) > 11520) {
      throw new Error(`${JSON.stringify(value)} is longer than Snowflake's largest task interval (11520 minutes, 8 days): use a CRON schedule for longer periods, e.g. 'USING CRON 0 3 * * 1 UTC'`);
    }
  }
  return s;
}

function parseDeletes(v: Value): DeleteMode | null {
  if (typeof v !== 'string') return null;
  if (v === 'none') return { mode: 'none' };
  if (v === 'reconcile') return { mode: 'reconcile' };
  const m = /^soft:(.+)$/.exec(v);
  if (m) {
    try {
      quoteName(m[1] as string);
      return { mode: 'soft', column: m[1] as string };
    } catch {
      return null;
    }
  }
  return null;
}

function checkSetting(k: keyof typeof SYNC_SETTINGS, v: Value, line: number, where: string, problem: (line: number, message: string, fix: string) => void): void {
  const kind = SYNC_SETTINGS[k];
  const whole = (min: number, max = Number.MAX_SAFE_INTEGER): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
  switch (kind) {
    case 'schedule':
    case 'schedule-or-off':
      if (typeof v !== 'string') {
        problem(line, `${k} in [${where}] must be a string`, `e.g. ${k} = "5 MINUTE" or "USING CRON 0 3 * * * UTC"`);
        return;
      }
      if (kind === 'schedule-or-off' && v.toLowerCase() === 'off') return;
      try {
        taskSchedule(v);
      } catch (e) {
        problem(line, `${k} in [${where}]: ${(e as Error).message}`, `e.g. ${k} = "5 MINUTE" or "USING CRON 0 3 * * * UTC"${kind === 'schedule-or-off' ? ', or "off"' : ''}`);
      }
      return;
    case 'identifier':
      if (typeof v !== 'string') {
        problem(line, `${k} in [${where}] must be a string`, `e.g. ${k} = "ETL_WH"`);
        return;
      }
      try {
        quoteName(v, 'warehouse name');
      } catch (e) {
        problem(line, `${k} in [${where}]: ${(e as Error).message}`, 'name a warehouse your role may use');
      }
      return;
    case 'boolean':
      if (typeof v !== 'boolean') problem(line, `${k} in [${where}] must be true or false`, `e.g. ${k} = true`);
      return;
    case 'seconds0':
      if (!whole(0, 7 * 86400)) problem(line, `${k} in [${where}] must be a whole number of seconds from 0 to 604800, got ${JSON.stringify(v)}`, `e.g. ${k} = 300: it must cover the longest time between a row's stamp and its commit, plus writer clock skew`);
      return;
    case 'positive':
      if (!whole(1)) problem(line, `${k} in [${where}] must be a whole number >= 1, got ${JSON.stringify(v)}`, `e.g. ${k} = ${DEFAULTS[k]}`);
      return;
    case 'count0':
      if (!whole(0, 1000000)) problem(line, `${k} in [${where}] must be a whole number >= 0, got ${JSON.stringify(v)}`, `e.g. ${k} = 10 (0 = never)`);
      return;
    case 'lease':
      if (!whole(60, 86400)) problem(line, `${k} in [${where}] must be a whole number of seconds from 60 to 86400, got ${JSON.stringify(v)}`, 'e.g. lease_seconds = 900: above the task timeout and any hand CALL\'s statement timeout');
      return;
    case 'deletes':
      if (parseDeletes(v) === null) problem(line, `deletes in [${where}] must be "none", "reconcile" or "soft:COLUMN", got ${JSON.stringify(v)}`, 'e.g. deletes = "soft:IS_DELETED" (see README "Deletes")');
      return;
  }
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A table name compared as Snowflake would: each part canonical. */
function tableKey(name: string): string {
  try {
    return quoteTable(name);
  } catch {
    return name;
  }
}

/** ", did you mean 'x'?" for a near miss (edit distance <= 2), else empty. */
function suggest(word: string, options: string[]): string {
  let best: string | null = null;
  let bestD = 3;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best ? `; did you mean '${best}'?` : '';
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (dp[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = dp[i] as number[];
      const prev = dp[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (dp[a.length] as number[])[b.length] as number;
}

/**
 * The line of every table header and key: `sync\0orders` for `[sync.orders]`, `sync\0orders\0source`
 * for its `source = …`. Dotted keys and inline tables are rare in such a file; their lines fall
 * back to the enclosing section's.
 */
function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let table: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    const header = /^\[\s*([^\][]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      table = splitKey(header[1] as string);
      for (let n = 1; n <= table.length; n++) {
        const k = table.slice(0, n).join('\0');
        if (!out.has(k)) out.set(k, i + 1);
      }
      continue;
    }
    const kv = /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(line);
    if (kv) out.set([...table, unquoteKey(kv[1] as string)].join('\0'), i + 1);
  }
  return out;
}

function splitKey(s: string): string[] {
  const parts: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && m[0] !== '') parts.push(unquoteKey(m[1] as string));
  return parts;
}

function unquoteKey(k: string): string {
  if (k.startsWith('"')) return k.slice(1, -1).replace(/\\(.)/g, '$1');
  if (k.startsWith("'")) return k.slice(1, -1);
  return k;
}
