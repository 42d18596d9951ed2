/**
 * Overloads and verification through the real driver, with SHOW PROCEDURES answered in both
 * documented forms of an argument with a default: the reconcile procedure is found, nothing is
 * dropped, and no invalid `DROP PROCEDURE …(DEFAULT BOOLEAN, …)` is ever sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployMain } from '../../scripts/deploy.js';
import { capture, snowflakeHome } from './support.js';
import { fakeConnection, fakeEndpoint, type FakeEndpoint } from './fake-endpoint.js';

let endpoint: FakeEndpoint | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

const PROCS: Record<string, (form: 'suffix' | 'prefix') => string> = {
  SYNC_PIPELINE_RUN_HISTORY_PROC: () => 'SYNC_PIPELINE_RUN_HISTORY_PROC() RETURN VARIANT',
  HYBRID_SYNC_TABLE: () => 'HYBRID_SYNC_TABLE(OBJECT) RETURN VARIANT',
  RECONCILE_PIPELINE_RUN_HISTORY_PROC: (f) => `RECONCILE_PIPELINE_RUN_HISTORY_PROC(${f === 'prefix' ? 'DEFAULT BOOLEAN, DEFAULT BOOLEAN' : 'BOOLEAN DEFAULT, BOOLEAN DEFAULT'}) RETURN VARIANT`,
};

describe.each(['prefix', 'suffix'] as const)('SHOW PROCEDURES with the %s DEFAULT form', (form) => {
  it('an existing deployment is verified, and nothing is dropped', async () => {
    endpoint = await fakeEndpoint({
      answer: (sql) => {
        const proc = /^SHOW PROCEDURES LIKE '(\w+)'/.exec(sql)?.[1];
        if (proc && PROCS[proc]) return { rows: [{ name: proc, is_builtin: 'N', arguments: (PROCS[proc] as (f: typeof form) => string)(form) }] };
        if (/^SHOW TASKS/.test(sql)) return { rows: [{ name: 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', state: 'started' }] };
        if (/^SELECT COUNT/.test(sql)) return { rows: [{ N: '3' }] };
        return { rows: [] };
      },
    });
    const io = capture();
    const code = await deployMain(['--connection', 'fake'], io, { SNOWFLAKE_HOME: snowflakeHome({ 'connections.toml': { text: fakeConnection(endpoint.port) } }) });
    expect(io.text()).toContain('procedures present');
    expect(code).toBe(0);
    expect(endpoint.statements.filter((s) => s.startsWith('DROP PROCEDURE'))).toEqual([]);
  });
});
