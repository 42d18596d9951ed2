/**
 * `npm run deploy`: installs tables, procedures, views and the task into Snowflake (or the local
 * runtime with --local), idempotently, and verifies the result. See scripts/README-deploy.md.
 *
 *   npm run deploy -- --connection prod --warehouse ETL_WH
 *   npm run deploy -- --connection prod --schedule '5 MINUTE' --dry-run
 *   npm run deploy -- --local --run-now
 */
import { DEPLOY_USAGE, parseDeployArgs, type DeployOptions } from './lib/deploy-options.js';
import { planDeploy, runDeploy, type DeployReporter } from './lib/deploy-plan.js';
import { DeployError } from './lib/errors.js';
import { grantsScript } from './lib/grants.js';
import { connectClient, resolveTarget, targetLabel } from './lib/open-client.js';
import { compileProcedures } from './lib/procedures.js';
import { redact } from './lib/secrets.js';
import type { SqlClient } from './lib/sql-client.js';

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

/**
 * Runs deploy with these arguments; returns the exit code (0 ok, 1 deploy failed, 2 bad input or
 * configuration). Exported for tests.
 */
export async function deployMain(argv: string[], io: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let client: SqlClient | null = null;
  try {
    const opts = parseDeployArgs(argv, env);
    if (opts === null) {
      io.out(DEPLOY_USAGE);
      return 0;
    }
    const conn = opts.target === 'snowflake' && !(opts.printGrants && opts.warehouse !== undefined) ? resolveTargetTolerant(opts, env, io) : null;
    for (const w of conn?.warnings ?? []) io.err(`warning: ${w}`);
    const warehouse = taskWarehouse(opts, conn?.warehouse ?? null);
    if (opts.printGrants) {
      io.out(
        grantsScript({
          role: opts.grantRole,
          user: opts.grantUser,
          database: opts.database ?? conn?.database ?? null,
          schema: opts.schema ?? conn?.schema ?? null,
          warehouse,
          alertIntegration: opts.alert?.integration ?? null,
          errorIntegration: opts.errorIntegration,
        }).trimEnd(),
      );
      return 0;
    }
    const plan = planDeploy({ options: opts, warehouse, procedures: await compileProcedures() });
    const label = targetLabel(opts, conn);
    client = await connectClient(opts, conn, opts.dryRun);
    const reporter = opts.dryRun ? dryRunReporter(io, label) : logReporter(io, client.describe());
    const result = await runDeploy(client, plan, opts, reporter);
    if (opts.dryRun) {
      io.out(`-- ${result.statements} statements. Nothing was sent.`);
    } else {
      io.out(`deployed in ${secs(result.ms)} (${result.statements} statements). Watch it with: npm run status${opts.target === 'local' ? ' -- --local' : opts.connection ? ` -- --connection ${opts.connection}` : ''}`);
    }
    return 0;
  } catch (e) {
    const err = e instanceof DeployError ? e : new DeployError('sql', e instanceof Error ? e.message : String(e), '');
    io.err(`deploy failed [${err.kind}]: ${err.message}`);
    return err.kind === 'input' || err.kind === 'config' ? 2 : 1;
  } finally {
    if (client) await client.close();
  }
}

/** A dry run may go ahead without a configured connection when the warehouse is given. */
function resolveTargetTolerant(opts: DeployOptions, env: NodeJS.ProcessEnv, io: Output) {
  try {
    return resolveTarget(opts, env);
  } catch (e) {
    if (opts.dryRun && opts.warehouse !== undefined && e instanceof DeployError) {
      io.err(`warning: connection not resolved (${e.message.split('\n')[0]}); printing the SQL anyway`);
      return null;
    }
    throw e;
  }
}

/** --warehouse, --serverless (null), or the connection's warehouse; locally the seed's placeholder. */
function taskWarehouse(opts: DeployOptions, fromConnection: string | null): string | null {
  if (opts.warehouse !== undefined) return opts.warehouse;
  if (opts.target === 'local') return 'COMPUTE_WH';
  if (fromConnection) return fromConnection;
  throw new DeployError('input', 'No warehouse for the task: the connection sets none and neither --warehouse nor --serverless was given.', 'pass --warehouse NAME (a warehouse your role may use) or --serverless');
}

function logReporter(io: Output, target: string): DeployReporter {
  io.out(`hybrid-sync deploy -> ${target}`);
  return {
    step: (i, n, title) => io.out(`[${i}/${n}] ${title}`),
    statement: () => {},
    stepDone: (_i, summary, ms) => io.out(`      ok  ${summary}  (${secs(ms)})`),
    info: (line) => io.out(line),
  };
}

function dryRunReporter(io: Output, target: string): DeployReporter {
  io.out('-- hybrid-sync deploy --dry-run: the statements deploy would send, in order. Nothing is sent.');
  io.out(`-- target: ${target}`);
  io.out('-- Reads (SHOW, SELECT) decide what follows them: with no answer here, no older procedure');
  io.out('-- overload is dropped and verification is skipped.');
  return {
    step: (i, n, title) => io.out(`\n-- [${i}/${n}] ${title}`),
    statement: (sql) => io.out(sql.replace(/;?\s*$/, ';')),
    stepDone: () => {},
    info: (line) => io.out(`-- ${line}`),
  };
}

const isMain = process.argv[1] !== undefined && /deploy\.ts$/.test(process.argv[1]);
if (isMain) {
  deployMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
