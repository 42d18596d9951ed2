import { LocalSnowflakeError, type LocalSession } from '../../local/index.js';

/** Runs `sql` expecting the local runtime to refuse it; returns the error (anything else fails the test). */
export function failureOf(s: LocalSession, sql: string): LocalSnowflakeError {
  try {
    s.execute(sql);
  } catch (e) {
    if (e instanceof LocalSnowflakeError) return e;
    throw e;
  }
  throw new Error(`expected ${sql} to fail`);
}
