/**
 * Where the runtime's "now" comes from: SYSDATE(), CURRENT_TIMESTAMP() and the task scheduler
 * all read the one clock, so a test can drive time by hand.
 */

/** A source of the current time. */
export interface Clock {
  now(): Date;
  /** Microseconds since the epoch, when the clock has better than millisecond precision. */
  nowMicros?(): bigint;
}

/** The wall clock, with microsecond resolution (so consecutive SYSDATE() values differ). */
export class SystemClock implements Clock {
  private last = 0n;
  now(): Date {
    return new Date(Number(this.nowMicros() / 1000n));
  }
  nowMicros(): bigint {
    const micros = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
    // Never go backwards, never repeat: Snowflake's SYSDATE() moves between statements.
    this.last = micros > this.last ? micros : this.last + 1n;
    return this.last;
  }
}

/**
 * A clock that moves only when told to: for tests of schedules and watermarks.
 *
 * @example
 * const clock = new ManualClock('2026-01-01T00:00:00Z');
 * clock.advance(60_000); // one minute later
 */
export class ManualClock implements Clock {
  private micros: bigint;
  constructor(start: Date | string | number = '2026-01-01T00:00:00Z') {
    this.micros = BigInt(new Date(start).getTime()) * 1000n;
  }
  now(): Date {
    return new Date(Number(this.micros / 1000n));
  }
  nowMicros(): bigint {
    return this.micros;
  }
  /** Moves the clock forward by `ms` milliseconds (fractions keep microseconds). */
  advance(ms: number): void {
    this.micros += BigInt(Math.round(ms * 1000));
  }
  /** Sets the clock to an instant. */
  set(to: Date | string | number): void {
    this.micros = BigInt(new Date(to).getTime()) * 1000n;
  }
}

/** The clock's time in microseconds since the epoch. */
export function clockMicros(clock: Clock): bigint {
  return clock.nowMicros ? clock.nowMicros() : BigInt(clock.now().getTime()) * 1000n;
}
