/**
 * Every other statement: rewritten for DuckDB (compat/transform.ts) and run there — queries,
 * INSERT, UPDATE, DELETE, views, DROP and ALTER TABLE, TRUNCATE, COMMENT — with Snowflake's
 * result shapes: DML answers one row of counts, names come back upper-case unless quoted.
 * Statement kinds only DuckDB has are refused by the rewrites (compat/host-access.ts).
 */
import { toWireBind } from '../binds.js';
import type { WireResult } from '../engine.js';
import { notImplemented } from '../errors.js';
import { hasSubMicroseconds, NANOSECONDS } from '../compat/functions.js';
import { rejectCaseFoldedColumns, rejectCaseFoldedTables } from '../compat/identifiers.js';
import { mergeResult, mergeReturningAction } from '../compat/merge.js';
import { materialize, resultScans, unknownQuery } from '../compat/result-scan.js';
import { transform } from '../compat/transform.js';
import { mask } from '../compat/rewrite.js';
import { nameSelectItems } from '../compat/select-names.js';
import { ddlStatus, ddlTarget } from '../compat/ddl-status.js';
import { withInformationSchema } from '../compat/information-schema.js';
import { convertAssignedTimestamps, convertInsertTimestamps } from '../compat/timestamp-targets.js';
import { fromWire, status, synthetic, type StatementResult } from '../result.js';
import { zoneOffsetMinutes } from '../values.js';
import { segments, type Statement } from '../sql-text.js';
import { tableKey } from '../compat/names.js';
import type { StatementEnv, StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const query: StatementKind = {
  name: 'queries, DML and other DDL (to DuckDB)',
  match(s) {
    return (env) => runOnEngine(s, env, false);
  },
};

/** Runs a statement on DuckDB after the rewrites; `merge` counts MERGE's actions. */
export function runOnEngine(s: Statement, env: StatementEnv, merge: boolean): StatementResult {
  const { session, host, scope, queryId, binds } = env;
  let sql = s.sql;
  const isDdl = /^(CREATE|DROP|ALTER|COMMENT) /.test(s.upper);
  if (isDdl) implicitCommit(session, host, scope, sql);
  for (const b of binds) {
    if (typeof b === 'string' && hasSubMicroseconds(b)) {
      throw notImplemented(`${NANOSECONDS} in the bound value '${b}'`, sql);
    }
  }
  // Names as the statement wrote them (qualify checks a qualified table name within its schema).
  rejectCaseFoldedTables(sql, host.tableNames);
  if (!isDdl) rejectCaseFoldedColumns(sql, host.columnNames, host.tableNames);
  // Unaliased select items named as Snowflake names them, from the text as written.
  sql = nameSelectItems(sql);
  // Table names resolved in the session's database and schema (compat/names.ts).
  const qualified = session.qualify(sql);
  const ddl = isDdl ? ddlTarget(s.text) : undefined;
  const target = ddl && ddl.kind !== 'Sequence' ? qualified.tables[0] : undefined;
  const existed = target ? host.catalog.tablesBySchema.get(target.duckSchema)?.has(target.name) === true : ddl?.verb === 'DROP';
  sql = qualified.sql;
  const scannedTables: string[] = [];
  const scanned = /RESULT_SCAN/i.test(sql) ? scanResults(sql, env) : undefined;
  if (scanned) sql = scanned.sql;
  const catalogViews = informationSchema(sql, env);
  if (catalogViews) {
    if (/^CREATE /.test(s.upper)) throw notImplemented('a view or table defined over INFORMATION_SCHEMA', s.sql);
    sql = catalogViews.sql;
    scannedTables.push(...catalogViews.tables);
  }
  // Text inserted into timestamp columns converts as a cast does (compat/timestamp-targets.ts).
  let params: unknown[] = binds;
  const written = /^(INSERT|UPDATE|MERGE)\b/.test(s.upper) ? qualified.tables.find((t) => t.kind === 'target') : undefined;
  const stamps = written ? host.timestampColumns.get(tableKey(written.duckSchema, written.name)) : undefined;
  let forEngine = sql;
  if (stamps) ({ sql: forEngine, binds: params } = (s.upper.startsWith('INSERT') ? convertInsertTimestamps : convertAssignedTimestamps)(sql, binds, stamps));
  let duck = transform(forEngine);
  if (merge) duck = mergeReturningAction(duck);
  if (/^CREATE (OR REPLACE )?(SECURE )?VIEW /.test(s.upper)) duck = nameViewColumns(duck, s.sql, env);
  let wire: WireResult;
  try {
    wire = session.engineRun([{ sql: duck, params: params.map(toWireBind) }], sql)[0] as WireResult;
  } finally {
    // A transaction marked failed refuses every statement; its rollback drops the tables.
    const failed = session.transactions[session.transactions.length - 1]?.failed !== undefined;
    if (!failed) for (const t of [...(scanned?.tables ?? []), ...scannedTables]) session.engineRun([{ sql: `DROP TABLE IF EXISTS ${t}` }], sql);
  }
  if (isDdl) {
    const dropped = /^DROP\s+TABLE\b/i.test(s.text) ? qualified.tables[0] : undefined;
    if (dropped) {
      const table = tableKey(dropped.duckSchema, dropped.name);
      session.engineRun([{ sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ?', params: [table] }], sql);
      host.setHybrid(table, false);
    }
    host.catalogChanged();
    if (ddl) return status(ddlStatus(ddl, existed), queryId, s.sql);
  }
  return shape(s.sql, wire, merge, queryId, host.mixedCaseColumns, (ms) => zoneOffsetMinutes(session.timezone, ms));
}

/**
 * A view without a column list gets its columns named as a query of it answers in Snowflake
 * (unquoted aliases upper-cased: `SELECT 1 AS total` makes a column TOTAL), from a probe of its
 * query; DuckDB would keep `total`, which `SELECT TOTAL FROM v` could then not name.
 */
function nameViewColumns(duck: string, original: string, { session, host }: StatementEnv): string {
  const masked = mask(duck);
  const head = /^CREATE (?:OR REPLACE )?VIEW (?:IF NOT EXISTS )?(?:"(?:[^"]|"")*"|[^\s(".]+)(?:\.(?:"(?:[^"]|"")*"|[^\s(".]+))*/i.exec(masked);
  if (!head) return duck;
  const after = masked.slice(head[0].length);
  if (/^\s*\(/.test(after)) return duck;
  const as = /^\s+AS\b/i.exec(after);
  if (!as) return duck;
  const query = duck.slice(head[0].length + as[0].length);
  const probe = session.engineRun([{ sql: `SELECT * FROM (${query}) AS sf_view LIMIT 0` }], original)[0] as WireResult;
  const names = resultNames(original, probe, host.mixedCaseColumns);
  if (names.every((n, i) => n === probe.columns[i]?.name)) return duck;
  return `${duck.slice(0, head[0].length)} (${names.map((n) => `"${n.replace(/"/g, '""')}"`).join(', ')})${duck.slice(head[0].length)}`;
}

/** Each INFORMATION_SCHEMA view the statement reads, made a temporary table of Snowflake's shape (compat/information-schema.ts). */
export function informationSchema(sql: string, { session, host }: StatementEnv): { sql: string; tables: string[] } | undefined {
  const reader = { run: (statements: Array<{ sql: string }>) => session.engineRun(statements, sql), catalogName: host.catalog.catalogName, databases: host.catalog.databases };
  const built = withInformationSchema(sql, reader, sql);
  if (!built) return undefined;
  session.engineRun(built.statements, sql);
  return { sql: built.sql, tables: built.tables };
}

/** Each `RESULT_SCAN('<id>')` of the statement replaced by a temporary table holding that result. */
function scanResults(sql: string, { session }: StatementEnv): { sql: string; tables: string[] } | undefined {
  const scans = resultScans(sql);
  if (scans.length === 0) return undefined;
  const tables: string[] = [];
  let out = sql;
  // From the last, so earlier positions stay valid.
  for (const scan of [...scans].reverse()) {
    const found = session.history.find((h) => h.queryId === scan.id);
    if (!found) throw unknownQuery(scan.id, sql);
    const table = `sf_result_scan_${tables.length + 1}`;
    session.engineRun(materialize(table, found.result), sql);
    tables.push(table);
    out = out.slice(0, scan.from) + table + out.slice(scan.to);
  }
  return { sql: out, tables };
}

function shape(sql: string, wire: WireResult, merge: boolean, queryId: string, mixedCase: ReadonlySet<string>, zone: (epochMs: number) => number): StatementResult {
  const n = (v: unknown): number => Number(v ?? 0);
  if (merge) {
    const counts = { inserted: 0, updated: 0, deleted: 0 };
    for (const [action] of wire.rows) {
      if (action === 'INSERT') counts.inserted++;
      else if (action === 'UPDATE') counts.updated++;
      else if (action === 'DELETE') counts.deleted++;
    }
    const { names, row } = mergeResult(sql, counts);
    return synthetic(names.map((name) => ({ name, type: 'NUMBER' })), [row], queryId, sql, counts);
  }
  switch (wire.statementType) {
    case 2: {
      const count = n(wire.rows[0]?.[0]);
      return synthetic([{ name: 'number of rows inserted', type: 'NUMBER' }], [[count]], queryId, sql, { inserted: count, updated: 0, deleted: 0 });
    }
    case 3: {
      const count = n(wire.rows[0]?.[0]);
      return synthetic(
        [
          { name: 'number of rows updated', type: 'NUMBER' },
          { name: 'number of multi-joined rows updated', type: 'NUMBER' },
        ],
        [[count, 0]],
        queryId,
        sql,
        { inserted: 0, updated: count, deleted: 0 },
      );
    }
    case 5: {
      const count = n(wire.rows[0]?.[0]);
      return synthetic([{ name: 'number of rows deleted', type: 'NUMBER' }], [[count]], queryId, sql, { inserted: 0, updated: 0, deleted: count });
    }
    case 1:
    case 4:
    case 22:
      return fromWire(wire, resultNames(sql, wire, mixedCase), { inserted: 0, updated: 0, deleted: 0 }, queryId, sql, zone);
    default:
      return status('Statement executed successfully.', queryId, sql);
  }
}

/**
 * Snowflake upper-cases unquoted identifiers, so result columns come back upper-case unless the
 * statement spelled them in double quotes, or they are table columns created with a quoted
 * mixed-case name (`SELECT *`). DuckDB keeps the case as written.
 */
export function resultNames(sql: string, wire: WireResult, mixedCase: ReadonlySet<string>): string[] {
  const quoted = new Set(
    segments(sql)
      .filter((s) => s.kind === 'ident')
      .map((s) => s.text.slice(1, -1).replace(/""/g, '"')),
  );
  return wire.columns.map((c) => {
    if (quoted.has(c.name) || mixedCase.has(c.name)) return c.name;
    // DuckDB names an unaliased COUNT(*) count_star(); Snowflake names it COUNT(*).
    return c.name.replace(/count_star\(\)/gi, 'COUNT(*)').toUpperCase();
  });
}
