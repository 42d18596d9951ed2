// The resolve hook of record-imports.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';

let log = '';
export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, `${context.parentURL ?? 'esm:root'} -> ${result.url}\n`);
  return result;
}
