/**
 * Overloads and verification through the real driver, with SHOW PROCEDURES answered in both
 * documented forms of an argument with a default: the reconcile procedure is found, nothing is
 * dropped, and no invalid `DROP PROCEDURE …(DEFAULT BOOLEAN, …)` is ever sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployMain } from '../../scripts/deploy.js';
import { capture, shownProcedure, snowflakeHome } from './support.js';
import { fakeConnection, fakeEndpoint, type FakeEndpoint } from './fake-endpoint.js';

let endpoint: FakeEndpoint | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

describe.each(['prefix', 'suffix'] as const)('SHOW PROCEDURES with the %s DEFAULT form', (form) => {
  it('an existing deployment is verified, and nothing is dropped', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => {
        const proc = /^SHOW PROCEDURES LIKE '(\w+)'/.exec(sql)?.[1];
        if (proc) return { rows: [shownProcedure(proc, form)] };
        const task = /^SHOW TASKS LIKE '(\w+)'/.exec(sql)?.[1];
        if (task) return { rows: [{ name: task, state: 'started' }] };
        if (/^SELECT COUNT/.test(sql)) return { rows: [{ N: '3' }] };
        return { rows: [] };
      },
    });
    const io = capture();
    const code = await deployMain(['--connection', 'fake'], io, { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(endpoint.port) } }) });
    expect(io.text()).toContain('procedures present');
    expect(code).toBe(0);
    // The reconcile procedure's arguments have defaults: the form under test was really shown.
    expect(shownProcedure('RECONCILE_PIPELINE_RUN_HISTORY_PROC', form).arguments).toBe(
      form === 'prefix' ? 'RECONCILE_PIPELINE_RUN_HISTORY_PROC(DEFAULT BOOLEAN, DEFAULT BOOLEAN) RETURN VARIANT' : 'RECONCILE_PIPELINE_RUN_HISTORY_PROC(BOOLEAN DEFAULT, BOOLEAN DEFAULT) RETURN VARIANT',
    );
    expect(endpoint.statements.filter((s) => s.startsWith('DROP PROCEDURE'))).toEqual([]);
  });
});
