/**
 * Task and alert schedules as Snowflake accepts them. Pure functions shared by the generator
 * (build/objects.ts writes the schedules into dist/) and deploy (validates --schedule before
 * anything is sent), which must not load the generator.
 */

const SCHEDULE = /^(?:[1-9][0-9]{0,5} (?:MINUTES?|SECONDS?|HOURS?)|USING CRON (?:\S+ ){5}[A-Za-z_/+-]+[A-Za-z0-9_/+-]*)$/i;
const CRON = /^USING CRON (?:\S+ ){5}[A-Za-z_/+-]+[A-Za-z0-9_/+-]*$/i;

/**
 * Throws unless `schedule` is a task schedule Snowflake accepts: an interval of at least 10
 * seconds (https://docs.snowflake.com/en/sql-reference/sql/create-task) or a CRON expression.
 */
export function validateSchedule(schedule: string): string {
  const s = schedule.trim().replace(/\s+/g, ' ');
  const seconds = /^([0-9]+) SECONDS?$/i.exec(s);
  if (!SCHEDULE.test(s) || (seconds !== null && Number(seconds[1]) < 10)) {
    throw new Error(
      `invalid task schedule ${JSON.stringify(schedule)}: use 'N MINUTE' (e.g. '1 MINUTE', '30 SECONDS', '1 HOUR') ` +
        "or 'USING CRON <minute> <hour> <day> <month> <weekday> <time zone>' (e.g. 'USING CRON */15 * * * * UTC'); intervals in seconds start at 10",
    );
  }
  return s;
}

/**
 * Throws unless `schedule` is an alert schedule: alerts take only `N MINUTE` (1 to 11520; a
 * larger value is accepted by Snowflake but never evaluated) or CRON
 * (https://docs.snowflake.com/en/sql-reference/sql/create-alert).
 */
export function validateAlertSchedule(schedule: string): string {
  const s = schedule.trim().replace(/\s+/g, ' ');
  const minutes = /^([0-9]+) MINUTES?$/i.exec(s);
  const ok = minutes !== null ? Number(minutes[1]) >= 1 && Number(minutes[1]) <= 11520 : CRON.test(s);
  if (!ok) {
    throw new Error(
      `invalid alert schedule ${JSON.stringify(schedule)}: alerts take 'N MINUTE' with N from 1 to 11520, or 'USING CRON <minute> <hour> <day> <month> <weekday> <time zone>'`,
    );
  }
  return s.replace(/MINUTES$/i, 'MINUTE');
}

