/**
 * Pre-flight: before deploy changes anything, it reads what already exists and stops (or adds
 * the one missing index, with --create-index) when the sync could not rely on it.
 * `CREATE HYBRID TABLE IF NOT EXISTS` does nothing to an existing table, so without these reads
 * nothing would confirm that an existing source is a hybrid table, has the configured columns,
 * and has the index a run's range read needs.
 *
 * Reads (https://docs.snowflake.com/en/sql-reference/sql/show-tables — `is_hybrid`,
 * https://docs.snowflake.com/en/sql-reference/sql/desc-table,
 * https://docs.snowflake.com/en/sql-reference/sql/show-indexes — `name`, `columns`):
 *   SHOW TABLES LIKE '<source>' IN SCHEMA, DESCRIBE TABLE <source>, SHOW INDEXES IN TABLE <source>,
 *   and the same SHOW for the replica (its watermark index is no longer created; an existing one
 *   is reported, never dropped).
 */
import type { DistPreflight } from '../../manifest/format.js';
import { quoteName } from '../../procedure/identifiers.js';
import { DeployError } from './errors.js';
import { col } from './sql-client.js';

type Run = (sql: string) => Promise<Array<Record<string, unknown>>>;

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

/** What pre-flight found and decided. */
export interface PreflightResult {
  /** The source exists already (else deploy creates it, with its index). */
  sourceExists: boolean;
  /** Statements to add to the tables step (the index, with --create-index). */
  extraStatements: string[];
  /** Lines for the log: what was checked, what is left as it is. */
  notes: string[];
}

/** A column type as compared: upper-case, no spaces, synonyms folded (`NUMBER(38, 0)` → `NUMBER(38,0)`). */
export function normalType(t: string): { base: string; params: string | null } {
  const s = t.toUpperCase().replace(/\s+/g, '').replace(/NOTNULL$/, '');
  const m = /^([A-Z_]+)(?:\((.*)\))?/.exec(s);
  const base0 = m?.[1] ?? s;
  const synonyms: Record<string, string> = { DECIMAL: 'NUMBER', NUMERIC: 'NUMBER', INT: 'NUMBER', INTEGER: 'NUMBER', BIGINT: 'NUMBER', STRING: 'VARCHAR', TEXT: 'VARCHAR', DATETIME: 'TIMESTAMP_NTZ', TIMESTAMP: 'TIMESTAMP_NTZ', DOUBLE: 'FLOAT', REAL: 'FLOAT' };
  return { base: synonyms[base0] ?? base0, params: m?.[2] ?? null };
}

/** Whether an existing column's type serves a configured one: same family, and same size where both say one. */
export function sameColumnType(actual: string, configured: string): boolean {
  const a = normalType(actual);
  const c = normalType(configured);
  return a.base === c.base && (a.params === null || c.params === null || a.params === c.params);
}

/** The column names of a SHOW INDEXES `columns` value: `[A, B]`, `["A","B"]` or `A,B`. */
export function indexColumns(value: unknown): string[] {
  return String(value ?? '')
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, '').toUpperCase())
    .filter((c) => c !== '');
}

/**
 * Runs the reads and judges them.
 * @throws DeployError of kind `preflight` naming what is wrong and the statement that fixes it.
 */
export async function preflight(run: Run, p: DistPreflight, o: { createIndex: boolean; dryRun: boolean; errorIntegration?: string | null }): Promise<PreflightResult> {
  const result: PreflightResult = { sourceExists: false, extraStatements: [], notes: [] };
  if (o.errorIntegration) await checkErrorIntegration(run, o.errorIntegration, o.dryRun);
  const src = quoteName(p.source, 'table name');
  const tables = await run(`SHOW TABLES LIKE ${sqlString(p.source)} IN SCHEMA`);
  if (o.dryRun) {
    // Only the first read is certain to run; the others depend on its answer (and DESCRIBE of a
    // missing table fails), so they are shown, not listed as statements.
    result.notes.push(`if ${p.source} exists: DESCRIBE TABLE ${src}; SHOW INDEXES IN TABLE ${src}; (hybrid? columns? an index leading with ${p.watermarkColumn}?)`);
    result.notes.push(`if ${p.replica} exists: SHOW INDEXES IN TABLE ${quoteName(p.replica, 'table name')}; (an unused watermark index is reported, not dropped)`);
    return result;
  }
  const row = tables.find((r) => String(col(r, 'name')).toUpperCase() === p.source);
  if (!row) {
    result.notes.push(`source ${p.source} does not exist yet: deploy creates it, with its index on ${p.watermarkColumn}`);
  } else {
    result.sourceExists = true;
    const problems: string[] = [];
    const fixes: string[] = [];
    if (String(col(row, 'is_hybrid') ?? '').toUpperCase() !== 'Y') {
      problems.push(`it is not a hybrid table (SHOW TABLES: is_hybrid = ${String(col(row, 'is_hybrid') ?? 'N')}); the sync needs a hybrid table's row-level writes and secondary indexes`);
      fixes.push(`copy it into a hybrid table (CREATE HYBRID TABLE … with a PRIMARY KEY, then INSERT … SELECT) and rename it to ${p.source}`);
    }
    const described = await run(`DESCRIBE TABLE ${src}`);
    const actual = new Map(described.map((r) => [String(col(r, 'name')).toUpperCase(), String(col(r, 'type'))]));
    for (const c of p.columns) {
      const t = actual.get(c.name);
      if (t === undefined) problems.push(`column ${c.name} (${c.type}) is missing`);
      else if (!sameColumnType(t, c.type)) problems.push(`column ${c.name} is ${t}, the sync is configured for ${c.type}`);
    }
    const extra = [...actual.keys()].filter((n) => !p.columns.some((c) => c.name === n));
    if (extra.length) result.notes.push(`source has columns the sync does not copy: ${extra.join(', ')}`);
    if (problems.some((x) => x.startsWith('column'))) fixes.push('align the source with procedure/config.ts (ALTER TABLE … ADD COLUMN), or change the configured columns and rebuild (npm run build:proc)');
    if (problems.length === 0) {
      const indexes = await run(`SHOW INDEXES IN TABLE ${src}`);
      const serving = indexes.find((r) => indexColumns(col(r, 'columns'))[0] === p.watermarkColumn);
      if (serving) {
        result.notes.push(`source ${p.source}: hybrid, ${p.columns.length} configured columns, index ${String(col(serving, 'name'))} leads with ${p.watermarkColumn}`);
      } else if (o.createIndex) {
        result.extraStatements.push(p.sourceIndex.statement);
        result.notes.push(`source ${p.source} has no index leading with ${p.watermarkColumn}: creating ${p.sourceIndex.name} (online; the table stays readable and writable)`);
      } else {
        problems.push(`no index leads with the watermark ${p.watermarkColumn}, so every run would scan the whole table`);
        fixes.push(`re-run with --create-index, or run: ${p.sourceIndex.statement};`);
      }
    }
    if (problems.length > 0) {
      throw new DeployError('preflight', `The existing source table ${p.source} cannot be synced as it is; nothing was changed:\n    - ${problems.join('\n    - ')}`, fixes.join('; then '));
    }
  }
  const replica = await run(`SHOW TABLES LIKE ${sqlString(p.replica)} IN SCHEMA`);
  if (replica.some((r) => String(col(r, 'name')).toUpperCase() === p.replica)) {
    const rep = quoteName(p.replica, 'table name');
    const unused = (await run(`SHOW INDEXES IN TABLE ${rep}`)).filter((r) => indexColumns(col(r, 'columns'))[0] === p.watermarkColumn);
    for (const r of unused) {
      const name = String(col(r, 'name'));
      result.notes.push(`replica ${p.replica} has index ${name} on ${p.watermarkColumn}, which no query of the sync uses and every write maintains; deploy leaves it. To drop it: DROP INDEX ${rep}.${quoteName(name, 'index name')};`);
    }
  }
  return result;
}

/**
 * A task's ERROR_INTEGRATION must be a queue notification integration (Amazon SNS, Azure Event
 * Grid, Google Pub/Sub); "the email and webhook notification integration types aren't supported
 * for task error notifications" (https://docs.snowflake.com/en/user-guide/tasks-errors). Snowflake
 * would refuse it only at CREATE TASK, after the tables and procedures were changed, so it is read
 * first (SHOW NOTIFICATION INTEGRATIONS, column `type`:
 * https://docs.snowflake.com/en/sql-reference/sql/show-notification-integrations). An
 * integration the role cannot see is left to CREATE TASK to judge.
 */
export async function checkErrorIntegration(run: Run, name: string, dryRun: boolean): Promise<void> {
  const canonical = name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase();
  const rows = await run(`SHOW NOTIFICATION INTEGRATIONS LIKE ${sqlString(canonical)}`);
  if (dryRun) return;
  const row = rows.find((r) => String(col(r, 'name')).toUpperCase() === canonical.toUpperCase());
  const type = String(col(row, 'type') ?? '').toUpperCase();
  if (row && !type.startsWith('QUEUE')) {
    throw new DeployError(
      'preflight',
      `--error-integration ${canonical} is a notification integration of type ${type || 'unknown'}; a task's ERROR_INTEGRATION must be a queue integration (Amazon SNS, Azure Event Grid, Google Pub/Sub); nothing was changed`,
      'pass a queue integration (TYPE = QUEUE, DIRECTION = OUTBOUND), or drop --error-integration and use --alert-integration for email',
    );
  }
}
