/**
 * connections.toml / config.toml as the Snowflake CLI reads them: which file, which name,
 * environment overrides, option normalisation, permissions, and the errors users hit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../scripts/lib/connections.js';
import { DeployError } from '../../scripts/lib/errors.js';
import { clearSecrets, redact } from '../../scripts/lib/secrets.js';
import { snowflakeHome } from './support.js';

const TWO = `
[default]
account = "myorg-dev"
user = "DEV_USER"
password = "dev-Secret-1"

[prod]
account = "myorg-prod"
user = "ETL_DEPLOYER"
role = "ETL_ROLE"
warehouse = "ETL_WH"
authenticator = "SNOWFLAKE_JWT"
private_key_file = "/keys/rsa_key.p8"
private_key_file_pwd = "key-Passphrase-9"
`;

function fails(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DeployError);
    return e as DeployError;
  }
  throw new Error('expected a DeployError');
}

afterEach(() => clearSecrets());

describe('choosing the connection', () => {
  it('uses --connection, and normalises CLI option names to the driver', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO } });
    const c = resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } });
    expect(c.source).toBe(path.join(home, 'connections.toml'));
    expect([c.account, c.user, c.role, c.warehouse, c.authenticator]).toEqual(['myorg-prod', 'ETL_DEPLOYER', 'ETL_ROLE', 'ETL_WH', 'SNOWFLAKE_JWT']);
    expect(c.options).toMatchObject({ account: 'myorg-prod', username: 'ETL_DEPLOYER', privateKeyPath: '/keys/rsa_key.p8', privateKeyPass: 'key-Passphrase-9' });
  });

  it('falls back to SNOWFLAKE_DEFAULT_CONNECTION_NAME, then "default"', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO } });
    expect(resolveConnection({ env: { SNOWFLAKE_HOME: home, SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod' } }).name).toBe('prod');
    expect(resolveConnection({ env: { SNOWFLAKE_HOME: home } }).account).toBe('myorg-dev');
  });

  it('reads [connections.NAME] and default_connection_name from config.toml when there is no connections.toml', () => {
    const home = snowflakeHome({
      'config.toml': { text: 'default_connection_name = "ci"\n\n[connections.ci]\naccount = "myorg-ci"\nuser = "CI"\nauthenticator = "PROGRAMMATIC_ACCESS_TOKEN"\ntoken = "pat-Token-123456"\n' },
    });
    const c = resolveConnection({ env: { SNOWFLAKE_HOME: home } });
    expect([c.name, c.account, c.authenticator]).toEqual(['ci', 'myorg-ci', 'PROGRAMMATIC_ACCESS_TOKEN']);
    expect(c.options.token).toBe('pat-Token-123456');
  });

  it('infers the key-pair authenticator from private_key_file', () => {
    const home = snowflakeHome({ 'connections.toml': { text: '[kp]\naccount = "a"\nuser = "u"\nprivate_key_file = "/k.p8"\n' } });
    expect(resolveConnection({ name: 'kp', env: { SNOWFLAKE_HOME: home } }).authenticator).toBe('SNOWFLAKE_JWT');
  });

  it('environment: SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> beats the file, which beats SNOWFLAKE_<KEY>', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO } });
    const c = resolveConnection({
      name: 'default',
      env: { SNOWFLAKE_HOME: home, SNOWFLAKE_CONNECTIONS_DEFAULT_PASSWORD: 'from-Env-Specific', SNOWFLAKE_USER: 'GENERIC_USER', SNOWFLAKE_ROLE: 'GENERIC_ROLE' },
    });
    expect(c.options.password).toBe('from-Env-Specific');
    expect(c.user).toBe('DEV_USER');
    expect(c.role).toBe('GENERIC_ROLE');
  });

  it('with no file, a connection can come from SNOWFLAKE_* variables alone', () => {
    const home = snowflakeHome({});
    const c = resolveConnection({ env: { SNOWFLAKE_HOME: home, SNOWFLAKE_ACCOUNT: 'myorg-env', SNOWFLAKE_USER: 'U', SNOWFLAKE_PASSWORD: 'env-Password-1' } });
    expect([c.source, c.account, c.user]).toEqual(['environment', 'myorg-env', 'U']);
  });

  it('registers every secret for redaction', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO } });
    resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } });
    resolveConnection({ name: 'default', env: { SNOWFLAKE_HOME: home } });
    expect(redact('a key-Passphrase-9 and dev-Secret-1 here')).toBe('a **** and **** here');
  });
});

describe('errors users hit', () => {
  it('unknown connection name: lists the names found', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO } });
    const e = fails(() => resolveConnection({ name: 'staging', env: { SNOWFLAKE_HOME: home } }));
    expect(e.kind).toBe('config');
    expect(e.message).toContain("Connection 'staging' is not defined in " + path.join(home, 'connections.toml'));
    expect(e.message).toContain('Connections found: default, prod');
    expect(e.fix).toContain('--connection with one of: default, prod');
  });

  it('missing connections.toml: names both files it looked for and the ways out', () => {
    const home = snowflakeHome({});
    const e = fails(() => resolveConnection({ env: { SNOWFLAKE_HOME: home } }));
    expect(e.kind).toBe('config');
    expect(e.message).toContain(path.join(home, 'connections.toml'));
    expect(e.message).toContain(path.join(home, 'config.toml'));
    expect(e.fix).toMatch(/chmod 0600.*SNOWFLAKE_HOME.*--local/s);
  });

  it.skipIf(process.platform === 'win32')('a connections.toml others may write is refused, with chmod 0600 as the fix', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO, mode: 0o666 } });
    const e = fails(() => resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } }));
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/writable by group or others/);
    expect(e.fix).toContain(`chmod 0600 ${path.join(home, 'connections.toml')}`);
  });

  it.skipIf(process.platform === 'win32')('a connections.toml others may read is used, with a warning', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO, mode: 0o644 } });
    const c = resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } });
    expect(c.warnings).toEqual([`${path.join(home, 'connections.toml')} is readable by other users (mode 644); run: chmod 0600 ${path.join(home, 'connections.toml')}`]);
  });

  it('invalid TOML: where, and what a connection looks like', () => {
    const home = snowflakeHome({ 'connections.toml': { text: '[prod]\naccount = "a"\nuser = \n' } });
    const e = fails(() => resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } }));
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/is not valid TOML at line 3/);
  });

  it('the secrets of a refused file never appear in the error', () => {
    const home = snowflakeHome({ 'connections.toml': { text: TWO, mode: 0o666 } });
    const e = fails(() => resolveConnection({ name: 'prod', env: { SNOWFLAKE_HOME: home } }));
    expect(e.message).not.toContain('key-Passphrase-9');
    expect(fs.existsSync(home)).toBe(true);
  });
});
