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
import { DEFAULT_DATABASE, DEFAULT_SCHEMA } from '../names.js';
import type { FunctionFamily } from './family.js';

export const contextFunctions: FunctionFamily = {
  name: 'context (CURRENT_DATABASE, CURRENT_SCHEMA)',
  setup: [
    `CREATE OR REPLACE MACRO current_database() AS CASE WHEN getvariable('sf_current_database') IS NULL THEN '${DEFAULT_DATABASE}' ELSE nullif(getvariable('sf_current_database'), '') END`,
    `CREATE OR REPLACE MACRO current_schema() AS CASE WHEN getvariable('sf_current_schema') IS NULL THEN '${DEFAULT_SCHEMA}' ELSE nullif(getvariable('sf_current_schema'), '') END`,
  ],
};
