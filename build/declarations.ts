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
   * The argument's name as written in SQL: UPPER_SNAKE of `jsName` (`LOOKBACK_SECONDS`) when
   * that is a valid unquoted Snowflake identifier, else `jsName` in double quotes (`"größe"`).
   */
  sqlName: string;
  /**
   * The JavaScript identifier the body reads the argument from. Snowflake exposes an unquoted
   * argument upper-cased (`LOOKBACK_SECONDS`) and a quoted one exactly as quoted (`größe`).
   */
  bodyName: string;
  /** e.g. `VARCHAR`, `FLOAT`, `OBJECT`, or whatever `@sqlType` said. */
  sqlType: string;
  /** SQL text after `DEFAULT` (`NULL`, `300`, `'x'`), or null when the argument is required. */
  defaultSql: string | null;
}

export type ExecuteAs = 'OWNER' | 'CALLER' | 'RESTRICTED CALLER';
/** `STRICT` is Snowflake's synonym of `RETURNS NULL ON NULL INPUT` and is emitted as the latter. */
export type NullHandling = 'CALLED ON NULL INPUT' | 'RETURNS NULL ON NULL INPUT';

/** A procedure declared in the entry file, ready to bundle and emit. */
export interface ProcedureDeclaration {
  /** The exported function, e.g. `syncPipelineRunHistoryProc`. */
  functionName: string;
  /** The file that declares it, relative to the project root, `/`-separated. */
  file: string;
  /** Where the function is declared (for messages). */
  location: BuildLocation;
  /**
   * SQL name as written in SQL: `@procedure`, else UPPER_SNAKE of the function name, or the
   * function name in double quotes when UPPER_SNAKE would not be a valid unquoted identifier.
   */
  sqlName: string;
  args: SqlArgument[];
  /** SQL return type: `@returnsSql`, else mapped from the TypeScript return type. */
  returns: string;
  /** `RETURNS <type> NOT NULL`: Snowflake fails the CALL when the body returns null/undefined. */
  returnsNotNull: boolean;
  executeAs: ExecuteAs;
  nullHandling: NullHandling | null;
  /** `@comment`, or null for no COMMENT clause. */
  comment: string | null;
  /** The file the CREATE PROCEDURE goes into: `@output`, else one file per procedure. */
  output: string;
}

/** What reading an entry file produced: every procedure it could read and every problem. */
export interface ReadResult {
  procedures: ProcedureDeclaration[];
  errors: BuildMessage[];
}
