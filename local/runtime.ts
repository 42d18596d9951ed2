/**
 * `LocalSnowflake`, the public face of the embedded Snowflake: sessions, scripts, the task
 * scheduler, the statement log and fault injection. Its internals (catalog caches, procedures,
 * the CALL machinery) live in `core.ts`, behind the interfaces of `host.ts`.
 */
import type { Engine } from './engine.js';
import type { Clock } from './clock.js';
import { LocalSnowflakeError } from './errors.js';
import type { FaultInjector, StatementLog } from './instruments.js';
import type { AlertScheduler } from './alerts.js';
import type { RecordedEmail } from './notifications.js';
import type { StatementResult } from './result.js';
import type { TaskScheduler } from './scheduler.js';
import type { LocalSession } from './session.js';
import { normalized, splitStatements } from './sql-text.js';
import { Runtime, type LocalSnowflakeOptions } from './core.js';

export type { LocalSnowflakeOptions } from './core.js';

/**
 * A Snowflake-compatible database on one machine.
 *
 * @example
 * const sf = LocalSnowflake.open();
 * sf.executeScript(readFileSync('dist/run_history_log.sql', 'utf8'));
 * sf.session().execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()').rows[0][0];
 * sf.close();
 */
export class LocalSnowflake {
  readonly #runtime: Runtime;
  #defaultSession: LocalSession | undefined;

  private constructor(opts: LocalSnowflakeOptions) {
    this.#runtime = new Runtime(opts);
  }

  /** Opens (or creates) a local Snowflake. Synchronous: it blocks until DuckDB is ready. */
  static open(opts: LocalSnowflakeOptions = {}): LocalSnowflake {
    return new LocalSnowflake(opts);
  }

  /** The DuckDB engine (a worker thread) under the runtime. */
  get engine(): Engine {
    return this.#runtime.engine;
  }
  /** Every statement run, in order, including those issued by procedures and tasks. */
  get log(): StatementLog {
    return this.#runtime.log;
  }
  /** Fails chosen statements on purpose. */
  get faults(): FaultInjector {
    return this.#runtime.faults;
  }
  /** The task scheduler: `tick()`, `runDue(now)`, `start()`, `stop()`. */
  get tasks(): TaskScheduler {
    return this.#runtime.tasks;
  }
  /** Alerts, evaluated on the task scheduler's clock (`sf.tasks.tick()` evaluates due alerts too). */
  get alerts(): AlertScheduler {
    return this.#runtime.alerts;
  }
  /**
   * Emails `CALL SYSTEM$SEND_EMAIL(…)` would have sent (from alerts, procedures or clients), in
   * order. Nothing is sent.
   */
  get emails(): RecordedEmail[] {
    return this.#runtime.emails;
  }
  get clock(): Clock {
    return this.#runtime.clock;
  }
  get timezone(): string {
    return this.#runtime.timezone;
  }
  get procedureTimeoutMs(): number {
    return this.#runtime.procedureTimeoutMs;
  }
  /** Messages procedures wrote with `snowflake.log(level, message)`. */
  get procedureLog(): Array<{ procedure: string; level: string; message: string }> {
    return this.#runtime.procedureLog;
  }

  /** A new session: its own DuckDB connection and transaction. */
  session(opts: { name?: string; timezone?: string } = {}): LocalSession {
    return this.#runtime.session(opts);
  }

  /**
   * Runs a script statement by statement (split on `;` outside quotes, `$$…$$` and comments)
   * in `session` (default: one shared session). Stops at the first failure, which is thrown.
   */
  executeScript(sql: string, session?: LocalSession): StatementResult[] {
    const s = session ?? (this.#defaultSession ??= this.session({ name: 'script' }));
    const statements = splitStatements(sql);
    return statements.map((statement, i) => {
      try {
        return s.execute(statement);
      } catch (e) {
        if (e instanceof LocalSnowflakeError) {
          // Say which statement of the script failed: scripts are long and generated.
          const head = normalized(statement).slice(0, 80);
          throw new LocalSnowflakeError(e.code, e.state, `${e.message}\n(statement ${i + 1} of ${statements.length} in the script: ${head}${head.length === 80 ? '…' : ''})`, statement);
        }
        throw e;
      }
    });
  }

  /** The procedures defined, by name. */
  procedureNames(): string[] {
    return this.#runtime.procedureNames();
  }

  /** Stops the scheduler and closes the database. */
  close(): void {
    this.#runtime.close();
  }
}
