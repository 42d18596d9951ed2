/**
 * No import cycle in local/ (type-only imports included): each module can be read, tested and
 * replaced from the bottom up. madge is not available offline, so the walk is done here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../local');

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The local/ modules a file imports (static `import … from`, `export … from`, `import('…')`). */
export function importsOf(file: string, source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (target.startsWith(ROOT)) out.push(target);
  }
  return out;
}

/** Every cycle found by a depth-first walk, as a list of paths relative to local/. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((p) => relative(ROOT, p)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('local/ imports', () => {
  it('the walk finds a cycle when there is one (a → b → a)', () => {
    const a = join(ROOT, 'a.ts');
    const b = join(ROOT, 'b.ts');
    expect(importsOf(a, "import { x } from './b.js';\nimport type { Y } from '../local/a.js';")).toEqual([b, a]);
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
    expect(cycles(new Map([[a, [b]], [b, []]]))).toEqual([]);
  });

  it('has no import cycle', () => {
    const files = modules(ROOT);
    expect(files.length).toBeGreaterThan(20);
    const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(f, 'utf8'))]));
    expect(cycles(graph)).toEqual([]);
  });
});
