/**
 * What a statement returns: Snowflake's columns and values, plus its DML counts.
 */
import type { WireCell, WireResult } from './engine.js';
import { cellText, cellValue, hostDate, snowflakeType, type ColumnInfo } from './values.js';

/** The outcome of one statement. */
export interface StatementResult {
  columns: ColumnInfo[];
  /** Values as Snowflake's JavaScript API gives them (numbers, strings, booleans, SfDate, objects, null). */
  rows: unknown[][];
  /** Inserted + updated + deleted. */
  rowsAffected: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  queryId: string;
  /** The statement as given. */
  sqlText: string;
  /** The exact text of a cell (0-based row and column): full digits for NUMBER(38,0). */
  text(row: number, column: number): string | null;
  /** The rows as objects keyed by column name. */
  objects(): Record<string, unknown>[];
  /** The cells as the engine returned them (the sandbox converts them for its own realm). */
  readonly raw: WireCell[][];
}

/** Counts for the DML result shape. */
export interface Counts {
  inserted: number;
  updated: number;
  deleted: number;
}

class Result implements StatementResult {
  rows: unknown[][];
  constructor(
    readonly columns: ColumnInfo[],
    readonly raw: WireCell[][],
    readonly counts: Counts,
    readonly queryId: string,
    readonly sqlText: string,
    /** Minutes east of UTC of the session's zone at an instant, for TIMESTAMP_LTZ text. */
    private readonly zone?: (epochMs: number) => number,
  ) {
    this.rows = raw.map((r) => r.map((c, i) => cellValue(c, columns[i] as ColumnInfo, hostDate)));
  }
  get rowsAffected(): number {
    return this.counts.inserted + this.counts.updated + this.counts.deleted;
  }
  get rowsInserted(): number {
    return this.counts.inserted;
  }
  get rowsUpdated(): number {
    return this.counts.updated;
  }
  get rowsDeleted(): number {
    return this.counts.deleted;
  }
  text(row: number, column: number): string | null {
    const cell = this.raw[row]?.[column];
    const col = this.columns[column];
    if (cell === undefined || col === undefined) return null;
    return cellText(cell, col, this.zone);
  }
  objects(): Record<string, unknown>[] {
    return this.rows.map((r) => Object.fromEntries(this.columns.map((c, i) => [c.name, r[i]])));
  }
}

const NO_COUNTS: Counts = { inserted: 0, updated: 0, deleted: 0 };

/** A result from DuckDB's columns, names already mapped. */
export function fromWire(wire: WireResult, names: string[], counts: Counts, queryId: string, sqlText: string, zone?: (epochMs: number) => number): StatementResult {
  const columns = wire.columns.map((c, i): ColumnInfo => {
    const t = snowflakeType(c);
    return { name: names[i] ?? c.name, type: t.type, scale: t.scale, nullable: true };
  });
  return new Result(columns, wire.rows, counts, queryId, sqlText, zone);
}

/** A result the runtime makes itself (DML counts, status, SHOW, CALL). */
export function synthetic(
  columns: Array<{ name: string; type: string; scale?: number }>,
  raw: WireCell[][],
  queryId: string,
  sqlText: string,
  counts: Counts = NO_COUNTS,
): StatementResult {
  return new Result(
    columns.map((c) => ({ name: c.name, type: c.type, scale: c.scale ?? 0, nullable: true })),
    raw,
    counts,
    queryId,
    sqlText,
  );
}

/** Snowflake's answer to DDL and other statements without rows. */
export function status(message: string, queryId: string, sqlText: string): StatementResult {
  return synthetic([{ name: 'status', type: 'TEXT' }], [[message]], queryId, sqlText);
}
