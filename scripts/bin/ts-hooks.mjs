// In-thread module hooks that run the project's TypeScript for the `invoicer` bin: a `.js` import
// of a project file resolves to its `.ts` source, and a `.ts` file is compiled with esbuild
// (type-only syntax removed, as tsconfig's verbatimModuleSyntax says), each compiled file kept in
// node_modules/.cache/invoicer-ts by the hash of its source. Why not tsx's loader here: its hooks
// run on a separate thread and compile on every start; a query command loads ~470 modules, and
// that cost more than the query (docs/benchmarks.md, "The CLI as users type it").
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, enableCompileCache, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { threadId } from 'node:worker_threads';

// esbuild loads only when a file changed since it was compiled (most starts compile nothing).
const require = createRequire(import.meta.url);
let esbuild;
const compiler = () => (esbuild ??= require('esbuild'));
const ESBUILD_VERSION = require('esbuild/package.json').version;

const ROOT = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '/')).href;
const CACHE = join(fileURLToPath(ROOT), 'node_modules', '.cache', 'invoicer-ts');
const OWN = (url) => url.startsWith(ROOT) && !url.slice(ROOT.length).startsWith('node_modules/');

mkdirSync(CACHE, { recursive: true });
// V8's code cache of every module (project and packages) across runs.
enableCompileCache(join(CACHE, 'v8'));

function compiled(path) {
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha256')
    .update(`${ESBUILD_VERSION}\0${path}\0${source}`)
    .digest('hex')
    .slice(0, 40);
  const file = join(CACHE, `${key}.mjs`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const { code } = compiler().transformSync(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node22',
    sourcefile: path,
    sourcemap: 'inline',
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
  });
  // Written aside, then renamed: two commands (or two threads of one) never read half a file.
  const partial = `${file}.${process.pid}.${threadId}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  return code;
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (parent !== undefined && OWN(parent) && specifier.endsWith('.js') && /^\.{1,2}\//.test(specifier)) {
      const ts = new URL(`${specifier.slice(0, -3)}.ts`, parent);
      if (existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (OWN(url) && url.endsWith('.ts'))
      return { format: 'module', source: compiled(fileURLToPath(url)), shortCircuit: true };
    return nextLoad(url, context);
  },
});
