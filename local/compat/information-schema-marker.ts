/**
 * The marker name resolution (compat/names.ts) puts in place of `[D.]INFORMATION_SCHEMA.VIEW`;
 * compat/information-schema.ts replaces it with the view's rows before the statement runs.
 */
import { notImplemented } from '../errors.js';
import { quoteString } from '../sql-text.js';

export const INFORMATION_SCHEMA_VIEWS = new Set(['TABLES', 'COLUMNS', 'SCHEMATA', 'VIEWS', 'HYBRID_TABLES', 'DATABASES']);

export const MARKER = /sf_information_schema\('((?:[^']|'')*)', '([A-Z_]+)'\)/g;

/** The text for `[D.]INFORMATION_SCHEMA.VIEW`; views the runtime does not build fail as not implemented. */
export function informationSchemaMarker(database: string, view: string, sql: string): string {
  if (!INFORMATION_SCHEMA_VIEWS.has(view)) throw notImplemented(`the INFORMATION_SCHEMA view ${view} (only ${[...INFORMATION_SCHEMA_VIEWS].join(', ')})`, sql);
  return `sf_information_schema(${quoteString(database)}, ${quoteString(view)})`;
}
