/**
 * What the TypeScript adapter (`ts-reader.ts`) hands to the signature rules (`signature-rules.ts`):
 * plain data about exported functions, with no ts-morph object in it. The rules can be tested by
 * writing these values by hand.
 */
import type { BuildLocation } from './messages.js';

/**
 * A TypeScript type, reduced to what decides its SQL type. `text` is how TypeScript prints it
 * (for messages).
 */
export type TsType =
  | { kind: 'string' | 'number' | 'boolean' | 'bigint' | 'symbol' | 'any' | 'unknown' | 'void' | 'undefined' | 'null' | 'never'; text: string }
  /** `A | B`; literal members are already folded to their base kind (`'a' | 'b'` → two strings). */
  | { kind: 'union'; members: TsType[]; text: string }
  /** Arrays, readonly arrays and tuples. */
  | { kind: 'array'; text: string }
  /** Anything callable or constructible. */
  | { kind: 'function'; text: string }
  | { kind: 'promise'; text: string }
  /** The `Snowflake` interface of the API shim. */
  | { kind: 'snowflake'; text: string }
  /** JavaScript's `Date`, or the shim's `SfDate`: a timestamp. */
  | { kind: 'date'; name: 'Date' | 'SfDate'; text: string }
  /** A class from a library (`Map`, `RegExp`, `Uint8Array`, ...): not plain data. */
  | { kind: 'class'; name: string; text: string }
  /**
   * An interface, object literal type, `Record` or mapped type. `method` names its first method
   * (an object with methods is not plain data), or is null.
   */
  | { kind: 'object'; method: string | null; text: string }
  | { kind: 'other'; text: string };

/** A literal initializer, or what stands in for it. */
export type SourceLiteral =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** One parameter of an exported function. */
export interface SourceParameter {
  /** Null when the parameter is destructured (`{ a, b }: X`). */
  name: string | null;
  rest: boolean;
  /** Declared with `?`. */
  optional: boolean;
  type: TsType;
  /** The initializer: its source text and, when it is a literal, its value. */
  initializer: { text: string; literal: SourceLiteral | null; location: BuildLocation } | null;
  location: BuildLocation;
}

/** One JSDoc tag, e.g. `@sqlType batchSize NUMBER(38,0)`. */
export interface SourceTag {
  /** Without the `@`. */
  name: string;
  /** The tag's text, whitespace collapsed. */
  text: string;
  location: BuildLocation;
}

/** An exported function (or function-valued const) of the entry file. */
export interface SourceFunction {
  name: string;
  /** `declaration` for `export function f`, `expression` for `export const f = (...) =>`. */
  form: 'declaration' | 'expression';
  /** The file, relative to the project root, `/`-separated. */
  file: string;
  /** Where its name is. */
  location: BuildLocation;
  params: SourceParameter[];
  returnType: TsType;
  /** The return type annotation, or the function when there is none. */
  returnLocation: BuildLocation;
  tags: SourceTag[];
}

/** A string that reaches the bundle: a literal, a template, or literals joined with `+`. */
export interface SourceString {
  value: string;
  location: BuildLocation;
}
