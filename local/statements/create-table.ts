/**
 * `CREATE [OR REPLACE] [HYBRID | TRANSIENT | TEMPORARY] TABLE [IF NOT EXISTS] …` (translated in
 * compat/ddl.ts), in the schema its name resolves to (compat/names.ts); the declared column types
 * are recorded for DESCRIBE TABLE, and a hybrid table's indexes for the index-eligibility audit.
 * https://docs.snowflake.com/en/sql-reference/sql/create-table,
 * https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table
 */
import { toWireBind } from '../binds.js';
import type { WireResult } from '../engine.js';
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { createTable, createTableAsSelect, isCreateTable, isHybridTable, tableDefinition, type CreateTableAsSelect } from '../compat/ddl.js';
import { declaredColumns, recordColumns } from '../compat/catalog.js';
import { rejectCaseFoldedColumns, rejectCaseFoldedCreate, rejectCaseFoldedTables } from '../compat/identifiers.js';
import { duckName, MAIN_SCHEMA, nameParts, resolveName, tableKey } from '../compat/names.js';
import { copyTable } from '../compat/alter-table.js';
import { transform, transformDdl } from '../compat/transform.js';
import { status, type StatementResult } from '../result.js';
import type { Statement } from '../sql-text.js';
import type { StatementEnv, StatementKind } from './kind.js';
import { resultNames } from './query.js';
import { ddlStatus, ddlTarget } from '../compat/ddl-status.js';
import { nameSelectItems } from '../compat/select-names.js';
import { implicitCommit } from './transactions.js';

export const createTableKind: StatementKind = {
  name: 'CREATE TABLE',
  match(s) {
    if (!/^CREATE /.test(s.upper) || !isCreateTable(s.sql)) return undefined;
    return (env) => {
      const { session, host, scope, queryId } = env;
      implicitCommit(session, host, scope, s.sql);
      const qualified = session.qualify(s.sql);
      const schema = qualified.tables[0]?.duckSchema ?? MAIN_SCHEMA;
      if (schema !== MAIN_SCHEMA && /^CREATE (OR REPLACE )?((LOCAL|GLOBAL) )?(TEMP|TEMPORARY|VOLATILE) /.test(s.upper)) {
        throw notImplemented('a temporary table outside LOCAL.PUBLIC', s.sql);
      }
      const existing = host.catalog.tablesBySchema.get(schema) ?? new Set<string>();
      const copy = COPY.exec(s.text);
      if (copy) return likeOrClone(s, env, copy, existing);
      const ctas = createTableAsSelect(qualified.sql);
      if (ctas) return createAsSelect(s, env, ctas, schema, existing);
      const def = tableDefinition(qualified.sql);
      rejectCaseFoldedCreate(s.sql, def, existing);
      const statements = createTable(qualified.sql).map((sql) => ({ sql: transformDdl(sql) }));
      session.engineRun(statements, s.sql);
      if (def) {
        // Keeps the declared types of a new table's columns, for DESCRIBE TABLE.
        const key = tableKey(schema, def.table);
        const columns = declaredColumns(def.columnList);
        const record = def.ifNotExists
          ? columns.map((c) => ({ sql: 'INSERT OR IGNORE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [key, c.name, c.type] }))
          : recordColumns(key, columns, true);
        session.engineRun(record, s.sql);
      }
      const table = def?.table;
      if (table !== undefined && !(def?.ifNotExists && existing.has(table))) host.setHybrid(tableKey(schema, table), isHybridTable(s.sql));
      host.catalogChanged();
      return created(s, table !== undefined && existing.has(table), queryId);
    };
  },
};

const NAME_TEXT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)){0,2}`;
/** `CREATE [OR REPLACE] [TRANSIENT | TEMPORARY | HYBRID] TABLE [IF NOT EXISTS] t {LIKE | CLONE} s [options]`. */
const COPY = new RegExp(
  String.raw`^CREATE (OR REPLACE )?(?:(TRANSIENT|TEMPORARY|TEMP|LOCAL TEMPORARY|HYBRID) )?TABLE (IF NOT EXISTS )?(${NAME_TEXT}) (LIKE|CLONE) (${NAME_TEXT})(?: (.*))?$`,
  'i',
);

/**
 * `CREATE TABLE t LIKE s` (an empty table of the same columns, defaults, keys, lengths and
 * indexes) and `CREATE TABLE t CLONE s` (with its rows), https://docs.snowflake.com/en/sql-reference/sql/create-table
 * and …/create-clone. Refused: time travel (`AT | BEFORE`), a hybrid table made or copied this way.
 */
function likeOrClone(s: Statement, env: StatementEnv, m: RegExpExecArray, existing: ReadonlySet<string>): StatementResult {
  const { session, host, queryId } = env;
  const [, orReplace, kind, ifNotExists, targetText, verb, sourceText, rest] = m as unknown as [string, string | undefined, string | undefined, string | undefined, string, string, string, string | undefined];
  const options = (rest ?? '').replace(/\bCOPY GRANTS\b/i, '').trim();
  if (options !== '') throw notImplemented(`CREATE TABLE … ${verb.toUpperCase()} with "${options}"${/^(AT|BEFORE)\b/i.test(options) ? ' (Time Travel)' : ''}`, s.sql);
  const resolve = (text: string) => {
    const parts = nameParts(text);
    if (!parts) throw notImplemented(`the name ${text}`, s.sql);
    const r = resolveName(parts, session.names, host.catalog, s.sql);
    return { ...r, key: tableKey(r.duckSchema, r.name), text: duckName(host.catalog, r) };
  };
  const target = resolve(targetText);
  const source = resolve(sourceText);
  if (!host.catalog.tablesBySchema.get(source.duckSchema)?.has(source.name)) {
    throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nObject '${source.name}' does not exist or not authorized.`, s.sql);
  }
  const upperKind = (kind ?? '').toUpperCase();
  if (upperKind === 'HYBRID' || host.hybridTables.has(source.key)) throw notImplemented(`CREATE TABLE … ${verb.toUpperCase()} of or into a hybrid table`, s.sql);
  const existed = existing.has(target.name);
  if (existed && ifNotExists) return created(s, true, queryId);
  const run = (statements: Array<{ sql: string; params?: string[] }>) => session.engineRun(statements, s.sql);
  const atomic = session.transactions.length === 0;
  if (atomic) run([{ sql: 'BEGIN TRANSACTION' }]);
  try {
    copyTable(run, source, target, { rows: verb.toUpperCase() === 'CLONE', orReplace: orReplace !== undefined, temporary: /TEMP/.test(upperKind) });
    if (atomic) run([{ sql: 'COMMIT' }]);
  } catch (e) {
    if (atomic) run([{ sql: 'ROLLBACK' }]);
    throw e;
  }
  host.setHybrid(target.key, false);
  host.catalogChanged();
  return created(s, existed, queryId);
}

/** Snowflake's answer to a CREATE TABLE: `Table T successfully created.` (compat/ddl-status.ts). */
function created(s: Statement, existed: boolean, queryId: string): StatementResult {
  const target = ddlTarget(s.text);
  return status(target ? ddlStatus(target, existed) : 'Statement executed successfully.', queryId, s.sql);
}

/** DuckDB types a CTAS column may take: those with a Snowflake type in result metadata (values.ts snowflakeType). */
const CTAS_TYPE = /^(DECIMAL\(\d+,\d+\)|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|VARCHAR|BOOLEAN|DATE|TIMESTAMP( WITH TIME ZONE|_S|_MS|_NS)?|JSON)$/;

/**
 * CREATE TABLE … AS SELECT (https://docs.snowflake.com/en/sql-reference/sql/create-table, "CREATE
 * TABLE … AS SELECT"): the query goes through the same rewrites as a plain SELECT (paths, VALUES,
 * function families …). Without a column list the columns take the query's names (upper-case
 * unless quoted, as a SELECT's result names them) and the types it produces; a list of names
 * renames them; a list with types creates the table as CREATE TABLE does (constraints, lengths,
 * a hybrid table's keys) and inserts the query's rows into it. Either way in one transaction, so a
 * query that fails leaves no table behind.
 */
function createAsSelect(s: Statement, env: StatementEnv, ctas: CreateTableAsSelect, schema: string, existing: ReadonlySet<string>): StatementResult {
  const { session, host, queryId, binds } = env;
  const columns = ctas.columns;
  const typed = columns !== undefined && columns.length > 0 && columns.every((c) => c.typed);
  if (columns && !typed && columns.some((c) => c.typed)) {
    throw notImplemented('a CREATE TABLE … AS SELECT column list giving types for some columns only', s.sql);
  }
  if (ctas.hybrid && !typed) {
    throw notImplemented('CREATE HYBRID TABLE … AS SELECT without column definitions (a hybrid table declares its PRIMARY KEY)', s.sql);
  }
  rejectCaseFoldedCreate(s.sql, { table: ctas.table, columnList: ctas.columnList ?? '' }, existing);
  const written = createTableAsSelect(s.sql);
  rejectCaseFoldedTables(written?.query ?? '', host.tableNames);
  rejectCaseFoldedColumns(written?.query ?? '', host.columnNames, host.tableNames);
  const key = tableKey(schema, ctas.table);
  if (ctas.ifNotExists && existing.has(ctas.table)) return created(s, true, queryId);

  const params = binds.map(toWireBind);
  const query = transform(nameSelectItems(ctas.query));
  // The query's columns, as a SELECT would return them, without running it.
  const probe = session.engineRun([{ sql: `SELECT * FROM (${query}) AS sf_ctas LIMIT 0`, params }], s.sql)[0] as WireResult;
  for (const c of probe.columns) {
    if (!CTAS_TYPE.test(c.type.toUpperCase())) throw notImplemented(`a CREATE TABLE … AS SELECT column of engine type ${c.type} ("${c.name}")`, s.sql);
  }
  if (columns && columns.length !== probe.columns.length) {
    throw notImplemented(`a CREATE TABLE … AS SELECT column list of ${columns.length} names for a query of ${probe.columns.length} columns (Snowflake fails it; its message was not checked)`, s.sql);
  }
  const names = columns ? columns.map((c) => c.name) : resultNames(nameSelectItems(written?.query ?? ctas.query), probe, host.mixedCaseColumns);
  if (!columns) {
    // DuckDB renames a repeated name in a subquery's output (A, A_1, …); Snowflake keeps one
    // table column per name. Refused by name rather than creating A_1.
    const lower = new Set(names.map((n) => n.toLowerCase()));
    for (const n of names) {
      const stem = /^(.+)_\d+$/.exec(n)?.[1];
      if (stem !== undefined && lower.has(stem.toLowerCase())) {
        throw notImplemented(`a CREATE TABLE … AS SELECT whose query names two columns "${stem}" (or a column "${n}" beside "${stem}")`, s.sql);
      }
    }
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw notImplemented(`a CREATE TABLE … AS SELECT with two columns named "${n}"`, s.sql);
    seen.add(n.toLowerCase());
  }
  const head = `CREATE ${ctas.orReplace ? 'OR REPLACE ' : ''}${ctas.hybrid ? 'HYBRID ' : ctas.temporary ? 'TEMPORARY ' : ''}TABLE ${ctas.ifNotExists ? 'IF NOT EXISTS ' : ''}${ctas.name}`;
  const quoted = names.map((n) => `"${n.replace(/"/g, '""')}"`).join(', ');
  const statements: Array<{ sql: string; params?: ReturnType<typeof toWireBind>[] }> = typed
    ? [
        ...createTable(`${head} (${ctas.columnList ?? ''})`).map((sql) => ({ sql: transformDdl(sql) })),
        { sql: `INSERT INTO ${ctas.name} SELECT * FROM (${query}) AS sf_ctas`, params },
      ]
    : [{ sql: `${head.replace(/HYBRID /, '')} AS SELECT * FROM (${query}) AS sf_ctas(${quoted})`, params }];
  const atomic = session.transactions.length === 0;
  if (atomic) session.engineRun([{ sql: 'BEGIN TRANSACTION' }], s.sql);
  try {
    session.engineRun(statements, s.sql);
    const record = typed ? recordColumns(key, declaredColumns(ctas.columnList ?? ''), true) : [{ sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ?', params: [key] }];
    session.engineRun(record, s.sql);
    if (atomic) session.engineRun([{ sql: 'COMMIT' }], s.sql);
  } catch (e) {
    if (atomic) session.engineRun([{ sql: 'ROLLBACK' }], s.sql);
    throw e;
  }
  host.setHybrid(key, ctas.hybrid);
  host.catalogChanged();
  return created(s, existing.has(ctas.table), queryId);
}
