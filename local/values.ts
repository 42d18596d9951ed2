/**
 * Values as Snowflake's JavaScript API returns them, rebuilt from DuckDB's cells.
 *
 * Type mapping (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#sql-and-javascript-data-type-mapping):
 * NUMBER/FLOAT → JS number (a double: use the exact text for ids past 2^53), TEXT → string,
 * BOOLEAN → boolean, TIMESTAMP_* and DATE → SfDate, TIME → string, VARIANT/OBJECT/ARRAY → parsed JSON.
 */
import type { WireCell, WireColumn } from './engine.js';

/** A result column with its Snowflake type. */
export interface ColumnInfo {
  name: string;
  /** Snowflake SQL type name: NUMBER, FLOAT, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, VARIANT. */
  type: string;
  /** Scale of a NUMBER column (0 for integers). */
  scale?: number;
  /**
   * Whether the column may hold NULL. DuckDB's results do not carry nullability, so this is
   * always `true` locally (Snowflake reports `false` for NOT NULL table columns).
   */
  nullable: boolean;
}

/** Which SQL type an SfDate came from: binding it back gives a value of that type. */
export type DateKind = 'NTZ' | 'LTZ' | 'TZ' | 'DATE';

/**
 * Snowflake's timestamp object: a `Date` (milliseconds) that also keeps the sub-millisecond
 * part, the type's scale and its time zone offset.
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api#object-sfdate
 */
export class SfDate extends Date {
  private readonly nanos: number;
  private readonly scale: number;
  private readonly tzMinutes: number;
  /** The SQL type it came from (NTZ, LTZ, TZ or DATE); a bind of it keeps that type. */
  readonly kind: DateKind;
  /** `micros`: microseconds since the epoch (the local engine's precision). */
  constructor(micros: bigint, scale = 9, tzMinutes = 0, kind: DateKind = 'NTZ') {
    const ms = floorDiv(micros, 1000n);
    super(Number(ms));
    this.nanos = Number(micros - floorDiv(micros, 1_000_000n) * 1_000_000n) * 1000;
    this.scale = scale;
    this.tzMinutes = tzMinutes;
    this.kind = kind;
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
  /** Offset from UTC in minutes (0 for TIMESTAMP_NTZ; the session's offset for TIMESTAMP_LTZ). */
  getTimezone(): number {
    return this.tzMinutes;
  }
  /**
   * As Snowflake's JavaScript engine prints a Date (it runs in UTC):
   * `Fri Jan 02 1970 03:04:05 GMT+0000 (Coordinated Universal Time)`.
   */
  override toString(): string {
    return utcDateString(this.getTime());
  }
  /** The instant in microseconds since the epoch. */
  get micros(): bigint {
    return BigInt(this.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(this.nanos / 1000));
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Date.prototype.toString` as a JavaScript engine whose local time zone is UTC prints it. */
export function utcDateString(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${String(d.getUTCFullYear()).padStart(4, '0')} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`
  );
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM` of an instant in the zone `zone` gives offsets of (minutes east of UTC). */
export function localTimestampText(micros: bigint, zone: (epochMs: number) => number): string {
  const offset = zone(Number(floorDiv(micros, 1000n)));
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${formatMicros(micros + BigInt(offset) * 60_000_000n, 3)} ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
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
  // TIME values travel as DuckDB prints them (HH:MM:SS[.ffffff]); a string in JavaScript
  // (https://docs.snowflake.com/en/developer-guide/udf-stored-procedure-data-type-mapping).
  if (t === 'TIME') return { type: 'TIME', scale: 9 };
  if (t === 'TIMESTAMP WITH TIME ZONE') return { type: 'TIMESTAMP_LTZ', scale: 9 };
  // DuckDB keeps no declared precision: seconds and milliseconds types say 0 and 3, the rest 9
  // (Snowflake's default; TIMESTAMP_NTZ(9) is stored in microseconds here).
  if (t === 'TIMESTAMP_S') return { type: 'TIMESTAMP_NTZ', scale: 0 };
  if (t === 'TIMESTAMP_MS') return { type: 'TIMESTAMP_NTZ', scale: 3 };
  if (t.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP_NTZ', scale: 9 };
  if (t === 'JSON') return { type: 'VARIANT', scale: 0 };
  return { type: 'TEXT', scale: 0 };
}

/** How timestamps are materialised (the sandbox tags them to rebuild them in its own realm). */
export type DateFactory = (micros: bigint, scale: number, kind: DateKind) => unknown;

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
      return makeDate(BigInt(cell as number) * 86_400_000_000n, 0, 'DATE');
    case 'TIMESTAMP_NTZ':
      return makeDate(BigInt(cell), column.scale ?? 9, 'NTZ');
    case 'TIMESTAMP_LTZ':
      return makeDate(BigInt(cell), column.scale ?? 9, 'LTZ');
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
export function cellText(cell: WireCell, column: ColumnInfo, zone?: (epochMs: number) => number): string | null {
  if (cell === null) return null;
  switch (column.type) {
    case 'DATE':
      return formatMicros(BigInt(cell as number) * 86_400_000_000n, 0).slice(0, 10);
    case 'TIMESTAMP_LTZ':
      // In the session's zone with its offset (Snowflake's default TIMESTAMP_OUTPUT_FORMAT,
      // YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM), when the result knows the session.
      if (zone) return localTimestampText(BigInt(cell), zone);
      return formatMicros(BigInt(cell), 3);
    case 'TIMESTAMP_NTZ':
      // Snowflake's default TIMESTAMP_NTZ_OUTPUT_FORMAT prints milliseconds.
      return formatMicros(BigInt(cell), 3);
    case 'TIME':
      // TIME_OUTPUT_FORMAT is 'HH24:MI:SS' (the JavaScript procedures page's binding example stores
      // '12:30:00.123' in a TIME column and prints 12:30:00).
      return String(cell).slice(0, 8);
    default:
      return String(cell);
  }
}

/** A host-side SfDate (outside the sandbox); LTZ values carry the offset `tzOffset` gives. */
export function hostDateFactory(tzOffset: (epochMs: number) => number = () => 0): (micros: bigint, scale: number, kind: DateKind) => SfDate {
  return (micros, scale, kind) => new SfDate(micros, scale, kind === 'LTZ' || kind === 'TZ' ? tzOffset(Number(micros / 1000n)) : 0, kind);
}

/** A host-side SfDate without a session (offset 0). */
export const hostDate = hostDateFactory();

/** Minutes east of UTC of `timeZone` at `epochMs` (what SfDate.getTimezone gives for LTZ values). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}
