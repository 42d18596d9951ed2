/** Bind values as the engine takes them. */
import type { WireBind } from './engine.js';
import { LocalSnowflakeError } from './errors.js';
import { HostMicros } from './sandbox.js';
import { SfDate } from './values.js';

/** A bind as the engine takes it. Host code may also bind booleans, bigints and Dates. */
export function toWireBind(value: unknown): WireBind {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof HostMicros) return { micros: value.micros, kind: value.kind };
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value;
  if (value instanceof SfDate) return { micros: value.micros, kind: value.kind };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const d = value as Date & { getNanoSeconds?: () => number; getEpochSeconds?: () => number };
    if (typeof d.getNanoSeconds === 'function' && typeof d.getEpochSeconds === 'function') {
      return { micros: BigInt(d.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(d.getNanoSeconds() / 1000)) };
    }
    return { micros: BigInt(d.getTime()) * 1000n };
  }
  throw new LocalSnowflakeError(100000, '22000', `Unsupported bind value of type ${typeof value}: bind numbers, strings, dates or null.`);
}
