/**
 * Values as Snowflake's JavaScript API returns them, rebuilt from DuckDB's cells.
 *
 * Type mapping (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#sql-and-javascript-data-type-mapping):
 * NUMBER/FLOAT → JS number (a double: use the exact text for ids past 2^53), TEXT → string,
 * BOOLEAN → boolean, TIMESTAMP_* and DATE → SfDate, VARIANT/OBJECT/ARRAY → parsed JSON.
 */
import type { WireCell, WireColumn } from './engine.js';

/** A result column with its Snowflake type. */
export interface ColumnInfo {
  name: string;
  /** Snowflake SQL type name: NUMBER, FLOAT, TEXT, BOOLEAN, DATE, TIMESTAMP_NTZ, TIMESTAMP_LTZ, VARIANT. */
  type: string;
  /** Scale of a NUMBER column (0 for integers). */
  scale?: number;
  /**
   * Whether the column may hold NULL. DuckDB's results do not carry nullability, so this is
   * always `true` locally (Snowflake reports `false` for NOT NULL table columns).
   */
  nullable: boolean;
}

/**
 * Snowflake's timestamp object: a `Date` (milliseconds) that also keeps the sub-millisecond
 * part. https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api#sfdate
 */
export class SfDate extends Date {
  private readonly nanos: number;
  private readonly scale: number;
  private readonly tzMinutes: number;
  /** `micros`: microseconds since the epoch (the local engine's precision). */
  constructor(micros: bigint, scale = 9, tzMinutes = 0) {
    const ms = floorDiv(micros, 1000n);
    super(Number(ms));
    this.nanos = Number(micros - floorDiv(micros, 1_000_000n) * 1_000_000n) * 1000;
    this.scale = scale;
    this.tzMinutes = tzMinutes;
  }
  /** Whole seconds since the epoch. */
  getEpochSeconds(): number {
    return Math.floor(this.getTime() / 1000);
  }
  /** The fraction of the second in nanoseconds (the local engine keeps microseconds: last 3 digits are 0). */
  getNanoSeconds(): number {
    return this.nanos;
  }
  /** The fractional-seconds precision of the column type (9 for TIMESTAMP_NTZ(9)). */
  getScale(): number {
    return this.scale;
  }
  /** Offset from UTC in minutes (0 for TIMESTAMP_NTZ). */
  getTimezone(): number {
    return this.tzMinutes;
  }
  /** Printed like Snowflake's default TIMESTAMP output format, `YYYY-MM-DD HH24:MI:SS.FF3`. */
  override toString(): string {
    return formatMicros(BigInt(this.getTime()) * 1000n + BigInt(Math.floor(this.nanos / 1000) % 1000), 3);
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `YYYY-MM-DD HH:MI:SS[.fraction]` for a microsecond instant, in UTC, with `digits` fraction digits. */
export function formatMicros(micros: bigint, digits: number): string {
  const seconds = floorDiv(micros, 1_000_000n);
  const fraction = micros - seconds * 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2026-01-01T00:00:00.000Z
  const base = iso.slice(0, 10) + ' ' + iso.slice(11, 19);
  if (digits === 0) return base;
  const nine = fraction.toString().padStart(6, '0') + '000';
  return base + '.' + nine.slice(0, digits);
}

/** The Snowflake type of a DuckDB result column. */
export function snowflakeType(column: WireColumn): { type: string; scale: number } {
  const t = column.type.toUpperCase();
  if (t.endsWith(']')) return { type: 'ARRAY', scale: 0 };
  if (t.startsWith('STRUCT') || t.startsWith('MAP')) return { type: 'OBJECT', scale: 0 };
  if (t.startsWith('DECIMAL')) return { type: 'NUMBER', scale: column.scale };
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$/.test(t)) return { type: 'NUMBER', scale: 0 };
  if (t === 'DOUBLE' || t === 'FLOAT') return { type: 'FLOAT', scale: 0 };
  if (t === 'VARCHAR') return { type: 'TEXT', scale: 0 };
  if (t === 'BOOLEAN') return { type: 'BOOLEAN', scale: 0 };
  if (t === 'DATE') return { type: 'DATE', scale: 0 };
  if (t === 'TIMESTAMP WITH TIME ZONE') return { type: 'TIMESTAMP_LTZ', scale: 9 };
  if (t.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP_NTZ', scale: 9 };
  if (t === 'JSON') return { type: 'VARIANT', scale: 0 };
  return { type: 'TEXT', scale: 0 };
}

/** How timestamps are materialised: the sandbox passes its own realm's SfDate. */
export type DateFactory = (micros: bigint, scale: number) => Date;

/** The JavaScript value Snowflake's API would give for a cell. */
export function cellValue(cell: WireCell, column: ColumnInfo, makeDate: DateFactory): unknown {
  if (cell === null) return null;
  switch (column.type) {
    case 'NUMBER':
    case 'FLOAT':
      return typeof cell === 'number' ? cell : Number(cell);
    case 'BOOLEAN':
      return Boolean(cell);
    case 'DATE':
      return makeDate(BigInt(cell as number) * 86_400_000_000n, 0);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return makeDate(BigInt(cell), 9);
    case 'VARIANT':
    case 'ARRAY':
    case 'OBJECT':
      try {
        return JSON.parse(String(cell));
      } catch {
        return String(cell);
      }
    default:
      return typeof cell === 'bigint' ? cell.toString() : cell;
  }
}

/** The cell as text, exactly (what `getColumnValueAsString` returns). */
export function cellText(cell: WireCell, column: ColumnInfo): string | null {
  if (cell === null) return null;
  switch (column.type) {
    case 'DATE':
      return formatMicros(BigInt(cell as number) * 86_400_000_000n, 0).slice(0, 10);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      // Snowflake's default TIMESTAMP_OUTPUT_FORMAT prints milliseconds.
      return formatMicros(BigInt(cell), 3);
    default:
      return String(cell);
  }
}

/** A host-side SfDate (outside the sandbox). */
export const hostDate: DateFactory = (micros, scale) => new SfDate(micros, scale);
