/**
 * The ts-morph adapter: reads exported functions, the strings that reach a bundle and uses of
 * Node globals, and returns plain data (`SourceFunction`, `SourceString`, `BuildMessage`).
 * Everything ts-morph-specific stays in this file; what the data means for SQL is decided by
 * `signature-rules.ts`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Node,
  Project,
  SyntaxKind,
  ts,
  type ParameterDeclaration,
  type SourceFile,
  type Type,
} from 'ts-morph';
import type { BuildLocation, BuildMessage } from './messages.js';
import type { SourceFunction, SourceLiteral, SourceParameter, SourceString, SourceTag, TsType } from './source.js';

/**
 * The API shim: `Snowflake` and `SfDate` are recognised by the file that declares them, not by
 * their name, so a user's own `Snowflake` type is never mistaken for it. Users import it as
 * `hybrid-sync/snowflake-api` (package.json `exports`), which resolves to this same file.
 */
export const SHIM_FILE = fileURLToPath(new URL('../procedure/snowflake-api.ts', import.meta.url));

/** Reads TypeScript sources: the only place that knows about the TypeScript compiler. */
export interface TsReader {
  /** Every exported function (and function-valued const) of `entryFile` (absolute path). */
  readFunctions(entryFile: string): SourceFunction[];
  /**
   * String values in the given files that contain `needle`: literals, templates, and literals
   * joined with `+` (which esbuild folds into one).
   */
  findStrings(files: readonly string[], needle: string): SourceString[];
  /**
   * Uses of Node-only globals (`process`, `Buffer`, `require`, `setTimeout`, ...) in the given
   * absolute source files (TypeScript, or the JavaScript of bundled packages), limited to names
   * that appear in `bundleText` (so code esbuild shook out is not reported). A use guarded by
   * `typeof name` or inside `try` is not reported: it does not fail where the global is missing.
   */
  findNodeGlobals(files: readonly string[], bundleText: string): BuildMessage[];
}

/** A reader over one ts-morph project rooted at `root` (the folder holding tsconfig.json). */
export class TsMorphReader implements TsReader {
  private readonly project: Project;
  private readonly root: string;
  private readonly shimFile: string;
  /** For the JavaScript of bundled packages (allowJs), made on first use. */
  private jsProject: Project | null = null;

  constructor(root: string, shimFile: string = SHIM_FILE) {
    this.root = root;
    this.shimFile = path.resolve(shimFile);
    // Only the files we are asked about (and what they import) are loaded, with the root
    // tsconfig's options, whose `types: ["node"]` lets us tell Node globals apart.
    this.project = new Project({
      tsConfigFilePath: path.join(root, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
    });
  }

  readFunctions(entryFile: string): SourceFunction[] {
    const sf = this.sourceFile(entryFile);
    const out: SourceFunction[] = [];
    for (const fn of sf.getFunctions()) {
      if (!fn.isExported()) continue;
      const returnNode = fn.getReturnTypeNode();
      out.push({
        name: fn.getName() ?? 'default',
        form: 'declaration',
        file: this.relative(sf.getFilePath()),
        location: this.locationOf(fn.getNameNode() ?? fn),
        params: fn.getParameters().map((p) => this.parameter(p)),
        returnType: this.type(fn.getReturnType()),
        returnLocation: this.locationOf(returnNode ?? fn),
        tags: fn.getJsDocs().flatMap((doc) =>
          doc.getTags().map(
            (tag): SourceTag => ({
              name: tag.getTagName(),
              text: (tag.getCommentText() ?? '').replace(/\s+/g, ' ').trim(),
              location: this.locationOf(tag),
            }),
          ),
        ),
      });
    }
    // `export const f = (snowflake: Snowflake) => ...`: reported by the rules, not skipped.
    for (const v of sf.getVariableDeclarations()) {
      const init = v.getInitializer();
      if (!v.isExported() || init === undefined) continue;
      if (!Node.isArrowFunction(init) && !Node.isFunctionExpression(init)) continue;
      out.push({
        name: v.getName(),
        form: 'expression',
        file: this.relative(sf.getFilePath()),
        location: this.locationOf(v),
        params: init.getParameters().map((p) => this.parameter(p)),
        returnType: this.type(init.getReturnType()),
        returnLocation: this.locationOf(init),
        tags: [],
      });
    }
    return out;
  }

  findStrings(files: readonly string[], needle: string): SourceString[] {
    const found: SourceString[] = [];
    for (const file of files) {
      const sf = /\.[cm]?jsx?$/.test(file) ? this.jsSourceFile(file) : this.sourceFile(file);
      sf.forEachDescendant((node, traversal) => {
        const value = stringValue(node);
        if (value === null) return;
        // The outermost literal or `+` chain: its parts are not reported again.
        traversal.skip();
        if (value.includes(needle)) found.push({ value, location: this.locationOf(node) });
      });
    }
    return found;
  }

  findNodeGlobals(files: readonly string[], bundleText: string): BuildMessage[] {
    const found: BuildMessage[] = [];
    for (const file of files) {
      const js = /\.[cm]?jsx?$/.test(file);
      const pkg = packageOf(file);
      const sf = js ? this.jsSourceFile(file) : this.sourceFile(file);
      for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
        const name = id.getText();
        // esbuild's CommonJS wrapper gives every bundled module its own require/module/exports.
        if (js && (name === 'require' || name === 'module' || name === 'exports')) continue;
        if (!new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(bundleText)) continue;
        const parent = id.getParent();
        // `x.process` and `{ process: 1 }` name properties, not the global.
        if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
        if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
        const decls = id.getSymbol()?.getDeclarations() ?? [];
        if (decls.length === 0) continue;
        if (!decls.every((d) => isNodeTypesFile(d.getSourceFile().getFilePath()))) continue;
        if (isGuarded(id, name)) continue;
        const noNode = "Snowflake's JavaScript procedures have no Node APIs (no process, Buffer, require, timers, file or network access)";
        found.push(
          pkg === null
            ? {
                text: `'${name}' is a Node.js global: ${noNode}`,
                location: this.locationOf(id),
                fix: name === 'console' ? 'log with snowflake.log(level, message) instead' : 'remove this use, or pass the value in as a procedure argument',
              }
            : {
                text: `'${name}' is a Node.js global, used by the package ${pkg} that this procedure bundles: ${noNode}`,
                location: this.locationOf(id),
                fix: `use a package (or a version of ${pkg}) that runs without Node.js, e.g. one built for browsers, or write the part you need in your own code`,
              },
        );
      }
    }
    return found;
  }

  private sourceFile(file: string): SourceFile {
    return this.project.getSourceFile(file) ?? this.project.addSourceFileAtPath(file);
  }

  private jsSourceFile(file: string): SourceFile {
    // A project of its own: allowJs in the main one would change the types of TypeScript
    // code that imports untyped packages.
    this.jsProject ??= new Project({
      tsConfigFilePath: path.join(this.root, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { allowJs: true, checkJs: false },
    });
    return this.jsProject.getSourceFile(file) ?? this.jsProject.addSourceFileAtPath(file);
  }

  private parameter(p: ParameterDeclaration): SourceParameter {
    const nameNode = p.getNameNode();
    const init = p.getInitializer();
    return {
      name: Node.isIdentifier(nameNode) ? nameNode.getText() : null,
      rest: p.isRestParameter(),
      optional: p.hasQuestionToken(),
      type: this.type(p.getType()),
      initializer: init === undefined ? null : { text: init.getText(), literal: literalOf(init), location: this.locationOf(init) },
      location: this.locationOf(p),
    };
  }

  /** The plain-data view of a type: what the signature rules need to choose a SQL type. */
  private type(t: Type): TsType {
    const text = t.getText(undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
    const flags = t.getFlags();
    if (t.isUnion() && !t.isBoolean() && !t.isEnum()) return { kind: 'union', members: t.getUnionTypes().map((m) => this.type(m)), text };
    if (flags & ts.TypeFlags.Any) return { kind: 'any', text };
    if (flags & ts.TypeFlags.Unknown) return { kind: 'unknown', text };
    if (flags & ts.TypeFlags.StringLike) return { kind: 'string', text };
    if (flags & ts.TypeFlags.NumberLike) return { kind: 'number', text };
    if (flags & ts.TypeFlags.BooleanLike) return { kind: 'boolean', text };
    if (flags & ts.TypeFlags.BigIntLike) return { kind: 'bigint', text };
    if (flags & ts.TypeFlags.ESSymbolLike) return { kind: 'symbol', text };
    if (flags & ts.TypeFlags.Void) return { kind: 'void', text };
    if (flags & ts.TypeFlags.Never) return { kind: 'never', text };
    if (flags & ts.TypeFlags.Undefined) return { kind: 'undefined', text };
    if (flags & ts.TypeFlags.Null) return { kind: 'null', text };
    if (t.isArray() || t.isReadonlyArray() || t.isTuple()) return { kind: 'array', text };
    if (!t.isObject()) return { kind: 'other', text };
    const sym = t.getSymbol();
    const name = sym?.getName() ?? '';
    const declFiles = (sym?.getDeclarations() ?? []).map((d) => path.resolve(d.getSourceFile().getFilePath()));
    const inShim = declFiles.length > 0 && declFiles.some((f) => f === this.shimFile);
    const inLibrary = declFiles.length > 0 && declFiles.every(isLibraryFile);
    if (name === 'Snowflake' && inShim) return { kind: 'snowflake', text };
    if (name === 'SfDate' && inShim) return { kind: 'date', name: 'SfDate', text };
    if (name === 'Date' && inLibrary) return { kind: 'date', name: 'Date', text };
    if (name === 'Promise' && inLibrary) return { kind: 'promise', text };
    if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return { kind: 'function', text };
    if (t.getAliasSymbol()?.getName() === 'Record') return { kind: 'object', method: null, text };
    // Anonymous object and mapped types (`{...}`, Partial<X>) have the symbol `__type`/`__object`.
    if (sym !== undefined && !name.startsWith('__') && inLibrary) return { kind: 'class', name, text };
    for (const prop of t.getProperties()) {
      const decl = prop.getValueDeclaration() ?? prop.getDeclarations()[0];
      if (decl !== undefined && (Node.isMethodSignature(decl) || Node.isMethodDeclaration(decl))) return { kind: 'object', method: prop.getName(), text };
    }
    return { kind: 'object', method: null, text };
  }

  private relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  private locationOf(node: Node): BuildLocation {
    const sf = node.getSourceFile();
    const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
    const lineText = sf.getFullText().split(/\r?\n/)[line - 1] ?? '';
    return { file: this.relative(sf.getFilePath()), line, column: column - 1, lineText };
  }
}

/** `node_modules/@scope/name/...` → `@scope/name`; null outside node_modules. */
function packageOf(file: string): string | null {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || parts[at + 1] === undefined) return null;
  const first = parts[at + 1] as string;
  return first.startsWith('@') && parts[at + 2] !== undefined ? `${first}/${parts[at + 2]}` : first;
}

/**
 * True when a use of the global `name` cannot fail where it is missing: the operand of
 * `typeof`, inside a `try` block, or in the branch of an `if`, `?:`, `&&`, `||` or `??` whose
 * condition tests `typeof name` (`typeof process !== 'undefined' && process.env.X`).
 */
function isGuarded(id: Node, name: string): boolean {
  const test = new RegExp(`typeof\\s*\\(?\\s*${name.replace(/\$/g, '\\$')}\\b`);
  let child: Node = id;
  for (let node = id.getParent(); node !== undefined; child = node, node = node.getParent()) {
    if (Node.isTypeOfExpression(node)) return true;
    if (Node.isTryStatement(node) && node.getTryBlock() === child) return true;
    if (Node.isIfStatement(node) && node.getExpression() !== child && test.test(node.getExpression().getText())) return true;
    if (Node.isConditionalExpression(node) && node.getCondition() !== child && test.test(node.getCondition().getText())) return true;
    if (Node.isBinaryExpression(node)) {
      const op = node.getOperatorToken().getKind();
      const logical = op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken;
      if (logical && node.getRight() === child && test.test(node.getLeft().getText())) return true;
    }
    if (Node.isFunctionLikeDeclaration(node) || Node.isSourceFile(node)) return false;
  }
  return false;
}

function isNodeTypesFile(file: string): boolean {
  return file.includes('/node_modules/@types/node/');
}

function isLibraryFile(file: string): boolean {
  return file.includes(`${path.sep}node_modules${path.sep}`) || file.includes('/node_modules/');
}

/** The value of a literal initializer, or null when it is not a literal. */
function literalOf(init: Node): SourceLiteral | null {
  if (Node.isNumericLiteral(init)) return { kind: 'number', value: init.getLiteralValue() };
  if (Node.isPrefixUnaryExpression(init) && init.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = init.getOperand();
    return Node.isNumericLiteral(operand) ? { kind: 'number', value: -operand.getLiteralValue() } : null;
  }
  if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) return { kind: 'string', value: init.getLiteralValue() };
  if (Node.isTrueLiteral(init)) return { kind: 'boolean', value: true };
  if (Node.isFalseLiteral(init)) return { kind: 'boolean', value: false };
  if (Node.isNullLiteral(init)) return { kind: 'null' };
  if (Node.isIdentifier(init) && init.getText() === 'undefined') return { kind: 'null' };
  return null;
}

/**
 * The text a node puts into the bundle as one string: a string or template literal (the
 * template's literal parts joined), a regular expression's source, or a `+` chain of those,
 * which esbuild folds into one literal. Null for anything else.
 */
function stringValue(node: Node): string | null {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isTemplateExpression(node)) {
    return [node.getHead().getLiteralText(), ...node.getTemplateSpans().map((s) => s.getLiteral().getLiteralText())].join('');
  }
  if (Node.isRegularExpressionLiteral(node)) return node.getLiteralText();
  if (Node.isParenthesizedExpression(node)) return stringValue(node.getExpression());
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const left = stringValue(node.getLeft());
    const right = stringValue(node.getRight());
    return left !== null && right !== null ? left + right : null;
  }
  return null;
}
