/**
 * No way out to the host through SQL. DuckDB can read and write files, attach databases, fetch
 * and load extensions, and show its settings (paths, the home directory); Snowflake SQL cannot
 * reach the machine it runs on. Three layers keep it that way:
 * - the database is opened with external access, extension autoloading and community
 *   extensions off (`engine-worker.mjs`): file, network and extension access fail inside DuckDB
 *   even if a statement got past the checks below;
 * - only statement kinds Snowflake has reach DuckDB ({@link rejectHostStatements});
 * - DuckDB's file, network and settings functions are refused by name
 *   ({@link rejectHostFunctions}).
 * Each refusal is "not implemented", as for any construct the runtime does not emulate.
 */
import { notImplemented, unexpectedToken } from '../errors.js';
import { mask } from './rewrite.js';

/** First words of the statements that may go to DuckDB (the rest are the runtime's own, or refused). */
const STATEMENT = /^\s*(?:\(\s*)*(SELECT|WITH|INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COMMENT|VALUES|CREATE|DROP|ALTER)\b/i;

/** Statements of DuckDB or of Snowflake that do not go to DuckDB: refused as not implemented. */
const KNOWN_STATEMENT =
  /^(ATTACH|DETACH|INSTALL|FORCE|LOAD|PRAGMA|RESET|EXPORT|IMPORT|CHECKPOINT|VACUUM|ANALYZE|SUMMARIZE|FROM|PIVOT|UNPIVOT|SET|UNSET|EXECUTE|EXPLAIN|DESCRIBE|DESC|SHOW|LIST|LS|GET|PUT|REMOVE|RM|COPY|GRANT|REVOKE|UNDROP|DECLARE|LET|CALL|USE|BEGIN|COMMIT|ROLLBACK|TABLE|PREPARE|DEALLOCATE)$/i;

/** The objects CREATE, DROP and ALTER may name (tasks, alerts, procedures are handled before). */
const DDL_OBJECT =
  /^\s*(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:(?:LOCAL|GLOBAL|TEMP|TEMPORARY|TRANSIENT|HYBRID|VOLATILE|SECURE|RECURSIVE|UNIQUE)\s+)*(TABLE|VIEW|INDEX|SEQUENCE)\b/i;

/** Refuses statement kinds that only DuckDB has (ATTACH, INSTALL, LOAD, PRAGMA, COPY, EXPORT, CREATE SECRET/MACRO …). */
export function rejectHostStatements(sql: string): string {
  const masked = mask(sql);
  const kind = STATEMENT.exec(masked);
  if (!kind) {
    const first = /^\s*([^\s(;]+)/.exec(masked)?.[1] ?? '';
    // Snowflake's parser rejects a word that starts no statement; DuckDB's own statements and
    // Snowflake's that the runtime does not run are named as not implemented.
    if (KNOWN_STATEMENT.test(first)) {
      // The statement's first word, and its second when that is a word (`CREATE SECRET`, not a literal).
      const words = masked.trim().split(/\s+/).slice(0, 2).filter((w, i) => i === 0 || /^[A-Za-z_]+$/.test(w));
      throw notImplemented(`the statement ${words.join(' ').toUpperCase()}`, sql);
    }
    throw unexpectedToken(sql.slice(masked.indexOf(first), masked.indexOf(first) + first.length), sql);
  }
  if (/^\s*UPDATE\s+EXTENSIONS\b/i.test(masked)) throw notImplemented('UPDATE EXTENSIONS', sql);
  const word = (kind[1] ?? '').toUpperCase();
  if ((word === 'CREATE' || word === 'DROP' || word === 'ALTER') && !DDL_OBJECT.test(masked)) {
    throw notImplemented(`${masked.trim().split(/\s+/).slice(0, 3).join(' ')}`, sql);
  }
  return rejectHostFunctions(sql);
}

/**
 * DuckDB functions that read files or the network, show settings, paths or extensions, or run
 * SQL text of their own; none is a Snowflake function. The catalog functions that describe only
 * the database's own objects (`duckdb_tables()`, `duckdb_constraints()`, `duckdb_indexes()` …)
 * reach nothing outside it and stay allowed: the deploy tooling's local client reads them.
 */
const HOST_FUNCTION =
  /\b(read_\w+|parquet_\w+|sniff_csv|glob|getenv|current_setting|which_secret|load_aws_credentials|query|query_table|sqlite_\w+|postgres_\w+|mysql_\w+|iceberg_\w+|delta_\w+|json_execute_serialized_sql|checkpoint|force_checkpoint)\s*\(|\b(duckdb_(?!(?:constraints|indexes|tables|columns|views|schemas|sequences|types|dependencies)\b)\w+|pragma_\w+)\b/i;

/** Refuses DuckDB's host-facing functions wherever they are called. */
export function rejectHostFunctions(sql: string): string {
  const m = HOST_FUNCTION.exec(mask(sql));
  if (m) throw notImplemented(`${(m[1] ?? m[2] ?? '').toUpperCase()} (a DuckDB function that reaches the host)`, sql);
  return sql;
}
