/**
 * `npm run status`: the sync's health at a glance. Exit code 0 healthy, 1 degraded, 2 broken or
 * unreachable (rules in scripts/lib/status.ts and the README, "npm run status"), for cron and CI.
 *
 *   npm run status -- --connection prod
 *   npm run status -- --local --json
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { quoteName } from '../procedure/identifiers.js';
import { DeployError } from './lib/errors.js';
import { connectClient, resolveTarget, targetLabel, type Target } from './lib/open-client.js';
import { redact } from './lib/secrets.js';
import type { SqlClient } from './lib/sql-client.js';
import { collectStatus, DEFAULT_THRESHOLDS, formatStatus, unreachableReport, type StatusReport, type StatusThresholds } from './lib/status.js';
import type { Output } from './deploy.js';
import { collectSyncsStatus, formatOneSync, formatSyncsStatus, pickSync, type SyncsStatus } from './lib/status-syncs.js';
import { DEFAULT_SYNC_FILE, readSyncFile } from './lib/sync-file.js';

export const STATUS_USAGE = `npm run status -- [--connection NAME | --local [--db FILE]] [--config FILE.toml] [--sync NAME] [--json] [--max-lag SECONDS] [--max-staleness SECONDS] [--database NAME --schema NAME]

With a config file (--config, or ./hybrid-sync.toml when it exists): one line per sync, or one
sync in detail with --sync NAME; the exit code is the worst over them. Without: the shipped pair.

Exit code: 0 healthy, 1 degraded (failed runs in 24 h, lag or staleness over the limit, task suspended),
2 broken or unreachable (cannot connect, objects missing, every run in 24 h failed).
`;

const consoleOutput: Output = {
  out: (l) => process.stdout.write(redact(l) + '\n'),
  err: (l) => process.stderr.write(redact(l) + '\n'),
};

function whole(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new DeployError('input', `--${name} must be a whole number of seconds >= 1, got ${JSON.stringify(raw)}`, `e.g. --${name} 900`);
  return Number(raw);
}

/** Runs status; returns the exit code. Exported for tests. */
export async function statusMain(argv: string[], io: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let json = argv.includes('--json');
  let client: SqlClient | null = null;
  let target = 'snowflake';
  try {
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: argv,
        options: {
          connection: { type: 'string' },
          local: { type: 'boolean' },
          db: { type: 'string' },
          database: { type: 'string' },
          schema: { type: 'string' },
          json: { type: 'boolean' },
          'max-lag': { type: 'string' },
          'max-staleness': { type: 'string' },
          config: { type: 'string' },
          sync: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }).values as Record<string, string | boolean | undefined>;
    } catch (e) {
      throw new DeployError('input', (e as Error).message.split('\n')[0] as string, 'run npm run status -- --help');
    }
    if (values.help) {
      io.out(STATUS_USAGE);
      return 0;
    }
    json = values.json === true;
    // `--connection local` is the local runtime's server (the `local` connection), as `--local` is.
    const localByName = typeof values.connection === 'string' && values.connection.toLowerCase() === 'local';
    const local = values.local === true || localByName;
    if (values.local === true && typeof values.connection === 'string' && !localByName) throw new DeployError('input', '--local and --connection cannot be combined', 'use one of them');
    const t: Target = {
      target: local ? 'local' : 'snowflake',
      connection: typeof values.connection === 'string' && !localByName ? values.connection : null,
      localDb: local ? ((values.db as string | undefined) ?? env.HYBRID_SYNC_LOCAL_DB ?? null) : null,
    };
    const thresholds: StatusThresholds = {
      maxLagSeconds: whole('max-lag', values['max-lag'] as string | undefined) ?? DEFAULT_THRESHOLDS.maxLagSeconds,
      maxStalenessSeconds: whole('max-staleness', values['max-staleness'] as string | undefined) ?? null,
    };
    const context: string[] = [];
    if (typeof values.database === 'string') context.push(`USE DATABASE ${quote(values.database, 'database name')}`);
    if (typeof values.schema === 'string') context.push(`USE SCHEMA ${quote(values.schema, 'schema name')}`);
    const conn = resolveTarget(t, env);
    for (const w of conn?.warnings ?? []) io.err(`warning: ${w}`);
    target = targetLabel(t, conn);
    const configPath = typeof values.config === 'string' ? values.config : fs.existsSync(DEFAULT_SYNC_FILE) ? DEFAULT_SYNC_FILE : null;
    const file = configPath !== null ? readSyncFile(configPath) : null;
    if (typeof values.sync === 'string' && file === null) throw new DeployError('input', `--sync ${values.sync} needs a config file: there is no ${DEFAULT_SYNC_FILE} here and no --config`, `pass --config FILE.toml (the file you deployed)`);
    const only = file && typeof values.sync === 'string' ? [pickSync(file, values.sync)] : file?.syncs;
    const lagFromFile = values['max-lag'] === undefined;
    let report: StatusReport | SyncsStatus;
    try {
      client = await connectClient(t, conn, false, { mustExist: true, env });
      for (const sql of context) await client.query(sql);
      report = file ? await collectSyncsStatus(client, file, thresholds, only, lagFromFile) : await collectStatus(client, thresholds);
    } catch (e) {
      if (!(e instanceof DeployError) || e.kind === 'input' || e.kind === 'config') throw e;
      report = unreachableReport(target, e, thresholds);
    }
    const text = 'syncs' in report && 'file' in report ? (typeof values.sync === 'string' ? formatOneSync(report) : formatSyncsStatus(report)) : formatStatus(report as StatusReport);
    io.out(json ? JSON.stringify(report, null, 2) : text);
    return report.exitCode;
  } catch (e) {
    const err = e instanceof DeployError ? e : new DeployError('sql', e instanceof Error ? e.message : String(e), '');
    if (json) io.out(JSON.stringify(unreachableReport(target, err), null, 2));
    io.err(`status failed [${err.kind}]: ${err.message}`);
    return 2;
  } finally {
    if (client) await client.close();
  }
}

function quote(name: string, what: string): string {
  try {
    return quoteName(name, what);
  } catch (e) {
    throw new DeployError('input', (e as Error).message, `pass a valid ${what}`);
  }
}

const isMain = process.argv[1] !== undefined && /status\.ts$/.test(process.argv[1]);
if (isMain) {
  statusMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
