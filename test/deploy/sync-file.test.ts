/**
 * hybrid-sync.toml: what it accepts, the defaults it fills, and every problem reported at once
 * with its line and fix, before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { DeployError } from '../../scripts/lib/errors.js';
import { parseSyncFile } from '../../scripts/lib/sync-file.js';

const problemsOf = (text: string): string => {
  try {
    parseSyncFile(text, 'hs.toml');
  } catch (e) {
    expect(e).toBeInstanceOf(DeployError);
    expect((e as DeployError).kind).toBe('input');
    return (e as DeployError).message;
  }
  throw new Error('expected the file to be refused');
};

describe('a valid file', () => {
  it('fills each sync from [defaults], then the built-in defaults; the section names the sync and its tasks', () => {
    const f = parseSyncFile(
      `[defaults]
warehouse = "ETL_WH"
schedule = "2 MINUTES"
lookback_seconds = 120

[sync.orders]
source = "ANALYTICS.ETL.ORDERS"
target = "ANALYTICS.ETL.ORDERS_REPLICA"
watermark = "UPDATED_AT"

[sync.customers]
source = 'CRM."Customers"'
target = 'CRM."Customers_Replica"'
watermark = '"LastUpdate"'
key = ['"CustomerId"']
deletes = "soft:IS_DELETED"
schedule = "USING CRON */5 * * * * UTC"
batch_size = 5000
serverless = true
reconcile_schedule = "off"
`,
      'hs.toml',
    );
    expect(f.deployOptions).toEqual({ warehouse: 'ETL_WH' });
    const [orders, customers] = f.syncs;
    expect(orders).toMatchObject({
      section: 'orders',
      syncName: 'orders',
      line: 6,
      source: 'ANALYTICS.ETL.ORDERS',
      watermark: 'UPDATED_AT',
      key: null,
      columns: null,
      deletes: { mode: 'none' },
      schedule: '2 MINUTES',
      warehouse: undefined,
      lookbackSeconds: 120,
      batchSize: 100000,
      leaseSeconds: 900,
      reconcileSchedule: 'USING CRON 0 3 * * * UTC',
      taskName: 'HYBRID_SYNC_ORDERS',
      reconcileTaskName: 'HYBRID_SYNC_ORDERS_RECONCILE',
    });
    expect(customers).toMatchObject({
      key: ['"CustomerId"'],
      deletes: { mode: 'soft', column: 'IS_DELETED' },
      schedule: 'USING CRON */5 * * * * UTC',
      batchSize: 5000,
      warehouse: null,
      reconcileSchedule: null,
      taskName: 'HYBRID_SYNC_CUSTOMERS',
    });
  });

  it('takes deploy options from [defaults]: alert integration and recipients, database and schema', () => {
    const f = parseSyncFile(
      `[defaults]
alert_integration = "OPS_EMAIL"
alert_emails = ["a@example.com", "b@example.com"]
database = "ANALYTICS"
schema = "ETL"
task_retries = 2
[sync.a]
source = "A"
target = "B"
watermark = "W"
`,
      'hs.toml',
    );
    expect(f.deployOptions).toEqual({ 'alert-integration': 'OPS_EMAIL', 'alert-email': ['a@example.com', 'b@example.com'], database: 'ANALYTICS', schema: 'ETL', 'task-retries': '2' });
  });
});

describe('a file with problems', () => {
  it('reports every problem at once, each with its line and a fix, in line order', () => {
    const msg = problemsOf(`[defaults]
schedul = "1 MINUTE"
lookback_seconds = -5

[sync.orders]
source = "ORDERS"
target = "ORDERS"
watermark = "UPDATED_AT"
deletes = "hard"

[sync.customers]
target = "C_REPLICA"
watermark = 5
batch_size = 0
`);
    expect(msg).toMatch(/^hs\.toml has 7 problems; nothing was sent:/);
    const lines = msg.split('\n').filter((l) => /^ {2}hs\.toml:\d+:/.test(l));
    expect(lines.map((l) => Number(/:(\d+):/.exec(l)?.[1]))).toEqual([2, 3, 7, 9, 11, 13, 14]);
    expect(msg).toContain("hs.toml:2: unknown key 'schedul' in [defaults]");
    expect(msg).toContain("did you mean 'schedule'?");
    expect(msg).toMatch(/hs\.toml:3: lookback_seconds in \[defaults\] must be a whole number of seconds from 0 to 604800, got -5/);
    expect(msg).toContain('hs.toml:7: target is the source itself (ORDERS)');
    expect(msg).toContain('hs.toml:9: deletes in [sync.orders] must be "none", "reconcile" or "soft:COLUMN", got "hard"');
    expect(msg).toContain('hs.toml:11: [sync.customers] has no source');
    expect(msg).toContain('hs.toml:13: watermark must be a string');
    expect(msg).toContain('hs.toml:14: batch_size in [sync.customers] must be a whole number >= 1, got 0');
    // Each problem is followed by its fix.
    expect(msg.split('\n').filter((l) => /^ {6}fix: /.test(l))).toHaveLength(7);
  });

  it('names the line and column of a TOML syntax error', () => {
    expect(problemsOf('[sync.a]\nsource = = "A"\ntarget = "B"\n')).toMatch(/^hs\.toml:2:\d+: not valid TOML/);
  });

  it('refuses two syncs that would write one replica, share a task or share a watermark', () => {
    const msg = problemsOf(`[sync.a]
source = "S1"
target = "R"
watermark = "W"
[sync.b]
source = "S2"
target = "r"
watermark = "W"
sync_name = "A"
[sync.A]
source = "S3"
target = "R3"
watermark = "W"
`);
    expect(msg).toContain('hs.toml:5: sync.b and sync.a (line 1) both write r');
    expect(msg).toContain('hs.toml:5: sync.b and sync.a (line 1) share the sync name A');
    expect(msg).toContain('hs.toml:10: sync.A and sync.a (line 1) would both install task HYBRID_SYNC_A');
  });

  it('checks listed columns against the key, the watermark and the soft-delete column', () => {
    const msg = problemsOf(`[sync.a]
source = "S"
target = "R"
watermark = "W"
key = ["ID"]
columns = ["NAME"]
deletes = "soft:GONE"
`);
    expect(msg).toContain('columns does not list the watermark W');
    expect(msg).toContain('columns does not list the key column ID');
    expect(msg).toContain('the soft-delete column GONE is not in columns');
  });

  it('refuses names that are not identifiers, unknown sections, a bad schedule, an unknown time zone, and a file without syncs', () => {
    expect(problemsOf('[sync.a]\nsource = "X; DROP TABLE Y"\ntarget = "R"\nwatermark = "W"\n')).toMatch(/hs\.toml:2: source: invalid table name/);
    expect(problemsOf('[sync."my sync"]\nsource = "S"\ntarget = "R"\nwatermark = "W"\n')).toContain("sync name 'my sync' cannot name a task");
    expect(problemsOf('[default]\nschedule = "1 MINUTE"\n')).toMatch(/hs\.toml:1: unknown section \[default\].*\n.*did you mean 'defaults'/);
    expect(problemsOf('[sync.a]\nsource = "S"\ntarget = "R"\nwatermark = "W"\nschedule = "every minute"\n')).toMatch(/hs\.toml:5: schedule in \[sync\.a\]/);
    expect(problemsOf('[sync.a]\nsource = "S"\ntarget = "R"\nwatermark = "W"\nreconcile_schedule = "USING CRON 0 3 * * * Mars/Base"\n')).toMatch(/hs\.toml:5: reconcile_schedule in \[sync\.a\]: unknown time zone/);
    expect(problemsOf('[defaults]\nschedule = "1 MINUTE"\n')).toContain('hs.toml defines no sync');
  });
});
