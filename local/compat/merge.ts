/**
 * MERGE and the DML result shape.
 *
 * Snowflake answers DML with one row of counts
 * (https://docs.snowflake.com/en/sql-reference/sql/merge#output): MERGE gives
 * `number of rows inserted`, `number of rows updated`, `number of rows deleted` (one column per
 * kind of clause present); INSERT gives `number of rows inserted`; UPDATE gives
 * `number of rows updated` and `number of multi-joined rows updated`; DELETE gives
 * `number of rows deleted`. DuckDB's MERGE reports one count, so the runtime appends
 * `RETURNING merge_action` and counts the actions.
 */
import { mask } from './rewrite.js';

/** Whether the statement is a MERGE. */
export function isMerge(sql: string): boolean {
  return /^\s*MERGE\s+INTO\b/i.test(mask(sql));
}

/** The MERGE with `RETURNING merge_action`, so each changed row reports its action. */
export function mergeReturningAction(sql: string): string {
  const masked = mask(sql);
  if (/\bRETURNING\b/i.test(masked)) return sql;
  return sql.replace(/[\s;]+$/, '') + '\nRETURNING merge_action';
}

/** The kinds of MERGE clause present, in Snowflake's output column order. */
export function mergeClauses(sql: string): { insert: boolean; update: boolean; delete: boolean } {
  const masked = mask(sql);
  return {
    insert: /\bTHEN\s+INSERT\b/i.test(masked),
    update: /\bTHEN\s+UPDATE\b/i.test(masked),
    delete: /\bTHEN\s+DELETE\b/i.test(masked),
  };
}

/** Counts of a DML statement. */
export interface DmlCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/** The result columns and row Snowflake returns for a MERGE with these clauses. */
export function mergeResult(sql: string, counts: DmlCounts): { names: string[]; row: number[] } {
  const clauses = mergeClauses(sql);
  const names: string[] = [];
  const row: number[] = [];
  if (clauses.insert) {
    names.push('number of rows inserted');
    row.push(counts.inserted);
  }
  if (clauses.update) {
    names.push('number of rows updated');
    row.push(counts.updated);
  }
  if (clauses.delete) {
    names.push('number of rows deleted');
    row.push(counts.deleted);
  }
  return { names, row };
}
