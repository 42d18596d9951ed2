/**
 * Deploy of a config file's syncs (`--config hybrid-sync.toml`): what deploy reads about each
 * pair before it changes anything, and the statements it adds for each.
 *
 * For every `[sync.NAME]`:
 *  - reads `DESCRIBE TABLE` of the source: the key (its primary key, unless `key` is set), the
 *    columns (all of them, unless `columns` is set), the watermark's type; and of the replica;
 *  - on a hybrid source, `SHOW INDEXES`: a run reads the source by watermark range, so an index
 *    must lead with the watermark (`--create-index` adds it);
 *  - creates the replica when missing: a hybrid table with the source's columns, types and key;
 *  - installs task `HYBRID_SYNC_<NAME>` calling `HYBRID_SYNC_TABLE(<the sync's CONFIG>)` on its
 *    schedule, and `HYBRID_SYNC_<NAME>_RECONCILE` calling `HYBRID_SYNC_RECONCILE` (repairing
 *    mismatched buckets; deleting replica rows whose key left the source when `deletes = "reconcile"`);
 *  - the status view reads every sync's source for its lag.
 *
 * Every problem of every sync is reported at once, before anything is changed.
 */
import { sourceMaxSelect, type StatusSource } from '../../manifest/status-sources.js';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import type { WatermarkType } from '../../procedure/sql.js';
import { createHash } from 'node:crypto';
import { setProperties } from './dist-manifest.js';
import { DeployError } from './errors.js';
import { indexColumns } from './preflight.js';
import { fits, wideningFix } from '../../procedure/schema.js';
import { col } from './sql-client.js';
import { SYNC_TASK_COMMENT, SYNC_TASK_PREFIX, type FileSync, type SyncFile } from './sync-file.js';

type Run = (sql: string) => Promise<Array<Record<string, unknown>>>;

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

/** A column as DESCRIBE TABLE reports it. */
export interface DescribedColumn {
  /** As stored: `ORDER_ID`, or `Region` for a quoted mixed-case name. */
  name: string;
  type: string;
  nullable: boolean;
  primaryKey: boolean;
}

/** A sync with what deploy read about its tables. */
export interface ResolvedSync {
  spec: FileSync;
  /** The CONFIG its task passes to HYBRID_SYNC_TABLE / HYBRID_SYNC_RECONCILE. */
  config: SyncConfig;
  watermarkType: WatermarkType;
  /** `CREATE HYBRID TABLE` of the missing replica, or null when it exists. */
  createTarget: string | null;
  /** `CREATE INDEX` on the source's watermark (with --create-index), or null. */
  createIndex: string | null;
  /** `ALTER TABLE … ADD COLUMN` for columns the source gained since the replica was made, and `… SET DATA TYPE` for columns it widened. */
  addColumns: string[];
  notes: string[];
}

/** A column name as the CONFIG and SQL write it: bare when Snowflake would store it so, else double-quoted. */
export function identifierOf(stored: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(stored) ? stored : `"${stored.replace(/"/g, '""')}"`;
}

/** The sync's CONFIG for HYBRID_SYNC_TABLE, with the deployment's shared tables. */
function configOf(s: FileSync, key: string[], columns: string[]): SyncConfig {
  return {
    ...PIPELINE_RUN_HISTORY,
    sourceTable: s.source,
    targetTable: s.target,
    syncName: s.syncName,
    keyColumns: key,
    watermarkColumn: s.watermark,
    columns,
    lookbackSeconds: s.lookbackSeconds,
    batchSize: s.batchSize,
    maxBatches: s.maxBatches,
    leaseSeconds: s.leaseSeconds,
    // A listed subset of columns leaves the others alone; all of the source's (the default) means a new one stops the sync until re-deployed.
    ...(s.columns !== null ? { allowExtraColumns: true } : {}),
  };
}

/**
 * Reads each sync's tables and decides what deploy adds for it. In a dry run nothing is read:
 * columns and key not listed in the file are shown as placeholders.
 * @throws DeployError `preflight` listing every sync that cannot be deployed as it is.
 */
export async function resolveSyncs(run: Run, file: SyncFile, o: { dryRun: boolean; createIndex: boolean }): Promise<ResolvedSync[]> {
  const out: ResolvedSync[] = [];
  const problems: string[] = [];
  // Every sync shares the deployment's control and state tables, and a transaction cannot span
  // hybrid tables of several databases: a table named in another database is refused here.
  const databaseOf = (t: string): string | null => {
    const parts = quoteTable(t).split('.');
    return parts.length === 3 ? canonicalName(parts[0] as string) : null;
  };
  let deployDb: string | null = null;
  if (!o.dryRun && file.syncs.some((s) => databaseOf(s.source) !== null || databaseOf(s.target) !== null)) {
    const rows = await run('SELECT CURRENT_DATABASE() AS D');
    deployDb = rows[0] && col(rows[0], 'D') != null ? String(col(rows[0], 'D')) : null;
  }
  for (const s of file.syncs) {
    const where = `[sync.${s.section}] (${file.path}:${s.line})`;
    const elsewhere = deployDb === null ? [] : [s.source, s.target].filter((t) => databaseOf(t) !== null && databaseOf(t) !== deployDb);
    if (elsewhere.length) {
      problems.push(`${where}: ${elsewhere.join(' and ')} ${elsewhere.length === 1 ? 'is' : 'are'} not in the deployment's database ${deployDb}, where the shared control and state tables are (a transaction cannot span hybrid tables of two databases): deploy with --database ${databaseOf(elsewhere[0] as string)} (or database = "…" in [defaults]), one config file per database`);
      continue;
    }
    if (o.dryRun) {
      const key = s.key ?? [`<primary key of ${canonicalName(s.source.split('.').pop() as string)}>`];
      const columns = s.columns ?? [`<columns of ${canonicalName(s.source.split('.').pop() as string)}>`];
      out.push({ spec: s, config: configOf(s, key, columns), watermarkType: 'TIMESTAMP_NTZ', createTarget: null, createIndex: null, addColumns: [], notes: [`${where}: DESCRIBE TABLE ${quoteTable(s.source)} and ${quoteTable(s.target)} decide the key, the columns and whether the replica is created`] });
      continue;
    }
    const source = await describe(run, s.source);
    if (source === null) {
      problems.push(`${where}: source ${s.source} does not exist (or this role cannot see it): create it, or fix 'source'`);
      continue;
    }
    const found = (name: string): DescribedColumn | undefined => source.find((c) => c.name === canonicalName(name));
    const mine: string[] = [];
    const wm = found(s.watermark);
    if (!wm) mine.push(`the watermark column ${s.watermark} is not a column of ${s.source} (it has ${source.map((c) => identifierOf(c.name)).join(', ')})`);
    const wmType = wm ? watermarkTypeOf(wm.type) : null;
    if (wm && wmType === null) mine.push(`the watermark ${s.watermark} is ${wm.type}; a watermark must be TIMESTAMP_NTZ (holding UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ, stamped on every insert and update`);
    const key = s.key ?? source.filter((c) => c.primaryKey).map((c) => identifierOf(c.name));
    if (key.length === 0) mine.push(`${s.source} declares no primary key: set key = ["COLUMN", …] to the columns that identify a row`);
    for (const k of s.key ?? []) if (!found(k)) mine.push(`the key column ${k} is not a column of ${s.source}`);
    const columns = s.columns ?? source.map((c) => identifierOf(c.name));
    for (const c of s.columns ?? []) if (!found(c)) mine.push(`column ${c} is not a column of ${s.source}`);
    if (s.deletes.mode === 'soft' && !found(s.deletes.column)) mine.push(`the soft-delete column ${s.deletes.column} is not a column of ${s.source}`);
    for (const k of key) {
      const c = found(k);
      if (c && c.nullable && s.key === null) mine.push(`key column ${k} is nullable`);
    }
    const notes: string[] = [];
    const addColumns: string[] = [];
    let createIndex: string | null = null;
    if (mine.length === 0) {
      const hybrid = await isHybrid(run, s.source);
      if (hybrid) {
        const indexes = await run(`SHOW INDEXES IN TABLE ${quoteTable(s.source)}`);
        // indexColumns upper-cases what SHOW INDEXES lists, so a mixed-case watermark is compared upper-cased too.
        const serving = indexes.find((r) => indexColumns(col(r, 'columns'))[0] === canonicalName(s.watermark).toUpperCase());
        const statement = `CREATE INDEX IF NOT EXISTS ${quoteName(indexName(s))} ON ${quoteTable(s.source)} (${quoteName(s.watermark)})`;
        if (serving) notes.push(`${s.section}: source ${s.source} is a hybrid table; index ${String(col(serving, 'name'))} leads with ${s.watermark}`);
        else if (o.createIndex) {
          createIndex = statement;
          notes.push(`${s.section}: source ${s.source} has no index leading with ${s.watermark}: creating ${indexName(s)} (online)`);
        } else mine.push(`no index of the hybrid table ${s.source} leads with the watermark ${s.watermark}, so every run would scan it: re-run with --create-index, or run ${statement};`);
      } else if (hybrid === false) {
        notes.push(`${s.section}: source ${s.source} is a standard table; its range reads rely on the table's clustering by ${s.watermark}`);
      }
    }
    let createTarget: string | null = null;
    if (mine.length === 0) {
      const target = await describe(run, s.target);
      if (target === null) {
        createTarget = createReplica(s, source, key, columns);
        notes.push(`${s.section}: replica ${s.target} does not exist: creating it as a hybrid table from ${s.source}'s definition (${columns.length} columns, key ${key.join(', ')})`);
      } else {
        const added: string[] = [];
        for (const c of columns) {
          const sc = found(c) as DescribedColumn;
          const tc = target.find((x) => x.name === sc.name);
          // A column the source gained since the replica was made: added to the replica (nullable,
          // as ADD COLUMN must be on a table with rows); its rows get the values by the next
          // change of each row, or by the reconciliation task, which repairs every row that differs.
          if (!tc) added.push(`ALTER TABLE ${quoteTable(s.target)} ADD COLUMN IF NOT EXISTS ${quoteName(c)} ${sc.type}`);
          else if (!fits(sc.type, tc.type)) {
            // A source column widened (a longer VARCHAR, a NUMBER of more digits): the replica's follows.
            const widen = wideningFix(quoteTable(s.target), quoteName(c), sc.type, tc.type);
            if (widen) added.push(widen);
            else mine.push(`column ${c} is ${sc.type} in the source and ${tc.type} in the replica, which cannot hold every source value: align them, then CALL HYBRID_SYNC_RESYNC to re-merge`);
          }
        }
        if (added.length && mine.length === 0) {
          addColumns.push(...added);
          const adds = added.filter((a) => / ADD COLUMN /.test(a)).length;
          const widened = added.length - adds;
          if (adds) notes.push(`${s.section}: the source has ${adds} column(s) the replica lacks: adding them to ${s.target}; existing rows get their values at their next change, or now with EXECUTE TASK ${s.reconcileSchedule ? s.reconcileTaskName : '…'} (repairs every row that differs)`);
          if (widened) notes.push(`${s.section}: ${widened} column(s) of the source were widened: widening them in ${s.target} (ALTER COLUMN … SET DATA TYPE)`);
        }
        const tKey = target.filter((c) => c.primaryKey).map((c) => c.name).sort();
        const want = key.map((k) => canonicalName(k)).sort();
        if (tKey.length > 0 && tKey.join('\0') !== want.join('\0')) mine.push(`the replica's primary key (${tKey.join(', ')}) is not the sync's key (${want.join(', ')})`);
      }
    }
    if (mine.length) {
      problems.push(`${where}:\n      - ${mine.join('\n      - ')}`);
      continue;
    }
    out.push({ spec: s, config: configOf(s, key, columns), watermarkType: wmType as WatermarkType, createTarget, createIndex, addColumns, notes });
  }
  if (problems.length) {
    throw new DeployError('preflight', `${problems.length} sync${problems.length === 1 ? '' : 's'} of ${file.path} cannot be deployed as ${problems.length === 1 ? 'it is' : 'they are'}; nothing was changed:\n  ${problems.join('\n  ')}`, `fix the tables or ${file.path}, then run the same command again`);
  }
  return out;
}

function indexName(s: FileSync): string {
  const table = canonicalName(s.source.split('.').pop() as string).replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  return `IDX_${table}_${canonicalName(s.watermark).replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}`;
}

/** DESCRIBE TABLE, or null when the table does not exist. */
async function describe(run: Run, table: string): Promise<DescribedColumn[] | null> {
  try {
    const rows = await run(`DESCRIBE TABLE ${quoteTable(table)}`);
    return rows
      .filter((r) => String(col(r, 'kind') ?? 'COLUMN').toUpperCase() === 'COLUMN')
      .map((r) => ({
        name: String(col(r, 'name')),
        type: String(col(r, 'type')),
        nullable: String(col(r, 'null?') ?? 'Y').toUpperCase() === 'Y',
        primaryKey: String(col(r, 'primary key') ?? 'N').toUpperCase() === 'Y',
      }));
  } catch (e) {
    if (e instanceof DeployError && e.kind === 'missing-object') return null;
    throw e;
  }
}

/** Whether the table is hybrid (SHOW TABLES `is_hybrid`); null when SHOW TABLES does not say. */
async function isHybrid(run: Run, table: string): Promise<boolean | null> {
  const parts = quoteTable(table).split('.');
  const name = canonicalName(parts[parts.length - 1] as string);
  const scope = parts.length > 1 ? ` IN SCHEMA ${parts.slice(0, -1).join('.')}` : ' IN SCHEMA';
  const rows = await run(`SHOW TABLES LIKE ${sqlString(name)}${scope}`);
  const row = rows.find((r) => String(col(r, 'name')) === name);
  if (!row || col(row, 'is_hybrid') === undefined) return null;
  return String(col(row, 'is_hybrid')).toUpperCase() === 'Y';
}

function watermarkTypeOf(type: string): WatermarkType | null {
  const t = type.toUpperCase();
  if (t.startsWith('TIMESTAMP_NTZ') || t.startsWith('DATETIME') || /^TIMESTAMP(\(|$)/.test(t)) return 'TIMESTAMP_NTZ';
  if (t.startsWith('TIMESTAMP_LTZ')) return 'TIMESTAMP_LTZ';
  if (t.startsWith('TIMESTAMP_TZ')) return 'TIMESTAMP_TZ';
  return null;
}

/** The replica as a hybrid table: the synced columns with the source's types and NOT NULLs, and the sync's key. */
function createReplica(s: FileSync, source: DescribedColumn[], key: string[], columns: string[]): string {
  const defs = columns.map((c) => {
    const d = source.find((x) => x.name === canonicalName(c)) as DescribedColumn;
    const notNull = !d.nullable || key.some((k) => canonicalName(k) === d.name);
    return `  ${quoteName(c)} ${d.type}${notNull ? ' NOT NULL' : ''}`;
  });
  return [
    `CREATE HYBRID TABLE IF NOT EXISTS ${quoteTable(s.target)} (`,
    defs.join(',\n') + ',',
    `  PRIMARY KEY (${key.map((k) => quoteName(k)).join(', ')})`,
    `) COMMENT = ${sqlString(`hybrid-sync: replica of ${s.source}, written only by sync ${s.syncName}`)}`,
  ].join('\n');
}

/** A Snowflake OBJECT constant (`{'k': 'v', 'a': ['x']}`) of JSON-like data. */
export function objectConstant(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return sqlString(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(objectConstant).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${sqlString(k)}: ${objectConstant(x)}`).join(', ')}}`;
}

/** The CONFIG a sync's tasks pass: the fields that differ from HYBRID_SYNC_TABLE's defaults, in a stable order. */
export function taskConfig(c: SyncConfig): Record<string, unknown> {
  const d = PIPELINE_RUN_HISTORY;
  const out: Record<string, unknown> = { syncName: c.syncName, sourceTable: c.sourceTable, targetTable: c.targetTable, keyColumns: c.keyColumns, columns: c.columns, watermarkColumn: c.watermarkColumn };
  for (const k of ['lookbackSeconds', 'batchSize', 'maxBatches', 'leaseSeconds', 'controlTable', 'stateTable', 'runIdSequence'] as const) {
    if (c[k] !== d[k]) out[k] = c[k];
  }
  if (c.allowExtraColumns === true) out.allowExtraColumns = true;
  return out;
}

/** A task deploy installs for a sync: suspend, create-or-alter, resume. */
export interface SyncTask {
  name: string;
  /** The task's COMMENT, which ends with a hash of its statement: equal means unchanged. */
  comment: string;
  suspend: string;
  create: string;
  resume: string;
  sync: string;
}

/**
 * The statements of a sync's tasks, from dist/'s task statement as the template (so the
 * overlap policy, timeout and the rest stay as built) with the name, comment, body and settings
 * replaced.
 */
export function syncTasks(r: ResolvedSync, template: { sync: string; reconcile: string }, settings: { warehouse: string | null; errorIntegration: string | null; taskRetries: number }): SyncTask[] {
  const s = r.spec;
  const config = objectConstant(taskConfig(r.config));
  const set = (schedule: string, extra: Record<string, string | null>): Record<string, string | null> => ({
    WAREHOUSE: settings.warehouse,
    USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE: settings.warehouse === null ? "'XSMALL'" : null,
    ERROR_INTEGRATION: settings.errorIntegration,
    TASK_AUTO_RETRY_ATTEMPTS: settings.taskRetries > 0 ? String(settings.taskRetries) : null,
    SCHEDULE: sqlString(schedule),
    ...extra,
  });
  const task = (name: string, tmpl: string, comment: string, body: string, props: Record<string, string | null>): SyncTask => {
    const draft = setProperties(retarget(tmpl, name, comment, body), props);
    const full = `${comment} [${createHash('sha256').update(draft).digest('hex').slice(0, 12)}]`;
    return { name, sync: s.section, comment: full, suspend: `ALTER TASK IF EXISTS ${quoteName(name)} SUSPEND`, create: setProperties(retarget(tmpl, name, full, body), props), resume: `ALTER TASK ${quoteName(name)} RESUME` };
  };
  const tasks: SyncTask[] = [
    task(s.taskName, template.sync, `${SYNC_TASK_COMMENT} ${s.section} (${s.source} -> ${s.target})`, `CALL "HYBRID_SYNC_TABLE"(${config});`, set(s.schedule, { SUSPEND_TASK_AFTER_NUM_FAILURES: String(s.suspendAfterFailures) })),
  ];
  if (s.reconcileSchedule !== null) {
    const deleteExtra = s.deletes.mode === 'reconcile';
    tasks.push(
      task(
        s.reconcileTaskName,
        template.reconcile,
        `${SYNC_TASK_COMMENT} ${s.section}: reconciliation${deleteExtra ? ', deletes replica rows whose key left the source' : ''}`,
        `CALL "HYBRID_SYNC_RECONCILE"(${config}, TRUE, ${deleteExtra ? 'TRUE' : 'FALSE'});`,
        set(s.reconcileSchedule, {}),
      ),
    );
  }
  return tasks;
}

/** A dist task statement with another name, comment and body. */
function retarget(template: string, name: string, comment: string, body: string): string {
  const lines = template.split('\n');
  const asAt = lines.findIndex((l, i) => i > 0 && /^AS\s*$/.test(l));
  if (asAt < 0) throw new DeployError('dist', `the task statement of dist/ has no AS line: ${lines[0]}`, 'run npm run build:proc');
  const head = lines.slice(1, asAt).map((l) => (/^\s*COMMENT\s*=/.test(l) ? `  COMMENT = ${sqlString(comment)}` : l));
  return [`CREATE OR ALTER TASK ${quoteName(name)}`, ...head, 'AS', `  ${body}`].join('\n');
}

/** What the status view reads for each sync's lag. */
export function statusSources(resolved: ResolvedSync[]): StatusSource[] {
  return resolved.map((r) => ({ syncName: r.config.syncName, sourceTable: r.config.sourceTable, watermarkColumn: r.config.watermarkColumn, watermarkType: r.watermarkType }));
}

/** The status view's M part for these syncs (see build/objects.ts viewsScript). */
export function statusViewWith(statement: string, sources: StatusSource[]): string {
  const start = statement.indexOf('), M AS (\n');
  const end = statement.indexOf('\n)\nSELECT', start);
  if (start < 0 || end < 0) throw new DeployError('dist', 'the status view of dist/ has no M part to fill with the syncs of the config file', 'run npm run build:proc');
  const body = sources.map((x, i) => `    ${i === 0 ? '' : 'UNION ALL '}${sourceMaxSelect(x)}`).join('\n');
  return statement.slice(0, start) + '), M AS (\n' + body + statement.slice(end);
}

/**
 * Tasks a config file installed earlier for syncs no longer in it: `HYBRID_SYNC_…` tasks whose
 * comment says a sync made them. Tables are never dropped.
 */
export async function staleSyncTasks(run: Run, keep: Set<string>): Promise<string[]> {
  const rows = await run(`SHOW TASKS LIKE ${sqlString(SYNC_TASK_PREFIX + '%')} IN SCHEMA`);
  return rows
    .filter((r) => String(col(r, 'comment') ?? '').startsWith(SYNC_TASK_COMMENT))
    .map((r) => String(col(r, 'name')))
    .filter((n) => n.startsWith(SYNC_TASK_PREFIX) && !keep.has(n));
}
