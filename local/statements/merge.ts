/**
 * `MERGE INTO t USING s ON … WHEN [NOT] MATCHED [AND …] THEN UPDATE | DELETE | INSERT`, run on
 * DuckDB with `RETURNING merge_action` so that the answer has Snowflake's count columns (one per
 * kind of clause present). https://docs.snowflake.com/en/sql-reference/sql/merge
 */
import { isMerge } from '../compat/merge.js';
import type { StatementKind } from './kind.js';
import { runOnEngine } from './query.js';

export const merge: StatementKind = {
  name: 'MERGE',
  match(s) {
    return /^MERGE /.test(s.upper) && isMerge(s.sql) ? (env) => runOnEngine(s, env, true) : undefined;
  },
};
