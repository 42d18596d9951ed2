/**
 * Which Snowflake connection to use, read as the Snowflake CLI reads it
 * (https://docs.snowflake.com/en/developer-guide/snowflake-cli/connecting/configure-connections):
 *
 * - the directory is `SNOWFLAKE_HOME`, else `~/.snowflake`;
 * - `connections.toml` (sections `[name]`) when it exists, else `config.toml` (`[connections.name]`);
 * - the name is `--connection`, else `SNOWFLAKE_DEFAULT_CONNECTION_NAME`, else config.toml's
 *   `default_connection_name`, else `default`;
 * - precedence of a value: `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` > the file > generic
 *   `SNOWFLAKE_<KEY>` (e.g. `SNOWFLAKE_PASSWORD`);
 * - a file other users may write is refused, one they may read is warned about (chmod 0600).
 *
 * Parsing, the permission check and the option normalisation are the driver's own
 * (snowflake-sdk's `toml`, `validateNoExtraPermissionsForOthersSync` and
 * `normalizeConnectionOptions`); what is added is what the driver's loader lacks: choosing the
 * name, config.toml, the environment overrides, and errors that say what to do.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normalizeConnectionOptions, toml, validateNoExtraPermissionsForOthersSync } from './driver.js';
import { DeployError } from './errors.js';
import { registerSecretsOf } from './secrets.js';

/** A connection ready for `snowflake.createConnection`. */
export interface ResolvedConnection {
  name: string;
  /** The file it was read from, or `environment` when it came only from SNOWFLAKE_* variables. */
  source: string;
  /** Driver options (camelCase), secrets included: never print this object. */
  options: Record<string, unknown>;
  account: string | null;
  user: string | null;
  role: string | null;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
  authenticator: string;
  /** Problems that do not stop the run (e.g. a file readable by other users). */
  warnings: string[];
}

export interface ConnectionRequest {
  /** `--connection NAME`; null for the default. */
  name?: string | null;
  /** Environment (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Home directory (default `os.homedir()`). */
  home?: string;
}

/** Generic SNOWFLAKE_<KEY> variables the CLI reads, lowest precedence. */
const GENERIC_KEYS = [
  'account',
  'user',
  'password',
  'role',
  'warehouse',
  'database',
  'schema',
  'authenticator',
  'host',
  'region',
  'private_key_file',
  'private_key_path',
  'private_key_file_pwd',
  'private_key_raw',
  'token',
  'token_file_path',
  'passcode',
];

/** connections.toml keys (Python connector / CLI spelling) the driver spells differently. */
const CLI_TO_DRIVER: Record<string, string> = {
  private_key_file_pwd: 'privateKeyPass',
  private_key_passphrase: 'privateKeyPass',
  private_key_raw: 'privateKey',
  private_key_path: 'privateKeyPath',
};

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The CLI's configuration directory. */
export function snowflakeHome(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return env.SNOWFLAKE_HOME && env.SNOWFLAKE_HOME.trim() !== '' ? env.SNOWFLAKE_HOME : path.join(home, '.snowflake');
}

/** Refuses a file others may write (the driver's check); warns when others may read it. */
function checkPermissions(file: string, warnings: string[]): void {
  try {
    validateNoExtraPermissionsForOthersSync(file);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const owner = /owner/i.test(msg) && !/permission/i.test(msg);
    throw new DeployError(
      'config',
      `${file} is not safe to read credentials from: ${msg.replace(/ Please .*$/, '')}`,
      owner ? `chown $USER ${file}` : `chmod 0600 ${file}  (only you may read and write it)`,
    );
  }
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o044) !== 0) warnings.push(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 0600 ${file}`);
  }
}

function parseToml(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return toml.parse(text);
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    const at = err.line !== undefined ? ` at line ${err.line}, column ${err.column ?? 0}` : '';
    throw new DeployError('config', `${file} is not valid TOML${at}: ${err.message ?? String(e)}`, `fix the file; a connection looks like:\n    [prod]\n    account = "myorg-myaccount"\n    user = "ETL_DEPLOYER"\n    authenticator = "SNOWFLAKE_JWT"\n    private_key_file = "~/.snowflake/rsa_key.p8"`);
  }
}

/** The connections defined, by name, and where; `null` when no file exists. */
export function readConnectionFiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): {
  dir: string;
  file: string | null;
  connections: Record<string, Record<string, unknown>>;
  defaultName: string | null;
  warnings: string[];
} {
  const dir = snowflakeHome(env, home);
  const connectionsFile = path.join(dir, 'connections.toml');
  const configFile = path.join(dir, 'config.toml');
  const warnings: string[] = [];
  let defaultName: string | null = null;
  let config: Record<string, unknown> | null = null;
  if (fs.existsSync(configFile)) {
    checkPermissions(configFile, warnings);
    config = parseToml(configFile);
    if (typeof config.default_connection_name === 'string') defaultName = config.default_connection_name;
  }
  if (fs.existsSync(connectionsFile)) {
    checkPermissions(connectionsFile, warnings);
    const parsed = parseToml(connectionsFile);
    const connections: Record<string, Record<string, unknown>> = {};
    for (const [k, v] of Object.entries(parsed)) if (isTable(v)) connections[k] = { ...v };
    return { dir, file: connectionsFile, connections, defaultName, warnings };
  }
  if (config) {
    const section = isTable(config.connections) ? config.connections : {};
    const connections: Record<string, Record<string, unknown>> = {};
    for (const [k, v] of Object.entries(section)) if (isTable(v)) connections[k] = { ...v };
    return { dir, file: configFile, connections, defaultName, warnings };
  }
  return { dir, file: null, connections: {}, defaultName, warnings };
}

function envKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * Resolves a connection by name, with environment overrides, into driver options.
 * @throws DeployError (kind `config`) naming the file and the fix.
 * @example
 * const c = resolveConnection({ name: 'prod' });
 * snowflake.createConnection(c.options);
 */
export function resolveConnection(req: ConnectionRequest = {}): ResolvedConnection {
  const env = req.env ?? process.env;
  const files = readConnectionFiles(env, req.home ?? os.homedir());
  const name = req.name ?? (env.SNOWFLAKE_DEFAULT_CONNECTION_NAME || null) ?? files.defaultName ?? 'default';
  const names = Object.keys(files.connections);

  const generic: Record<string, unknown> = {};
  for (const k of GENERIC_KEYS) {
    const v = env[`SNOWFLAKE_${k.toUpperCase()}`];
    if (v !== undefined && v !== '') generic[k] = v;
  }
  const prefix = `SNOWFLAKE_CONNECTIONS_${envKey(name)}_`;
  const specific: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith(prefix) && v !== undefined && v !== '') specific[k.slice(prefix.length).toLowerCase()] = v;
  }

  let section: Record<string, unknown>;
  let source: string;
  if (files.file === null) {
    if (!(generic.account || specific.account)) {
      throw new DeployError(
        'config',
        `No Snowflake connection is configured: neither ${path.join(files.dir, 'connections.toml')} nor ${path.join(files.dir, 'config.toml')} exists.`,
        `create ${path.join(files.dir, 'connections.toml')} with a [${name}] section (account, user, and password or private_key_file), then chmod 0600 it; ` +
          'or set SNOWFLAKE_HOME to the directory that has it; or use --local for the local runtime',
      );
    }
    section = {};
    source = 'environment';
  } else if (!(name in files.connections)) {
    if (!(specific.account)) {
      throw new DeployError(
        'config',
        `Connection '${name}' is not defined in ${files.file}. Connections found: ${names.length ? names.join(', ') : '(none)'}.`,
        names.length
          ? `pass --connection with one of: ${names.join(', ')}` + (req.name ? '' : ` (or set SNOWFLAKE_DEFAULT_CONNECTION_NAME / default_connection_name)`)
          : `add a [${name}] section to ${files.file}`,
      );
    }
    section = {};
    source = 'environment';
  } else {
    section = files.connections[name] as Record<string, unknown>;
    source = files.file;
  }

  const merged: Record<string, unknown> = { ...section };
  for (const [k, v] of Object.entries(generic)) if (merged[k] === undefined) merged[k] = v;
  Object.assign(merged, specific);
  registerSecretsOf(merged);

  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged)) renamed[CLI_TO_DRIVER[k] ?? k] = v;
  const options = normalizeConnectionOptions(renamed);
  if (typeof options.privateKeyPath === 'string' && options.privateKeyPath.startsWith('~')) {
    options.privateKeyPath = path.join(req.home ?? os.homedir(), options.privateKeyPath.slice(1));
  }
  // The driver needs the key-pair authenticator named; connections.toml files often leave it implied.
  if (!options.authenticator && (options.privateKeyPath || options.privateKey)) options.authenticator = 'SNOWFLAKE_JWT';
  registerSecretsOf(options);

  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    name,
    source,
    options,
    account: str(options.account),
    user: str(options.username),
    role: str(options.role),
    warehouse: str(options.warehouse),
    database: str(options.database),
    schema: str(options.schema),
    authenticator: str(options.authenticator) ?? 'SNOWFLAKE',
    warnings: files.warnings,
  };
}

/** `snowflake account X as USER (role R, connection N)`: for logs, no secret. */
export function describeConnection(c: ResolvedConnection): string {
  return `snowflake account ${c.account ?? '?'} as ${c.user ?? '?'} (${c.role ? `role ${c.role}, ` : ''}connection ${c.name}, ${c.authenticator.toLowerCase()} auth)`;
}
