/**
 * Snowflake statements the runtime knowingly does not run: they fail as not implemented, naming
 * the construct (code 9999, SQLSTATE 0A000), never with a different answer.
 */
import { notImplemented } from '../errors.js';
import type { StatementKind } from './kind.js';

const UNSUPPORTED_OBJECT =
  /^(CREATE|ALTER|DROP) (?:OR REPLACE )?(?:SECURE )?(STREAM|STAGE|PIPE|FILE FORMAT|WAREHOUSE|DATABASE|SCHEMA|ROLE|USER|FUNCTION|NOTIFICATION INTEGRATION|INTEGRATION|DYNAMIC TABLE|MATERIALIZED VIEW|EXTERNAL TABLE|SEQUENCE)\b/;

export const refused: StatementKind = {
  name: 'refused statements (SHOW, DESCRIBE, stages, grants, other objects)',
  match(s) {
    if (/^(SHOW|DESC|DESCRIBE|LIST|PUT|GET|COPY|GRANT|REVOKE|UNDROP) /.test(s.upper)) {
      return () => {
        throw notImplemented(s.upper.split(' ').slice(0, 2).join(' '), s.sql);
      };
    }
    const object = UNSUPPORTED_OBJECT.exec(s.upper);
    if (object) {
      return () => {
        throw notImplemented(`${object[1]} ${object[2]}`, s.sql);
      };
    }
    return undefined;
  },
};
