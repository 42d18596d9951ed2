// Preloaded with `node --import tsx --import ./test/deploy/record-imports.mjs …`: writes one line
// "<parent> -> <child>" per module load (ESM imports through a resolve hook, CommonJS requires
// through Module._load) to the file named by HYBRID_SYNC_IMPORT_LOG, so a test can compute what
// an entry point's module graph holds.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const log = process.env.HYBRID_SYNC_IMPORT_LOG;
if (log) {
  register(new URL('./record-imports-hooks.mjs', import.meta.url), { data: { log } });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    let child = request;
    try {
      child = pathToFileURL(Module._resolveFilename(request, parent, isMain)).href;
    } catch {
      // builtins and unresolvable requests are logged as written
    }
    appendFileSync(log, `${parent?.filename ? pathToFileURL(parent.filename).href : 'cjs:root'} -> ${child}\n`);
    return load.apply(this, arguments);
  };
  void fileURLToPath;
}
