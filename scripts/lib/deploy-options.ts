/**
 * `npm run deploy` arguments: parsed, merged with an optional `--config file.json`, and validated
 * before anything is sent. Every problem is a DeployError of kind `input` that names the flag.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { quoteName } from '../../procedure/identifiers.js';
import { DeployError } from './errors.js';
import { DEFAULT_SYNC_FILE, readSyncFile, taskSchedule, type SyncFile } from './sync-file.js';

/** Deploy settings after validation. */
export interface DeployOptions {
  /** `snowflake` through a connection, or the `local` runtime. */
  target: 'snowflake' | 'local';
  /** `--connection NAME`, or null for the default connection. */
  connection: string | null;
  /** `--db FILE` for `--local`. */
  localDb: string | null;
  /** Task warehouse, `null` when `--serverless`, `undefined` when it comes from the connection. */
  warehouse: string | null | undefined;
  /** `--session-warehouse`: the warehouse deploy's own statements use (CREATE HYBRID TABLE needs one). */
  sessionWarehouse: string | undefined;
  schedule: string;
  database: string | null;
  schema: string | null;
  suspendAfterFailures: number;
  errorIntegration: string | null;
  /** TASK_AUTO_RETRY_ATTEMPTS of the tasks (0 = Snowflake's default, no retry). */
  taskRetries: number;
  /** Create the source's missing watermark index instead of stopping. */
  createIndex: boolean;
  /** Seconds deploy waits for one statement before giving up on it (and for the login). */
  statementTimeout: number;
  loginTimeout: number;
  /** Install the daily reconciliation task. */
  reconcile: boolean;
  reconcileSchedule: string;
  alert: { integration: string; recipients: string[]; lagSeconds: number; schedule: string } | null;
  runNow: boolean;
  /** Seconds `--run-now` waits for the run's outcome. */
  runNowTimeout: number;
  dryRun: boolean;
  printGrants: boolean;
  /** The syncs of `--config hybrid-sync.toml` (or ./hybrid-sync.toml); null = the shipped pair. */
  syncFile: SyncFile | null;
  /** Drop the tasks of syncs no longer in the config file (never tables). */
  prune: boolean;
  /** Role named in `--print-grants`. */
  grantRole: string;
  /** User the grants role is granted to, or null. */
  grantUser: string | null;
}

export const DEPLOY_USAGE = `npm run deploy -- [options]

Where:
  --connection NAME        connection in connections.toml / config.toml (default: SNOWFLAKE_DEFAULT_CONNECTION_NAME, else "default")
  --local                  deploy to the local runtime instead (DuckDB file, see --db)
  --db FILE                local database file (default .hybrid-sync/local.duckdb, or HYBRID_SYNC_LOCAL_DB)
  --database NAME          USE DATABASE before deploying (default: the connection's)
  --schema NAME            USE SCHEMA before deploying (default: the connection's)

Task:
  --warehouse NAME         warehouse the task runs on (default: the connection's warehouse)
  --serverless             serverless task instead (needs EXECUTE MANAGED TASK)
  --schedule S             '1 MINUTE' (default), 'N SECONDS', 'N HOURS', or 'USING CRON <m> <h> <dom> <mon> <dow> <tz>'
  --suspend-after-failures N   suspend the task after N failed runs in a row (default 10, 0 = never)
  --session-warehouse NAME warehouse for deploy's own statements (default: the task's, else the connection's);
                           needed with --serverless when the connection sets none: CREATE HYBRID TABLE needs a running warehouse
  --error-integration NAME notification integration for task failures; it must be a queue integration
                           (Amazon SNS, Azure Event Grid, Google Pub/Sub): an email integration is refused there
  --task-retries N         TASK_AUTO_RETRY_ATTEMPTS: retry a failed run up to N times (default 0)
  --reconcile              also install the daily reconciliation task
  --reconcile-schedule S   its schedule (default 'USING CRON 0 3 * * * UTC')
  --alert-integration NAME also install an email alert through this notification integration
  --alert-email ADDR       recipient (repeatable; required with --alert-integration)
  --alert-lag SECONDS      alert when the replica lags more than this (default 900)

Pre-flight (an existing source must be a hybrid table with the configured columns and an index on the watermark):
  --create-index           create the source's missing watermark index (CREATE INDEX IF NOT EXISTS, built online) instead of stopping

Actions:
  --dry-run                print the SQL deploy would run; connect to nothing (works without a connections file)
  --statement-timeout S    give up on a statement after S seconds (default 300); progress is shown after 5 s
  --login-timeout S        give up on the login after S seconds (default 60)
  --run-now                execute the task once after deploying and show the outcome
  --run-now-timeout S      how long to wait for that run (default 120)
  --print-grants           print least-privilege role setup SQL and exit
  --grant-role NAME        role named by --print-grants (default HYBRID_SYNC_DEPLOYER)
  --grant-user NAME        user that role is granted to by --print-grants
  --config FILE.toml       the table pairs to sync, one [sync.NAME] section each (README "Your own tables");
                           default: ./hybrid-sync.toml when it exists, else the shipped pair
  --prune                  with a config file: drop the tasks of syncs no longer in it (tables are never dropped)
  --config FILE.json       (older form) defaults for any of these options, e.g. {"warehouse": "ETL_WH", "schedule": "5 MINUTE"}
  -h, --help
`;

const FLAGS = {
  connection: { type: 'string' },
  local: { type: 'boolean' },
  db: { type: 'string' },
  database: { type: 'string' },
  schema: { type: 'string' },
  warehouse: { type: 'string' },
  serverless: { type: 'boolean' },
  schedule: { type: 'string' },
  'suspend-after-failures': { type: 'string' },
  'error-integration': { type: 'string' },
  reconcile: { type: 'boolean' },
  'reconcile-schedule': { type: 'string' },
  'alert-integration': { type: 'string' },
  'alert-email': { type: 'string', multiple: true },
  'alert-lag': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'run-now': { type: 'boolean' },
  'run-now-timeout': { type: 'string' },
  'print-grants': { type: 'boolean' },
  'session-warehouse': { type: 'string' },
  'task-retries': { type: 'string' },
  'create-index': { type: 'boolean' },
  'statement-timeout': { type: 'string' },
  'login-timeout': { type: 'string' },
  'grant-role': { type: 'string' },
  'grant-user': { type: 'string' },
  config: { type: 'string' },
  prune: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Raw = Record<string, string | boolean | string[] | undefined>;

const camelToKebab = (k: string): string => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Reads `--config FILE.json`: an object whose keys are option names (kebab or camelCase). */
function readConfigFile(file: string): Raw {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeployError('input', `--config ${file} cannot be read: ${(e as Error).message}`, 'pass the path of a JSON file');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DeployError('input', `--config ${file} is not valid JSON: ${(e as Error).message}`, 'fix the JSON, e.g. {"warehouse": "ETL_WH", "schedule": "5 MINUTE"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DeployError('input', `--config ${file} must hold a JSON object`, 'e.g. {"warehouse": "ETL_WH", "schedule": "5 MINUTE"}');
  }
  const out: Raw = {};
  const allowed = Object.keys(FLAGS).filter((k) => !['config', 'help', 'dry-run', 'print-grants', 'prune'].includes(k));
  for (const [k, v] of Object.entries(parsed)) {
    const key = camelToKebab(k);
    if (!allowed.includes(key)) {
      throw new DeployError('input', `--config ${file}: unknown option '${k}'`, `use one of: ${allowed.join(', ')}`);
    }
    const spec = FLAGS[key as keyof typeof FLAGS];
    const ok =
      spec.type === 'boolean' ? typeof v === 'boolean' : 'multiple' in spec ? Array.isArray(v) && v.every((x) => typeof x === 'string') || typeof v === 'string' : typeof v === 'string' || typeof v === 'number';
    if (!ok) throw new DeployError('input', `--config ${file}: '${k}' must be ${spec.type === 'boolean' ? 'true or false' : 'a string'}`, `fix '${k}' in ${file}`);
    out[key] = typeof v === 'number' ? String(v) : 'multiple' in spec && typeof v === 'string' ? [v] : (v as string | boolean | string[]);
  }
  return out;
}

function identifier(value: string, flag: string, what: string): string {
  try {
    quoteName(value, what);
    return value;
  } catch (e) {
    throw new DeployError('input', `--${flag}: ${(e as Error).message}`, `pass a valid ${what}`);
  }
}

function schedule(value: string, flag: string): string {
  try {
    return taskSchedule(value);
  } catch (e) {
    throw new DeployError('input', `--${flag}: ${(e as Error).message}`, `pass e.g. --${flag} '5 MINUTE'`);
  }
}

function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new DeployError('input', `--${flag} must be a whole number >= ${min}, got ${JSON.stringify(value)}`, `pass e.g. --${flag} ${Math.max(min, 10)}`);
  }
  return n;
}

/**
 * Parses and validates deploy arguments. Returns `null` for `--help` (after printing usage).
 * @throws DeployError of kind `input`.
 */
export function parseDeployArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): DeployOptions | null {
  let values: Raw;
  try {
    values = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values as Raw;
  } catch (e) {
    throw new DeployError('input', (e as Error).message.split('\n')[0] as string, 'run npm run deploy -- --help for the options');
  }
  if (values.help) return null;
  const configPath = typeof values.config === 'string' ? values.config : fs.existsSync(DEFAULT_SYNC_FILE) && !values['print-grants'] ? DEFAULT_SYNC_FILE : null;
  const syncFile = configPath !== null && !/\.json$/i.test(configPath) ? readSyncFile(configPath) : null;
  const fromFile: Raw = syncFile ? { ...syncFile.deployOptions } : configPath !== null ? readConfigFile(configPath) : {};
  // A flag given on the command line wins over the file; --warehouse and --serverless replace each other.
  if (values.warehouse !== undefined || values.serverless !== undefined) {
    delete fromFile.warehouse;
    delete fromFile.serverless;
  }
  const v: Raw = { ...fromFile, ...values };
  if (v.prune === true && syncFile === null) throw new DeployError('input', '--prune applies only with a config file (--config hybrid-sync.toml)', 'pass --config FILE.toml, or drop --prune');
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

  // `--connection local` is the local runtime's server (the `local` connection), as `--local` is.
  const localByName = str('connection')?.toLowerCase() === 'local';
  const local = v.local === true || localByName;
  if (v.local === true && str('connection') && !localByName) throw new DeployError('input', '--local and --connection cannot be combined', 'use --local for the local runtime, or --connection NAME for Snowflake');
  if (!local && str('db')) throw new DeployError('input', '--db applies only with --local', 'add --local, or drop --db');
  const serverless = v.serverless === true;
  const wh = str('warehouse');
  if (serverless && wh) throw new DeployError('input', '--warehouse and --serverless cannot be combined: a task runs either on a warehouse or serverless', 'drop one of them');

  const emails = (v['alert-email'] as string[] | undefined) ?? [];
  const alertIntegration = str('alert-integration');
  if (emails.length > 0 && !alertIntegration) throw new DeployError('input', '--alert-email needs --alert-integration NAME (a NOTIFICATION INTEGRATION of TYPE = EMAIL)', 'add --alert-integration NAME');
  if (alertIntegration && emails.length === 0) throw new DeployError('input', '--alert-integration needs at least one --alert-email ADDR', 'add --alert-email you@example.com');
  for (const e of emails) {
    if (!/^[^\s'@]+@[^\s'@]+\.[^\s'@]+$/.test(e)) throw new DeployError('input', `--alert-email ${JSON.stringify(e)} is not an email address`, 'pass an address verified in Snowflake');
  }
  const sched = schedule(str('schedule') ?? '1 MINUTE', 'schedule');

  return {
    target: local ? 'local' : 'snowflake',
    connection: localByName ? null : (str('connection') ?? null),
    localDb: local ? (str('db') ?? env.HYBRID_SYNC_LOCAL_DB ?? null) : null,
    warehouse: serverless ? null : wh !== undefined ? identifier(wh, 'warehouse', 'warehouse name') : undefined,
    sessionWarehouse: str('session-warehouse') !== undefined ? identifier(str('session-warehouse') as string, 'session-warehouse', 'warehouse name') : undefined,
    schedule: sched,
    database: str('database') !== undefined ? identifier(str('database') as string, 'database', 'database name') : null,
    schema: str('schema') !== undefined ? identifier(str('schema') as string, 'schema', 'schema name') : null,
    suspendAfterFailures: str('suspend-after-failures') !== undefined ? wholeNumber(str('suspend-after-failures') as string, 'suspend-after-failures', 0) : 10,
    errorIntegration: str('error-integration') !== undefined ? identifier(str('error-integration') as string, 'error-integration', 'integration name') : null,
    taskRetries: str('task-retries') !== undefined ? wholeNumber(str('task-retries') as string, 'task-retries', 0) : 0,
    createIndex: v['create-index'] === true,
    statementTimeout: str('statement-timeout') !== undefined ? wholeNumber(str('statement-timeout') as string, 'statement-timeout', 1) : 300,
    loginTimeout: str('login-timeout') !== undefined ? wholeNumber(str('login-timeout') as string, 'login-timeout', 1) : 60,
    reconcile: v.reconcile === true || str('reconcile-schedule') !== undefined,
    reconcileSchedule: schedule(str('reconcile-schedule') ?? 'USING CRON 0 3 * * * UTC', 'reconcile-schedule'),
    alert: alertIntegration
      ? {
          integration: identifier(alertIntegration, 'alert-integration', 'integration name'),
          recipients: emails,
          lagSeconds: str('alert-lag') !== undefined ? wholeNumber(str('alert-lag') as string, 'alert-lag', 1) : 900,
          schedule: '5 MINUTE',
        }
      : null,
    runNow: v['run-now'] === true,
    runNowTimeout: str('run-now-timeout') !== undefined ? wholeNumber(str('run-now-timeout') as string, 'run-now-timeout', 1) : 120,
    dryRun: v['dry-run'] === true,
    printGrants: v['print-grants'] === true,
    syncFile,
    prune: v.prune === true,
    grantRole: identifier(str('grant-role') ?? 'HYBRID_SYNC_DEPLOYER', 'grant-role', 'role name'),
    grantUser: str('grant-user') !== undefined ? identifier(str('grant-user') as string, 'grant-user', 'user name') : null,
  };
}
