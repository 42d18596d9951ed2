/**
 * Build problems are data, shaped like esbuild's own `Message` so esbuild's errors pass through
 * unchanged: where (file, line, column, the line's text), what, and how to fix it.
 */

/** Where a problem is: a path relative to the project root, 1-based line, 0-based column. */
export interface BuildLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based, in characters, as esbuild reports it. */
  column: number;
  /** The source line, for the caret display. */
  lineText: string;
}

/** One problem the build found. */
export interface BuildMessage {
  /** What is wrong. (esbuild's own messages say how to fix in the text, and have no `fix`.) */
  text: string;
  /** Null when the problem has no place in a source file (e.g. a missing entry file). */
  location: BuildLocation | null;
  /** How to fix it, e.g. `add '@sqlType since TIMESTAMP_NTZ' to the function's JSDoc`. */
  fix?: string;
}

/**
 * Thrown by the generator with every problem it found, not just the first.
 *
 * @example
 * try { await generate({ root, entry }) } catch (e) {
 *   if (e instanceof BuildFailure) console.error(formatMessages(e.errors));
 * }
 */
export class BuildFailure extends Error {
  readonly errors: BuildMessage[];
  constructor(errors: BuildMessage[]) {
    super(
      `procedure build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        formatMessages(errors),
    );
    this.name = 'BuildFailure';
    this.errors = errors;
  }
}

/** `file:line:col: error: text` plus the source line and a caret, esbuild style, then `fix: …`. */
export function formatMessage(m: BuildMessage): string {
  const fix = m.fix === undefined ? '' : `\n  fix: ${m.fix}`;
  if (m.location === null) return `error: ${m.text}${fix}`;
  const { file, line, column, lineText } = m.location;
  const gutter = String(line);
  return (
    `${file}:${line}:${column}: error: ${m.text}\n` +
    `    ${gutter} | ${lineText}\n` +
    `    ${' '.repeat(gutter.length)} | ${' '.repeat(column)}^` +
    fix
  );
}

export function formatMessages(messages: readonly BuildMessage[]): string {
  return messages.map(formatMessage).join('\n\n');
}
