/**
 * Context functions: CURRENT_DATABASE() and CURRENT_SCHEMA() give the session's current database
 * and schema, which USE, CREATE DATABASE and CREATE SCHEMA change
 * (https://docs.snowflake.com/en/sql-reference/functions/current_database,
 * https://docs.snowflake.com/en/sql-reference/functions/current_schema). The session keeps them
 * in DuckDB variables of each of its connections (LocalSession.setNames); a connection that never
 * ran USE is in LOCAL.PUBLIC. No database or schema in use (USE DATABASE of a database without
 * PUBLIC, a login naming a database that does not exist) is an empty variable, and the function
 * then returns NULL (not confirmed against the documentation, which was not found to say). The macros take DuckDB's own
 * names, so an unaliased call is named CURRENT_DATABASE() as in Snowflake; they are evaluated
 * when a statement runs, so a view calling them answers for the session that queries it.
 */
import { notImplemented } from '../../errors.js';
import { replaceInCode } from '../rewrite.js';
import { DEFAULT_DATABASE, DEFAULT_SCHEMA } from '../names.js';
import type { FunctionFamily } from './family.js';

/**
 * The other context functions, answered with fixed local values (DuckDB has CURRENT_USER and
 * CURRENT_ROLE, which answer 'duckdb'): the user LOCAL_USER and role LOCAL_OWNER (the owner SHOW
 * TASKS and SHOW ALERTS print), account, account name, organization and region LOCAL, version
 * 0.0.0-local; no warehouse is in use (USE WAREHOUSE has no effect), so CURRENT_WAREHOUSE() is
 * NULL, as Snowflake answers then (https://docs.snowflake.com/en/sql-reference/functions/current_warehouse).
 * CURRENT_SESSION() and CURRENT_STATEMENT() are not implemented.
 */
const CONTEXT_VALUES: Record<string, string> = {
  CURRENT_USER: "'LOCAL_USER'",
  CURRENT_ROLE: "'LOCAL_OWNER'",
  CURRENT_AVAILABLE_ROLES: `'["LOCAL_OWNER"]'`,
  CURRENT_SECONDARY_ROLES: `'{"roles":"","value":""}'`,
  CURRENT_WAREHOUSE: 'CAST(NULL AS VARCHAR)',
  CURRENT_ACCOUNT: "'LOCAL'",
  CURRENT_ACCOUNT_NAME: "'LOCAL'",
  CURRENT_ORGANIZATION_NAME: "'LOCAL'",
  CURRENT_REGION: "'LOCAL'",
  CURRENT_VERSION: "'0.0.0-local'",
};

export const contextFunctions: FunctionFamily = {
  name: 'context (CURRENT_DATABASE, CURRENT_SCHEMA, CURRENT_USER, CURRENT_ROLE, …)',
  setup: [
    `CREATE OR REPLACE MACRO current_database() AS CASE WHEN getvariable('sf_current_database') IS NULL THEN '${DEFAULT_DATABASE}' ELSE nullif(getvariable('sf_current_database'), '') END`,
    `CREATE OR REPLACE MACRO current_schema() AS CASE WHEN getvariable('sf_current_schema') IS NULL THEN '${DEFAULT_SCHEMA}' ELSE nullif(getvariable('sf_current_schema'), '') END`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/CURRENT_/i.test(sql)) return sql;
    return replaceInCode(sql, /(?<![\w$.])(CURRENT_[A-Z_]+)\b(\s*\(\s*\))?/gi, (original, m) => {
      const name = (m[1] ?? '').toUpperCase();
      if (name === 'CURRENT_SESSION' || name === 'CURRENT_STATEMENT') throw notImplemented(`${name}()`, sql);
      const value = CONTEXT_VALUES[name];
      // Only the call form: CURRENT_USER without parentheses could be a column of that name.
      return value !== undefined && (m[2] !== undefined || name === 'CURRENT_USER' || name === 'CURRENT_ROLE') ? value : original;
    });
  },
};
