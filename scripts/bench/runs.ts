/**
 * One timed run of each thing the figures compare: our procedure (the shipped default, or the
 * generic HYBRID_SYNC_TABLE with another batch size), the seed's flow, and a bare MERGE. The
 * statements a CALL issued are read from the runtime's statement log (callDepth > 0).
 */
import type { LogEntry } from '../../local/index.js';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import { mergeStatement, quoteConfig } from '../../procedure/sql.js';
import type { SyncSummary } from '../../procedure/sync.js';
import type { BenchDb } from './fixture.js';
import { COLUMNS, PROC, SRC, TGT } from './fixture.js';
import { SEED_FLOW_PROC } from './seed-flow.js';

/** What one timed run did. */
export interface RunResult {
  /** Wall time of the client's call, in milliseconds. */
  ms: number;
  /** Statements issued inside the CALL (1 for a bare MERGE). */
  statements: number;
  /** Rows the MERGE(s) inserted + updated. */
  merged: number;
  /** Time spent in MERGE statements, and in everything else the CALL issued. */
  mergeMs: number;
  otherMs: number;
  /** The first statement's time (our state read; the seed's watermark read). */
  firstMs: number;
  /** The first two statements' time (our state read and window statement). */
  firstTwoMs: number;
  /** Our procedure's VARIANT result; undefined for the seed flow and a bare MERGE. */
  summary?: SyncSummary;
}

/** How our procedure is called. */
export type OursVariant = { kind: 'default' } | { kind: 'generic'; batchSize?: number; lookbackSeconds?: number };

function inside(db: BenchDb, afterSeq: number): LogEntry[] {
  return db.sf.log.entries.filter((e) => e.seq > afterSeq && e.callDepth > 0);
}

function lastSeq(db: BenchDb): number {
  const e = db.sf.log.entries;
  return e.length === 0 ? 0 : (e[e.length - 1] as LogEntry).seq;
}

function fromLog(ms: number, entries: LogEntry[]): RunResult {
  const merges = entries.filter((e) => /^\s*MERGE\b/i.test(e.sql));
  const mergeMs = merges.reduce((a, e) => a + e.durationMs, 0);
  const all = entries.reduce((a, e) => a + e.durationMs, 0);
  return {
    ms,
    statements: entries.length,
    merged: merges.reduce((a, e) => a + e.rowsAffected, 0),
    mergeMs,
    otherMs: all - mergeMs,
    firstMs: entries[0]?.durationMs ?? 0,
    firstTwoMs: (entries[0]?.durationMs ?? 0) + (entries[1]?.durationMs ?? 0),
  };
}

/** The CALL text and binds of a variant. */
export function callText(variant: OursVariant): { sql: string; binds: unknown[] } {
  if (variant.kind === 'default') return { sql: `CALL ${PROC}()`, binds: [] };
  const config = {
    sourceTable: SRC,
    targetTable: TGT,
    keyColumns: ['PIPELINE_RUN_ID'],
    columns: COLUMNS,
    ...(variant.batchSize === undefined ? {} : { batchSize: variant.batchSize }),
    ...(variant.lookbackSeconds === undefined ? {} : { lookbackSeconds: variant.lookbackSeconds }),
  };
  return { sql: 'CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', binds: [JSON.stringify(config)] };
}

/** One CALL of our procedure. */
export function runOurs(db: BenchDb, variant: OursVariant = { kind: 'default' }): RunResult {
  const { sql, binds } = callText(variant);
  const before = lastSeq(db);
  const t0 = performance.now();
  const r = db.s.execute(sql, binds);
  const ms = performance.now() - t0;
  const summary = r.rows[0]?.[0] as SyncSummary;
  const result = { ...fromLog(ms, inside(db, before)), summary };
  if (summary.statements !== result.statements) {
    // The procedure counts its own statements; the runtime's log must agree.
    throw new Error(`bench: the procedure reports ${summary.statements} statements, the statement log ${result.statements}`);
  }
  return result;
}

/** One CALL of the seed's flow (needs SEED_FLOW_SQL installed). */
export function runSeed(db: BenchDb): RunResult {
  const before = lastSeq(db);
  const t0 = performance.now();
  db.s.execute(`CALL ${SEED_FLOW_PROC}()`);
  const ms = performance.now() - t0;
  return fromLog(ms, inside(db, before));
}

/**
 * The MERGE our procedure issues for the window (low, high], run bare by the client: the same
 * text and binds (`mergeStatement` is what the procedure's bundle calls).
 */
export function bareMergeStatement(low: string | null, high: string): { sqlText: string; binds: Array<string | number | null> } {
  return mergeStatement(quoteConfig(PIPELINE_RUN_HISTORY), 'TIMESTAMP_NTZ', low, high);
}

/** One bare MERGE of the window (low, high]. */
export function runBareMerge(db: BenchDb, low: string | null, high: string): RunResult {
  const m = bareMergeStatement(low, high);
  const t0 = performance.now();
  const r = db.s.execute(m.sqlText, m.binds);
  const ms = performance.now() - t0;
  return { ms, statements: 1, merged: r.rowsAffected, mergeMs: ms, otherMs: 0, firstMs: ms, firstTwoMs: ms };
}
