/**
 * The deploy: a plan of statements built from build/objects.ts and the compiled procedures
 * (pure, so every input error surfaces before a connection is opened), and the runner that
 * executes it through any SqlClient with a step-by-step log, then verifies the end state.
 *
 * Order, and why:
 *  1. session context   USE DATABASE / SCHEMA / WAREHOUSE
 *  2. suspend task      nothing calls the procedure while it is replaced
 *  3. tables            CREATE HYBRID TABLE IF NOT EXISTS: existing tables and the run log are kept
 *  4. procedures        overloads with another signature dropped (SHOW PROCEDURES), then CREATE OR REPLACE
 *  5. views             CREATE OR REPLACE VIEW (monitoring)
 *  6. task              CREATE OR REPLACE TASK (created suspended), ALTER TASK … RESUME
 *  7. reconcile task / alert, when asked for
 *  8. verify            SHOW TASKS: state started; SHOW PROCEDURES: each signature present; control table readable
 *  9. run now           EXECUTE TASK, then its TASK_HISTORY row and the control rows it wrote
 */
import { alertScript, DEFAULT_RECONCILE_TASK, DEFAULT_TASK, reconcileLogScript, tablesScript, taskScript, viewsScript, type TaskOptions } from '../../build/objects.js';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import { splitStatements } from '../../local/index.js';
import type { DeployOptions } from './deploy-options.js';
import { DeployError } from './errors.js';
import { argumentTypes, sameTypes, type ProcedureSpec } from './procedures.js';
import { col, type SqlClient } from './sql-client.js';

/** One step of the plan. */
export interface PlanStep {
  id: 'context' | 'suspend' | 'tables' | 'procedures' | 'views' | 'task' | 'reconcile-task' | 'alert';
  title: string;
  statements: string[];
}

/** Everything deploy will do, decided before connecting. */
export interface DeployPlan {
  steps: PlanStep[];
  /** Procedures of step `procedures` (their overloads are checked at run time). */
  procedures: ProcedureSpec[];
  /** Tasks that must end `started`. */
  tasks: string[];
  task: TaskOptions;
  config: SyncConfig;
}

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
const statements = (script: string): string[] => splitStatements(script);

/** The settings of deploy that the plan needs, after the connection filled the defaults. */
export interface PlanInput {
  options: DeployOptions;
  /** The task's warehouse: `null` = serverless. */
  warehouse: string | null;
  procedures: ProcedureSpec[];
  config?: SyncConfig;
}

/**
 * Builds the plan.
 * @throws DeployError of kind `input` for any value the SQL builders reject.
 */
export function planDeploy(input: PlanInput): DeployPlan {
  const { options: o, warehouse } = input;
  const cfg = input.config ?? PIPELINE_RUN_HISTORY;
  try {
    const task: TaskOptions = {
      ...DEFAULT_TASK,
      warehouse,
      schedule: o.schedule,
      suspendAfterFailures: o.suspendAfterFailures,
      errorIntegration: o.errorIntegration,
    };
    const [suspend, ...createAndResume] = statements(taskScript(task));
    const context: string[] = [];
    if (o.database) context.push(`USE DATABASE ${quoteName(o.database, 'database name')}`);
    if (o.schema) context.push(`USE SCHEMA ${quoteName(o.schema, 'schema name')}`);
    if (warehouse) context.push(`USE WAREHOUSE ${quoteName(warehouse, 'warehouse name')}`);

    const steps: PlanStep[] = [];
    if (context.length) steps.push({ id: 'context', title: 'session context', statements: context });
    steps.push({ id: 'suspend', title: `suspend task ${task.name} (if it exists)`, statements: [suspend as string] });
    steps.push({ id: 'tables', title: 'tables (IF NOT EXISTS: existing data and run history kept)', statements: [...statements(tablesScript(cfg)), ...statements(reconcileLogScript())] });
    steps.push({ id: 'procedures', title: `procedures (${input.procedures.map((p) => p.name).join(', ')})`, statements: input.procedures.map((p) => p.sql.trim()) });
    steps.push({ id: 'views', title: 'monitoring views', statements: statements(viewsScript(cfg)) });
    steps.push({ id: 'task', title: `task ${task.name}: ${warehouse === null ? 'serverless' : `warehouse ${canonicalName(warehouse)}`}, SCHEDULE = '${o.schedule}'`, statements: createAndResume });
    const tasks = [task.name];
    if (o.reconcile) {
      const rt: TaskOptions = { ...DEFAULT_RECONCILE_TASK, warehouse, schedule: o.reconcileSchedule, errorIntegration: o.errorIntegration };
      steps.push({ id: 'reconcile-task', title: `reconcile task ${rt.name}: SCHEDULE = '${o.reconcileSchedule}'`, statements: statements(taskScript(rt)) });
      tasks.push(rt.name);
    }
    if (o.alert) {
      const script = alertScript(cfg, { name: 'ETL_PIPELINE_SYNC_ALERT', warehouse, integration: o.alert.integration, recipients: o.alert.recipients, lagSeconds: o.alert.lagSeconds, schedule: o.alert.schedule });
      steps.push({ id: 'alert', title: `alert ETL_PIPELINE_SYNC_ALERT via ${o.alert.integration}`, statements: statements(script) });
    }
    return { steps, procedures: input.procedures, tasks, task, config: cfg };
  } catch (e) {
    if (e instanceof DeployError) throw e;
    throw new DeployError('input', (e as Error).message, 'fix the option named above');
  }
}

/** Receives progress; the CLI prints it, tests collect it. */
export interface DeployReporter {
  step(index: number, total: number, title: string): void;
  /** A statement about to be sent (dry run prints these). */
  statement(sql: string): void;
  stepDone(index: number, summary: string, ms: number): void;
  info(line: string): void;
}

/** The outcome, for the CLI and tests. */
export interface DeployResult {
  statements: number;
  droppedOverloads: string[];
  verified: { tasks: Array<{ name: string; state: string }>; procedures: string[]; controlRows: number | null } | null;
  runNow: { state: string; error: string | null; controlRows: Array<Record<string, unknown>> } | null;
  ms: number;
}

const now = (): number => performance.now();

/**
 * Runs the plan through `client`. A failing statement throws a DeployError (kind by cause)
 * that says which step failed; earlier steps stay applied, and re-running deploy is safe.
 */
export async function runDeploy(client: SqlClient, plan: DeployPlan, options: Pick<DeployOptions, 'runNow' | 'runNowTimeout'>, report: DeployReporter): Promise<DeployResult> {
  const started = now();
  let count = 0;
  const dropped: string[] = [];
  const run = async (sql: string): Promise<Array<Record<string, unknown>>> => {
    report.statement(sql);
    count++;
    return (await client.query(sql)).rows;
  };
  const total = plan.steps.length + 1 + (options.runNow ? 1 : 0);
  let index = 0;
  for (const step of plan.steps) {
    index++;
    report.step(index, total, step.title);
    const t0 = now();
    let summary = `${step.statements.length} statement${step.statements.length === 1 ? '' : 's'}`;
    try {
      if (step.id === 'procedures') {
        for (const p of plan.procedures) {
          // CREATE OR REPLACE replaces only the overload with the same argument types; an older
          // version with other types would stay callable, so drop it.
          const rows = await run(`SHOW PROCEDURES LIKE ${sqlString(p.name)} IN SCHEMA`);
          for (const r of rows) {
            const args = String(col(r, 'arguments') ?? '');
            if (String(col(r, 'name') ?? '').toUpperCase() !== p.name || String(col(r, 'is_builtin') ?? 'N') === 'Y') continue;
            const types = argumentTypes(args);
            if (!sameTypes(types, p.argTypes)) {
              await run(`DROP PROCEDURE IF EXISTS ${quoteName(p.name, 'procedure name')}(${types.join(', ')})`);
              dropped.push(`${p.name}(${types.join(', ')})`);
            }
          }
          await run(p.sql.trim());
        }
        summary = `${plan.procedures.length} created or replaced` + (dropped.length ? `, dropped older ${dropped.join(', ')}` : '');
      } else {
        for (const sql of step.statements) await run(sql);
      }
    } catch (e) {
      throw stepFailure(e, step.title);
    }
    report.stepDone(index, summary, now() - t0);
  }

  index++;
  report.step(index, total, 'verify');
  const t0 = now();
  const verified = await verify(client, plan, run);
  report.stepDone(index, verified ? `tasks ${verified.tasks.map((t) => `${t.name} ${t.state}`).join(', ')}; procedures present; control table ${verified.controlRows ?? 0} rows` : 'skipped in a dry run', now() - t0);

  let runNow: DeployResult['runNow'] = null;
  if (options.runNow) {
    index++;
    report.step(index, total, `run ${plan.task.name} now`);
    const t1 = now();
    runNow = await executeNow(client, plan, options.runNowTimeout, run);
    report.stepDone(index, runNow ? `${runNow.state}${runNow.error ? `: ${runNow.error}` : ''}` : 'skipped in a dry run', now() - t1);
    if (runNow) for (const r of runNow.controlRows) report.info(formatControlRow(r));
    if (runNow && runNow.state !== 'SUCCEEDED') {
      throw new DeployError('verify', `Deploy succeeded, but the task's run now ended ${runNow.state}${runNow.error ? `: ${runNow.error}` : ''}.`, `see npm run status; the error is also in ${canonicalName(plan.config.controlTable)} (ERROR_MESSAGE)`);
    }
  }
  return { statements: count, droppedOverloads: dropped, verified, runNow, ms: now() - started };
}

function stepFailure(e: unknown, title: string): DeployError {
  const err = e instanceof DeployError ? e : new DeployError('sql', String((e as Error)?.message ?? e), '');
  return new DeployError(err.kind, `deploy step '${title}' failed: ${err.message.split('\n  fix: ')[0]}`, err.fix, err.code);
}

async function verify(client: SqlClient, plan: DeployPlan, run: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<DeployResult['verified']> {
  const tasks: Array<{ name: string; state: string }> = [];
  for (const name of plan.tasks) {
    // IN SCHEMA: a task of the same name in another schema of the database must not count.
    const rows = await run(`SHOW TASKS LIKE ${sqlString(canonicalName(name))} IN SCHEMA`);
    if (client.dryRun) continue;
    const row = rows.find((r) => String(col(r, 'name')).toUpperCase() === canonicalName(name));
    const state = row ? String(col(row, 'state')) : 'missing';
    if (state !== 'started') {
      throw new DeployError('task-resume', `Task ${canonicalName(name)} is ${state} after deploy, not started.`, `check SHOW TASKS LIKE '${canonicalName(name)}' and run ALTER TASK ${canonicalName(name)} RESUME (needs EXECUTE TASK ON ACCOUNT)`);
    }
    tasks.push({ name: canonicalName(name), state });
  }
  const present: string[] = [];
  for (const p of plan.procedures) {
    const rows = await run(`SHOW PROCEDURES LIKE ${sqlString(p.name)} IN SCHEMA`);
    if (client.dryRun) continue;
    if (!rows.some((r) => sameTypes(argumentTypes(String(col(r, 'arguments') ?? '')), p.argTypes))) {
      throw new DeployError('verify', `Procedure ${p.signature} is not present after deploy.`, 'check SHOW PROCEDURES and that the deploy role owns the procedure');
    }
    present.push(p.name);
  }
  const rows = await run(`SELECT COUNT(*) AS N FROM ${quoteTable(plan.config.controlTable)}`);
  if (client.dryRun) return null;
  return { tasks, procedures: present, controlRows: Number(col(rows[0], 'N') ?? 0) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** EXECUTE TASK queues one run (https://docs.snowflake.com/en/sql-reference/sql/execute-task); its outcome is read from TASK_HISTORY. */
async function executeNow(client: SqlClient, plan: DeployPlan, timeoutSeconds: number, run: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<DeployResult['runNow']> {
  const name = canonicalName(plan.task.name);
  const ctl = quoteTable(plan.config.controlTable);
  const lastId = await run(`SELECT COALESCE(MAX(SYNC_RUN_ID), 0) AS N FROM ${ctl}`);
  const before = Number(col(lastId[0], 'N') ?? 0);
  const since = await run('SELECT CURRENT_TIMESTAMP() AS T');
  const sinceSql = client.dryRun ? 'CURRENT_TIMESTAMP()' : `TO_TIMESTAMP_LTZ(${sqlString(tsText(col(since[0], 'T')))})`;
  await run(`EXECUTE TASK ${quoteTable(plan.task.name, 'task name')}`);
  const history =
    `SELECT STATE, ERROR_CODE, ERROR_MESSAGE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => ${sqlString(name)}, ` +
    `SCHEDULED_TIME_RANGE_START => DATEADD('minute', -1, ${sinceSql}), RESULT_LIMIT => 20)) ` +
    "WHERE SCHEDULED_FROM = 'EXECUTE TASK' ORDER BY SCHEDULED_TIME DESC LIMIT 1";
  const deadline = Date.now() + timeoutSeconds * 1000;
  let state = 'SCHEDULED';
  let error: string | null = null;
  for (;;) {
    const rows = await run(history);
    if (client.dryRun) return null;
    const row = rows[0];
    state = row ? String(col(row, 'STATE')) : 'SCHEDULED';
    error = row && col(row, 'ERROR_MESSAGE') != null ? String(col(row, 'ERROR_MESSAGE')) : null;
    if (!['SCHEDULED', 'EXECUTING'].includes(state) || Date.now() > deadline) break;
    await sleep(2000);
  }
  if (['SCHEDULED', 'EXECUTING'].includes(state)) {
    throw new DeployError('verify', `The run of ${name} was still ${state} after ${timeoutSeconds} s.`, 'check it later with npm run status, or pass a longer --run-now-timeout');
  }
  const controlRows = await run(
    `SELECT SYNC_RUN_ID, SYNC_STATUS, ROWS_INSERTED, ROWS_UPDATED, TO_VARCHAR(WATERMARK_TO, 'YYYY-MM-DD HH24:MI:SS.FF6') AS WATERMARK_TO, ERROR_MESSAGE FROM ${ctl} WHERE SYNC_RUN_ID > ${before} ORDER BY SYNC_RUN_ID`,
  );
  return { state, error, controlRows };
}

function tsText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') return String((v as { toJSON(): unknown }).toJSON());
  return String(v);
}

export function formatControlRow(r: Record<string, unknown>): string {
  const v = (k: string): string => (col(r, k) == null ? '-' : String(col(r, k)));
  return `  run ${v('SYNC_RUN_ID')}: ${v('SYNC_STATUS')}, ${v('ROWS_INSERTED')} inserted, ${v('ROWS_UPDATED')} updated, watermark ${v('WATERMARK_TO')}${col(r, 'ERROR_MESSAGE') ? `, error: ${v('ERROR_MESSAGE')}` : ''}`;
}
