/**
 * The embedded Snowflake-compatible runtime. See docs/design.md ("The local runtime"); what it runs
 * and where it differs from Snowflake is in local/README.md.
 *
 * @example
 * import { LocalSnowflake } from './local/index.js';
 * const sf = LocalSnowflake.open();
 * const s = sf.session();
 * s.execute('SELECT 1 AS X').rows; // [[1]]
 * sf.close();
 */
export { LocalSnowflake, type LocalSnowflakeOptions } from './runtime.js';
export { LocalSession } from './session.js';
export type { StatementResult } from './result.js';
export { LocalSnowflakeError, NOT_IMPLEMENTED } from './errors.js';
export { ManualClock, SystemClock, type Clock } from './clock.js';
export { StatementLog, FaultInjector, KilledError, type LogEntry, type FaultError } from './instruments.js';
export { TaskScheduler } from './scheduler.js';
export { AlertScheduler, type AlertRunState } from './alerts.js';
export type { RecordedEmail } from './notifications.js';
export { SfDate, type ColumnInfo } from './values.js';
export { splitStatements } from './sql-text.js';
