/**
 * What the generator knows about one procedure once its TypeScript declaration is read: plain
 * data, independent of ts-morph and esbuild.
 */
import type { BuildLocation, BuildMessage } from './messages.js';

/** One SQL argument of a procedure. */
export interface SqlArgument {
  /** The TypeScript parameter name, e.g. `lookbackSeconds`. */
  jsName: string;
  /**
   * The SQL argument name, UPPER_SNAKE of `jsName`, e.g. `LOOKBACK_SECONDS`. Snowflake exposes
   * arguments to the JavaScript body as upper-case identifiers, so the body reads this name.
   */
  sqlName: string;
  /** e.g. `VARCHAR`, `FLOAT`, `OBJECT`, or whatever `@sqlType` said. */
  sqlType: string;
  /** SQL text after `DEFAULT` (`NULL`, `300`, `'x'`), or null when the argument is required. */
  defaultSql: string | null;
}

export type ExecuteAs = 'OWNER' | 'CALLER' | 'RESTRICTED CALLER';
export type NullHandling = 'CALLED ON NULL INPUT' | 'RETURNS NULL ON NULL INPUT';

/** A procedure declared in the entry file, ready to bundle and emit. */
export interface ProcedureDeclaration {
  /** The exported function, e.g. `syncPipelineRunHistoryProc`. */
  functionName: string;
  /** The file that declares it, relative to the project root, `/`-separated. */
  file: string;
  /** Where the function is declared (for messages). */
  location: BuildLocation;
  /** SQL name: `@procedure`, else UPPER_SNAKE of the function name. */
  sqlName: string;
  args: SqlArgument[];
  /** SQL return type: `@returnsSql`, else mapped from the TypeScript return type. */
  returns: string;
  executeAs: ExecuteAs;
  nullHandling: NullHandling | null;
  /** `@comment`, or null for no COMMENT clause. */
  comment: string | null;
  /** The dist file name the CREATE PROCEDURE goes into (`@output`), e.g. `procedures.sql`. */
  output: string;
}

/** What reading an entry file produced: every procedure it could read and every problem. */
export interface ReadResult {
  procedures: ProcedureDeclaration[];
  errors: BuildMessage[];
}

/** The dist file a procedure goes into when it has no `@output` tag. */
export const DEFAULT_OUTPUT = 'procedures.sql';
