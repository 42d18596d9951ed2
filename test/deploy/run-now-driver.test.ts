/**
 * --run-now reads the run EXECUTE TASK queued from TASK_HISTORY, whose SCHEDULED_FROM the
 * TASK_HISTORY page spells `EXECUTE_TASK` and accounts have shown as `EXECUTE TASK`. The stand-in
 * endpoint applies the query's SCHEDULED_FROM filter as Snowflake would, to a history row in
 * each spelling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployMain } from '../../scripts/deploy.js';
import { capture, shownProcedure, snowflakeHome } from './support.js';
import { fakeConnection, fakeEndpoint, type Answer, type FakeEndpoint } from './fake-endpoint.js';

let endpoint: FakeEndpoint | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

/** The rows whose SCHEDULED_FROM passes the query's `= '…'` or `IN ('…', …)` filter. */
function filterScheduledFrom(sql: string, rows: Array<Record<string, string | null>>): Array<Record<string, string | null>> {
  const m = /SCHEDULED_FROM\s*(=|IN)\s*(\('[^)]*'\)|'[^']*')/i.exec(sql);
  if (!m) return rows;
  const allowed = [...(m[2] as string).matchAll(/'([^']*)'/g)].map((x) => x[1]);
  return rows.filter((r) => allowed.includes(r.SCHEDULED_FROM ?? ''));
}

describe.each(['EXECUTE_TASK', 'EXECUTE TASK'])('a run now recorded with SCHEDULED_FROM = %j', (from) => {
  it('is found: deploy reports it SUCCEEDED and exits 0', async () => {
    const history = [{ STATE: 'SUCCEEDED', ERROR_CODE: null, ERROR_MESSAGE: null, SCHEDULED_FROM: from }];
    endpoint = await fakeEndpoint({
      answer: (sql): Answer => {
        if (/TASK_HISTORY/.test(sql)) return { rows: filterScheduledFrom(sql, history), columns: ['STATE', 'ERROR_CODE', 'ERROR_MESSAGE'] };
        const task = /^SHOW TASKS LIKE '(\w+)'/.exec(sql)?.[1];
        if (task) return { rows: [{ name: task, state: 'started' }] };
        const proc = /^SHOW PROCEDURES LIKE '(\w+)'/.exec(sql)?.[1];
        if (proc) return { rows: [shownProcedure(proc)] };
        if (/^SELECT/.test(sql)) return { rows: [{ N: '0', T: '2026-06-01 12:00:00.000 +0000' }] };
        return { rows: [] };
      },
    });
    const io = capture();
    const code = await deployMain(['--connection', 'fake', '--run-now', '--run-now-timeout', '1'], io, { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(endpoint.port) } }) });
    expect(io.text()).toMatch(/\[\d+\/\d+\] run SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION now\n\s+ok\s+SUCCEEDED/);
    expect(code).toBe(0);
  });
});

describe('a run now that takes a while', () => {
  it('shows progress while it is EXECUTING, then its outcome', async () => {
    const started = Date.now();
    endpoint = await fakeEndpoint({
      answer: (sql): Answer => {
        if (/TASK_HISTORY/.test(sql)) return { rows: [{ STATE: Date.now() - started < 2500 ? 'EXECUTING' : 'SUCCEEDED', ERROR_CODE: null, ERROR_MESSAGE: null }] };
        const task = /^SHOW TASKS LIKE '(\w+)'/.exec(sql)?.[1];
        if (task) return { rows: [{ name: task, state: 'started' }] };
        const proc = /^SHOW PROCEDURES LIKE '(\w+)'/.exec(sql)?.[1];
        if (proc) return { rows: [shownProcedure(proc)] };
        if (/^SELECT/.test(sql)) return { rows: [{ N: '0', T: '2026-06-01 12:00:00.000 +0000' }] };
        return { rows: [] };
      },
    });
    const io = capture();
    const code = await deployMain(['--connection', 'fake', '--run-now', '--run-now-timeout', '20'], io, { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(endpoint.port) } }) }, { progressMs: 300 });
    expect(io.text()).toMatch(/… waiting \d+ s for the run of SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION \(EXECUTING\)/);
    expect(io.text()).toMatch(/ok\s+SUCCEEDED/);
    expect(code).toBe(0);
  });
});
