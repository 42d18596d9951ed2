/**
 * `SET name = expr`, `SET (a, b) = (x, y)`, `UNSET …`: session variables. Each value is computed
 * once, when SET runs. An owner's-rights procedure can neither read nor set the caller's.
 * https://docs.snowflake.com/en/sql-reference/session-variables,
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights
 */
import { toWireBind } from '../binds.js';
import { LocalSnowflakeError } from '../errors.js';
import { mentionsVariables, parseSet, parseUnset, substituteVariables, type VariableValue } from '../compat/variables.js';
import { transform } from '../compat/transform.js';
import { status } from '../result.js';
import type { StatementKind } from './kind.js';

export const sessionVariables: StatementKind = {
  name: 'SET / UNSET (session variables)',
  raw: true,
  match(s) {
    if (!/^(SET|UNSET) /.test(s.upper)) return undefined;
    return ({ session, ctx, binds, queryId }) => {
      if (ctx.procedure?.executeAs === 'OWNER') {
        throw new LocalSnowflakeError(3001, '42501', `Stored procedure execution error: Unsupported statement type '${s.upper.startsWith('SET') ? 'SET' : 'UNSET'}'.`, s.sql);
      }
      const unset = parseUnset(s.sql);
      if (unset) {
        for (const name of unset) session.variables.delete(name);
        return status('Statement executed successfully.', queryId, s.sql);
      }
      const assignments = parseSet(s.sql) ?? [];
      const values = assignments.map(({ expr }) => {
        const e = mentionsVariables(expr) ? substituteVariables(expr, (name) => session.variables.get(name)) : expr;
        const wire = session.engineRun([{ sql: transform(session.qualify(`SELECT CAST((${e}) AS "VARCHAR"), typeof((${e}))`).sql), params: binds.map(toWireBind) }], s.sql)[0];
        const row = wire?.rows[0] ?? [];
        const type = String(row[1] ?? 'VARCHAR');
        return { text: row[0] === null || row[0] === undefined ? null : String(row[0]), type: type === 'NULL' ? 'VARCHAR' : type };
      });
      assignments.forEach(({ name }, i) => session.variables.set(name, values[i] as VariableValue));
      return status('Statement executed successfully.', queryId, s.sql);
    };
  },
};
