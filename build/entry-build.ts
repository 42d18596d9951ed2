/**
 * Building any procedure file into a folder of SQL: one file per procedure (or per `@output`)
 * plus `manifest.json`. What `npm run build:proc -- --entry FILE --out DIR` does, as a function.
 */
import * as path from 'node:path';
import { DEFAULT_TARGET, type Target } from './bundler.js';
import { assembleDist, manifestFile, type DistFile } from './dist.js';
import { generate, MAX_BODY_BYTES, type GeneratedProcedure } from './generate.js';
import type { TsReader } from './ts-reader.js';

export interface EntryBuildOptions {
  /** The project root (holds tsconfig.json); paths in the output are relative to it. */
  root: string;
  /** The procedure file, absolute or relative to `root`. */
  entry: string;
  /** The output folder, absolute or relative to `root`. */
  out: string;
  target?: Target;
  /** Largest body accepted, in KiB (1024 bytes). */
  maxBodyKb?: number;
  /** Shared between builds of one process: creating it is the slow part. */
  reader?: TsReader;
}

export interface EntryBuild {
  procedures: GeneratedProcedure[];
  files: DistFile[];
  /** The command that rebuilds this folder, as written into each file's header. */
  command: string;
  /** The output folder relative to the root, `/`-separated (for messages). */
  folder: string;
}

/**
 * Compiles `entry` and returns the files of its output folder (nothing is written).
 * @throws BuildFailure with every problem found.
 * @example
 * const b = await buildEntry({ root, entry: 'my/procs.ts', out: 'out' });
 * writeDist(path.join(root, 'out'), b.files);
 */
export async function buildEntry(o: EntryBuildOptions): Promise<EntryBuild> {
  const root = path.resolve(o.root);
  const rel = (p: string): string => path.relative(root, path.resolve(root, p)).split(path.sep).join('/') || '.';
  const entry = rel(o.entry);
  const folder = rel(o.out);
  const target = o.target ?? DEFAULT_TARGET;
  const maxBodyBytes = o.maxBodyKb === undefined ? MAX_BODY_BYTES : Math.floor(o.maxBodyKb * 1024);
  const procedures = await generate({
    root,
    entry,
    target,
    maxBodyBytes,
    ...(o.reader === undefined ? {} : { reader: o.reader }),
  });
  const command =
    `npm run build:proc -- --entry ${entry} --out ${folder}` +
    (target === DEFAULT_TARGET ? '' : ` --target ${target}`) +
    (o.maxBodyKb === undefined ? '' : ` --max-body-kb ${o.maxBodyKb}`);
  const files = assembleDist({ procedures, layout: {}, sources: entry, command, folder });
  files.push(manifestFile(procedures, files, { entry, command, target }));
  return { procedures, files, command, folder };
}
