/**
 * Databases and schemas: `CREATE [OR REPLACE] [TRANSIENT] DATABASE [IF NOT EXISTS] d`,
 * `CREATE [OR REPLACE] [TRANSIENT] SCHEMA [IF NOT EXISTS] [d.]s [WITH MANAGED ACCESS]`,
 * `DROP DATABASE|SCHEMA [IF EXISTS] … [CASCADE]`, and `USE [DATABASE] d`, `USE [SCHEMA] [d.]s`
 * (USE ROLE / WAREHOUSE / SECONDARY ROLES are accepted with no effect, in session-parameters.ts).
 * How they map onto DuckDB is in compat/names.ts. CREATE DATABASE makes the new database (and its
 * PUBLIC schema) current, CREATE SCHEMA the new schema; USE DATABASE makes PUBLIC current unless
 * the database has none. CREATE and DROP commit an open transaction first, as any DDL.
 * https://docs.snowflake.com/en/sql-reference/sql/create-database,
 * https://docs.snowflake.com/en/sql-reference/sql/create-schema,
 * https://docs.snowflake.com/en/sql-reference/sql/use-database,
 * https://docs.snowflake.com/en/sql-reference/sql/use-schema,
 * https://docs.snowflake.com/en/sql-reference/name-resolution
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import type { SessionInternals, RuntimeHost } from '../host.js';
import {
  DEFAULT_DATABASE,
  DEFAULT_SCHEMA,
  MAIN_SCHEMA,
  databaseExists,
  duckSchemaOf,
  missingDatabase,
  missingSchema,
  nameAt,
  quoteIdent,
  resolveSchema,
  snowflakeSchemaOf,
} from '../compat/names.js';
import { status, type StatementResult } from '../result.js';
import type { Statement, Token } from '../sql-text.js';
import type { StatementEnv, StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const databases: StatementKind = {
  name: 'databases and schemas (CREATE, DROP, USE)',
  match(s) {
    const words = s.tokens.filter((t) => t.text !== ';');
    const up = (i: number): string => (words[i]?.kind === 'word' ? (words[i] as Token).text.toUpperCase() : '');
    if (up(0) === 'USE') {
      if (/^(ROLE|WAREHOUSE|SECONDARY)$/.test(up(1))) return undefined;
      return (env) => use(s, words, env);
    }
    if (up(0) === 'CREATE') {
      let i = 1;
      let orReplace = false;
      if (up(i) === 'OR' && up(i + 1) === 'REPLACE') {
        orReplace = true;
        i += 2;
      } else if (up(i) === 'OR' && up(i + 1) === 'ALTER' && /^(DATABASE|SCHEMA)$/.test(up(i + 2))) {
        return () => {
          throw notImplemented(`CREATE OR ALTER ${up(i + 2)}`, s.sql);
        };
      }
      if (up(i) === 'TRANSIENT') i++;
      const object = up(i);
      if (object !== 'DATABASE' && object !== 'SCHEMA') return undefined;
      const ifNotExists = up(i + 1) === 'IF';
      const name = nameAt(words, i + 1);
      return (env) => {
        if (!name) throw notImplemented(`this CREATE ${object} form`, s.sql);
        checkOptions(words.slice(name.next), object, s.sql);
        return object === 'DATABASE' ? createDatabase(s, name.parts, orReplace, ifNotExists, env) : createSchema(s, name.parts, orReplace, ifNotExists, env);
      };
    }
    if (up(0) === 'DROP' && (up(1) === 'DATABASE' || up(1) === 'SCHEMA')) {
      const object = up(1);
      const ifExists = up(2) === 'IF';
      const name = nameAt(words, 2);
      return (env) => {
        if (!name) throw notImplemented(`this DROP ${object} form`, s.sql);
        const rest = words.slice(name.next).map((t) => t.text.toUpperCase());
        if (rest.length > 0 && !(rest.length === 1 && rest[0] === 'CASCADE')) throw notImplemented(`DROP ${object} … ${rest.join(' ')}`, s.sql);
        return object === 'DATABASE' ? dropDatabase(s, name.parts, ifExists, env) : dropSchema(s, name.parts, ifExists, env);
      };
    }
    return undefined;
  },
};

/** Options after the name: COMMENT and the retention parameters change nothing locally; anything else is refused by name. */
function checkOptions(rest: Token[], object: string, sql: string): void {
  let i = 0;
  const up = (k: number): string => (rest[k]?.kind === 'word' ? (rest[k] as Token).text.toUpperCase() : (rest[k]?.text ?? ''));
  while (i < rest.length) {
    if (object === 'SCHEMA' && up(i) === 'WITH' && up(i + 1) === 'MANAGED' && up(i + 2) === 'ACCESS') {
      i += 3;
      continue;
    }
    if (/^(COMMENT|DATA_RETENTION_TIME_IN_DAYS|MAX_DATA_EXTENSION_TIME_IN_DAYS)$/.test(up(i)) && up(i + 1) === '=' && rest[i + 2] !== undefined) {
      i += 3;
      continue;
    }
    throw notImplemented(`CREATE ${object} … ${up(i)}`, sql);
  }
}

function exists(name: string, sql: string): LocalSnowflakeError {
  return new LocalSnowflakeError(2002, '42710', `SQL compilation error:\nObject '${name}' already exists.`, sql);
}

/** DuckDB statements dropping a schema with everything in it, and the runtime's metadata of its tables. */
function dropSchemaSql(duckSchema: string): Array<{ sql: string; params?: string[] }> {
  const prefix = `${duckSchema}\u001f`;
  return [
    { sql: `DROP SCHEMA IF EXISTS ${quoteIdent(duckSchema)} CASCADE` },
    { sql: 'DELETE FROM sf_local.declared_columns WHERE starts_with(TABLE_NAME, ?)', params: [prefix] },
    { sql: 'DELETE FROM sf_local.hybrid_tables WHERE starts_with(NAME, ?)', params: [prefix] },
  ];
}

function schemasOf(host: RuntimeHost, database: string): string[] {
  return [...host.catalog.schemas].filter((d) => d !== MAIN_SCHEMA && snowflakeSchemaOf(d).database === database);
}

function run(session: SessionInternals, host: RuntimeHost, statements: Array<{ sql: string; params?: string[] }>, sql: string): void {
  try {
    session.engineRun(statements, sql);
  } finally {
    host.catalogChanged();
  }
}

function createDatabase(s: Statement, parts: string[], orReplace: boolean, ifNotExists: boolean, { session, host, scope, queryId }: StatementEnv): StatementResult {
  if (parts.length !== 1) throw notImplemented(`the database name ${parts.join('.')}`, s.sql);
  const name = parts[0] as string;
  implicitCommit(session, host, scope, s.sql);
  duckSchemaOf(name, DEFAULT_SCHEMA, s.sql);
  const present = databaseExists(host.catalog, name);
  if (present && ifNotExists) return status(`${name} already exists, statement succeeded.`, queryId, s.sql);
  if (present && name === DEFAULT_DATABASE) {
    if (orReplace) throw notImplemented(`CREATE OR REPLACE DATABASE ${DEFAULT_DATABASE} (the local runtime's default database)`, s.sql);
    throw exists(name, s.sql);
  }
  if (present && !orReplace) throw exists(name, s.sql);
  const folded = [...host.catalog.databases, DEFAULT_DATABASE].find((d) => d !== name && d.toLowerCase() === name.toLowerCase());
  if (folded !== undefined) throw notImplemented(`a database "${name}" beside database "${folded}" (names differing only in case are one name locally)`, s.sql);
  if (present) dropScheduled(host, name);
  run(
    session,
    host,
    [
      ...schemasOf(host, name).flatMap(dropSchemaSql),
      { sql: 'INSERT OR IGNORE INTO sf_local.databases VALUES (?)', params: [name] },
      { sql: `CREATE SCHEMA ${quoteIdent(duckSchemaOf(name, DEFAULT_SCHEMA, s.sql))}` },
    ],
    s.sql,
  );
  // "The CREATE DATABASE command also implicitly changes the current database to the newly created one."
  session.setNames({ database: name, schema: DEFAULT_SCHEMA });
  return status(`Database ${name} successfully created.`, queryId, s.sql);
}

function createSchema(s: Statement, parts: string[], orReplace: boolean, ifNotExists: boolean, { session, host, scope, queryId }: StatementEnv): StatementResult {
  const { database, schema, duckSchema } = resolveSchema(parts, session.names, host.catalog, s.sql, false);
  implicitCommit(session, host, scope, s.sql);
  const present = host.catalog.schemas.has(duckSchema);
  const folded = [...host.catalog.schemas].find((d) => d !== duckSchema && d.toLowerCase() === duckSchema.toLowerCase());
  if (folded !== undefined) {
    const other = snowflakeSchemaOf(folded);
    throw notImplemented(`a schema ${database}.${schema} beside schema ${other.database}.${other.schema} (names differing only in case are one name locally)`, s.sql);
  }
  if (present && ifNotExists) return status(`${schema} already exists, statement succeeded.`, queryId, s.sql);
  if (present && !orReplace) throw exists(schema, s.sql);
  if (present && duckSchema === MAIN_SCHEMA) throw notImplemented(`CREATE OR REPLACE SCHEMA ${DEFAULT_DATABASE}.${DEFAULT_SCHEMA} (the local engine's main schema)`, s.sql);
  if (present) dropScheduled(host, database, schema);
  run(session, host, [...(present ? dropSchemaSql(duckSchema) : []), { sql: `CREATE SCHEMA ${quoteIdent(duckSchema)}` }], s.sql);
  session.setNames({ database, schema });
  return status(`Schema ${schema} successfully created.`, queryId, s.sql);
}

function dropDatabase(s: Statement, parts: string[], ifExists: boolean, { session, host, scope, queryId }: StatementEnv): StatementResult {
  if (parts.length !== 1) throw notImplemented(`the database name ${parts.join('.')}`, s.sql);
  const name = parts[0] as string;
  if (name === DEFAULT_DATABASE) throw notImplemented(`DROP DATABASE ${DEFAULT_DATABASE} (the local runtime's default database)`, s.sql);
  implicitCommit(session, host, scope, s.sql);
  if (!host.catalog.databases.has(name)) {
    if (ifExists) return status('Drop statement executed successfully.', queryId, s.sql);
    throw missingDatabase(name, s.sql);
  }
  dropScheduled(host, name);
  run(session, host, [...schemasOf(host, name).flatMap(dropSchemaSql), { sql: 'DELETE FROM sf_local.databases WHERE NAME = ?', params: [name] }], s.sql);
  return status(`${name} successfully dropped.`, queryId, s.sql);
}

function dropSchema(s: Statement, parts: string[], ifExists: boolean, { session, host, scope, queryId }: StatementEnv): StatementResult {
  const { database, schema, duckSchema } = resolveSchema(parts, session.names, host.catalog, s.sql, false);
  if (duckSchema === MAIN_SCHEMA) throw notImplemented(`DROP SCHEMA ${DEFAULT_DATABASE}.${DEFAULT_SCHEMA} (the local engine's main schema)`, s.sql);
  implicitCommit(session, host, scope, s.sql);
  if (!host.catalog.schemas.has(duckSchema)) {
    if (ifExists) return status('Drop statement executed successfully.', queryId, s.sql);
    throw missingSchema(database, schema, s.sql);
  }
  dropScheduled(host, database, schema);
  run(session, host, dropSchemaSql(duckSchema), s.sql);
  return status(`${schema} successfully dropped.`, queryId, s.sql);
}

/** The tasks, alerts and procedures of a schema (or database) that is dropped or replaced go with it. */
function dropScheduled(host: StatementEnv['host'], database: string, schema?: string): void {
  host.tasks.dropIn(database, schema);
  host.alerts.dropIn(database, schema);
  // Procedures are keyed "S.NAME" in LOCAL and "D.S.NAME" elsewhere (statements/kind.ts procedureKeyed).
  host.procedures.dropIn(`${database === DEFAULT_DATABASE ? '' : `${database}.`}${schema === undefined ? '' : `${schema}.`}`);
}

/** USE [DATABASE] d, USE [SCHEMA] [d.]s: USE of a two-part name is USE SCHEMA. */
function use(s: Statement, words: Token[], { session, host, ctx, queryId }: StatementEnv): StatementResult {
  if (ctx.procedure) throw notImplemented('USE inside a stored procedure', s.sql);
  const keyword = words[1]?.kind === 'word' ? (words[1] as Token).text.toUpperCase() : '';
  const explicit = keyword === 'DATABASE' || keyword === 'SCHEMA';
  const name = nameAt(words, explicit ? 2 : 1);
  if (!name || name.next !== words.length) throw notImplemented(`this USE form (${s.text})`, s.sql);
  const asSchema = keyword === 'SCHEMA' || (!explicit && name.parts.length === 2);
  if (!asSchema) {
    if (name.parts.length !== 1) throw notImplemented(`the database name ${name.parts.join('.')}`, s.sql);
    const database = name.parts[0] as string;
    if (!databaseExists(host.catalog, database)) throw missingDatabase(database, s.sql);
    // USE DATABASE makes PUBLIC the current schema, unless the database has none.
    const hasPublic = host.catalog.schemas.has(duckSchemaOf(database, DEFAULT_SCHEMA, s.sql));
    session.setNames({ database, schema: hasPublic ? DEFAULT_SCHEMA : null });
    return status('Statement executed successfully.', queryId, s.sql);
  }
  const { database, schema } = resolveSchema(name.parts, session.names, host.catalog, s.sql, true);
  session.setNames({ database, schema });
  return status('Statement executed successfully.', queryId, s.sql);
}
