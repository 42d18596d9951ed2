/**
 * A synchronous front for DuckDB's asynchronous Node API.
 *
 * Snowflake's procedure API is synchronous (`snowflake.execute()` returns rows), so the sandbox
 * needs a blocking call. DuckDB runs in a worker thread (`engine-worker.mjs`); a call posts a
 * request on a `MessageChannel`, blocks on `Atomics.wait` over a shared flag until the worker
 * has posted its reply, and then takes the reply with `receiveMessageOnPort`. One worker holds
 * one database and one DuckDB connection per session.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** A bind value on the wire: exact timestamps travel as `{ micros }`. */
export type WireBind = number | string | null | { micros: bigint };

/** A cell on the wire: timestamps as bigint microseconds, exact numbers as strings. */
export type WireCell = null | boolean | number | string | bigint;

/** A column as DuckDB describes it. */
export interface WireColumn {
  name: string;
  /** DuckDB's type name, e.g. `DECIMAL(38,0)`, `TIMESTAMP`, `VARCHAR`. */
  type: string;
  scale: number;
}

/** The rows of one DuckDB statement. */
export interface WireResult {
  columns: WireColumn[];
  rows: WireCell[][];
  /** DuckDB's `StatementType` number (1 SELECT, 2 INSERT, 3 UPDATE, 5 DELETE, 30 MERGE …). */
  statementType: number;
  rowsChanged: number;
}

/** One statement to run, with its binds. */
export interface WireStatement {
  sql: string;
  params?: WireBind[];
}

/** A failure reported by DuckDB, with the index of the statement that failed. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface Reply {
  ok: boolean;
  error?: { message: string };
  index?: number;
  id?: number;
  results?: WireResult[];
}

/** The worker thread that owns the DuckDB database, called synchronously. */
export class Engine {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private closed = false;

  /** Starts the worker and opens `path` (`:memory:` or a file). Blocks until it is open. */
  constructor(path: string) {
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
      workerData: { port: port2, flag: shared },
      transferList: [port2],
    });
    // The runtime must never keep a script alive on its own; close() ends the worker.
    this.worker.unref();
    this.port.unref();
    this.call({ op: 'open', path });
  }

  /** Opens a new DuckDB connection (a session) and returns its id. */
  connect(): number {
    const reply = this.call({ op: 'connect' });
    return reply.id as number;
  }

  /** Closes one connection; its open transaction is rolled back by DuckDB. */
  disconnect(id: number): void {
    if (!this.closed) this.call({ op: 'disconnect', id });
  }

  /**
   * Runs statements in order on one connection, stopping at the first failure (thrown as an
   * {@link EngineError} carrying its index). `now` (microseconds since the epoch) is what
   * SYSDATE()/CURRENT_TIMESTAMP() return during these statements.
   */
  exec(id: number, statements: WireStatement[], now: bigint): WireResult[] {
    const reply = this.call({ op: 'exec', id, statements, now });
    return reply.results as WireResult[];
  }

  /** Closes every connection and the database, then stops the worker. */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } finally {
      this.closed = true;
      this.port.close();
      void this.worker.terminate();
    }
  }

  private call(request: Record<string, unknown>): Reply {
    if (this.closed) throw new Error('the local database is closed: open a new LocalSnowflake');
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    for (;;) {
      // Wake up now and then so a dead worker cannot hang the caller forever.
      const state = Atomics.wait(this.flag, 0, 0, 5_000);
      const message = receiveMessageOnPort(this.port);
      if (message) {
        const reply = message.message as Reply;
        if (!reply.ok) throw new EngineError(reply.error?.message ?? 'unknown DuckDB failure', reply.index ?? 0);
        return reply;
      }
      if (state === 'timed-out' && this.worker.threadId < 0) {
        throw new Error('the DuckDB worker thread stopped');
      }
    }
  }
}
