/** The machine and versions a benchmark ran on, for the report's header. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { version as esbuildVersion } from 'esbuild';
import { LocalSnowflake } from '../../local/index.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  duckdb: string;
  esbuild: string;
  commit: string;
}

export function describeMachine(root: string): Machine {
  const sf = LocalSnowflake.open();
  let duckdb = 'unknown';
  try {
    duckdb = String(sf.session().execute('SELECT version()').rows[0]?.[0]);
  } finally {
    sf.close();
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the report just says so.
  }
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    duckdb,
    esbuild: esbuildVersion,
    commit,
  };
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
}
