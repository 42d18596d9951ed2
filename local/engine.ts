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

/**
 * A bind value on the wire: exact timestamps travel as `{ micros }`, with the SQL type they bind
 * as (`NTZ` when absent; `LTZ`/`TZ` bind a TIMESTAMPTZ, `DATE` a DATE).
 */
export type WireBind = number | string | boolean | null | { micros: bigint; kind?: 'NTZ' | 'LTZ' | 'TZ' | 'DATE' };

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
  /** The request this answers (see Bridge.call). */
  seq?: number;
  ok: boolean;
  error?: { message: string };
  index?: number;
  id?: number;
  results?: WireResult[];
}

/** The one worker thread of the process, shared by every open database. */
class Bridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private seq = 0;
  dead = false;

  constructor() {
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
      workerData: { port: port2, flag: shared },
      transferList: [port2],
    });
    // The runtime must never keep a script alive on its own.
    this.worker.unref();
    this.port.unref();
    this.worker.on('exit', () => {
      this.dead = true;
    });
  }

  call(request: Record<string, unknown>): Reply {
    // Replies are matched to requests by number: a caller stopped while it waited (a procedure's
    // time limit terminates JavaScript, even inside Atomics.wait) leaves its reply in the port,
    // and the next call must not take that reply for its own.
    const seq = ++this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...request, seq });
    for (;;) {
      // Wake up now and then so a dead worker cannot hang the caller forever.
      const state = Atomics.wait(this.flag, 0, 0, 5_000);
      let message = receiveMessageOnPort(this.port);
      while (message && (message.message as Reply).seq !== seq) {
        Atomics.store(this.flag, 0, 0);
        message = receiveMessageOnPort(this.port);
      }
      if (message) {
        const reply = message.message as Reply;
        if (!reply.ok) throw new EngineError(reply.error?.message ?? 'unknown DuckDB failure', reply.index ?? 0);
        return reply;
      }
      if (state === 'timed-out' && (this.dead || this.worker.threadId < 0)) {
        bridge = undefined;
        throw new Error('the DuckDB worker thread stopped; open the LocalSnowflake again');
      }
    }
  }
}

let bridge: Bridge | undefined;

/** One DuckDB database in the shared worker thread, called synchronously. */
export class Engine {
  private readonly bridge: Bridge;
  private readonly db: number;
  private closed = false;

  /** Opens `path` (`:memory:` or a file). Blocks until it is open. */
  constructor(path: string) {
    this.bridge = bridge ??= new Bridge();
    this.db = this.call({ op: 'open', path }).id as number;
  }

  /** Opens a new DuckDB connection (a session) and returns its id. */
  connect(): number {
    return this.call({ op: 'connect', db: this.db }).id as number;
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
    return this.call({ op: 'exec', id, statements, now }).results as WireResult[];
  }

  /** Closes every connection and the database (the worker stays for the next open). */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close', db: this.db });
    } finally {
      this.closed = true;
    }
  }

  private call(request: Record<string, unknown>): Reply {
    if (this.closed) throw new Error('the local database is closed: open a new LocalSnowflake');
    return this.bridge.call(request);
  }
}
