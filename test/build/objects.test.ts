import { describe, expect, it } from 'vitest';
import { alertScript, copyGrantsOnViews, DEFAULT_ALERT, DEFAULT_TASK, tablesScript, taskScript, validateAlertSchedule, validateSchedule, viewsScript } from '../../build/objects.js';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';

describe('task schedules', () => {
  it.each(['1 MINUTE', '5 minutes', '10 SECONDS', '2 HOURS', 'USING CRON */15 * * * * UTC', 'USING CRON 0 3 * * * America/Los_Angeles'])(
    'accepts %j',
    (s) => expect(() => validateSchedule(s)).not.toThrow(),
  );
  it.each(['every minute', '0 MINUTE', '1 SECONDS', '9 SECONDS', 'USING CRON * * * UTC', "1 MINUTE'; DROP TABLE X; --"])(
    'rejects %j naming the accepted forms',
    (s) => expect(() => validateSchedule(s)).toThrow(/'N MINUTE'.*USING CRON/),
  );
});

describe('alert schedules', () => {
  it('take only minutes (1..11520) or CRON', () => {
    expect(validateAlertSchedule('5 MINUTES')).toBe('5 MINUTE');
    expect(validateAlertSchedule('USING CRON 0 * * * * UTC')).toBe('USING CRON 0 * * * * UTC');
    for (const bad of ['30 SECONDS', '1 HOUR', '11521 MINUTE', '0 MINUTE']) expect(() => validateAlertSchedule(bad)).toThrow(/alerts take/);
    expect(() => alertScript({ ...DEFAULT_ALERT, schedule: '30 SECONDS' })).toThrow(/alerts take/);
  });
  it('rejects a recipient that is not an email address', () => {
    expect(() => alertScript({ ...DEFAULT_ALERT, recipients: ["x'); DROP TABLE Y; --"] })).toThrow(/not an email address/);
  });
});

describe('the task', () => {
  it('is suspended, changed in place (CREATE OR ALTER keeps grants) and resumed, on a warehouse or serverless', () => {
    const sql = taskScript(DEFAULT_TASK);
    expect(sql.indexOf('SUSPEND;')).toBeLessThan(sql.indexOf('CREATE OR ALTER TASK'));
    expect(sql.indexOf('CREATE OR ALTER TASK')).toBeLessThan(sql.indexOf('RESUME;'));
    expect(sql).not.toContain('CREATE OR REPLACE TASK');
    expect(sql).toContain('WAREHOUSE = "COMPUTE_WH"');
    const serverless = taskScript({ ...DEFAULT_TASK, warehouse: null });
    expect(serverless).toContain("USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL'");
    expect(serverless).not.toContain('WAREHOUSE =');
  });
  it('says OVERLAP_POLICY = NO_OVERLAP, not the deprecated ALLOW_OVERLAPPING_EXECUTION, and retries only when asked', () => {
    const sql = taskScript(DEFAULT_TASK);
    expect(sql).toContain('  OVERLAP_POLICY = NO_OVERLAP\n');
    expect(sql).not.toContain('ALLOW_OVERLAPPING_EXECUTION');
    expect(sql).not.toContain('TASK_AUTO_RETRY_ATTEMPTS');
    expect(taskScript({ ...DEFAULT_TASK, retryAttempts: 2 })).toContain('  TASK_AUTO_RETRY_ATTEMPTS = 2\n');
    expect(() => taskScript({ ...DEFAULT_TASK, retryAttempts: 1.5 })).toThrow(/retryAttempts/);
  });
});

describe('views', () => {
  it('keep their grants when replaced: COPY GRANTS on every CREATE OR REPLACE VIEW, once', () => {
    const sql = copyGrantsOnViews(viewsScript(PIPELINE_RUN_HISTORY));
    const replaced = sql.match(/^CREATE OR REPLACE VIEW .*$/gm) ?? [];
    expect(replaced.length).toBeGreaterThan(0);
    for (const line of replaced) expect(line).toMatch(/^CREATE OR REPLACE VIEW "\w+" COPY GRANTS COMMENT = /);
    expect(copyGrantsOnViews(sql)).toBe(sql);
    expect(copyGrantsOnViews('SELECT 1;')).toBe('SELECT 1;');
  });
});

describe('table DDL', () => {
  const ddl = tablesScript(PIPELINE_RUN_HISTORY);
  it('puts DEFAULT before NOT NULL, as Snowflake documents the column syntax', () => {
    expect(ddl).toContain('"LAST_UPDATE_DATE" TIMESTAMP_NTZ(9) DEFAULT SYSDATE() NOT NULL');
  });
  it('indexes the watermark column of the source only (no query reads the replica by it), and never gives the replica defaults', () => {
    expect(ddl.match(/INDEX "IDX_ETL_PIPELINE_RUN_HISTORY_LOG(_REPLICATION)?_LAST_UPDATE_DATE" \("LAST_UPDATE_DATE"\)/g)).toEqual(['INDEX "IDX_ETL_PIPELINE_RUN_HISTORY_LOG_LAST_UPDATE_DATE" ("LAST_UPDATE_DATE")']);
    const replica = ddl.slice(ddl.indexOf('"ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" ('));
    expect(replica.slice(0, replica.indexOf(';'))).not.toContain('DEFAULT');
  });
});
