/**
 * A function family: the DuckDB macros that give Snowflake functions their meaning, and the text
 * rewrite for forms a macro cannot take (variable argument lists). Adding a Snowflake function is
 * one family file here (or a line in one), listed in `families.ts`, with its test file under
 * test/local/functions/. A Snowflake function whose name DuckDB already uses with another meaning
 * (ARRAY_CONTAINS, TYPEOF, TO_JSON, …) is a macro named SF_NAME, and the family's rewrite renames
 * the calls (rewrite.ts `renameCalls`): shadowing DuckDB's own name would also change the DuckDB
 * macros and runtime queries that call it.
 */
export interface FunctionFamily {
  readonly name: string;
  /** `CREATE OR REPLACE MACRO …` statements, run once per database (idempotent). */
  readonly setup: readonly string[];
  /**
   * Macros with a typed overload (`d DATE`), run after every family's setup only where the
   * database can hold them (an in-memory one; see compat/functions.ts typedSetupSql).
   */
  readonly typedSetup?: readonly string[];
  /** A rewrite applied to every statement sent to DuckDB (returns its input when it does not apply). */
  readonly rewrite?: (sql: string) => string;
  /**
   * The rewrite reads `::` casts as written, so it runs before the cast and type rewrites of
   * compat/transform.ts (which would otherwise have turned `x::VARCHAR` into `SF_TEXT(x)`).
   */
  readonly beforeCasts?: boolean;
}
