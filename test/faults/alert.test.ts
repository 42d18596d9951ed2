/**
 * End to end: dist/ installed as built, dist/alerts.sql included, on a driven clock. A failed
 * sync run makes the alert's next evaluation record exactly one email (SYSTEM$SEND_EMAIL is
 * recorded in `sf.emails`, not sent); healthy runs record none.
 *
 * https://docs.snowflake.com/en/user-guide/alerts: the condition runs on the alert's schedule,
 * and the action runs when it returns a row.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distSql, insertRows, openWorld, syncTable, type World } from '../support/sim-world.js';

const ALERT = 'ETL_PIPELINE_SYNC_ALERT';
const TASK = 'SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION';
const MINUTE = 60_000;

/** Integration, recipients and lag as dist/alerts.sql passes them to the alert's action. */
function distAction(): { integration: string; recipients: string[]; lag: number } {
  const m = /CALL "HYBRID_SYNC_ALERT_NOTIFY"\('([^']*)', '([^']*)', (\d+)\)/.exec(distSql('alerts'));
  if (!m) throw new Error('dist/alerts.sql: no CALL "HYBRID_SYNC_ALERT_NOTIFY"(integration, recipients, lag) found');
  return { integration: m[1] as string, recipients: (m[2] as string).split(',').map((r) => r.trim()), lag: Number(m[3]) };
}

/** The alert's evaluations, oldest first. */
function alertStates(w: World): string[] {
  return w.admin
    .execute(`SELECT STATE FROM TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => '${ALERT}')) ORDER BY SCHEDULED_TIME`)
    .rows.map((r) => String(r[0]));
}

describe('dist/alerts.sql on the local runtime', () => {
  let w: World;
  beforeEach(() => {
    w = openWorld();
    // Installed after the rest of dist/ (it reads the ETL_PIPELINE_SYNC_STATUS view); it resumes itself.
    w.sf.executeScript(distSql('alerts'), w.admin);
  });
  afterEach(() => w?.sf.close());

  it('installs the alert resumed, on its 5-minute schedule', () => {
    expect(w.sf.alerts.stateOf(ALERT)).toBe('started');
    expect(w.sf.alerts.nextRunOf(ALERT)?.getTime()).toBe(w.clock.now().getTime() + 5 * MINUTE);
  });

  it('a failed sync run: the next evaluation records exactly one email with the dist subject; a healthy run after it, none', () => {
    insertRows(w.admin, 1, 5, '2026-03-01 00:00:00.000000', 'ok', 1_000_000);
    syncTable(w.admin);
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    expect(w.sf.emails).toEqual([]);

    w.sf.faults.failNth(/^MERGE/i, 1, { message: 'Injected: warehouse suspended' });
    expect(() => syncTable(w.admin)).toThrow(/warehouse suspended/);
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    expect(w.sf.emails).toHaveLength(1);
    const { integration, recipients } = distAction();
    expect(w.sf.emails[0]).toMatchObject({ integration, recipients, session: `alert:${ALERT}`, at: w.clock.now() });
    expect(w.sf.emails[0]?.subject).toBe('hybrid-sync: 1 sync needs attention: ETL_PIPELINE_RUN_HISTORY_LOG');
    expect(w.sf.emails[0]?.body).toMatch(/^ETL_PIPELINE_RUN_HISTORY_LOG: last run FAILED: .*warehouse suspended/);

    // Still failing at the next evaluations: the same incident, no second email.
    w.sf.faults.failNth(/^MERGE/i, 1, { message: 'Injected: warehouse suspended' });
    expect(() => syncTable(w.admin)).toThrow(/warehouse suspended/);
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    expect(w.sf.emails).toHaveLength(1);

    // Recovered: the action forgets the incident (no email), and the condition goes quiet.
    syncTable(w.admin);
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    expect(w.sf.emails).toHaveLength(1);
    expect(alertStates(w)).toEqual(['CONDITION_FALSE', 'TRIGGERED', 'TRIGGERED', 'TRIGGERED', 'CONDITION_FALSE']);

    // A failure after the recovery is a new incident: a new email.
    w.sf.faults.failNth(/^MERGE/i, 1, { message: 'Injected: again' });
    expect(() => syncTable(w.admin)).toThrow(/again/);
    w.clock.advance(5 * MINUTE);
    w.sf.tasks.tick();
    expect(w.sf.emails).toHaveLength(2);
    expect(w.sf.emails[1]?.body).toContain('Injected: again');
  });

  for (const failAtMinute of [null, 10] as const) {
    it(`driven only by the scheduler (dist task every minute, alert every 5): ${failAtMinute === null ? 'healthy runs send no email' : 'one failed task run sends one email'}`, () => {
      w.admin.execute(`ALTER TASK ${TASK} RESUME`);
      insertRows(w.admin, 1, 3, '2026-03-01 00:00:00.000000', 'ok', 1_000_000);
      for (let minute = 1; minute <= 15; minute++) {
        w.clock.advance(MINUTE);
        // Tasks due at a time run before alerts due then, so minute 10's alert sees minute 10's run.
        if (minute === failAtMinute) w.sf.faults.failNth(/^MERGE/i, 1);
        w.sf.tasks.tick();
        if (minute % 4 === 0) insertRows(w.admin, 100 + minute, 1, `2026-03-01 00:${String(minute).padStart(2, '0')}:00.000000`, 'more');
      }
      const runs = w.admin
        .execute(`SELECT STATE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => '${TASK}')) ORDER BY SCHEDULED_TIME`)
        .rows.map((r) => String(r[0]));
      expect(runs).toHaveLength(15);
      expect(runs.filter((s) => s === 'FAILED')).toHaveLength(failAtMinute === null ? 0 : 1);
      if (failAtMinute === null) {
        expect(alertStates(w)).toEqual(['CONDITION_FALSE', 'CONDITION_FALSE', 'CONDITION_FALSE']);
        expect(w.sf.emails).toEqual([]);
      } else {
        // The evaluation after the recovery clears the incident (TRIGGERED, no email).
        expect(alertStates(w)).toEqual(['CONDITION_FALSE', 'TRIGGERED', 'TRIGGERED']);
        expect(w.sf.emails.map((e) => [e.subject, e.at.toISOString()])).toEqual([['hybrid-sync: 1 sync needs attention: ETL_PIPELINE_RUN_HISTORY_LOG', '2026-03-01T00:10:00.000Z']]);
      }
    });
  }
});
