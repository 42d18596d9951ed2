/** Helpers for the deploy and status tests: temp SNOWFLAKE_HOME, captured output, local runtime. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalSnowflake } from '../../local/index.js';
import type { Output } from '../../scripts/deploy.js';
import { parseDeployArgs, type DeployOptions } from '../../scripts/lib/deploy-options.js';
import { planDeploy, runDeploy, type DeployReporter, type DeployResult } from '../../scripts/lib/deploy-plan.js';
import { LocalClient } from '../../scripts/lib/local-client.js';
import { OBJECTS } from '../../manifest/objects.js';
import { loadDist } from '../../scripts/lib/dist-manifest.js';

/** A directory for SNOWFLAKE_HOME with the given files (mode 0600 unless said otherwise). */
export function snowflakeHome(files: Record<string, { text: string; mode?: number }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-home-'));
  for (const [name, f] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, f.text);
    fs.chmodSync(p, f.mode ?? 0o600);
  }
  return dir;
}

/** Output that is kept, for assertions. */
export function capture(): Output & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    text: () => lines.join('\n'),
  };
}

/** A reporter that records step titles and statements. */
export function recorder(): DeployReporter & { steps: string[]; statements: string[]; infos: string[]; waits: string[] } {
  const r = { steps: [] as string[], statements: [] as string[], infos: [] as string[], waits: [] as string[] };
  return {
    ...r,
    step: (_i, _n, title) => r.steps.push(title),
    statement: (sql) => r.statements.push(sql),
    stepDone: () => {},
    info: (line) => r.infos.push(line),
    waiting: (what, s) => r.waits.push(`${what} ${s}`),
  };
}

/** Deploy options from command-line words (validated as the CLI does). */
export function options(argv: string[]): DeployOptions {
  const o = parseDeployArgs(argv, {});
  if (!o) throw new Error('help');
  return o;
}

/** Deploys into `client` with these flags; the task warehouse is --warehouse, or null with --serverless. */
export async function deployInto(client: LocalClient, argv: string[] = []): Promise<DeployResult & { report: ReturnType<typeof recorder> }> {
  const o = options(['--local', ...argv]);
  const warehouse = o.warehouse === undefined ? 'COMPUTE_WH' : o.warehouse;
  const plan = planDeploy({ options: o, warehouse, sessionWarehouse: warehouse, dist: loadDist() });
  const report = recorder();
  const result = await runDeploy(client, plan, o, report);
  return { ...result, report };
}

/** A fresh in-memory local runtime and a client on it. */
export function freshLocal(): { sf: LocalSnowflake; client: LocalClient } {
  const sf = LocalSnowflake.open();
  return { sf, client: LocalClient.on(sf) };
}

/** Tasks every deploy installs, in install order (from the manifest). */
export const ALWAYS_TASKS = OBJECTS.filter((o) => o.kind === 'task' && o.installed === 'always').map((o) => o.name);
/** Every procedure every deploy installs (from the manifest), sorted. */
export const PROCEDURE_NAMES = OBJECTS.filter((o) => o.kind === 'procedure' && o.installed === 'always').map((o) => o.name).sort();

/**
 * `SHOW PROCEDURES` rows for a deployment of dist/ as it is, with an argument that has a default
 * shown `TYPE DEFAULT` (suffix) or `DEFAULT TYPE` (prefix, as Snowflake's CLI tests read it).
 */
export function shownProcedure(name: string, form: 'suffix' | 'prefix' = 'suffix'): Record<string, string> {
  const p = loadDist().get(name);
  const args = /^[^(]*\((.*)\) RETURNS/.exec(p.signature ?? '')?.[1] ?? '';
  const shown = args
    .split(/,\s*(?=[A-Z_]+ )/)
    .filter((a) => a.trim() !== '')
    .map((a) => {
      const m = /^\S+\s+([A-Z_]+)(?:\([^)]*\))?(\s+DEFAULT\b.*)?$/.exec(a.trim());
      const type = m?.[1] ?? '?';
      return m?.[2] ? (form === 'prefix' ? `DEFAULT ${type}` : `${type} DEFAULT`) : type;
    });
  return { name, is_builtin: 'N', arguments: `${name}(${shown.join(', ')}) RETURN VARIANT` };
}
