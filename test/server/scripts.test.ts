/**
 * The project's own clients against a running local server, found through a `[local]` entry of
 * connections.toml: deploy --local and status --local (through snowflake-sdk, so the server's log
 * shows them in a client session), the deployed task firing on its schedule inside the server,
 * and the `npm run sql` shell.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../scripts/lib/driver.js';
import { startServer, type LocalServer } from '../../local/server/index.js';
import { deployMain } from '../../scripts/deploy.js';
import { statusMain } from '../../scripts/status.js';
import { sqlMain } from '../../scripts/sql.js';
import { testDistDir } from '../support/dist.js';

const PASSWORD = 'S3cret-Local-Pw';
const WRONG = 'Not-The-Pw-42';

let server: LocalServer;
let home: string;
let env: NodeJS.ProcessEnv;

function capture(): { out(l: string): void; err(l: string): void; text(): string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), text: () => lines.join('\n') };
}

beforeAll(async () => {
  // '1 MINUTE' fires every 0.25 s.
  server = await startServer({ port: 0, speedup: 240, credentials: { user: 'dev', password: PASSWORD } });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-serve-'));
  const file = path.join(home, 'connections.toml');
  fs.writeFileSync(
    file,
    `[local]\naccount = "local"\nuser = "dev"\npassword = "${PASSWORD}"\nhost = "127.0.0.1"\nport = ${server.port}\nprotocol = "http"\n\n` +
      `[wrong]\naccount = "local"\nuser = "dev"\npassword = "${WRONG}"\nhost = "127.0.0.1"\nport = ${server.port}\nprotocol = "http"\nsf_retry_max_login_retries = 0\n`,
    { mode: 0o600 },
  );
  env = { SNOWFLAKE_HOME: home };
});
afterAll(async () => {
  await server?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('deploy and status --connection local (or --local) through snowflake-sdk to a running server', () => {
  it('deploys into the server, the task fires on its schedule there, and status reads it', async () => {
    const d = capture();
    expect(await deployMain(['--connection', 'local'], d, env, { distDir: testDistDir() }), d.text()).toBe(0);
    expect(d.text()).toContain('Watch it with: npm run status -- --local');
    // Every deploy statement reached the runtime through a server session, not a private path.
    const creates = server.sf.log.matching(/^CREATE (OR REPLACE |OR ALTER )?PROCEDURE SYNC_PIPELINE_RUN_HISTORY_PROC/i);
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((e) => e.session.startsWith('client-'))).toBe(true);

    // The task calls the procedure on its own (no CALL, no EXECUTE TASK from here).
    const deadline = Date.now() + 10_000;
    while (!server.sf.log.entries.some((e) => e.session.startsWith('task:') && /^CALL "?SYNC_PIPELINE_RUN_HISTORY_PROC"?\(/i.test(e.sql)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.sf.log.entries.filter((e) => /^EXECUTE TASK/i.test(e.sql))).toEqual([]);
    expect(server.sf.log.entries.some((e) => e.session.startsWith('task:') && /^CALL "?SYNC_PIPELINE_RUN_HISTORY_PROC"?\(/i.test(e.sql))).toBe(true);

    const s = capture();
    expect(await statusMain(['--connection', 'local', '--json'], s, env), s.text()).toBe(0);
    const report = JSON.parse(s.text()) as { level: string; exitCode: number };
    expect([report.level, report.exitCode]).toEqual(['HEALTHY', 0]);
  });
});

describe('npm run sql', () => {
  it('runs -q statements on the local connection and prints an aligned table with timing', async () => {
    const io = { o: '', e: '', out(t: string) { this.o += t; }, err(t: string) { this.e += t; } };
    expect(await sqlMain(['-q', "SELECT 1 AS N, 'abc' AS LONGER_NAME UNION ALL SELECT 22, NULL ORDER BY N"], io, env), io.e).toBe(0);
    const lines = io.o.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '+----+-------------+',
      '| N  | LONGER_NAME |',
      '+----+-------------+',
      '|  1 | abc         |',
      '| 22 | NULL        |',
      '+----+-------------+',
    ]);
    expect(lines[6]).toMatch(/^2 rows in \d+(\.\d)? ms$/);
  });

  it('splits -f files like snow sql -f ($$ bodies kept whole), prints json, and stops at the first error with its code and state', async () => {
    const file = path.join(home, 'checks.sql');
    fs.writeFileSync(
      file,
      "CREATE OR REPLACE PROCEDURE SHELL_P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 'a;b'; $$;\n" +
        '-- a comment; with a semicolon\nCALL SHELL_P();\nSELECT * FROM NO_SUCH_TABLE;\nSELECT 2 AS NEVER;\n',
    );
    const io = { o: '', e: '', out(t: string) { this.o += t; }, err(t: string) { this.e += t; } };
    expect(await sqlMain(['-f', file, '--format', 'json'], io, env)).toBe(1);
    expect(JSON.parse(io.o.split('\n]\n')[1] + '\n]')).toEqual([{ SHELL_P: 'a;b' }]);
    expect(io.o).not.toContain('NEVER');
    expect(io.e).toBe("Error 002003 (42S02): SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.\n");
  });

  it('prints csv with NULL as an empty field', async () => {
    const io = { o: '', e: '', out(t: string) { this.o += t; }, err(t: string) { this.e += t; } };
    expect(await sqlMain(['-q', "SELECT 'x,\"y\"' AS A, NULL AS B, TRUE AS C", '--format', 'csv'], io, env)).toBe(0);
    expect(io.o).toBe('A,B,C\r\n"x,""y""",,TRUE\r\n');
  });

  it('fails a refused login with exit 2 and never prints the password', async () => {
    const io = { o: '', e: '', out(t: string) { this.o += t; }, err(t: string) { this.e += t; } };
    expect(await sqlMain(['--connection', 'wrong', '-q', 'SELECT 1'], io, env)).toBe(2);
    expect(io.e).toMatch(/390100|password/i);
    expect(io.o + io.e).not.toContain(WRONG);
    expect(io.o + io.e).not.toContain(PASSWORD);
  });
});
