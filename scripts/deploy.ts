/**
 * `npm run deploy`: installs what dist/ holds (tables, procedures, views, tasks) into Snowflake
 * (or the local runtime with --local), idempotently, and verifies the result. See README
 * "Deploy and operate from the command line".
 *
 *   npm run deploy -- --connection prod --warehouse ETL_WH
 *   npm run deploy -- --connection prod --schedule '5 MINUTE' --dry-run
 *   npm run deploy -- --local --run-now
 *
 * Exit code: 0 deployed and verified; 1 failed after sending something (the message says what
 * was applied); 2 nothing was sent (invalid input, configuration, dist/, or no login).
 */
import type { ResolvedConnection } from './lib/connections.js';
import { DEPLOY_USAGE, parseDeployArgs, type DeployOptions } from './lib/deploy-options.js';
import { DEFAULT_PATIENCE, planDeploy, runDeploy, type DeployReporter, type Patience, type WarehouseChoice } from './lib/deploy-plan.js';
import { loadDist } from './lib/dist-manifest.js';
import { DeployError } from './lib/errors.js';
import { grantsScript } from './lib/grants.js';
import { connectClient, resolveTarget, targetLabel } from './lib/open-client.js';
import { quoteTable } from '../procedure/identifiers.js';
import { redact } from './lib/secrets.js';
import { DEFAULT_SYNC_FILE } from './lib/sync-file.js';
import type { Bind, QueryResult, SqlClient } from './lib/sql-client.js';

/** Where output goes; every line is redacted. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = {
  out: (l) => process.stdout.write(redact(l) + '\n'),
  err: (l) => process.stderr.write(redact(l) + '\n'),
};

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Knobs tests turn: how often progress is shown (the timeouts are options). */
export interface DeployTuning {
  progressMs?: number;
  /** dist/ to install (tests point it at a copy). */
  distDir?: string;
}

/** A client that counts what it sent, so a failure can say whether anything reached the account. */
class Counting implements SqlClient {
  sent = 0;
  constructor(private readonly inner: SqlClient) {}
  get dryRun(): boolean {
    return this.inner.dryRun;
  }
  query(sql: string, binds?: Bind[]): Promise<QueryResult> {
    this.sent++;
    return this.inner.query(sql, binds);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  describe(): string {
    return this.inner.describe();
  }
}

/**
 * Runs deploy with these arguments; returns the exit code (0 ok, 1 failed after sending
 * something, 2 nothing sent). Exported for tests.
 */
export async function deployMain(argv: string[], io: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env, tuning: DeployTuning = {}): Promise<number> {
  let client: Counting | null = null;
  try {
    const opts = parseDeployArgs(argv, env);
    if (opts === null) {
      io.out(DEPLOY_USAGE);
      return 0;
    }
    if (opts.errorIntegration && opts.alert && opts.errorIntegration.toUpperCase() === opts.alert.integration.toUpperCase()) {
      throw new DeployError(
        'input',
        `--error-integration ${opts.errorIntegration} is the alert's email integration; a task's ERROR_INTEGRATION must be a queue integration (Amazon SNS, Azure Event Grid, Google Pub/Sub), and Snowflake refuses an email one when the task is created`,
        'pass a queue notification integration to --error-integration, or drop it (the alert already emails)',
      );
    }
    const printGrantsOnly = opts.printGrants;
    const conn = opts.target === 'snowflake' ? resolveTolerant(opts, env, io, printGrantsOnly || opts.dryRun) : null;
    for (const w of conn?.warnings ?? []) io.err(`warning: ${w}`);
    const warehouse = taskWarehouse(opts, conn);
    if (printGrantsOnly) {
      io.out(
        grantsScript({
          role: opts.grantRole,
          user: opts.grantUser,
          database: opts.database ?? conn?.database ?? null,
          schema: opts.schema ?? conn?.schema ?? null,
          warehouse: typeof warehouse === 'object' && warehouse !== null ? null : warehouse,
          warehouseKnown: !(typeof warehouse === 'object' && warehouse !== null),
          serverless: warehouse === null,
          reconcile: opts.reconcile,
          alertIntegration: opts.alert?.integration ?? null,
          errorIntegration: opts.errorIntegration,
          syncs: opts.syncFile?.syncs,
        }).trimEnd(),
      );
      return 0;
    }
    const dist = loadDist({ dir: tuning.distDir });
    const syncDb = syncDatabase(opts, conn);
    if (syncDb !== null) {
      opts.database = syncDb;
      io.out(`note: every sync of ${opts.syncFile?.path} names database ${syncDb}, so the shared control and state tables go there too (USE DATABASE ${syncDb}; --database or database = … in [defaults] to choose)`);
    }
    const plan = planDeploy({ options: opts, warehouse, sessionWarehouse: sessionWarehouse(opts, conn, warehouse), dist });
    const label = targetLabel(opts, conn);
    const progressMs = tuning.progressMs ?? DEFAULT_PATIENCE.progressMs;
    if (!opts.dryRun && opts.target === 'snowflake') io.out(`logging in: ${label}`);
    client = new Counting(
      await connectClient(opts, conn, opts.dryRun, {
        login: { timeoutMs: opts.loginTimeout * 1000, progressMs, onWait: (s) => io.out(`      … still logging in (${s} s; gives up after ${opts.loginTimeout} s, see --login-timeout)`) },
        env,
      }),
    );
    const reporter = opts.dryRun ? dryRunReporter(io, label, plan.placeholders, conn === null && opts.target === 'snowflake') : logReporter(io, client.describe());
    const patience: Patience = { statementTimeoutMs: opts.statementTimeout * 1000, progressMs };
    const result = await runDeploy(client, plan, opts, reporter, patience);
    if (opts.dryRun) {
      io.out(`-- ${result.statements} statements. Nothing was sent.`);
    } else {
      const watch = [
        ...(opts.syncFile && opts.syncFile.path !== DEFAULT_SYNC_FILE ? ['--config', opts.syncFile.path] : []),
        ...(opts.target === 'local' ? ['--local'] : opts.connection ? ['--connection', opts.connection] : []),
      ];
      io.out(`deployed in ${secs(result.ms)} (${result.statements} statements). Watch it with: npm run status${watch.length ? ` -- ${watch.join(' ')}` : ''}`);
    }
    return 0;
  } catch (e) {
    const err = e instanceof DeployError ? e : new DeployError('sql', e instanceof Error ? e.message : String(e), '');
    const nothingSent = client === null || client.sent === 0;
    io.err(`deploy failed [${err.kind}]: ${err.message}`);
    if (nothingSent && !['input', 'config', 'dist'].includes(err.kind)) io.err('  (no statement was sent: the account is unchanged)');
    return nothingSent || ['input', 'config', 'dist'].includes(err.kind) ? 2 : 1;
  } finally {
    if (client) await client.close();
  }
}

/**
 * The database a config file's syncs all name (`DB.SCHEMA.TABLE`), when neither --database nor
 * the file chose one and the connection's is another: the control and state tables follow the
 * tables, since a transaction cannot span hybrid tables of two databases. Null otherwise.
 */
function syncDatabase(opts: DeployOptions, conn: ResolvedConnection | null): string | null {
  if (!opts.syncFile || opts.database !== null || opts.target !== 'snowflake') return null;
  const named = new Set<string>();
  for (const s of opts.syncFile.syncs) {
    for (const t of [s.source, s.target]) {
      const parts = quoteTable(t).split('.');
      if (parts.length === 3) named.add(parts[0] as string);
    }
  }
  if (named.size !== 1) return null;
  const db = [...named][0] as string;
  if (conn?.database && quoteTable(conn.database) === db) return null;
  return db.startsWith('"') && !/^"[A-Z_][A-Z0-9_$]*"$/.test(db) ? db : db.slice(1, -1);
}

/**
 * The connection; for a dry run (or --print-grants) one that cannot be resolved is not needed:
 * what it would have told is printed as a placeholder.
 */
function resolveTolerant(opts: DeployOptions, env: NodeJS.ProcessEnv, io: Output, tolerant: boolean): ResolvedConnection | null {
  try {
    return resolveTarget(opts, env);
  } catch (e) {
    if (tolerant && e instanceof DeployError && e.kind === 'config') {
      io.err(`note: connection not resolved (${e.message.split('\n')[0]}); printing without it`);
      return null;
    }
    throw e;
  }
}

/** --warehouse, --serverless (null), or the connection's warehouse; locally the seed's placeholder. */
function taskWarehouse(opts: DeployOptions, conn: ResolvedConnection | null): WarehouseChoice {
  if (opts.warehouse !== undefined) return opts.warehouse;
  if (opts.target === 'local') return 'COMPUTE_WH';
  if (conn?.warehouse) return conn.warehouse;
  if (opts.dryRun || opts.printGrants) return { placeholder: '<warehouse>' };
  throw new DeployError('input', 'No warehouse for the task: the connection sets none and neither --warehouse nor --serverless was given.', 'pass --warehouse NAME (a warehouse your role may use) or --serverless');
}

/**
 * The warehouse deploy's own statements run on. A serverless task still needs one for deploy:
 * CREATE HYBRID TABLE runs on the current warehouse
 * ("To create a hybrid table, you must have a running warehouse that is specified as the current
 * warehouse for your session": https://docs.snowflake.com/en/user-guide/tables-hybrid-create).
 */
function sessionWarehouse(opts: DeployOptions, conn: ResolvedConnection | null, task: WarehouseChoice): WarehouseChoice {
  if (opts.sessionWarehouse !== undefined) return opts.sessionWarehouse;
  if (task !== null) return task;
  if (opts.target === 'local') return null;
  if (conn?.warehouse) return conn.warehouse;
  if (opts.dryRun) return { placeholder: '<session warehouse>' };
  throw new DeployError(
    'input',
    `A serverless task needs no warehouse, but deploy itself does: CREATE HYBRID TABLE runs on the session's warehouse, and connection '${conn?.name ?? opts.connection ?? 'default'}' sets none.`,
    "pass --session-warehouse NAME (any warehouse your role may use), or set 'warehouse' in the connection",
  );
}

function logReporter(io: Output, target: string): DeployReporter {
  io.out(`hybrid-sync deploy -> ${target}`);
  return {
    step: (i, n, title) => io.out(`[${i}/${n}] ${title}`),
    statement: () => {},
    stepDone: (_i, summary, ms) => io.out(`      ok  ${summary}  (${secs(ms)})`),
    info: (line) => io.out(`      ${line}`),
    waiting: (what, s) => io.out(`      … waiting ${s} s for ${what}`),
  };
}

function dryRunReporter(io: Output, target: string, placeholders: string[], unresolved: boolean): DeployReporter {
  io.out('-- hybrid-sync deploy --dry-run: the statements deploy would send, in order. Nothing is sent.');
  io.out(`-- target: ${target}${unresolved ? ' (not resolved: the SQL does not depend on it)' : ''}`);
  if (placeholders.length) io.out(`-- placeholders for what only the connection would tell: ${placeholders.join(', ')} (pass --warehouse / --session-warehouse to fill them)`);
  io.out('-- Reads (SHOW, DESCRIBE, SELECT) decide what follows them: with no answer here, the tables are');
  io.out('-- taken as new, no older procedure overload is dropped, and verification is skipped.');
  return {
    step: (i, n, title) => io.out(`\n-- [${i}/${n}] ${title}`),
    statement: (sql) => io.out(sql.replace(/;?\s*$/, ';')),
    stepDone: () => {},
    info: (line) => io.out(`-- ${line}`),
    waiting: () => {},
  };
}

const isMain = process.argv[1] !== undefined && /deploy\.ts$/.test(process.argv[1]);
if (isMain) {
  deployMain(process.argv.slice(2)).then((code) => {
    // A statement abandoned after --statement-timeout may keep a driver request open; the
    // command is over, so do not wait for it.
    process.exit(code);
  });
}
