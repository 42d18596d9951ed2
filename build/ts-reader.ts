/**
 * The ts-morph adapter: reads procedure declarations (exported functions whose first parameter
 * is `Snowflake`) and finds uses of Node globals in the files a bundle was made from.
 *
 * Everything ts-morph-specific stays in this file; the rest of the build sees plain data
 * (`ProcedureDeclaration`, `BuildMessage`).
 */
import * as path from 'node:path';
import {
  Node,
  Project,
  SyntaxKind,
  ts,
  type FunctionDeclaration,
  type ParameterDeclaration,
  type SourceFile,
  type Type,
} from 'ts-morph';
import {
  DEFAULT_OUTPUT,
  type ExecuteAs,
  type NullHandling,
  type ProcedureDeclaration,
  type ReadResult,
  type SqlArgument,
} from './declarations.js';
import { sqlString, upperSnake } from './emit.js';
import type { BuildLocation, BuildMessage } from './messages.js';

/** Reads TypeScript sources: the only place that knows about the TypeScript compiler. */
export interface TsReader {
  /** Every procedure declared in `entryFile` (absolute path), and every problem found. */
  readProcedures(entryFile: string): ReadResult;
  /**
   * Uses of Node-only globals (`process`, `Buffer`, `require`, `setTimeout`, ...) in the given
   * absolute source files, limited to names that appear in `bundleText` (so code esbuild shook
   * out is not reported).
   */
  findNodeGlobals(files: readonly string[], bundleText: string): BuildMessage[];
}

const SQL_TYPE = /^[A-Z][A-Z0-9_]*(\s*\(\s*\d+\s*(,\s*\d+\s*)?\))?$/i;
const PROCEDURE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/;
const OUTPUT_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.sql$/;
const EXECUTE_AS: readonly ExecuteAs[] = ['OWNER', 'CALLER', 'RESTRICTED CALLER'];
const NULL_HANDLING: readonly NullHandling[] = ['CALLED ON NULL INPUT', 'RETURNS NULL ON NULL INPUT'];
/**
 * Snowflake's reserved keywords (https://docs.snowflake.com/en/sql-reference/reserved-keywords):
 * an argument named like one (`values` → VALUES) makes CREATE PROCEDURE fail to parse.
 */
const RESERVED = new Set(
  ('ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT ' +
    'CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR ' +
    'FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE ' +
    'LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS ' +
    'SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES ' +
    'VIEW WHEN WHENEVER WHERE WINDOW WITH').split(' '),
);
const OUR_TAGS = ['procedure', 'sqlType', 'returnsSql', 'executeAs', 'comment', 'nullHandling', 'output'];

/** A reader over one ts-morph project rooted at `root` (the folder holding tsconfig.json). */
export class TsMorphReader implements TsReader {
  private readonly project: Project;
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
    // Only the files we are asked about (and what they import) are loaded, with the root
    // tsconfig's options, whose `types: ["node"]` lets us tell Node globals apart.
    this.project = new Project({
      tsConfigFilePath: path.join(root, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
    });
  }

  readProcedures(entryFile: string): ReadResult {
    const sf = this.sourceFile(entryFile);
    const procedures: ProcedureDeclaration[] = [];
    const errors: BuildMessage[] = [];
    for (const fn of sf.getFunctions()) {
      if (!fn.isExported() || !isProcedure(fn)) continue;
      const before = errors.length;
      const decl = this.readFunction(fn, errors);
      if (errors.length === before) procedures.push(decl);
    }
    // A handler written as `export const f = (snowflake: Snowflake) => ...` would otherwise be
    // skipped without a word.
    for (const v of sf.getVariableDeclarations()) {
      const init = v.getInitializer();
      if (!v.isExported() || init === undefined) continue;
      if (!Node.isArrowFunction(init) && !Node.isFunctionExpression(init)) continue;
      const first = init.getParameters()[0];
      if (first === undefined || !isSnowflakeType(first.getType())) continue;
      errors.push({
        text: `'${v.getName()}' takes Snowflake first but is a function expression; declare procedures as 'export function ${v.getName()}(...)' so their JSDoc tags and signature can be read`,
        location: this.locationOf(v),
      });
    }
    const seen = new Map<string, string>();
    for (const p of procedures) {
      const key = `${p.sqlName.toUpperCase()}(${p.args.map((a) => a.sqlType).join(',')})`;
      const other = seen.get(key);
      if (other !== undefined) {
        errors.push({
          text: `functions '${other}' and '${p.functionName}' both declare procedure ${key}; give one a different @procedure name`,
          location: p.location,
        });
      }
      seen.set(key, p.functionName);
    }
    return { procedures, errors };
  }

  findNodeGlobals(files: readonly string[], bundleText: string): BuildMessage[] {
    const found: BuildMessage[] = [];
    for (const file of files) {
      const sf = this.sourceFile(file);
      for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
        const name = id.getText();
        if (!new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(bundleText)) continue;
        const parent = id.getParent();
        // `x.process` and `{ process: 1 }` name properties, not the global.
        if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
        if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
        const decls = id.getSymbol()?.getDeclarations() ?? [];
        if (decls.length === 0) continue;
        if (!decls.every((d) => isNodeTypesFile(d.getSourceFile().getFilePath()))) continue;
        found.push({
          text:
            `'${name}' is a Node.js global: Snowflake's JavaScript procedures have no Node APIs ` +
            '(no process, Buffer, require, timers, file or network access). ' +
            (name === 'console' ? 'Log with snowflake.log(level, message) instead.' : 'Remove this use, or pass the value in as a procedure argument.'),
          location: this.locationOf(id),
        });
      }
    }
    return found;
  }

  private sourceFile(file: string): SourceFile {
    return this.project.getSourceFile(file) ?? this.project.addSourceFileAtPath(file);
  }

  private readFunction(fn: FunctionDeclaration, errors: BuildMessage[]): ProcedureDeclaration {
    const functionName = fn.getName() ?? 'default';
    const location = this.locationOf(fn.getNameNode() ?? fn);
    const fail = (text: string, at: Node = fn) => errors.push({ text, location: this.locationOf(at) });
    const tags = readTags(fn);

    for (const t of tags.unknown) {
      fail(`unknown JSDoc tag @${t.name} on '${functionName}'; did you mean @${t.suggestion}?`, t.node);
    }

    const sqlTypeOverrides = new Map<string, string>();
    const sqlTypeTags = new Map<string, Node>();
    for (const t of tags.all('sqlType')) {
      const m = /^(\S+)\s+(.+)$/.exec(t.text);
      if (m === null || !SQL_TYPE.test(m[2] as string)) {
        fail(`@sqlType on '${functionName}' must be '@sqlType paramName SQLTYPE', e.g. '@sqlType batchSize NUMBER(38,0)'; got '${t.text}'`, t.node);
        continue;
      }
      sqlTypeOverrides.set(m[1] as string, (m[2] as string).toUpperCase().replace(/\s+/g, ''));
      sqlTypeTags.set(m[1] as string, t.node);
    }

    const params = fn.getParameters();
    const args: SqlArgument[] = [];
    let sawOptional = false;
    for (const [i, p] of params.entries()) {
      if (i === 0) continue;
      const arg = this.readParameter(fn, p, sqlTypeOverrides, fail);
      if (arg === null) continue;
      if (arg.defaultSql !== null) sawOptional = true;
      else if (sawOptional) {
        fail(
          `parameter '${arg.jsName}' of '${functionName}' is required but follows an optional one; ` +
            'Snowflake needs arguments with a DEFAULT to come last: reorder, or give it a default',
          p,
        );
      }
      const clash = args.find((a) => a.sqlName === arg.sqlName);
      if (clash !== undefined) {
        fail(`parameters '${clash.jsName}' and '${arg.jsName}' of '${functionName}' both become SQL argument ${arg.sqlName}; rename one`, p);
      }
      args.push(arg);
    }
    for (const name of sqlTypeOverrides.keys()) {
      if (!params.slice(1).some((p) => p.getName() === name)) {
        fail(`@sqlType names '${name}', which is not an argument of '${functionName}' (arguments: ${params.slice(1).map((p) => p.getName()).join(', ') || 'none'})`, sqlTypeTags.get(name));
      }
    }

    let returns: string;
    const returnsTag = tags.one('returnsSql');
    if (returnsTag !== null) {
      if (!SQL_TYPE.test(returnsTag.text)) fail(`@returnsSql on '${functionName}' must be a SQL type such as VARIANT or VARCHAR; got '${returnsTag.text}'`, returnsTag.node);
      returns = returnsTag.text.toUpperCase().replace(/\s+/g, '');
    } else {
      const mapped = mapReturnType(fn.getReturnType());
      if ('error' in mapped) {
        fail(`cannot map the return type of '${functionName}' (${mapped.typeText}) to a Snowflake SQL type: ${mapped.error}. Add '@returnsSql TYPE' (e.g. VARIANT) to its JSDoc, or change the return type`, fn.getReturnTypeNode() ?? fn);
      }
      returns = 'sql' in mapped ? mapped.sql : 'VARIANT';
    }

    let sqlName = upperSnake(functionName);
    const procTag = tags.one('procedure');
    if (procTag !== null) {
      if (!PROCEDURE_NAME.test(procTag.text)) fail(`@procedure on '${functionName}' must be an unquoted Snowflake name (letters, digits, _ and $, optionally SCHEMA. or DB.SCHEMA. qualified); got '${procTag.text}'`, procTag.node);
      sqlName = procTag.text;
    }
    for (const part of sqlName.split('.')) {
      if (RESERVED.has(part.toUpperCase())) fail(`procedure name ${sqlName} of '${functionName}' uses the Snowflake reserved keyword ${part.toUpperCase()}; choose another name with @procedure`, procTag?.node ?? fn);
    }

    let executeAs: ExecuteAs = 'OWNER';
    const execTag = tags.one('executeAs');
    if (execTag !== null) {
      const v = execTag.text.toUpperCase().replace(/\s+/g, ' ');
      const ok = EXECUTE_AS.find((e) => e === v);
      if (ok === undefined) fail(`@executeAs on '${functionName}' must be one of ${EXECUTE_AS.join(', ')}; got '${execTag.text}'`, execTag.node);
      else executeAs = ok;
    }

    let nullHandling: NullHandling | null = null;
    const nullTag = tags.one('nullHandling');
    if (nullTag !== null) {
      const v = nullTag.text.toUpperCase().replace(/\s+/g, ' ');
      const ok = NULL_HANDLING.find((e) => e === v);
      if (ok === undefined) fail(`@nullHandling on '${functionName}' must be one of ${NULL_HANDLING.join(', ')}; got '${nullTag.text}'`, nullTag.node);
      else nullHandling = ok;
    }

    const commentTag = tags.one('comment');
    const outputTag = tags.one('output');
    let output = DEFAULT_OUTPUT;
    if (outputTag !== null) {
      if (!OUTPUT_FILE.test(outputTag.text)) fail(`@output on '${functionName}' must be a file name ending in .sql, without folders (it is written to dist/); got '${outputTag.text}'`, outputTag.node);
      output = outputTag.text;
    }
    for (const name of ['procedure', 'returnsSql', 'executeAs', 'comment', 'nullHandling', 'output']) {
      if (tags.all(name).length > 1) fail(`@${name} appears more than once on '${functionName}'`);
    }

    return {
      functionName,
      file: this.relative(fn.getSourceFile().getFilePath()),
      location,
      sqlName,
      args,
      returns,
      executeAs,
      nullHandling,
      comment: commentTag === null ? null : commentTag.text,
      output,
    };
  }

  private readParameter(
    fn: FunctionDeclaration,
    p: ParameterDeclaration,
    overrides: Map<string, string>,
    fail: (text: string, at?: Node) => void,
  ): SqlArgument | null {
    const functionName = fn.getName() ?? 'default';
    if (p.isRestParameter()) {
      fail(`rest parameter '${p.getName()}' of '${functionName}' cannot be a SQL argument; declare each argument separately`, p);
      return null;
    }
    const nameNode = p.getNameNode();
    if (!Node.isIdentifier(nameNode)) {
      fail(`a destructured parameter of '${functionName}' has no name to become a SQL argument; take a named parameter and destructure it in the body`, p);
      return null;
    }
    const jsName = nameNode.getText();
    let sqlType = overrides.get(jsName);
    if (sqlType === undefined) {
      const mapped = mapType(p.getType());
      if ('error' in mapped) {
        fail(
          `cannot map parameter '${jsName}' of function '${functionName}' (type ${mapped.typeText}) to a Snowflake SQL type: ${mapped.error}. ` +
            `Add '@sqlType ${jsName} <SQL TYPE>' to the function's JSDoc (e.g. '@sqlType ${jsName} VARIANT'), or change the parameter's type`,
          p,
        );
        return null;
      }
      sqlType = mapped.sql;
    }
    let defaultSql: string | null = null;
    const init = p.getInitializer();
    if (init !== undefined) {
      const lit = literalSql(init);
      if (lit === null) {
        fail(
          `the default value of parameter '${jsName}' of '${functionName}' (${init.getText()}) is not a literal, so it cannot become a SQL DEFAULT; ` +
            'use a number, string, boolean or null literal, or make the parameter optional (`?`) and apply the default in the body',
          init,
        );
        return null;
      }
      defaultSql = lit;
    } else if (p.hasQuestionToken()) {
      defaultSql = 'NULL';
    }
    const sqlName = upperSnake(jsName);
    if (RESERVED.has(sqlName)) {
      fail(`parameter '${jsName}' of '${functionName}' becomes SQL argument ${sqlName}, a Snowflake reserved keyword; rename the parameter`, p);
      return null;
    }
    return { jsName, sqlName, sqlType, defaultSql };
  }

  private relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  private locationOf(node: Node): BuildLocation {
    const sf = node.getSourceFile();
    const pos = node.getStart();
    const { line, column } = sf.getLineAndColumnAtPos(pos);
    const lineText = sf.getFullText().split(/\r?\n/)[line - 1] ?? '';
    return { file: this.relative(sf.getFilePath()), line, column: column - 1, lineText };
  }
}

/** True when the function's first parameter is typed `Snowflake` from the API shim. */
function isProcedure(fn: FunctionDeclaration): boolean {
  const first = fn.getParameters()[0];
  if (first === undefined) return false;
  return isSnowflakeType(first.getType());
}

function isSnowflakeType(t: Type): boolean {
  const sym = t.getSymbol();
  if (sym === undefined || sym.getName() !== 'Snowflake') return false;
  return sym.getDeclarations().some((d) => path.basename(d.getSourceFile().getFilePath()) === 'snowflake-api.ts');
}

function isNodeTypesFile(file: string): boolean {
  return file.includes('/node_modules/@types/node/');
}

function isLibraryFile(file: string): boolean {
  return file.includes('/node_modules/');
}

type Mapped = { sql: string } | { error: string; typeText: string };

/**
 * TypeScript type → SQL type for an argument. `T | null | undefined` unwraps to `T`; every
 * remaining member of a union must map to the same SQL type.
 */
export function mapType(t: Type): Mapped {
  const typeText = t.getText(undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
  const members = t.isUnion() ? t.getUnionTypes() : [t];
  const kept = members.filter((m) => !m.isNull() && !m.isUndefined());
  if (kept.length === 0) return { error: 'it is only null/undefined', typeText };
  const sqls = new Set<string>();
  for (const m of kept) {
    const one = mapSingle(m);
    if ('error' in one) return { error: one.error, typeText };
    sqls.add(one.sql);
  }
  if (sqls.size > 1) {
    return { error: `its union mixes ${[...sqls].join(' and ')}; a SQL argument has one type`, typeText };
  }
  return { sql: [...sqls][0] as string };
}

/**
 * Return types map like arguments, plus `void`/`undefined` → VARCHAR: a procedure must declare
 * a return type, and a JavaScript procedure returning `undefined` returns SQL NULL.
 */
export function mapReturnType(t: Type): Mapped {
  const typeText = t.getText(undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
  if (t.isVoid() || t.isUndefined()) return { sql: 'VARCHAR' };
  const sym = t.getSymbol();
  if (sym !== undefined && sym.getName() === 'Promise') {
    return { error: 'procedures are synchronous in Snowflake (every snowflake.execute call blocks); return the value, not a Promise', typeText };
  }
  return mapType(t);
}

function mapSingle(t: Type): { sql: string } | { error: string } {
  const flags = t.getFlags();
  if (flags & ts.TypeFlags.Any) return { sql: 'VARIANT' };
  if (flags & ts.TypeFlags.Unknown) return { sql: 'VARIANT' };
  if (flags & ts.TypeFlags.StringLike) return { sql: 'VARCHAR' };
  if (flags & ts.TypeFlags.NumberLike) return { sql: 'FLOAT' };
  if (flags & ts.TypeFlags.BooleanLike) return { sql: 'BOOLEAN' };
  if (flags & ts.TypeFlags.BigIntLike) return { error: 'bigint has no JavaScript procedure argument type (numbers arrive as doubles)' };
  if (flags & ts.TypeFlags.ESSymbolLike) return { error: 'a symbol cannot cross SQL' };
  if (flags & (ts.TypeFlags.Void | ts.TypeFlags.Never)) return { error: 'it has no value' };
  if (t.isArray() || t.isReadonlyArray() || t.isTuple()) return { sql: 'ARRAY' };
  if (isSnowflakeType(t)) return { error: 'only the first parameter receives the snowflake object' };
  if (t.isObject()) {
    if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) {
      return { error: 'a function cannot be passed from SQL' };
    }
    if (t.getAliasSymbol()?.getName() === 'Record') return { sql: 'OBJECT' };
    const sym = t.getSymbol();
    // Anonymous object and mapped types (`{...}`, Partial<X>) have the symbol `__type`/`__object`.
    if (sym !== undefined && !sym.getName().startsWith('__')) {
      const decls = sym.getDeclarations();
      if (decls.length > 0 && decls.every((d) => isLibraryFile(d.getSourceFile().getFilePath()))) {
        return { error: `${sym.getName()} is a built-in class, not plain data` };
      }
    }
    for (const prop of t.getProperties()) {
      const decl = prop.getValueDeclaration() ?? prop.getDeclarations()[0];
      if (decl === undefined) continue;
      if (Node.isMethodSignature(decl) || Node.isMethodDeclaration(decl)) {
        return { error: `it has a method '${prop.getName()}', so it is not plain data` };
      }
    }
    return { sql: 'OBJECT' };
  }
  return { error: 'no SQL type corresponds to it' };
}

/** SQL text for a literal initializer, or null when it is not a literal. */
function literalSql(init: Node): string | null {
  if (Node.isNumericLiteral(init)) return String(init.getLiteralValue());
  if (Node.isPrefixUnaryExpression(init) && init.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = init.getOperand();
    if (Node.isNumericLiteral(operand)) return String(-operand.getLiteralValue());
    return null;
  }
  if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) return sqlString(init.getLiteralValue());
  if (Node.isTrueLiteral(init)) return 'TRUE';
  if (Node.isFalseLiteral(init)) return 'FALSE';
  if (Node.isNullLiteral(init)) return 'NULL';
  if (Node.isIdentifier(init) && init.getText() === 'undefined') return 'NULL';
  return null;
}

interface Tag {
  name: string;
  text: string;
  node: Node;
}

interface Tags {
  one(name: string): Tag | null;
  all(name: string): Tag[];
  unknown: Array<Tag & { suggestion: string }>;
}

function readTags(fn: FunctionDeclaration): Tags {
  const list: Tag[] = [];
  const unknown: Array<Tag & { suggestion: string }> = [];
  for (const doc of fn.getJsDocs()) {
    for (const tag of doc.getTags()) {
      const name = tag.getTagName();
      const text = (tag.getCommentText() ?? '').replace(/\s+/g, ' ').trim();
      const t = { name, text, node: tag as Node };
      if (OUR_TAGS.includes(name)) list.push(t);
      else {
        // A mis-cased tag (`@sqltype`) would otherwise be silently ignored.
        const suggestion = OUR_TAGS.find((o) => o.toLowerCase() === name.toLowerCase());
        if (suggestion !== undefined) unknown.push({ ...t, suggestion });
      }
    }
  }
  return {
    one: (name) => list.find((t) => t.name === name) ?? null,
    all: (name) => list.filter((t) => t.name === name),
    unknown,
  };
}
