/**
 * The statement log and fault injection: what tests and benchmarks use to see and to break
 * what the runtime does.
 */
import { LocalSnowflakeError } from './errors.js';
import type { LogEntry, SessionHandle } from './host.js';

export type { LogEntry, HybridAccess } from './host.js';


/**
 * Every statement, in order. Old entries are dropped past `limit` so long demos stay bounded.
 *
 * @example
 * sf.log.clear();
 * session.execute('CALL SYNC_PROC()');
 * sf.log.matching(/^MERGE/i).length; // 1
 */
export class StatementLog {
  readonly entries: LogEntry[] = [];
  private seq = 0;
  constructor(private readonly limit = 200_000) {}

  /** Records an entry (the runtime calls this). */
  add(entry: Omit<LogEntry, 'seq'>): LogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }
  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void {
    this.entries.length = 0;
  }
  /** Entries whose SQL matches `pattern`. */
  matching(pattern: RegExp): LogEntry[] {
    return this.entries.filter((e) => pattern.test(e.sql));
  }
  /** Entries of one session. */
  bySession(name: string): LogEntry[] {
    return this.entries.filter((e) => e.session === name);
  }
  /** Entries that failed. */
  failures(): LogEntry[] {
    return this.entries.filter((e) => e.error !== undefined);
  }
  /** Entries issued from inside procedures (callDepth > 0). */
  insideProcedures(): LogEntry[] {
    return this.entries.filter((e) => e.callDepth > 0);
  }
}

/** The error an injected fault raises. */
export interface FaultError {
  code: number;
  state: string;
  message: string;
}

interface Fault {
  pattern: RegExp;
  remaining: number;
  times: number;
  error: FaultError;
  kill: boolean;
}

/**
 * The error of a statement canceled by {@link FaultInjector.killCallAt}: inside a procedure it
 * also ends the whole CALL, which the body cannot catch.
 */
export class KilledError extends LocalSnowflakeError {}

/**
 * Makes chosen statements fail, as if Snowflake had failed them.
 *
 * @example
 * sf.faults.failNth(/^MERGE/i, 1); // the next MERGE fails
 */
export class FaultInjector {
  private faults: Fault[] = [];

  /**
   * The `n`-th statement (from now, counting from 1) whose SQL matches `pattern` fails with
   * `error` before it reaches the engine; `times` makes that many consecutive matches fail.
   */
  failNth(pattern: RegExp, n = 1, error?: Partial<FaultError>, times = 1): void {
    this.faults.push({
      pattern,
      remaining: n,
      times,
      kill: false,
      error: {
        code: error?.code ?? 100000,
        state: error?.state ?? 'XX000',
        message: error?.message ?? `Injected fault: statement matching ${String(pattern)} failed`,
      },
    });
  }

  /**
   * The `n`-th statement matching `pattern` is canceled, and when it runs inside a procedure the
   * whole CALL dies with it: every later statement of that CALL fails too, so the body's error
   * handling cannot log anything, and the CALL fails with 604 / 57014 "SQL execution canceled"
   * — a run killed by a timeout or a warehouse failure, which leaves its control row RUNNING.
   */
  killCallAt(pattern: RegExp, n = 1): void {
    this.faults.push({
      pattern,
      remaining: n,
      times: 1,
      kill: true,
      error: { code: 604, state: '57014', message: 'SQL execution canceled' },
    });
  }
  /**
   * Opens a transaction on `session`, runs `statements` in it, and leaves it open — a writer
   * whose rows commit late — until `commit()` or `rollback()` is called.
   *
   * @example
   * const held = sf.faults.holdTransaction(writer, ["UPDATE SRC SET LAST_UPDATE_DATE = SYSDATE() WHERE ID = 1"]);
   * session.execute('CALL SYNC_PROC()'); // does not see the held row
   * held.commit();
   */
  holdTransaction(session: SessionHandle, statements: Array<string | { sql: string; binds?: unknown[] }> = []): { commit(): void; rollback(): void } {
    session.execute('BEGIN');
    for (const st of statements) {
      if (typeof st === 'string') session.execute(st);
      else session.execute(st.sql, st.binds ?? []);
    }
    return {
      commit: () => void session.execute('COMMIT'),
      rollback: () => void session.execute('ROLLBACK'),
    };
  }
  /** Removes every fault not yet triggered. */
  clear(): void {
    this.faults = [];
  }
  /** Faults still waiting to fire. */
  get pending(): number {
    return this.faults.length;
  }
  /** Called for every statement; throws when a fault fires. */
  check(sql: string): void {
    for (const fault of this.faults) {
      fault.pattern.lastIndex = 0;
      if (!fault.pattern.test(sql)) continue;
      fault.remaining--;
      if (fault.remaining <= 0) {
        fault.times--;
        if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
        else fault.remaining = 1;
        const Err = fault.kill ? KilledError : LocalSnowflakeError;
        throw new Err(fault.error.code, fault.error.state, fault.error.message, sql);
      }
    }
  }
}
