/**
 * The deploy: a plan of statements taken from dist/ as built (pure, so every input error
 * surfaces before a connection is opened), and the runner that executes it through any
 * SqlClient with a step-by-step log, then verifies the end state.
 *
 * Order, and why:
 *  1. session context   USE DATABASE / SCHEMA / WAREHOUSE (CREATE HYBRID TABLE needs a running warehouse)
 *  2. pre-flight        reads only: an existing source is a hybrid table with the configured columns and
 *                       a watermark index; the tasks' current state (to restore it on failure)
 *  3. suspend tasks     nothing calls the procedures while they are replaced
 *  4. tables            CREATE HYBRID TABLE IF NOT EXISTS (and whatever else dist/ says for tables and
 *                       sequences, e.g. ALTER TABLE … ADD COLUMN IF NOT EXISTS): existing data is kept
 *  5. procedures        overloads with another signature dropped (SHOW PROCEDURES), then CREATE OR REPLACE … COPY GRANTS
 *  6. views             CREATE OR REPLACE VIEW … COPY GRANTS
 *  7. tasks             CREATE OR ALTER TASK (created or changed suspended, grants kept), ALTER TASK … RESUME
 *  8. alert             only with --alert-integration
 *  9. verify            SHOW TASKS: started; SHOW PROCEDURES: each signature; control table readable
 * 10. run now           EXECUTE TASK, then its TASK_HISTORY row and the control rows it wrote
 *
 * A statement is taken from dist/ byte for byte; only a task's or the alert's settings lines
 * (warehouse, schedule, …) and the alert's integration, recipients and lag are set from options.
 * If a step fails, the error says which steps were applied and which not, and the tasks deploy
 * suspended are resumed as they were; running deploy again finishes the job.
 */
import type { DistPreflight } from '../../manifest/format.js';
import { tokenPattern } from '../../manifest/format.js';
import { NAMES } from '../../manifest/objects.js';
import { canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import type { DeployOptions } from './deploy-options.js';
import { setProperties, type LoadedDist, type LoadedObject } from './dist-manifest.js';
import { DeployError } from './errors.js';
import { checkErrorIntegration, preflight, type PreflightResult } from './preflight.js';
import { argumentTypes, sameTypes } from './procedures.js';
import { col, type SqlClient } from './sql-client.js';
import { objectConstant, resolveSyncs, staleSyncTasks, statusSources, statusViewWith, syncTasks, type ResolvedSync } from './sync-deploy.js';
import type { SyncFile } from './sync-file.js';

/** Where a plan step comes from. */
export type StepId = 'context' | 'preflight' | 'suspend' | 'tables' | 'procedures' | 'views' | 'tasks' | 'alert';

/** One step of the plan. */
export interface PlanStep {
  id: StepId;
  title: string;
  statements: string[];
}

/** A task deploy installs: its three statements, with the options applied. */
export interface PlannedTask {
  name: string;
  /** The config file's section, for a sync's task. */
  sync?: string;
  /** A sync's task: its COMMENT, whose hash says whether the installed task is the same. */
  comment?: string;
  suspend: string;
  create: string;
  resume: string;
}

/** Everything deploy will do, decided before connecting. */
export interface DeployPlan {
  steps: PlanStep[];
  /** Procedures of step `procedures` (their overloads are checked at run time). */
  procedures: LoadedObject[];
  tasks: PlannedTask[];
  /** The task --run-now executes. */
  syncTask: string;
  controlTable: string;
  preflight: DistPreflight;
  createIndex: boolean;
  /** --error-integration, checked to be a queue integration before anything changes. */
  errorIntegration: string | null;
  /** Placeholders in the SQL for what only the connection would tell (dry run without one). */
  placeholders: string[];
  /** The config file's syncs; their tasks join `tasks` once pre-flight has read their tables. */
  syncs: SyncPlan | null;
}

/** What deploy needs to add a config file's syncs once their tables are read. */
export interface SyncPlan {
  file: SyncFile;
  /** dist/'s task statements the syncs' tasks are made from. */
  templates: { sync: string; reconcile: string };
  /** dist/'s status view, whose M part is filled with the syncs' sources. */
  statusView: string;
  /** A sync's task warehouse: its own, serverless (null), or the deployment's (undefined). */
  warehouseFor(w: string | null | undefined): string | null;
  errorIntegration: string | null;
  taskRetries: number;
  prune: boolean;
  /** Filled by pre-flight. */
  resolved: ResolvedSync[];
  /** Tasks of syncs no longer in the file (dropped with --prune). */
  stale: string[];
}

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

/** A warehouse: a name, serverless (`null`), or unknown in a dry run without a connection. */
export type WarehouseChoice = string | null | { placeholder: string };

/** The settings of deploy that the plan needs, after the connection filled the defaults. */
export interface PlanInput {
  options: DeployOptions;
  /** The tasks' warehouse: `null` = serverless. */
  warehouse: WarehouseChoice;
  /** The warehouse deploy's own statements run on (USE WAREHOUSE); null = leave the session's. */
  sessionWarehouse: WarehouseChoice;
  dist: LoadedDist;
}

const isPlaceholder = (w: WarehouseChoice): w is { placeholder: string } => typeof w === 'object' && w !== null;

/**
 * Builds the plan.
 * @throws DeployError of kind `input` for any value the SQL builders reject.
 */
export function planDeploy(input: PlanInput): DeployPlan {
  const { options: o, dist } = input;
  const placeholders: string[] = [];
  try {
    const wh = (w: WarehouseChoice): string | null => {
      if (w === null) return null;
      if (isPlaceholder(w)) {
        if (!placeholders.includes(w.placeholder)) placeholders.push(w.placeholder);
        return w.placeholder;
      }
      return quoteName(w, 'warehouse name');
    };
    const taskWarehouse = wh(input.warehouse);
    const context: string[] = [];
    if (o.database) context.push(`USE DATABASE ${quoteName(o.database, 'database name')}`);
    if (o.schema) context.push(`USE SCHEMA ${quoteName(o.schema, 'schema name')}`);
    const session = wh(input.sessionWarehouse);
    if (session) context.push(`USE WAREHOUSE ${session}`);

    const installed = (x: LoadedObject): boolean =>
      x.installed === 'always' || (x.installed === 'with --reconcile' && o.reconcile) || (x.installed === 'with --alert-integration' && o.alert !== null);
    // With a config file, its syncs replace the shipped pair: the shared tables, procedures and
    // views are installed, the shipped pair's own tables and tasks are not.
    const seedOnly = new Set<string>([NAMES.source, NAMES.replica, NAMES.syncTask, NAMES.reconcileTask]);
    const objects = dist.objects.filter(installed).filter((x) => o.syncFile === null || !seedOnly.has(x.name));
    const ofKind = (...kinds: string[]): LoadedObject[] => objects.filter((x) => kinds.includes(x.kind));
    const all = (xs: LoadedObject[]): string[] => xs.flatMap((x) => x.sql.map((s) => s.sql));
    const one = (x: LoadedObject, action: RegExp): string => {
      const s = x.sql.find((q) => action.test(q.action));
      if (!s) throw new DeployError('dist', `dist/${x.file} has no ${String(action)} statement for ${x.kind} ${x.name}.`, 'run npm run build:proc');
      return s.sql;
    };

    const tasks: PlannedTask[] = ofKind('task').map((t) => {
      const set: Record<string, string | null> = {
        WAREHOUSE: taskWarehouse,
        USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE: taskWarehouse === null ? "'XSMALL'" : null,
        ERROR_INTEGRATION: o.errorIntegration ? quoteName(o.errorIntegration, 'integration name') : null,
        TASK_AUTO_RETRY_ATTEMPTS: o.taskRetries > 0 ? String(o.taskRetries) : null,
      };
      if (t.name === NAMES.syncTask) {
        set.SCHEDULE = sqlString(o.schedule);
        set.SUSPEND_TASK_AFTER_NUM_FAILURES = String(o.suspendAfterFailures);
      }
      if (t.name === NAMES.reconcileTask) set.SCHEDULE = sqlString(o.reconcileSchedule);
      return { name: t.name, suspend: one(t, /^ALTER TASK SUSPEND$/), create: setProperties(one(t, /^CREATE /), set), resume: one(t, /^ALTER TASK RESUME$/) };
    });

    const steps: PlanStep[] = [];
    if (context.length) steps.push({ id: 'context', title: 'session context', statements: context });
    steps.push({ id: 'preflight', title: 'pre-flight checks (reads only)', statements: [] });
    const syncTaskNames = (o.syncFile?.syncs ?? []).flatMap((x) => (x.reconcileSchedule ? [x.taskName, x.reconcileTaskName] : [x.taskName]));
    steps.push({ id: 'suspend', title: `suspend ${[...tasks.map((t) => t.name), ...syncTaskNames].join(', ')} (those that exist)`, statements: tasks.map((t) => t.suspend) });
    const tableObjects = ofKind('table', 'sequence');
    steps.push({ id: 'tables', title: `tables and sequences (IF NOT EXISTS: existing data and run history kept): ${tableObjects.map((x) => x.name).join(', ')}`, statements: all(tableObjects) });
    const procedures = ofKind('procedure');
    steps.push({ id: 'procedures', title: `procedures: ${procedures.map((p) => p.name).join(', ')}`, statements: all(procedures) });
    const views = ofKind('view');
    let syncs: SyncPlan | null = null;
    if (o.syncFile) {
      const template = (name: string): string => {
        const t = dist.objects.find((x) => x.name === name);
        if (!t) throw new DeployError('dist', `dist/ has no task ${name} to make the syncs' tasks from.`, 'run npm run build:proc');
        return one(t, /^CREATE /);
      };
      const statusView = dist.objects.find((x) => x.name === NAMES.statusView);
      if (!statusView) throw new DeployError('dist', `dist/ has no view ${NAMES.statusView}.`, 'run npm run build:proc');
      syncs = {
        file: o.syncFile,
        templates: { sync: template(NAMES.syncTask), reconcile: template(NAMES.reconcileTask) },
        statusView: one(statusView, /^CREATE /),
        warehouseFor: (w) => (w === undefined ? taskWarehouse : w === null ? null : quoteName(w, 'warehouse name')),
        errorIntegration: o.errorIntegration ? quoteName(o.errorIntegration, 'integration name') : null,
        taskRetries: o.taskRetries,
        prune: o.prune,
        resolved: [],
        stale: [],
      };
    }
    steps.push({ id: 'views', title: `monitoring views: ${views.map((v) => v.name).join(', ')}`, statements: all(views) });
    const where = taskWarehouse === null ? 'serverless' : `warehouse ${isPlaceholder(input.warehouse) ? taskWarehouse : canonicalName(input.warehouse as string)}`;
    const every = (t: PlannedTask): string => (t.name === NAMES.syncTask ? ` every '${o.schedule}'` : t.name === NAMES.reconcileTask ? ` '${o.reconcileSchedule}'` : '');
    const syncTitle = o.syncFile ? `; per sync: ${o.syncFile.syncs.map((x) => `${x.taskName} every '${x.schedule}'${x.reconcileSchedule ? ` (+ ${x.reconcileTaskName})` : ''}`).join(', ')}` : '';
    steps.push({ id: 'tasks', title: `tasks (${where}): ${tasks.map((t) => t.name + every(t)).join(', ')}${syncTitle}`, statements: tasks.flatMap((t) => [t.create, t.resume]) });
    const alert = ofKind('alert')[0];
    if (alert && o.alert) {
      const a = o.alert;
      let create = setProperties(one(alert, /^CREATE /), { WAREHOUSE: taskWarehouse, SCHEDULE: sqlString(a.schedule) });
      const values: Record<string, string> = { integration: sqlString(canonicalName(a.integration)), recipients: sqlString(a.recipients.join(',')), lagSeconds: String(a.lagSeconds) };
      for (const p of alert.parameters ?? []) {
        const found = create.split(tokenPattern(p.token)).length - 1;
        if (found !== p.count) throw new DeployError('dist', `dist/${alert.file}: the alert holds ${p.token} ${found} times, the manifest says ${p.count}.`, 'run npm run build:proc');
        create = create.replace(tokenPattern(p.token), values[p.name] as string);
      }
      if (o.syncFile) create = perSyncAlertLag(create, a.lagSeconds, o.syncFile);
      steps.push({ id: 'alert', title: `alert ${alert.name} via ${canonicalName(a.integration)}`, statements: [create, ...alert.sql.filter((s) => s.action.startsWith('ALTER')).map((s) => s.sql)] });
    }
    return {
      steps,
      procedures,
      tasks,
      syncTask: NAMES.syncTask,
      controlTable: NAMES.control,
      preflight: dist.preflight,
      createIndex: o.createIndex,
      errorIntegration: o.errorIntegration,
      placeholders,
      syncs,
    };
  } catch (e) {
    if (e instanceof DeployError) throw e;
    throw new DeployError('input', (e as Error).message, 'fix the option named above');
  }
}

/**
 * The alert of a config file's deployment: each sync judged by its own `alert_lag_seconds`. The
 * condition looks with the lowest limit; the action gets every sync's limit as LAG_BY_SYNC.
 */
function perSyncAlertLag(create: string, lagSeconds: number, file: SyncFile): string {
  const lowest = Math.min(lagSeconds, ...file.syncs.map((x) => x.alertLagSeconds));
  const condition = `LAG_SECONDS > ${lagSeconds} OR SECONDS_SINCE_SUCCESS > ${lagSeconds}`;
  const call = new RegExp(`(CALL "${NAMES.notifyProcedure}"\\('(?:[^']|'')*', '(?:[^']|'')*', )${lagSeconds}\\)`);
  if (!create.includes(condition) || !call.test(create)) {
    throw new DeployError('dist', `dist/alerts.sql: the alert's condition or its CALL of ${NAMES.notifyProcedure} is not in the form deploy fills for a config file.`, 'run npm run build:proc');
  }
  const limits = Object.fromEntries(file.syncs.map((x) => [x.syncName, x.alertLagSeconds]));
  return create
    .replace(condition, `LAG_SECONDS > ${lowest} OR SECONDS_SINCE_SUCCESS > ${lowest}`)
    .replace(call, (_m, head: string) => `${head}${lagSeconds}, ${objectConstant(limits)})`);
}

/** Receives progress; the CLI prints it, tests collect it. */
export interface DeployReporter {
  step(index: number, total: number, title: string): void;
  /** A statement about to be sent (dry run prints these). */
  statement(sql: string): void;
  stepDone(index: number, summary: string, ms: number): void;
  info(line: string): void;
  /** Still waiting for `what` after `seconds`. */
  waiting(what: string, seconds: number): void;
}

/** The outcome, for the CLI and tests. */
export interface DeployResult {
  statements: number;
  droppedOverloads: string[];
  preflight: PreflightResult | null;
  verified: { tasks: Array<{ name: string; state: string }>; procedures: string[]; controlRows: number | null } | null;
  runNow: { state: string; error: string | null; controlRows: Array<Record<string, unknown>> } | null;
  ms: number;
}

/** How long to wait for one statement, and how often to say so. */
export interface Patience {
  statementTimeoutMs: number;
  progressMs: number;
}

export const DEFAULT_PATIENCE: Patience = { statementTimeoutMs: 300_000, progressMs: 5_000 };

const now = (): number => performance.now();
const firstLine = (sql: string): string => (sql.trim().split('\n')[0] as string).slice(0, 120);

/**
 * Waits for `promise`, calling `waiting` every `progressMs`, and gives up after `timeoutMs` with
 * a DeployError of kind `timeout` naming the step and the statement.
 */
async function patiently<T>(promise: Promise<T>, what: { step: string; sql: string }, p: Patience, waiting: (what: string, s: number) => void): Promise<T> {
  const started = Date.now();
  let ticker: NodeJS.Timeout | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        ticker = setInterval(() => waiting(`${what.step}: ${firstLine(what.sql)}`, Math.round((Date.now() - started) / 1000)), p.progressMs);
        timer = setTimeout(
          () =>
            reject(
              new DeployError(
                'timeout',
                `No answer after ${Math.round(p.statementTimeoutMs / 1000)} s to: ${firstLine(what.sql)}. The statement may still finish in Snowflake.`,
                'check the warehouse is running and not queued (SHOW WAREHOUSES) and the query history for the statement; re-run the same command (deploy is idempotent), with a longer --statement-timeout if the statement is just slow',
              ),
            ),
          p.statementTimeoutMs,
        );
      }),
    ]);
  } finally {
    if (ticker) clearInterval(ticker);
    if (timer) clearTimeout(timer);
  }
}

/**
 * Runs the plan through `client`. A failing statement throws a DeployError that says which step
 * failed, which steps were applied and which not, and whether the tasks deploy suspended were
 * resumed; re-running deploy is safe and finishes the job.
 */
export async function runDeploy(
  client: SqlClient,
  plan: DeployPlan,
  options: Pick<DeployOptions, 'runNow' | 'runNowTimeout'>,
  report: DeployReporter,
  patience: Patience = DEFAULT_PATIENCE,
): Promise<DeployResult> {
  const started = now();
  let count = 0;
  const dropped: string[] = [];
  let currentStep = '';
  const run = async (sql: string): Promise<Array<Record<string, unknown>>> => {
    report.statement(sql);
    count++;
    return (await patiently(client.query(sql), { step: currentStep, sql }, patience, report.waiting)).rows;
  };
  const total = plan.steps.length + 1 + (options.runNow ? 1 : 0);
  const applied: string[] = [];
  /** Tasks that were started before deploy; deploy suspends them and must leave them started. */
  const wasStarted = new Set<string>();
  const resumed = new Set<string>();
  /** Sync tasks installed exactly as planned and started: not touched. */
  const unchanged = new Set<string>();
  let pre: PreflightResult | null = null;
  let index = 0;
  for (const step of plan.steps) {
    index++;
    currentStep = step.title;
    report.step(index, total, step.title);
    const t0 = now();
    let summary = `${step.statements.length} statement${step.statements.length === 1 ? '' : 's'}`;
    let done = 0;
    try {
      if (step.id === 'preflight') {
        if (plan.syncs) {
          pre = { sourceExists: true, extraStatements: [], notes: [] };
          await addSyncs(run, plan, plan.syncs, client.dryRun, pre);
        } else {
          pre = await preflight(run, plan.preflight, { createIndex: plan.createIndex, dryRun: client.dryRun, errorIntegration: plan.errorIntegration });
        }
        for (const t of plan.tasks) {
          const rows = await run(`SHOW TASKS LIKE ${sqlString(t.name)} IN SCHEMA`);
          const row = rows.find((r) => String(col(r, 'name')).toUpperCase() === t.name);
          if (row && String(col(row, 'state')) === 'started') {
            wasStarted.add(t.name);
            // A sync's task whose statement is the same (its comment carries the hash) is left
            // running: re-deploying an unchanged file changes nothing.
            if (t.comment !== undefined && String(col(row, 'comment') ?? '') === t.comment) unchanged.add(t.name);
          }
        }
        for (const n of pre.notes) report.info(n);
        summary = plan.syncs ? `${plan.syncs.file.syncs.length} sync(s) of ${plan.syncs.file.path} checked` : pre.sourceExists ? 'source checked' : 'nothing to check yet';
      } else if (step.id === 'suspend') {
        // The syncs' tasks joined the plan in pre-flight.
        for (const t of plan.tasks) {
          if (unchanged.has(t.name)) continue;
          await run(t.suspend);
          done++;
        }
        if (unchanged.size) summary = `${done} suspended; ${unchanged.size} unchanged and left running`;
      } else if (step.id === 'tables') {
        const first = client.dryRun ? [] : await sequenceAboveOldRuns(run);
        for (const sql of [...first, ...step.statements, ...(pre?.extraStatements ?? [])]) {
          await run(sql);
          done++;
        }
      } else if (step.id === 'procedures') {
        for (const p of plan.procedures) {
          // CREATE OR REPLACE replaces only the overload with the same argument types; an older
          // version with other types would stay callable, so drop it.
          const rows = await run(`SHOW PROCEDURES LIKE ${sqlString(p.name)} IN SCHEMA`);
          for (const r of rows) {
            if (String(col(r, 'name') ?? '').toUpperCase() !== p.name || String(col(r, 'is_builtin') ?? 'N') === 'Y') continue;
            const types = argumentTypes(String(col(r, 'arguments') ?? ''));
            if (!sameTypes(types, p.argTypes ?? [])) {
              await run(`DROP PROCEDURE IF EXISTS ${quoteName(p.name, 'procedure name')}(${types.join(', ')})`);
              dropped.push(`${p.name}(${types.join(', ')})`);
            }
          }
          for (const s of p.sql) await run(s.sql);
          done++;
        }
        summary = `${plan.procedures.length} created or replaced` + (dropped.length ? `, dropped older ${dropped.join(', ')}` : '');
      } else if (step.id === 'views' && plan.syncs) {
        for (const sql of step.statements) {
          await run(sql === plan.syncs.statusView && plan.syncs.resolved.length > 0 ? statusViewWith(sql, statusSources(plan.syncs.resolved)) : sql);
          done++;
        }
      } else if (step.id === 'tasks') {
        for (const t of plan.tasks) {
          if (unchanged.has(t.name)) continue;
          await run(t.create);
          await run(t.resume);
          resumed.add(t.name);
          done++;
        }
        summary = `${done} task${done === 1 ? '' : 's'} created or altered, and resumed` + (unchanged.size ? `; ${unchanged.size} unchanged: ${[...unchanged].join(', ')}` : '');
        if (plan.syncs && plan.syncs.stale.length) {
          if (plan.syncs.prune) {
            for (const name of plan.syncs.stale) await run(`DROP TASK IF EXISTS ${quoteName(name, 'task name')}`);
            summary += `; dropped ${plan.syncs.stale.join(', ')} (--prune: their syncs left ${plan.syncs.file.path}; their tables are kept)`;
          } else {
            report.info(`tasks of syncs no longer in ${plan.syncs.file.path}: ${plan.syncs.stale.join(', ')} (left as they are; --prune drops them, never their tables)`);
          }
        }
      } else {
        for (const sql of step.statements) {
          await run(sql);
          done++;
        }
      }
    } catch (e) {
      const restored = await restoreTasks(plan, wasStarted, resumed, run);
      throw failure(e, plan, index, step, done, applied, restored);
    }
    applied.push(`${index} ${step.id}`);
    report.stepDone(index, summary, now() - t0);
  }

  index++;
  currentStep = 'verify';
  report.step(index, total, 'verify');
  const t0 = now();
  let verified: DeployResult['verified'];
  try {
    verified = await verify(client, plan, run);
  } catch (e) {
    throw failure(e, plan, index, { id: 'tasks', title: 'verify', statements: [] }, 0, applied, [], true);
  }
  report.stepDone(index, verified ? `tasks ${verified.tasks.map((t) => `${t.name} ${t.state}`).join(', ')}; procedures present; control table ${verified.controlRows ?? 0} rows` : 'skipped in a dry run', now() - t0);

  let runNow: DeployResult['runNow'] = null;
  if (options.runNow) {
    index++;
    const names = plan.syncs ? plan.tasks.filter((t) => t.sync !== undefined && plan.syncs?.file.syncs.some((x) => x.taskName === t.name)).map((t) => t.name) : [plan.syncTask];
    currentStep = `run ${names.join(', ')} now`;
    report.step(index, total, currentStep);
    const failed: string[] = [];
    for (const name of names) {
      const t1 = now();
      runNow = await executeNow(client, name, plan.controlTable, options.runNowTimeout, run, (st, secs) => report.waiting(`the run of ${name} (${st})`, secs), patience.progressMs);
      report.stepDone(index, runNow ? `${plan.syncs ? `${name}: ` : ''}${runNow.state}${runNow.error ? `: ${runNow.error}` : ''}` : 'skipped in a dry run', now() - t1);
      if (runNow) for (const r of runNow.controlRows) report.info(formatControlRow(r));
      if (runNow && runNow.state !== 'SUCCEEDED') failed.push(`${plan.syncs ? `${name}'s run now` : "the task's run now"} ended ${runNow.state}${runNow.error ? `: ${runNow.error}` : ''}`);
    }
    if (failed.length) {
      throw new DeployError('verify', `Deploy succeeded, but ${failed.join('; ')}.`, `see npm run status; the error is also in ${plan.controlTable} (ERROR_MESSAGE)`);
    }
  }
  return { statements: count, droppedOverloads: dropped, preflight: pre, verified, runNow, ms: now() - started };
}

/**
 * Pre-flight of a config file's syncs: reads their tables (every problem at once), then adds
 * their replicas and source indexes to the tables step and their tasks to the plan.
 */
async function addSyncs(run: (sql: string) => Promise<Array<Record<string, unknown>>>, plan: DeployPlan, syncs: SyncPlan, dryRun: boolean, pre: PreflightResult): Promise<void> {
  if (plan.errorIntegration) await checkErrorIntegration(run, plan.errorIntegration, dryRun);
  syncs.resolved = await resolveSyncs(run, syncs.file, { dryRun, createIndex: plan.createIndex });
  for (const r of syncs.resolved) {
    pre.notes.push(...r.notes);
    if (r.createIndex) pre.extraStatements.push(r.createIndex);
    if (r.createTarget) pre.extraStatements.push(r.createTarget);
    pre.extraStatements.push(...r.addColumns);
    for (const t of syncTasks(r, syncs.templates, { warehouse: syncs.warehouseFor(r.spec.warehouse), errorIntegration: syncs.errorIntegration, taskRetries: syncs.taskRetries })) {
      plan.tasks.push(t);
    }
  }
  if (!dryRun) {
    syncs.stale = await staleSyncTasks(run, new Set(plan.tasks.map((t) => t.name)));
    // A deployment of the shipped pair keeps its task; a config file does not replace it.
    const shipped = await run(`SHOW TASKS LIKE ${sqlString(NAMES.syncTask)} IN SCHEMA`);
    if (shipped.some((r) => String(col(r, 'name')).toUpperCase() === NAMES.syncTask && String(col(r, 'state')) === 'started')) {
      pre.notes.push(
        `the shipped pair's task ${NAMES.syncTask} is still started and keeps syncing ${NAMES.source}; if a sync of ${syncs.file.path} replaces it ` +
          `(sync_name = "${NAMES.source}" continues its watermark), suspend it: ALTER TASK ${NAMES.syncTask} SUSPEND;`,
      );
    }
  }
}

/** Resumes each task that was started before deploy suspended it and that deploy did not resume. */
async function restoreTasks(plan: DeployPlan, wasStarted: Set<string>, resumed: Set<string>, run: (sql: string) => Promise<unknown>): Promise<Array<{ task: string; ok: boolean; error?: string }>> {
  const out: Array<{ task: string; ok: boolean; error?: string }> = [];
  for (const t of plan.tasks) {
    if (!wasStarted.has(t.name) || resumed.has(t.name)) continue;
    try {
      await run(t.resume);
      out.push({ task: t.name, ok: true });
    } catch (e) {
      out.push({ task: t.name, ok: false, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
    }
  }
  return out;
}

/** The error of a failed step, with the state the account is left in and how to finish. */
function failure(e: unknown, plan: DeployPlan, index: number, step: PlanStep, done: number, applied: string[], restored: Array<{ task: string; ok: boolean; error?: string }>, verifying = false): DeployError {
  const err = e instanceof DeployError ? e : new DeployError('sql', String((e as Error)?.message ?? e), '');
  const cause = err.message.split('\n  fix: ')[0];
  const later = plan.steps.slice(index).map((s, i) => `${index + 1 + i} ${s.id}`);
  const partial = done > 0 ? ` (${done} of its statements or objects were applied)` : '';
  const changed = applied.some((a) => !/ (context|preflight)$/.test(a)) || done > 0;
  const lines = [`at step ${index} '${verifying ? 'verify' : step.id}': ${cause}`];
  if (verifying) {
    lines.push(`  state: applied ${applied.join(', ')}; the end state is not as it should be (above).`);
  } else if (!changed) {
    lines.push('  state: nothing was changed.');
  } else {
    lines.push(`  state: applied ${applied.join(', ')}; not applied: ${index} ${step.id}${partial}${later.length ? ', ' + later.join(', ') : ''}, verify.`);
  }
  for (const r of restored) {
    lines.push(
      r.ok
        ? `  task ${r.task}, suspended by step 'suspend', was resumed: it runs again, with what is installed now.`
        : `  task ${r.task}, suspended by step 'suspend', could NOT be resumed (${r.error}); it stays suspended until deploy succeeds or: ALTER TASK ${quoteName(r.task, 'task name')} RESUME;`,
    );
  }
  const fix = `${err.fix ? err.fix + '; then ' : ''}re-run the same command: every step is idempotent, so it finishes the job`;
  return new DeployError(err.kind, lines.join('\n'), fix, err.code);
}

async function verify(client: SqlClient, plan: DeployPlan, run: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<DeployResult['verified']> {
  const tasks: Array<{ name: string; state: string }> = [];
  for (const t of plan.tasks) {
    // IN SCHEMA: a task of the same name in another schema of the database must not count.
    const rows = await run(`SHOW TASKS LIKE ${sqlString(t.name)} IN SCHEMA`);
    if (client.dryRun) continue;
    const row = rows.find((r) => String(col(r, 'name')).toUpperCase() === t.name);
    const state = row ? String(col(row, 'state')) : 'missing';
    if (state !== 'started') {
      throw new DeployError('task-resume', `Task ${t.name} is ${state} after deploy, not started.`, `check SHOW TASKS LIKE '${t.name}' and run ALTER TASK ${t.name} RESUME (the owner role needs EXECUTE TASK ON ACCOUNT, granted by ACCOUNTADMIN)`);
    }
    tasks.push({ name: t.name, state });
  }
  const present: string[] = [];
  for (const p of plan.procedures) {
    const rows = await run(`SHOW PROCEDURES LIKE ${sqlString(p.name)} IN SCHEMA`);
    if (client.dryRun) continue;
    if (!rows.some((r) => sameTypes(argumentTypes(String(col(r, 'arguments') ?? '')), p.argTypes ?? []))) {
      throw new DeployError('verify', `Procedure ${p.signature ?? p.name} is not present after deploy.`, 'check SHOW PROCEDURES and that the deploy role owns the procedure');
    }
    present.push(p.name);
  }
  const rows = await run(`SELECT COUNT(*) AS N FROM ${quoteTable(plan.controlTable)}`);
  if (client.dryRun) return null;
  return { tasks, procedures: present, controlRows: Number(col(rows[0], 'N') ?? 0) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The TASK_HISTORY query for the run EXECUTE TASK queued. SCHEDULED_FROM is spelled
 * `EXECUTE TASK` by some accounts and `EXECUTE_TASK` on the TASK_HISTORY page
 * (https://docs.snowflake.com/en/sql-reference/functions/task_history): accept both.
 */
export function runNowHistoryQuery(task: string, since: string): string {
  return (
    `SELECT STATE, ERROR_CODE, ERROR_MESSAGE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => ${sqlString(task)}, ` +
    `SCHEDULED_TIME_RANGE_START => DATEADD('minute', -1, ${since}), RESULT_LIMIT => 20)) ` +
    "WHERE SCHEDULED_FROM IN ('EXECUTE TASK', 'EXECUTE_TASK') ORDER BY SCHEDULED_TIME DESC LIMIT 1"
  );
}

/** EXECUTE TASK queues one run (https://docs.snowflake.com/en/sql-reference/sql/execute-task); its outcome is read from TASK_HISTORY. */
async function executeNow(
  client: SqlClient,
  name: string,
  controlTable: string,
  timeoutSeconds: number,
  run: (sql: string) => Promise<Array<Record<string, unknown>>>,
  waiting: (state: string, seconds: number) => void,
  progressMs: number,
): Promise<DeployResult['runNow']> {
  const ctl = quoteTable(controlTable);
  const lastId = await run(`SELECT COALESCE(MAX(SYNC_RUN_ID), 0) AS N FROM ${ctl}`);
  const before = Number(col(lastId[0], 'N') ?? 0);
  const since = await run('SELECT CURRENT_TIMESTAMP() AS T');
  const sinceSql = client.dryRun ? 'CURRENT_TIMESTAMP()' : `TO_TIMESTAMP_LTZ(${sqlString(tsText(col(since[0], 'T')))})`;
  await run(`EXECUTE TASK ${quoteTable(name, 'task name')}`);
  const history = runNowHistoryQuery(name, sinceSql);
  const startedAt = Date.now();
  const deadline = startedAt + timeoutSeconds * 1000;
  let lastReport = startedAt;
  let state = 'SCHEDULED';
  let error: string | null = null;
  for (;;) {
    const rows = await run(history);
    if (client.dryRun) return null;
    const row = rows[0];
    state = row ? String(col(row, 'STATE')) : 'SCHEDULED';
    error = row && col(row, 'ERROR_MESSAGE') != null ? String(col(row, 'ERROR_MESSAGE')) : null;
    if (!['SCHEDULED', 'EXECUTING'].includes(state) || Date.now() > deadline) break;
    if (Date.now() - lastReport >= progressMs) {
      lastReport = Date.now();
      waiting(state, Math.round((lastReport - startedAt) / 1000));
    }
    await sleep(Math.min(2000, progressMs));
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

/**
 * An upgrade of a deployment made before run ids came from a sequence: the control table has
 * rows, and the sequence, created `IF NOT EXISTS … START = 1` by dist/, would hand out their ids
 * again. Created first, above them, dist/'s own statement leaves it as it is. Empty when the
 * control table does not exist or is empty (a new deployment), or when the sequence exists.
 */
async function sequenceAboveOldRuns(run: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<string[]> {
  const tables = await run(`SHOW TABLES LIKE ${sqlString(NAMES.control)} IN SCHEMA`);
  if (!tables.some((r) => String(col(r, 'name')).toUpperCase() === NAMES.control)) return [];
  const rows = await run(`SELECT TO_VARCHAR(MAX(SYNC_RUN_ID)) AS M FROM ${quoteTable(NAMES.control)}`);
  const max = rows[0] ? col(rows[0], 'M') : null;
  if (max === null || max === undefined) return [];
  return [`CREATE SEQUENCE IF NOT EXISTS ${quoteTable(NAMES.runIdSequence)} START = ${(BigInt(String(max)) + 1n).toString()} ORDER`];
}
