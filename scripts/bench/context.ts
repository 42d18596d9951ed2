/** What every figure gets: its sizes and repeats, where dist/ is, and where progress goes. */
export interface BenchContext {
  quick: boolean;
  distDir: string;
  /** The repository root (for spawning the build). */
  root: string;
  /** One progress line (the CLI writes these to stderr). */
  progress(line: string): void;
}

/** A figure's result: a Markdown section (title, tables, notes) and whether its target was met. */
export interface FigureReport {
  title: string;
  markdown: string;
  /** One line per target: met or missed, with the figure. */
  targets: TargetResult[];
}

export interface TargetResult {
  name: string;
  met: boolean;
  detail: string;
}

/** Milliseconds as the tables print them. */
export function fmtMs(ms: number): string {
  // Thresholds sit where rounding would print the next unit's first value (999.6 → "1.00 s", not "1000 ms").
  if (ms >= 9_995) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 999.5) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 99.95) return `${ms.toFixed(0)} ms`;
  if (ms >= 9.995) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** An integer with thousands separators. */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 10k, 100k, 1M. */
export function fmtSize(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return fmtInt(n);
}

/** A Markdown table. */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
