/**
 * What tasks and alerts share: a kind of schema object kept by name, created suspended, started by
 * RESUME, fired on an interval or CRON schedule, saved to the database file on every change.
 * `TaskScheduler` (scheduler.ts) and `AlertScheduler` (alerts.ts) extend `ScheduledObjectsBase` and
 * add what differs: their CREATE/ALTER options, SHOW columns, and what a run does.
 */
import { LocalSnowflakeError, notImplemented } from './errors.js';
import { nextFireTime, type Schedule } from './compat/tasks.js';
import { canonicalIdentifier, unquoteString } from './sql-text.js';
import { DEFAULT_CONTEXT, keyParts, type NameContext } from './compat/names.js';
import { status, type StatementResult } from './result.js';
import type { Clock } from './clock.js';

/** What both schedulers need from the runtime. */
export interface ScheduledObjectsHost {
  readonly clock: Clock;
  /** Runs bookkeeping SQL on the runtime's own connection (not logged). */
  internal(sql: string, params?: Array<string | number | null | { micros: bigint }>): void;
}

/** A scheduled object's state as both kinds keep it. */
export interface ScheduledState {
  def: { name: string };
  state: 'started' | 'suspended';
  createdOn: number;
  /** When the current schedule started counting (RESUME, or the real-time timer starting). */
  anchor: number;
  nextRun: number | null;
}

/** A TIMESTAMP bind parameter for the runtime's `internal()` from epoch milliseconds. */
export const micros = (ms: number): { micros: bigint } => ({ micros: BigInt(Math.round(ms)) * 1000n });

/**
 * The statements and schedule arithmetic both kinds share; a subclass names its kind (`keyword`),
 * how it is saved, its schedule, and answers CREATE/ALTER/SHOW and EXECUTE itself.
 */
export abstract class ScheduledObjectsBase<S extends ScheduledState> {
  /** The objects of this kind by canonical name, in creation order. */
  protected readonly objects = new Map<string, S>();
  /** Divides interval schedules (not CRON) while the real-time timer runs. */
  protected speedup = 1;

  /** The SQL keyword: `TASK` or `ALERT`. */
  protected abstract readonly keyword: 'TASK' | 'ALERT';
  /** Saves an object so a file-backed database keeps it (null: dropped). */
  protected abstract persist(name: string, json: string | null): void;
  /** What is saved of an object. */
  protected abstract serialize(obj: S): string;
  /** The object's parsed schedule, or null when it has none. */
  protected abstract schedule(obj: S): Schedule | null;
  /** The statement text the dispatcher matches on. */
  protected abstract normalize(sql: string): string;
  protected abstract create(sql: string, queryId: string): StatementResult;
  protected abstract alter(sql: string, queryId: string): StatementResult;
  protected abstract show(text: string, queryId: string, sql: string, context: NameContext): StatementResult;
  protected abstract showRows(objs: S[], queryId: string, sql: string): StatementResult;
  /** EXECUTE TASK / EXECUTE ALERT on an existing object. */
  protected abstract execute(obj: S, queryId: string, sql: string): StatementResult;

  /** An object as read back from a database file. */
  protected revive(saved: S): S {
    return saved;
  }

  /** Restores an object saved in a database file. @internal */
  restore(name: string, json: string): void {
    this.objects.set(name, this.revive(JSON.parse(json) as S));
  }

  /** Names, in creation order. */
  names(): string[] {
    return [...this.objects.keys()];
  }

  /** The state of an object (`started`/`suspended`), or undefined. */
  stateOf(name: string): 'started' | 'suspended' | undefined {
    return this.objects.get(name.toUpperCase())?.state;
  }

  /** When a started object next runs, or null. */
  nextRunOf(name: string): Date | null {
    const o = this.objects.get(name.toUpperCase());
    return o?.nextRun != null ? new Date(o.nextRun) : null;
  }

  private title(): string {
    return this.keyword.charAt(0) + this.keyword.slice(1).toLowerCase();
  }

  /** The object called `name`, or Snowflake's "does not exist" error. */
  /**
   * Forgets the objects of a schema (or of every schema of a database) being dropped or replaced:
   * DROP SCHEMA/DATABASE drops what is in it (https://docs.snowflake.com/en/sql-reference/sql/drop-schema).
   */
  dropIn(database: string, schema?: string): void {
    for (const key of [...this.objects.keys()]) {
      const k = keyParts(key);
      if (k.database !== database || (schema !== undefined && k.schema !== schema)) continue;
      this.objects.delete(key);
      this.persist(key, null);
    }
  }

  /** The name an object's key shows as (its last part; compat/names.ts keyParts). */
  protected shown(key: string): string {
    return keyParts(key).name;
  }

  protected get(name: string, sql: string): S {
    const obj = this.objects.get(name);
    if (!obj) throw new LocalSnowflakeError(2003, '02000', `SQL compilation error:\n${this.title()} '${this.shown(name)}' does not exist or not authorized.`, sql);
    return obj;
  }

  protected save(obj: S): void {
    this.persist(obj.def.name, this.serialize(obj));
  }

  /**
   * CREATE [OR REPLACE] / [IF NOT EXISTS] against what exists: a result when the statement ends
   * here (IF NOT EXISTS and it exists), else the object it replaces (or undefined).
   */
  protected checkCreate(
    name: string,
    orReplace: boolean,
    ifNotExists: boolean,
    queryId: string,
    sql: string,
  ): { done: StatementResult } | { existing: S | undefined } {
    const existing = this.objects.get(name);
    if (existing && ifNotExists) return { done: status(`${this.shown(name)} already exists, statement succeeded.`, queryId, sql) };
    if (existing && !orReplace) throw new LocalSnowflakeError(2002, '42710', `SQL compilation error:\nObject '${this.shown(name)}' already exists.`, sql);
    return { existing };
  }

  /** Stores a newly created object and says so. */
  protected created(obj: S, queryId: string, sql: string): StatementResult {
    this.objects.set(obj.def.name, obj);
    this.save(obj);
    return status(`${this.title()} ${this.shown(obj.def.name)} successfully created.`, queryId, sql);
  }

  /** Answers CREATE/ALTER/DROP/EXECUTE/SHOW/DESCRIBE of this kind. @internal */
  /**
   * One statement about these objects, their name already keyed by schema (statements/kind.ts
   * procedureKeyed); `context` is the session's database and schema, whose objects SHOW lists.
   */
  statement(sql: string, queryId: string, context: NameContext = DEFAULT_CONTEXT): StatementResult {
    const text = this.normalize(sql);
    const upper = text.toUpperCase();
    if (upper.startsWith('CREATE')) return this.create(sql, queryId);
    if (upper.startsWith('ALTER')) return this.alter(sql, queryId);
    if (upper.startsWith('SHOW')) return this.show(text, queryId, sql, context);
    const k = this.keyword;
    if (upper.startsWith('DESC')) {
      const name = canonicalIdentifier(text.replace(new RegExp(`^DESC(RIBE)?\\s+${k}\\s+`, 'i'), ''));
      return this.showRows([this.get(name, sql)], queryId, sql);
    }
    const drop = new RegExp(`^DROP ${k} (IF EXISTS )?(.+)$`, 'i').exec(text);
    if (drop) {
      const name = canonicalIdentifier(drop[2] ?? '');
      if (!this.objects.has(name)) {
        if (drop[1]) return status(`Drop statement executed successfully (${this.shown(name)} already dropped).`, queryId, sql);
        this.get(name, sql);
      }
      this.objects.delete(name);
      this.persist(name, null);
      return status(`${this.shown(name)} successfully dropped.`, queryId, sql);
    }
    const exec = new RegExp(`^EXECUTE ${k} (.+)$`, 'i').exec(text);
    if (exec) return this.execute(this.get(canonicalIdentifier(exec[1] ?? ''), sql), queryId, sql);
    throw notImplemented(`"${text.split(' ').slice(0, 3).join(' ')}"`, sql);
  }

  /** The objects whose name matches SHOW's `LIKE '…'` in `text` (all without one). */
  /**
   * SHOW's scope (https://docs.snowflake.com/en/sql-reference/sql/show-tasks): `IN ACCOUNT`,
   * `IN DATABASE [d]`, `IN [SCHEMA] [[d.]s]`; without `IN`, the current database's objects (all of
   * its schemas), or the account's when no database is current. Other clauses fail as not
   * implemented.
   */
  protected inScope(text: string, context: NameContext, sql: string): (key: string) => boolean {
    return showScope(text, context, sql, `${this.keyword}S`);
  }

  /** The objects in SHOW's scope, filtered by its `LIKE` on their shown names. */
  protected like(text: string, context: NameContext, sql: string): S[] {
    const like = /\bLIKE '((?:[^']|'')*)'/i.exec(text);
    const scope = this.inScope(text, context, sql);
    const objs = [...this.objects.values()].filter((o) => scope(o.def.name));
    if (!like) return objs;
    const matches = showLikeMatcher(unquoteString(`'${like[1] ?? ''}'`));
    return objs.filter((o) => matches(this.shown(o.def.name)));
  }

  /** The schedule time after `after`, or null for an object without a schedule. */
  protected next(obj: S, after: number): number | null {
    const schedule = this.schedule(obj);
    if (!schedule) return null;
    const effective = schedule.kind === 'interval' ? { kind: 'interval' as const, ms: schedule.ms / this.speedup } : schedule;
    return nextFireTime(effective, new Date(after), new Date(obj.anchor)).getTime();
  }

  /** The latest schedule time not after `now`, counting from `first` (the one a run stands for). */
  protected latestDue(obj: S, first: number, now: number): number {
    let scheduled = first;
    for (let n = this.next(obj, scheduled); n !== null && n <= now; n = this.next(obj, scheduled)) scheduled = n;
    return scheduled;
  }

  /** The real-time timer starts: started objects count their schedules from `now`. */
  protected reanchor(now: number, speedup: number): void {
    this.speedup = speedup;
    for (const obj of this.objects.values()) {
      if (obj.state !== 'started') continue;
      obj.anchor = now;
      obj.nextRun = this.next(obj, now);
    }
  }
}

/** SHOW's LIKE: case-insensitive, `%` any run, `_` one character, `\` escapes. */
export function showLikeMatcher(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`, 'i');
  return (name) => compiled.test(name);
}

/**
 * SHOW's scope (https://docs.snowflake.com/en/sql-reference/sql/show-tasks,
 * https://docs.snowflake.com/en/sql-reference/sql/show-procedures): `IN ACCOUNT`, `IN DATABASE [d]`,
 * `IN [SCHEMA] [[d.]s]`; without `IN`, the current database's objects (all of its schemas), or the
 * account's when no database is current. Other clauses fail as not implemented. Objects are keyed
 * as compat/names.ts keyParts reads them.
 */
export function showScope(text: string, context: NameContext, sql: string, what: string): (key: string) => boolean {
  const inScope = showPlaceScope(text, context, sql, what);
  return (key) => {
    const k = keyParts(key);
    return inScope(k.database, k.schema);
  };
}

/** {@link showScope} over an object's database and schema. */
export function showPlaceScope(text: string, context: NameContext, sql: string, what: string): (database: string, schema: string) => boolean {
  const rest = text
    .replace(/^SHOW (?:HYBRID |USER )?\w+( LIKE '(?:[^']|'')*')?/i, '')
    .replace(/[\s;]+$/, '')
    .trim();
  if (rest === '') return context.database === null ? () => true : (database) => database === context.database;
  const m = /^IN (ACCOUNT|DATABASE|SCHEMA)?(?: ?(\S+))?$/i.exec(rest);
  if (!m) throw notImplemented(`SHOW ${what} clause "${rest}"`, sql);
  const word = (m[1] ?? '').toUpperCase();
  const named = m[2] === undefined ? undefined : m[2].split('.').map((p) => canonicalIdentifier(p));
  if (word === 'ACCOUNT' && !named) return () => true;
  if (word === 'DATABASE') {
    const d = named ? (named[0] as string) : context.database;
    return (database) => database === d;
  }
  const [database, schema] = !named ? [context.database, context.schema] : named.length === 1 ? [context.database, named[0]] : [named[0], named[1]];
  return (d, sch) => d === database && sch === schema;
}
