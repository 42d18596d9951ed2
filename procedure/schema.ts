/**
 * Schema drift, checked without a catalog query in every run.
 *
 * Every run's window statement returns the source's and the replica's columns (no rows), so its
 * metadata names each column with its SQL type and scale. That fingerprint is compared with the
 * one stored in the sync's state row. Only when it differs, or the last full check is older
 * than an hour, does the run `DESCRIBE` both tables and compare names, types, lengths,
 * precisions and scales, before anything is written. A length or precision change is invisible
 * to the fingerprint; the hourly full check finds it.
 */
import { canonicalName } from './identifiers.js';
import type { ResultSet, Statement } from './snowflake-api.js';
import { SOURCE_MARKER, TARGET_MARKER, type QuotedNames, type SchemaRecord, type WatermarkType } from './sql.js';

/** A full check is repeated at least this often (seconds), to catch length-only changes. */
export const FULL_CHECK_EVERY_SECONDS = 3600;

/** What a run checks the schema against, and how to name the fix. */
export interface SchemaContext {
  q: QuotedNames;
  /** Columns of either table beyond the configured ones are left alone (the config lists a subset). */
  allowExtraColumns?: boolean;
  /** How to re-sync in place after a fix, e.g. `CALL RESYNC_PIPELINE_RUN_HISTORY_PROC()`. */
  resyncHint: string;
}

/** Thrown when source, replica and configuration disagree; nothing has been written. */
export class SchemaDriftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaDriftError';
  }
}

/** The column names, types and scales of source and replica, from a window statement's metadata. */
export function metadataFingerprint(stmt: Statement): string {
  const n = stmt.getColumnCount();
  const out: string[] = [];
  let side = '';
  for (let i = 1; i <= n; i++) {
    const name = stmt.getColumnName(i);
    if (name === SOURCE_MARKER || name === TARGET_MARKER) {
      side = name === SOURCE_MARKER ? 'S' : 'T';
      out.push(side);
      continue;
    }
    if (side === '') continue;
    out.push(`${name}:${stmt.getColumnSqlType(i)}:${stmt.getColumnScale(i)}`);
  }
  return out.join(',');
}

/** The column names of one side of a fingerprint. */
function fingerprintNames(fingerprint: string, side: 'S' | 'T'): string[] {
  const items = fingerprint.split(',');
  const out: string[] = [];
  let current = '';
  for (const item of items) {
    if (item === 'S' || item === 'T') {
      current = item;
      continue;
    }
    if (current === side) out.push(item.slice(0, item.indexOf(':')));
  }
  return out;
}

/** A column as `DESCRIBE TABLE` reports it. */
export interface DescribedColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** Reads `DESCRIBE TABLE` rows. */
export function readDescribe(rs: ResultSet): DescribedColumn[] {
  const out: DescribedColumn[] = [];
  while (rs.next()) {
    out.push({
      name: String(rs.getColumnValue('name')),
      type: String(rs.getColumnValue('type')).toUpperCase().replace(/\s+/g, ''),
      nullable: String(rs.getColumnValue('null?')).toUpperCase() === 'Y',
    });
  }
  return out;
}

interface ParsedType {
  base: string;
  /** Length (text), precision (number, timestamp). */
  size: number | null;
  scale: number | null;
}

function parseType(type: string): ParsedType {
  const m = /^([A-Z_]+)(?:\((\d+)(?:,(\d+))?\))?/.exec(type);
  if (!m) return { base: type, size: null, scale: null };
  let base = m[1] as string;
  if (base === 'TEXT' || base === 'STRING') base = 'VARCHAR';
  return { base, size: m[2] === undefined ? null : Number(m[2]), scale: m[3] === undefined ? null : Number(m[3]) };
}

/**
 * Whether every value of `source`'s type fits `target`'s unchanged: same base type and scale,
 * a length or precision at least as large.
 */
export function fits(source: string, target: string): boolean {
  const s = parseType(source);
  const t = parseType(target);
  if (s.base !== t.base || s.scale !== t.scale) return false;
  if (s.size !== null && t.size !== null && t.size < s.size) return false;
  return true;
}

/**
 * The statement that makes the replica's column hold the source's values, when only its length or
 * precision is smaller (the source's column was widened): `ALTER … SET DATA TYPE`, which Snowflake
 * allows for text lengths and number precisions (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column).
 */
export function wideningFix(table: string, column: string, source: string, target: string): string | null {
  const s = parseType(source);
  const t = parseType(target);
  if (s.base !== t.base || s.scale !== t.scale || s.size === null || t.size === null || t.size >= s.size) return null;
  if (s.base !== 'VARCHAR' && s.base !== 'NUMBER' && s.base !== 'BINARY') return null;
  return `ALTER TABLE ${table} ALTER COLUMN ${column} SET DATA TYPE ${source}`;
}

const WATERMARK_TYPES: WatermarkType[] = ['TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ'];

/**
 * The full check: configured columns against both tables, and each source type against the
 * replica's. Returns what the state row keeps, or throws naming every difference and the fix.
 */
export function checkSchema(ctx: SchemaContext, source: DescribedColumn[], target: DescribedColumn[], fingerprint: string): SchemaRecord {
  const q = ctx.q;
  const wanted = q.columns.map((c) => canonicalName(c));
  const problems: string[] = [];
  const sides: Array<[string, string, DescribedColumn[]]> = [
    ['source', q.source, source],
    ['replica', q.target, target],
  ];
  const absent: string[] = [];
  for (const [label, table, cols] of sides) {
    if (cols.length === 0) {
      absent.push(`${label} table ${table} does not exist or is not visible to the procedure owner`);
      continue;
    }
    const have = cols.map((c) => c.name);
    const extra = have.filter((c) => wanted.indexOf(c) < 0);
    const missing = wanted.filter((c) => have.indexOf(c) < 0);
    if (extra.length && ctx.allowExtraColumns !== true) problems.push(`${label} table ${table} has column(s) ${extra.join(', ')} that the sync does not replicate`);
    if (missing.length) problems.push(`${label} table ${table} lacks column(s) ${missing.join(', ')}`);
  }
  if (problems.length === 0 && absent.length === 0) {
    wanted.forEach((name, i) => {
      const s = source.filter((c) => c.name === name)[0] as DescribedColumn;
      const t = target.filter((c) => c.name === name)[0] as DescribedColumn;
      if (!fits(s.type, t.type)) {
        const fix = wideningFix(q.target, q.columns[i] as string, s.type, t.type);
        problems.push(`column ${name} is ${s.type} in the source but ${t.type} in the replica (the replica must hold every source value unchanged${fix ? `; fix: ${fix};` : ''})`);
      }
    });
  }
  const wmName = canonicalName(q.watermark);
  const wm = source.filter((c) => c.name === wmName)[0];
  let watermarkType: WatermarkType = 'TIMESTAMP_NTZ';
  if (wm) {
    const base = parseType(wm.type).base as WatermarkType;
    if (WATERMARK_TYPES.indexOf(base) < 0) {
      throw new SchemaDriftError(
        `watermark column ${wmName} of ${q.source} is ${wm.type}: a watermark must be TIMESTAMP_NTZ (holding UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ. ` +
          'Nothing was written. Fix: add a timestamp column that every insert and update sets (e.g. LAST_UPDATE_DATE TIMESTAMP_NTZ(9) DEFAULT SYSDATE() NOT NULL) ' +
          'and configure it as watermarkColumn.',
      );
    }
    watermarkType = base;
  }
  if (absent.length > 0) {
    throw new SchemaDriftError(
      `${absent.concat(problems).join('; ')}. Nothing was written. Create it (npm run deploy creates the shipped tables; the replica of another ` +
        "pair with the source's columns and primary key), grant the procedure's owner access, or correct the table name in the sync's configuration.",
    );
  }
  if (problems.length > 0) {
    throw new SchemaDriftError(
      `schema mismatch: ${problems.join('; ')}. Nothing was written. Fix the replica (or the sync's columns) so that both tables have the ` +
        `configured columns with the same types, then re-sync the affected rows in place: ${ctx.resyncHint}.` +
        (problems.some((p) => / that the sync does not replicate$/.test(p))
          ? ' A sync deployed from hybrid-sync.toml copies every column of its source: run its deploy again, which adds the new column to the replica and to the sync.'
          : ''),
    );
  }
  return { fingerprint, watermarkType, watermarkNullable: wm ? wm.nullable : false };
}

/** Whether the fingerprint's column names match the configuration (checked every run, free). */
export function namesMatch(q: QuotedNames, fingerprint: string, allowExtraColumns = false): boolean {
  const wanted = q.columns.map((c) => canonicalName(c));
  const fits = (side: 'S' | 'T'): boolean => {
    const have = fingerprintNames(fingerprint, side);
    return allowExtraColumns ? wanted.every((c) => have.indexOf(c) >= 0) : have.slice().sort().join(',') === wanted.slice().sort().join(',');
  };
  return fits('S') && fits('T');
}
