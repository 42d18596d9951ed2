/**
 * Failure mid-way, through the real driver against a stand-in endpoint that fails on purpose:
 * a refused CREATE TASK, a CREATE PROCEDURE that never answers, a slow login, an HTTP 500 on
 * login. Each says what was applied and what not, restores the task it suspended, names the
 * step, and exits 1 only when something was sent (2 otherwise).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OBJECTS } from '../../manifest/objects.js';
import { deployMain } from '../../scripts/deploy.js';
import { capture, snowflakeHome } from './support.js';
import { fakeConnection, fakeEndpoint, type Answer, type FakeEndpoint } from './fake-endpoint.js';

const TASK = 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION';
let endpoint: FakeEndpoint | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

function env(port: number): NodeJS.ProcessEnv {
  return { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(port) } }) };
}

/** An account where the task exists and is started, and `fail` decides the rest. */
const startedTask =
  (fail: (sql: string) => Answer | null) =>
  (sql: string): Answer =>
    fail(sql) ?? (/^SHOW TASKS/.test(sql) ? { rows: [{ name: TASK, state: 'started' }] } : { rows: [] });

describe('a step fails half-way', () => {
  it('CREATE TASK refused: the message lists applied and not applied steps, and the task deploy suspended is resumed', async () => {
    endpoint = await fakeEndpoint({
      answer: startedTask((sql) => (/^CREATE OR ALTER TASK/.test(sql) ? { error: { code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on schema 'ETL'" } } : null)),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(1);
    const out = io.text();
    expect(out).toContain("deploy failed [privilege]: at step 7 'tasks': ETL_ROLE lacks a privilege while running: CREATE OR ALTER TASK");
    expect(out).toContain('state: applied 1 context, 2 preflight, 3 suspend, 4 tables, 5 procedures, 6 views; not applied: 7 tasks, verify.');
    expect(out).toContain(`task ${TASK}, suspended by step 'suspend', was resumed`);
    expect(out).toContain('re-run the same command');
    // The suspend happened before, and the restoring RESUME after, the refused statement.
    const s = endpoint.statements;
    const suspend = s.findIndex((x) => x === `ALTER TASK IF EXISTS "${TASK}" SUSPEND`);
    const refused = s.findIndex((x) => x.startsWith('CREATE OR ALTER TASK'));
    expect(suspend).toBeGreaterThan(-1);
    expect(s.slice(refused + 1)).toEqual([`ALTER TASK "${TASK}" RESUME`]);
  });

  it('a task that was suspended before deploy is not resumed by a failed deploy', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => (/^CREATE OR REPLACE VIEW/.test(sql) ? { error: { code: '002003', sqlState: '02000', message: "SQL compilation error:\nObject 'ETL_PIPELINE_SYNC_CONTROL' does not exist or not authorized." } } : /^SHOW TASKS/.test(sql) ? { rows: [{ name: TASK, state: 'suspended' }] } : { rows: [] }),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain("at step 6 'views'");
    expect(io.text()).toContain('not applied: 6 views, 7 tasks, verify.');
    expect(io.text()).not.toContain('was resumed');
    expect(endpoint.statements.filter((x) => / RESUME$/.test(x))).toEqual([]);
  });

  it('CREATE PROCEDURE never answers: progress while waiting, then a timeout naming the step and the statement, the applied steps, the task resumed; not "Could not reach"', async () => {
    endpoint = await fakeEndpoint({ hang: (sql) => sql.startsWith('CREATE OR REPLACE PROCEDURE HYBRID_SYNC_TABLE'), answer: startedTask(() => null) });
    const io = capture();
    const t0 = Date.now();
    expect(await deployMain(['--connection', 'fake', '--statement-timeout', '1'], io, env(endpoint.port), { progressMs: 300 })).toBe(1);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const out = io.text();
    expect(out).toMatch(/… waiting \d s for procedures: [A-Z_, ]+: CREATE OR REPLACE PROCEDURE HYBRID_SYNC_TABLE\(CONFIG OBJECT\)/);
    expect(out).toContain("deploy failed [timeout]: at step 5 'procedures': No answer after 1 s to: CREATE OR REPLACE PROCEDURE HYBRID_SYNC_TABLE(CONFIG OBJECT). The statement may still finish in Snowflake.");
    const before = OBJECTS.filter((o) => o.kind === 'procedure').findIndex((o) => o.name === 'HYBRID_SYNC_TABLE');
    expect(out).toContain(`state: applied 1 context, 2 preflight, 3 suspend, 4 tables; not applied: 5 procedures (${before} of its statements or objects were applied), 6 views, 7 tasks, verify.`);
    expect(out).toContain(`task ${TASK}, suspended by step 'suspend', was resumed`);
    expect(out).not.toContain('Could not reach');
    expect(out).not.toContain("check 'account'");
  });
});

describe('the login', () => {
  it('a slow login shows progress and gives up after --login-timeout: exit 2, nothing sent', async () => {
    endpoint = await fakeEndpoint({ loginDelayMs: 30_000 });
    const io = capture();
    const t0 = Date.now();
    expect(await deployMain(['--connection', 'fake', '--login-timeout', '1'], io, env(endpoint.port), { progressMs: 300 })).toBe(2);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const out = io.text();
    expect(out).toMatch(/… still logging in \(\d s; gives up after 1 s, see --login-timeout\)/);
    expect(out).toContain("deploy failed [unreachable]: No answer to the login from Snowflake account 'myorg-fake' (connection 'fake') after 1 s.");
    expect(out).toContain('no statement was sent: the account is unchanged');
    expect(endpoint.statements).toEqual([]);
  });

  it('HTTP 500 on login: says a server error answered, what to try, exit 2', async () => {
    endpoint = await fakeEndpoint({ loginHttpStatus: 500 });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(2);
    const out = io.text();
    expect(out).toContain("deploy failed [unreachable]: Snowflake account 'myorg-fake' answered to the login with HTTP 500, a server error");
    expect(out).toContain('try again in a few minutes');
    expect(out).toContain('https://status.snowflake.com');
    expect(out).not.toContain('Request to Snowflake failed.\n');
  });

  it('HTTP 403 on login: points at account, host and network policy', async () => {
    endpoint = await fakeEndpoint({ loginHttpStatus: 403 });
    const io = capture();
    expect(await deployMain(['--connection', 'fake'], io, env(endpoint.port))).toBe(2);
    expect(io.text()).toContain('answered to the login with HTTP 403');
    expect(io.text()).toContain('network policy');
  });
});

describe('an email integration passed as --error-integration', () => {
  it('is refused by pre-flight, before any change: exit 1, nothing changed, the fix', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => (/^SHOW NOTIFICATION INTEGRATIONS LIKE 'OPS_MAIL'/.test(sql) ? { rows: [{ name: 'OPS_MAIL', type: 'EMAIL', category: 'NOTIFICATION', enabled: 'true' }] } : { rows: [] }),
    });
    const io = capture();
    expect(await deployMain(['--connection', 'fake', '--error-integration', 'ops_mail'], io, env(endpoint.port))).toBe(1);
    expect(io.text()).toContain("deploy failed [preflight]: at step 2 'preflight': --error-integration OPS_MAIL is a notification integration of type EMAIL; a task's ERROR_INTEGRATION must be a queue integration");
    expect(io.text()).toContain('state: nothing was changed.');
    expect(endpoint.statements.filter((s) => /^(CREATE|ALTER|DROP)/.test(s))).toEqual([]);
  });

  it('a queue integration passes and is set on the task', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) =>
        /^SHOW NOTIFICATION INTEGRATIONS/.test(sql)
          ? { rows: [{ name: 'OPS_SNS', type: 'QUEUE - AWS_SNS', category: 'NOTIFICATION', enabled: 'true' }] }
          : /^SHOW TASKS LIKE '(\w+)'/.test(sql)
            ? { rows: [{ name: /'(\w+)'/.exec(sql)?.[1] ?? '', state: 'started' }] }
            : { rows: [] },
    });
    const io = capture();
    await deployMain(['--connection', 'fake', '--error-integration', 'ops_sns'], io, env(endpoint.port));
    expect(endpoint.statements.find((s) => s.startsWith(`CREATE OR ALTER TASK "${TASK}"`))).toContain('  ERROR_INTEGRATION = "OPS_SNS"\n');
  });
});
