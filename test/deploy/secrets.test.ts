/** No password, token or key in anything deploy or status print. */
import { afterEach, describe, expect, it } from 'vitest';
import { describeConnection, resolveConnection } from '../../scripts/lib/connections.js';
import { DeployError, mapSqlError } from '../../scripts/lib/errors.js';
import { clearSecrets, redact } from '../../scripts/lib/secrets.js';
import { snowflakeHome } from './support.js';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu', '-----END PRIVATE KEY-----'].join('\n');

afterEach(() => clearSecrets());

describe('redaction', () => {
  it('masks every secret of a loaded connection, wherever it appears', () => {
    const home = snowflakeHome({
      'connections.toml': { text: `[c]\naccount = "a"\nuser = "u"\ntoken = "tok-ABCDEF-123456"\nprivate_key_raw = """${PEM}"""\nprivate_key_file_pwd = "kp-Pass-Phrase"\n` },
    });
    const c = resolveConnection({ name: 'c', env: { SNOWFLAKE_HOME: home } });
    const text = `token tok-ABCDEF-123456, passphrase kp-Pass-Phrase, key ${PEM}, one line ${PEM.split('\n')[1]}`;
    const out = redact(text);
    for (const secret of ['tok-ABCDEF-123456', 'kp-Pass-Phrase', PEM.split('\n')[1] as string, PEM.split('\n')[2] as string]) expect(out).not.toContain(secret);
    expect(describeConnection(c)).toBe('snowflake account a as u (connection c, snowflake_jwt auth)');
  });

  it("masks secret-looking text it was never told about (the driver's own detector)", () => {
    expect(redact('login failed: password=Unregistered-Secret-1')).not.toContain('Unregistered-Secret-1');
  });

  it('every DeployError message and fix is redacted, including mapped driver errors', () => {
    const home = snowflakeHome({ 'connections.toml': { text: '[c]\naccount = "a"\nuser = "u"\npassword = "Hunter2-Hunter2"\n' } });
    resolveConnection({ name: 'c', env: { SNOWFLAKE_HOME: home } });
    const e = mapSqlError({ code: '001003', message: "syntax error line 1 at position 7 unexpected 'Hunter2-Hunter2'" }, { sql: "ALTER USER u SET PASSWORD = 'Hunter2-Hunter2'" });
    expect(e).toBeInstanceOf(DeployError);
    expect(e.message).toContain('syntax error');
    expect(e.message).not.toContain('Hunter2-Hunter2');
    expect(new DeployError('sql', 'x Hunter2-Hunter2', 'y Hunter2-Hunter2').fix).toBe('y ****');
  });
});
