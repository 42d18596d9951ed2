/**
 * The signature rules: from an exported function (plain data read by `ts-reader.ts`) to the
 * procedure's SQL declaration, or to errors that say where and how to fix. Pure functions: no
 * TypeScript compiler, no file system; tests write `SourceFunction` values by hand.
 *
 * CREATE PROCEDURE (JavaScript handler): https://docs.snowflake.com/en/sql-reference/sql/create-procedure
 */
import type { ExecuteAs, NullHandling, ProcedureDeclaration, SqlArgument } from './declarations.js';
import type { BuildLocation, BuildMessage } from './messages.js';
import type { SourceFunction, SourceLiteral, SourceParameter, SourceTag, TsType } from './source.js';

/** A SQL type as `@sqlType` / `@returnsSql` take it: `VARIANT`, `NUMBER(38,0)`, `TIMESTAMP_LTZ(9)`. */
const SQL_TYPE = /^[A-Z][A-Z0-9_]*(\s*\(\s*\d+\s*(,\s*\d+\s*)?\))?$/i;
/**
 * An unquoted Snowflake identifier: ASCII letters, digits, `_` and `$`, not starting with a digit
 * or `$` (https://docs.snowflake.com/en/sql-reference/identifiers-syntax). Anything else must be
 * double-quoted, and is then kept exactly as written.
 */
const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED = /^"(?:[^"]|"")+"$/;
const OUTPUT_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.sql$/;
const TIMESTAMP_TYPES = /^(TIMESTAMP(_LTZ|_NTZ|_TZ)?|DATETIME|DATE)\b/i;

/**
 * Client-side template markers that the Snowflake CLI (`snow sql -f`) substitutes anywhere in a
 * file, even inside `$$...$$`: `&{ var }` (LEGACY) and `<% var %>` (STANDARD) are both on by
 * default (`--enable-templating`,
 * https://docs.snowflake.com/en/developer-guide/snowflake-cli/command-reference/sql-commands/sql).
 */
export const TEMPLATE_MARKERS = ['&{', '<%'] as const;

export const EXECUTE_AS: readonly ExecuteAs[] = ['OWNER', 'CALLER', 'RESTRICTED CALLER'];
/** Accepted `@nullHandling` values and what each emits (`STRICT` is a documented synonym). */
export const NULL_HANDLING: Readonly<Record<string, NullHandling>> = {
  'CALLED ON NULL INPUT': 'CALLED ON NULL INPUT',
  'RETURNS NULL ON NULL INPUT': 'RETURNS NULL ON NULL INPUT',
  STRICT: 'RETURNS NULL ON NULL INPUT',
};

/**
 * Snowflake's reserved keywords (https://docs.snowflake.com/en/sql-reference/reserved-keywords):
 * an unquoted argument named like one (`values` → VALUES) makes CREATE PROCEDURE fail to parse.
 */
export const RESERVED = new Set(
  ('ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT ' +
    'CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR ' +
    'FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE ' +
    'LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS ' +
    'SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES ' +
    'VIEW WHEN WHENEVER WHERE WINDOW WITH').split(' '),
);

/** Every JSDoc tag the generator reads, with its syntax and default (the README's option table). */
export const PROCEDURE_TAGS = [
  { tag: 'procedure', syntax: '@procedure NAME', meaning: 'SQL name; `SCHEMA.NAME`, `DB.SCHEMA.NAME` and `"quoted"` parts allowed', default: 'UPPER_SNAKE of the function name (quoted exactly when that is not a valid unquoted identifier)' },
  { tag: 'sqlType', syntax: '@sqlType param TYPE', meaning: "one argument's SQL type", default: 'mapped from the parameter type' },
  { tag: 'returnsSql', syntax: '@returnsSql TYPE [NOT NULL]', meaning: 'the return type, optionally `NOT NULL`', default: 'mapped from the return type' },
  { tag: 'returnsNotNull', syntax: '@returnsNotNull', meaning: '`RETURNS <mapped type> NOT NULL`: a null result fails the CALL', default: 'nullable' },
  { tag: 'nullHandling', syntax: '@nullHandling STRICT', meaning: '`CALLED ON NULL INPUT`, `RETURNS NULL ON NULL INPUT` or its synonym `STRICT`', default: 'no clause (Snowflake: called on null input)' },
  { tag: 'executeAs', syntax: '@executeAs CALLER', meaning: '`OWNER`, `CALLER` or `RESTRICTED CALLER`', default: 'OWNER' },
  { tag: 'comment', syntax: '@comment text', meaning: 'the COMMENT clause', default: 'none' },
  { tag: 'output', syntax: '@output file.sql', meaning: 'the output file (procedures naming the same file share it)', default: 'one file per procedure: `purge_old_runs.sql` for PURGE_OLD_RUNS' },
] as const;

const TAG_NAMES: readonly string[] = PROCEDURE_TAGS.map((t) => t.tag);
const SINGLE_TAGS = TAG_NAMES.filter((t) => t !== 'sqlType');

/** The SQL type of one TypeScript type, or why there is none and what to write instead. */
export type Mapped = { sql: string } | { error: string; fix: string };

/**
 * The type-mapping table, one row per rule, each with a sample the tests map through
 * {@link mapArgumentType}; the README's table is checked against it.
 */
export const TYPE_MAPPING: ReadonlyArray<{ typescript: string; sql: string; sample: TsType }> = [
  { typescript: '`string`, string literal unions', sql: 'VARCHAR', sample: { kind: 'string', text: 'string' } },
  { typescript: '`number`, numeric literal unions', sql: 'FLOAT', sample: { kind: 'number', text: 'number' } },
  { typescript: '`boolean`', sql: 'BOOLEAN', sample: { kind: 'boolean', text: 'boolean' } },
  { typescript: '`Date`, `SfDate`', sql: 'TIMESTAMP_LTZ', sample: { kind: 'date', name: 'SfDate', text: 'SfDate' } },
  { typescript: 'interfaces, object literal types, `Record<K, V>`', sql: 'OBJECT', sample: { kind: 'object', method: null, text: '{ a: number }' } },
  { typescript: 'arrays, readonly arrays, tuples', sql: 'ARRAY', sample: { kind: 'array', text: 'string[]' } },
  { typescript: '`unknown`, `any`', sql: 'VARIANT', sample: { kind: 'unknown', text: 'unknown' } },
  {
    // `\|`: a pipe inside a Markdown table cell, even in code, must be escaped.
    typescript: '`T \\| null`, `T \\| undefined`, `x?: T`',
    sql: 'as `T`',
    sample: { kind: 'union', members: [{ kind: 'string', text: 'string' }, { kind: 'null', text: 'null' }], text: 'string | null' },
  },
];

/**
 * `lookbackSeconds` → `LOOKBACK_SECONDS`, `HTMLParser` → `HTML_PARSER`.
 * Used for procedure names and argument names alike.
 */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** `"name"`, with `"` doubled. */
export function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * The SQL name of a TypeScript name: UPPER_SNAKE when that is a valid unquoted identifier, else
 * the name exactly, double-quoted. Upper-casing a non-ASCII name would both change it
 * (`'ß'.toUpperCase()` is `SS`) and give an unquoted name Snowflake rejects.
 * `body` is the identifier the JavaScript body sees for an argument of that name.
 */
export function sqlIdentifier(tsName: string): { sql: string; body: string; quoted: boolean } {
  const upper = upperSnake(tsName);
  if (UNQUOTED.test(upper)) return { sql: upper, body: upper, quoted: false };
  return { sql: quoteIdentifier(tsName), body: tsName, quoted: true };
}

/** A name as Snowflake stores it: unquoted parts upper-cased, quoted parts exact. */
export function canonicalName(sqlName: string): string {
  return splitName(sqlName)
    .map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toUpperCase()))
    .join('.');
}

/** `DB."my schema".P` → `['DB', '"my schema"', 'P']`; dots inside quotes do not split. */
function splitName(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of name) {
    if (ch === '"') quoted = !quoted;
    if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** The file a procedure goes into without `@output`: its unqualified name, lower-case. */
export function defaultOutput(sqlName: string): string {
  const last = splitName(sqlName).pop() ?? sqlName;
  const bare = last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
  return bare.toLowerCase().replace(/[^\p{L}\p{N}_$-]/gu, '_') + '.sql';
}

/** True when the function's first parameter is typed `Snowflake` (from the API shim). */
export function isProcedure(fn: SourceFunction): boolean {
  return fn.params[0]?.type.kind === 'snowflake';
}

/**
 * TypeScript type → SQL type for an argument. `T | null | undefined` unwraps to `T`; every
 * remaining member of a union must map to the same SQL type.
 */
export function mapArgumentType(t: TsType): Mapped {
  const members = t.kind === 'union' ? t.members : [t];
  const kept = members.filter((m) => m.kind !== 'null' && m.kind !== 'undefined');
  if (kept.length === 0) return { error: 'it is only null/undefined', fix: 'give it a real type' };
  const sqls = new Set<string>();
  for (const m of kept) {
    const one = mapSingle(m);
    if ('error' in one) return one;
    sqls.add(one.sql);
  }
  if (sqls.size > 1) {
    return { error: `its union mixes ${[...sqls].join(' and ')}; a SQL argument has one type`, fix: 'take one type, or VARIANT (`unknown`) and check it in the body' };
  }
  return { sql: [...sqls][0] as string };
}

/**
 * Return types map like arguments, plus `void`/`undefined` → VARCHAR: a procedure must declare
 * a return type, and a JavaScript procedure returning `undefined` returns SQL NULL.
 */
export function mapReturnType(t: TsType): Mapped {
  if (t.kind === 'void' || t.kind === 'undefined') return { sql: 'VARCHAR' };
  if (t.kind === 'promise') {
    return { error: 'procedures are synchronous in Snowflake (every snowflake.execute call blocks)', fix: 'return the value, not a Promise' };
  }
  return mapArgumentType(t);
}

function mapSingle(t: TsType): Mapped {
  switch (t.kind) {
    case 'any':
    case 'unknown':
      return { sql: 'VARIANT' };
    case 'string':
      return { sql: 'VARCHAR' };
    case 'number':
      return { sql: 'FLOAT' };
    case 'boolean':
      return { sql: 'BOOLEAN' };
    case 'array':
      return { sql: 'ARRAY' };
    case 'date':
      // A JavaScript Date is an instant; TIMESTAMP_LTZ is Snowflake's instant type.
      return { sql: 'TIMESTAMP_LTZ' };
    case 'object':
      if (t.method !== null) return { error: `it has a method '${t.method}', so it is not plain data`, fix: 'take an interface of data fields only (OBJECT), or VARIANT' };
      return { sql: 'OBJECT' };
    case 'bigint':
      return { error: 'bigint has no JavaScript procedure argument type (numbers arrive as doubles)', fix: "type it number (NUMBER(38,0)), or string with '@sqlType NAME VARCHAR' to keep every digit" };
    case 'symbol':
      return { error: 'a symbol cannot cross SQL', fix: 'use a string' };
    case 'void':
    case 'never':
    case 'undefined':
    case 'null':
      return { error: 'it has no value', fix: 'give it a real type' };
    case 'function':
      return { error: 'a function cannot be passed from SQL', fix: 'pass data and choose the behaviour in the body' };
    case 'promise':
      return { error: 'a Promise cannot be passed from SQL', fix: 'take the value itself' };
    case 'snowflake':
      return { error: 'only the first parameter receives the snowflake object', fix: 'remove this parameter; use the first one' };
    case 'class':
      return { error: `${t.name} is a built-in class, not plain data`, fix: 'take its data as OBJECT, ARRAY or VARIANT and build the object in the body' };
    case 'union':
      return mapArgumentType(t);
    case 'other':
      return { error: 'no SQL type corresponds to it', fix: 'use string, number, boolean, Date, an interface, an array or unknown' };
  }
}

/** SQL text of a literal default. */
export function literalSql(lit: SourceLiteral): string {
  switch (lit.kind) {
    case 'number':
      return String(lit.value);
    case 'string':
      return sqlString(lit.value);
    case 'boolean':
      return lit.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
  }
}

/**
 * A Snowflake single-quoted string literal. Snowflake processes backslash escapes inside
 * single-quoted strings, so `\` is doubled; `'` is doubled (`''`, standard SQL) rather than
 * backslash-escaped, so statement splitters that only know standard SQL strings (client tools,
 * the local runtime) still find the end of the literal
 * (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants).
 */
export function sqlString(text: string): string {
  return "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/** One outcome of {@link declareProcedure}. */
export interface Declared {
  declaration: ProcedureDeclaration | null;
  errors: BuildMessage[];
}

/**
 * Every procedure of an entry file: functions whose first parameter is `Snowflake`, each turned
 * into a declaration, plus every problem (including two functions declaring one procedure).
 */
export function declareProcedures(functions: readonly SourceFunction[]): { procedures: ProcedureDeclaration[]; errors: BuildMessage[] } {
  const procedures: ProcedureDeclaration[] = [];
  const errors: BuildMessage[] = [];
  for (const fn of functions) {
    if (!isProcedure(fn)) continue;
    const d = declareProcedure(fn);
    errors.push(...d.errors);
    if (d.declaration !== null) procedures.push(d.declaration);
  }
  const seen = new Map<string, string>();
  for (const p of procedures) {
    const key = `${canonicalName(p.sqlName)}(${p.args.map((a) => a.sqlType).join(',')})`;
    const other = seen.get(key);
    if (other !== undefined) {
      errors.push({ text: `functions '${other}' and '${p.functionName}' both declare procedure ${key}`, location: p.location, fix: 'give one a different @procedure name' });
    }
    seen.set(key, p.functionName);
  }
  return { procedures, errors };
}

/** One function's declaration, or every reason it cannot be one. */
export function declareProcedure(fn: SourceFunction): Declared {
  const errors: BuildMessage[] = [];
  const name = fn.name;
  const fail = (text: string, location: BuildLocation, fix: string): void => {
    errors.push({ text, location, fix });
  };
  if (fn.form === 'expression') {
    fail(`'${name}' takes Snowflake first but is a function expression, whose JSDoc tags and signature cannot be read`, fn.location, `declare it as 'export function ${name}(...)'`);
    return { declaration: null, errors };
  }

  const ours: SourceTag[] = [];
  for (const t of fn.tags) {
    if (TAG_NAMES.includes(t.name)) ours.push(t);
    else {
      // A mis-cased tag (`@sqltype`) would otherwise be silently ignored.
      const suggestion = TAG_NAMES.find((o) => o.toLowerCase() === t.name.toLowerCase());
      if (suggestion !== undefined) fail(`unknown JSDoc tag @${t.name} on '${name}'`, t.location, `did you mean @${suggestion}?`);
    }
  }
  const one = (tag: string): SourceTag | null => ours.find((t) => t.name === tag) ?? null;
  for (const tag of SINGLE_TAGS) {
    const all = ours.filter((t) => t.name === tag);
    if (all.length > 1) fail(`@${tag} appears more than once on '${name}'`, (all[1] as SourceTag).location, 'keep one');
  }

  // @sqlType overrides, by parameter name.
  const overrides = new Map<string, SourceTag & { sqlType: string }>();
  for (const t of ours.filter((x) => x.name === 'sqlType')) {
    const m = /^(\S+)\s+(.+)$/.exec(t.text);
    if (m === null || !SQL_TYPE.test(m[2] as string)) {
      fail(`@sqlType on '${name}' must be '@sqlType paramName SQLTYPE'; got '${t.text}'`, t.location, "write e.g. '@sqlType batchSize NUMBER(38,0)'");
      continue;
    }
    overrides.set(m[1] as string, { ...t, sqlType: normalizeType(m[2] as string) });
  }

  const params = fn.params.slice(1);
  const args: SqlArgument[] = [];
  let sawOptional = false;
  for (const p of params) {
    const arg = declareArgument(name, p, overrides.get(p.name ?? '') ?? null, fail);
    if (arg === null) continue;
    if (arg.defaultSql !== null) sawOptional = true;
    else if (sawOptional) {
      fail(`parameter '${arg.jsName}' of '${name}' is required but follows an optional one: Snowflake needs arguments with a DEFAULT to come last`, p.location, 'reorder the parameters, or give this one a default');
    }
    const clash = args.find((a) => canonicalName(a.sqlName) === canonicalName(arg.sqlName));
    if (clash !== undefined) fail(`parameters '${clash.jsName}' and '${arg.jsName}' of '${name}' both become SQL argument ${arg.sqlName}`, p.location, 'rename one of them');
    args.push(arg);
  }
  for (const [param, tag] of overrides) {
    if (!params.some((p) => p.name === param)) {
      fail(`@sqlType names '${param}', which is not an argument of '${name}' (arguments: ${params.map((p) => p.name ?? '{…}').join(', ') || 'none'})`, tag.location, 'name one of the arguments, or remove the tag');
    }
  }

  // Return type: @returnsSql TYPE [NOT NULL | NULL], else mapped; @returnsNotNull adds NOT NULL.
  let returns = 'VARIANT';
  let returnsNotNull = false;
  const returnsTag = one('returnsSql');
  if (returnsTag !== null) {
    const m = /^(.+?)(?:\s+(NOT\s+NULL|NULL))?$/i.exec(returnsTag.text);
    const type = m?.[1] ?? '';
    if (!SQL_TYPE.test(type)) {
      fail(`@returnsSql on '${name}' must be a SQL type, optionally followed by NOT NULL; got '${returnsTag.text}'`, returnsTag.location, "write e.g. '@returnsSql VARIANT' or '@returnsSql FLOAT NOT NULL'");
    }
    returns = normalizeType(type);
    returnsNotNull = /^NOT\s+NULL$/i.test(m?.[2] ?? '');
  } else {
    const mapped = mapReturnType(fn.returnType);
    if ('error' in mapped) {
      fail(`cannot map the return type of '${name}' (${fn.returnType.text}) to a Snowflake SQL type: ${mapped.error}`, fn.returnLocation, `${mapped.fix}; or add '@returnsSql TYPE' (e.g. VARIANT) to its JSDoc`);
    } else returns = mapped.sql;
  }
  const notNullTag = one('returnsNotNull');
  if (notNullTag !== null) {
    if (notNullTag.text !== '') fail(`@returnsNotNull on '${name}' takes no value; got '${notNullTag.text}'`, notNullTag.location, "remove the value; to set the type as well, write '@returnsSql TYPE NOT NULL'");
    returnsNotNull = true;
  }

  let sqlName = sqlIdentifier(name).sql;
  const procTag = one('procedure');
  if (procTag !== null) {
    const problem = nameProblem(procTag.text);
    if (problem !== null) fail(`@procedure on '${name}': ${problem.problem}`, procTag.location, problem.fix);
    sqlName = procTag.text;
  }
  for (const part of splitName(sqlName)) {
    if (!part.startsWith('"') && RESERVED.has(part.toUpperCase())) {
      fail(`procedure name ${sqlName} of '${name}' uses the Snowflake reserved keyword ${part.toUpperCase()}`, procTag?.location ?? fn.location, `choose another name with @procedure, or quote it: '@procedure ${quoteIdentifier(part.toUpperCase())}'`);
    }
  }

  let executeAs: ExecuteAs = 'OWNER';
  const execTag = one('executeAs');
  if (execTag !== null) {
    const v = execTag.text.toUpperCase().replace(/\s+/g, ' ');
    const ok = EXECUTE_AS.find((e) => e === v);
    if (ok === undefined) fail(`@executeAs on '${name}' must be one of ${EXECUTE_AS.join(', ')}; got '${execTag.text}'`, execTag.location, `write one of ${EXECUTE_AS.join(', ')}`);
    else executeAs = ok;
  }

  let nullHandling: NullHandling | null = null;
  const nullTag = one('nullHandling');
  if (nullTag !== null) {
    const v = nullHandlingValue(nullTag.text);
    if (v === null) fail(`@nullHandling on '${name}' must be one of ${Object.keys(NULL_HANDLING).join(', ')}; got '${nullTag.text}'`, nullTag.location, `write one of ${Object.keys(NULL_HANDLING).join(', ')}`);
    else nullHandling = v;
  }

  let output = defaultOutput(sqlName);
  const outputTag = one('output');
  if (outputTag !== null) {
    if (!OUTPUT_FILE.test(outputTag.text)) fail(`@output on '${name}' must be a file name ending in .sql, without folders (it is written to the output folder); got '${outputTag.text}'`, outputTag.location, "write e.g. '@output my_procedures.sql'");
    output = outputTag.text;
  }

  // Text that reaches the CREATE statement outside the body: the comment and string DEFAULTs.
  const commentTag = one('comment');
  const carried: Array<{ text: string; location: BuildLocation; what: string }> = [];
  if (commentTag !== null) carried.push({ text: commentTag.text, location: commentTag.location, what: '@comment' });
  for (const p of params) {
    if (p.initializer?.literal?.kind === 'string') carried.push({ text: p.initializer.literal.value, location: p.initializer.location, what: `the DEFAULT of '${p.name ?? '…'}'` });
  }
  for (const c of carried) {
    const marker = TEMPLATE_MARKERS.find((m) => c.text.includes(m));
    if (marker !== undefined) {
      fail(
        `${c.what} of '${name}' contains '${marker}', which the Snowflake CLI ('snow sql -f') would replace as a template variable`,
        c.location,
        `leave '${marker}' out of it (a DEFAULT can be applied in the body instead)`,
      );
    }
  }

  if (errors.length > 0) return { declaration: null, errors };
  return {
    declaration: {
      functionName: name,
      file: fn.file,
      location: fn.location,
      sqlName,
      args,
      returns,
      returnsNotNull,
      executeAs,
      nullHandling,
      comment: commentTag?.text ?? null,
      output,
    },
    errors,
  };
}

/** `STRICT`, `returns null on null input`, ... → the clause emitted, or null when unknown. */
export function nullHandlingValue(text: string): NullHandling | null {
  return NULL_HANDLING[text.toUpperCase().replace(/\s+/g, ' ').trim()] ?? null;
}

/** Why `name` cannot be a procedure name as written, and the fix; null when it can. */
export function nameProblem(name: string): { problem: string; fix: string } | null {
  const parts = splitName(name);
  if (parts.length > 3) return { problem: `'${name}' has more than three parts`, fix: 'use NAME, SCHEMA.NAME or DB.SCHEMA.NAME' };
  for (const part of parts) {
    if (QUOTED.test(part) || UNQUOTED.test(part)) continue;
    if (/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(part)) {
      return {
        problem: `'${part}' is not a valid unquoted Snowflake name (unquoted names take only ASCII letters, digits, _ and $)`,
        fix: `write it in double quotes, ${quoteIdentifier(part)}, and CALL it the same way`,
      };
    }
    return { problem: `'${part}' is neither an unquoted Snowflake name (ASCII letters, digits, _ and $) nor a "double-quoted" one; got '${name}'`, fix: `write it in double quotes: ${quoteIdentifier(part)}` };
  }
  return null;
}

function normalizeType(type: string): string {
  return type.toUpperCase().replace(/\s+/g, '');
}

function declareArgument(
  functionName: string,
  p: SourceParameter,
  override: (SourceTag & { sqlType: string }) | null,
  fail: (text: string, location: BuildLocation, fix: string) => void,
): SqlArgument | null {
  if (p.rest) {
    fail(`rest parameter '${p.name ?? '…'}' of '${functionName}' cannot be a SQL argument`, p.location, 'declare each argument separately');
    return null;
  }
  if (p.name === null) {
    fail(`a destructured parameter of '${functionName}' has no name to become a SQL argument`, p.location, 'take a named parameter and destructure it in the body');
    return null;
  }
  const jsName = p.name;
  const isDate = hasDate(p.type);
  let sqlType: string;
  if (override !== null) {
    sqlType = override.sqlType;
    const timestamp = TIMESTAMP_TYPES.test(sqlType);
    if (isDate && !timestamp) {
      fail(
        `parameter '${jsName}' of '${functionName}' is a ${p.type.text}, but '@sqlType ${jsName} ${sqlType}' would hand it a ${sqlType.startsWith('VARCHAR') ? 'string' : 'value that is not a date'}`,
        override.location,
        `use a timestamp type: '@sqlType ${jsName} TIMESTAMP_LTZ' (an instant), TIMESTAMP_NTZ (wall-clock time), TIMESTAMP_TZ or DATE`,
      );
      return null;
    }
    if (timestamp && !isDate && !['any', 'unknown'].includes(p.type.kind)) {
      fail(
        `parameter '${jsName}' of '${functionName}' is typed ${p.type.text}, but a ${sqlType} argument arrives in the body as a Date`,
        override.location,
        `type the parameter Date or SfDate (from hybrid-sync/snowflake-api), or choose a SQL type that arrives as ${p.type.text}`,
      );
      return null;
    }
  } else {
    const mapped = mapArgumentType(p.type);
    if ('error' in mapped) {
      fail(
        `cannot map parameter '${jsName}' of function '${functionName}' (type ${p.type.text}) to a Snowflake SQL type: ${mapped.error}`,
        p.location,
        `${mapped.fix}; or add '@sqlType ${jsName} <SQL TYPE>' to the function's JSDoc (e.g. '@sqlType ${jsName} VARIANT')`,
      );
      return null;
    }
    sqlType = mapped.sql;
  }
  let defaultSql: string | null = null;
  if (p.initializer !== null) {
    if (p.initializer.literal === null) {
      fail(
        `the default value of parameter '${jsName}' of '${functionName}' (${p.initializer.text}) is not a literal, so it cannot become a SQL DEFAULT`,
        p.initializer.location,
        'use a number, string, boolean or null literal, or make the parameter optional (`?`) and apply the default in the body',
      );
      return null;
    }
    defaultSql = literalSql(p.initializer.literal);
  } else if (p.optional) {
    defaultSql = 'NULL';
  }
  const id = sqlIdentifier(jsName);
  if (!id.quoted && RESERVED.has(id.sql)) {
    fail(`parameter '${jsName}' of '${functionName}' becomes SQL argument ${id.sql}, a Snowflake reserved keyword`, p.location, 'rename the parameter');
    return null;
  }
  return { jsName, sqlName: id.sql, bodyName: id.body, sqlType, defaultSql };
}

function hasDate(t: TsType): boolean {
  return t.kind === 'date' || (t.kind === 'union' && t.members.some(hasDate));
}
