// The DuckDB side of the synchronous bridge (see engine.ts). Plain JavaScript on purpose: a
// worker thread is loaded by Node itself, so a `.mjs` file works the same under vitest, tsx and
// a compiled build without a loader.
//
// Protocol: one request at a time arrives on `port`; the reply is posted back on the same port,
// then the shared flag is set and notified so the blocked caller wakes up and reads it with
// `receiveMessageOnPort`.
import { workerData } from 'node:worker_threads';
import { DuckDBInstance, DuckDBTypeId, DuckDBTimestampValue, DuckDBTimestampTZValue, DuckDBDateValue, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { canonicalJson, JsonTextError, JsonTextNotImplemented } from './json-text.mjs';

const { port, flag: flagBuffer } = workerData;
const flag = new Int32Array(flagBuffer);

// One worker serves every database the process opens (loading DuckDB's native module is the
// slow part of opening); each database has its own connections.
/** @type {Map<number, { instance: DuckDBInstance, connections: Set<number> }>} */
const databases = new Map();
let nextDatabase = 1;
/** @type {Map<number, import('@duckdb/node-api').DuckDBConnection>} */
const connections = new Map();
/** @type {Map<number, bigint>} last clock value pushed into each connection */
const lastNow = new Map();
let nextConnection = 1;

/**
 * The JSON functions the semi-structured macros call (json-text.mjs): sf_json_parse(text) (PARSE_JSON:
 * Snowflake's looser forms too; keys sorted; sf_json_parse_last_wins for its 'd' parameter) and
 * sf_json_sorted(json text) (keys sorted). Registered
 * once per database; a text that does not parse fails the statement with SF_LOCAL_JSON_PARSE:…,
 * which errors.ts words as Snowflake's 100069.
 */
function registerJsonFunctions(connection) {
  for (const [name, lenient, lastWins] of [['sf_json_parse', true, false], ['sf_json_parse_last_wins', true, true], ['sf_json_sorted', false, false]]) {
    connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name,
        returnType: VARCHAR,
        parameterTypes: [VARCHAR],
        mainFunction: (info, input, output) => {
          const values = input.getColumnValues(0);
          try {
            values.forEach((v, i) => output.setItem(i, v === null ? null : canonicalJson(String(v), lenient, lastWins)));
            output.flush();
          } catch (e) {
            info.setError(e instanceof JsonTextError ? `SF_LOCAL_JSON_PARSE:${e.message}` : e instanceof JsonTextNotImplemented ? `SF_LOCAL_NOT_IMPLEMENTED:${e.message}` : String(e));
          }
        },
      }),
    );
  }
}

function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** The cell as plain data the main thread can rebuild exactly. */
function toWire(value, typeId) {
  if (value === null || value === undefined) return null;
  switch (typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value.micros; // bigint microseconds since the epoch
    case DuckDBTypeId.TIMESTAMP_NS:
      return value.nanos / 1000n;
    case DuckDBTypeId.TIMESTAMP_MS:
      return value.millis * 1000n;
    case DuckDBTypeId.TIMESTAMP_S:
      return value.seconds * 1000000n;
    case DuckDBTypeId.DATE:
      return value.days;
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.VARCHAR:
      return value;
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.MAP:
      // OBJECT / ARRAY values travel as JSON text, as Snowflake prints them.
      return JSON.stringify(toPlain(value));
    default:
      // DECIMAL, BIGINT, HUGEINT … keep the exact digits; the main side makes numbers.
      return typeof value === 'bigint' ? value.toString() : String(value);
  }
}

/** A DuckDB nested value as plain JSON-able data. */
function toPlain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return value;
  if (typeof value.toDouble === 'function') return value.toDouble();
  if (Array.isArray(value.items)) return value.items.map(toPlain);
  if (Array.isArray(value.entries)) {
    const out = {};
    for (const e of value.entries) out[String(e.key)] = toPlain(e.value);
    return out;
  }
  if (value.entries && typeof value.entries === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = toPlain(v);
    return out;
  }
  return String(value);
}

/**
 * Bind values: integers go in as BIGINT (exact), `{ micros }` as TIMESTAMP, or as TIMESTAMPTZ /
 * DATE when its kind says so (an SfDate read from such a column binds back unshifted), the rest as is.
 */
function fromWire(value) {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return BigInt(value);
  if (value !== null && typeof value === 'object' && typeof value.micros === 'bigint') {
    if (value.kind === 'LTZ' || value.kind === 'TZ') return new DuckDBTimestampTZValue(value.micros);
    if (value.kind === 'DATE') {
      const day = 86400000000n;
      return new DuckDBDateValue(Number(value.micros / day - (value.micros % day < 0n ? 1n : 0n)));
    }
    return new DuckDBTimestampValue(value.micros);
  }
  return value;
}

async function runOne(connection, sql, params) {
  const result =
    params && params.length > 0 ? await connection.run(sql, params.map(fromWire)) : await connection.run(sql);
  const count = result.columnCount;
  const columns = [];
  const typeIds = [];
  for (let i = 0; i < count; i++) {
    const type = result.columnType(i);
    typeIds.push(type.typeId);
    columns.push({ name: result.columnName(i), type: type.alias ?? type.toString(), scale: type.scale ?? 0 });
  }
  const raw = await result.getRows();
  const rows = raw.map((r) => r.map((v, i) => toWire(v, typeIds[i])));
  return { columns, rows, statementType: result.statementType, rowsChanged: result.rowsChanged };
}

async function handle(request) {
  switch (request.op) {
    case 'open': {
      const id = nextDatabase++;
      // No way out to the host: no file, network or extension access from SQL (the database file
      // itself is opened here, before the setting takes effect), and it cannot be turned back on.
      const options = {
        enable_external_access: 'false',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
      };
      const instance = await DuckDBInstance.create(request.path, options);
      const setup = await instance.connect();
      registerJsonFunctions(setup);
      setup.closeSync();
      databases.set(id, { instance, connections: new Set() });
      return { ok: true, id };
    }
    case 'connect': {
      const db = databases.get(request.db);
      if (!db) throw new Error('database is not open');
      const id = nextConnection++;
      connections.set(id, await db.instance.connect());
      db.connections.add(id);
      return { ok: true, id };
    }
    case 'disconnect': {
      const c = connections.get(request.id);
      if (c) c.closeSync();
      connections.delete(request.id);
      lastNow.delete(request.id);
      for (const db of databases.values()) db.connections.delete(request.id);
      return { ok: true };
    }
    case 'exec': {
      const connection = connections.get(request.id);
      if (!connection) throw new Error(`session ${request.id} is closed`);
      // SYSDATE()/CURRENT_TIMESTAMP() read this variable, so a test clock drives them and
      // they keep moving inside a long transaction (DuckDB's now() is frozen at BEGIN).
      if (request.now !== undefined && lastNow.get(request.id) !== request.now) {
        try {
          await connection.run(`SET VARIABLE __sf_now_us = ${request.now.toString()}::BIGINT`);
          lastNow.set(request.id, request.now);
        } catch {
          // An aborted transaction refuses every statement but ROLLBACK: let that one through.
        }
      }
      const results = [];
      for (const s of request.statements) {
        try {
          results.push(await runOne(connection, s.sql, s.params));
        } catch (e) {
          return { ok: false, error: describe(e), index: results.length };
        }
      }
      return { ok: true, results };
    }
    case 'close': {
      const db = databases.get(request.db);
      if (db) {
        for (const id of db.connections) {
          connections.get(id)?.closeSync();
          connections.delete(id);
          lastNow.delete(id);
        }
        db.instance.closeSync();
        databases.delete(request.db);
      }
      return { ok: true };
    }
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}

function describe(e) {
  return { message: e && e.message ? String(e.message) : String(e) };
}

port.on('message', (request) => {
  // Each reply names its request (engine.ts discards replies nobody waits for any more).
  handle(request).then(
    (r) => reply({ ...r, seq: request.seq }),
    (e) => reply({ ok: false, error: describe(e), seq: request.seq }),
  );
});
